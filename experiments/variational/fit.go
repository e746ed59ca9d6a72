package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand"
	"strings"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/targets"
	"github.com/affineflow/flow/plots"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/plot"
)

// draws is how many draws of the fitted flow (and exact samples of the target) the estimates use.
const draws = 20000

// fitSpec is one kind of fit: a mask kind in one direction.
type fitSpec struct {
	name, mask string
	inverse    bool
}

func parseFit(s string) (fitSpec, error) {
	i := strings.LastIndex(s, "-")
	if i < 0 || (s[i+1:] != "iaf" && s[i+1:] != "maf") {
		return fitSpec{}, fmt.Errorf("-fits: %q is not MASK-iaf or MASK-maf", s)
	}
	return fitSpec{name: s, mask: s[:i], inverse: s[i+1:] == "iaf"}, nil
}

// budget is a target's flow and training: five layers of 32×2 units for 40 epochs, eight of 64×2
// for 80 on the harder targets (U2 and U4 stretch a sine wave over the square; the funnel's
// neck).
func budget(name string) (layers, hidden, epochs int) {
	switch name {
	case "u2", "u4", "funnel":
		return 8, 64, 80
	}
	return 5, 32, 40
}

type result struct {
	targets.Scores
	tg          targets.Target
	fit         fitSpec
	flow        *distributions.Flow
	trueZ, secs float64
}

func fit(tg targets.Target, s fitSpec, seed int64, scale float64, progress io.Writer) (result, error) {
	nl, nh, epochs := budget(tg.Name)
	f, err := distributions.Build(tg.Dim, distributions.Spec{Layers: nl, Hidden: []int{nh, nh}, Mask: s.mask, Inverse: s.inverse},
		rand.New(rand.NewSource(seed)))
	if err != nil {
		return result{}, err
	}
	start := time.Now()
	_, err = trainer.FitVariational(context.Background(), f, tg.LogDensity, trainer.Settings{
		Epochs: max(1, int(float64(epochs)*scale)), Draws: 8192, Patience: -1, Seed: seed, LearningRate: 3e-3,
		Schedule: "cosine", Progress: progress})
	if err != nil {
		return result{}, err
	}
	r := result{tg: tg, fit: s, flow: f, secs: time.Since(start).Seconds(), trueZ: tg.LogZ,
		Scores: targets.Score(tg, f, draws, rand.New(rand.NewSource(seed+1)), rand.New(rand.NewSource(seed+2)))}
	if math.IsNaN(r.trueZ) {
		r.trueZ = targets.GridLogZ(tg, 7, 1400)
	}
	return r, nil
}

func (r result) row(seed int64, scale float64) string {
	kl := "–"
	if !math.IsNaN(r.KL) {
		kl = fmt.Sprintf("%.4f", r.KL)
	}
	truth := fmt.Sprintf("%.4f", r.trueZ)
	if math.IsNaN(r.tg.LogZ) {
		truth += " (grid)"
	}
	cmd := fmt.Sprintf("go run ./experiments/variational -targets %s -fits %s -seed %d", r.tg.Name, r.fit.name, seed)
	if scale != 1 {
		cmd += fmt.Sprintf(" -budget %g", scale)
	}
	return fmt.Sprintf("| %s | %s | %d | %.4f | %.4f | %s | %.3f | %s | %.0f s | `%s` |", r.tg.Name, r.fit.name,
		r.flow.NumParams(), r.ELBO, r.LogZ, truth, r.ESS, kl, r.secs, cmd)
}

// drawFigure writes the energies (top row) and the fitted flows' densities (bottom row) on
// [−4, 4]², as in Rezende & Mohamed (2015, Figure 3).
func drawFigure(path string, rs []result) error {
	box := [4]float64{-4, 4, -4, 4}
	var top, bottom []*plot.Plot
	for _, r := range rs {
		p, err := plots.Density2D(r.tg.LogDensities, box, 120, r.tg.Name+": exp(−U)")
		if err != nil {
			return err
		}
		q, err := plots.Density2D(r.flow.LogProbs, box, 120, fmt.Sprintf("%s %s (log Z %.3f of %.3f)", r.tg.Name, r.fit.name, r.LogZ, r.trueZ))
		if err != nil {
			return err
		}
		top, bottom = append(top, p), append(bottom, q)
	}
	return plots.SavePNGTitled(path, "reverse-KL fits to the energies of Rezende & Mohamed (2015)", len(rs), 320, append(top, bottom...)...)
}
