#!/usr/bin/python3
"""Ratio table of the Java bench against the PyTorch mirror (bench/pytorch_rc.py), per hidden size.

Reads DIR/java-h<H>.json (RankCodingCli bench --json) and DIR/pytorch-h<H>.json (pytorch_rc.py --json),
prints one table per hidden size (ours, PyTorch, ratio ours / PyTorch, target, met / not met), a summary of
the targets across sizes, and writes a CSV of the throughputs (--csv) and the same tables as Markdown
(--markdown). Standard library only.
"""
import argparse
import csv
import json
import math
import os
import sys

# target kinds: (">=", x) means ratio >= x; ("<=", x) ratio <= x
TARGETS = {
    "rc": (">=", 3.0),
    "eos": (">=", 1.5),
    "infer_full": (">=", 3.0),
    "stream": ("<=", 0.2),
    "kernel": (">=", 0.5),
}

# the same-work targets: what both sides compute is the same (EOS training, RC against PyTorch's own early-exit
# RC loop, full-sequence inference, the LSTM step against sgemm)
SAME_WORK = {
    "eos": 2.0,
    "rc_vs_early_exit": 2.5,
    "full_infer": 2.0,
    "kernel": 0.75,
}


def same_work_row(h, j, p, res):
    """One row of the same-work targets table for hidden size h."""
    full = max(j["full_infer_seq_per_s"], j["full_infer_seq_per_s_split_threads"]) / p["full_infer_seq_per_s"]
    ok = lambda v, x: "met" if v >= x else "NOT met"
    eos = min(res["eos"], res["eos_fresh"])
    kern = min(res["kernel_fwd"], res["kernel_bwd"])
    return (h, f"{res['eos']:.2f}x / {res['eos_fresh']:.2f}x", ok(eos, SAME_WORK["eos"]),
            f"{res['rc_vs_early_exit']:.2f}x", ok(res["rc_vs_early_exit"], SAME_WORK["rc_vs_early_exit"]),
            f"{full:.2f}x", ok(full, SAME_WORK["full_infer"]),
            f"{res['kernel_fwd'] * 100:.0f}% / {res['kernel_bwd'] * 100:.0f}%", ok(kern, SAME_WORK["kernel"]))


SAME_HEAD = ("hidden", "EOS train (trained / fresh)", ">= 2x", "RC train vs PyTorch early-exit RC", ">= 2.5x",
             "full-sequence infer vs PyTorch full", ">= 2x", "LSTM fwd / bwd % of sgemm", ">= 75%")


def load(path):
    with open(path) as f:
        return json.load(f)


def met(kind, ratio):
    op, x = TARGETS[kind]
    ok = ratio >= x if op == ">=" else ratio <= x
    return "met" if ok else "NOT met"


def target_text(kind):
    op, x = TARGETS[kind]
    if kind == "kernel":
        return f"{op} {x * 100:.0f}%"
    return f"{op} {x:g}x"


