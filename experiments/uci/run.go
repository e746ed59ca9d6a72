package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

// dataSets lists the folders of root: every data set.
func dataSets(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var sets []string
	for _, e := range entries {
		if e.IsDir() {
			sets = append(sets, e.Name())
		}
	}
	return sets, nil
}

// model is one row kind of the table: how to build the flow for data of width d. The MADE-based
// models use distributions.DefaultHidden (128×2 units, 512×2 for D > 16, the reference runs'
// widths), as `flow fit` does by default.
type model struct {
	spec func(d int) distributions.Spec
	// flowFit: trained as `flow fit` trains with no flags, whatever -epochs and -patience say: the
	// frozen standardization by the training mean/std first, trainer.AutoEpochs, AutoPatience, and
	// the model chosen on the validation split among distributions.DefaultCandidates (spec gives
	// their widths)
	flowFit bool
	// withSoft adds the soft-mask model ("soft") to the defaults' candidates
	withSoft bool
	// more names further models added to the defaults' candidates (e.g. "nsf5")
	more []string
}

var models = map[string]model{
	"made": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 1, Hidden: distributions.DefaultHidden(d)}
	}},
	"maf5": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 5, Hidden: distributions.DefaultHidden(d)}
	}},
	"maf10": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 10, Hidden: distributions.DefaultHidden(d)}
	}},
	"block": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 5, Hidden: distributions.DefaultHidden(d), Mask: distributions.BlockMask(d)}
	}},
	"soft": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 5, Hidden: []int{64, 64}, Mask: "soft"}
	}},
	// candidates for the defaults (the ablation in README.md): MAF-5 with layers between the MADEs,
	// or with 128×2 units whatever the width of the data
	"maf5-actnorm": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 5, Hidden: distributions.DefaultHidden(d), Between: "actnorm"}
	}},
	"maf5-linear": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 5, Hidden: distributions.DefaultHidden(d), Between: "linear"}
	}},
	"maf5-narrow": {spec: func(d int) distributions.Spec { return distributions.Spec{Layers: 5, Hidden: []int{128, 128}} }},
	// what `flow fit` does with no tuning flags: the training data's standardization, then MAF-5,
	// or below distributions.SelectRows training rows the best on validation of MAF-5, MAF-10 and
	// block, of DefaultHidden widths; lr 1e-3, batch 256, trainer.AutoEpochs and AutoPatience
	"defaults": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Hidden: distributions.DefaultHidden(d)}
	}, flowFit: true},
	// rational-quadratic spline transforms (issue 20): MAF-5 and block with splines of 8 bins on
	// [−3, 3] ("nsf5": the autoregressive neural spline flow), and the defaults with every
	// candidate a spline flow
	"nsf5": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 5, Hidden: distributions.DefaultHidden(d), Transform: layers.Spline(layers.DefaultSplineBins, 0)}
	}},
	"block-spline": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Layers: 5, Hidden: distributions.DefaultHidden(d), Mask: distributions.BlockMask(d),
			Transform: layers.Spline(layers.DefaultSplineBins, 0)}
	}},
	"defaults-spline": {spec: func(d int) distributions.Spec { // flow fit -transform spline
		return distributions.Spec{Hidden: distributions.DefaultHidden(d), Transform: layers.Spline(layers.DefaultSplineBins, 0)}
	}, flowFit: true},
	// the defaults with the spline block flow as a fifth candidate (README.md: spline transforms)
	"defaults-bspline": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Hidden: distributions.DefaultHidden(d)}
	}, flowFit: true, more: []string{"block-spline"}},
	// the defaults with the soft-mask flow as a fourth candidate (README.md: cross-validation)
	"defaults-soft": {spec: func(d int) distributions.Spec {
		return distributions.Spec{Hidden: distributions.DefaultHidden(d)}
	}, flowFit: true, withSoft: true},
}

