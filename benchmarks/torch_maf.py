#!/usr/bin/python3
"""PyTorch reference of the step benchmarks (benchmarks/README.md, "The PyTorch reference").

A MAF-5 like the Go benchmarks' (bench_test.go, maf()): five affine MADE layers, hidden [H, H],
ReLU, s = 3·tanh(raw/3), orders natural / reversed alternately, standard normal base, for D=8/H=128
and D=63/H=512. Weights: nn.Linear's default initialization (U(±1/√fan_in) for weights and biases,
the same law as the Go builder's), the last map of each conditioner zero (as distributions.Build
makes it, so that a new layer is the identity), then every parameter perturbed by 0.01·N(0,1).

Benchmarks, each reported in samples/s (rows / mean time per call of the best of three groups):
  TrainStep   zero_grad, -log_prob(x).mean(), backward, Adam(lr=1e-3) step on a fixed 256-row batch
  LogProb     log_prob of 4096 rows under torch.no_grad()
  Sample      512 samples: per layer, D sequential full passes of the conditioner (as nflows / the
              reference MAF), filling x[:, i] in the order of the degrees
  Sample1     one sample per call (the latency; Go's counterpart is
              BenchmarkSampleBlocks/D=…/N=1/K=D, the "made" MAF)
Timing: one warm-up call, then three timed groups of `reps` calls (TrainStep/LogProb/Sample 30/20/5
for D=8, 5/5/1 for D=63; Sample1 50 and 5).

Before timing, every model is checked: shapes, masks strictly autoregressive (output i reachable
from input j through the masks only when order[j] < order[i], and the autograd Jacobian of the
conditioner zero elsewhere) and the inverse round trip. The same classes serve torch_fit.py, which
can also load a Go model file and compare log-densities with `flow fit`'s (see its docstring).

Run from the repository root with Debian's PyTorch (apt-get install -y python3-torch; 1.13.1 on
OpenBLAS 0.3.21 with libopenblas-dev):
    /usr/bin/python3 benchmarks/torch_maf.py --dtype float64 --threads 2
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/torch_maf.py --dtype float32 --threads 2
--threads 0 keeps PyTorch's default (torch.get_num_threads(), 1 on the project's 2-core VM).

On that VM a page fault on fresh memory is expensive (~25 µs was measured under load; presumably
the guest's free pages go back to the host), and in this script's allocation pattern glibc hands
PyTorch's freed activation buffers back to the kernel and faults them in again on the next call
(~1 million minor faults a float64 run), which makes the step 2-5x slower (torch_fit.py's loop is
not affected). Keeping the buffers in the heap gives PyTorch's real cost:
    env OPENBLAS_NUM_THREADS=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296 \
        MALLOC_TOP_PAD_=268435456 /usr/bin/python3 benchmarks/torch_maf.py --dtype float64 --threads 2
(see benchmarks/WHOLEFIT.md). On a CPU with AVX-512 that OpenBLAS 0.3.21 does not know (AMD Zen 5:
it takes its AVX2 Haswell kernels), add OPENBLAS_CORETYPE=SkylakeX, PyTorch's best there; the first
line of the report names the kernels in use. CI does not run this script.
"""

import argparse
import ctypes
import math
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

CLAMP = 3.0


# ---------------------------------------------------------------------------------------------
# model (shared with torch_fit.py)

def hidden_degrees(k, width):
    """masks.Hidden with a nil rng: unit u gets u mod (k-1) + 1, sorted ascending (all 0 if k <= 1)."""
    if k <= 1:
        return torch.zeros(width, dtype=torch.long)
    return torch.sort(torch.arange(width) % (k - 1) + 1).values


def made_masks(order, hidden):
    """masks.MADE(order, hidden, 2, nil) as out×in masks (nn.Linear's weight layout).

    Hidden masks: h[:, None] >= prev[None, :]; output mask: out[:, None] > prev[None, :] with the
    output degrees the input degrees twice (s, then t)."""
    order = torch.as_tensor(order, dtype=torch.long)
    k = int(order.max())
    prev, ms = order, []
    for w in hidden:
        h = hidden_degrees(k, w)
        ms.append((h[:, None] >= prev[None, :]).to(torch.get_default_dtype()))
        prev = h
    out = torch.cat([order, order])
    ms.append((out[:, None] > prev[None, :]).to(torch.get_default_dtype()))
    return ms


class MaskedLinear(nn.Linear):
    def __init__(self, mask):
        super().__init__(mask.shape[1], mask.shape[0])
        self.register_buffer("mask", mask)

    def forward(self, x):
        return F.linear(x, self.weight * self.mask, self.bias)


