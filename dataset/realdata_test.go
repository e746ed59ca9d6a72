package dataset

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// sharedData is /work/shared/data seen from this package's directory. The files are never copied
// into the repository; the test is skipped where they are absent.
const sharedData = "../../shared/data"

func TestLoadSharedData(t *testing.T) {
	cases := []struct {
		file string
		n, d int
	}{
		{"power_subset/train.csv", 30199, 6},
		{"power_subset/val.csv", 3355, 6},
		{"power_subset/test.csv", 3728, 6},
		{"miniboone/subset_train.npy", 2956, 43}, // '<f8'
		{"bsds300/test.npy", 50000, 63},          // '<f4'
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p := filepath.Join(sharedData, c.file)
			if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
				t.Skipf("%s not present", p)
			}
			tab, err := Load(p)
			require.NoError(t, err)
			n, d := tab.X.Dims()
			require.Equal(t, [2]int{c.n, c.d}, [2]int{n, d})
			require.Len(t, tab.Columns, c.d)
		})
	}
}
