// Command variational fits flows to the built-in unnormalized densities (distributions/targets)
// by reverse KL (trainer.FitVariational) and prints a markdown table per target, direction and
// mask kind: parameters, the ELBO and the importance-sampling log Z on 20,000 draws of the fitted
// flow, the true log Z (closed form, or the grid's for U1–U4), the ESS, KL(p ‖ q) on exact target
// samples where there are some, and the training time. It also draws Rezende & Mohamed's figure:
// the four energies (top) and the densities of the flows fitted to them (bottom), as a PNG.
//
//	go run ./experiments/variational [-targets u1,banana] [-fits made-iaf,made-maf,injection-iaf] [-out out/variational.png]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/affineflow/flow/distributions/targets"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "variational:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("variational", flag.ContinueOnError)
	fs.SetOutput(stderr)
	names := fs.String("targets", strings.Join(targets.Names(), ","), "comma-separated targets")
	fits := fs.String("fits", "made-iaf,made-maf,injection-iaf", "comma-separated fits MASK-DIRECTION (mask made, injection or banded:W; direction iaf or maf)")
	out := fs.String("out", "out/variational.png", "the figure (the energies U1–U4 among -targets, with the first fit's densities); empty: none")
	seed := fs.Int64("seed", 1, "seed of the weights and the draws")
	scale := fs.Float64("budget", 1, "multiplies every fit's epochs (the defaults: 40, 80 for u2, u4 and the funnel)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (all settings are flags; see -h)", fs.Args())
	}
	var specs []fitSpec
	for _, f := range strings.Split(*fits, ",") {
		s, err := parseFit(f)
		if err != nil {
			return err
		}
		specs = append(specs, s)
	}
	fmt.Fprintln(stdout, "| target | fit | parameters | ELBO | log Z (IS) | true log Z | ESS | KL(p ‖ q) | time | command |")
	fmt.Fprintln(stdout, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
	var figure []result
	for _, name := range strings.Split(*names, ",") {
		tg, err := targets.ByName(name)
		if err != nil {
			return err
		}
		for k, s := range specs {
			r, err := fit(tg, s, *seed, *scale, stderr)
			if err != nil {
				return fmt.Errorf("%s %s: %w", name, s.name, err)
			}
			fmt.Fprintln(stdout, r.row(*seed, *scale))
			if k == 0 && strings.HasPrefix(name, "u") {
				figure = append(figure, r)
			}
		}
	}
	if *out == "" || len(figure) == 0 {
		return nil
	}
	return drawFigure(*out, figure)
}