def rows_for(h, j, p):
    """Returns a list of (figure, ours, pytorch, ratio_text, target, status) and a dict of target results."""
    rows, results = [], {}
    f0 = lambda v: f"{v:,.0f}"

    def ratio_row(label, ours, theirs, kind=None, unit="seq/s", fmt=f0, note=""):
        r = ours / theirs
        rows.append((label, f"{fmt(ours)} {unit}", f"{fmt(theirs)} {unit}", f"{r:.2f}x",
                     target_text(kind) if kind else "", (met(kind, r) if kind else "") + note))
        return r

    # training
    r = ratio_row("RC training, trained weights (vs PyTorch reference-style RC)", j["rc_train_seq_per_s_trained"],
                  p["rc_train_seq_per_s_trained"], "rc")
    results["rc"] = r
    r2 = ratio_row("RC training, trained weights (vs PyTorch early-exit RC)", j["rc_train_seq_per_s_trained"],
                   p["rc_early_exit_train_seq_per_s_trained"], "rc")
    results["rc_vs_early_exit"] = r2
    # the two trained models decide at different steps, so they compute different example-steps per sequence: the
    # same comparison per example-step (forward) tells the speed of the same algorithm apart from where it decides
    ours_steps = j["example_steps_per_seq_rc_trained_forward"]
    theirs_steps = p["example_steps_per_seq_rc_early_exit_trained"]
    ratio_row(f"RC training per example-step, trained weights (vs PyTorch early-exit RC; {ours_steps:.2f} / "
              f"{theirs_steps:.2f} steps per sequence)", j["rc_train_seq_per_s_trained"] * ours_steps,
              p["rc_early_exit_train_seq_per_s_trained"] * theirs_steps, unit="example-steps/s")
    ratio_row("RC training, fresh weights (vs PyTorch reference-style RC)", j["rc_train_seq_per_s"],
              p["rc_train_seq_per_s_fresh"])
    r = ratio_row("EOS training, trained weights", j["eos_train_seq_per_s_trained"], p["eos_train_seq_per_s_trained"],
                  "eos")
    results["eos"] = r
    r = ratio_row("EOS training, fresh weights", j["eos_train_seq_per_s"], p["eos_train_seq_per_s_fresh"], "eos")
    results["eos_fresh"] = r
    # inference
    ours_exit = max(j["early_exit_infer_seq_per_s"], j["early_exit_infer_seq_per_s_split_threads"])
    which = "1 thread" if j["early_exit_infer_seq_per_s"] >= j["early_exit_infer_seq_per_s_split_threads"] \
        else f"split over {j['threads']} threads"
    r = ratio_row(f"early-exit inference, ours ({which}) vs PyTorch full-sequence", ours_exit,
                  p["full_infer_seq_per_s"], "infer_full")
    results["infer_full"] = r
    r = ratio_row(f"early-exit inference, ours ({which}) vs PyTorch early-exit", ours_exit,
                  p["early_exit_infer_seq_per_s"])
    results["infer_exit"] = r
    ours_full = max(j["full_infer_seq_per_s"], j["full_infer_seq_per_s_split_threads"])
    ratio_row("full-sequence inference, ours (best of 1 / split) vs PyTorch full-sequence", ours_full,
              p["full_infer_seq_per_s"])
    # streaming (lower is better)
    r = ratio_row("streaming, time per step (lower is better)", j["stream_us_per_step"], p["stream_us_per_step"],
                  "stream", unit="us", fmt=lambda v: f"{v:.2f}")
    results["stream"] = r
    ratio_row("streaming, time to decision (lower is better)", j["stream_us_per_decision"],
              p["stream_us_per_decision"], unit="us", fmt=lambda v: f"{v:.1f}")
    # kernels vs PyTorch's sgemm 1024
    sg = p["sgemm_1024_gflops"]
    for key, label, kind in (("lstm_forward_gflops", "LSTM step forward, ours vs PyTorch sgemm 1024^3", "fwd"),
                             ("lstm_backward_gflops", "LSTM step backward, ours vs PyTorch sgemm 1024^3", "bwd")):
        v = j[key]
        rows.append((label, f"{v:.1f} GFLOP/s", f"{sg:.1f} GFLOP/s", f"{100 * v / sg:.0f}%", target_text("kernel"),
                     met("kernel", v / sg)))
        results["kernel_" + kind] = v / sg
    rows.append(("  for context: PyTorch nn.LSTM forward / backward (full sequence)", "",
                 f"{p['lstm_fwd_gflops']:.1f} / {p['lstm_bwd_gflops']:.1f} GFLOP/s", "", "", ""))
    rows.append((f"  for context: ours GEMM 1024^3 ({j.get('kernels', '?')} kernels)", f"{j.get('gemm_1024_gflops', float('nan')):.1f} GFLOP/s",
                 "", "", "", ""))
    # accuracy of the trained models
    na, nb = j["test_sequences"], p["trained_test_sequences"]
    a, b = j["trained_accuracy_first_spike"], p["trained_accuracy_first_spike"]
    se = math.sqrt(a * (1 - a) / na + b * (1 - b) / nb)
    equal_or_better = a >= b - 2 * se
    rows.append((f"accuracy at first spike (trained on {j['train_sequences']:,} / {p['trained_train_sequences']:,} seq)",
                 f"{a * 100:.2f}%", f"{b * 100:.2f}%", f"{(a - b) * 100:+.2f} pt", ">= (within 2 SE)",
                 ("met" if equal_or_better else "NOT met") + f" (2 SE = {2 * se * 100:.2f} pt)"))
    results["accuracy"] = (a, b, equal_or_better)
    rows.append(("mean decision step of the trained model (of T = 40)", f"{j['trained_mean_decision_step']:.2f}",
                 f"{p['trained_mean_decision_step']:.2f}", "", "", ""))
    rows.append(("example-steps per sequence in RC training, trained weights",
                 f"{j['example_steps_per_seq_rc_trained_forward']:.2f}",
                 f"{p['example_steps_per_seq_rc_trained']:.2f} ref / {p['example_steps_per_seq_rc_early_exit_trained']:.2f} exit",
                 "", "", ""))
    rows.append(("no-spike fraction of the trained model", f"{j['trained_no_spike_fraction'] * 100:.1f}%",
                 f"{p['trained_never_spiked_fraction'] * 100:.1f}%", "", "", ""))
    return rows, results


HEAD = ("figure", "ours (Java)", "PyTorch (float32)", "ours / PyTorch", "target", "status")


