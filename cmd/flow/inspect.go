package main

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"path/filepath"
	"strings"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/graph"
	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/plots"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
)

func runInspect(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("inspect", stderr)
	model := fs.String("model", "", "model file")
	png := fs.String("png", "", "write a PNG of every layer's D×D dependency matrix (and, for 2-D models, the density and samples)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required("model", *model); err != nil {
		return err
	}
	if *png != "" {
		if err := checkOutput("png", *png, *model); err != nil {
			return err
		}
	}
	f, meta, err := modelfile.Load(*model)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s, D=%d, %d layers, %d parameters\n", *model, modelfile.Format, f.Dim(), len(f.Layers), f.NumParams())
	if cols, ok := meta.Strings("columns"); ok {
		fmt.Fprintf(stdout, "columns: %s\n", strings.Join(cols, ", "))
	}
	if cols, ok := meta.Strings("context"); ok {
		fmt.Fprintf(stdout, "context: %s\n", strings.Join(cols, ", "))
	}
	if v, ok := meta.Number("test_nll"); ok {
		fmt.Fprintf(stdout, "test_nll: %.6f\n", v)
	}
	if sel, ok := meta["selected"].(string); ok {
		fmt.Fprintf(stdout, "selected on the validation split: %s (%s)\n", sel, describeCandidates(meta["candidates"]))
	}
	fmt.Fprintf(stdout, "base: %s\n", describeBase(f.Base))
	labels, _ := meta.Strings("columns") // the dependency matrices are in column order
	if len(labels) != f.Dim() {
		labels = nil // 1-based indices
	}
	var ps []*plot.Plot
	for k, l := range f.Layers {
		name, dep := describe(l)
		fmt.Fprintf(stdout, "layer %d: %s\n", k, name)
		if *png != "" {
			p, err := plots.MatrixLabelled(dep, fmt.Sprintf("layer %d: %s", k, strings.Fields(name)[0]), labels)
			if err != nil {
				return err
			}
			ps = append(ps, p)
		}
	}
	if *png == "" {
		return nil
	}
	whole, err := plots.MatrixLabelled(layers.Sequence(f.Layers).Pattern(), "whole flow: noise i depends on column j", labels)
	if err != nil {
		return err
	}
	ps = append(ps, whole, plots.MatrixScale("M[i][j]: how much output i uses input j"))
	if f.Dim() == 2 {
		dens, err := plots.Density2D(f.LogProbs, [4]float64{-4, 4, -4, 4}, 200, "density")
		if err != nil {
			return err
		}
		samp, err := plots.Scatter(f.Sample(2000, rand.New(rand.NewSource(1))), "samples")
		if err != nil {
			return err
		}
		ps = append(ps, dens, samp)
	}
	if len(ps) == 0 {
		return fmt.Errorf("%s: nothing to draw", *model)
	}
	title := fmt.Sprintf("%s: D = %d, %d layers", filepath.Base(*model), f.Dim(), len(f.Layers))
	for _, key := range []string{"test_nll", "val_nll"} {
		if v, ok := meta.Number(key); ok {
			title += fmt.Sprintf(", %s %.3f", key, v)
		}
	}
	if err := plots.SavePNGTitled(*png, title, min(len(ps), 4), 300, ps...); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *png)
	return nil
}

func describeBase(b distributions.Base) string {
	switch b := b.(type) {
	case *distributions.DiagonalNormal:
		return "diagonal_normal (learned mean and log_std)"
	case distributions.StudentT:
		return fmt.Sprintf("student_t (nu=%g)", b.Nu)
	case *distributions.LearnedStudentT:
		return fmt.Sprintf("student_t (nu=%g, learned)", b.Nu())
	case *distributions.Mixture:
		return fmt.Sprintf("mixture of %d diagonal Gaussians (learned weights, means and log_stds)", b.K())
	case *distributions.MADEMixture:
		return fmt.Sprintf("made_mixture (MADE MoG: per dimension a mixture of %d Gaussians given the earlier ones, order %v, %d parameters)",
			b.K, []int(b.Order), graph.CountParams(b.Params()))
	}
	return "standard_normal"
}

