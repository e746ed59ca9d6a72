// Command blocks compares block-triangular flows with K = 2, 4, …, D blocks on a real data set at
// (approximately) equal parameter count: test NLL against sampling speed.
//
//	go run ./experiments/blocks [-data ../shared/data/protein] [-ks 2,4,6,8,10] [-epochs 20] [-out out/blocks]
//
// Every flow is `distributions.Build(D, Spec{Layers: 5, Mask: "block:SIZES", Hidden: [H, H]})`:
// per layer an AffineInjection whose conditioner of block k sees blocks 1..k-1, then a
// block-diagonal Linear (LU) mixing inside each block (none for K = D, the MAF). K = D is the
// masked autoregressive flow, K = 2 a RealNVP-style coupling flow. H is chosen per K so that the
// number of effective parameters (weights not masked out, biases, the Linear maps' used LU
// entries) is the closest to that of the K = D flow with -hidden units. The table goes to stdout
// and <out>/table.md, the plot of test NLL against samples/s to <out>/blocks.png.
package main

import (
	"flag"
	"fmt"
	"image/color"
	"io"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/affineflow/flow/internal/atomicfile"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/plots"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

type config struct {
	data, out         string
	ks                []int
	layers, hidden    int
	epochs, patience  int
	batch, trainRows  int
	lr                float64
	sampleN, sampleMS int
	seed              int64
}

type result struct {
	K, Hidden, Params, Epochs int
	Sizes                     []int
	TestNLL, TrainSec         float64
	BatchRate, OneRate        float64 // samples/s drawing sampleN at once, and one at a time
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "blocks:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("blocks", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.data, "data", "../shared/data/protein", "folder with train.csv, val.csv, test.csv")
	ks := fs.String("ks", "", "block counts, comma-separated (default 2, 4, …, D: the even numbers up to D, and D)")
	fs.IntVar(&c.layers, "layers", 5, "block layers")
	fs.IntVar(&c.hidden, "hidden", 64, "hidden width of the K = D flow; the other K match its parameter count")
	fs.IntVar(&c.epochs, "epochs", 20, "maximum epochs")
	fs.IntVar(&c.patience, "patience", 5, "early-stopping patience (epochs)")
	fs.IntVar(&c.batch, "batch", 512, "minibatch size")
	fs.IntVar(&c.trainRows, "train-rows", 0, "use only the first N training rows (0: all)")
	fs.Float64Var(&c.lr, "lr", 2e-3, "Adam learning rate (cosine schedule)")
	fs.IntVar(&c.sampleN, "sample-n", 1000, "batch size of the sampling-speed measurement")
	fs.IntVar(&c.sampleMS, "sample-ms", 1500, "milliseconds spent measuring each sampling speed")
	fs.StringVar(&c.out, "out", "out/blocks", "directory for table.md and blocks.png (created if missing)")
	fs.Int64Var(&c.seed, "seed", 1, "seed of the weights and the minibatch order")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var split [3]*mat.Dense
	for k, name := range []string{"train", "val", "test"} {
		t, err := dataset.Load(filepath.Join(c.data, name+".csv"))
		if err != nil {
			return err
		}
		split[k] = t.X
	}
	n, d := split[0].Dims()
	if c.trainRows > 0 && c.trainRows < n {
		split[0] = mat.DenseCopyOf(split[0].Slice(0, c.trainRows, 0, d))
	}
	var err error
	if c.ks, err = parseKs(*ks, d); err != nil {
		return err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	target := effectiveParams(mustBuild(d, d, c.hidden, c.layers))
	fmt.Fprintf(stderr, "blocks: %s, D=%d, %d train rows; target %d effective parameters (K=D, hidden %d)\n",
		c.data, d, func() int { r, _ := split[0].Dims(); return r }(), target, c.hidden)
	var rows []result
	for _, k := range c.ks {
		r, err := runK(c, d, k, target, split)
		if err != nil {
			return fmt.Errorf("K=%d: %w", k, err)
		}
		fmt.Fprintf(stderr, "blocks: K=%-3d hidden %-4d %6d params  test NLL %.4f  %8.0f samples/s (batch)  %6.0f samples/s (one at a time)  %d epochs %.0f s\n",
			r.K, r.Hidden, r.Params, r.TestNLL, r.BatchRate, r.OneRate, r.Epochs, r.TrainSec)
		rows = append(rows, r)
	}
	table := markdown(rows, c)
	fmt.Fprint(stdout, table)
	if err := atomicfile.WriteFileAtomic(filepath.Join(c.out, "table.md"), func(w io.Writer) error {
		_, err := io.WriteString(w, table)
		return err
	}); err != nil {
		return err
	}
	if err := plotResults(filepath.Join(c.out, "blocks.png"), rows, filepath.Base(c.data)); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "blocks: wrote %s and %s in %.0f s\n", filepath.Join(c.out, "table.md"),
		filepath.Join(c.out, "blocks.png"), time.Since(start).Seconds())
	return nil
}

// parseKs reads "2,4,8" or, when empty, returns 2, 4, …, D (and D when it is odd).
func parseKs(s string, d int) ([]int, error) {
	var ks []int
	if s == "" {
		for k := 2; k <= d; k += 2 {
			ks = append(ks, k)
		}
		if d%2 == 1 {
			ks = append(ks, d)
		}
		return ks, nil
	}
	for _, f := range strings.Split(s, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 || k > d {
			return nil, fmt.Errorf("-ks: %q is not a block count in 1..%d", f, d)
		}
		ks = append(ks, k)
	}
	return ks, nil
}

// sizes splits d dimensions into k contiguous blocks as equal as possible (larger ones first).
func sizes(d, k int) []int {
	s := make([]int, k)
	for i := range s {
		s[i] = d / k
		if i < d%k {
			s[i]++
		}
	}
	return s
}

func mask(d, k int) string {
	parts := make([]string, k)
	for i, s := range sizes(d, k) {
		parts[i] = strconv.Itoa(s)
	}
	return "block:" + strings.Join(parts, ",")
}

func spec(d, k, hidden, nl int) distributions.Spec {
	return distributions.Spec{Layers: nl, Mask: mask(d, k), Hidden: []int{hidden, hidden}}
}

func mustBuild(d, k, hidden, nl int) *distributions.Flow {
	f, err := distributions.Build(d, spec(d, k, hidden, nl), rand.New(rand.NewSource(1)))
	if err != nil {
		panic(err)
	}
	return f
}

// effectiveParams counts the parameters that can change the density: conditioner weights whose
// mask entry is non-zero, biases, and the LU entries a (block-diagonal) Linear uses.
func effectiveParams(f *distributions.Flow) int {
	n := 0
	for _, l := range f.Layers {
		switch l := l.(type) {
		case *layers.AffineInjection:
			for _, dn := range l.Net.Layers {
				r, c := dn.Mask.Dims()
				for i := 0; i < r; i++ {
					for j := 0; j < c; j++ {
						if dn.Mask.At(i, j) != 0 {
							n++
						}
					}
				}
				n += dn.B.Len()
			}
		case *layers.Linear:
			p := l.Pattern() // used entries of W: the LU factors have as many free values
			r, c := p.Dims()
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					n += int(p.At(i, j))
				}
			}
			n += l.B.Len()
		default:
			for _, p := range l.Params() {
				n += p.Len()
			}
		}
	}
	return n
}

