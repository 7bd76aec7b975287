#!/usr/bin/env python3
"""PyTorch (CPU) mirror of `RankCodingCli bench-frontend`: the speed of the temporal-MNIST front-end model.

Model, float32:
    Conv2d(1, C, 5, padding=2) -> MaxPool2d(2) -> ReLU -> Conv2d(C, D, 5, padding=2) -> MaxPool2d(2) -> ReLU
    -> flatten (channel, row, column; 1,568 features for C = 16, D = 32 on 28 x 28 digits)
    -> LSTM, L layers x H -> Linear(H, 10), softmax
(--channels C, --channels2 D, 0 for a single stage; --layers L; --hidden H.) With --integrate, the front end reads the
running sum of the step images so far (cumsum over time, inside the timed section), like
ConvFrontEndConfig.withIntegration(true).

Input: the first MNIST training digits in file order (the IDX files, raw or .gz, read with the standard library),
latency-coded over 20 bins: pixel p fires at step 20 - min(19, floor(p / 255 * 20 + 1e-9)), each step a binary
28 x 28 image, and only the first T = --steps steps are used, so every row computes exactly T steps. Batch k holds
digits k * batch .. (k + 1) * batch - 1, reused cyclically if the file has fewer than --batches batches. All batches
are built, as dense float32 tensors (T, B, 1, 28, 28), before any timing.

Figures, in microseconds per example-step (wall time / (batches * batch * T)), best and median of --repetitions:
    train_us_per_example_step   zero_grad, forward, cross-entropy at step T, backward, Adam step (lr --lr), each
                                repetition from the same seeded initial weights with a fresh Adam, after one
                                untimed run of --warmup batches
    infer_us_per_example_step   forward over the T steps under torch.inference_mode(), readout, softmax and the
                                first-spike bookkeeping (max probability > 0.95) at every step, no exit

Two ways to run the LSTM (--lstm-impl):
    seq    the front end on all T x B images of a batch in one call, then nn.LSTM over the T steps
    cell   step by step: the front end on the step's B images, then one nn.LSTMCell per layer (sharing the
           nn.LSTM's weights); the shape of a pass in which rows can leave at every step
    auto   (default) measures both and reports the faster one for each figure (train_impl, infer_impl)
Before measuring, a self-check on a tiny model verifies the latency code against the integer formula, the
feature count, and that both ways give the same loss, gradients and outputs (plain and integrating).

The JSON keys are those of the Java command; bench/compare_frontend.sh runs both and divides them.
Only the standard library and torch. Run with Debian's interpreter: /usr/bin/python3 bench/pytorch_frontend.py
"""

import os

# Must happen before torch is imported: OpenBLAS's own threads fight PyTorch's OpenMP threads otherwise
# (on 2 cores this roughly halves the throughput). PyTorch's thread count is set by --threads.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

BINS = 20
EDGE_TOLERANCE = 1e-9
NUM_CLASSES = 10
KERNEL = 5
POOL = 2
THETA = 0.95
TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"


# --------------------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------------------

def locate(data_dir, base):
    """data_dir/base, else data_dir/base.gz (as Mnist.locate in Java), else None."""
    for name in (base, base + ".gz"):
        path = os.path.join(data_dir, name)
        if os.path.isfile(path):
            return path
    return None


