#!/usr/bin/env python3
"""PyTorch (CPU) mirror of `RankCodingCli bench-kws`: the speed of the keyword-spotting model.

Model, float32, as `keyword-spotting` trains it by default at hidden 256:
    nn.LSTM(40, 256), one layer, time-major -> nn.Linear(256, 20), softmax
    Adam lr 1e-3, batch 64, T = 98 steps (one second of 10 ms log-mel frames), threshold 0.95, no clipping
(--mels, --hidden, --classes, --batch, --steps, --lr, --threshold.)

Input: synthetic, every feature N(0, 1) (the scale of log-mel features normalised with the training set's statistics),
every label uniform over the classes: --batches distinct batches drawn from --seed before any timing. The Java command
draws from its own generator: both sides see the same distribution, not the same numbers, which does not change the
work as long as every row computes every step. With fresh weights the softmax never puts more than the threshold on a
class (the first batch's largest probability is reported), so no row decides early: both RC variants below compute all
T steps forward and backward, and the script fails if any row decides.

Figures, in microseconds per example-step (wall time / (batches * batch * T)), best and median of --repetitions, each
repetition from the same seeded initial weights with a fresh Adam, after one untimed run of --warmup batches:
    eos_train_us_per_example_step         zero_grad, nn.LSTM over the T steps, readout and cross-entropy at step T,
                                          backward, Adam step
    rc_reference_train_us_per_example_step   RC loss, reference style: nn.LSTM over the T steps, readout and softmax at
                                          every step, first step whose largest probability exceeds the threshold (or
                                          step T), cross-entropy there, backward, Adam step
    rc_early_exit_train_us_per_example_step  RC loss, early exit: an nn.LSTMCell (sharing the nn.LSTM's weights) stepped
                                          in Python, decided rows leaving the batch (pytorch_rc.early_exit_pass), loss
                                          at each row's decision, backward, Adam step
    rc_train_us_per_example_step          the faster of the two RC variants (rc_train_impl says which)
    full_infer_us_per_example_step        nn.LSTM over the T steps under torch.inference_mode(), readout, softmax and
                                          first-spike bookkeeping at every step, no exit
Before measuring, a self-check on a tiny model whose weights are scaled up until its rows decide at many different
steps verifies that the early-exit RC pass gives the reference-style loss, gradients and decision steps, and that
early-exit inference gives the decisions and predictions of the full-sequence inference.

The JSON keys are those of the Java command; bench/compare_kws.sh runs both and divides them.
Only the standard library and torch. Run with Debian's interpreter: /usr/bin/python3 bench/pytorch_kws.py
"""

import os

# Must happen before torch is imported: OpenBLAS's own threads fight PyTorch's OpenMP threads otherwise
# (on 2 cores this roughly halves the throughput). PyTorch's thread count is set by --threads.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from pytorch_frontend import figure_row, log, print_rows, self_check_gate, stats, write_json  # noqa: E402
from pytorch_rc import CellStepper, _blas_info, _loadavg, early_exit_pass, first_spike  # noqa: E402


# --------------------------------------------------------------------------------------------------------
# Data and model
# --------------------------------------------------------------------------------------------------------

def make_batches(gen, count, batch, steps, mels, classes):
    """`count` batches, each (x (T, B, mels) float32 N(0, 1), y (B,) int64 uniform over the classes)."""
    return [(torch.randn(steps, batch, mels, generator=gen), torch.randint(0, classes, (batch,), generator=gen))
            for _ in range(count)]


class KwsNet(nn.Module):
    """nn.LSTM(mels, H), time-major, + nn.Linear(H, K) softmax head (gate order i, f, g, o, as in the Java library)."""

    def __init__(self, mels, hidden, classes):
        super().__init__()
        self.lstm = nn.LSTM(mels, hidden)
        self.head = nn.Linear(hidden, classes)


def softmax_spikes(z, theta):
    """Spike of each row of logits z (..., K): its largest softmax probability exceeds theta."""
    return F.softmax(z, dim=-1).amax(-1) > theta


