package main

import (
	"fmt"
	"io"
	"math"
	"math/rand"
	"path/filepath"
	"strings"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/toy"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/plots"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
)

// Fixed settings of the experiment (the flags change only the amount of work and the seed).
var (
	spec     = distributions.Spec{Layers: 5, Hidden: []int{64, 64}}
	settings = trainer.Settings{BatchSize: 128, LearningRate: 3e-3, Schedule: "cosine"}
	box      = [4]float64{-4, 4, -4, 4} // plotted region
)

const (
	gridSize = 200 // density grid cells per side
	tilePx   = 400 // PNG tile size in pixels
)

// config holds the flag values.
type config struct {
	Out    string
	Epochs int
	N      int
	Seed   int64
	// Transform is the layers' element-wise map (-transform): affine (the zero value) or a spline.
	Transform layers.Transform
}

func (c config) validate() error {
	switch {
	case c.Out == "":
		return fmt.Errorf("-out is empty")
	case c.Epochs < 1:
		return fmt.Errorf("-epochs %d, want >= 1", c.Epochs)
	case c.N < 4:
		return fmt.Errorf("-n %d, want >= 4 (the validation set has n/4 rows)", c.N)
	}
	return nil
}

// target is a toy target with its position in toy.Targets(), which fixes its random stream.
type target struct {
	target toy.Target
	index  int
}

func allTargetNames() []string {
	var names []string
	for _, t := range toy.Targets() {
		names = append(names, t.Name)
	}
	return names
}

// parseTargets resolves a comma-separated list of target names, rejecting unknown, empty and
// repeated names.
func parseTargets(list string) ([]target, error) {
	index := map[string]int{}
	for i, n := range allTargetNames() {
		index[n] = i
	}
	var ts []target
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, fmt.Errorf("-targets %q has an empty name (known: %s)", list, strings.Join(allTargetNames(), ", "))
		}
		t, err := toy.ByName(name)
		if err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, fmt.Errorf("-targets lists %q twice", name)
		}
		seen[name] = true
		ts = append(ts, target{target: t, index: index[name]})
	}
	return ts, nil
}

// result is one row of the table.
type result struct {
	Name      string
	TestNLL   float64 // mean −log p of the test set under the fitted flow, nats
	InitNLL   float64 // the same under the untrained flow, which is the identity map: N(0, I)
	Best      float64 // the target's entropy, the lowest achievable expected NLL; NaN: unknown
	Epochs    int     // epochs run (early stopping may end training before -epochs)
	BestEpoch int     // epoch whose weights the flow keeps (best validation NLL)
	Seconds   float64 // training time
	PNG       string
}

// entropy returns the known differential entropy of a target (nats), or NaN.
func entropy(name string) float64 {
	switch name {
	case toy.NameEightGauss:
		return toy.EightGaussiansEntropy
	case toy.NameCheckerboard:
		return toy.CheckerboardEntropy
	}
	return math.NaN()
}

// fitTarget samples the data, fits a fresh flow, evaluates it on the test set and writes the PNG.
// Each target draws from its own stream, seeded from -seed and the target's position in
// toy.Targets(), so a target's result does not depend on which other targets run.
func fitTarget(t target, c config) (result, error) {
	rng := rand.New(rand.NewSource(c.Seed*1_000_003 + int64(t.index)))
	train := t.target.Sample(c.N, rng)
	val := t.target.Sample(c.N/4, rng)
	test := t.target.Sample(c.N, rng)

	sp := spec
	sp.Transform = c.Transform
	f, err := distributions.Build(2, sp, rng)
	if err != nil {
		return result{}, err
	}
	r := result{Name: t.target.Name, InitNLL: f.NLL(test), Best: entropy(t.target.Name)}

	s := settings
	s.Epochs, s.Seed = c.Epochs, c.Seed
	start := time.Now()
	res, err := trainer.Fit(f, train, val, s)
	if err != nil {
		return result{}, err
	}
	r.Seconds = time.Since(start).Seconds()
	r.Epochs, r.BestEpoch = len(res.History), res.BestEpoch
	r.TestNLL = f.NLL(test)

	r.PNG = filepath.Join(c.Out, t.target.Name+".png")
	return r, savePicture(r.PNG, f, test, rng, r)
}

// savePicture writes three tiles: data samples, the learned density and samples from the flow.
func savePicture(path string, f *distributions.Flow, data *mat.Dense, rng *rand.Rand, r result) error {
	n, _ := data.Dims()
	dp, err := plots.Scatter(data, r.Name+": data")
	if err != nil {
		return err
	}
	lp, err := plots.Density2D(f.LogProbs, box, gridSize, fmt.Sprintf("learned density (test NLL %.3f)", r.TestNLL))
	if err != nil {
		return err
	}
	sp, err := plots.Scatter(f.Sample(n, rng), "flow samples")
	if err != nil {
		return err
	}
	for _, p := range []*plot.Plot{dp, lp, sp} {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = box[0], box[1], box[2], box[3]
	}
	return plots.SavePNG(path, 3, tilePx, dp, lp, sp)
}

// printTable writes the results as a markdown table.
func printTable(w io.Writer, rows []result) {
	fmt.Fprintln(w, "| target | test NLL (nats) | N(0,I) NLL before training | best possible (where known) | epochs | seconds |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		best := "–"
		if !math.IsNaN(r.Best) {
			best = fmt.Sprintf("%.3f", r.Best)
		}
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %s | %d | %.1f |\n", r.Name, r.TestNLL, r.InitNLL, best, r.Epochs, r.Seconds)
	}
}
