// Package masks is the pure algebra of degrees and masks for masked
// autoregressive networks (MADE, Germain et al. 2015, "MADE: Masked
// Autoencoder for Distribution Estimation") as used by masked autoregressive
// flows (MAF, Papamakarios et al. 2017) and by nflows/FlowJAX.
//
// The package has no notion of tensors or graphs: it only computes integer
// degrees and the 0/1 matrices (gonum *mat.Dense, float64) derived from them,
// and checks that a chain of masks is autoregressive.
//
// # Degrees
//
// Every unit of a masked network carries an integer degree (type Degrees):
//
//   - Data inputs: the position of the dimension in the autoregressive order,
//     a permutation of 1..D, or a block number 1..K for block-triangular
//     orders (several dimensions share a degree and are predicted jointly).
//     K = Degrees.Max() is the number of autoregressive steps (K = D for a
//     permutation).
//   - Context (conditioning) inputs: degree 0, "seen by everyone".
//   - Hidden units: degrees in 1..K-1 (see Hidden), or 0 when K <= 1.
//   - Outputs: the degrees of the data inputs repeated once per output
//     parameter (see Repeat): column c belongs to data dimension c mod D.
//
// A hidden unit with degree m is connected to a previous unit with degree m'
// iff m >= m'; an output with degree d is connected to a previous unit of
// degree m iff d > m (Germain et al. 2015). By induction, the output for data
// dimension i depends on input j only if deg(j) < deg(i): the network is
// strictly autoregressive in the order given by the degrees.
//
// # Directions and shapes
//
// Weight masks follow the row-vector convention of gonum and of a layer
// computed as h·W: a mask between a layer of n_in units and a layer of n_out
// units is n_in × n_out, rows = inputs, columns = outputs (the transpose of
// the paper's M^W). A chain of masks therefore multiplies left to right and
// Connectivity(masks) is D_in × D_out.
//
// Dependency matrices follow the Jacobian convention instead: Dependency(in)
// is D × D with row i = output (dimension i) and column j = input j, so
// M[i][j] = 1 iff output i may depend on input j. For a permutation order it
// is strictly lower triangular once rows and columns are permuted by Order.
//
// # Conventions
//
// Randomness is always explicit: functions that draw take a *rand.Rand from
// math/rand and never touch the global source; a nil *rand.Rand selects the
// deterministic variant where one exists. Errors are returned for bad data
// given by a caller (orders, shapes of user matrices); programming errors
// (negative sizes, mismatched chains passed to Connectivity) panic, as in
// gonum. All error and panic strings start with "masks: ".
package masks