def rc_reference_logits(net, x, theta):
    """Reference-style RC forward: the logits at each row's decision step (B, K) and the 0-based steps (B,)."""
    out, _ = net.lstm(x)
    z = net.head(out)  # (T, B, K)
    with torch.no_grad():
        s, _ = first_spike(softmax_spikes(z, theta))
    return z.gather(0, s.view(1, -1, 1).expand(1, -1, z.shape[2])).squeeze(0), s


def rc_early_exit_logits(net, stepper, x, theta):
    """Early-exit RC forward: the decided logits, their rows, their 0-based steps and the example-steps computed."""
    z_chunks, row_chunks, step_chunks, computed = early_exit_pass(stepper, net.head, x, theta, want_logits=True,
                                                                  spikes=softmax_spikes)
    return torch.cat(z_chunks), torch.cat(row_chunks), torch.cat(step_chunks), computed


class TrainEos:
    """End of sequence: nn.LSTM over the T steps, cross-entropy at step T."""
    name = "eos"

    def __init__(self, net, cfg):
        self.net = net

    def loss(self, x, y):
        out, _ = self.net.lstm(x)
        return F.cross_entropy(self.net.head(out[-1]), y), x.shape[0] * x.shape[1]


class TrainRcReference:
    """RC, reference style: nn.LSTM over the T steps, readout every step, cross-entropy at the first spike."""
    name = "rc_reference"

    def __init__(self, net, cfg):
        self.net, self.theta = net, cfg.threshold

    def loss(self, x, y):
        zs, s = rc_reference_logits(self.net, x, self.theta)
        return F.cross_entropy(zs, y), int(s.sum()) + x.shape[1]  # steps to the decision, 1-based, summed


class TrainRcEarlyExit:
    """RC, early exit: stepped nn.LSTMCell, decided rows leave, cross-entropy at each row's decision."""
    name = "rc_early_exit"

    def __init__(self, net, cfg):
        self.net, self.theta = net, cfg.threshold
        self.stepper = CellStepper(net, cfg.hidden)

    def loss(self, x, y):
        zs, rows, _steps, computed = rc_early_exit_logits(self.net, self.stepper, x, self.theta)
        return F.cross_entropy(zs, y.index_select(0, rows)), computed


def full_inference(net, x, theta):
    """nn.LSTM over every step, readout and softmax at each: (0-based decision step, prediction there)."""
    p = F.softmax(net.head(net.lstm(x)[0]), dim=-1)
    conf, pred = p.max(-1)
    s, _ = first_spike(conf > theta)
    return s, pred.gather(0, s.unsqueeze(0)).squeeze(0)


def early_exit_inference(net, x, theta):
    """Stepped, decided rows leaving: (0-based decision step, prediction there)."""
    z_chunks, row_chunks, step_chunks, _ = early_exit_pass(CellStepper(net, net.lstm.hidden_size), net.head, x, theta,
                                                           want_logits=False, spikes=softmax_spikes)
    rows = torch.cat(row_chunks)
    steps = torch.empty(x.shape[1], dtype=torch.long)
    pred = torch.empty(x.shape[1], dtype=torch.long)
    steps[rows] = torch.cat(step_chunks)
    pred[rows] = torch.cat(z_chunks).argmax(-1)
    return steps, pred


# --------------------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------------------

