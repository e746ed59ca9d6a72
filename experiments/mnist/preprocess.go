package main

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"

	"github.com/affineflow/flow/dataset"
	"gonum.org/v1/gonum/mat"
)

// lambda is the logit transform's margin, as in MAF's datasets/mnist.py (MNIST.alpha).
const lambda = 1e-6

// The original IDX files, as fetch.sh leaves them in the cache directory.
const (
	trainImages = "train-images-idx3-ubyte"
	testImages  = "t10k-images-idx3-ubyte"
)

// splits are the three MNIST splits, each as dequantized pixels x ∈ [0,1)^D and their logits z
// (what the flow models), N×D with rows the images.
type splits struct {
	Train, Val, Test split
}

type split struct {
	X, Z *mat.Dense
}

// readImages reads an IDX image file from dir.
func readImages(dir, file string) (*mat.Dense, error) {
	path := filepath.Join(dir, file)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w (run experiments/mnist/fetch.sh %s first)", err, dir)
	}
	defer f.Close()
	return dataset.ReadIDX(f, path)
}

// loadSplits reads the training and test image files from dir and makes MAF's splits: training =
// the first N−valSize images of the training file, validation = its last valSize images, test =
// the test file (with the original files, N = 60000 and valSize = 10000 give 50000/10000/10000, the
// split of mnist.pkl.gz that MAF uses). Each split is dequantized with its own draws from one rng
// seeded with seed, in the order training, validation, test, and logit-transformed. maxTrain and
// maxVal > 0 keep only the first rows of those splits (after the split, so the validation images
// stay the last valSize images of the file); the test split is always complete, and its noise is
// the same whatever maxTrain and maxVal are.
func loadSplits(dir string, valSize, maxTrain, maxVal int, seed int64) (*splits, error) {
	pix, err := readImages(dir, trainImages)
	if err != nil {
		return nil, err
	}
	test, err := readImages(dir, testImages)
	if err != nil {
		return nil, err
	}
	n, d := pix.Dims()
	if _, dt := test.Dims(); dt != d {
		return nil, fmt.Errorf("%s has %d pixels per image but %s has %d", testImages, dt, trainImages, d)
	}
	if valSize < 1 || valSize >= n {
		return nil, fmt.Errorf("validation size %d: want 1 to %d (the training file has %d images)", valSize, n-1, n)
	}
	trainPix := pix.Slice(0, n-valSize, 0, d).(*mat.Dense)
	valPix := pix.Slice(n-valSize, n, 0, d).(*mat.Dense)
	rng := rand.New(rand.NewSource(seed))
	s := &splits{
		Train: preprocessFirst(trainPix, maxTrain, rng),
		Val:   preprocessFirst(valPix, maxVal, rng),
		Test:  preprocess(test, rng),
	}
	return s, nil
}

// preprocessFirst preprocesses the first max rows of pix (all of them when max ≤ 0 or max ≥ N)
// and then draws, and discards, the noise of the rows left out, so that the noise of every later
// split does not depend on max.
func preprocessFirst(pix *mat.Dense, max int, rng *rand.Rand) split {
	n, d := pix.Dims()
	if max <= 0 || max >= n {
		return preprocess(pix, rng)
	}
	s := preprocess(pix.Slice(0, max, 0, d).(*mat.Dense), rng)
	for range (n - max) * d {
		rng.Float64()
	}
	return s
}

// preprocess dequantizes the raw pixels p ∈ {0…255}: x = (p + u)/256 with u ~ U(0,1) drawn from
// rng row by row, and returns x with its logits z = logit(λ + (1−2λ)x).
func preprocess(pix *mat.Dense, rng *rand.Rand) split {
	n, d := pix.Dims()
	x := mat.NewDense(n, d, nil)
	for i := range n {
		row, src := x.RawRowView(i), pix.RawRowView(i)
		for j, p := range src {
			row[j] = (p + rng.Float64()) / 256
		}
	}
	return split{X: x, Z: logitMap(x)}
}

// logitMap returns z = logit(q) with q = λ + (1−2λ)x, elementwise. It is defined for every x with
// q ∈ (0,1), i.e. slightly beyond [0,1].
func logitMap(x *mat.Dense) *mat.Dense {
	n, d := x.Dims()
	z := mat.NewDense(n, d, nil)
	for i := range n {
		row := z.RawRowView(i)
		for j, v := range x.RawRowView(i) {
			q := lambda + (1-2*lambda)*v
			row[j] = math.Log(q) - math.Log1p(-q)
		}
	}
	return z
}

// logDet returns, per row of x, Σ_j log|dz_j/dx_j| of the logit map: dz/dx = (1−2λ)/(q(1−q)), so
// log p(x) = log p(z) + logDet(x) is the density of the dequantized pixels x ∈ [0,1]^D.
func logDet(x *mat.Dense) []float64 {
	n, _ := x.Dims()
	out := make([]float64, n)
	c := math.Log(1 - 2*lambda)
	for i := range n {
		s := 0.0
		for _, v := range x.RawRowView(i) {
			q := lambda + (1-2*lambda)*v
			s += c - math.Log(q) - math.Log1p(-q)
		}
		out[i] = s
	}
	return out
}
