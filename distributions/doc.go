// Package distributions holds base densities and Flow, a base density pushed through a stack of
// invertible layers.
//
// Shapes and units: a batch is an N×D matrix (rows are samples); log-probabilities are per row, in
// nats. A Flow maps data x to noise y with its layers in order (the density direction), so
//
//	log p(x) = log p_base(f(x)) + Σ_k log|det ∂f_k/∂x_{k-1}|,
//
// and samples are drawn by inverting the layers in reverse order (Papamakarios et al. 2021,
// "Normalizing Flows for Probabilistic Modeling and Inference"). Bases: StandardNormal N(0, I),
// DiagonalNormal (learned mean and scale), StudentT (a multivariate t with fixed ν, heavier
// tails: a far row costs O(log|y|) nats, not O(|y|²)) and LearnedStudentT (ν learned), Mixture (K
// diagonal Gaussians) and MADEMixture (MADE MoG, each dimension a mixture given the earlier ones);
// each passes distributions/basetest.
//
// Build stacks layers from a Spec; the mask of each layer comes from a registered MaskKind
// (maskkind.go), one file each: mask_made.go (made, random), mask_injection.go, mask_block.go
// (block:SIZES), mask_banded.go (banded:W), soft.go (soft, made-soft), and any kind a program
// registers with RegisterMask. A Flow's graph path (LogProb, for the
// trainer) builds gorgonia nodes; LogProbs, NLL and the samplers are numeric, on gonum matrices.
// SampleGraph (rsample.go) also samples in a graph: x = f⁻¹(z) and log q(x) as nodes, for losses on
// samples (trainer.FitVariational); Spec.Inverse builds every layer inverted (IAF), so that this
// path is one conditioner pass per layer.
package distributions
