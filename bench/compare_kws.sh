#!/usr/bin/env bash
# Java vs PyTorch speed of the keyword-spotting model (40 log-mel inputs per step, T = 98, LSTM 1 x 256, softmax over
# 20, batch 64, Adam 1e-3) on synthetic input of that shape, every row computing all T steps, at 1 and 2 threads.
#
#   bench/compare_kws.sh                          # defaults of both sides, threads 1 then 2
#   bench/compare_kws.sh --threads 2              # one thread count
#   bench/compare_kws.sh -- --batches 40          # anything after -- goes to both sides
#   bench/compare_kws.sh --smoke                  # tiny settings, checks the pipeline (about 10 s after the build)
#
# For each thread count it runs the Java command (RankCodingCli bench-kws, from jars built and copied by
# bench/classpath.sh), then the PyTorch mirror (bench/pytorch_kws.py), back to back with the same options, keeps both
# JSON files and tables in the output directory, and prints the ratios ours / PyTorch of the time per example-step of
# EOS training, RC training from fresh weights and full-sequence inference (< 1: this library is faster). Needs
# python3-torch from Debian and /usr/bin/python3. Run it on an otherwise idle machine; on a busy one, with
# OMP_WAIT_POLICY=PASSIVE, or PyTorch's 2-thread figures measure its threads spinning (bench/README.md).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/bench/out"
WORK="${TMPDIR:-/tmp}/rankcoding-compare-kws-$$"
THREADS="1 2"
BOTH=()
# shellcheck source=bench/classpath.sh
source "$REPO/bench/classpath.sh"  # common_option, start_run, stamp; PYTHON, BUILD, SMOKE, JAVA_EXTRA, PY_EXTRA

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'USAGE'
Options:
  --threads "N1 N2 ..."  thread counts, each run on both sides (default "1 2"): Java gradient and inference
                         threads, PyTorch torch.set_num_threads
  --out DIR              output directory for the JSON files and tables (default bench/out)
  --work DIR             private copy of the classpath jars (default $TMPDIR/rankcoding-compare-kws-PID)
  --no-build             reuse the jars already in --work (built by an earlier run)
  --smoke                tiny settings to test the pipeline; the figures mean nothing
  --java-arg ARG         extra argument for the Java command only (repeatable)
  --py-arg ARG           extra argument for bench/pytorch_kws.py only (repeatable)
  -- ARGS...             arguments for both sides (--hidden, --mels, --steps, --classes, --batch, --batches,
                         --warmup, --repetitions, --lr, --threshold, --seed)
USAGE
}

while [[ $# -gt 0 ]]; do
    common_option "$@"
    if (( TAKEN > 0 )); then shift "$TAKEN"; continue; fi
    case "$1" in
        --threads) THREADS="$2"; shift 2 ;;
        --) shift; BOTH+=("$@"); break ;;
        *) echo "unknown option: $1 (arguments for both sides go after --)" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ " ${BOTH[*]-} " == *" --threads "* ]]; then
    echo "give the thread counts with --threads \"N ...\", not after --" >&2; exit 2
fi

start_run  # sets OUT, T0 and JAVA

