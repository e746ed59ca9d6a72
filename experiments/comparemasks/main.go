// Command comparemasks is the example of a study written in Go against the API: it fits the same
// stack with two or more mask kinds to one real data set and prints a markdown table of test NLL.
//
//	go run ./experiments/comparemasks -data ../shared/data/ccpp -masks made,injection -epochs 30
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

func main() {
	data := flag.String("data", "../shared/data/ccpp", "folder with train.csv, val.csv, test.csv")
	kinds := flag.String("masks", "made,injection", "mask kinds to compare (see distributions.MaskKinds)")
	epochs := flag.Int("epochs", 30, "maximum epochs")
	hidden := flag.Int("hidden", 64, "width of the two hidden layers")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*data, strings.Split(*kinds, ","), *epochs, *hidden, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "comparemasks:", err)
		os.Exit(1)
	}
}

func run(dir string, kinds []string, epochs, hidden int, seed int64) error {
	var split [3]*mat.Dense
	for k, name := range []string{"train", "val", "test"} {
		t, err := dataset.Load(filepath.Join(dir, name+".csv"))
		if err != nil {
			return err
		}
		split[k] = t.X
	}
	_, d := split[0].Dims()
	fmt.Printf("| mask | test NLL (nats) | parameters | best epoch | seconds |\n|---|---:|---:|---:|---:|\n")
	for _, kind := range kinds {
		rng := rand.New(rand.NewSource(seed))
		f, err := distributions.Build(d, distributions.Spec{Mask: kind, Hidden: []int{hidden, hidden}}, rng)
		if err != nil {
			return err
		}
		start := time.Now()
		res, err := trainer.Fit(f, split[0], split[1], trainer.Settings{Epochs: epochs, Seed: seed})
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		nll := 0.0
		for _, lp := range f.LogProbs(split[2]) {
			nll -= lp
		}
		n, _ := split[2].Dims()
		fmt.Printf("| %s | %.4f | %d | %d | %.0f |\n", kind, nll/float64(n), graph.CountParams(f.Params()),
			res.BestEpoch, time.Since(start).Seconds())
	}
	return nil
}
