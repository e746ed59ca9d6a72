package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand"
	"strconv"
	"strings"
	"time"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

type fitFlags struct {
	train, val, test, out      string
	layers                     int
	hidden, mask, act, between string
	order, contextCols         string
	residual, standardize      bool
	clamp                      float64
	epochs, batch              int
	patience                   string
	lr, decay, clip            float64
	schedule, checkpoint       string
	selection, base            string
	explicit                   map[string]bool // the flags given on the command line
	resume                     bool
	seed                       int64
	soft                       softFlags // soft.go
}

func runFit(args []string, stdout, stderr io.Writer) error {
	var f fitFlags
	fs := newFlags("fit", stderr)
	fs.StringVar(&f.train, "train", "", "training data (.csv with header, or .npy)")
	fs.StringVar(&f.val, "val", "", "validation data for early stopping (default: 10% of -train, held out)")
	fs.StringVar(&f.test, "test", "", "test data: its mean NLL is the last line printed")
	fs.StringVar(&f.out, "out", "", "model file to write (affine-injection-flow/v1 JSON)")
	fs.IntVar(&f.layers, "layers", 5, "number of affine injection layers")
	fs.StringVar(&f.selection, "select", "auto", "choose the model on the validation split: auto (when neither -layers nor -mask is given and there are fewer than 10,000 training rows, fit MAF-5, MAF-10 and 5 block-triangular layers, keep the best), always (the same at any size), none (fit the one model -layers and -mask describe)")
	fs.StringVar(&f.hidden, "hidden", "auto", "hidden widths of each conditioner, comma-separated (auto: 128,128 up to 16 dimensions, 512,512 beyond)")
	fs.StringVar(&f.mask, "mask", "made", "mask kind: "+strings.Join(distributions.MaskKinds(), ", ")+" (block:SIZES, e.g. block:2,3; banded:W, e.g. banded:2)")
	fs.StringVar(&f.act, "activation", "relu", "hidden activation: relu, tanh, elu, sigmoid, softplus, leaky_relu")
	fs.StringVar(&f.between, "between", "", "layers between the injection layers: actnorm, linear, actnorm+linear")
	fs.StringVar(&f.order, "order", "alternate", "autoregressive order from layer to layer: alternate (natural, reversed, ...) or random")
	fs.StringVar(&f.contextCols, "context-cols", "", "comma-separated columns to condition on: fits p(x | context) with x the other columns")
	fs.BoolVar(&f.residual, "residual", false, "residual hidden blocks (equal widths)")
	fs.StringVar(&f.base, "base", "auto", "base density of the noise: auto (student-t:10 below 10,000 training rows, normal from there on), normal (N(0, I)) or student-t:NU (a multivariate Student-t with NU degrees of freedom, heavier tails)")
	fs.Float64Var(&f.clamp, "scale-clamp", 3, "bound C on the log-scales, s = C·tanh(raw/C); 0: none")
	fs.BoolVar(&f.standardize, "standardize", true, "standardize with the training mean/std (stored as the model's first layer, log-det counted); -standardize=false: model the data as given")
	fs.IntVar(&f.epochs, "epochs", 0, "maximum epochs (0: trainer.AutoEpochs, a budget of 40,000 optimizer steps, at most 2000 epochs)")
	fs.StringVar(&f.patience, "patience", "auto", "early-stopping patience in epochs (auto: 30, at most about 5,000 optimizer steps; 0 or negative: none)")
	fs.IntVar(&f.batch, "batch", 256, "minibatch size")
	fs.Float64Var(&f.lr, "lr", 1e-3, "Adam learning rate")
	fs.StringVar(&f.schedule, "schedule", "constant", "learning-rate schedule: constant, cosine, step")
	fs.Float64Var(&f.decay, "weight-decay", 0, "decoupled weight decay")
	fs.Float64Var(&f.clip, "clip", 10, "gradient-norm clipping threshold (negative: none)")
	fs.StringVar(&f.checkpoint, "checkpoint", "", "checkpoint file written after every epoch")
	fs.BoolVar(&f.resume, "resume", false, "resume from -checkpoint if it exists")
	fs.Int64Var(&f.seed, "seed", 1, "random seed (weights, shuffling, validation split)")
	f.soft.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	f.explicit = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.explicit[fl.Name] = true })
	spec, settings, err := f.check()
	if err != nil {
		return err
	}
	train, err := dataset.Load(f.train)
	if err != nil {
		return err
	}
	d := len(train.Columns)
	rng := rand.New(rand.NewSource(f.seed))
	var val *dataset.Table
	if f.val != "" {
		if val, err = loadLike(f.val, f.train, d); err != nil {
			return err
		}
	} else {
		if train, val, err = holdOut(train, rng); err != nil {
			return fmt.Errorf("%s: %w", f.train, err)
		}
	}
	var test *dataset.Table
	if f.test != "" {
		if test, err = loadLike(f.test, f.train, d); err != nil {
			return err
		}
	}
	// with -context-cols every table splits into the modelled columns x and the context
	var trainC, valC, testC *mat.Dense
	var ctxNames []string
	if f.contextCols != "" {
		ctxNames = splitNames(f.contextCols)
		var dataNames []string
		for _, c := range train.Columns {
			if !contains(ctxNames, c) {
				dataNames = append(dataNames, c)
			}
		}
		if len(dataNames) == 0 {
			return usagef("-context-cols %q names every column of %s: nothing is left to model", f.contextCols, f.train)
		}
		if train, trainC, err = splitContext(train, f.train, dataNames, ctxNames); err != nil {
			return err
		}
		if val, valC, err = splitContext(val, f.val, dataNames, ctxNames); err != nil {
			return err
		}
		if test != nil {
			if test, testC, err = splitContext(test, f.test, dataNames, ctxNames); err != nil {
				return err
			}
		}
		d = len(dataNames)
		spec.Context = len(ctxNames)
	}
	rows, _ := train.X.Dims()
	if settings.Epochs == 0 {
		settings.Epochs = trainer.AutoEpochs(rows, settings.BatchSize)
	}
	if settings.Patience == 0 {
		settings.Patience = trainer.AutoPatience(rows, settings.BatchSize)
	}
	if spec.Hidden == nil {
		spec.Hidden = distributions.DefaultHidden(d)
	}
	spec = f.resolveBase(spec, rows)
	cands := f.candidates(spec, d, rows)
	flows := make([]*distributions.Flow, len(cands))
	models := make([]trainer.Candidate, len(cands))
	for i, c := range cands {
		if flows[i], err = distributions.Build(d, c.Spec, rng); err != nil {
			return usageError{err.Error()}
		}
		if f.standardize {
			flows[i].Layers = append([]layers.Layer{layers.StandardizeFrom(train.X)}, flows[i].Layers...)
		}
		models[i] = trainer.Candidate{Name: c.Name, Model: flows[i]}
		if ctxNames != nil {
			if models[i].Model, err = distributions.Conditional(flows[i]); err != nil {
				return err
			}
		}
	}
	trainX, valX := train.X, val.X
	if ctxNames != nil {
		trainX, valX = distributions.Concat(train.X, trainC), distributions.Concat(val.X, valC)
	}
	settings.Progress = stderr
	start := time.Now()
	best, outcomes, err := trainer.Select(models, trainX, valX, settings)
	if err != nil {
		return err
	}
	flow, model, res := flows[best], models[best].Model, outcomes[best].Result
	if res, err = f.soft.finetune(flow, model, trainX, valX, settings, res, stderr); err != nil {
		return err
	}
	meta := modelfile.Meta{
		"columns":    train.Columns,
		"command":    "flow fit " + strings.Join(args, " "),
		"best_epoch": res.BestEpoch,
		"val_nll":    res.BestValNLL,
		"parameters": countParams(flow),
		"max_epochs": settings.Epochs, // what -epochs and -patience resolved to (auto: from the row count)
		"patience":   settings.Patience,
	}
	if ctxNames != nil {
		meta["context"] = ctxNames
	}
	if len(cands) > 1 {
		meta["selected"] = cands[best].Name
		meta["candidates"] = candidateMeta(cands, outcomes)
		fmt.Fprintf(stdout, "selected %s on the validation split: %s\n", cands[best].Name, describeCandidates(meta["candidates"]))
	}
	f.soft.annotate(meta)
	last := fmt.Sprintf("val_nll=%.6f", res.BestValNLL)
	if test != nil {
		nll := meanNLL(flow, test.X, testC)
		meta["test_nll"] = nll
		last = fmt.Sprintf("test_nll=%.6f", nll)
	}
	if err := modelfile.Save(f.out, flow, meta); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d layers, %d parameters, %s base, best epoch %d of %d (%s), %.1fs\n",
		f.out, len(flow.Layers), countParams(flow), baseFlag(cands[best].Spec), res.BestEpoch, len(res.History), res.Stopped, time.Since(start).Seconds())
	fmt.Fprintf(stdout, "val_nll=%.6f\n", res.BestValNLL)
	if test != nil {
		fmt.Fprintln(stdout, last)
	}
	return nil
}

