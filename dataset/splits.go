package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Splits are the training, validation and test rows of a data set.
type Splits struct{ Train, Val, Test *Table }

// LoadSplits reads the splits of the data set in folder dir: NAME.csv or, when there is none,
// NAME.npy for NAME = train, val and test, or for the three names given (e.g. "subset_train",
// "subset_val", "test" for miniboone's subset). The columns of val and test must be the
// training columns, in order (a .npy file's x0…x{D-1} match by position).
func LoadSplits(dir string, names ...string) (Splits, error) {
	if len(names) == 0 {
		names = []string{"train", "val", "test"}
	}
	if len(names) != 3 {
		return Splits{}, fmt.Errorf("dataset: LoadSplits: want 3 names (train, val, test), got %d", len(names))
	}
	var t [3]*Table
	var csv [3]bool
	for k, n := range names {
		path := filepath.Join(dir, n+".csv")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			path = filepath.Join(dir, n+".npy")
			if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
				return Splits{}, fmt.Errorf("dataset: %s: no %s.csv or %s.npy", dir, n, n)
			}
		}
		var err error
		if t[k], err = Load(path); err != nil {
			return Splits{}, err
		}
		csv[k] = filepath.Ext(path) == ".csv"
		if k > 0 && csv[k] && csv[0] && !slices.Equal(t[k].Columns, t[0].Columns) {
			return Splits{}, fmt.Errorf("dataset: %s: columns %s differ from the training columns %s", path, QuoteList(t[k].Columns), QuoteList(t[0].Columns))
		}
		if _, c := t[k].X.Dims(); k > 0 {
			if _, d := t[0].X.Dims(); c != d {
				return Splits{}, fmt.Errorf("dataset: %s: %d columns, the training data %d", path, c, d)
			}
		}
	}
	return Splits{Train: t[0], Val: t[1], Test: t[2]}, nil
}
