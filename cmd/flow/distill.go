package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"sort"
	"strings"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/stat"
)

// distillDraws is how many teacher samples estimate KL(teacher ‖ student), and how many rows time
// each model's sampling.
const distillDraws = 20000

// runDistill fits an inverted (IAF, one-pass sampling) student to a teacher model file
// (Papamakarios et al. 2017, §3.3 on MAF and IAF): by maximum likelihood on teacher samples
// (-loss forward, KL(teacher ‖ student)), or by reverse KL with the teacher's log-density as the
// target, the probability-density distillation of Parallel WaveNet (van den Oord et al. 2018).
func runDistill(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("distill", stderr)
	teacherPath := fs.String("teacher", "", "the teacher's model file (e.g. a MAF fitted by flow fit)")
	out := fs.String("out", "", "the student's model file to write")
	nl := fs.Int("layers", 5, "the student's MADE layers")
	direction := fs.String("direction", "iaf", "the student's direction: iaf (inverted layers: one-pass sampling) or maf (the teacher's own family: a smaller model, or the baseline an IAF student is measured against)")
	hidden := fs.String("hidden", "auto", "the student's hidden widths (auto: 128,128 up to 16 dimensions, 512,512 beyond)")
	act := fs.String("activation", "auto", "the student's hidden activation: auto (the teacher's) or one of flow fit's")
	loss := fs.String("loss", "auto", "auto: mirror when the teacher's layers can be mirrored, its activation is bounded (tanh, sigmoid) and no flag of the other fits (-layers, -warmup, -redraw, -direction maf) is given, else forward; forward: maximum likelihood on teacher samples (minimizes KL(teacher ‖ student), which covers the teacher's tails); reverse: KL(student ‖ teacher) on the student's own draws (Parallel WaveNet's density distillation; mode-seeking); mirror: one inverted layer per teacher layer, each fitted by regression to the exact inverse of its teacher layer (a teacher of MADE affine layers; -layers does not apply)")
	samples := fs.Int("samples", 50000, "-loss forward: teacher samples to fit; mirror: fresh rows per epoch (a tenth more are held out for early stopping)")
	epochs := fs.Int("epochs", 0, "epochs (0: 30 over the samples for -loss forward, 100 of 64 batches of fresh draws for reverse, 100 for mirror)")
	lr := fs.Float64("lr", 1e-3, "Adam learning rate")
	schedule := fs.String("schedule", "cosine", "learning-rate schedule: constant, cosine, step")
	patience := fs.Int("patience", 20, "early stopping on the held-out ELBO (epochs; negative: none)")
	seed := fs.Int64("seed", 1, "random seed")
	redraw := fs.Bool("redraw", false, "-loss forward: draw the -samples teacher samples afresh every epoch (trainer.FitDraws: no overfitting to one sample set)")
	warmup := fs.Int("warmup", 0, "-direction iaf: epochs of a warm start that first fits the student's sampler to the teacher's by least squares on shared base draws (0: none)")
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, r := range [][2]string{{"teacher", *teacherPath}, {"out", *out}} {
		if err := required(r[0], r[1]); err != nil {
			return err
		}
	}
	if *nl < 1 || *epochs < 0 || !(*lr > 0) || *samples < 1 || *warmup < 0 {
		return usagef("-layers %d, -epochs %d, -lr %g, -samples %d, -warmup %d: want positive values", *nl, *epochs, *lr, *samples, *warmup)
	}
	if *warmup > 0 && *direction != "iaf" {
		return usagef("-warmup %d: only with -direction iaf (a MAF student samples by its sequential inverse)", *warmup)
	}
	if *direction != "iaf" && *direction != "maf" {
		return usagef("-direction %q: want iaf or maf", *direction)
	}
	if *loss != "auto" && *loss != "forward" && *loss != "reverse" && *loss != "mirror" {
		return usagef("-loss %q: want auto, forward, reverse or mirror", *loss)
	}
	var others []string // flags of the other fits, which -loss mirror does not take
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "layers" || f.Name == "warmup" || f.Name == "redraw" || f.Name == "direction" && *direction != "iaf" {
			others = append(others, "-"+f.Name)
		}
	})
	if *loss == "mirror" && len(others) > 0 {
		return usagef("%s: not with -loss mirror (its student is an IAF of the teacher's layers, fitted on fresh rows)", strings.Join(others, ", "))
	}
	if err := checkOutput("out", *out, *teacherPath); err != nil {
		return err
	}
	teacher, meta, err := modelfile.Load(*teacherPath)
	if err != nil {
		return err
	}
	widths, a, err := studentShape(teacher, *hidden, *act)
	if err != nil {
		return err
	}
	var student *distributions.Flow
	var mir *mirror
	if *loss == "mirror" || *loss == "auto" && len(others) == 0 {
		student, mir, err = mirrorStudent(teacher, widths, a, *seed)
		if err != nil && *loss == "mirror" {
			return usagef("-loss mirror: %v", err)
		}
	}
	if *loss == "auto" { // say which, and why
		why := strings.Join(others, ", ") + " given"
		switch act := teacherActivation(teacher); {
		case mir != nil && act != layers.Tanh && act != layers.Sigmoid:
			mir, *loss, why = nil, "forward", fmt.Sprintf("the teacher's activation %s is unbounded: the far tails of its sampler, which a mirror is not fitted on, would rule the KL", act)
		case mir != nil:
			*loss, why = "mirror", "the teacher's layers can be mirrored"
		case err != nil:
			*loss, why = "forward", err.Error()
		default:
			*loss = "forward"
		}
		fmt.Fprintf(stderr, "-loss auto: %s (%s)\n", *loss, why)
	}
	if mir == nil {
		if student, err = newStudent(teacher, *nl, widths, a, *direction == "iaf", *seed); err != nil {
			return err
		}
	}
	start := time.Now()
	settings := trainer.Settings{Epochs: *epochs, LearningRate: *lr, Schedule: *schedule, Patience: *patience, Seed: *seed, Progress: stderr}
	var res *trainer.Result
	var fitErr error
	if *warmup > 0 {
		w := settings
		w.Epochs = *warmup
		res, fitErr = warmStart(ctx, teacher, student, *samples, *seed, w) // interrupted: keep what it has
	}
	switch {
	case fitErr != nil:
	case *loss == "mirror":
		settings.Epochs = cmp.Or(*epochs, 100)
		res, fitErr = fitMirror(ctx, mir, *samples, settings)
	case *loss == "reverse":
		settings.Epochs = cmp.Or(*epochs, 100)
		res, fitErr = trainer.FitVariational(ctx, student, teacher.LogProb, settings)
	case *redraw:
		settings.Epochs, settings.Draws, settings.ValDraws = cmp.Or(*epochs, 30), *samples, max(1, *samples/10)
		res, fitErr = trainer.FitDraws(ctx, student, teacher.Sample, settings)
	default:
		settings.Epochs = cmp.Or(*epochs, 30)
		train := teacher.Sample(*samples, rand.New(rand.NewSource(*seed+2)))
		val := teacher.Sample(max(1, *samples/10), rand.New(rand.NewSource(*seed+3)))
		res, fitErr = trainer.FitContext(ctx, student, train, val, settings)
	}
	if res == nil {
		return fitErr
	}
	xs, lt := teacher.SampleWithLogProb(distillDraws, rand.New(rand.NewSource(*seed+1)))
	ls := student.LogProbs(xs)
	for i := range lt {
		lt[i] -= ls[i]
	}
	kl := stat.Mean(lt, nil)
	sort.Float64s(lt) // the mean is ruled by the rows the student misses: say how the gaps spread
	med, p99 := stat.Quantile(0.5, stat.Empirical, lt, nil), stat.Quantile(0.99, stat.Empirical, lt, nil)
	tRate, sRate := sampleRate(teacher, *seed), sampleRate(student, *seed)
	smeta := modelfile.Meta{"command": "flow distill " + strings.Join(args, " "), "teacher": *teacherPath,
		"kl_teacher_student": kl, "gap_median": med, "gap_p99": p99, "loss": *loss, "direction": *direction, "warmup": *warmup, "redraw": *redraw, "best_epoch": res.BestEpoch, "epochs": len(res.History)}
	if cols, ok := meta["columns"]; ok {
		smeta["columns"] = cols
	}
	if err := modelfile.Save(*out, student, smeta); err != nil {
		return errors.Join(fitErr, err)
	}
	article := map[string]string{"iaf": "an IAF", "maf": "a MAF"}[*direction]
	how := map[string]string{"forward": "forward KL", "reverse": "reverse KL", "mirror": "layer-by-layer regression"}[*loss]
	fmt.Fprintf(stdout, "wrote %s: %s student of %d layers, %d parameters, fitted by %s, best epoch %d of %d (%s), %.1fs\n",
		*out, article, studentLayers(student), student.NumParams(), how, res.BestEpoch, len(res.History), res.Stopped, time.Since(start).Seconds())
	fmt.Fprintf(stdout, "kl_teacher_student=%.6f nats per row (on %d teacher samples; log t − log s per row: median %.4f, 99th percentile %.4f)\n", kl, distillDraws, med, p99)
	fmt.Fprintf(stdout, "sampling: teacher %.0f rows/s, student %.0f rows/s (%.1f×)\n", tRate, sRate, sRate/tRate)
	return fitErr
}