// matchHidden returns the hidden width whose K-block flow has the effective parameter count
// closest to target.
func matchHidden(d, k, target, nl int) (int, int) {
	bestH, bestP := 0, 0
	for h := 4; h <= 1024; h++ {
		p := effectiveParams(mustBuild(d, k, h, nl))
		if bestH == 0 || abs(p-target) < abs(bestP-target) {
			bestH, bestP = h, p
		}
		if p > target {
			break
		}
	}
	return bestH, bestP
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func runK(c config, d, k, target int, split [3]*mat.Dense) (result, error) {
	h, p := matchHidden(d, k, target, c.layers)
	rng := rand.New(rand.NewSource(c.seed))
	f, err := distributions.Build(d, spec(d, k, h, c.layers), rng)
	if err != nil {
		return result{}, err
	}
	start := time.Now()
	res, err := trainer.Fit(f, split[0], split[1], trainer.Settings{Epochs: c.epochs, BatchSize: c.batch,
		LearningRate: c.lr, Schedule: "cosine", Patience: c.patience, Seed: c.seed})
	if err != nil {
		return result{}, err
	}
	r := result{K: k, Hidden: h, Params: p, Sizes: sizes(d, k), Epochs: len(res.History), TrainSec: time.Since(start).Seconds()}
	r.TestNLL = f.NLL(split[2])
	r.BatchRate = rate(f, c.sampleN, c.sampleMS)
	r.OneRate = rate(f, 1, c.sampleMS)
	return r, nil
}

// rate measures samples/s of f.Sample(n): repeated calls for about ms milliseconds, in three
// rounds, the best round kept (the least disturbed by other work on the machine).
func rate(f *distributions.Flow, n, ms int) float64 {
	rng := rand.New(rand.NewSource(9))
	f.Sample(n, rng) // warm-up
	best := 0.0
	for round := 0; round < 3; round++ {
		deadline := time.Now().Add(time.Duration(ms/3) * time.Millisecond)
		start, calls := time.Now(), 0
		for calls == 0 || time.Now().Before(deadline) {
			f.Sample(n, rng)
			calls++
		}
		best = math.Max(best, float64(n*calls)/time.Since(start).Seconds())
	}
	return best
}

func markdown(rows []result, c config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| K | block sizes | hidden | effective parameters | test NLL (nats) | samples/s, batch of %d | samples/s, one at a time | epochs | training s |\n", c.sampleN)
	b.WriteString("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		sz := make([]string, len(r.Sizes))
		for i, s := range r.Sizes {
			sz[i] = strconv.Itoa(s)
		}
		fmt.Fprintf(&b, "| %d | %s | %d | %d | %.4f | %.0f | %.0f | %d | %.0f |\n", r.K, strings.Join(sz, ","), r.Hidden,
			r.Params, r.TestNLL, r.BatchRate, r.OneRate, r.Epochs, r.TrainSec)
	}
	return b.String()
}

// plotResults draws test NLL against samples/s (batch and one at a time), each point labelled K.
func plotResults(path string, rows []result, name string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: block flows at equal parameter count", name)
	p.X.Label.Text = "samples per second (log scale)"
	p.Y.Label.Text = "test NLL (nats)"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	for i, series := range []struct {
		name string
		rate func(result) float64
		col  color.Color
	}{
		{"batch of samples", func(r result) float64 { return r.BatchRate }, color.RGBA{R: 20, G: 60, B: 160, A: 255}},
		{"one sample at a time", func(r result) float64 { return r.OneRate }, color.RGBA{R: 190, G: 60, B: 20, A: 255}},
	} {
		xys := make(plotter.XYs, len(rows))
		labels := make([]string, len(rows))
		for j, r := range rows {
			xys[j] = plotter.XY{X: series.rate(r), Y: r.TestNLL}
			labels[j] = fmt.Sprintf("K=%d", r.K)
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		line.Color, points.Color = series.col, series.col
		line.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		points.Radius = vg.Points(3)
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return err
		}
		for j := range lab.TextStyle {
			lab.TextStyle[j].Color = series.col
			lab.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(float64(3 - 12*i))}
		}
		p.Add(line, points, lab)
		p.Legend.Add(series.name, line, points)
	}
	// room above the points for the legend
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		lo, hi = math.Min(lo, r.TestNLL), math.Max(hi, r.TestNLL)
	}
	span := math.Max(hi-lo, 0.05)
	p.Y.Min, p.Y.Max = lo-0.08*span, hi+0.3*span
	p.Legend.Top = true
	return plots.SavePNG(path, 1, 640, p)
}