def measure_train(variant, net, init_sd, data, cfg):
    """Microseconds per training example-step, one value per repetition. Fails unless every row computed every step."""
    example_steps = cfg.batches * cfg.batch * cfg.steps

    def run(n):
        net.load_state_dict(init_sd)
        trainer = variant(net, cfg)
        opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
        computed = 0
        t0 = time.perf_counter()
        for i in range(n):
            x, y = data[i % len(data)]
            opt.zero_grad(set_to_none=True)
            loss, steps = trainer.loss(x, y)
            loss.backward()
            opt.step()
            computed += steps
        seconds = time.perf_counter() - t0
        if not math.isfinite(loss.item()):
            raise RuntimeError(f"{variant.name} training diverged: loss {loss.item()}")
        if computed != n * cfg.batch * cfg.steps:
            raise RuntimeError(f"{variant.name} training computed {computed} example-steps, expected batches x batch x T = "
                               f"{n * cfg.batch * cfg.steps}: a row decided before step T, so this is not full work")
        return seconds

    if cfg.warmup > 0:
        run(cfg.warmup)
    return [run(cfg.batches) * 1e6 / example_steps for _ in range(cfg.repetitions)]


def measure_infer(net, init_sd, data, cfg):
    """Microseconds per full-sequence inference example-step, one value per repetition."""
    example_steps = cfg.batches * cfg.batch * cfg.steps
    net.load_state_dict(init_sd)

    def run(n):
        with torch.inference_mode():
            t0 = time.perf_counter()
            for i in range(n):
                full_inference(net, data[i % len(data)][0], cfg.threshold)
            return time.perf_counter() - t0

    run(cfg.warmup)
    return [run(cfg.batches) * 1e6 / example_steps for _ in range(cfg.repetitions)]


def largest_probability(net, x):
    """The largest softmax probability of any class at any step of x."""
    with torch.inference_mode():
        return float(F.softmax(net.head(net.lstm(x)[0]), dim=-1).max())


def self_check(theta):
    """On a tiny model (8 inputs, hidden 6, 5 classes, T = 12, batch 32) with its input and readout weights scaled up
    until rows decide at many different steps: early-exit RC == reference-style RC (loss, gradients, decision steps),
    and early-exit inference == full-sequence inference (decision steps, predictions)."""
    mels, hidden, classes, steps, batch = 8, 6, 5, 12, 32
    gen = torch.Generator().manual_seed(5)
    x, y = make_batches(gen, 1, batch, steps, mels, classes)[0]
    torch.manual_seed(3)
    init_sd = KwsNet(mels, hidden, classes).state_dict()
    net = KwsNet(mels, hidden, classes)
    for wi, wh in ((1.0, 1.0), (3.0, 10.0), (10.0, 10.0), (10.0, 30.0), (30.0, 30.0)):
        sd = {k: v.clone() for k, v in init_sd.items()}
        sd["lstm.weight_ih_l0"] *= wi
        sd["head.weight"] *= wh
        net.load_state_dict(sd)
        with torch.inference_mode():
            s, _ = full_inference(net, x, theta)
        if len(set(s.tolist())) >= 4:
            break
    report = {"input_weight_scale": wi, "readout_weight_scale": wh,
              "decision_step_histogram_1_based": {str(k + 1): v for k, v in sorted(
                  {int(t): int((s == t).sum()) for t in s.unique()}.items())}}
    results = {}
    for variant in (TrainRcReference, TrainRcEarlyExit):
        net.load_state_dict(sd)
        net.zero_grad(set_to_none=True)
        if variant is TrainRcReference:
            zs, st = rc_reference_logits(net, x, theta)
            loss = F.cross_entropy(zs, y)
        else:
            zs, rows, st_rows, _ = rc_early_exit_logits(net, CellStepper(net, hidden), x, theta)
            loss = F.cross_entropy(zs, y.index_select(0, rows))
            st = torch.empty(batch, dtype=torch.long)
            st[rows] = st_rows
        loss.backward()
        results[variant.name] = (loss.item(), {k: p.grad.clone() for k, p in net.named_parameters()}, st)
    (l_ref, g_ref, s_ref), (l_ee, g_ee, s_ee) = results["rc_reference"], results["rc_early_exit"]
    max_rel = max(float((g_ref[k] - g_ee[k]).abs().max()) / (float(g_ref[k].abs().max()) + 1e-12) for k in g_ref)
    same_steps = bool(torch.equal(s_ref, s_ee))
    net.load_state_dict(sd)
    with torch.inference_mode():
        s_full, p_full = full_inference(net, x, theta)
        s_exit, p_exit = early_exit_inference(net, x, theta)
    same_inference = bool(torch.equal(s_full, s_exit) and torch.equal(p_full, p_exit))
    report.update({"loss_reference": l_ref, "loss_early_exit": l_ee, "max_rel_grad_diff": max_rel,
                   "same_decision_steps": same_steps, "inference_same_decisions": same_inference,
                   "rows_deciding_before_the_last_step": int((s_ref < steps - 1).sum())})
    report["ok"] = (same_steps and same_inference and max_rel < 1e-4 and abs(l_ref - l_ee) < 1e-5 * max(1.0, abs(l_ref))
                    and len(set(s_ref.tolist())) >= 4)
    return report