def text_table(rows):
    w = [max(len(str(r[i])) for r in rows + [HEAD]) for i in range(len(HEAD))]
    lines = ["  ".join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i]) if i < 4 else str(c).ljust(w[i])
                       for i, c in enumerate(r)).rstrip() for r in [HEAD] + rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def print_summary(head, rows):
    """Prints a right-aligned summary table with a rule under its head."""
    w = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for k, r in enumerate([head] + rows):
        print("  ".join(str(c).rjust(w[i]) for i, c in enumerate(r)))
        if k == 0:
            print("-" * (sum(w) + 2 * (len(w) - 1)))


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    ap.add_argument("--hidden", default="64 125 256 512", help="hidden sizes, space- or comma-separated")
    ap.add_argument("--csv", help="write the throughput CSV here")
    ap.add_argument("--markdown", help="write the tables as Markdown here")
    args = ap.parse_args(argv)

    sizes = [int(s) for s in args.hidden.replace(",", " ").split()]
    md, summary, same, csv_rows = [], [], [], []
    for h in sizes:
        jp, pp = os.path.join(args.dir, f"java-h{h}.json"), os.path.join(args.dir, f"pytorch-h{h}.json")
        if not (os.path.exists(jp) and os.path.exists(pp)):
            print(f"hidden {h}: missing {jp if not os.path.exists(jp) else pp}, skipped", file=sys.stderr)
            continue
        j, p = load(jp), load(pp)
        rows, res = rows_for(h, j, p)
        title = (f"hidden {h}: Java {j['threads']} training threads, {j['repetitions']} reps x {j['bench_batches']} "
                 f"batches (median); PyTorch {p['torch_version']} best of threads {p['threads_measured']}, "
                 f"{p['config']['batches']} batches; load at PyTorch start {p['loadavg_start']}")
        print(title)
        print(text_table(rows))
        print()
        md.append(f"### Hidden {h}\n\n{title}\n\n" + md_table(HEAD, rows) + "\n")
        a, b, eq = res["accuracy"]
        summary.append((h, f"{res['rc']:.2f}x / {res['rc_vs_early_exit']:.2f}x", met("rc", res["rc"]),
                        f"{res['eos']:.2f}x / {res['eos_fresh']:.2f}x",
                        met("eos", min(res["eos"], res["eos_fresh"])) if met("eos", res["eos"]) == met("eos", res["eos_fresh"])
                        else "met (trained only)" if res["eos"] >= res["eos_fresh"] else "met (fresh only)",
                        f"{res['infer_full']:.2f}x", met("infer_full", res["infer_full"]),
                        f"{res['stream']:.2f}x", met("stream", res["stream"]),
                        f"{res['kernel_fwd'] * 100:.0f}% / {res['kernel_bwd'] * 100:.0f}%",
                        met("kernel", min(res["kernel_fwd"], res["kernel_bwd"])),
                        f"{a * 100:.2f}% vs {b * 100:.2f}%", "yes" if eq else "no"))
        same.append(same_work_row(h, j, p, res))
        csv_rows.append({
            "hidden": h,
            "ours_rc_train_seq_per_s": j["rc_train_seq_per_s_trained"],
            "pytorch_rc_train_seq_per_s": p["rc_train_seq_per_s_trained"],
            "pytorch_rc_early_exit_train_seq_per_s": p["rc_early_exit_train_seq_per_s_trained"],
            "ours_eos_train_seq_per_s": j["eos_train_seq_per_s_trained"],
            "pytorch_eos_train_seq_per_s": p["eos_train_seq_per_s_trained"],
            "ours_early_exit_infer_seq_per_s": max(j["early_exit_infer_seq_per_s"],
                                                   j["early_exit_infer_seq_per_s_split_threads"]),
            "pytorch_early_exit_infer_seq_per_s": p["early_exit_infer_seq_per_s"],
            "ours_full_infer_seq_per_s": max(j["full_infer_seq_per_s"], j["full_infer_seq_per_s_split_threads"]),
            "pytorch_full_infer_seq_per_s": p["full_infer_seq_per_s"],
        })
    if not summary:
        print("no complete hidden size found in " + args.dir, file=sys.stderr)
        return 1
    shead = ("hidden", "RC train (vs ref / vs exit)", ">= 3x", "EOS train (trained / fresh)", ">= 1.5x", "early-exit infer vs full",
             ">= 3x", "stream time/step", "<= 0.2x", "LSTM fwd / bwd % of sgemm", ">= 50%", "accuracy ours vs PyTorch",
             "equal or better")
    print("targets (ours / PyTorch; RC target judged against PyTorch reference-style RC; EOS: trained / fresh weights; streaming: lower is better)")
    print_summary(shead, summary)
    md.append("### Targets\n\nRatios ours / PyTorch; the RC target is judged against PyTorch reference-style RC "
              "training (the early-exit figure follows the slash); EOS: trained / fresh weights; streaming: lower is better.\n\n"
              + md_table(shead, summary) + "\n")
    print()
    print("same-work targets (ours / PyTorch; EOS: trained / fresh weights, both must meet)")
    print_summary(SAME_HEAD, same)
    md.append("### Same-work targets\n\nRatios ours / PyTorch where both sides compute the same: EOS training (trained / "
              "fresh weights, both must meet), RC training against PyTorch's early-exit RC loop, full-sequence inference "
              "against PyTorch's full-sequence inference, the LSTM step against PyTorch's sgemm.\n\n"
              + md_table(SAME_HEAD, same) + "\n")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(md))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            wr = csv.DictWriter(f, fieldnames=list(csv_rows[0].keys()))
            wr.writeheader()
            wr.writerows(csv_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
