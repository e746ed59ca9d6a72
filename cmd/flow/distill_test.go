package main

import (
	"path/filepath"
	"testing"

	"github.com/affineflow/flow/layers"
	"github.com/affineflow/flow/modelfile"
	"github.com/stretchr/testify/require"
)

// distill fits an IAF student to a teacher model file: the student keeps the teacher's
// standardization and activation, its other layers are inverted, and it reports the KL and both
// sampling speeds.
func TestDistill(t *testing.T) {
	dir := t.TempDir()
	train := writeData(t, dir, "train.csv", 150, 3, 1)
	teacher := filepath.Join(dir, "maf.json")
	code, _, errs := flow("fit", "-train", train, "-out", teacher, "-epochs", "2", "-hidden", "8", "-select", "none", "-base", "normal", "-activation", "tanh")
	require.Equal(t, 0, code, errs)
	student := filepath.Join(dir, "iaf.json")
	code, out, errs := flow("distill", "-teacher", teacher, "-out", student, "-epochs", "2", "-hidden", "8", "-layers", "2", "-samples", "300")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "-loss auto: forward (-layers given)")
	code, out, errs = flow("distill", "-teacher", teacher, "-out", student, "-epochs", "2", "-hidden", "8", "-layers", "2", "-samples", "300", "-redraw")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "kl_teacher_student=")
	require.Contains(t, out, "sampling: teacher")
	f, meta, err := modelfile.Load(student)
	require.NoError(t, err)
	require.Len(t, f.Layers, 3)
	require.IsType(t, &layers.ElementwiseAffine{}, f.Layers[0])
	require.IsType(t, &layers.Inverted{}, f.Layers[1])
	require.Equal(t, layers.Tanh, f.Layers[1].(*layers.Inverted).L.(*layers.AffineInjection).Net.Act) // the teacher's
	require.Equal(t, teacher, meta["teacher"])
	require.Contains(t, meta, "kl_teacher_student")
	require.Equal(t, []any{"c0", "c1", "c2"}, meta["columns"]) // the teacher's
	require.Equal(t, "forward", meta["loss"])
	require.Equal(t, true, meta["redraw"])
	code, out, errs = flow("distill", "-teacher", teacher, "-out", student, "-epochs", "2", "-hidden", "8", "-layers", "2", "-loss", "reverse", "-activation", "relu", "-warmup", "1", "-samples", "200")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "fitted by reverse KL")
	f, _, err = modelfile.Load(student)
	require.NoError(t, err)
	require.Equal(t, layers.ReLU, f.Layers[1].(*layers.Inverted).L.(*layers.AffineInjection).Net.Act)
	code, out, errs = flow("distill", "-teacher", teacher, "-out", student, "-epochs", "2", "-hidden", "8", "-samples", "300")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "-loss auto: mirror (the teacher's layers can be mirrored)")
	require.Contains(t, out, "fitted by layer-by-layer regression")
	tf, _, err := modelfile.Load(teacher)
	require.NoError(t, err)
	f, meta, err = modelfile.Load(student)
	require.NoError(t, err)
	require.Equal(t, "mirror", meta["loss"])
	require.Len(t, f.Layers, len(tf.Layers)) // one inverted layer per teacher layer, in its order
	for k, l := range tf.Layers[1:] {
		require.Equal(t, l.(*layers.AffineInjection).Order, f.Layers[k+1].(*layers.Inverted).L.(*layers.AffineInjection).Order)
	}
	code, out, errs = flow("distill", "-teacher", teacher, "-out", student, "-epochs", "1", "-hidden", "8", "-samples", "100", "-direction", "maf")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "a MAF student")
	f, _, err = modelfile.Load(student)
	require.NoError(t, err)
	require.IsType(t, &layers.AffineInjection{}, f.Layers[1])
	require.Equal(t, layers.Tanh, f.Layers[1].(*layers.AffineInjection).Net.Act)

	inj := filepath.Join(dir, "inj.json") // a teacher that cannot be mirrored: auto says why
	code, _, errs = flow("fit", "-train", train, "-out", inj, "-epochs", "1", "-hidden", "8", "-select", "none", "-base", "normal", "-mask", "injection")
	require.Equal(t, 0, code, errs)
	code, _, errs = flow("distill", "-teacher", inj, "-out", student, "-epochs", "1", "-hidden", "8", "-samples", "100")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "-loss auto: forward (the teacher's layer 1 is an injection layer; mirroring takes MADE affine layers")
	relu := filepath.Join(dir, "relu.json") // nor one of unbounded activation, by auto
	code, _, errs = flow("fit", "-train", train, "-out", relu, "-epochs", "1", "-hidden", "8", "-select", "none", "-base", "normal")
	require.Equal(t, 0, code, errs)
	code, _, errs = flow("distill", "-teacher", relu, "-out", student, "-epochs", "1", "-hidden", "8", "-samples", "100")
	require.Equal(t, 0, code, errs)
	require.Contains(t, errs, "-loss auto: forward (the teacher's activation relu is unbounded")
	code, _, errs = flow("distill", "-teacher", inj, "-out", filepath.Join(dir, "x.json"), "-loss", "mirror")
	require.Equal(t, 2, code, errs)
	require.Contains(t, errs, "-loss mirror: the teacher's layer 1 is an injection layer")

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-out", student}, "-teacher is required"},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-hidden", "a"}, `-hidden "a"`},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-samples", "0"}, "want positive values"},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-loss", "sideways"}, `-loss "sideways": want auto, forward, reverse or mirror`},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-direction", "up"}, `-direction "up"`},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-activation", "cube"}, `-activation "cube"`},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-warmup", "-1"}, "want positive values"},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-warmup", "2", "-direction", "maf"}, "-warmup 2: only with -direction iaf"},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-loss", "mirror", "-layers", "2", "-redraw"}, "-layers, -redraw: not with -loss mirror"},
		{[]string{"-teacher", teacher, "-out", filepath.Join(dir, "x.json"), "-loss", "mirror", "-direction", "maf"}, "-direction: not with -loss mirror"},
	} {
		code, _, errs := flow(append([]string{"distill"}, c.args...)...)
		require.Equal(t, 2, code, "%v: %s", c.args, errs)
		require.Contains(t, errs, c.want, c.args)
	}
	require.NoFileExists(t, filepath.Join(dir, "x.json"))
	code, _, errs = flow("distill", "-teacher", teacher, "-out", teacher)
	require.Equal(t, 1, code, errs)
	require.Contains(t, errs, "refusing to overwrite an input")
}
