package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/trainer"
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
	selection, base, dtype     string
	explicit                   map[string]bool // the flags given on the command line
	resume, ignoreHeader       bool
	seed                       int64
	soft                       softFlags // soft.go
}

func runFit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
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
	fs.StringVar(&f.checkpoint, "checkpoint", "", "checkpoint file written after every epoch and on interruption (with model selection: F.NAME per candidate)")
	fs.BoolVar(&f.resume, "resume", false, "resume from -checkpoint if it exists (refused when it belongs to other data or settings)")
	fs.BoolVar(&f.ignoreHeader, "ignore-header", false, "match the columns of -val and -test to -train by position, not by name")
	fs.Int64Var(&f.seed, "seed", 1, "random seed (weights, shuffling, validation split)")
	fs.StringVar(&f.dtype, "dtype", "float64", "precision of the training graph: float64, or float32 (mixed precision: the weights, Adam, validation and the model file stay float64)")
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
	if err := f.checkOutputs(); err != nil {
		return err
	}
	data, err := f.load()
	if err != nil {
		return err
	}
	d, rows := data.dim, data.rows()
	if settings.Epochs == 0 {
		settings.Epochs = trainer.AutoEpochs(rows, settings.BatchSize)
	}
	if settings.Patience == 0 {
		settings.Patience = trainer.AutoPatience(rows, settings.BatchSize)
	}
	if spec.Hidden == nil {
		spec.Hidden = distributions.DefaultHidden(d)
	}
	spec.Context = len(data.ctxNames)
	spec = f.resolveBase(spec, rows)
	cands := f.candidates(spec, d, rows)
	if len(cands) > 1 && f.checkpoint != "" {
		for _, c := range cands { // the checkpoints trainer.Select writes
			if err := f.checkCheckpoint(f.checkpoint + "." + c.Name); err != nil {
				return err
			}
		}
	}
	rng := data.rng
	flows := make([]*distributions.Flow, len(cands))
	models := make([]trainer.Candidate, len(cands))
	for i, c := range cands {
		if flows[i], err = distributions.Build(d, c.Spec, rng); err != nil {
			return usageError{err.Error()}
		}
		if f.standardize {
			flows[i].Layers = append([]layers.Layer{layers.StandardizeFrom(data.train.X)}, flows[i].Layers...)
		}
		models[i] = trainer.Candidate{Name: c.Name, Model: flows[i]}
		if data.ctxNames != nil {
			if models[i].Model, err = distributions.Conditional(flows[i]); err != nil {
				return err
			}
		}
	}
	trainX, valX := data.train.X, data.val.X
	if data.ctxNames != nil {
		trainX, valX = distributions.Concat(data.train.X, data.trainC), distributions.Concat(data.val.X, data.valC)
	}
	settings.Progress = stderr
	start := time.Now()
	best, outcomes, fitErr := trainer.SelectContext(ctx, models, trainX, valX, settings)
	if best < 0 {
		return fitErr
	}
	flow, model, res := flows[best], models[best].Model, outcomes[best].Result
	if fitErr == nil {
		var ft *trainer.Result
		if ft, fitErr = f.soft.finetune(ctx, flow, model, trainX, valX, settings, res, stderr); ft != nil {
			res = ft
		}
	}
	meta := f.meta(args, flow, res, settings, data)
	if len(cands) > 1 {
		meta["selected"] = cands[best].Name
		meta["candidates"] = candidateMeta(cands, outcomes)
		fmt.Fprintf(stdout, "selected %s on the validation split: %s\n", cands[best].Name, describeCandidates(meta["candidates"]))
	}
	if fitErr != nil {
		meta["error"] = fitErr.Error()
	}
	testNLL, haveTest := f.testNLL(flow, data, meta, stderr)
	if err := modelfile.Save(f.out, flow, meta); err != nil {
		return errors.Join(fitErr, err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d layers, %d parameters, %s base, best epoch %d of %d (%s), %.1fs\n",
		f.out, len(flow.Layers), countParams(flow), baseFlag(cands[best].Spec), res.BestEpoch, len(res.History), res.Stopped, time.Since(start).Seconds())
	fmt.Fprintf(stdout, "val_nll=%.6f\n", res.BestValNLL)
	if haveTest {
		fmt.Fprintf(stdout, "test_nll=%.6f\n", testNLL)
	}
	if fitErr != nil {
		return fmt.Errorf("%w; wrote it to %s%s", fitErr, f.out, f.resumeHint(fitErr))
	}
	return nil
}

// resumeHint tells how to continue an interrupted fit that has a checkpoint.
func (f fitFlags) resumeHint(err error) string {
	if f.checkpoint == "" || !errors.Is(err, trainer.ErrInterrupted) {
		return ""
	}
	return "; run the same command with -resume to continue from the checkpoint"
}

// meta is the model file's meta of a fit: the columns, the command, what the fit reached.
func (f fitFlags) meta(args []string, flow *distributions.Flow, res *trainer.Result, s trainer.Settings, data *fitData) modelfile.Meta {
	meta := modelfile.Meta{
		"columns":    data.train.Columns,
		"command":    "flow fit " + strings.Join(args, " "),
		"best_epoch": res.BestEpoch,
		"val_nll":    res.BestValNLL,
		"parameters": countParams(flow),
		"max_epochs": s.Epochs, // what -epochs and -patience resolved to (auto: from the row count)
		"patience":   s.Patience,
		"stopped":    res.Stopped,
		"dtype":      f.dtype,
	}
	if data.ctxNames != nil {
		meta["context"] = data.ctxNames
	}
	f.soft.annotate(meta)
	return meta
}

func countParams(f *distributions.Flow) int { return graph.CountParams(f.Params()) }
