// Command comparemasks is the example of a study written in Go against the API: it fits `flow
// fit`'s recipe (package recipe: standardization, automatic base, budget and early stopping) with
// each of two or more mask kinds to one real data set and prints a markdown table of test NLL,
// comparable with `flow fit -mask KIND` and the tables of experiments/uci.
//
//	go run ./experiments/comparemasks -data ../shared/data/ccpp -masks made,injection -epochs 30
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
)

func main() {
	data := flag.String("data", "../shared/data/ccpp", "folder with train, val and test (.csv or .npy)")
	kinds := flag.String("masks", "made,injection", "mask kinds to compare: "+strings.Join(distributions.MaskKinds(), ", "))
	epochs := flag.Int("epochs", 0, "maximum epochs (0: flow fit's budget, trainer.AutoEpochs)")
	hidden := flag.Int("hidden", 0, "width of the two hidden layers (0: flow fit's, distributions.DefaultHidden)")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*data, strings.Split(*kinds, ","), *epochs, *hidden, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "comparemasks:", err)
		os.Exit(1)
	}
}

func run(dir string, kinds []string, epochs, hidden int, seed int64) error {
	s, err := dataset.LoadSplits(dir)
	if err != nil {
		return err
	}
	fmt.Printf("| mask | test NLL (nats) | parameters | best epoch | seconds |\n|---|---:|---:|---:|---:|\n")
	for _, kind := range kinds {
		o := recipe.Options{Spec: distributions.Spec{Mask: kind}, Train: trainer.Settings{Epochs: epochs, Seed: seed}}
		if hidden > 0 {
			o.Spec.Hidden = []int{hidden, hidden}
		}
		start := time.Now()
		res, err := recipe.Fit(s.Train.X, s.Val.X, o)
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		fmt.Printf("| %s | %.4f | %d | %d | %.0f |\n", kind, res.Flow.NLL(s.Test.X), res.Flow.NumParams(),
			res.Fit.BestEpoch, time.Since(start).Seconds())
	}
	return nil
}
