#!/usr/bin/env python3
"""PyTorch (CPU) mirror benchmark of rank-coding (RC) training and inference on the noise-vs-signal task.

Measures, with the reference settings (1 LSTM layer, hidden 125, batch 128, T = 40, input size 1, binary
sigmoid head nn.Linear(H, 1), theta 0.95, Adam lr 3e-4, float32):

  1. training throughput (sequences/s) of
       - RC, reference style: nn.LSTM over the whole sequence, readout at every step, first spike per row
         (no spike -> last step; a spike at step 1 is step 1), loss at the spike step, backward, Adam;
       - RC, early exit: an LSTMCell stepped in Python, decided rows leave the batch (index_select),
         the pass stops when every row has decided, backward from the gathered outputs (the PyTorch
         equivalent of what the Java library does);
       - EOS: loss at the last step, nn.LSTM over the full sequence;
     each from a fresh (seeded) model and from a model RC-trained for --train-sequences sequences;
  2. batch inference throughput of the trained model: early exit (row dropping) and full sequence;
  3. streaming inference of one stream (batch 1, state carried step to step): us per step, us per decision;
  4. sgemm GFLOP/s (1024^3 and the LSTM's own shape) and the achieved GFLOP/s of the LSTM forward/backward.

Only the standard library and torch. Run with Debian's interpreter: /usr/bin/python3 bench/pytorch_rc.py
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

INPUT_SIZE = 1
SLOW_FACTOR = 2.5  # a thread count this much slower than the best in calibration is skipped
SIGNAL_MEAN = 0.05
SIGMA_MIN = 0.05
SIGMA_MAX = 0.25


# --------------------------------------------------------------------------------------------------------
# Data: the noise-vs-signal generator (same distribution as NoiseVsSignalSource in the Java examples).
# --------------------------------------------------------------------------------------------------------

def generate_batch(gen, batch, length):
    """One batch, time-major: x (T, B, 1) float32, y (B,) float32 in {0, 1}.

    label ~ Bernoulli(0.5); sigma ~ U[0.05, 0.25] per sequence; x_t = (+0.05 if label 1 else -0.05)
    + sigma * N(0, 1), for all T steps (no change point)."""
    y = torch.randint(0, 2, (batch,), generator=gen).to(torch.float32)
    sigma = SIGMA_MIN + (SIGMA_MAX - SIGMA_MIN) * torch.rand(batch, generator=gen)
    noise = torch.randn(length, batch, generator=gen)
    x = (2.0 * y - 1.0) * SIGNAL_MEAN + sigma * noise
    return x.unsqueeze(-1).contiguous(), y


def generate_batches(gen, n, batch, length):
    return [generate_batch(gen, batch, length) for _ in range(n)]


def to_layout(batches, batch_first):
    if not batch_first:
        return batches
    return [(x.transpose(0, 1).contiguous(), y) for x, y in batches]


# --------------------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------------------

class Net(nn.Module):
    """nn.LSTM(1, H) + nn.Linear(H, 1) binary sigmoid head. Parameters: lstm.{weight,bias}_{ih,hh}_l0,
    head.{weight,bias}; gate order i, f, g, o (as in the Java library)."""

    def __init__(self, hidden, batch_first=False):
        super().__init__()
        self.batch_first = batch_first
        self.lstm = nn.LSTM(INPUT_SIZE, hidden, num_layers=1, batch_first=batch_first)
        self.head = nn.Linear(hidden, 1)

    def full_logits(self, x):
        """Readout logits at every step, (T, B), for x in this net's layout."""
        out, _ = self.lstm(x)
        z = self.head(out).squeeze(-1)
        return z.transpose(0, 1) if self.batch_first else z

    def last_logits(self, x):
        out, _ = self.lstm(x)
        last = out[:, -1] if self.batch_first else out[-1]
        return self.head(last).squeeze(-1)


def build_net(state_dict, hidden, batch_first=False):
    net = Net(hidden, batch_first)
    net.load_state_dict(state_dict)
    return net


class CellStepper:
    """Steps the net's LSTM one time step at a time with an nn.LSTMCell that shares (aliases) the
    nn.LSTM's parameters, so the optimizer over net.parameters() trains it. Also used by pytorch_kws.py."""

    def __init__(self, net, hidden):
        cell = nn.LSTMCell(net.lstm.input_size, hidden)
        cell.weight_ih = net.lstm.weight_ih_l0
        cell.weight_hh = net.lstm.weight_hh_l0
        cell.bias_ih = net.lstm.bias_ih_l0
        cell.bias_hh = net.lstm.bias_hh_l0
        self.cell = cell
        self.hidden = hidden

    def zero_state(self, n):
        return (torch.zeros(n, self.hidden), torch.zeros(n, self.hidden))

    def step(self, xt, state):  # xt (n, I)
        h, c = self.cell(xt, state)
        return h, (h, c)

    @staticmethod
    def select(state, idx):
        return (state[0].index_select(0, idx), state[1].index_select(0, idx))


class LstmSeq1Stepper:
    """Steps the net's own nn.LSTM with sequences of length 1 and carried state."""

    def __init__(self, net, hidden):
        if net.batch_first:
            raise ValueError("LstmSeq1Stepper needs a time-major net")
        self.lstm = net.lstm
        self.hidden = hidden

    def zero_state(self, n):
        return (torch.zeros(1, n, self.hidden), torch.zeros(1, n, self.hidden))

    def step(self, xt, state):  # xt (n, 1)
        out, state = self.lstm(xt.unsqueeze(0), state)
        return out[0], state

    @staticmethod
    def select(state, idx):
        return (state[0].index_select(1, idx), state[1].index_select(1, idx))


def make_stepper(kind, net, hidden):
    return CellStepper(net, hidden) if kind == "cell" else LstmSeq1Stepper(net, hidden)


# --------------------------------------------------------------------------------------------------------
# RC pieces
# --------------------------------------------------------------------------------------------------------

def spikes_of(z, theta):
    """Spike mask of logits z: p > theta or p < 1 - theta, with p = sigmoid(z)."""
    p = torch.sigmoid(z)
    return (p > theta) | (p < 1.0 - theta)