func (f fitFlags) check() (distributions.Spec, trainer.Settings, error) {
	var spec distributions.Spec
	var s trainer.Settings
	for _, r := range [][2]string{{"train", f.train}, {"out", f.out}} {
		if err := required(r[0], r[1]); err != nil {
			return spec, s, err
		}
	}
	var hidden []int // nil: distributions.DefaultHidden once the width is known
	if f.hidden != "auto" {
		var err error
		if hidden, err = distributions.ParseInts(f.hidden); err != nil {
			return spec, s, usagef("-hidden %q: %v", f.hidden, err)
		}
	}
	act, err := layers.ParseActivation(f.act)
	if err != nil {
		return spec, s, usagef("-activation: %v", err)
	}
	switch {
	case f.layers < 1:
		return spec, s, usagef("-layers %d: want >= 1", f.layers)
	case f.epochs < 0:
		return spec, s, usagef("-epochs %d: want >= 1, or 0 for the automatic budget", f.epochs)
	case f.batch < 1:
		return spec, s, usagef("-batch %d: want >= 1", f.batch)
	case !(f.lr > 0):
		return spec, s, usagef("-lr %g: want > 0", f.lr)
	case f.clamp < 0:
		return spec, s, usagef("-scale-clamp %g: want >= 0", f.clamp)
	case f.decay < 0:
		return spec, s, usagef("-weight-decay %g: want >= 0", f.decay)
	case f.resume && f.checkpoint == "":
		return spec, s, usagef("-resume needs -checkpoint")
	}
	clamp := f.clamp
	if clamp == 0 {
		clamp = -1 // the Settings' "no bound"
	}
	patience := 0 // auto: trainer.AutoPatience once the number of rows is known
	if f.patience != "auto" {
		if patience, err = strconv.Atoi(f.patience); err != nil {
			return spec, s, usagef("-patience %q: want auto or a whole number of epochs (0 or negative: never stop early)", f.patience)
		}
		if patience == 0 {
			patience = -1 // the Settings' "never"
		}
	}
	nu, err := parseBase(f.base)
	if err != nil {
		return spec, s, err
	}
	spec = distributions.Spec{Layers: f.layers, Mask: f.mask, Hidden: hidden, Activation: act,
		ScaleClamp: clamp, Residual: f.residual, Between: f.between, Order: f.order, StudentT: nu}
	s = trainer.Settings{Epochs: f.epochs, BatchSize: f.batch, LearningRate: f.lr, Schedule: f.schedule,
		WeightDecay: f.decay, ClipNorm: f.clip, Patience: patience, Seed: f.seed,
		Checkpoint: f.checkpoint, Resume: f.resume}
	if err := f.soft.apply(&s, f.mask); err != nil {
		return spec, s, err
	}
	// the trainer and the builder know their own rules: ask them now, before reading any data
	if _, err := distributions.Build(1, distributions.Spec{Mask: "made", Between: f.between}, rand.New(rand.NewSource(1))); err != nil {
		return spec, s, usagef("-between: %v", err)
	}
	if f.order != "alternate" && f.order != "random" {
		return spec, s, usagef("-order %q: want alternate or random", f.order)
	}
	if f.contextCols != "" {
		names := splitNames(f.contextCols)
		for _, n := range names {
			if n == "" {
				return spec, s, usagef("-context-cols %q: empty column name", f.contextCols)
			}
		}
	}
	if name, _, _ := strings.Cut(f.mask, ":"); !contains(distributions.MaskKinds(), name) {
		return spec, s, usagef("-mask %q: unknown mask kind (known: %s)", f.mask, strings.Join(distributions.MaskKinds(), ", "))
	}
	if f.schedule != "constant" && f.schedule != "cosine" && f.schedule != "step" {
		return spec, s, usagef("-schedule %q: want constant, cosine or step", f.schedule)
	}
	return spec, s, f.checkSelect()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// loadLike loads path and checks it has the width of the training data.
func loadLike(path, trainPath string, d int) (*dataset.Table, error) {
	t, err := dataset.Load(path)
	if err != nil {
		return nil, err
	}
	if len(t.Columns) != d {
		return nil, fmt.Errorf("%s: %d columns, but the training data %s have %d", path, len(t.Columns), trainPath, d)
	}
	return t, nil
}

// holdOut splits off a random 10% of the rows (at least one) for validation.
func holdOut(t *dataset.Table, rng *rand.Rand) (train, val *dataset.Table, err error) {
	n, d := t.X.Dims()
	if n < 2 {
		return nil, nil, fmt.Errorf("%d rows: too few to hold out validation rows; give -val", n)
	}
	nv := max(1, n/10)
	perm := rng.Perm(n)
	pick := func(idx []int) *dataset.Table {
		x := mat.NewDense(len(idx), d, nil)
		for r, i := range idx {
			x.SetRow(r, t.X.RawRowView(i))
		}
		return &dataset.Table{Columns: t.Columns, X: x}
	}
	return pick(perm[nv:]), pick(perm[:nv]), nil
}

func countParams(f *distributions.Flow) int { return graph.CountParams(f.Params()) }

// splitNames splits a comma-separated list of column names, trimming spaces.
func splitNames(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(f))
	}
	return out
}

// splitContext returns the data columns of t and its context columns, by name; path names the
// file in errors.
func splitContext(t *dataset.Table, path string, dataNames, ctxNames []string) (*dataset.Table, *mat.Dense, error) {
	if path == "" {
		path = "the held-out rows"
	}
	x, err := t.Select(dataNames)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	c, err := t.Select(ctxNames)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: -context-cols: %w", path, err)
	}
	return x, c.X, nil
}

// meanNLL is the mean of -log p(x | ctx) (ctx nil: an unconditional flow).
func meanNLL(f *distributions.Flow, x, ctx *mat.Dense) float64 {
	s := 0.0
	lp := f.LogProbsContext(x, ctx)
	for _, v := range lp {
		s -= v
	}
	return s / float64(len(lp))
}
