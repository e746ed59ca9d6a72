// Command mnist fits a masked autoregressive flow to MNIST with MAF's preprocessing (Papamakarios
// et al. 2017, datasets/mnist.py): training = the first 50000 images of the training file,
// validation = its last 10000, test = the 10000 test images; pixels p ∈ {0…255} are dequantized
// to x = (p + u)/256, u ~ U(0,1) (seeded), and the flow models z = logit(λ + (1−2λ)x), λ = 1e-6.
// It reports the test log-likelihood of x ∈ [0,1]^784, log p(x) = log p(z) + Σ_j log|dz_j/dx_j|,
// and also log p(z) (the logit-space figure MAF's Table 2 gives) and bits/pixel, each as mean ± 2
// standard errors.
//
//	experiments/mnist/fetch.sh                      # once: the IDX files into ~/.cache/affineflow/mnist
//	go run ./experiments/mnist -max-train 2000 -epochs 2 -hidden 256 -lr 1e-3   # a short check
//	go run ./experiments/mnist -gaussian            # MAF's Gaussian baseline: checks the preprocessing
//	go run ./experiments/mnist -time-steps 15       # time one full-size epoch, do not train
//
// See README.md for the figures and the cost of a full run. Progress goes to stderr, the report
// to stdout.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/affineflow/flow/distributions"
)

func main() {
	if _, err := execute(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "mnist:", err)
		os.Exit(1)
	}
}

// defaultDir is where fetch.sh puts the files: $MNIST_DIR, else ~/.cache/affineflow/mnist.
func defaultDir() string {
	if d := os.Getenv("MNIST_DIR"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "mnist"
	}
	return filepath.Join(home, ".cache", "affineflow", "mnist")
}

// execute parses the flags and either times a full-size epoch (-time-steps) or fits and reports;
// it returns the fit's result (nil when timing).
func execute(args []string, stdout, stderr io.Writer) (*result, error) {
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.Dir, "dir", defaultDir(), "directory with the MNIST IDX files (see fetch.sh)")
	fs.IntVar(&c.Epochs, "epochs", 100, "maximum training epochs")
	fs.IntVar(&c.Layers, "layers", 5, "number of MADE layers")
	hidden := fs.String("hidden", "1024", "hidden widths of each MADE, comma-separated (MAF's MNIST runs: 1024 or 1024,1024)")
	fs.StringVar(&c.Between, "between", "", "layers between the MADEs: actnorm, linear, actnorm+linear (default none)")
	fs.BoolVar(&c.Standardize, "standardize", true, "first layer: frozen standardization with the training mean/std of z (log-det counted)")
	fs.IntVar(&c.MaxTrain, "max-train", 0, "use only the first N training images (0: all 50000)")
	fs.IntVar(&c.MaxVal, "max-val", 0, "use only the first N validation images (0: all 10000)")
	fs.IntVar(&c.ValSize, "val-size", 10000, "the last N images of the training file are the validation split")
	fs.IntVar(&c.Batch, "batch", 100, "minibatch size")
	fs.IntVar(&c.Patience, "patience", 30, "early stopping patience in epochs (negative: never)")
	fs.Float64Var(&c.LR, "lr", 1e-4, "Adam learning rate")
	fs.Int64Var(&c.Seed, "seed", 1, "seed of the dequantization noise, the initial weights and the minibatch order")
	fs.StringVar(&c.Checkpoint, "checkpoint", "", "file written after every epoch with the model, the optimizer and the early-stopping state")
	fs.BoolVar(&c.Resume, "resume", false, "continue from -checkpoint if it exists (the result equals an uninterrupted run)")
	fs.BoolVar(&c.Gaussian, "gaussian", false, "fit a full-covariance Gaussian to the training z instead of a flow (MAF's Gaussian baseline)")
	fs.IntVar(&c.TimeSteps, "time-steps", 0, "if > 0: time this many optimizer steps and one validation pass, print the extrapolated epoch time and exit")
	fs.IntVar(&c.TimeEvalN, "time-eval", 1024, "validation rows timed with -time-steps")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mnist [flags]\n\nFits a MAF to MNIST (MAF preprocessing) and reports test log-likelihoods.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q (all settings are flags; see -h)", fs.Args())
	}
	var err error
	if c.Hidden, err = distributions.ParseInts(*hidden); err != nil {
		return nil, fmt.Errorf("-hidden %q: %w", *hidden, err)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	if c.TimeSteps > 0 {
		return nil, timeEpoch(c, stdout, stderr)
	}
	r, err := run(c, stderr)
	if err != nil {
		return nil, err
	}
	r.report(stdout)
	return r, nil
}

// timeEpoch loads the data, builds the model and runs measureEpoch.
func timeEpoch(c config, stdout, stderr io.Writer) error {
	data, err := loadSplits(c.Dir, c.ValSize, c.MaxTrain, c.MaxVal, c.Seed)
	if err != nil {
		return err
	}
	f, err := c.model(data.Train.Z)
	if err != nil {
		return err
	}
	t, err := measureEpoch(f, data, c, stderr)
	if err != nil {
		return err
	}
	t.report(stdout, c, f.NumParams())
	return nil
}
