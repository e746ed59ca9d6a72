// Package toy generates the standard two-dimensional density-estimation targets used to test,
// demonstrate and smoke-test normalizing flows: two moons, eight Gaussians, checkerboard,
// concentric rings and two spirals.
//
// The generators follow the toy data of FFJORD (Grathwohl, Chen, Bettencourt, Sutskever and
// Duvenaud, "FFJORD: Free-form Continuous Dynamics for Scalable Reversible Generative Models",
// ICLR 2019, lib/toy_data.py), so that results can be compared with the figures and numbers in
// that literature. Where FFJORD's code has a quirk that does not change the distribution (for
// example sampling only 2·⌊n/2⌋ points) this package always returns exactly n rows.
//
// Shapes and units: every sampler returns a freshly allocated n×2 *mat.Dense, one point (x, y)
// per row. Rows are independent draws, except that moons and rings place their points on evenly
// spaced angles (as sklearn and FFJORD do) and then shuffle the rows, so any prefix of a batch is
// representative. The coordinates are dimensionless and all targets live roughly in the box
// [-4, 4]², the region usually plotted:
//
//	moons         noise-free arcs span [-3, 3]×[-1.2, 1.8]; mean ≈ (0, 0.3)
//	8gaussians    modes on a circle of radius 4/1.414 ≈ 2.83, component std 0.5/1.414 ≈ 0.354
//	checkerboard  uniform on 8 of the 16 2×2 squares tiling [-4, 4)²
//	rings         four rings of radius 3, 2.25, 1.5, 0.75, Gaussian noise std 0.08
//	spirals       two interleaved spiral arms within radius ≈ 3.6, mean ≈ (0, 0), std ≈ 1.6
//
// Randomness always comes from the caller's *rand.Rand (math/rand), never from the global
// source, so a fixed seed gives bit-identical samples. Samplers panic if n < 1 or rng is nil.
//
// Two targets have closed-form densities: EightGaussiansLogProb (an equal-weight isotropic
// Gaussian mixture) and CheckerboardLogProb (uniform density 1/32 on the black squares). Their
// differential entropies, EightGaussiansEntropy and CheckerboardEntropy (nats), are the lowest
// achievable expected negative log-likelihood, so a fitted flow's test NLL can be compared
// against them: NLL − entropy is the KL divergence from the target to the model.
//
// Targets lists all five in a fixed order and ByName looks one up by its short name
// ("moons", "8gaussians", "checkerboard", "rings", "spirals").
package toy
