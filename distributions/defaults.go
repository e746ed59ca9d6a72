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
// SelectRows training rows (AutoBase). It was not tuned: ν = 10 is the one value measured.
const DefaultNu = 10

// DefaultMixture is K of the MADE MoG base (MADEMixture) of `flow fit`'s defaults from SelectRows
// training rows on, for data of up to AutoMixtureDim columns (AutoBase): the MAF paper's MAF MoG
// has 10 components.
const DefaultMixture = 10

// AutoMixtureDim is the widest data AutoBase gives a MADE MoG base: the widths it was measured on
// (power_subset, D = 6; protein, D = 10), as DefaultHidden switches at 16. Beyond, N(0, I).
const AutoMixtureDim = 16

// AutoBase returns the base `flow fit -base auto` (its default) gives a model of d columns fitted
// to n training rows, as Spec fields: below SelectRows rows a Student-t of DefaultNu degrees of
// freedom (nu; mixture 0): on small data a test row far from the training bulk costs a normal
// base |y|²/2 nats and a Student-t base only ((ν+D)/2)·log(1 + |y|²/ν) (Alexanderson and Henter
// 2020, "Studentising flows"); from SelectRows rows on, for d <= AutoMixtureDim, MADE MoG with
// DefaultMixture components (mixture; Spec.MixtureMADE), which on power_subset and protein scored
// about 0.4 nats above N(0, I) on every seed; beyond, N(0, I) (both 0). Measured in
// experiments/uci ("Why the defaults have a Student-t base below 10,000 training rows", "MADE
// MoG").
func AutoBase(n, d int) (nu float64, mixture int) {
	switch {
	case n < SelectRows:
		return DefaultNu, 0
	case d <= AutoMixtureDim:
		return 0, DefaultMixture
	}
	return 0, 0
}