COMMON=()
if [[ $SMOKE == 1 ]]; then
    TINY=(--hidden 8 --steps 5 --batch 4 --batches 2 --warmup 1 --repetitions 1)
    for (( i = 0; i < ${#TINY[@]}; i += 2 )); do  # options given after -- win
        [[ " ${BOTH[*]-} " == *" ${TINY[i]} "* ]] || COMMON+=("${TINY[i]}" "${TINY[i + 1]}")
    done
fi
COMMON+=(${BOTH[@]+"${BOTH[@]}"})

for N in $THREADS; do
    TAG="kws-t$N"
    stamp "threads $N: load $(cut -d' ' -f1-3 /proc/loadavg); Java: RankCodingCli bench-kws --threads $N ${COMMON[*]-}"
    t=$(date +%s)
    "${JAVA[@]}" org.rankcoding.examples.RankCodingCli bench-kws --threads "$N" ${COMMON[@]+"${COMMON[@]}"} \
        ${JAVA_EXTRA[@]+"${JAVA_EXTRA[@]}"} --overwrite --json "$OUT/$TAG-java.json" | tee "$OUT/$TAG-java.txt"
    echo "java    threads $N: $(( $(date +%s) - t )) s" >&2
    stamp "threads $N: load $(cut -d' ' -f1-3 /proc/loadavg); PyTorch: bench/pytorch_kws.py --threads $N ${COMMON[*]-}"
    t=$(date +%s)
    "$PYTHON" "$REPO/bench/pytorch_kws.py" --threads "$N" ${COMMON[@]+"${COMMON[@]}"} ${PY_EXTRA[@]+"${PY_EXTRA[@]}"} \
        --json "$OUT/$TAG-pytorch.json" | tee "$OUT/$TAG-pytorch.txt"
    echo "pytorch threads $N: $(( $(date +%s) - t )) s" >&2
done

# ---- ratios ours / PyTorch, per thread count
"$PYTHON" - "$OUT" $THREADS <<'PY' | tee "$OUT/kws-ratios.md"
import json
import os
import sys

out, threads = sys.argv[1], sys.argv[2:]
shape = ["hidden", "layers", "mels", "classes", "steps", "batch", "batches", "warmup", "repetitions", "threads",
         "learning_rate", "threshold", "seed"]
figures = [("EOS training", "eos_train", "eos_train"),
           ("RC training, fresh weights, vs PyTorch reference style (nn.LSTM)", "rc_train", "rc_reference_train"),
           ("RC training, fresh weights, vs PyTorch early exit (stepped nn.LSTMCell)", "rc_train", "rc_early_exit_train"),
           ("full-sequence inference", "full_infer", "full_infer")]
loads = []
print("| threads | figure | ours (us per example-step: best, median, max) | PyTorch (best, median, max) "
      "| ratio of bests | ratio of medians | range of ratios |")
print("|---|---|---|---|---|---|---|")
for n in threads:
    java, torch = (json.load(open(os.path.join(out, f"kws-t{n}-{side}.json"))) for side in ("java", "pytorch"))
    differ = [f"{k}: {java.get(k)} vs {torch.get(k)}" for k in shape if java.get(k) != torch.get(k)]
    if differ:
        print(f"WARNING ({n} threads): the two runs differ in " + "; ".join(differ), file=sys.stderr)
    for label, ours_key, theirs_key in figures:
        o = [java[ours_key + "_us_per_example_step" + s] for s in ("", "_median", "_max")]
        p = [torch[theirs_key + "_us_per_example_step" + s] for s in ("", "_median", "_max")]
        print(f"| {n} | {label} | {o[0]:,.2f}, {o[1]:,.2f}, {o[2]:,.2f} | {p[0]:,.2f}, {p[1]:,.2f}, {p[2]:,.2f} "
              f"| **{o[0] / p[0]:.2f}** | {o[1] / p[1]:.2f} | {o[0] / p[2]:.2f} .. {o[2] / p[0]:.2f} |")
    loads.append(f"{n} thread{'s' if n != '1' else ''}: Java {java['loadavg_start']} -> {java['loadavg_end']}, "
                 f"PyTorch {torch['loadavg_start']} -> {torch['loadavg_end']}")
j = java
print()
print(f"keyword-spotting model: LSTM {j['layers']} x {j['hidden']} on {j['mels']} inputs per step, softmax over "
      f"{j['classes']}, batch {j['batch']}, T = {j['steps']}, Adam {j['learning_rate']}, threshold {j['threshold']}; "
      f"synthetic input; {j['repetitions']} repetitions of {j['batches']} batches after {j['warmup']} warm-up; "
      f"ours {j['kernels']} kernels, PyTorch {torch['torch_version']} float32")
print("ratio = ours / PyTorch time per example-step (< 1: ours is faster); range of ratios: our best over PyTorch's "
      "slowest repetition .. our slowest over PyTorch's best")
print("load average (1, 5, 15 min) at the start and the end: " + "; ".join(loads))
PY
echo "total: $(( $(date +%s) - T0 )) s" >&2
stamp "done: $OUT/kws-*"
