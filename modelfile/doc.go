// Package modelfile reads and writes the portable model file "affine-injection-flow/v1": a
// distributions.Flow as one JSON document that any language can evaluate with a few loops.
//
// # The format
//
//	{"format": "affine-injection-flow/v1", "dim": D,
//	 "base": {"type": "standard_normal"} | {"type": "diagonal_normal", "mean": [D], "log_std": [D]}
//	       | {"type": "student_t", "nu": ν}
//	       | {"type": "mixture", "logits": [K], "means": K×D, "log_stds": K×D}
//	       | {"type": "made_mixture", "order": [D], "components": K, "activation": ...,
//	          "scale_clamp": C, "net": [...]},
//	 "layers": [ ...applied in order, data -> noise... ]}
//
// Layer objects (matrices are lists of rows):
//
//   - {"type": "affine_injection", "order": [D ints: each input's degree, a permutation of 1..D,
//     or block numbers for block masks], "activation": "relu"|"tanh"|"elu"|"sigmoid"|"softplus"|
//     "leaky_relu" (slope 0.01), "scale_clamp": C, "net": [{"weight": in×out, "bias": [out],
//     "mask": in×out, "residual": bool?}, ...]}:
//     h ← act(h·(weight⊙mask) + bias) for every entry but the last (with "residual": true:
//     h ← h + act(...)), the last is linear with 2D outputs: columns 0..D-1 are raw s, D..2D-1
//     are t, both in input-index order; s = C·tanh(raw/C) (C = 0: s = raw); y = x⊙exp(s) + t;
//     log-det Σ s. Output i may depend on input j only when order[j] < order[i].
//     Optional "context": C (absent: 0) makes the layer conditional: the net's input is
//     [x, ctx], the D data values followed by the C context values (the first entry's weight and
//     mask have D+C rows), and the context inputs have degree 0: every hidden unit and every
//     output may see them. The density is then p(x | ctx), and every affine_injection layer with
//     a context in one file has the same C.
//     Optional "transform": {"type": "rq_spline", "bins": K, "bound": B} (absent: the affine map
//     above) makes the element-wise map a monotone rational-quadratic spline (Durkan et al. 2019):
//     the last entry has P·D outputs, P = 3K − 1, and dimension i's values are the columns
//     i, D+i, ..., (P−1)D+i: u_0..u_{K−1} width logits, u_K..u_{2K−1} height logits,
//     u_{2K}..u_{3K−2} interior derivatives. For x_i outside [−B, B], y_i = x_i (log-det 0);
//     inside, the knots are x_k = −B + 2B·Σ_{j<k} w_j with w = 1e-3 + (1 − 1e-3·K)·softmax(width
//     logits) (y_k likewise from the heights; x_K = y_K = B), the derivatives d_0 = d_K = 1 and
//     d_k = 1e-3 + softplus(u_{2K+k−1} + log(e^(1−1e-3) − 1)), and in the bin x_k <= x < x_{k+1}
//     (w = x_{k+1} − x_k, h = y_{k+1} − y_k, s = h/w, θ = (x − x_k)/w)
//     y = y_k + h(sθ² + d_kθ(1−θ))/(s + (d_k + d_{k+1} − 2s)θ(1−θ)), and the log-det adds
//     log(s²(d_{k+1}θ² + 2sθ(1−θ) + d_k(1−θ)²)) − 2·log(s + (d_k + d_{k+1} − 2s)θ(1−θ)).
//   - {"type": "injection", "order": [D], "mask": D×D (M[i][j]: output i uses input j; values in
//     [0,1]), "embedding": D×E, "activation": ..., "scale_clamp": C, "net": [...]}: for each i the
//     net input is [m_i ⊙ x, embedding[i]] (length D+E), the net's 2 outputs are (raw s_i, t_i)
//     (with a "transform" as above: its P outputs are dimension i's spline values).
//     Optional "context": C (absent: 0): the mask is D×(D+C) and the net input
//     [m_i ⊙ [x, ctx], embedding[i]]; the mask's last C columns say which context values output
//     i reads (any values in [0,1]).
//     (Net entries have no "mask" field or an all-ones one; this package omits it.)
//   - {"type": "permutation", "perm": [D]}: y[:, k] = x[:, perm[k]].
//   - {"type": "inverted", "layer": {an affine_injection, injection, permutation or
//     elementwise_affine object, with an affine map}}: that layer F used in the other direction
//     (IAF): y = F⁻¹(x), the u with F(u) = x (F is triangular in its order, so u is found one
//     degree at a time), log-det −log|det ∂F/∂u| at u. Sampling runs F itself.
//   - {"type": "linear", "weight": D×D, "bias": [D]}: y = x·weight + bias,
//     log-det log|det weight|.
//   - {"type": "elementwise_affine", "shift": [D], "log_scale": [D]}:
//     y = (x - shift)⊙exp(log_scale), log-det Σ log_scale.
//   - {"type": "bounded", "bounded": [D] booleans, "lo": [D], "hi": [D]}: for every column j with
//     bounded[j] (lo[j] < hi[j]), u = (x_j − lo_j)/(hi_j − lo_j), y_j = log u − log(1 − u),
//     log-det −Σ_j [log(hi_j − lo_j) + log u + log(1 − u)]; the other columns pass through (their
//     lo and hi are 0 and ignored). A value outside (lo, hi) has density 0.
//
// log p(x) = log base(y_last) + Σ log-dets, with log N(y; 0, I) = -½ Σ y_j² - (D/2) log 2π and
// log N(y; mean, diag(exp(2·log_std))) = Σ_j [-½ ((y_j - mean_j)/exp(log_std_j))² - log_std_j]
// - (D/2) log 2π. The mixture base is log Σ_k w_k N(y; means[k], diag(exp(2·log_stds[k]))),
// w = softmax(logits). The made_mixture base (MADE MoG) is Σ_i log Σ_k softmax_k(r[k·D+i])
// N(y_i; r[(K+k)·D+i], σ²) with σ = exp(C·tanh(r[(2K+k)·D+i]/C)) (C = 0: exp(r)) and r = net(y),
// a masked net as an affine_injection's with 3·K·D outputs, autoregressive in order (output
// column c belongs to dimension c mod D). Activations: relu max(0, v); tanh; elu v for v ≥ 0, exp(v) - 1 otherwise;
// sigmoid 1/(1 + exp(-v)); softplus log(1 + exp(v)); leaky_relu v for v ≥ 0, 0.01·v otherwise.
// x, y, h are row vectors and weights are in×out, so "h·weight" is the usual row-vector product.
//
// Any other field may be added, but the fields above mean exactly this. Readers that only
// evaluate densities may ignore every other field. This package writes these extra fields:
//
//   - top level "meta": free-form training information (see Meta), e.g. columns, command, seed,
//     test_nll.
//   - elementwise_affine "frozen": true for a fixed standardizer, false for a learnable ActNorm
//     (absent means false). It changes training only, never the density.
//   - linear "lu": {"p": [D], "lower": D×D, "upper": D×D, "log_diag": [D], "sign": [D]}, the
//     trainable parameterization weight = P·L·U with P[i][p[i]] = 1, L = I + the strictly lower
//     part of lower, U = the strictly upper part of upper + diag(sign⊙exp(log_diag)), sign ±1.
//     It lets a reloaded model keep exactly the same parameters. When present it must agree with
//     weight (to 1e-9 relative); when absent the loader factorizes weight.
//   - linear "blocks": [D] block numbers (degrees, as an affine_injection order) for a
//     block-diagonal map (layers.NewBlockLinear, written by the "block" mask kind after each
//     block layer): weight[i][j] is zero unless blocks[i] == blocks[j], and training keeps it so.
//     The density is given by weight alone.
//   - injection "mask_logits": D×D logits L of a learnable soft mask (layers.Injection with
//     Logits, mask kind "soft"): "mask" holds the effective values σ(L) ⊙ S, S its non-zero
//     pattern, σ(v) = 1/(1 + exp(-v)). A net entry of an affine_injection may likewise hold
//     "gate_logits" (in×out) of learnable gates (mask kind "made-soft"): its "mask" holds
//     σ(G) ⊙ S. The density is given by "mask" alone; with the logits the loaded layer is
//     learnable again (they must agree with "mask" to 1e-12); without them it is a layer with
//     that fixed soft mask. A hardened mask is written as a 0/1 "mask" without logits.
//
// # Writing and reading
//
// Marshal is deterministic: the same model and meta give identical bytes. Numbers use Go's
// shortest float64 formatting, which reads back exactly, so Unmarshal(Marshal(f)) has the same
// parameters bit for bit. Marshal refuses a model it could not read back (an unknown layer or
// base type, non-finite parameters, masks that are not autoregressive), so every file written
// loads. Save writes atomically (temporary file in the same directory, fsync, rename).
//
// Unmarshal validates everything and names the file and the JSON location in its errors, e.g.
//
//	model.json: layers[2] (affine_injection): net[1].weight is 64×30, want 64×32
//
// It refuses a wrong or missing format name, invalid or truncated JSON (with the line and column),
// dim <= 0, any shape mismatch, mask values outside [0,1], orders that are not valid degrees,
// affine_injection masks whose product is not strictly autoregressive in the order (a residual
// entry also connects each unit to itself), injection masks outside the order's support, unknown
// activations, permutations that are not permutations, singular linear weights, linear weights
// outside their "blocks", negative or differing "context" widths, unknown layer or base types,
// negative scale_clamp, keys that match a field only up to case ("Weight"), and null field values.
//
// # Untrusted files
//
// A model file may come from anywhere; for any bytes, Unmarshal and Load return an error or a
// valid flow, and never panic (FuzzUnmarshal checks this). What a file may make the program
// allocate is bounded (limits.go): Load reads only a regular file of at most MaxFileSize
// (1 GiB) bytes, through an io.LimitReader; dim and every "context" are at most MaxDim (65536),
// "meta" at most MaxMetaBytes (4 MiB) of JSON, measured before it is parsed; at most MaxLayers
// (1024) layers and MaxNetDepth (64) entries per net; at most distributions.MaxParams (1<<26)
// learnable parameters in all. Every other allocation copies a JSON array whose text was read, so
// loading takes memory in proportion to the file's size: 4 times for a trained MAF-5 on MNIST
// (406 MB, 1.6 GB), 10 times for the same model with every number 0 (69 MB, 0.68 GB).
// Marshal refuses a model beyond any limit, so every file written loads.
//
// Values the density is undefined at are refused too. By field: a Student-t "nu" in
// (0, distributions.MaxNu = 1e10] (beyond it the normalizing constant is lost to rounding),
// |log_std| and |log_scale| at most MaxLogScale (300). Then, for the whole model, log p(x) is
// evaluated at three fixed rows, x = 0, x_j = sin(j+1) and x_j = 2·cos(2.3·j) (with a zero
// context for a conditional model), and the file is refused if any value is NaN or ±Inf, e.g.
//
//	model.json: the density is not finite at x = 0 (log p = NaN): a parameter is out of range
//	(layers[0] (affine_injection) gives NaN in its output)
//
// naming the first layer whose output or log-det is not finite, or after which the base's log p
// is. Far from the data a density may underflow to 0 (log p = -Inf) legitimately, but these rows
// are moderate, so there -Inf also means a parameter out of range. The probe costs one
// evaluation of three rows (under 5% of the load time of an injection model of D = 784, under 1%
// for a MADE). It cannot see every row: a loaded model may still give -Inf or NaN far from the
// probe rows, which its users must check.
//
// Each layer kind is one file registering an encoder and a decoder under its "type" string
// (affine_injection.go, injection.go, permutation.go, linear.go, elementwise.go, and base.go for
// the bases), so a new kind is added in one file.
package modelfile