def read_idx(path, ndim):
    """(dims, bytes) of an unsigned-byte IDX file with ndim dimensions, raw or gzip-compressed."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0:2] != b"\0\0" or data[2] != 0x08 or data[3] != ndim:
        raise ValueError(f"{path}: expected an unsigned-byte IDX file with {ndim} dimensions (magic 0x0000080{ndim}), "
                         f"found magic {data[:4].hex()}")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = data[4 + 4 * ndim:]
    if len(body) != math.prod(dims):
        raise ValueError(f"{path}: dimensions {dims} need {math.prod(dims)} bytes of data, found {len(body)} "
                         f"(file truncated?)")
    return dims, body


def load_training_digits(data_dir, count):
    """The first `count` training digits: images (count, rows, cols) uint8, labels (count,) int64, and the total."""
    files = {b: locate(data_dir, b) for b in (TRAIN_IMAGES, TRAIN_LABELS)}
    missing = [b + "[.gz]" for b, p in files.items() if p is None]
    if missing:
        where = (f"missing in {data_dir}: {', '.join(missing)}" if os.path.isdir(data_dir)
                 else f"directory {data_dir} does not exist")
        raise FileNotFoundError(f"MNIST training files {where}. Run scripts/fetch-mnist {data_dir} to fetch them")
    (n, rows, cols), pixels = read_idx(files[TRAIN_IMAGES], 3)
    (n_labels,), labels = read_idx(files[TRAIN_LABELS], 1)
    if n_labels != n:
        raise ValueError(f"{n} training images but {n_labels} labels, expected one label per image")
    count = min(count, n)
    images = torch.frombuffer(bytearray(pixels[:count * rows * cols]), dtype=torch.uint8).view(count, rows, cols)
    y = torch.frombuffer(bytearray(labels[:count]), dtype=torch.uint8).to(torch.int64)
    if count and int(y.max()) >= NUM_CLASSES:
        raise ValueError(f"a training label is {int(y.max())}, expected a digit in [0, 9]")
    return images, y, n


def spike_step_table(bins=BINS):
    """Spike step (1-based) of each pixel value 0..255: bins - min(bins - 1, floor(p / 255 * bins + 1e-9))."""
    return torch.tensor([bins - min(bins - 1, math.floor(p / 255 * bins + EDGE_TOLERANCE)) for p in range(256)],
                        dtype=torch.int64)


def latency_code(images, steps, table):
    """The first `steps` steps of the latency code of images (B, rows, cols): float32 (steps, B, 1, rows, cols)."""
    spike = table[images.to(torch.int64)]
    return torch.stack([(spike == t + 1) for t in range(steps)]).unsqueeze(2).to(torch.float32).contiguous()


def make_batches(images, labels, batch, steps, count):
    """`count` distinct batches of `batch` consecutive digits, each (x (T, B, 1, rows, cols), y (B,))."""
    table = spike_step_table()
    return [(latency_code(images[k * batch:(k + 1) * batch], steps, table), labels[k * batch:(k + 1) * batch].clone())
            for k in range(count)]


# --------------------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------------------

class FrontEndNet(nn.Module):
    """Conv front end + nn.LSTM + nn.Linear readout. The stepped cells share (alias) the nn.LSTM's parameters
    and are kept out of the module's registry, so net.parameters() lists each weight once."""

    def __init__(self, rows, cols, channels, channels2, hidden, layers):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, KERNEL, padding=KERNEL // 2)
        self.conv2 = nn.Conv2d(channels, channels2, KERNEL, padding=KERNEL // 2) if channels2 > 0 else None
        if channels2 > 0:
            self.features = channels2 * (rows // POOL // POOL) * (cols // POOL // POOL)
        else:
            self.features = channels * (rows // POOL) * (cols // POOL)
        self.lstm = nn.LSTM(self.features, hidden, layers)
        self.readout = nn.Linear(hidden, NUM_CLASSES)
        cells = []
        for l in range(layers):
            cell = nn.LSTMCell(self.features if l == 0 else hidden, hidden)
            cell.weight_ih = getattr(self.lstm, f"weight_ih_l{l}")
            cell.weight_hh = getattr(self.lstm, f"weight_hh_l{l}")
            cell.bias_ih = getattr(self.lstm, f"bias_ih_l{l}")
            cell.bias_hh = getattr(self.lstm, f"bias_hh_l{l}")
            cells.append(cell)
        self.__dict__["cells"] = cells  # not registered: the parameters belong to self.lstm

    def front(self, x):
        """(N, 1, rows, cols) -> (N, features)."""
        y = F.relu(F.max_pool2d(self.conv1(x), POOL))
        if self.conv2 is not None:
            y = F.relu(F.max_pool2d(self.conv2(y), POOL))
        return y.flatten(1)


def top_seq(net, x, integrate):
    """Top-layer hidden states of every step, (T, B, H): the front end on all T x B images at once, then nn.LSTM."""
    if integrate:
        x = x.cumsum(0)
    steps, b = x.shape[0], x.shape[1]
    f = net.front(x.reshape(steps * b, *x.shape[2:])).reshape(steps, b, -1)
    out, _ = net.lstm(f)
    return out


def top_cell_steps(net, x, integrate):
    """Yields the top-layer hidden state (B, H) of each step, computed step by step with the shared LSTMCells."""
    if integrate:
        x = x.cumsum(0)
    state = [None] * len(net.cells)
    for t in range(x.shape[0]):
        inp = net.front(x[t])
        for l, cell in enumerate(net.cells):
            state[l] = cell(inp, state[l])
            inp = state[l][0]
        yield inp


def train_loss(net, impl, x, y, integrate):
    """Cross-entropy of the readout at step T (the end-of-sequence loss)."""
    if impl == "seq":
        last = top_seq(net, x, integrate)[-1]
    else:
        for last in top_cell_steps(net, x, integrate):
            pass
    return F.cross_entropy(net.readout(last), y)


def infer(net, impl, x, integrate):
    """Forward over every step with readout and softmax at each; returns (prediction at T, first spike step or 0)."""
    if impl == "seq":
        p = F.softmax(net.readout(top_seq(net, x, integrate)), dim=-1)
        conf, pred = p.max(-1)
        crossed = conf > THETA
        first = torch.where(crossed.any(0), crossed.to(torch.int64).argmax(0) + 1, torch.zeros_like(pred[0]))
        return pred[-1], first
    first = None
    pred = None
    for t, h in enumerate(top_cell_steps(net, x, integrate)):
        conf, pred = F.softmax(net.readout(h), dim=-1).max(-1)
        if first is None:
            first = torch.zeros_like(pred)
        first = torch.where((first == 0) & (conf > THETA), torch.full_like(first, t + 1), first)
    return pred, first


# --------------------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------------------

def stats(us):
    return {"best": min(us), "median": statistics.median(us), "max": max(us), "reps": us}


def measure_train(net, init_sd, impl, data, cfg):
    """Microseconds per training example-step, one value per repetition."""
    example_steps = cfg.batches * cfg.batch * cfg.steps

    def run(n):
        net.load_state_dict(init_sd)
        opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
        t0 = time.perf_counter()
        for i in range(n):
            x, y = data[i % len(data)]
            opt.zero_grad(set_to_none=True)
            loss = train_loss(net, impl, x, y, cfg.integrate)
            loss.backward()
            opt.step()
        if not math.isfinite(loss.item()):
            raise RuntimeError(f"training diverged: loss {loss.item()}")
        return time.perf_counter() - t0

    if cfg.warmup > 0:
        run(cfg.warmup)
    return [run(cfg.batches) * 1e6 / example_steps for _ in range(cfg.repetitions)]


def measure_infer(net, init_sd, impl, data, cfg):
    """Microseconds per inference example-step, one value per repetition."""
    example_steps = cfg.batches * cfg.batch * cfg.steps
    net.load_state_dict(init_sd)

    def run(n):
        with torch.inference_mode():
            t0 = time.perf_counter()
            for i in range(n):
                infer(net, impl, data[i % len(data)][0], cfg.integrate)
            return time.perf_counter() - t0

    run(cfg.warmup)
    return [run(cfg.batches) * 1e6 / example_steps for _ in range(cfg.repetitions)]


def self_check():
    """Latency code, feature count, and seq == cell (loss, gradients, outputs) on a tiny model, plain and integrating."""
    table = spike_step_table()
    integer = torch.tensor([BINS - min(BINS - 1, (p * BINS) // 255) for p in range(256)])
    out = {"latency_code_matches_integer_formula": bool(torch.equal(table, integer)),
           "step_of_255": int(table[255]), "step_of_0": int(table[0]),
           "features_28x28_16_32": FrontEndNet(28, 28, 16, 32, 1, 1).features}
    ok = out["latency_code_matches_integer_formula"] and out["step_of_255"] == 1 and out["step_of_0"] == BINS \
        and out["features_28x28_16_32"] == 1568
    gen = torch.Generator().manual_seed(7)
    images = torch.randint(0, 256, (3, 12, 12), generator=gen, dtype=torch.uint8)
    x = latency_code(images, 20, table)[-3:]  # the last steps: the background's step included
    y = torch.tensor([1, 4, 9])
    for integrate in (False, True):
        torch.manual_seed(3)
        net = FrontEndNet(12, 12, 3, 4, 6, 2)
        grads, losses = {}, {}
        for impl in ("seq", "cell"):
            net.zero_grad(set_to_none=True)
            loss = train_loss(net, impl, x, y, integrate)
            loss.backward()
            losses[impl] = loss.item()
            grads[impl] = [p.grad.clone() for p in net.parameters()]
        with torch.inference_mode():
            (pred_s, first_s), (pred_c, first_c) = infer(net, "seq", x, integrate), infer(net, "cell", x, integrate)
        grad_diff = max(float((a - b).abs().max()) for a, b in zip(grads["seq"], grads["cell"]))
        key = "integrate" if integrate else "plain"
        out[key] = {"loss_seq": losses["seq"], "loss_cell": losses["cell"], "max_grad_diff": grad_diff,
                    "same_outputs": bool(torch.equal(pred_s, pred_c) and torch.equal(first_s, first_c))}
        ok = ok and abs(losses["seq"] - losses["cell"]) < 1e-5 and grad_diff < 1e-5 and out[key]["same_outputs"]
    out["ok"] = ok
    return out


# --------------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="data/mnist", help="directory of the MNIST training IDX files (data/mnist)")
    ap.add_argument("--hidden", type=int, default=256, help="LSTM hidden size (256)")
    ap.add_argument("--layers", type=int, default=2, help="stacked LSTM layers (2)")
    ap.add_argument("--channels", type=int, default=16, help="filters of the front end's first stage (16)")
    ap.add_argument("--channels2", type=int, default=32, help="filters of the second stage, 0 for none (32)")
    ap.add_argument("--batch", type=int, default=256, help="digits per batch (256)")
    ap.add_argument("--steps", type=int, default=4, help=f"steps T every row computes, 1 .. {BINS} (4)")
    ap.add_argument("--batches", type=int, default=20, help="timed batches per repetition (20)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed warm-up batches before each measurement (5)")
    ap.add_argument("--repetitions", type=int, default=3, help="timed repetitions; best and median reported (3)")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (1)")
    ap.add_argument("--integrate", action="store_true", help="integrating front end: convolve the running sum")
    ap.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (1e-3)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the initial weights (1)")
    ap.add_argument("--lstm-impl", choices=["auto", "seq", "cell"], default="auto",
                    help="nn.LSTM over the sequence, stepped nn.LSTMCell, or both and keep the faster (auto)")
    ap.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    ap.add_argument("--check-only", action="store_true", help="run the self-check only and print it")
    a = ap.parse_args(argv)
    for name, minimum in (("hidden", 1), ("layers", 1), ("channels", 1), ("channels2", 0), ("batch", 1), ("batches", 1),
                          ("warmup", 0), ("repetitions", 1), ("threads", 1)):
        if getattr(a, name) < minimum:
            ap.error(f"--{name} = {getattr(a, name)}, expected >= {minimum}")
    if not 1 <= a.steps <= BINS:
        ap.error(f"--steps = {a.steps}, expected 1 .. {BINS} (the steps of the {BINS}-bin latency code)")
    if not (a.lr > 0 and math.isfinite(a.lr)):
        ap.error(f"--lr = {a.lr}, expected a finite value > 0")
    return a


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def _loadavg():
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (OSError, AttributeError):  # pragma: no cover
        return None


def print_table(cfg, impls, by_impl, train_impl, infer_impl):
    sections = [
        ("train", train_impl, "training", f"training: zero_grad + forward + backward + Adam, cross-entropy at step "
                                          f"{cfg.steps}, {cfg.batches} batches of {cfg.batch} per rep"),
        ("infer", infer_impl, "inference", f"inference: forward over {cfg.steps} steps (inference_mode, softmax every "
                                           f"step), no exit, {cfg.batches} batches of {cfg.batch} per rep"),
    ]
    rows = []
    for figure, best, name, title in sections:
        rows.append(title)
        for impl in impls:
            s = by_impl[impl][figure]
            rows.append(figure_row(f"{name}, per example-step ({impl}{', best' if impl == best else ''})", s))
    print_rows(rows)


def figure_row(label, s):
    """One table row of a timed figure: its label, best time and the spread of its repetitions."""
    return (label, f"{s['best']:,.2f}",
            f"median {s['median']:,.2f}; {len(s['reps'])} reps: {min(s['reps']):,.2f}..{max(s['reps']):,.2f}")


def self_check_gate(check, check_only):
    """Logs the self-check; the exit code when the run stops here (check only, or a failed check), else None."""
    log(f"self-check {'passed' if check['ok'] else 'FAILED'}: {json.dumps(check)}")
    if check_only:
        print(json.dumps(check, indent=2))
        return 0 if check["ok"] else 1
    if not check["ok"]:
        log("self-check failed: not measuring")
        return 1
    return None


def write_json(path, out):
    """Writes the results to path (its directory made if missing) and says so."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"wrote {path}")


def print_rows(rows):
    """Prints section titles (strings) and figure rows (tuples from figure_row) as an aligned table."""
    w0 = max(len(r[0]) for r in rows if isinstance(r, tuple))
    w1 = max(len(r[1]) for r in rows if isinstance(r, tuple))
    for r in rows:
        if isinstance(r, tuple):
            print(f"  {r[0]:<{w0}}  {r[1]:>{w1}} us   {r[2]}")
        else:
            print()
            print(r)


def main(argv=None):
    cfg = parse_args(argv)
    torch.set_num_threads(cfg.threads)
    check = self_check()
    stop = self_check_gate(check, cfg.check_only)
    if stop is not None:
        return stop

    loadavg_start = _loadavg()
    wall0 = time.perf_counter()
    started = datetime.datetime.now(datetime.timezone.utc)
    try:
        images, labels, total = load_training_digits(cfg.data, cfg.batches * cfg.batch)
    except (OSError, ValueError) as e:
        log(f"pytorch_frontend: cannot load the MNIST training digits: {e}")
        return 1
    if total < cfg.batch:
        log(f"pytorch_frontend: --batch = {cfg.batch}, but {cfg.data} holds only {total} training digits; "
            f"expected 1 .. {total}")
        return 2
    rows, cols = images.shape[1], images.shape[2]
    if min(rows, cols) // POOL < (POOL if cfg.channels2 > 0 else 1):
        log(f"pytorch_frontend: {rows} x {cols} images are too small for the front end's pooling")
        return 1
    distinct = min(cfg.batches, total // cfg.batch)
    data = make_batches(images, labels, cfg.batch, cfg.steps, distinct)

    torch.manual_seed(cfg.seed)
    net = FrontEndNet(rows, cols, cfg.channels, cfg.channels2, cfg.hidden, cfg.layers)
    init_sd = {k: v.clone() for k, v in net.state_dict().items()}
    impls = ["seq", "cell"] if cfg.lstm_impl == "auto" else [cfg.lstm_impl]
    print(f"pytorch_frontend: conv front end {cfg.channels}{' + ' + str(cfg.channels2) if cfg.channels2 else ''} filters "
          f"({KERNEL}x{KERNEL}, max-pool {POOL}, ReLU{', integrating' if cfg.integrate else ''}; {net.features:,} features) "
          f"+ LSTM {cfg.layers} x {cfg.hidden} + softmax over {NUM_CLASSES}, batch {cfg.batch}, T = {cfg.steps} steps, "
          f"Adam {cfg.lr}, {cfg.threads} thread{'s' if cfg.threads != 1 else ''}, float32, {cfg.repetitions} repetitions",
          flush=True)
    print(f"PyTorch {torch.__version__}, Python {platform.python_version()}, {os.cpu_count()} processors, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}", flush=True)
    print(f"input: the first {distinct * cfg.batch:,} training digits of {cfg.data} ({rows} x {cols}), latency-coded "
          f"over {BINS} bins as dense step images, cut to the first {cfg.steps} steps"
          + (f" ({distinct} distinct batches, reused cyclically)" if distinct < cfg.batches else ""), flush=True)

    by_impl = {}
    for impl in impls:
        log(f"  measuring training ({impl}) ...")
        train = stats(measure_train(net, init_sd, impl, data, cfg))
        log(f"  measuring inference ({impl}) ...")
        inference = stats(measure_infer(net, init_sd, impl, data, cfg))
        by_impl[impl] = {"train": train, "infer": inference}
    train_impl = min(impls, key=lambda i: by_impl[i]["train"]["best"])
    infer_impl = min(impls, key=lambda i: by_impl[i]["infer"]["best"])
    train, inference = by_impl[train_impl]["train"], by_impl[infer_impl]["infer"]

    out = {
        "benchmark": "bench-frontend",
        "implementation": "pytorch",
        "torch_version": torch.__version__,
        "environment": f"Python {platform.python_version()} ({sys.executable}), {platform.machine()}, "
                       f"{os.cpu_count()} processors",
        "parallel_info": torch.__config__.parallel_info(),
        "openblas_num_threads_env": os.environ.get("OPENBLAS_NUM_THREADS"),
        "omp_wait_policy_env": os.environ.get("OMP_WAIT_POLICY"),
        "started_utc": started.isoformat(timespec="seconds"),
        "hidden": cfg.hidden, "layers": cfg.layers, "channels": cfg.channels, "channels2": cfg.channels2,
        "kernel": KERNEL, "pool": POOL, "integrate": cfg.integrate, "features": net.features,
        "image_rows": rows, "image_cols": cols, "bins": BINS, "batch": cfg.batch, "steps": cfg.steps,
        "batches": cfg.batches, "distinct_batches": distinct, "warmup": cfg.warmup, "repetitions": cfg.repetitions,
        "threads": cfg.threads, "learning_rate": cfg.lr, "seed": cfg.seed, "input": "dense images",
        "example_steps_per_rep": cfg.batches * cfg.batch * cfg.steps,
        "lstm_impl": cfg.lstm_impl, "train_impl": train_impl, "infer_impl": infer_impl,
        "train_us_per_example_step": train["best"],
        "train_us_per_example_step_median": train["median"],
        "train_us_per_example_step_max": train["max"],
        "infer_us_per_example_step": inference["best"],
        "infer_us_per_example_step_median": inference["median"],
        "infer_us_per_example_step_max": inference["max"],
        "by_impl": by_impl,
        "self_check": check,
        "loadavg_start": loadavg_start,
        "loadavg_end": _loadavg(),
        "total_seconds": time.perf_counter() - wall0,
    }

    print_table(cfg, impls, by_impl, train_impl, infer_impl)
    print(f"load average (1, 5, 15 min): {out['loadavg_start']} at the start, {out['loadavg_end']} at the end")
    if cfg.json:
        write_json(cfg.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
