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
	"github.com/affineflow/flow/distributions/targets"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/recipe"
	"github.com/affineflow/flow/trainer"
)

type fitFlags struct {
	train, val, test, out      string
	layers                     int
	hidden, mask, act, between string
	order, contextCols         string
	residual, standardize      bool
	clamp                      float64
	epochs, batch, shards      int
	patience                   string
	lr, decay, clip            float64
	schedule, checkpoint       string
	selection, base, dtype     string
	transform                  string
	direction, target          string
	bounds, discrete           string
	explicit                   map[string]bool // the flags given on the command line
	resume, ignoreHeader       bool
	seed                       int64
	soft                       softFlags // soft.go
}

func runFit(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	var f fitFlags
	fs := newFlags("fit", stderr)
	fs.StringVar(&f.train, "train", "", "training data (.csv with header, or .npy)")
	fs.StringVar(&f.val, "val", "", "validation data for early stopping (default: 10% of -train, held out)")
	fs.StringVar(&f.test, "test", "", "test data: its mean NLL is the last line printed")
	fs.StringVar(&f.out, "out", "", "model file to write (affine-injection-flow/v1 JSON)")
	fs.IntVar(&f.layers, "layers", 5, "number of affine injection layers")
	fs.StringVar(&f.selection, "select", "auto", "choose the model on the validation split: auto (when neither -layers nor -mask is given: below 10,000 training rows fit MAF-5, MAF-10, 5 block-triangular layers and the spline MAF-5, keep the best; from 10,000 rows on fit one model, the spline MAF-5 up to 16 columns and MAF-5 beyond), always (the same at any size), none (fit the one model -layers and -mask describe)")
	fs.StringVar(&f.hidden, "hidden", "auto", "hidden widths of each conditioner, comma-separated (auto: 128,128 up to 16 dimensions, 512,512 beyond)")
	fs.StringVar(&f.mask, "mask", "made", "mask kind, one of (distributions.Kinds):"+distributions.MaskHelp()+"\n")
	fs.StringVar(&f.act, "activation", "relu", "hidden activation: relu, tanh, elu, sigmoid, softplus, leaky_relu")
	fs.StringVar(&f.between, "between", "", "layers between the injection layers: actnorm, linear, actnorm+linear")
	fs.StringVar(&f.order, "order", "alternate", "autoregressive order from layer to layer: alternate (natural, reversed, ...) or random")
	fs.StringVar(&f.contextCols, "context-cols", "", "comma-separated columns to condition on: fits p(x | context) with x the other columns")
	fs.StringVar(&f.bounds, "bounds", "", "supports of bounded columns: name=lo:hi (a logit layer), name=lo: or name=:hi (one-sided: an inverse-softplus layer), comma-separated, or auto ((0, 1) for a column strictly inside it, (0, ∞) for one of positive values); the model has no mass outside and its samples stay inside; every -train, -val and -test value must lie strictly inside")
	fs.StringVar(&f.discrete, "discrete", "", "integer-valued columns, name,... or auto (every column of integers): dequantized (x + u, u ~ U(0, 1)) for training, so the density does not collapse onto the integers; test_nll is then an upper bound on the discrete NLL, and flow sample rounds these columns down")
	fs.BoolVar(&f.residual, "residual", false, "residual hidden blocks (equal widths)")
	fs.StringVar(&f.base, "base", "auto", "base density of the noise: auto (student-t:10 below 10,000 training rows; from there on made-mog:10 up to 16 columns, normal beyond), normal (N(0, I)), student-t:NU (a multivariate Student-t with NU degrees of freedom, heavier tails), student-t:learn (ν learned, from 10) mog:K (a learnable mixture of K diagonal Gaussians) or made-mog:K (MADE MoG: each dimension a mixture of K Gaussians given the earlier ones, the base of MAF MoG)")
	fs.StringVar(&f.transform, "transform", "affine", fmt.Sprintf("element-wise map of every layer: affine (y = x·exp(s) + t), or spline[:K[,B]] (a monotone rational-quadratic spline of K bins on [−B, B], identity outside; default K = %d, B = %g; Durkan et al. 2019)", layers.DefaultSplineBins, layers.DefaultSplineBound))
	fs.StringVar(&f.direction, "direction", "auto", "which pass of every layer is the one-pass one: maf (the density: fast scoring, sequential sampling), iaf (the sampling: layers.Inverted, fast sampling, sequential scoring; affine maps, no block or linear layers); auto: maf for data, iaf for -target")
	fs.StringVar(&f.target, "target", "", "fit to a built-in unnormalized density by reverse KL instead of to data (no -train): "+strings.Join(targets.Names(), ", ")+"; prints the ELBO, the importance-sampling log Z and the ESS")
	fs.Float64Var(&f.clamp, "scale-clamp", layers.DefaultScaleClamp, "bound C > 0 on the log-scales, s = C·tanh(raw/C); negative: none (s = raw)")
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
	fs.IntVar(&f.shards, "shards", 1, "run every batch as this many shares of rows, each through its own copy of the training graph on its own goroutine (the gradient is their row-weighted mean: one graph's up to the last bits); 2 puts both cores to work on a small model, whose products are too small to split")
	f.soft.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	f.explicit = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.explicit[fl.Name] = true })
	opts, err := f.check()
	if err != nil {
		return err
	}
	if err := f.checkOutputs(); err != nil {
		return err
	}
	if f.target != "" {
		return f.fitTarget(ctx, opts, args, stdout, stderr)
	}
	comm, finalize, err := worldComm()
	if err != nil {
		return err
	}
	defer func() {
		if err == nil { // a failed rank exits without MPI_Finalize, so that mpirun ends the job
			finalize()
		}
	}()
	rank := 0
	if comm != nil { // under mpirun (-tags mpi): every rank fits its share of each batch, rank 0 writes
		opts.Train.Comm, rank = comm, comm.Rank()
		if rank != 0 {
			stdout, stderr = io.Discard, io.Discard
		}
	}
	data, err := f.load()
	if err != nil {
		return err
	}
	opts.Context, opts.Rand, opts.Train.Progress = len(data.ctxNames), data.rng, stderr
	if err := f.columnKinds(&opts, data, stderr); err != nil {
		return err
	}
	plan, err := opts.Plan(data.dim, data.rows())
	if err != nil {
		return usageError{err.Error()}
	}
	if len(plan.Candidates) > 1 && f.checkpoint != "" {
		for _, c := range plan.Candidates { // the checkpoints trainer.Select writes
			if err := f.checkCheckpoint(f.checkpoint + "." + c.Name); err != nil {
				return err
			}
		}
	}
	trainX, valX := data.train.X, data.val.X
	if data.ctxNames != nil {
		trainX, valX = distributions.Concat(data.train.X, data.trainC), distributions.Concat(data.val.X, data.valC)
	}
	start := time.Now()
	res, fitErr := recipe.FitContext(ctx, trainX, valX, opts)
	var specErr *recipe.SpecError
	switch {
	case errors.As(fitErr, &specErr):
		return usageError{fitErr.Error()}
	case res == nil, rank != 0:
		return fitErr
	}
	meta := f.meta(args, res, fitErr, data)
	if len(plan.Candidates) > 1 {
		fmt.Fprintf(stdout, "selected %s on the validation split: %s\n", meta["selected"], describeCandidates(meta["candidates"]))
	}
	testNLL, haveTest := f.testNLL(res.Flow, data, meta, stderr)
	if err := modelfile.Save(f.out, res.Flow, meta); err != nil {
		return errors.Join(fitErr, err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d layers, %d parameters, %s base, best epoch %d of %d (%s), %.1fs\n",
		f.out, len(res.Flow.Layers), res.Flow.NumParams(), plan.Base.String(), res.Fit.BestEpoch, len(res.Fit.History), res.Fit.Stopped, time.Since(start).Seconds())
	fmt.Fprintf(stdout, "val_nll=%.6f\n", res.Fit.BestValNLL)
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

// meta is the model file's meta of a fit: the recipe's record of it (recipe.Result.Meta), the
// columns and the command.
func (f fitFlags) meta(args []string, res *recipe.Result, fitErr error, data *fitData) modelfile.Meta {
	meta := modelfile.Meta(res.Meta(fitErr))
	meta["columns"] = data.train.Columns
	meta["command"] = "flow fit " + strings.Join(args, " ")
	if len(data.discrete) > 0 {
		var names []string
		for _, j := range data.discrete {
			names = append(names, data.train.Columns[j])
		}
		meta["discrete"] = names
	}
	if data.ctxNames != nil {
		meta["context"] = data.ctxNames
	}
	return meta
}