def first_spike(spikes):
    """spikes (T, B) bool -> 0-based decision step per row: the first spike, or T - 1 if none.
    A spike at step index 0 is a spike at step 0 (no argmax-on-0/1 ambiguity)."""
    length = spikes.shape[0]
    any_spike = spikes.any(0)
    first = spikes.to(torch.uint8).argmax(0)  # argmax returns the first maximal index
    return torch.where(any_spike, first, torch.full_like(first, length - 1)), any_spike


def rc_loss(z, y, beta):
    """Mean over rows of BCE(p, y) - beta * H(p), p = sigmoid(z). H is the binary entropy of the output at
    the decision step (the form documented in docs/method.md)."""
    bce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    if beta == 0.0:
        return bce.mean()
    p = torch.sigmoid(z)
    entropy = p * F.softplus(-z) + (1.0 - p) * F.softplus(z)
    return (bce - beta * entropy).mean()


def early_exit_pass(stepper, head, x, theta, want_logits, spikes=spikes_of):
    """Step-by-step forward over x (T, B, I) with decided rows leaving the batch. head maps the hidden states (n, H)
    to logits (n, 1) for the binary head (squeezed to (n,)) or (n, K); spikes(logits, theta) is each row's spike.

    Returns (list of decided logits chunks (with graph if grad is enabled), list of matching original row
    indices, list of matching 0-based decision steps, example-steps computed)."""
    length, batch = x.shape[0], x.shape[1]
    state = stepper.zero_state(batch)
    rows = torch.arange(batch)
    active = None  # None: every row, in order (saves an index_select per step while nobody has decided)
    z_chunks, row_chunks, step_chunks = [], [], []
    computed = 0
    for t in range(length):
        xt = x[t] if active is None else x[t].index_select(0, active)
        h, state = stepper.step(xt, state)
        z = head(h).squeeze(1)
        n = z.shape[0]
        computed += n
        cur = rows if active is None else active
        if t == length - 1:
            z_chunks.append(z)
            row_chunks.append(cur)
            step_chunks.append(torch.full((n,), t, dtype=torch.long))
            break
        spike = spikes(z.detach(), theta)
        dec = spike.nonzero().squeeze(1)
        nd = dec.numel()
        if nd == 0:
            continue
        if nd == n:
            z_chunks.append(z)
            row_chunks.append(cur)
            step_chunks.append(torch.full((n,), t, dtype=torch.long))
            break
        keep = (~spike).nonzero().squeeze(1)
        z_chunks.append(z.index_select(0, dec) if want_logits else z.detach().index_select(0, dec))
        row_chunks.append(cur.index_select(0, dec))
        step_chunks.append(torch.full((nd,), t, dtype=torch.long))
        active = cur.index_select(0, keep)
        state = stepper.select(state, keep)
    return z_chunks, row_chunks, step_chunks, computed


# --------------------------------------------------------------------------------------------------------
# Training variants. Each returns (loss value, forward example-steps, backward example-steps, sum of
# 1-based decision steps).
# --------------------------------------------------------------------------------------------------------

class TrainRcReference:
    """Reference style: full nn.LSTM, readout every step, gather at the first spike."""
    name = "rc"

    def __init__(self, net, cfg):
        self.net, self.cfg = net, cfg
        self.opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)

    def step(self, x, y):
        self.opt.zero_grad(set_to_none=True)
        z = self.net.full_logits(x)  # (T, B)
        with torch.no_grad():
            s, _ = first_spike(spikes_of(z, self.cfg.theta))
        zs = z.gather(0, s.unsqueeze(0)).squeeze(0)
        loss = rc_loss(zs, y, self.cfg.beta)
        loss.backward()
        self.opt.step()
        length, batch = z.shape
        return loss.item(), length * batch, length * batch, int(s.sum()) + batch


class TrainRcEarlyExit:
    """Early exit: stepped LSTM, decided rows leave the batch, stop when all decided, backward from the
    gathered outputs (autograd then only visits the rows each step computed)."""
    name = "rc_early_exit"

    def __init__(self, net, cfg):
        self.net, self.cfg = net, cfg
        self.stepper = make_stepper(cfg.step_impl, net, cfg.hidden)
        self.opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)

    def step(self, x, y):
        self.opt.zero_grad(set_to_none=True)
        z_chunks, row_chunks, step_chunks, computed = early_exit_pass(
            self.stepper, self.net.head, x, self.cfg.theta, want_logits=True)
        zs = torch.cat(z_chunks) if len(z_chunks) > 1 else z_chunks[0]
        rows = torch.cat(row_chunks) if len(row_chunks) > 1 else row_chunks[0]
        loss = rc_loss(zs, y.index_select(0, rows), self.cfg.beta)
        loss.backward()
        self.opt.step()
        steps_sum = int(torch.cat(step_chunks).sum()) + x.shape[1]
        return loss.item(), computed, computed, steps_sum


class TrainEos:
    """End of sequence: full nn.LSTM, loss at the last step only."""
    name = "eos"

    def __init__(self, net, cfg):
        self.net, self.cfg = net, cfg
        self.opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)

    def step(self, x, y):
        self.opt.zero_grad(set_to_none=True)
        z = self.net.last_logits(x)
        loss = F.binary_cross_entropy_with_logits(z, y)
        loss.backward()
        self.opt.step()
        batch = y.shape[0]
        length = x.shape[1] if self.net.batch_first else x.shape[0]
        return loss.item(), length * batch, length * batch, length * batch


