package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/masks"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/trainer"
	"github.com/stretchr/testify/require"
)

// The stacking flags reach the model (after the standardization): orders, layers between,
// residual blocks, activation, hidden widths, block and banded masks.
func TestFitStackingFlags(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 200, 3, 1)
	fit := func(t *testing.T, extra ...string) []layers.Layer {
		model := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".json")
		args := append([]string{"fit", "-train", train, "-out", model, "-epochs", "2", "-hidden", "8,8"}, extra...)
		code, _, errs := flow(args...)
		require.Equal(t, 0, code, errs)
		f, _, err := modelfile.Load(model)
		require.NoError(t, err)
		std, ok := f.Layers[0].(*layers.ElementwiseAffine)
		require.True(t, ok && std.Frozen, "the standardization comes first by default")
		return f.Layers[1:]
	}
	t.Run("random-order+between+residual+tanh", func(t *testing.T) {
		ls := fit(t, "-layers", "3", "-order", "random", "-between", "actnorm+linear", "-residual", "-activation", "tanh", "-hidden", "6,6,6")
		require.Len(t, ls, 7)
		var orders []masks.Degrees
		for k, l := range ls {
			switch k % 3 {
			case 0:
				a := l.(*layers.AffineInjection)
				orders = append(orders, a.Order)
				require.Equal(t, layers.Tanh, a.Net.Act)
				require.Len(t, a.Net.Layers, 4)
				require.True(t, a.Net.Layers[1].Residual)
				require.Equal(t, []int{3, 6}, a.Net.Layers[0].W.Shape())
			case 1:
				require.IsType(t, &layers.ElementwiseAffine{}, l)
			case 2:
				require.IsType(t, &layers.Linear{}, l)
			}
		}
		alt := true
		for k, o := range orders {
			alt = alt && reflect.DeepEqual(o, masks.Alternate(k, 3))
		}
		require.False(t, alt, "-order random gave the alternating orders %v", orders)
	})
	t.Run("alternate", func(t *testing.T) {
		ls := fit(t, "-layers", "2", "-order", "alternate", "-between", "linear")
		require.Equal(t, masks.Natural(3), ls[0].(*layers.AffineInjection).Order)
		require.Equal(t, masks.Reversed(3), ls[2].(*layers.AffineInjection).Order)
		require.Nil(t, ls[1].(*layers.Linear).Blocks)
	})
	t.Run("block", func(t *testing.T) {
		ls := fit(t, "-layers", "2", "-mask", "block:1,2")
		require.Len(t, ls, 4)
		require.Equal(t, masks.Degrees{1, 2, 2}, ls[0].(*layers.AffineInjection).Order)
		require.Equal(t, masks.Degrees{1, 2, 2}, ls[1].(*layers.Linear).Blocks)
		require.Equal(t, masks.Degrees{2, 1, 1}, ls[2].(*layers.AffineInjection).Order)
	})
	t.Run("banded", func(t *testing.T) {
		ls := fit(t, "-layers", "1", "-mask", "banded:1")
		inj := ls[0].(*layers.Injection)
		require.Zero(t, inj.Mask.At(2, 0)) // dimension 3 sees only dimension 2
		require.Equal(t, 1.0, inj.Mask.At(2, 1))
	})
}

// -context-cols fits p(x | context); score reads the columns by name, sample draws per context row.
func TestFitContext(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 300, 4, 1)
	test := writeData(t, dir, "test.csv", 40, 4, 3)
	model := filepath.Join(dir, "cond.json")
	code, out, errs := flow("fit", "-train", train, "-test", test, "-out", model, "-epochs", "3", "-hidden", "8,8",
		"-context-cols", "c3,c1", "-standardize", "-mask", "block:2")
	require.Equal(t, 0, code, errs)
	require.Regexp(t, `test_nll=-?[0-9.]+\n$`, out)
	f, meta, err := modelfile.Load(model)
	require.NoError(t, err)
	require.Equal(t, 2, f.Dim())
	require.Equal(t, 2, f.ContextDim())
	cols, _ := meta.Strings("columns")
	ctx, _ := meta.Strings("context")
	require.Equal(t, []string{"c0", "c2"}, cols)
	require.Equal(t, []string{"c3", "c1"}, ctx)

	code, out, errs = flow("score", "-model", model, "-data", test)
	require.Equal(t, 0, code, errs)
	scores := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, scores, 41)
	// the same rows with the columns in another order score the same
	raw, err := os.ReadFile(test)
	require.NoError(t, err)
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		v := strings.Split(line, ",")
		b.WriteString(strings.Join([]string{v[3], v[2], v[1], v[0]}, ",") + "\n")
	}
	shuffled := writeFile(t, dir, "shuffled.csv", b.String())
	code, out2, errs := flow("score", "-model", model, "-data", shuffled)
	require.Equal(t, 0, code, errs)
	require.Equal(t, out, out2)

	ctxFile := writeFile(t, dir, "ctx.csv", "c1,c3\n0.5,1\n-1,2\n0,0\n")
	code, out, errs = flow("sample", "-model", model, "-context", ctxFile, "-seed", "2")
	require.Equal(t, 0, code, errs)
	rows := strings.Split(strings.TrimSpace(out), "\n")
	require.Equal(t, "c0,c2,c3,c1", rows[0])
	require.Len(t, rows, 4)
	require.True(t, strings.HasSuffix(rows[1], ",1,0.5"), rows[1])
	code, out, errs = flow("sample", "-model", model, "-context", ctxFile, "-n", "5")
	require.Equal(t, 0, code, errs)
	rows = strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, rows, 16)
	require.True(t, strings.HasSuffix(rows[15], ",0,0"), rows[15])

	code, out, errs = flow("inspect", "-model", model)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "context: c3, c1")
	require.Contains(t, out, "context=2")
	require.Contains(t, out, "linear (LU, block-diagonal) blocks=[1 1]")

	noCtx := writeFile(t, dir, "noctx.csv", "c0,c2,c1\n1,2,3\n")
	plain := filepath.Join(dir, "plain.json")
	require.Equal(t, 0, first(flow("fit", "-train", train, "-out", plain, "-epochs", "1", "-hidden", "4")))
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sample", "-model", model}, 2, "conditional on 2 context inputs: give -context F"},
		{[]string{"sample", "-model", plain, "-context", ctxFile}, 2, "is not conditional"},
		{[]string{"sample", "-model", model, "-context", noCtx}, 1, `noctx.csv: the model's context columns: dataset: select: unknown column "c3"`},
		{[]string{"score", "-model", model, "-data", noCtx}, 1, `noctx.csv: the model's context columns`},
		{[]string{"fit", "-train", train, "-out", model, "-context-cols", "c9"}, 1, `-context-cols: dataset: select: unknown column "c9"`},
		{[]string{"fit", "-train", train, "-out", model, "-context-cols", "c0,c1,c2,c3"}, 2, "nothing is left to model"},
		{[]string{"fit", "-train", train, "-out", model, "-order", "zigzag"}, 2, `-order "zigzag": want alternate or random`},
	} {
		code, _, errs := flow(c.args...)
		require.Equal(t, c.code, code, "%v: %s", c.args, errs)
		require.Contains(t, errs, c.want, "%v", c.args)
	}
}

