package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"strings"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/distributions/targets"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
)

// targetDraws is how many draws from the fitted flow estimate its ELBO, log Z and ESS (and, for a
// target with exact samples, how many of those estimate KL(p ‖ q)).
const targetDraws = 20000

// checkTarget checks the flags that say what to fit: -train (data) or -target (a density), and -out.
func (f fitFlags) checkTarget() error {
	if f.target == "" {
		if err := required("train", f.train); err != nil {
			return err
		}
		return required("out", f.out)
	}
	if _, err := targets.ByName(f.target); err != nil {
		return usagef("-target %q: unknown (known: %s)", f.target, strings.Join(targets.Names(), ", "))
	}
	for _, name := range []string{"train", "val", "test", "context-cols", "bounds", "discrete", "select", "standardize", "base"} {
		if f.explicit[name] {
			return usagef("-target fits a built-in density, not data: -%s does not apply (the base is N(0, I))", name)
		}
	}
	return required("out", f.out)
}

// fitTarget fits a flow to the built-in target by reverse KL (trainer.FitVariational) and writes
// an ordinary model file, whose meta records the target and the fit's ELBO, log Z and ESS.
func (f fitFlags) fitTarget(ctx context.Context, o recipe.Options, args []string, stdout, stderr io.Writer) error {
	tg, _ := targets.ByName(f.target)
	spec := o.Spec
	spec.Layers, spec.Mask = f.layers, f.mask
	if spec.Hidden == nil {
		spec.Hidden = distributions.DefaultHidden(tg.Dim)
	}
	flow, err := distributions.Build(tg.Dim, spec, rand.New(rand.NewSource(f.seed)))
	if err != nil {
		return usageError{err.Error()}
	}
	if err := flow.CanSampleGraph(); err != nil {
		return usagef("-target needs samples in the graph: %v", err)
	}
	s := o.Train
	s.Progress = stderr
	start := time.Now()
	res, fitErr := trainer.FitVariational(ctx, flow, tg.LogDensity, s)
	if res == nil {
		return fitErr
	}
	sc := targets.Score(tg, flow, targetDraws, rand.New(rand.NewSource(f.seed+1)), rand.New(rand.NewSource(f.seed+2)))
	meta := modelfile.Meta{"command": "flow fit " + strings.Join(args, " "), "target": tg.Name,
		"columns": targetColumns(tg.Dim), "elbo": sc.ELBO, "log_z": sc.LogZ,
		"ess": sc.ESS, "best_epoch": res.BestEpoch, "epochs": len(res.History), "stopped": res.Stopped}
	if !math.IsNaN(tg.LogZ) {
		meta["true_log_z"] = tg.LogZ
	}
	if !math.IsNaN(sc.KL) {
		meta["kl_p_q"] = sc.KL
	}
	if err := modelfile.Save(f.out, flow, meta); err != nil {
		return errors.Join(fitErr, err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d layers (%s), %d parameters, fitted to %s by reverse KL, best epoch %d of %d (%s), %.1fs\n",
		f.out, len(flow.Layers), directionName(spec.Inverse), flow.NumParams(), tg.Name, res.BestEpoch, len(res.History), res.Stopped, time.Since(start).Seconds())
	fmt.Fprintf(stdout, "elbo=%.6f log_z=%.6f ess=%.4f (on %d draws)\n", meta["elbo"], meta["log_z"], meta["ess"], targetDraws)
	if v, ok := meta["true_log_z"]; ok {
		fmt.Fprintf(stdout, "true_log_z=%.6f\n", v)
	}
	if v, ok := meta["kl_p_q"]; ok {
		fmt.Fprintf(stdout, "kl_p_q=%.6f (on %d exact samples)\n", v, targetDraws)
	}
	if fitErr != nil {
		return fmt.Errorf("%w; wrote it to %s%s", fitErr, f.out, f.resumeHint(fitErr))
	}
	return nil
}

func directionName(inverse bool) string {
	if inverse {
		return "iaf"
	}
	return "maf"
}

// targetColumns names a target's coordinates x1..xD.
func targetColumns(d int) []string {
	out := make([]string, d)
	for j := range out {
		out[j] = fmt.Sprintf("x%d", j+1)
	}
	return out
}