# --------------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------------

FIGURES = [
    ("eos_train", "EOS training", TrainEos),
    ("rc_reference_train", "RC training, reference style (nn.LSTM, readout every step)", TrainRcReference),
    ("rc_early_exit_train", "RC training, early exit (stepped nn.LSTMCell)", TrainRcEarlyExit),
]


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hidden", type=int, default=256, help="LSTM hidden size (256)")
    ap.add_argument("--mels", type=int, default=40, help="inputs per step, the mel bands (40)")
    ap.add_argument("--steps", type=int, default=98, help="steps T every row computes (98)")
    ap.add_argument("--classes", type=int, default=20, help="classes of the softmax head (20)")
    ap.add_argument("--batch", type=int, default=64, help="rows per batch (64)")
    ap.add_argument("--batches", type=int, default=20, help="timed batches per repetition; as many distinct batches (20)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed warm-up batches before each measurement (5)")
    ap.add_argument("--repetitions", type=int, default=3, help="timed repetitions; best and median reported (3)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (2)")
    ap.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (1e-3)")
    ap.add_argument("--threshold", type=float, default=0.95, help="spike threshold of the RC loss (0.95)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the initial weights and of the data (1)")
    ap.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    ap.add_argument("--check-only", action="store_true", help="run the self-check only and print it")
    a = ap.parse_args(argv)
    for name, minimum in (("hidden", 1), ("mels", 1), ("steps", 1), ("classes", 2), ("batch", 1), ("batches", 1),
                          ("warmup", 0), ("repetitions", 1), ("threads", 1)):
        if getattr(a, name) < minimum:
            ap.error(f"--{name} = {getattr(a, name)}, expected >= {minimum}")
    if not (a.lr > 0 and math.isfinite(a.lr)):
        ap.error(f"--lr = {a.lr}, expected a finite value > 0")
    if not 0.5 < a.threshold < 1.0:
        ap.error(f"--threshold = {a.threshold}, expected a value in (0.5, 1)")
    return a


def print_table(cfg, out):
    tag = f"{cfg.batches} batches of {cfg.batch} per rep, {cfg.threads} thread{'s' if cfg.threads != 1 else ''}"
    sections = [
        (f"training from the fresh weights: forward + backward over all {cfg.steps} steps + Adam, {tag}",
         [(key, label) for key, label, _ in FIGURES]),
        (f"inference: forward over {cfg.steps} steps (inference_mode, softmax every step), no exit, {tag}",
         [("full_infer", "full-sequence inference")]),
    ]
    rows = []
    for title, figures in sections:
        rows.append(title)
        for key, label in figures:
            s = out["by_figure"][key]
            rows.append(figure_row(f"{label}, per example-step (best)", s))
    print_rows(rows)


