package dtmp

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/affineflow/flow/distributions"
	"github.com/affineflow/flow/modelfile"
	"github.com/affineflow/flow/trainer"
	"gonum.org/v1/gonum/stat"
)

func TestForwardMAF(t *testing.T) {
	teacher, _, err := modelfile.Load("/work/main/out/power.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{50000, 200000} {
		student, _ := distributions.Build(6, distributions.Spec{Layers: 5, Hidden: []int{128, 128}}, rand.New(rand.NewSource(1)))
		student.Layers = append(teacher.Layers[:1:1], student.Layers...)
		train := teacher.Sample(n, rand.New(rand.NewSource(5)))
		val := teacher.Sample(10000, rand.New(rand.NewSource(6)))
		start := time.Now()
		res, err := trainer.Fit(student, train, val, trainer.Settings{Epochs: 25, Patience: 10, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		xs, lt := teacher.SampleWithLogProb(20000, rand.New(rand.NewSource(7)))
		ls := student.LogProbs(xs)
		for i := range lt {
			lt[i] -= ls[i]
		}
		fmt.Printf("MAF student n=%d: best epoch %d val %.4f KL(t|s) %.4f time %.0fs\n", n, res.BestEpoch, res.BestValNLL, stat.Mean(lt, nil), time.Since(start).Seconds())
	}
}
