package main

import (
	"fmt"
	"io"
	"math"
	"math/rand"
	"strings"

	"github.com/affineflow/flow/dataset"
	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/recipe"
	"gonum.org/v1/gonum/mat"
)

// fitData are the tables of a fit: the training, validation and test rows (test may be nil), each
// split into the modelled columns and, with -context-cols, the context (trainC, valC, testC).
type fitData struct {
	train, val, test    *dataset.Table
	trainC, valC, testC *mat.Dense
	ctxNames            []string
	bounds              map[string][2]float64 // -bounds, by column name (nil: none)
	discrete            []int                 // -discrete: modelled columns holding integers
	dim                 int                   // modelled columns
	rng                 *rand.Rand            // seeded by -seed: the held-out split, then the weights
}

func (d *fitData) rows() int { r, _ := d.train.X.Dims(); return r }

// load reads -train, -val and -test; -val and -test take the training columns by name (or by
// position: -ignore-header). Without -val, a seeded 10% of the training rows is held out.
func (f fitFlags) load() (*fitData, error) {
	train, err := dataset.Load(f.train)
	if err != nil {
		return nil, err
	}
	data := &fitData{train: train, dim: len(train.Columns), rng: rand.New(rand.NewSource(f.seed))}
	if f.bounds != "" {
		if data.bounds, err = parseBounds(f.bounds); err != nil {
			return nil, err
		}
		if err := checkInside(train, data.bounds, f.train); err != nil {
			return nil, err
		}
	}
	what := "the training data " + f.train
	if f.val != "" {
		if data.val, err = f.loadMatching(f.val, train.Columns, what); err != nil {
			return nil, err
		}
		if err := checkInside(data.val, data.bounds, f.val); err != nil {
			return nil, err
		}
	} else if data.train, data.val, err = holdOut(train, data.rng); err != nil {
		return nil, fmt.Errorf("%s: %w", f.train, err)
	}
	if f.test != "" {
		if data.test, err = f.loadMatching(f.test, train.Columns, what); err != nil {
			return nil, err
		}
		if err := checkInside(data.test, data.bounds, f.test); err != nil {
			return nil, err
		}
	}
	if f.contextCols == "" {
		return data, nil
	}
	// with -context-cols every table splits into the modelled columns x and the context
	data.ctxNames = splitNames(f.contextCols)
	var dataNames []string
	for _, c := range train.Columns {
		if !contains(data.ctxNames, c) {
			dataNames = append(dataNames, c)
		}
	}
	if len(dataNames) == 0 {
		return nil, usagef("-context-cols %q names every column of %s: nothing is left to model", f.contextCols, f.train)
	}
	if data.train, data.trainC, err = splitContext(data.train, f.train, dataNames, data.ctxNames); err != nil {
		return nil, err
	}
	if data.val, data.valC, err = splitContext(data.val, f.val, dataNames, data.ctxNames); err != nil {
		return nil, err
	}
	if data.test != nil {
		if data.test, data.testC, err = splitContext(data.test, f.test, dataNames, data.ctxNames); err != nil {
			return nil, err
		}
	}
	data.dim = len(dataNames)
	return data, nil
}

// loadMatching loads path and returns its columns matched to cols (matchColumns).
func (f fitFlags) loadMatching(path string, cols []string, what string) (*dataset.Table, error) {
	t, err := dataset.Load(path)
	if err != nil {
		return nil, err
	}
	return matchColumns(t, path, cols, what, f.ignoreHeader)
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

// testNLL computes the mean test NLL (when there is a test set), records it in meta and returns
// it. A test row of log-density -Inf or NaN makes the mean non-finite: the model file then
// records it as a string ("+Inf", "NaN"), and stderr names the rows.
func (f fitFlags) testNLL(flow *distributions.Flow, data *fitData, meta modelfile.Meta, stderr io.Writer) (float64, bool) {
	if data.test == nil {
		return 0, false
	}
	x := data.test.X
	if len(data.discrete) > 0 { // one dequantization draw: an upper bound on the discrete NLL
		var err error
		if x, err = recipe.Dequantize(x, data.discrete, rand.New(rand.NewSource(f.seed))); err != nil {
			fmt.Fprintf(stderr, "flow: %s: %v\n", f.test, err)
			return math.NaN(), true
		}
		meta["test_nll_bound"] = "dequantized discrete columns: an upper bound on the discrete NLL"
	}
	lp := flow.LogProbsContext(x, data.testC)
	var bad []string
	for i, v := range lp {
		if !finiteNumber(v) && len(bad) < 5 {
			bad = append(bad, fmt.Sprintf("row %d: %g", i+1, v))
		}
	}
	nll := distributions.MeanNLL(lp)
	meta["test_nll"] = nll
	if !finiteNumber(nll) {
		fmt.Fprintf(stderr, "flow: %s: test_nll is %g: log p(x) is not finite on some rows (%s), which lie where the model's density underflows\n",
			f.test, nll, strings.Join(bad, ", "))
	}
	return nll, true
}

func finiteNumber(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// columnKinds resolves -discrete and -bounds (auto: on the training rows, with -val and -test
// checked against what it found) into o.Discrete and o.Bounds.
func (f fitFlags) columnKinds(o *recipe.Options, data *fitData, stderr io.Writer) error {
	var err error
	if f.discrete != "" {
		if data.discrete, err = discreteColumns(f.discrete, data.train, f.train); err != nil {
			return err
		}
		o.Discrete = data.discrete
	}
	if f.bounds == "auto" {
		data.bounds = autoBounds(data.train, stderr)
		for _, t := range []struct {
			t    *dataset.Table
			path string
		}{{data.val, f.val}, {data.test, f.test}} {
			if t.t == nil || t.path == "" {
				continue
			}
			if err := checkInside(t.t, data.bounds, t.path); err != nil {
				return fmt.Errorf("%w (found by -bounds auto on the training rows; give the bounds explicitly)", err)
			}
		}
	}
	if len(data.bounds) > 0 {
		if o.Bounds, err = boundsFor(data.bounds, data.train.Columns, f.train); err != nil {
			return err
		}
	}
	return nil
}
