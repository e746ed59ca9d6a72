package distributions

// DefaultHidden returns the hidden widths `flow fit` uses when -hidden is not given: two layers of
// 128 units for data of up to 16 dimensions and two of 512 beyond, as the MAF paper's widths grow
// with the data (Papamakarios et al. 2017; measured in experiments/uci).
func DefaultHidden(d int) []int {
	if d > 16 {
		return []int{512, 512}
	}
	return []int{128, 128}
}

// DefaultNu is the degrees of freedom of the Student-t base of `flow fit`'s defaults below
// SelectRows training rows (AutoStudentT). It was not tuned: ν = 10 is the one value measured.
const DefaultNu = 10

// AutoStudentT returns the base `flow fit -base auto` (its default) gives a model fitted to n
// training rows, as Spec.StudentT: DefaultNu (a multivariate Student-t, StudentT) below
// SelectRows rows, 0 (N(0, I)) from there on: on small data a test row far from the training
// bulk costs a normal base |y|²/2 nats and a Student-t base only ((ν+D)/2)·log(1 + |y|²/ν)
// (Alexanderson and Henter 2020, "Studentising flows"; measured in experiments/uci, "Why the
// defaults have a Student-t base below 10,000 training rows").
func AutoStudentT(n int) float64 {
	if n < SelectRows {
		return DefaultNu
	}
	return 0
}
