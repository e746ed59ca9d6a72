package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// writeIDX writes n synthetic 4×4 unsigned-byte images (a bright bar on a dark, partly zero
// background) as an IDX file and returns their pixels.
func writeIDX(t *testing.T, path string, n int, rng *rand.Rand) [][]byte {
	t.Helper()
	b := binary.BigEndian.AppendUint32(nil, 0x00000803)
	for _, v := range []uint32{uint32(n), 4, 4} {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	imgs := make([][]byte, n)
	for i := range imgs {
		img := make([]byte, 16)
		col := rng.Intn(4)
		for r := range 4 {
			img[4*r+col] = byte(200 + rng.Intn(56))
			if k := rng.Intn(16); img[k] == 0 {
				img[k] = byte(rng.Intn(40))
			}
		}
		imgs[i] = img
		b = append(b, img...)
	}
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return imgs
}

// The whole pipeline on tiny synthetic IDX files: read, split, dequantize, logit, fit one epoch,
// score the test split. The reported log-likelihood of x must be finite and equal to the flow's
// log-density of z plus the log-det of the logit map, computed here independently.
func TestPipeline(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(1))
	trainImgs := writeIDX(t, filepath.Join(dir, trainImages), 20, rng)
	testImgs := writeIDX(t, filepath.Join(dir, testImages), 10, rng)

	var out, errs bytes.Buffer
	r, err := execute([]string{"-dir", dir, "-epochs", "1", "-layers", "2", "-hidden", "8",
		"-val-size", "5", "-batch", "5", "-lr", "1e-3", "-seed", "2"}, &out, &errs)
	require.NoError(t, err, errs.String())
	require.NotNil(t, r)

	// the splits: the first 15 training images, the last 5 for validation, the 10 test images
	for _, c := range []struct {
		s    split
		imgs [][]byte
	}{{r.Data.Train, trainImgs[:15]}, {r.Data.Val, trainImgs[15:]}, {r.Data.Test, testImgs}} {
		n, d := c.s.X.Dims()
		require.Equal(t, [2]int{len(c.imgs), 16}, [2]int{n, d})
		for i, img := range c.imgs {
			for j, p := range img {
				require.Equal(t, float64(p), math.Floor(256*c.s.X.At(i, j)), "image %d pixel %d", i, j)
			}
		}
	}
	require.Len(t, r.Fit.History, 1)
	require.Len(t, r.Flow.Layers, 3) // standardization + 2 MADEs

	// log p(x) = log p(z) + Σ log((1−2λ)/(q(1−q))), recomputed without the program's helpers
	lpz := r.Flow.LogProbs(r.Data.Test.Z)
	var sum float64
	for i, lp := range lpz {
		ld := 0.0
		for _, x := range r.Data.Test.X.RawRowView(i) {
			q := lambda + (1-2*lambda)*x
			ld += math.Log((1 - 2*lambda) / (q * (1 - q)))
		}
		require.False(t, math.IsNaN(r.LogPX[i]) || math.IsInf(r.LogPX[i], 0))
		require.InDelta(t, lp+ld, r.LogPX[i], 1e-9*math.Abs(lp+ld))
		require.InDelta(t, lp, r.LogPZ[i], 1e-9*math.Abs(lp))
		sum += lp + ld
	}
	s := r.summary()
	require.InDelta(t, sum/10, s.LogPX.Mean, 1e-9*math.Abs(sum))
	require.InDelta(t, -s.LogPX.Mean/(16*math.Ln2)+8, s.BPP.Mean, 1e-9)
	require.Contains(t, out.String(), fmt.Sprintf("log p(x), x in [0,1]^D:      %.2f ± ", s.LogPX.Mean))
	require.Contains(t, out.String(), "best epoch 1 of 1")
	require.Contains(t, errs.String(), "mnist: data: 15 training, 5 validation, 10 test images of 16 pixels")

	// the same seed gives the same figures
	var out2 bytes.Buffer
	_, err = execute([]string{"-dir", dir, "-epochs", "1", "-layers", "2", "-hidden", "8",
		"-val-size", "5", "-batch", "5", "-lr", "1e-3", "-seed", "2"}, &out2, &bytes.Buffer{})
	require.NoError(t, err)
	require.Equal(t, testFigures(out.String()), testFigures(out2.String()))

	// -max-train and -max-val keep the first rows of their splits and leave the noise of the
	// others as it was
	r3, err := execute([]string{"-dir", dir, "-epochs", "1", "-layers", "2", "-hidden", "8",
		"-val-size", "5", "-batch", "5", "-seed", "2", "-max-train", "10", "-max-val", "3"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.NoError(t, err)
	require.True(t, mat.Equal(r.Data.Train.X.Slice(0, 10, 0, 16), r3.Data.Train.X))
	require.True(t, mat.Equal(r.Data.Val.X.Slice(0, 3, 0, 16), r3.Data.Val.X))
	require.True(t, mat.Equal(r.Data.Test.X, r3.Data.Test.X))

	// the timing mode
	var tout bytes.Buffer
	_, err = execute([]string{"-dir", dir, "-layers", "2", "-hidden", "8", "-val-size", "5", "-batch", "5",
		"-max-train", "10", "-max-val", "3", "-time-steps", "2"}, &tout, &bytes.Buffer{})
	require.NoError(t, err)
	require.Contains(t, tout.String(), "one epoch = 2 steps + 3 validation rows")
}

// -checkpoint and -resume: 1 epoch, then resumed to 2, gives the figures of 2 uninterrupted epochs
// (how the full run can be done in segments).
func TestPipelineResume(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(4))
	writeIDX(t, filepath.Join(dir, trainImages), 20, rng)
	writeIDX(t, filepath.Join(dir, testImages), 6, rng)
	args := func(epochs string, extra ...string) []string {
		return append([]string{"-dir", dir, "-epochs", epochs, "-layers", "2", "-hidden", "8",
			"-val-size", "5", "-batch", "5", "-lr", "1e-3", "-seed", "2"}, extra...)
	}
	var whole bytes.Buffer
	_, err := execute(args("2"), &whole, &bytes.Buffer{})
	require.NoError(t, err)
	ckpt := filepath.Join(dir, "run.ckpt")
	_, err = execute(args("1", "-checkpoint", ckpt, "-resume"), &bytes.Buffer{}, &bytes.Buffer{})
	require.NoError(t, err)
	require.FileExists(t, ckpt)
	var resumed, progress bytes.Buffer
	r, err := execute(args("2", "-checkpoint", ckpt, "-resume"), &resumed, &progress)
	require.NoError(t, err)
	require.NotContains(t, progress.String(), "epoch 1/", "the second segment trains epoch 2 only")
	require.Contains(t, progress.String(), "epoch 2/")
	require.Len(t, r.Fit.History, 2)
	require.Equal(t, testFigures(whole.String()), testFigures(resumed.String()))
}

// testFigures drops the first line of a report, which holds the training time.
func testFigures(report string) string {
	_, rest, _ := strings.Cut(report, "\n")
	return rest
}

func TestExecuteErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-dir", dir}, "run experiments/mnist/fetch.sh " + dir + " first"},
		{[]string{"-hidden", "1024,x"}, `-hidden "1024,x": "x" is not a positive integer`},
		{[]string{"-epochs", "0"}, "-epochs 0: want >= 1"},
		{[]string{"-between", "batchnorm"}, "batchnorm"},
		{[]string{"extra"}, `unexpected arguments ["extra"]`},
		{[]string{"-resume"}, "-resume needs -checkpoint"},
	}
	for _, c := range cases {
		_, err := execute(c.args, &bytes.Buffer{}, &bytes.Buffer{})
		require.ErrorContains(t, err, c.want, "%v", c.args)
	}
	writeIDX(t, filepath.Join(dir, trainImages), 6, rand.New(rand.NewSource(1)))
	writeIDX(t, filepath.Join(dir, testImages), 2, rand.New(rand.NewSource(2)))
	_, err := execute([]string{"-dir", dir}, &bytes.Buffer{}, &bytes.Buffer{})
	require.ErrorContains(t, err, "validation size 10000: want 1 to 5 (the training file has 6 images)")
}

// -gaussian fits no flow: log p(x) is still the Gaussian's log p(z) plus the log-det.
func TestPipelineGaussian(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(3))
	writeIDX(t, filepath.Join(dir, trainImages), 60, rng)
	writeIDX(t, filepath.Join(dir, testImages), 8, rng)
	var out bytes.Buffer
	r, err := execute([]string{"-dir", dir, "-val-size", "10", "-gaussian"}, &out, &bytes.Buffer{})
	require.NoError(t, err)
	require.Nil(t, r.Flow)
	lpz, err := gaussianLogProbs(r.Data.Train.Z, r.Data.Test.Z)
	require.NoError(t, err)
	ld := logDet(r.Data.Test.X)
	for i := range lpz {
		require.InDelta(t, lpz[i]+ld[i], r.LogPX[i], 1e-9*math.Abs(lpz[i]+ld[i]))
	}
	require.Contains(t, out.String(), "full-covariance Gaussian, 152 parameters; 50 training images")
}