class AffineMADE(nn.Module):
    """y = x·exp(s) + t, (raw s | raw t) = MADE(x), s = C·tanh(raw/C); log-det Σ s."""

    def __init__(self, order, hidden, clamp=CLAMP, zero_last=True):
        super().__init__()
        self.register_buffer("order", torch.as_tensor(order, dtype=torch.long))
        self.d, self.clamp = len(order), clamp
        maps = [MaskedLinear(m) for m in made_masks(order, hidden)]
        if zero_last:
            nn.init.zeros_(maps[-1].weight)
            nn.init.zeros_(maps[-1].bias)
        self.maps = nn.ModuleList(maps)

    def net(self, x):
        for m in self.maps[:-1]:
            x = F.relu(m(x))
        return self.maps[-1](x)

    def st(self, x):
        raw = self.net(x)
        s, t = raw[:, :self.d], raw[:, self.d:]
        if self.clamp > 0:
            s = self.clamp * torch.tanh(s / self.clamp)
        return s, t

    def forward(self, x):
        s, t = self.st(x)
        return x * torch.exp(s) + t, s.sum(1)

    @torch.no_grad()
    def inverse(self, y):
        x = torch.zeros_like(y)
        for i in torch.argsort(self.order).tolist():
            s, t = self.st(x)
            x[:, i] = (y[:, i] - t[:, i]) * torch.exp(-s[:, i])
        return x


class Standardize(nn.Module):
    """The frozen first layer of `flow fit`: y = (x - shift)·exp(log_scale), log-det Σ log_scale."""

    def __init__(self, shift, log_scale):
        super().__init__()
        self.register_buffer("shift", torch.as_tensor(shift, dtype=torch.get_default_dtype()))
        self.register_buffer("log_scale", torch.as_tensor(log_scale, dtype=torch.get_default_dtype()))

    def forward(self, x):
        return (x - self.shift) * torch.exp(self.log_scale), self.log_scale.sum().expand(x.shape[0])

    def inverse(self, y):
        return y * torch.exp(-self.log_scale) + self.shift


class Flow(nn.Module):
    """log p(x) = log p_base(f(x)) + Σ log-dets; base N(0, I) (nu = 0) or a Student-t with nu
    degrees of freedom (distributions.StudentT)."""

    def __init__(self, layers, d, nu=0.0):
        super().__init__()
        self.layers, self.d, self.nu = nn.ModuleList(layers), d, nu

    def base_log_prob(self, y):
        sq = (y * y).sum(1)
        if self.nu == 0:
            return -0.5 * sq - 0.5 * self.d * math.log(2 * math.pi)
        nu, d = self.nu, self.d
        c = math.lgamma((nu + d) / 2) - math.lgamma(nu / 2) - d / 2 * math.log(nu * math.pi)
        return c - (nu + d) / 2 * torch.log1p(sq / nu)

    def log_prob(self, x):
        total = 0
        for layer in self.layers:
            x, ld = layer(x)
            total = total + ld
        return self.base_log_prob(x) + total

    @torch.no_grad()
    def sample(self, n):
        y = torch.randn(n, self.d)
        if self.nu:
            w = torch.distributions.Chi2(torch.tensor(float(self.nu))).sample((n, 1))
            y = y * torch.sqrt(self.nu / w)
        for layer in reversed(self.layers):
            y = layer.inverse(y)
        return y


def maf(d, hidden, layers=5, clamp=CLAMP, zero_last=True):
    """MAF-`layers` with degrees 1..D on even layers and D..1 on odd ones (masks.Alternate)."""
    orders = [list(range(1, d + 1)) if k % 2 == 0 else list(range(d, 0, -1)) for k in range(layers)]
    return Flow([AffineMADE(o, hidden, clamp, zero_last) for o in orders], d)


def check_layer(layer, tol):
    """Shapes, strict autoregressiveness (masks and autograd Jacobian), inverse round trip."""
    d, order = layer.d, layer.order
    allowed = order[None, :] < order[:, None]  # allowed[i, j]: output dim i may see input j
    reach = layer.maps[0].mask
    for m in layer.maps[1:]:
        reach = m.mask @ reach
    assert reach.shape == (2 * d, d), reach.shape
    for half in (reach[:d], reach[d:]):
        assert not ((half > 0) & ~allowed).any(), "mask path to a later dimension"
        assert ((half > 0) == allowed).all(), "an allowed dependency has no path"
    x = torch.randn(3, d)
    jac = torch.autograd.functional.jacobian(lambda v: layer.net(v[None])[0], x[0])
    assert jac.shape == (2 * d, d)
    assert (jac[:d][~allowed] == 0).all() and (jac[d:][~allowed] == 0).all(), "Jacobian not triangular"
    y, ld = layer(x)
    assert y.shape == x.shape and ld.shape == (3,)
    err = (layer.inverse(y) - x).abs().max().item()
    assert err < tol, f"round trip error {err}"


