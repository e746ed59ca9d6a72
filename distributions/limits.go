package distributions

import "fmt"

// MaxParams bounds the number of parameters of a flow that Build makes and that a model file may
// hold (graph.CountParams of Flow.Params): 2^26 = 67,108,864, 512 MiB of float64 weights, about 2.5 GiB while training (weights,
// gradients, Adam's two moments, the best weights and gorgonia's masked copies). MAF(10) with two
// hidden layers of 1024 units on MNIST (D = 784), the largest model of the MAF paper, has about
// 34 million.
const MaxParams = 1 << 26

// MaxNu bounds the degrees of freedom ν of a Student-t base (NewStudentT). Its log normalizing
// constant log Γ((ν+D)/2) − log Γ(ν/2) is a difference of two terms of about (ν/2)·log(ν/2),
// 1.1e11 at ν = 1e10, so rounding costs up to about 1e-5 nats there and grows in proportion to
// ν beyond (at ν = 1e300 the constant is meaningless). For larger ν use N(0, I), which the t
// approaches as ν → ∞.
const MaxNu = 1e10

// estimateParams is an upper estimate of the parameters Build(d, s) would allocate, computed in
// float64 so that absurd sizes cannot overflow: every step's conditioner (inputs: d data values,
// the context, an injection layer's embedding; outputs: the transform's values for all d), a d×d mask or mixing
// matrix per step, the layers between, and a MADE MoG base's net.
func estimateParams(d int, s Spec) float64 {
	fd := float64(d)
	in := fd + float64(s.Context) + 8
	hidden, prev := 0.0, in
	for _, h := range s.Hidden {
		hidden += (prev + 1) * float64(h)
		prev = float64(h)
	}
	out := (prev + 1) * fd                                       // the last map, per output value of each dimension
	step := hidden + float64(s.Transform.PerDim())*out + 2*fd*fd // a soft or block mask, a block-diagonal mixing
	if s.Between != "" {
		step += fd*fd + 3*fd
	}
	total := float64(max(s.Layers, 1)) * step
	if s.MixtureMADE { // the base's MADE: 3K outputs per dimension
		total += hidden + 3*float64(s.Mixture)*out
	}
	return total
}

// checkSize refuses a Spec whose flow would exceed MaxParams, before anything is allocated.
func checkSize(d int, s Spec) error {
	if n := estimateParams(d, s); n > MaxParams {
		return fmt.Errorf("distributions: %d layers of width %d with hidden %v would have about %.3g parameters, more than %d (distributions.MaxParams): use fewer or narrower layers",
			max(s.Layers, 1), d, s.Hidden, n, MaxParams)
	}
	return nil
}
