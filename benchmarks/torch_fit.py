#!/usr/bin/python3
"""A PyTorch training loop of the model and budget `flow fit` uses by default, for whole-fit timing.

The model and the training settings are flow fit's defaults (cmd/flow/fit.go, trainer/settings.go,
distributions/build.go, layers/affine.go), for data of width D with N training rows:
  * a frozen first layer standardizing with the training mean and standard deviation (n-1
    denominator; a constant column only shifted), its log-det counted (-standardize, default on);
  * MAF-5: five affine MADE layers (-layers 5 -mask made), no layers between them (-between ""),
    orders 1..D / D..1 alternately (-order alternate), hidden widths [128, 128] for D <= 16 and
    [512, 512] beyond (distributions.DefaultHidden), ReLU, s = 3·tanh(raw/3) (-scale-clamp 3),
    deterministic MADE hidden degrees u mod (D-1) + 1, sorted (torch_maf.made_masks);
  * initialization: U(±1/√fan_in) for the hidden maps' weights and biases (nn.Linear's default,
    the Go builder's law), the last map of each conditioner zero: every layer starts as the identity;
  * base N(0, I) from 10,000 training rows on, a Student-t with ν = 10 below (-base auto);
  * Adam (β 0.9, 0.999, ε 1e-8), lr 1e-3 constant, no weight decay, the gradient clipped to global
    L2 norm 10; minibatches of 256 (min(256, N)) from a fresh random permutation every epoch, the
    last partial batch dropped (N // 256 steps an epoch); loss = mean NLL;
  * the validation NLL after every epoch (batches of 1024, as trainer.Evaluator); the weights of
    the best validation epoch restored at the end, and the test NLL computed with them.
The Go counterpart of `--data power_subset --epochs 10` is
    flow fit -train D/train.csv -val D/val.csv -test D/test.csv -epochs 10 -patience 0 -select none -out M
(-patience 0: no early stopping, so exactly --epochs epochs; -select none: the one model above).

What differs from flow fit:
  * the random streams: Go's math/rand draws the weights, the shuffling and any held-out split, so
    the two fits start from different weights and see different batches (same laws);
  * torch.nn.utils.clip_grad_norm_ scales by 10/(norm + 1e-6), trainer.clip by 10/norm;
  * with fewer than 10,000 training rows (and no -layers/-mask) flow fit also fits MAF-10 and five
    block-triangular layers and keeps the best on the validation split; this script fits MAF-5 only
    (= flow fit -select none);
  * without a val split flow fit holds out a random 10% of the training rows; this script takes
    the same 10% share, drawn from torch's generator;
  * the test NLL: flow fit uses its numeric path (row blocks of 128-1024), here batches of 1024;
  * --dtype float32 computes everything in float32 (flow fit is float64 throughout); the NLLs
    are always summed in float64.
  * `flow fit` also writes the model file (JSON); this script saves nothing.

Printed: one line per epoch (mean training loss over the epoch's steps, validation NLL, seconds),
the fit time (from the first step to the test NLL, what flow fit's "wrote …, N s" measures), the
mean time per epoch, and the final train/val/test mean NLL in nats of the restored model (the train
NLL is a full pass over the training rows, timed separately and not part of the fit time).

--go-model FILE loads the weights of a `flow fit` model file (a standardizer and affine_injection
layers, standard normal or Student-t base) instead of initializing, and compares the test NLL with
the file's meta test_nll (with --epochs 0 nothing is trained): the check that this model computes
the same log-density as the Go one.

Run from the repository root with Debian's PyTorch (apt-get install -y python3-torch):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/torch_fit.py --data power_subset --epochs 10 --dtype float64 --threads 2
    /usr/bin/python3 benchmarks/torch_fit.py --data bsds300 --epochs 2 --dtype float32 --threads 0
    /usr/bin/python3 benchmarks/torch_fit.py --data power_subset --epochs 0 --dtype float64 --go-model M.json
--data is a folder of /work/shared/data (or any folder) with train/val/test as .npy or .csv (one
header row); --train/--val/--test name the files instead. --threads 0 keeps PyTorch's default.
The glibc tunables of torch_maf.py's docstring (MALLOC_MMAP_THRESHOLD_ etc.) apply here too.
CI does not run this script.
"""