// studentShape returns the student's hidden widths (hidden, or "auto": distributions.DefaultHidden)
// and activation (act, or "auto": the teacher's, see teacherActivation).
func studentShape(teacher *distributions.Flow, hidden, act string) ([]int, layers.Activation, error) {
	if teacher.ContextDim() > 0 {
		return nil, "", usagef("-teacher: a conditional model (%d context inputs) cannot be distilled yet", teacher.ContextDim())
	}
	widths := distributions.DefaultHidden(teacher.Dim())
	if hidden != "auto" {
		var err error
		if widths, err = distributions.ParseInts(hidden); err != nil {
			return nil, "", usagef("-hidden %q: %v", hidden, err)
		}
	}
	a := teacherActivation(teacher)
	if act != "auto" {
		var err error
		if a, err = layers.ParseActivation(act); err != nil {
			return nil, "", usagef("-activation %q: %v", act, err)
		}
	}
	return widths, a, nil
}

// newStudent builds the student for teacher: the teacher's leading frozen standardization (shared,
// it has no parameters), then nl MADE layers (inverted: IAF), on N(0, I).
func newStudent(teacher *distributions.Flow, nl int, widths []int, a layers.Activation, inverse bool, seed int64) (*distributions.Flow, error) {
	d := teacher.Dim()
	body, err := distributions.Build(d, distributions.Spec{Layers: nl, Hidden: widths, Activation: a, Inverse: inverse}, rand.New(rand.NewSource(seed)))
	if err != nil {
		return nil, usageError{err.Error()}
	}
	var pre []layers.Layer
	for _, l := range teacher.Layers {
		e, ok := l.(*layers.ElementwiseAffine)
		if !ok || !e.Frozen {
			break
		}
		pre = append(pre, e)
	}
	body.Layers = append(pre, body.Layers...)
	if err := body.CanSampleGraph(); err != nil {
		return nil, err
	}
	return body, nil
}

