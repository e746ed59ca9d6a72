// Package layertest is the conformance suite every flow layer passes. A layer kind joins by one
// row in a table of named constructors:
//
//	layertest.Run(t, []layertest.Case{
//		{Name: "made/reversed", New: func(rng *rand.Rand) (layers.Layer, error) { ... }},
//	})
//
// For each case, after perturbing every parameter away from its (often identity) initialization,
// in float64 it checks:
//
//   - round trip: |f⁻¹(f(x)) - x| < 1e-9, and Inverse reports the same log-det as Transform;
//   - graph path equals numeric path: y and log-det from the gorgonia graph equal Transform to 1e-10;
//   - log-det: equals log|det J| of a finite-difference Jacobian of Transform to 1e-6;
//   - zero pattern: J[i][j] = 0 wherever Pattern()[i][j] = 0 (no output sees a forbidden input);
//   - gradients: every parameter gets a finite, non-zero gradient from the graph, equal to a
//     central finite difference of the numeric path for sampled entries.
package layertest