func modelNames() []string {
	var names []string
	for n := range models {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// lookup finds a model by name and returns its base as -base spells it (recipe.Options.Base).
// NAME+tNU is model NAME with a Student-t base of NU degrees of freedom (distributions.StudentT),
// e.g. maf5+t10, NAME+tlearn with ν learned (distributions.LearnedStudentT), NAME+mogK with a learnable mixture of K diagonal Gaussians (distributions.Mixture),
// e.g. defaults+mog5, NAME+mademogK with MADE MoG (distributions.MADEMixture; maf5+mademog10 is
// the MAF paper's "MAF MoG (5)"), and NAME+normal with N(0, I); without a suffix the defaults have `flow
// fit`'s automatic base (distributions.AutoBase) and the other models N(0, I).
func lookup(name string) (model, string, error) {
	base, suffix, plus := strings.Cut(name, "+")
	m, ok := models[base]
	if !ok {
		return model{}, "", fmt.Errorf("unknown model %q (known: %v, each also as NAME+tNU, NAME+tlearn, NAME+mogK, NAME+mademogK or NAME+normal)", name, modelNames())
	}
	switch nuText, heavy := strings.CutPrefix(suffix, "t"); {
	case !plus && m.flowFit:
		return m, "auto", nil
	case !plus || suffix == "normal":
		return m, "normal", nil
	case suffix == "tlearn":
		return m, "student-t:learn", nil
	case heavy:
		if _, err := recipe.ParseBase("student-t:" + nuText); err == nil && nuText != "" {
			return m, "student-t:" + nuText, nil
		}
	case strings.HasPrefix(suffix, "mog"), strings.HasPrefix(suffix, "mademog"):
		spelled := "mog:" + strings.TrimPrefix(suffix, "mog")
		if k, ok := strings.CutPrefix(suffix, "mademog"); ok {
			spelled = "made-mog:" + k
		}
		if _, err := recipe.ParseBase(spelled); err == nil {
			return m, spelled, nil
		}
	}
	return model{}, "", fmt.Errorf("model %q: want NAME, NAME+normal, NAME+tNU with NU > 0 degrees of freedom, NAME+tlearn, NAME+mogK or NAME+mademogK", name)
}

type config struct {
	root             string
	epochs, patience int
	fitEpochs        int // at most this many epochs for flow fit's protocol (0: trainer.AutoEpochs)
	maxTrain         int
	seed             int64
	scores           string // folder for the per-row test scores (saveScores); "": none
	folds            int    // K of K-fold cross-validation over the pooled splits (crossValidate); 0: the fixed splits
	float32          bool   // train in float32 (trainer.Settings.Float32)
	models           string // folder for the fitted model files (saveModel); "": none
	bounds           bool   // -bounds auto: recipe.DetectBounds of the training rows (Options.Bounds)
}

type splits struct {
	train, val, test *mat.Dense
	columns          []string // the training file's column names
}

// load reads train/val/test (.csv or .npy, dataset.LoadSplits); miniboone trains on subset_train
// and stops early on subset_val (see its README.txt), and is tested on the exact MAF test split.
func load(root, set string, maxTrain int) (splits, error) {
	var names []string
	if set == "miniboone" {
		names = []string{"subset_train", "subset_val", "test"}
	}
	t, err := dataset.LoadSplits(filepath.Join(root, set), names...)
	if err != nil {
		return splits{}, fmt.Errorf("data set %q (-root %s): %w", set, root, err)
	}
	s := splits{t.Train.X, t.Val.X, t.Test.X, t.Train.Columns}
	if r, c := s.train.Dims(); maxTrain > 0 && r > maxTrain {
		s.train = mat.DenseCopyOf(s.train.Slice(0, maxTrain, 0, c))
	}
	return s, nil
}

// fitted is one model fitted to one split and scored on its test rows.
type fitted struct {
	lp   []float64 // log-likelihood of every test row
	kept string    // the candidate the defaults kept ("" for a single model)
	secs float64   // training time
	res  *recipe.Result
}

// options returns the recipe of model name for data of width d: the defaults are `flow fit` with
// no flags (recipe.Options' zero value, whatever -epochs and -patience say; -fit-epochs caps
// their epochs, as flow fit -epochs); the other models
// are the one Spec each, without the standardization, at -epochs (0: trainer.AutoEpochs) and
// -patience.
func (c config) options(name string, train *mat.Dense) (recipe.Options, error) {
	_, d := train.Dims()
	m, base, err := lookup(name)
	if err != nil {
		return recipe.Options{}, err
	}
	o := recipe.Options{Base: base, Train: trainer.Settings{Seed: c.seed, Progress: os.Stderr, Float32: c.float32}}
	if c.bounds {
		o.Bounds = recipe.DetectBounds(train, d)
	}
	if m.flowFit {
		o.Spec.Transform = m.spec(d).Transform // as flow fit -transform
		o.Train.Epochs = c.fitEpochs           // as flow fit -epochs (0: AutoEpochs)
		if m.withSoft {
			o.More = []distributions.Candidate{{Name: "soft", Spec: models["soft"].spec(d)}}
		}
		for _, name := range m.more {
			o.More = append(o.More, distributions.Candidate{Name: name, Spec: models[name].spec(d)})
		}
		return o, nil
	}
	o.Spec, o.Select, o.NoStandardize = m.spec(d), "none", true
	o.Train.Epochs, o.Train.Patience = c.epochs, c.patience
	return o, nil
}

// fit trains model name on s (for the defaults: every candidate, keeping the best on validation)
// and scores the test rows.
func (c config) fit(set string, s splits, name string) (fitted, error) {
	o, err := c.options(name, s.train)
	if err != nil {
		return fitted{}, err
	}
	start := time.Now()
	res, err := recipe.Fit(s.train, s.val, o)
	if err != nil {
		return fitted{}, err
	}
	out := fitted{secs: time.Since(start).Seconds(), res: res, lp: res.Flow.LogProbs(s.test)}
	if len(res.Plan.Candidates) > 1 {
		out.kept = res.Plan.Candidates[res.Kept].Name
		for _, o := range res.Outcomes {
			if o.Err == nil {
				fmt.Fprintf(os.Stderr, "%s %s: candidate %s: best validation NLL %.6f at epoch %d of %d\n", set, name, o.Name, o.Result.BestValNLL, o.Result.BestEpoch, len(o.Result.History))
			}
		}
	}
	if c.models != "" {
		if err := c.saveModel(set, name, s, out); err != nil {
			return fitted{}, err
		}
	}
	return out, nil
}

// run fits model name to the data set's splits and returns its table row.
func (c config) run(set string, s splits, name string) (string, error) {
	r, err := c.fit(set, s, name)
	if err != nil {
		return "", err
	}
	if c.scores != "" {
		if err := saveScores(c.scores, set, name, c.seed, r.lp); err != nil {
			return "", err
		}
		if r.kept != "" {
			if err := c.saveCandidates(set, name, s, r); err != nil {
				return "", err
			}
		}
	}
	label := name
	if r.kept != "" {
		label += " → " + r.kept
	}
	mean, se2 := meanSE2(r.lp)
	return fmt.Sprintf("| %s | %s | %.3f ± %.3f | %d | %.0f s | %d/%d | %s` |", set, label, mean, se2,
		r.res.Flow.NumParams(), r.secs, r.res.Fit.BestEpoch, len(r.res.Fit.History), c.command(set, name)), nil
}

// command is the start of the command that reproduces a row (without the closing backquote).
func (c config) command(set, name string) string {
	cmd := fmt.Sprintf("`go run ./experiments/uci -data %s -models %s -epochs %d -patience %d -seed %d", set, name, c.epochs, c.patience, c.seed)
	if c.maxTrain > 0 {
		cmd += fmt.Sprintf(" -max-train %d", c.maxTrain)
	}
	if c.fitEpochs > 0 {
		cmd += fmt.Sprintf(" -fit-epochs %d", c.fitEpochs)
	}
	if c.folds > 0 {
		cmd += fmt.Sprintf(" -folds %d", c.folds)
	}
	if c.float32 {
		cmd += " -dtype float32"
	}
	if c.bounds {
		cmd += " -bounds auto"
	}
	return cmd
}