def time_training(variant_cls, state_dict, cfg, batches_tbf, batch_first):
    """Train from state_dict (fresh Adam) over warmup + timed batches; best of cfg.repeats."""
    batches = to_layout(batches_tbf, batch_first) if variant_cls is not TrainRcEarlyExit else batches_tbf
    best = None
    for _ in range(cfg.repeats):
        net = build_net(state_dict, cfg.hidden, batch_first if variant_cls is not TrainRcEarlyExit else False)
        trainer = variant_cls(net, cfg)
        for x, y in batches[:cfg.warmup]:
            trainer.step(x, y)
        fwd = bwd = dec = seqs = 0
        loss_sum = 0.0
        t0 = time.perf_counter()
        for x, y in batches[cfg.warmup:]:
            loss, f, b, d = trainer.step(x, y)
            fwd += f
            bwd += b
            dec += d
            seqs += y.shape[0]
            loss_sum += loss
        dt = time.perf_counter() - t0
        n_batches = len(batches) - cfg.warmup
        res = {
            "seq_per_s": seqs / dt,
            "seconds": dt,
            "sequences": seqs,
            "fwd_example_steps_per_seq": fwd / seqs,
            "bwd_example_steps_per_seq": bwd / seqs,
            "mean_decision_step": dec / seqs,
            "mean_loss": loss_sum / n_batches,
        }
        if best is None or res["seq_per_s"] > best["seq_per_s"]:
            best = res
    return best


# --------------------------------------------------------------------------------------------------------
# Pre-training an RC model, evaluation, inference
# --------------------------------------------------------------------------------------------------------

