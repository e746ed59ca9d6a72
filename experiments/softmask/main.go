// Command softmask measures how well learnable soft masks recover a known sparse dependency
// structure. For each of -graphs random DAGs (D variables, 1.5 parents on average) it samples
// data from a nonlinear additive-noise structural model (sem.go), fits one-layer flows in a random
// linear extension of the DAG's order (so the mask's support holds every true edge), and prints
// for each: the AUROC of the learned mask as a ranking of true parents above absent edges, the
// SHD after hardening (at 0.5 and to the true edge count), and the held-out NLL against the hard
// full mask, the true-parents mask and the true density.
//
//	go run ./experiments/softmask
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"strings"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
)

type config struct {
	d, n, graphs, epochs, finetune int
	hidden                         []int
	sparsity, lr, parents, init    float64
	batch                          int
	schedule                       string
	seed                           int64
	made, verbose, baselines       bool
	orders                         int // > 0: also fit soft masks in this many random orders (the order unknown)
}

func main() {
	var c config
	var hidden string
	flag.IntVar(&c.d, "d", 10, "variables")
	flag.Float64Var(&c.parents, "parents", 1.5, "mean number of parents")
	flag.IntVar(&c.n, "n", 5000, "training rows (validation: n/5, test: n)")
	flag.IntVar(&c.graphs, "graphs", 3, "random graphs")
	flag.IntVar(&c.epochs, "epochs", 100, "maximum epochs of each fit")
	flag.IntVar(&c.finetune, "finetune", 20, "fine-tuning epochs after hardening at 0.5")
	flag.StringVar(&hidden, "hidden", "32,32", "hidden widths of the conditioners")
	flag.Float64Var(&c.sparsity, "sparsity", trainer.DefaultSparsity, "λ of the penalty λ·Σ M")
	flag.Float64Var(&c.lr, "lr", 6e-3, "Adam learning rate")
	flag.Float64Var(&c.init, "init", layers.DefaultMaskInit, "initial soft mask value σ(L)")
	flag.IntVar(&c.batch, "batch", 256, "minibatch size")
	flag.StringVar(&c.schedule, "schedule", "cosine", "learning-rate schedule")
	flag.BoolVar(&c.made, "made", true, "also fit MADE with soft gates and plain MADE")
	flag.BoolVar(&c.baselines, "baselines", true, "also fit the hard-mask injection flows")
	flag.Int64Var(&c.seed, "seed", 1, "random seed")
	flag.IntVar(&c.orders, "orders", 0, "also learn the structure with the order unknown: soft masks in this many random orders, combined (0: off)")
	flag.BoolVar(&c.verbose, "v", false, "print each learned injection mask (true parents starred)")
	flag.Parse()
	for _, f := range strings.Split(hidden, ",") {
		var h int
		if _, err := fmt.Sscan(f, &h); err != nil || h < 1 {
			fmt.Fprintf(os.Stderr, "softmask: -hidden %q\n", hidden)
			os.Exit(2)
		}
		c.hidden = append(c.hidden, h)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "softmask:", err)
		os.Exit(1)
	}
}

// row is one line of the table.
type row struct {
	graph, model        string
	auroc               float64
	shdHalf, shdTop, kk int // SHD after hardening at 0.5 (kk edges kept) and to the true count
	nll                 float64
	secs                float64
}

func run(c config) error {
	fmt.Printf("D=%d, %.1f parents on average, %d training rows, hidden %v, λ=%g, lr=%g, %d epochs (+%d fine-tuning)\n\n",
		c.d, c.parents, c.n, c.hidden, c.sparsity, c.lr, c.epochs, c.finetune)
	fmt.Println("| graph | model | AUROC | SHD@0.5 (edges kept) | SHD@top-k | test NLL | seconds |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|")
	var all []row
	for gi := 0; gi < c.graphs; gi++ {
		rows, err := runGraph(c, gi)
		if err != nil {
			return err
		}
		for _, r := range rows {
			fmt.Println(r.String())
		}
		all = append(all, rows...)
	}
	fmt.Println()
	fmt.Println("| mean over graphs | AUROC | SHD@0.5 | SHD@top-k | test NLL |")
	fmt.Println("|---|---:|---:|---:|---:|")
	var order []string
	seen := map[string]bool{}
	for _, r := range all {
		if !seen[r.model] {
			seen[r.model] = true
			order = append(order, r.model)
		}
	}
	for _, m := range order {
		var a, s1, s2, nll float64
		k := 0
		for _, r := range all {
			if r.model == m {
				a, s1, s2, nll = a+r.auroc, s1+float64(r.shdHalf), s2+float64(r.shdTop), nll+r.nll
				k++
			}
		}
		kf := float64(k)
		fmt.Printf("| %s | %s | %s | %s | %.4f |\n", m, num(a/kf, "%.3f"), num(s1/kf, "%.1f"), num(s2/kf, "%.1f"), nll/kf)
	}
	return nil
}

func num(v float64, f string) string {
	if math.IsNaN(v) || v < 0 {
		return "–"
	}
	return fmt.Sprintf(f, v)
}