// teacherActivation returns the hidden activation of the teacher's first conditioner network
// (ReLU when it has none). A student of the teacher's activation inherits the shape of its tails:
// a ReLU network's s and t grow linearly away from the data, so a ReLU MAF's sampler compounds
// them layer by layer (on power_subset a ReLU MAF-5 draws values beyond 3,000 standard deviations)
// and so does the sequential inverse of a ReLU IAF; with tanh both stay bounded.
func teacherActivation(teacher *distributions.Flow) layers.Activation {
	for _, l := range teacher.Layers {
		if v, ok := l.(*layers.Inverted); ok {
			l = v.L
		}
		if a, ok := l.(*layers.AffineInjection); ok {
			return a.Net.Act
		}
	}
	return layers.ReLU
}

// studentLayers counts the student's layers that are not its (shared) standardization.
func studentLayers(f *distributions.Flow) int {
	n := 0
	for _, l := range f.Layers {
		if e, ok := l.(*layers.ElementwiseAffine); !ok || !e.Frozen {
			n++
		}
	}
	return n
}

// sampleRate returns the rows per second of f's numeric sampler on distillDraws rows.
func sampleRate(f *distributions.Flow, seed int64) float64 {
	start := time.Now()
	f.Sample(distillDraws, rand.New(rand.NewSource(seed)))
	return distillDraws / time.Since(start).Seconds()
}