def main(argv=None):
    cfg = parse_args(argv)
    torch.set_num_threads(cfg.threads)
    check = self_check(cfg.threshold)
    stop = self_check_gate(check, cfg.check_only)
    if stop is not None:
        return stop

    loadavg_start = _loadavg()
    wall0 = time.perf_counter()
    started = datetime.datetime.now(datetime.timezone.utc)
    data = make_batches(torch.Generator().manual_seed(cfg.seed * 1_000_003 + 55), cfg.batches, cfg.batch, cfg.steps,
                        cfg.mels, cfg.classes)
    torch.manual_seed(cfg.seed)
    net = KwsNet(cfg.mels, cfg.hidden, cfg.classes)
    init_sd = {k: v.clone() for k, v in net.state_dict().items()}
    fresh_max = largest_probability(net, data[0][0])
    print(f"pytorch_kws: LSTM 1 x {cfg.hidden} on {cfg.mels} inputs per step + softmax over {cfg.classes}, batch {cfg.batch}, "
          f"T = {cfg.steps} steps, Adam {cfg.lr}, threshold {cfg.threshold}, {cfg.threads} thread"
          f"{'s' if cfg.threads != 1 else ''}, float32, {cfg.repetitions} repetitions", flush=True)
    print(f"PyTorch {torch.__version__}, Python {platform.python_version()}, {os.cpu_count()} processors, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}",
          flush=True)
    print(f"input: {cfg.batches} synthetic batches, features N(0, 1), labels uniform over {cfg.classes} classes "
          f"(seed {cfg.seed})", flush=True)

    by_figure = {}
    for key, label, variant in FIGURES:
        log(f"  measuring {label} ...")
        by_figure[key] = stats(measure_train(variant, net, init_sd, data, cfg))
    log("  measuring full-sequence inference ...")
    by_figure["full_infer"] = stats(measure_infer(net, init_sd, data, cfg))
    rc_impl = min(("rc_reference", "rc_early_exit"), key=lambda k: by_figure[k + "_train"]["best"])
    by_figure["rc_train"] = by_figure[rc_impl + "_train"]

    out = {
        "benchmark": "bench-kws",
        "implementation": "pytorch",
        "torch_version": torch.__version__,
        "environment": f"Python {platform.python_version()} ({sys.executable}), {platform.machine()}, "
                       f"{os.cpu_count()} processors",
        "parallel_info": torch.__config__.parallel_info(),
        "blas_info": _blas_info(),
        "openblas_num_threads_env": os.environ.get("OPENBLAS_NUM_THREADS"),
        "omp_wait_policy_env": os.environ.get("OMP_WAIT_POLICY"),
        "started_utc": started.isoformat(timespec="seconds"),
        "hidden": cfg.hidden, "layers": 1, "mels": cfg.mels, "classes": cfg.classes, "steps": cfg.steps,
        "batch": cfg.batch, "batches": cfg.batches, "warmup": cfg.warmup, "repetitions": cfg.repetitions,
        "threads": cfg.threads, "learning_rate": cfg.lr, "threshold": cfg.threshold, "seed": cfg.seed,
        "input": "synthetic: features N(0, 1), labels uniform",
        "example_steps_per_rep": cfg.batches * cfg.batch * cfg.steps,
        "fresh_largest_probability": fresh_max,
        "rc_train_impl": rc_impl,
    }
    for key in ("eos_train", "rc_train", "rc_reference_train", "rc_early_exit_train", "full_infer"):
        s = by_figure[key]
        out[f"{key}_us_per_example_step"] = s["best"]
        out[f"{key}_us_per_example_step_median"] = s["median"]
        out[f"{key}_us_per_example_step_max"] = s["max"]
    out.update({
        "by_figure": by_figure,
        "self_check": check,
        "loadavg_start": loadavg_start,
        "loadavg_end": _loadavg(),
        "total_seconds": time.perf_counter() - wall0,
    })

    print_table(cfg, out)
    print(f"RC training reported: {'early exit' if rc_impl == 'rc_early_exit' else 'reference style'} (the faster)")
    print(f"largest softmax probability of the fresh model on the first batch: {fresh_max:.4f} (threshold "
          f"{cfg.threshold}: no row decides early)")
    print(f"load average (1, 5, 15 min): {out['loadavg_start']} at the start, {out['loadavg_end']} at the end")
    if cfg.json:
        write_json(cfg.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
