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
// embedding of i, for any strictly lower-triangular mask M. Their element-wise map is a choice
// (Transform, transform.go): the affine map, or a monotone rational-quadratic spline of K bins on
// [−B, B] with identity tails (Durkan et al. 2019), whose 3K − 1 values per dimension the same
// conditioner computes; log|det J| is then Σ_i log ∂y_i/∂x_i.
//
// The numeric paths of AffineInjection run on raw slices with the installed BLAS and pooled
// scratch memory (numeric.go); its Inverse is incremental (madeinv.go): with MADE's sorted hidden
// degrees each hidden unit is computed once, when the inputs it sees are known, so sampling costs
// about half a conditioner pass per layer instead of one pass per degree. The affine map's soft
// clamp and exp(±s), and the activations, run over whole blocks of values on internal/vmath
// (affinevec.go; AVX2, the bits of the scalar math, so Transform and Inverse give the same numbers
// as elementwise.forward and inverse value by value).
//
// The numeric paths cache what depends only on parameters and masks (weightcache.go): the
// effective weights W ⊙ M of a conditioner, the inverse schedule, a Linear map's factors and an
// injection's soft mask, each keyed on the graph.Param versions it was computed from. Whoever
// writes parameter values directly calls Param.Touch afterwards (the trainer and the model-file
// loader do); layers holding a cache are used by pointer and not copied after first use.
//
// Block-triangular layers: with block numbers as degrees (masks.Blocks) an AffineInjection
// predicts each block jointly from the earlier blocks and inverts in K steps, one per block (the
// incremental inverse computes each hidden unit once, so the K steps cost at most one conditioner
// pass in all; the latency is K dependent steps);
// NewBlockLinear is the block-diagonal LU Linear map that mixes the dimensions inside each block
// after it, keeping the Jacobian block-triangular. Sequence composes layers into one.
//
// Conditional layers (the Conditional interface; AffineInjection with AffineSettings.Context,
// Injection with InjectionSettings.Context) also read an N×C context, for conditional densities
// p(x | ctx): every MADE unit may see it; an Injection reads it through its mask's context columns
// (ContextPattern: which outputs may depend on which context values).
//
// Learnable soft masks (softmask.go, gates.go): an Injection with Logits applies the mask
// σ(L) ⊙ S (S its 0/1 support), an AffineInjection after LearnGates the first-map mask
// M ⊙ σ(G); both stay inside the order's support, so the layer stays invertible with log-det
// Σ s at every step. SoftMasked layers give the sparsity penalty's unit (MaskSum) and Harden to a
// fixed mask after training.
//
// Both directions (graphinverse.go, inverted.go): the affine maps of every mask kind, permutations,
// element-wise affine maps and sequences of them also have a graph inverse (GraphInverter): the
// fixed point x ← (y − t(x)) ⊙ exp(−s(x)) from x = 0, exact after Chains(dependency) passes (D for
// MADE, K for K blocks), so that its gradients are the inverse's. It gives reparameterized samples
// in a graph (distributions.Flow.SampleGraph) and Inverted, a layer used in the other direction
// (IAF, Kingma et al. 2016): density by the graph inverse, sampling by the one-pass forward.
//
// Every layer passes the conformance suite in package layertest (inverted layers too).
package layers
