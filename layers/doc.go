// Package layers holds the invertible flow layers. Each layer has three paths over the same
// parameter memory:
//
//   - Forward adds nodes to a gorgonia graph: data x (N×D) to noise y (N×D) and the per-row
//     log|det ∂y/∂x| (a vector of length N). Training differentiates this path.
//   - Transform is the numeric (gonum) twin of Forward, for fast inference.
//   - Inverse maps y back to x numerically and also returns the forward log-det at that x.
//
// Direction: forward is the density direction (data → noise), as in MAF (Papamakarios et al.
// 2017), so log p(x) = log p_base(y) + Σ log|det J| is one pass and sampling runs the inverses.
//
// The affine injection layers compute y = x ⊙ exp(s) + t, with s and t from a conditioner that
// sees x_j only for j earlier than i in the layer's order (masks.Degrees), so the Jacobian is
// triangular in that order and log|det J| = Σ_i s_i. AffineInjection uses a MADE conditioner
// (Germain et al. 2015); Injection evaluates one shared network per dimension i on m_i ⊙ x and an
// embedding of i, for any strictly lower-triangular mask M.
//
// The numeric paths of AffineInjection run on raw slices with the installed BLAS and pooled
// scratch memory (numeric.go); its Inverse is incremental (madeinv.go): with MADE's sorted hidden
// degrees each hidden unit is computed once, when the inputs it sees are known, so sampling costs
// about half a conditioner pass per layer instead of one pass per degree.
//
// Every layer passes the conformance suite in package layertest.
package layers