// Without -hidden the widths follow distributions.DefaultHidden: 128 up to 16 columns, 512 beyond.
// Without -standardize=false the first layer is the frozen standardization.
func TestFitDefaultHidden(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 512-unit models (-short)")
	}
	dir := t.TempDir()
	for _, c := range []struct{ d, width int }{{3, 128}, {17, 512}} {
		train := writeData(t, dir, fmt.Sprintf("train%d.csv", c.d), 100, c.d, 1)
		model := filepath.Join(dir, fmt.Sprintf("m%d.json", c.d))
		code, _, errs := flow("fit", "-train", train, "-out", model, "-epochs", "1", "-layers", "1")
		require.Equal(t, 0, code, errs)
		f, _, err := modelfile.Load(model)
		require.NoError(t, err)
		require.IsType(t, &layers.ElementwiseAffine{}, f.Layers[0], "the standardization comes first by default")
		net := &f.Layers[1].(*layers.AffineInjection).Net
		require.Equal(t, []int{c.d, c.width}, net.Layers[0].W.Shape())
		require.Equal(t, []int{c.width, c.width}, net.Layers[1].W.Shape())
	}
}

// By default the model starts with the frozen standardization by the training mean and standard
// deviation (column j of writeData has mean j); -standardize=false leaves it out.
func TestFitStandardizeDefault(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 400, 3, 1)
	for _, c := range []struct {
		flag string
		std  bool
	}{{"", true}, {"-standardize=false", false}} {
		model := filepath.Join(dir, "m.json")
		args := []string{"fit", "-train", train, "-out", model, "-epochs", "1", "-layers", "1", "-hidden", "4"}
		if c.flag != "" {
			args = append(args, c.flag)
		}
		code, _, errs := flow(args...)
		require.Equal(t, 0, code, errs)
		f, _, err := modelfile.Load(model)
		require.NoError(t, err)
		std, ok := f.Layers[0].(*layers.ElementwiseAffine)
		require.Equal(t, c.std, ok, "%q", c.flag)
		if ok {
			require.True(t, std.Frozen)
			for j, m := range std.Shift.Data() {
				require.InDelta(t, float64(j), m, 0.35, "column %d mean", j)
			}
		} else {
			require.Len(t, f.Layers, 1)
		}
	}
}

// -epochs 0 and -patience auto (the defaults) resolve from the number of training rows
// (trainer.AutoEpochs, trainer.AutoPatience); the model file's meta records what they became.
func TestFitAutoBudget(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 300, 2, 1)
	val := writeData(t, dir, "val.csv", 50, 2, 2)
	for _, c := range []struct {
		args             []string
		epochs, patience int
	}{
		{nil, trainer.AutoEpochs(300, 256), 30},
		{[]string{"-epochs", "2", "-patience", "7"}, 2, 7},
		{[]string{"-epochs", "2", "-patience", "0"}, 2, -1},
		{[]string{"-epochs", "2", "-batch", "1", "-patience", "auto"}, 2, trainer.AutoPatience(300, 1)},
	} {
		model := filepath.Join(dir, "m.json")
		args := append([]string{"fit", "-train", train, "-val", val, "-out", model, "-layers", "1", "-hidden", "4"}, c.args...)
		code, _, errs := flow(args...)
		require.Equal(t, 0, code, errs)
		_, meta, err := modelfile.Load(model)
		require.NoError(t, err)
		for key, want := range map[string]int{"max_epochs": c.epochs, "patience": c.patience} {
			got, ok := meta.Number(key)
			require.True(t, ok, key)
			require.Equal(t, float64(want), got, "%v: %s", c.args, key)
		}
	}
}