def pretrain_rc(init_sd, cfg, seed):
    gen = torch.Generator().manual_seed(seed)
    net = build_net(init_sd, cfg.hidden, False)
    trainer = TrainRcEarlyExit(net, cfg)
    n_batches = math.ceil(cfg.train_sequences / cfg.batch)
    fwd = 0
    tail_dec, tail_seqs = 0, 0
    tail_from = n_batches - min(n_batches, max(1, 10_000 // cfg.batch))
    t0 = time.perf_counter()
    for i in range(n_batches):
        x, y = generate_batch(gen, cfg.batch, cfg.seq_len)
        _, f, _, d = trainer.step(x, y)
        fwd += f
        if i >= tail_from:
            tail_dec += d
            tail_seqs += cfg.batch
    dt = time.perf_counter() - t0
    seqs = n_batches * cfg.batch
    return net.state_dict(), {
        "sequences": seqs,
        "seconds": dt,
        "seq_per_s": seqs / dt if dt > 0 else float("nan"),
        "fwd_example_steps_per_seq": fwd / seqs if seqs else float("nan"),
        "train_mean_decision_step_last_10k": tail_dec / tail_seqs if tail_seqs else float("nan"),
    }


def full_inference(net, x, theta):
    """nn.LSTM over the whole sequence, readout at every step, first spike. Returns (decision step 0-based,
    spiked?, prediction at decision step, prediction at last step)."""
    z = net.full_logits(x)
    s, spiked = first_spike(spikes_of(z, theta))
    zs = z.gather(0, s.unsqueeze(0)).squeeze(0)
    return s, spiked, zs > 0, z[-1] > 0


def early_exit_inference(stepper, head, x, theta):
    """Returns (decision step 0-based per row, prediction per row, example-steps computed)."""
    batch = x.shape[1]
    z_chunks, row_chunks, step_chunks, computed = early_exit_pass(stepper, head, x, theta, want_logits=False)
    rows = torch.cat(row_chunks)
    steps = torch.empty(batch, dtype=torch.long)
    pred = torch.empty(batch, dtype=torch.bool)
    steps[rows] = torch.cat(step_chunks)
    pred[rows] = torch.cat(z_chunks) > 0
    return steps, pred, computed


def evaluate(state_dict, cfg, test_tbf):
    net = build_net(state_dict, cfg.hidden, False)
    correct_first = correct_last = never = dec_sum = n = 0
    with torch.inference_mode():
        for x, y in test_tbf:
            s, spiked, pred, pred_last = full_inference(net, x, cfg.theta)
            yb = y > 0.5
            correct_first += int((pred == yb).sum())
            correct_last += int((pred_last == yb).sum())
            never += int((~spiked).sum())
            dec_sum += int(s.sum()) + y.shape[0]
            n += y.shape[0]
    return {
        "test_sequences": n,
        "accuracy_first_spike": correct_first / n,
        "accuracy_last_step": correct_last / n,
        "mean_decision_step": dec_sum / n,
        "never_spiked_fraction": never / n,
    }


def time_full_inference(state_dict, cfg, warm_tbf, test_tbf, batch_first):
    warm = to_layout(warm_tbf, batch_first)
    test = to_layout(test_tbf, batch_first)
    best = None
    with torch.inference_mode():
        for _ in range(cfg.repeats):
            net = build_net(state_dict, cfg.hidden, batch_first)
            for x, _y in warm:
                full_inference(net, x, cfg.theta)
            seqs = 0
            t0 = time.perf_counter()
            for x, y in test:
                full_inference(net, x, cfg.theta)
                seqs += y.shape[0]
            dt = time.perf_counter() - t0
            res = {"seq_per_s": seqs / dt, "seconds": dt, "sequences": seqs,
                   "example_steps_per_seq": float(cfg.seq_len)}
            if best is None or res["seq_per_s"] > best["seq_per_s"]:
                best = res
    return best


def time_early_exit_inference(state_dict, cfg, warm_tbf, test_tbf):
    best = None
    with torch.inference_mode():
        for _ in range(cfg.repeats):
            net = build_net(state_dict, cfg.hidden, False)
            stepper = make_stepper(cfg.step_impl, net, cfg.hidden)
            for x, _y in warm_tbf:
                early_exit_inference(stepper, net.head, x, cfg.theta)
            seqs = computed = correct = 0
            t0 = time.perf_counter()
            for x, y in test_tbf:
                _s, pred, c = early_exit_inference(stepper, net.head, x, cfg.theta)
                computed += c
                seqs += y.shape[0]
                correct += int((pred == (y > 0.5)).sum())  # negligible next to the LSTM
            dt = time.perf_counter() - t0
            res = {"seq_per_s": seqs / dt, "seconds": dt, "sequences": seqs,
                   "example_steps_per_seq": computed / seqs, "accuracy_first_spike": correct / seqs}
            if best is None or res["seq_per_s"] > best["seq_per_s"]:
                best = res
    return best


def time_streaming(state_dict, cfg, stream_seqs):
    """One stream, batch 1, state carried step to step, readout + threshold check every step.

    us per step: every sequence fed for all T steps (threshold checked, not acted on).
    us per decision: every sequence fed until its first spike (or T steps); mean over sequences."""
    lo_theta = 1.0 - cfg.theta
    best = None
    with torch.inference_mode():
        for _ in range(cfg.repeats):
            net = build_net(state_dict, cfg.hidden, False)
            stepper = make_stepper(cfg.step_impl, net, cfg.hidden)
            head = net.head

            def run(seqs, stop):
                steps = 0
                for seq in seqs:
                    state = stepper.zero_state(1)
                    for xt in seq:
                        h, state = stepper.step(xt, state)
                        z = head(h).item()
                        p = 1.0 / (1.0 + math.exp(-z))
                        steps += 1
                        if (p > cfg.theta or p < lo_theta) and stop:
                            break
                return steps

            run(stream_seqs[: max(1, len(stream_seqs) // 10)], True)  # warm-up
            t0 = time.perf_counter()
            all_steps = run(stream_seqs, False)
            dt_all = time.perf_counter() - t0
            t0 = time.perf_counter()
            dec_steps = run(stream_seqs, True)
            dt_dec = time.perf_counter() - t0
            n = len(stream_seqs)
            res = {
                "us_per_step": dt_all / all_steps * 1e6,
                "us_per_decision": dt_dec / n * 1e6,
                "us_per_step_in_decision_run": dt_dec / dec_steps * 1e6,
                "mean_decision_step": dec_steps / n,
                "sequences": n,
            }
            if best is None or res["us_per_decision"] < best["us_per_decision"]:
                best = res
    return best


# --------------------------------------------------------------------------------------------------------
# GEMM and LSTM GFLOP/s
# --------------------------------------------------------------------------------------------------------

def gemm_gflops(m, k, n, min_seconds):
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    c = torch.empty(m, n)
    for _ in range(3):
        torch.mm(a, b, out=c)
    reps = 0
    t0 = time.perf_counter()
    while True:
        for _ in range(5):
            torch.mm(a, b, out=c)
        reps += 5
        dt = time.perf_counter() - t0
        if dt >= min_seconds:
            break
    return 2.0 * m * k * n * reps / dt / 1e9


def lstm_flops_per_step(batch, hidden):
    """GEMM flops of one LSTM step forward: 2 * B * (I + H) * 4H (backward: twice that)."""
    return 2.0 * batch * (INPUT_SIZE + hidden) * 4 * hidden


def time_lstm_gflops(state_dict, cfg, x_tbf, batch_first, stepped):
    """Achieved GEMM GFLOP/s of the LSTM forward (with autograd recording) and backward, over cfg.batches
    iterations on one batch. stepped=True: the Python-stepped cell (cfg.step_impl), else nn.LSTM."""
    net = build_net(state_dict, cfg.hidden, batch_first and not stepped)
    x = x_tbf.transpose(0, 1).contiguous() if (batch_first and not stepped) else x_tbf
    stepper = make_stepper(cfg.step_impl, net, cfg.hidden) if stepped else None
    length, batch = x_tbf.shape[0], x_tbf.shape[1]

    def forward():
        if not stepped:
            out, _ = net.lstm(x)
            return out.sum()
        state = stepper.zero_state(batch)
        hs = []
        for t in range(length):
            h, state = stepper.step(x[t], state)
            hs.append(h)
        return torch.stack(hs).sum()

    for _ in range(max(2, cfg.warmup)):
        forward().backward()
        net.zero_grad(set_to_none=True)
    t_fwd = t_bwd = 0.0
    iters = max(1, cfg.batches)
    for _ in range(iters):
        t0 = time.perf_counter()
        loss = forward()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        net.zero_grad(set_to_none=True)
        t_fwd += t1 - t0
        t_bwd += t2 - t1
    flops_fwd = lstm_flops_per_step(batch, cfg.hidden) * length * iters
    return {
        "fwd_gflops": flops_fwd / t_fwd / 1e9,
        "bwd_gflops": 2.0 * flops_fwd / t_bwd / 1e9,
        "fwd_ms_per_batch": t_fwd / iters * 1e3,
        "bwd_ms_per_batch": t_bwd / iters * 1e3,
    }


def choose_layout(state_dict, cfg, x_tbf, y):
    """Time-major vs batch_first for the full-sequence nn.LSTM: a short forward + backward calibration.
    Returns (batch_first?, {layout: best ms per batch}); with a fixed --layout only that one is timed."""
    candidates = (False, True) if cfg.layout == "auto" else (cfg.layout == "bf",)
    times = {}
    for bf in candidates:
        net = build_net(state_dict, cfg.hidden, bf)
        x = x_tbf.transpose(0, 1).contiguous() if bf else x_tbf
        best = float("inf")
        for i in range(5):
            t0 = time.perf_counter()
            loss = F.binary_cross_entropy_with_logits(net.full_logits(x)[-1], y)
            loss.backward()
            net.zero_grad(set_to_none=True)
            dt = time.perf_counter() - t0
            if i >= 1:
                best = min(best, dt)
        times["batch_first" if bf else "time_major"] = best * 1e3
    if len(candidates) == 1:
        return candidates[0], times
    return times["batch_first"] < times["time_major"], times


# --------------------------------------------------------------------------------------------------------
# Self-check: the early-exit pass must give the reference-style gradients and decisions
# --------------------------------------------------------------------------------------------------------

def self_check(init_sd, cfg, x, y):
    """On one batch, with the readout scaled up so that rows spike at many different steps (step 1
    included): (a) early-exit training gradients == reference-style gradients, for beta 0 and 0.5;
    (b) early-exit inference decisions and predictions == full-sequence inference. Returns a report."""
    # A fresh model never spikes; scale its input and readout weights until rows decide at varied steps.
    length = x.shape[0]
    sd = None
    for wi, wh in ((30.0, 100.0), (100.0, 40.0), (60.0, 60.0), (100.0, 100.0), (300.0, 100.0), (300.0, 300.0)):
        cand = {k: v.clone() for k, v in init_sd.items()}
        cand["lstm.weight_ih_l0"] *= wi
        cand["head.weight"] *= wh
        with torch.inference_mode():
            s_cand, _, _, _ = full_inference(build_net(cand, cfg.hidden, False), x, cfg.theta)
        sd = cand
        if int((s_cand < length - 1).sum()) >= x.shape[1] // 10:
            break
    report = {"ok": True, "input_weight_scale": wi, "readout_weight_scale": wh}
    for beta in (0.0, 0.5):
        grads = {}
        for name in ("reference", "early_exit"):
            net = build_net(sd, cfg.hidden, False)
            if name == "reference":
                z = net.full_logits(x)
                with torch.no_grad():
                    s, _ = first_spike(spikes_of(z, cfg.theta))
                loss = rc_loss(z.gather(0, s.unsqueeze(0)).squeeze(0), y, beta)
                steps = s
            else:
                stepper = make_stepper(cfg.step_impl, net, cfg.hidden)
                zc, rc, sc, _ = early_exit_pass(stepper, net.head, x, cfg.theta, want_logits=True)
                rows = torch.cat(rc)
                loss = rc_loss(torch.cat(zc), y.index_select(0, rows), beta)
                steps = torch.empty_like(rows)
                steps[rows] = torch.cat(sc)
            loss.backward()
            grads[name] = ({k: v.grad.clone() for k, v in net.named_parameters()}, steps, loss.item())
        (g_ref, s_ref, l_ref), (g_ee, s_ee, l_ee) = grads["reference"], grads["early_exit"]
        max_rel = 0.0
        for k in g_ref:
            scale = g_ref[k].abs().max().item() + 1e-12
            max_rel = max(max_rel, (g_ref[k] - g_ee[k]).abs().max().item() / scale)
        same_steps = bool(torch.equal(s_ref, s_ee))
        ok = same_steps and max_rel < 1e-3 and abs(l_ref - l_ee) < 1e-5 * max(1.0, abs(l_ref))
        report[f"beta_{beta}"] = {"loss_reference": l_ref, "loss_early_exit": l_ee, "same_decision_steps": same_steps,
                                 "max_rel_grad_diff": max_rel, "ok": ok}
        report["ok"] &= ok
        if beta == 0.0:
            hist = torch.bincount(s_ref, minlength=x.shape[0])
            report["decision_step_histogram_1_based"] = {str(i + 1): int(c) for i, c in enumerate(hist) if c}
    with torch.inference_mode():
        net = build_net(sd, cfg.hidden, False)
        s_full, _spiked, pred_full, _ = full_inference(net, x, cfg.theta)
        s_ee, pred_ee, _ = early_exit_inference(make_stepper(cfg.step_impl, net, cfg.hidden), net.head, x, cfg.theta)
        ok = bool(torch.equal(s_full, s_ee)) and bool(torch.equal(pred_full, pred_ee))
        report["inference_same_decisions"] = ok
        report["ok"] &= ok
    return report


# --------------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------------

# (key, label, unit, higher_is_better)
FIGURES = [
    ("sgemm_1024_gflops", "sgemm 1024x1024x1024", "GFLOP/s", True),
    ("lstm_shape_gemm_gflops", "gemm at LSTM shape Bx(I+H) * (I+H)x4H", "GFLOP/s", True),
    ("lstm_fwd_gflops", "nn.LSTM forward (achieved GEMM flops)", "GFLOP/s", True),
    ("lstm_bwd_gflops", "nn.LSTM backward (achieved GEMM flops)", "GFLOP/s", True),
    ("lstm_stepped_fwd_gflops", "stepped cell forward (achieved)", "GFLOP/s", True),
    ("lstm_stepped_bwd_gflops", "stepped cell backward (achieved)", "GFLOP/s", True),
    ("rc_train_seq_per_s_fresh", "RC train, reference style, fresh model", "seq/s", True),
    ("rc_early_exit_train_seq_per_s_fresh", "RC train, early exit, fresh model", "seq/s", True),
    ("eos_train_seq_per_s_fresh", "EOS train, fresh model", "seq/s", True),
    ("rc_train_seq_per_s_trained", "RC train, reference style, trained model", "seq/s", True),
    ("rc_early_exit_train_seq_per_s_trained", "RC train, early exit, trained model", "seq/s", True),
    ("eos_train_seq_per_s_trained", "EOS train, trained model", "seq/s", True),
    ("early_exit_infer_seq_per_s", "inference, early exit, trained model", "seq/s", True),
    ("full_infer_seq_per_s", "inference, full sequence, trained model", "seq/s", True),
    ("stream_us_per_step", "streaming batch 1, per step", "us", False),
    ("stream_us_per_decision", "streaming batch 1, per decision", "us", False),
]


def parse_threads(s):
    out = []
    for part in s.split(","):
        part = part.strip()
        if part:
            n = int(part)
            if n < 1:
                raise argparse.ArgumentTypeError("thread counts must be >= 1")
            out.append(n)
    if not out:
        raise argparse.ArgumentTypeError("no thread count given")
    return out


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=parse_threads, default=[1, 2],
                    help="torch.set_num_threads value(s), comma separated (default: 1,2; the faster is "
                         "reported per figure)")
    ap.add_argument("--batches", type=int, default=50, help="timed training batches per measurement (50)")
    ap.add_argument("--warmup", type=int, default=5, help="warm-up batches before each measurement (5)")
    ap.add_argument("--repeats", type=int, default=1, help="repeat each measurement, keep the best (1)")
    ap.add_argument("--train-sequences", type=int, default=200_000,
                    help="sequences to RC-train the 'trained' model on (200000)")
    ap.add_argument("--test-sequences", type=int, default=10_000,
                    help="fresh test sequences: accuracy and batch inference throughput (10000)")
    ap.add_argument("--stream-sequences", type=int, default=1000, help="sequences for streaming (1000)")
    ap.add_argument("--hidden", type=int, default=125, help="LSTM hidden size (125)")
    ap.add_argument("--batch", type=int, default=128, help="training and batch-inference batch size (128)")
    ap.add_argument("--seq-len", type=int, default=40, help="sequence length T (40)")
    ap.add_argument("--theta", type=float, default=0.95, help="spike threshold (0.95)")
    ap.add_argument("--beta", type=float, default=0.0, help="entropy reward weight of the RC loss (0)")
    ap.add_argument("--lr", type=float, default=3e-4, help="Adam learning rate (3e-4)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the initial weights and all data (1)")
    ap.add_argument("--layout", choices=["auto", "tbf", "bf"], default="auto",
                    help="layout of the full-sequence nn.LSTM: time-major, batch_first, or auto "
                         "(short calibration, per thread count)")
    ap.add_argument("--step-impl", choices=["cell", "lstm"], default="cell",
                    help="stepped LSTM: nn.LSTMCell sharing the nn.LSTM's weights (default, faster) or "
                         "nn.LSTM with sequence length 1 and carried state")
    ap.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    ap.add_argument("--keep-slow-threads", action="store_true",
                    help=f"measure every thread count even if its calibration is > {SLOW_FACTOR}x slower than the "
                         "fastest (by default such a count is skipped after the GEMM figures)")
    ap.add_argument("--check-only", action="store_true",
                    help="only run the self-check (early-exit gradients and decisions == reference style) and exit")
    a = ap.parse_args(argv)
    if a.batches < 1 or a.warmup < 0 or a.repeats < 1 or a.train_sequences < 0 or a.test_sequences < 1 \
            or a.stream_sequences < 1 or a.hidden < 1 or a.batch < 1 or a.seq_len < 1:
        ap.error("counts must be positive (warm-up and train-sequences may be 0)")
    if not 0.5 < a.theta < 1.0:
        ap.error("theta must lie in (0.5, 1)")
    return a


def fmt(v, unit):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if unit == "us":
        return f"{v:,.1f}"
    if unit == "GFLOP/s":
        return f"{v:,.2f}"
    return f"{v:,.0f}"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def main(argv=None):
    cfg = parse_args(argv)
    loadavg_start = _loadavg()
    if loadavg_start and loadavg_start[0] >= 0.5:
        log(f"WARNING: load average {loadavg_start} at the start (1, 5, 15 min; a run that just ended counts "
            f"too): if other processes are using the CPU, the figures, the 2-thread ones above all, will be off")
    wall0 = time.perf_counter()
    started = datetime.datetime.now(datetime.timezone.utc)
    hidden, batch, length = cfg.hidden, cfg.batch, cfg.seq_len

    # Initial weights (seeded), shared by every variant.
    torch.manual_seed(cfg.seed)
    init_sd = {k: v.clone() for k, v in Net(hidden).state_dict().items()}

    # Data, generated beforehand (excluded from timing). Separate streams per purpose.
    gen_train = torch.Generator().manual_seed(cfg.seed * 1_000_003 + 11)
    train_batches = generate_batches(gen_train, cfg.warmup + cfg.batches, batch, length)
    gen_test = torch.Generator().manual_seed(cfg.seed * 1_000_003 + 22)
    test_batches = []
    remaining = cfg.test_sequences
    while remaining > 0:
        nb = min(batch, remaining)
        test_batches.append(generate_batch(gen_test, nb, length))
        remaining -= nb
    warm_infer = train_batches[: max(1, cfg.warmup)]
    gen_stream = torch.Generator().manual_seed(cfg.seed * 1_000_003 + 33)
    sx, _sy = generate_batch(gen_stream, cfg.stream_sequences, length)
    stream_seqs = [[sx[t, i].view(1, 1).clone() for t in range(length)] for i in range(cfg.stream_sequences)]

    torch.set_num_threads(cfg.threads[0])
    check = self_check(init_sd, cfg, train_batches[0][0], train_batches[0][1])
    log(f"self-check {'passed' if check['ok'] else 'FAILED'}: {json.dumps(check)}")
    if cfg.check_only:
        print(json.dumps(check, indent=2))
        return check

    per = {n: {} for n in cfg.threads}         # figure -> value, per thread count
    details = {n: {} for n in cfg.threads}     # full measurement records, per thread count

    # ---- Phase 0: per thread count, GEMM and a short nn.LSTM forward + backward calibration -----------
    calib_ms = {}
    for n in cfg.threads:
        torch.set_num_threads(n)
        d, p = details[n], per[n]
        log(f"[threads={n}] gemm ...")
        p["sgemm_1024_gflops"] = gemm_gflops(1024, 1024, 1024, 1.0)
        p["lstm_shape_gemm_gflops"] = gemm_gflops(batch, INPUT_SIZE + hidden, 4 * hidden, 0.5)
        bf, lay_times = choose_layout(init_sd, cfg, train_batches[0][0], train_batches[0][1])
        d["layout"] = "batch_first" if bf else "time_major"
        d["layout_calibration_ms"] = lay_times
        calib_ms[n] = min(lay_times.values())
        log(f"[threads={n}] layout {d['layout']} {lay_times}")
    # A thread count whose LSTM pass is several times slower than the best one is pathological (typically
    # OpenMP threads spinning against another process on a busy machine): skip its remaining measurements.
    fastest_ms = min(calib_ms.values())
    threads_run = [n for n in cfg.threads if cfg.keep_slow_threads or calib_ms[n] <= SLOW_FACTOR * fastest_ms]
    for n in cfg.threads:
        if n not in threads_run:
            details[n]["skipped"] = (f"LSTM forward+backward took {calib_ms[n]:.1f} ms vs {fastest_ms:.1f} ms at the "
                                     f"fastest thread count (> {SLOW_FACTOR}x): remaining measurements skipped; "
                                     f"is another process using the cores? (see loadavg; --keep-slow-threads)")
            log(f"[threads={n}] SKIPPED: {details[n]['skipped']}")

    # ---- Phase 1: LSTM GFLOP/s, training from fresh weights -------------------------------------------
    for n in threads_run:
        torch.set_num_threads(n)
        d, p = details[n], per[n]
        bf = d["layout"] == "batch_first"
        log(f"[threads={n}] LSTM GFLOP/s ...")
        g = time_lstm_gflops(init_sd, cfg, train_batches[0][0], bf, stepped=False)
        d["lstm_full"] = g
        p["lstm_fwd_gflops"], p["lstm_bwd_gflops"] = g["fwd_gflops"], g["bwd_gflops"]
        g = time_lstm_gflops(init_sd, cfg, train_batches[0][0], bf, stepped=True)
        d["lstm_stepped"] = g
        p["lstm_stepped_fwd_gflops"], p["lstm_stepped_bwd_gflops"] = g["fwd_gflops"], g["bwd_gflops"]
        for cls in (TrainRcReference, TrainRcEarlyExit, TrainEos):
            log(f"[threads={n}] train {cls.name} (fresh) ...")
            r = time_training(cls, init_sd, cfg, train_batches, bf)
            d[f"{cls.name}_train_fresh"] = r
            p[f"{cls.name}_train_seq_per_s_fresh"] = r["seq_per_s"]

    # ---- Phase 2: RC-train a model to decide early --------------------------------------------------
    pre_threads = max(threads_run, key=lambda n: per[n]["rc_early_exit_train_seq_per_s_fresh"])
    torch.set_num_threads(pre_threads)
    log(f"RC pre-training on {cfg.train_sequences:,} sequences (early exit, {pre_threads} thread(s)) ...")
    trained_sd, pre = pretrain_rc(init_sd, cfg, cfg.seed * 1_000_003 + 44)
    pre["threads"] = pre_threads
    ev_trained = evaluate(trained_sd, cfg, test_batches)
    ev_fresh = evaluate(init_sd, cfg, test_batches)
    log(f"  done in {pre['seconds']:.1f} s: accuracy at first spike {ev_trained['accuracy_first_spike']:.4f}, "
        f"mean decision step {ev_trained['mean_decision_step']:.2f}")

    # ---- Phase 3: training from the trained weights; inference ---------------------------------------
    for n in threads_run:
        torch.set_num_threads(n)
        d, p = details[n], per[n]
        bf = d["layout"] == "batch_first"
        for cls in (TrainRcReference, TrainRcEarlyExit, TrainEos):
            log(f"[threads={n}] train {cls.name} (trained) ...")
            r = time_training(cls, trained_sd, cfg, train_batches, bf)
            d[f"{cls.name}_train_trained"] = r
            p[f"{cls.name}_train_seq_per_s_trained"] = r["seq_per_s"]
        log(f"[threads={n}] inference ...")
        r = time_early_exit_inference(trained_sd, cfg, warm_infer, test_batches)
        d["early_exit_infer"] = r
        p["early_exit_infer_seq_per_s"] = r["seq_per_s"]
        r = time_full_inference(trained_sd, cfg, warm_infer, test_batches, bf)
        d["full_infer"] = r
        p["full_infer_seq_per_s"] = r["seq_per_s"]
        log(f"[threads={n}] streaming ...")
        r = time_streaming(trained_sd, cfg, stream_seqs)
        d["stream"] = r
        p["stream_us_per_step"] = r["us_per_step"]
        p["stream_us_per_decision"] = r["us_per_decision"]

    # ---- Summary ----------------------------------------------------------------------------------------
    result = {}
    threads_used = {}
    for key, _label, _unit, higher in FIGURES:
        vals = {n: per[n][key] for n in cfg.threads if key in per[n]}
        if not vals:
            continue
        nbest = (max if higher else min)(vals, key=lambda n: vals[n])
        result[key] = vals[nbest]
        threads_used[key] = nbest

    def rec(name):  # the measurement record of the thread count reported for a figure
        return details[threads_used[name]]

    T = float(length)
    example_steps = {
        "example_steps_per_seq_rc_fresh": rec("rc_train_seq_per_s_fresh")["rc_train_fresh"]["fwd_example_steps_per_seq"],
        "example_steps_per_seq_rc_early_exit_fresh":
            rec("rc_early_exit_train_seq_per_s_fresh")["rc_early_exit_train_fresh"]["fwd_example_steps_per_seq"],
        "example_steps_per_seq_eos_fresh": T,
        "example_steps_per_seq_rc_trained": rec("rc_train_seq_per_s_trained")["rc_train_trained"]["fwd_example_steps_per_seq"],
        "example_steps_per_seq_rc_early_exit_trained":
            rec("rc_early_exit_train_seq_per_s_trained")["rc_early_exit_train_trained"]["fwd_example_steps_per_seq"],
        "example_steps_per_seq_eos_trained": T,
        "example_steps_per_seq_early_exit_infer": rec("early_exit_infer_seq_per_s")["early_exit_infer"]["example_steps_per_seq"],
        "example_steps_per_seq_full_infer": T,
    }
    # Backward example-steps equal the forward ones for every variant (early exit: autograd only visits
    # the rows each step computed; the others back-propagate through all T steps).
    mean_dec = {
        "rc_mean_decision_step_fresh": rec("rc_train_seq_per_s_fresh")["rc_train_fresh"]["mean_decision_step"],
        "rc_early_exit_mean_decision_step_fresh":
            rec("rc_early_exit_train_seq_per_s_fresh")["rc_early_exit_train_fresh"]["mean_decision_step"],
        "rc_mean_decision_step_trained": rec("rc_train_seq_per_s_trained")["rc_train_trained"]["mean_decision_step"],
        "rc_early_exit_mean_decision_step_trained":
            rec("rc_early_exit_train_seq_per_s_trained")["rc_early_exit_train_trained"]["mean_decision_step"],
        "stream_mean_decision_step": rec("stream_us_per_decision")["stream"]["mean_decision_step"],
    }
    total_seconds = time.perf_counter() - wall0

    out = {
        "benchmark": "pytorch_rc noise-vs-signal",
        "started_utc": started.isoformat(timespec="seconds"),
        "total_seconds": total_seconds,
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "python_executable": sys.executable,
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "parallel_info": torch.__config__.parallel_info(),
        "blas_info": _blas_info(),
        "openblas_num_threads_env": os.environ.get("OPENBLAS_NUM_THREADS"),
        "omp_wait_policy_env": os.environ.get("OMP_WAIT_POLICY"),
        "loadavg_start": loadavg_start,
        "loadavg_end": _loadavg(),
        "threads_measured": threads_run,
        "config": {
            "threads": cfg.threads, "batches": cfg.batches, "warmup": cfg.warmup, "repeats": cfg.repeats,
            "train_sequences": cfg.train_sequences, "test_sequences": cfg.test_sequences,
            "stream_sequences": cfg.stream_sequences, "hidden": hidden, "input_size": INPUT_SIZE,
            "batch": batch, "seq_len": length, "theta": cfg.theta, "beta": cfg.beta, "lr": cfg.lr,
            "seed": cfg.seed, "layout": cfg.layout, "step_impl": cfg.step_impl, "dtype": "float32",
            "infer_batch": batch,
        },
        **result,
        "threads_used": threads_used,
        **example_steps,
        **mean_dec,
        "lstm_flops_per_step_fwd": lstm_flops_per_step(batch, hidden),
        "trained_train_sequences": pre["sequences"],
        "trained_pretrain_seconds": pre["seconds"],
        "trained_pretrain_seq_per_s": pre["seq_per_s"],
        "trained_pretrain_threads": pre["threads"],
        "trained_pretrain_fwd_example_steps_per_seq": pre["fwd_example_steps_per_seq"],
        "trained_pretrain_mean_decision_step_last_10k": pre["train_mean_decision_step_last_10k"],
        "trained_accuracy_first_spike": ev_trained["accuracy_first_spike"],
        "trained_accuracy_last_step": ev_trained["accuracy_last_step"],
        "trained_mean_decision_step": ev_trained["mean_decision_step"],
        "trained_never_spiked_fraction": ev_trained["never_spiked_fraction"],
        "trained_test_sequences": ev_trained["test_sequences"],
        "early_exit_infer_accuracy_first_spike":
            rec("early_exit_infer_seq_per_s")["early_exit_infer"]["accuracy_first_spike"],
        "fresh_accuracy_first_spike": ev_fresh["accuracy_first_spike"],
        "fresh_mean_decision_step": ev_fresh["mean_decision_step"],
        "self_check": check,
        "by_threads": {str(n): {"figures": per[n], "details": details[n]} for n in cfg.threads},
    }

    print_table(cfg, out, per)
    if cfg.json:
        with open(cfg.json, "w") as f:
            json.dump(out, f, indent=2, sort_keys=False)
        print(f"\nJSON written to {cfg.json}")
    return out


def _loadavg():
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (OSError, AttributeError):  # pragma: no cover
        return None


def _blas_info():
    try:
        cfg = torch.__config__.show()
        for part in cfg.split(","):
            if "BLAS_INFO" in part:
                return part.strip()
    except Exception:  # pragma: no cover
        pass
    return "unknown"


def print_table(cfg, out, per):
    threads = cfg.threads
    c = out["config"]
    print()
    print(f"PyTorch {out['torch_version']} RC benchmark, noise vs signal: H={c['hidden']}, B={c['batch']}, "
          f"T={c['seq_len']}, theta={c['theta']}, beta={c['beta']}, Adam lr={c['lr']}, float32, "
          f"{cfg.batches} timed batches after {cfg.warmup} warm-up, step impl {cfg.step_impl}")
    lay = ", ".join(f"{n} thr: {out['by_threads'][str(n)]['details']['layout']}" for n in threads)
    print(f"nn.LSTM layout: {lay}; OPENBLAS_NUM_THREADS={out['openblas_num_threads_env']}; "
          f"load average at start {out['loadavg_start']}, at end {out['loadavg_end']}")
    for n in threads:
        reason = out["by_threads"][str(n)]["details"].get("skipped")
        if reason:
            print(f"{n} thread(s) skipped: {reason}")
    print()
    label_w = max(len(lbl) for _k, lbl, _u, _h in FIGURES) + 2
    head = f"{'figure':<{label_w}}" + "".join(f"{str(n) + ' thr':>12}" for n in threads) + f"{'best':>12}  unit"
    print(head)
    print("-" * len(head))
    for key, label, unit, _h in FIGURES:
        if key not in out:
            continue
        row = f"{label:<{label_w}}"
        for n in threads:
            row += f"{fmt(per[n].get(key), unit):>12}"
        row += f"{fmt(out[key], unit):>12}  {unit} ({out['threads_used'][key]} thr)"
        print(row)
    print()
    print("example-steps computed per sequence (forward; backward is the same):")
    for k in ("rc_fresh", "rc_early_exit_fresh", "eos_fresh", "rc_trained", "rc_early_exit_trained",
              "eos_trained", "early_exit_infer", "full_infer"):
        print(f"  {k:<24}{out['example_steps_per_seq_' + k]:8.2f}")
    print()
    print(f"trained model: RC (early exit) on {out['trained_train_sequences']:,} sequences in "
          f"{out['trained_pretrain_seconds']:.1f} s ({out['trained_pretrain_seq_per_s']:,.0f} seq/s, "
          f"{out['trained_pretrain_threads']} thr, {out['trained_pretrain_fwd_example_steps_per_seq']:.2f} "
          f"example-steps/seq)")
    print(f"  on {out['trained_test_sequences']:,} fresh test sequences: accuracy at first spike "
          f"{out['trained_accuracy_first_spike'] * 100:.2f}%, at last step {out['trained_accuracy_last_step'] * 100:.2f}%, "
          f"mean decision step {out['trained_mean_decision_step']:.2f}, never spiked "
          f"{out['trained_never_spiked_fraction'] * 100:.2f}%")
    print(f"  early-exit inference accuracy (same test set) {out['early_exit_infer_accuracy_first_spike'] * 100:.2f}%; "
          f"streaming mean decision step {out['stream_mean_decision_step']:.2f}")
    print(f"  fresh model: accuracy at first spike {out['fresh_accuracy_first_spike'] * 100:.2f}%, "
          f"mean decision step {out['fresh_mean_decision_step']:.2f}")
    print(f"self-check (early-exit gradients and decisions == reference style): "
          f"{'passed' if out['self_check']['ok'] else 'FAILED'}")
    print()
    print(f"total wall time {out['total_seconds']:.1f} s")


if __name__ == "__main__":
    main()