# ---------------------------------------------------------------------------------------------
# benchmarks

def perturbed_maf(d, h):
    f = maf(d, [h, h])
    with torch.no_grad():
        for p in f.parameters():
            p.add_(0.01 * torch.randn_like(p))
    return f


def timed(fn, rows, reps):
    fn()  # warm-up
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best, rows / best


def run(d, h, reps):
    f = perturbed_maf(d, h)
    tol = 1e-9 if torch.get_default_dtype() == torch.float64 else 1e-4
    for layer in f.layers:
        check_layer(layer, tol)
    xb, xl = torch.randn(256, d), torch.randn(4096, d)
    opt = torch.optim.Adam(f.parameters(), lr=1e-3)

    def train_step():
        opt.zero_grad()
        loss = -f.log_prob(xb).mean()
        loss.backward()
        opt.step()

    def log_prob():
        with torch.no_grad():
            f.log_prob(xl)

    out = []
    for name, fn, rows, r in [("TrainStep", train_step, 256, reps[0]), ("LogProb", log_prob, 4096, reps[1]),
                              ("Sample", lambda: f.sample(512), 512, reps[2]),
                              ("Sample1", lambda: f.sample(1), 1, reps[3])]:
        sec, rate = timed(fn, rows, r)
        out.append((f"{name}/D={d}", sec, rate))
    return out


def blas_library():
    """The BLAS library this process loaded (Debian's torch calls libblas.so.3, which the
    alternatives system points at OpenBLAS only when libopenblas0 is installed; otherwise at the
    reference BLAS, which made the D=63 step 7x slower here), warning on stderr when it is not
    OpenBLAS: a handicapped peer."""
    torch.ones(8, 8) @ torch.ones(8, 8)
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                libs.add(os.path.realpath(path))
    if not any("openblas" in lib for lib in libs):
        print(f"warning: BLAS is {sorted(libs) or 'unknown'}, not OpenBLAS; install it "
              "(apt-get install -y libopenblas-dev) to measure PyTorch at its best", file=sys.stderr)
    return ",".join(sorted(libs)) or "unknown"


def openblas_core():
    """The kernels OpenBLAS chose (openblas_get_corename), warning on stderr when the CPU has
    AVX-512 and they are not AVX-512 ones: OpenBLAS 0.3.21 does not know AMD Zen 5 (family 0x1a)
    and takes its Haswell (AVX2) kernels there, and OPENBLAS_CORETYPE=SkylakeX made PyTorch's step
    1.3-1.45x faster on such a host (benchmarks/README)."""
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        core = lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return "unknown"
    with open("/proc/cpuinfo") as f:
        avx512 = " avx512f" in f.read()
    if avx512 and core.lower() not in ("skylakex", "cooperlake", "sapphirerapids", "zen4", "zen5"):
        print(f"warning: this CPU has AVX-512 but OpenBLAS runs its {core} kernels; set "
              "OPENBLAS_CORETYPE=SkylakeX to measure PyTorch at its best", file=sys.stderr)
    return core


def env_summary():
    """The thread settings, BLAS library and glibc malloc tunables in effect, for the report's
    first line."""
    env = [f"torch {torch.__version__}", f"{str(torch.get_default_dtype())[6:]}", f"threads {torch.get_num_threads()}",
           f"BLAS {blas_library()}", f"OpenBLAS core {openblas_core()}", f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}"]
    env += [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("MALLOC_") or k == "OPENBLAS_CORETYPE"]
    return ", ".join(env)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads; 0: PyTorch's default")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_default_dtype(getattr(torch, args.dtype))
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(env_summary())
    rows = run(8, 128, (30, 20, 5, 50)) + run(63, 512, (5, 5, 1, 5))
    print(f"| {'benchmark':<15} | {'ms/op':>10} | {'samples/s':>10} |")
    print(f"|{'-' * 17}|{'-' * 11}:|{'-' * 11}:|")
    for name, sec, rate in rows:
        print(f"| {name:<15} | {sec * 1e3:>10.3f} | {rate:>10,.0f} |")


if __name__ == "__main__":
    main()
