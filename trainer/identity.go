package trainer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// runID is what a checkpoint belongs to: the training and validation data (their shapes and a
// SHA-256 of their values) and the settings that shape the arithmetic of every step. Resuming a
// checkpoint of another run would silently mix two runs, so Fit refuses it. The number of epochs
// and the patience are not part of it: a finished run may be extended.
type runID struct {
	Train, Val   string // "ROWS×COLS sha256:HEX"; Val "" without validation data
	Seed         int64
	BatchSize    int
	LearningRate float64
	Schedule     string
	StepEvery    int
	StepGamma    float64
	WeightDecay  float64
	ClipNorm     float64
	Sparsity     float64
	Float32      bool `json:",omitempty"`
}

func newRunID(train, val *mat.Dense, s Settings) runID {
	id := runID{Train: fingerprint(train), Seed: s.Seed, BatchSize: s.BatchSize, LearningRate: s.LearningRate,
		Schedule: s.Schedule, WeightDecay: s.WeightDecay, ClipNorm: s.ClipNorm, Sparsity: s.Sparsity, Float32: s.Float32}
	if s.Schedule == "step" {
		id.StepEvery, id.StepGamma = s.StepEvery, s.StepGamma
	}
	if val != nil {
		id.Val = fingerprint(val)
	}
	return id
}

// fingerprint describes a matrix by its shape and the SHA-256 of its values (little-endian
// float64 bits, row by row).
func fingerprint(x *mat.Dense) string {
	r, c := x.Dims()
	h := sha256.New()
	buf := make([]byte, 8*c)
	for i := range r {
		for j, v := range x.RawRowView(i) {
			binary.LittleEndian.PutUint64(buf[8*j:], math.Float64bits(v))
		}
		h.Write(buf)
	}
	return fmt.Sprintf("%d×%d sha256:%s", r, c, hex.EncodeToString(h.Sum(nil)[:8]))
}

// diff lists how id (the checkpoint's) differs from now (this run's), e.g.
// "seed 1 (this run: 2)"; nil when they agree.
func (id runID) diff(now runID) []string {
	var out []string
	add := func(what string, was, is any) {
		if was != is {
			out = append(out, fmt.Sprintf("%s %v (this run: %v)", what, was, is))
		}
	}
	data := func(s string) string {
		if s == "" {
			return "none"
		}
		return s
	}
	add("training data", id.Train, now.Train)
	add("validation data", data(id.Val), data(now.Val))
	add("seed", id.Seed, now.Seed)
	add("batch size", id.BatchSize, now.BatchSize)
	add("learning rate", id.LearningRate, now.LearningRate)
	add("schedule", id.Schedule, now.Schedule)
	add("step schedule every", id.StepEvery, now.StepEvery)
	add("step schedule factor", id.StepGamma, now.StepGamma)
	add("weight decay", id.WeightDecay, now.WeightDecay)
	add("clipping norm", id.ClipNorm, now.ClipNorm)
	add("sparsity", id.Sparsity, now.Sparsity)
	add("float32", id.Float32, now.Float32)
	return out
}