// describe returns a one-line summary of l and its D×D dependency matrix (M[i][j]: output i
// uses input j; soft values for injection masks).
func describe(l layers.Layer) (string, *mat.Dense) {
	np := graph.CountParams(l.Params())
	switch l := l.(type) {
	case *layers.AffineInjection:
		var widths []string
		for _, dn := range l.Net.Layers[:len(l.Net.Layers)-1] {
			widths = append(widths, fmt.Sprint(dn.W.Shape()[1]))
		}
		ctx := ""
		if l.Context > 0 {
			ctx = fmt.Sprintf(" context=%d", l.Context)
		}
		if l.Soft() { // learnable gates: draw the normalized path strength
			ctx += " soft gates (matrix: path strength)"
		}
		return fmt.Sprintf("affine_injection (MADE) order=%v hidden=[%s] %s %s%s, %d parameters, %d steps to invert",
			short(l.Order), strings.Join(widths, ","), l.Net.Act, elementwise(l.Elementwise, l.Clamp), ctx, np, l.Order.Max()), madeDependency(l)
	case *layers.Injection:
		m, kind := l.EffectiveMask(), "mask" // the effective values of a learned soft mask
		ctx := ""
		if l.Context > 0 {
			ctx = fmt.Sprintf(" context=%d", l.Context)
			m = mat.DenseCopyOf(m.Slice(0, l.Dim(), 0, l.Dim())) // the dependency on the data columns
		}
		if l.Soft() {
			kind = "learned soft mask"
		}
		on, all := 0, 0
		sup := masks.Dependency(l.Order)
		r, c := sup.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if sup.At(i, j) != 0 {
					all++
					if m.At(i, j) >= 0.5 {
						on++
					}
				}
			}
		}
		return fmt.Sprintf("injection order=%v embedding=%d %s %s%s, %s %d of %d allowed entries >= 0.5, %d parameters",
			short(l.Order), l.Embed.Shape()[1], l.Net.Act, elementwise(l.Elementwise, l.Clamp), ctx, kind, on, all, np), m
	case *layers.Inverted:
		inner, _ := describe(l.L) // the inner layer's inverse is this layer's density pass
		inner = strings.Replace(inner, " steps to invert", " steps per density evaluation, one pass per sample", 1)
		return "inverted (IAF) " + inner, l.Pattern()
	case *layers.Permutation:
		return fmt.Sprintf("permutation perm=%v", short(masks.Degrees(l.Perm))), l.Pattern()
	case *layers.Linear:
		if l.Blocks != nil {
			return fmt.Sprintf("linear (LU, block-diagonal) blocks=%v, %d parameters", short(l.Blocks), np), l.Pattern()
		}
		return fmt.Sprintf("linear (LU), %d parameters", np), l.Pattern()
	case *layers.ElementwiseAffine:
		if l.Frozen {
			return "elementwise_affine (standardize, frozen)", l.Pattern()
		}
		return "elementwise_affine (actnorm)", l.Pattern()
	}
	return fmt.Sprintf("%T, %d parameters", l, np), l.Pattern()
}

// short prints at most 12 entries of v.
func short(v masks.Degrees) string {
	if len(v) <= 12 {
		return fmt.Sprint([]int(v))
	}
	return fmt.Sprint([]int(v[:12]))[:len(fmt.Sprint([]int(v[:12])))-1] + " ...]"
}

// elementwise names a layer's element-wise map: "clamp=C" for the affine map, "spline:K,B".
func elementwise(t layers.Transform, clamp float64) string {
	if t.IsSpline() {
		return t.String()
	}
	return fmt.Sprintf("clamp=%g", clamp)
}