import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_maf as tm  # noqa: E402

DATA_ROOT = "/work/shared/data"
SELECT_ROWS = 10000  # distributions.SelectRows: the Student-t base below it (AutoStudentT)
DEFAULT_NU = 10.0


def load_split(path):
    if path.endswith(".npy"):
        return np.load(path).astype(np.float64)
    return np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)


def find_split(folder, name):
    for ext in (".npy", ".csv"):
        p = os.path.join(folder, name + ext)
        if os.path.exists(p):
            return p
    return None


def load_data(args):
    folder = args.data if os.path.isdir(args.data) else os.path.join(DATA_ROOT, args.data)
    paths = {s: getattr(args, s) or find_split(folder, s) for s in ("train", "val", "test")}
    if paths["train"] is None:
        sys.exit(f"torch_fit: no train.npy or train.csv in {folder}; give --train")
    data = {s: load_split(p) for s, p in paths.items() if p}
    if "val" not in data:  # flow fit without -val: a random 10% held out
        x = data["train"]
        nv = max(1, len(x) // 10)
        perm = torch.randperm(len(x)).numpy()
        data["val"], data["train"] = x[perm[:nv]], x[perm[nv:]]
    return data, paths


def default_hidden(d):
    return [512, 512] if d > 16 else [128, 128]


def build(train):
    """flow fit's default model for the training rows train (float64 numpy)."""
    n, d = train.shape
    std = train.std(0, ddof=1)
    ls = np.where((std > 0) & np.isfinite(std), -np.log(np.where(std > 0, std, 1)), 0.0)
    flow = tm.maf(d, default_hidden(d), layers=5, zero_last=True)
    flow.layers.insert(0, tm.Standardize(train.mean(0), ls))
    flow.nu = DEFAULT_NU if n < SELECT_ROWS else 0.0
    return flow


def from_go_model(path):
    """A Flow with the weights of a flow fit model file (affine-injection-flow/v1)."""
    with open(path) as fh:
        m = json.load(fh)
    d = m["dim"]
    base = m["base"]
    if base["type"] == "standard_normal":
        nu = 0.0
    elif base["type"] == "student_t":
        nu = float(base["nu"])
    else:
        sys.exit(f"torch_fit: base {base['type']} not supported")
    layers = []
    for k, l in enumerate(m["layers"]):
        if l["type"] == "elementwise_affine":
            layers.append(tm.Standardize(l["shift"], l["log_scale"]))
            continue
        if l["type"] != "affine_injection" or l.get("context") or l["activation"] != "relu":
            sys.exit(f"torch_fit: layers[{k}]: only relu affine_injection layers without context are supported")
        net = l["net"]
        hidden = [len(e["bias"]) for e in net[:-1]]
        layer = tm.AffineMADE(l["order"], hidden, clamp=l["scale_clamp"])
        with torch.no_grad():
            for lin, e in zip(layer.maps, net):
                mask = torch.tensor(e["mask"]).T
                if not torch.equal(mask.to(lin.mask.dtype), lin.mask):
                    sys.exit(f"torch_fit: layers[{k}]: the file's masks differ from torch_maf.made_masks")
                lin.weight.copy_(torch.tensor(e["weight"]).T)  # Go's W is in×out
                lin.bias.copy_(torch.tensor(e["bias"]))
        layers.append(layer)
    return tm.Flow(layers, d, nu), m.get("meta", {})


def nll(flow, x, batch=1024):
    """Mean NLL in nats (summed in float64)."""
    total = 0.0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            total -= flow.log_prob(x[i:i + batch]).double().sum().item()
    return total / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="a folder of /work/shared/data, or a path")
    ap.add_argument("--train", help="training file (default: DATA/train.npy or .csv)")
    ap.add_argument("--val", help="validation file (default: DATA/val.*; none: 10%% of train held out)")
    ap.add_argument("--test", help="test file (default: DATA/test.*)")
    ap.add_argument("--epochs", type=int, required=True, help="epochs to train (no early stopping)")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads; 0: PyTorch's default")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--go-model", help="load the weights of this flow fit model file and check its test NLL")
    args = ap.parse_args()

    t_start = time.perf_counter()
    torch.set_default_dtype(getattr(torch, args.dtype))
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data, paths = load_data(args)
    n, d = data["train"].shape
    print(tm.env_summary())
    print(f"data: train {paths['train']} {n}×{d}, val {len(data['val'])} rows, "
          f"test {len(data['test']) if 'test' in data else 0} rows")
    if args.go_model:
        flow, meta = from_go_model(args.go_model)
    else:
        flow, meta = build(data["train"]), {}
    for layer in flow.layers:
        if isinstance(layer, tm.AffineMADE):  # masks strictly autoregressive, round trip
            tm.check_layer(layer, 1e-8 if args.dtype == "float64" else 1e-2)
    x = {s: torch.as_tensor(v, dtype=torch.get_default_dtype()) for s, v in data.items()}
    params = [p for p in flow.parameters() if p.requires_grad]
    print(f"model: {len(flow.layers)} layers, {sum(p.numel() for p in params)} parameters, "
          f"{'normal' if flow.nu == 0 else f'student-t:{flow.nu:g}'} base")

    batch = min(256, n)
    steps = n // batch
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(args.seed)
    best_val, best_state, best_epoch = math.inf, copy.deepcopy(flow.state_dict()), 0
    epoch_secs = []
    t_fit = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        sum_loss = 0.0
        for k in range(steps):
            xb = x["train"][perm[k * batch:(k + 1) * batch]]
            opt.zero_grad()
            loss = -flow.log_prob(xb).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 10.0)
            opt.step()
            sum_loss += loss.item()
        v = nll(flow, x["val"])
        if not math.isfinite(v):
            sys.exit(f"torch_fit: epoch {epoch}: non-finite validation NLL {v}")
        star = ""
        if v < best_val:
            best_val, best_state, best_epoch, star = v, copy.deepcopy(flow.state_dict()), epoch, " *"
        epoch_secs.append(time.perf_counter() - t0)
        print(f"epoch {epoch} train_nll={sum_loss / steps:.4f} val_nll={v:.4f} time={epoch_secs[-1]:.1f}s{star}",
              flush=True)
    flow.load_state_dict(best_state)
    test = nll(flow, x["test"]) if "test" in x else math.nan
    fit_sec = time.perf_counter() - t_fit
    val = nll(flow, x["val"])
    t0 = time.perf_counter()
    train = nll(flow, x["train"])
    train_sec = time.perf_counter() - t0

    print(f"best epoch {best_epoch} of {args.epochs}")
    print(f"fit_seconds={fit_sec:.1f} (training, validation every epoch, test NLL)")
    if epoch_secs:
        print(f"seconds_per_epoch={sum(epoch_secs) / len(epoch_secs):.2f} (with validation)")
    print(f"train_nll={train:.6f} (full pass, {train_sec:.1f}s, not in fit_seconds)")
    print(f"val_nll={val:.6f}")
    print(f"test_nll={test:.6f}")
    if args.go_model:
        want = meta.get("test_nll")
        if isinstance(want, (int, float)):
            print(f"go_model test_nll={want:.6f} difference={test - want:.3g}")
    print(f"wall_seconds={time.perf_counter() - t_start:.1f} (from the start of main)")


if __name__ == "__main__":
    main()