func (r row) String() string {
	shd := "–"
	if r.shdHalf >= 0 {
		shd = fmt.Sprintf("%d (%d)", r.shdHalf, r.kk)
	}
	top := "–"
	if r.shdTop >= 0 {
		top = fmt.Sprint(r.shdTop)
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %.4f | %.0f |", r.graph, r.model, num(r.auroc, "%.3f"), shd, top, r.nll, r.secs)
}

// runGraph draws graph gi, its data and a flow order, and fits every model.
func runGraph(c config, gi int) ([]row, error) {
	rng := rand.New(rand.NewSource(c.seed*7919 + int64(gi)))
	sem := RandomSEM(c.d, c.parents, rng)
	train, val, test := sem.Sample(c.n, rng), sem.Sample(c.n/5, rng), sem.Sample(c.n, rng)
	order := sem.LinearExtension(rng)
	truth, allowed := sem.Truth(), masks.Dependency(order)
	name := fmt.Sprintf("%d (%d edges)", gi+1, sem.Edges())
	blank := row{graph: name, auroc: math.NaN(), shdHalf: -1, shdTop: -1}
	var rows []row

	r := blank
	r.model, r.nll = "true density", distributions.MeanNLL(sem.LogProb(test))
	rows = append(rows, r)

	settings := c.settings()
	fit := func(model string, l layers.Layer, score func() *mat.Dense) (row, *distributions.Flow, error) {
		f := &distributions.Flow{Base: distributions.StandardNormal{D: c.d}, Layers: []layers.Layer{l}}
		start := time.Now()
		if _, err := trainer.Fit(f, train, val, settings); err != nil {
			return row{}, nil, fmt.Errorf("graph %d, %s: %w", gi+1, model, err)
		}
		r := blank
		r.model, r.nll, r.secs = model, distributions.MeanNLL(f.LogProbs(test)), time.Since(start).Seconds()
		if score != nil {
			s := score()
			r.auroc = AUROC(s, truth, allowed)
			half := masks.Harden(s, 0.5)
			half.MulElem(half, allowed)
			r.shdHalf, r.kk = SHD(half, truth), int(mat.Sum(half))
			r.shdTop = SHD(TopK(s, allowed, sem.Edges()), truth)
		}
		return r, f, nil
	}
	lrng := rand.New(rand.NewSource(c.seed))
	inj := func(m *mat.Dense, learn bool) *layers.Injection {
		l, err := layers.NewInjection(order, layers.InjectionSettings{Hidden: c.hidden, Mask: m, LearnMask: learn, MaskInit: c.init}, lrng)
		if err != nil {
			panic(err)
		}
		return l
	}

	soft := inj(nil, true)
	r, f, err := fit("injection soft", soft, soft.EffectiveMask)
	if err != nil {
		return nil, err
	}
	rows = append(rows, r)
	if c.verbose {
		printMask(os.Stdout, soft.EffectiveMask(), truth, allowed)
	}
	// harden at 0.5 and fine-tune with the hard mask
	start := time.Now()
	f.HardenMasks(0.5)
	ft := settings
	ft.Epochs = c.finetune
	if _, err := trainer.Fit(f, train, val, ft); err != nil {
		return nil, fmt.Errorf("graph %d, fine-tuning: %w", gi+1, err)
	}
	r = blank
	r.model, r.nll, r.secs = "injection soft → hard@0.5, fine-tuned", distributions.MeanNLL(f.LogProbs(test)), time.Since(start).Seconds()
	rows = append(rows, r)

	if c.orders > 0 {
		unknown, err := orderUnknown(c, sem, train, val, test, rand.New(rand.NewSource(c.seed*104729+int64(gi))))
		if err != nil {
			return nil, err
		}
		for k := range unknown {
			unknown[k].graph = name
		}
		rows = append(rows, unknown...)
	}

	for _, m := range []struct {
		name string
		mask *mat.Dense
	}{{"injection hard full mask", nil}, {"injection hard true parents", truth}} {
		if !c.baselines {
			break
		}
		r, _, err := fit(m.name, inj(m.mask, false), nil)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	if !c.made {
		return rows, nil
	}
	gatedLayer, err := layers.NewAffineInjection(order, layers.AffineSettings{Hidden: c.hidden}, lrng)
	if err != nil {
		return nil, err
	}
	if err := gatedLayer.LearnGates(layers.DefaultMaskInit); err != nil {
		return nil, err
	}
	if r, _, err = fit("made soft gates (path strength)", gatedLayer, gatedLayer.Strength); err != nil {
		return nil, err
	}
	rows = append(rows, r)
	plain, err := layers.NewAffineInjection(order, layers.AffineSettings{Hidden: c.hidden}, lrng)
	if err != nil {
		return nil, err
	}
	if r, _, err = fit("made hard (path strength)", plain, plain.Strength); err != nil {
		return nil, err
	}
	rows = append(rows, r)
	return rows, nil
}

// settings are the trainer settings of every fit: the full epoch budget with a cosine schedule, no
// early stopping.
func (c config) settings() trainer.Settings {
	s := trainer.Settings{Epochs: c.epochs, LearningRate: c.lr, Schedule: c.schedule, BatchSize: c.batch, Patience: -1,
		Seed: c.seed, Sparsity: c.sparsity}
	if c.verbose {
		s.Progress = os.Stderr
	}
	return s
}

// printMask writes the learned mask row by row: M[i][j] in percent, "*" after a true parent, "."
// outside the support.
func printMask(w *os.File, m, truth, allowed *mat.Dense) {
	d, _ := m.Dims()
	for i := 0; i < d; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "x%-2d <-", i)
		for j := 0; j < d; j++ {
			switch {
			case allowed.At(i, j) == 0:
				b.WriteString("     .")
			case truth.At(i, j) != 0:
				fmt.Fprintf(&b, " %4.0f*", 100*m.At(i, j))
			default:
				fmt.Fprintf(&b, " %4.0f ", 100*m.At(i, j))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}
