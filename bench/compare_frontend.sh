#!/usr/bin/env bash
# Java vs PyTorch speed of the temporal-MNIST front-end model (conv front end 16 + 32 filters, LSTM 2 x 256,
# softmax over 10), every row computing exactly T steps of latency-coded MNIST training digits.
#
#   bench/compare_frontend.sh                          # defaults of both sides (batch 256, T = 4, 20 batches, 3 reps)
#   bench/compare_frontend.sh --integrate              # the integrating front end
#   bench/compare_frontend.sh -- --steps 8 --threads 2 # anything after -- goes to both sides
#   bench/compare_frontend.sh --smoke                  # tiny settings, checks the pipeline in seconds
#
# Runs the Java command (RankCodingCli bench-frontend, from jars built and copied by bench/classpath.sh), then
# the PyTorch mirror (bench/pytorch_frontend.py), back to back with the same options, keeps both JSON files
# and tables in the output directory, and prints the ratios ours / PyTorch of the time per example-step for
# training and inference (< 1: this library is faster). Needs python3-torch from Debian and /usr/bin/python3.
# Run it on an otherwise idle machine.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/bench/out"
WORK="${TMPDIR:-/tmp}/rankcoding-compare-frontend-$$"
DATA="$REPO/data/mnist"
INTEGRATE=0
BOTH=()
# shellcheck source=bench/classpath.sh
source "$REPO/bench/classpath.sh"  # common_option, start_run, stamp; PYTHON, BUILD, SMOKE, JAVA_EXTRA, PY_EXTRA

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'USAGE'
Options:
  --integrate            integrating front end (both sides)
  --data DIR             MNIST directory (default data/mnist)
  --out DIR              output directory for the JSON files and tables (default bench/out)
  --work DIR             private copy of the classpath jars (default $TMPDIR/rankcoding-compare-frontend-PID)
  --no-build             reuse the jars already in --work (built by an earlier run)
  --smoke                tiny settings to test the pipeline; the figures mean nothing
  --java-arg ARG         extra argument for the Java command only (repeatable)
  --py-arg ARG           extra argument for bench/pytorch_frontend.py only (repeatable)
  -- ARGS...             arguments for both sides (--hidden, --layers, --channels, --channels2, --batch,
                         --steps, --batches, --warmup, --repetitions, --threads, --lr, --seed)
USAGE
}

while [[ $# -gt 0 ]]; do
    common_option "$@"
    if (( TAKEN > 0 )); then shift "$TAKEN"; continue; fi
    case "$1" in
        --integrate) INTEGRATE=1; shift ;;
        --data) DATA="$2"; shift 2 ;;
        --) shift; BOTH+=("$@"); break ;;
        *) echo "unknown option: $1 (arguments for both sides go after --)" >&2; usage >&2; exit 2 ;;
    esac
done

start_run  # sets OUT, T0 and JAVA

COMMON=(--data "$DATA")
if [[ $SMOKE == 1 ]]; then
    TINY=(--hidden 8 --channels 4 --channels2 4 --batch 4 --batches 2 --warmup 1 --repetitions 1)
    for (( i = 0; i < ${#TINY[@]}; i += 2 )); do  # options given after -- win
        [[ " ${BOTH[*]-} " == *" ${TINY[i]} "* ]] || COMMON+=("${TINY[i]}" "${TINY[i + 1]}")
    done
fi
TAG=frontend
if [[ $INTEGRATE == 1 ]]; then
    COMMON+=(--integrate)
    TAG=frontend-integrate
fi
COMMON+=(${BOTH[@]+"${BOTH[@]}"})

stamp "load $(cut -d' ' -f1-3 /proc/loadavg); Java: RankCodingCli bench-frontend ${COMMON[*]}"
t=$(date +%s)
"${JAVA[@]}" org.rankcoding.examples.RankCodingCli bench-frontend "${COMMON[@]}" ${JAVA_EXTRA[@]+"${JAVA_EXTRA[@]}"} \
    --overwrite --json "$OUT/$TAG-java.json" | tee "$OUT/$TAG-java.txt"
echo "java    $(( $(date +%s) - t )) s" >&2
stamp "load $(cut -d' ' -f1-3 /proc/loadavg); PyTorch: bench/pytorch_frontend.py ${COMMON[*]}"
t=$(date +%s)
"$PYTHON" "$REPO/bench/pytorch_frontend.py" "${COMMON[@]}" ${PY_EXTRA[@]+"${PY_EXTRA[@]}"} \
    --json "$OUT/$TAG-pytorch.json" | tee "$OUT/$TAG-pytorch.txt"
echo "pytorch $(( $(date +%s) - t )) s" >&2

# ---- ratios ours / PyTorch
"$PYTHON" - "$OUT/$TAG-java.json" "$OUT/$TAG-pytorch.json" <<'PY' | tee "$OUT/$TAG-ratios.txt"
import json
import sys

java, torch = (json.load(open(p)) for p in sys.argv[1:3])
shape = ["hidden", "layers", "channels", "channels2", "features", "integrate", "batch", "steps", "batches",
         "distinct_batches", "repetitions", "threads", "learning_rate"]
differ = [f"{k}: {java.get(k)} vs {torch.get(k)}" for k in shape if java.get(k) != torch.get(k)]
if differ:
    print("WARNING: the two runs differ in " + "; ".join(differ))
print()
print(f"front-end model: {java['channels']}" + (f" + {java['channels2']}" if java["channels2"] else "")
      + f" filters ({java['features']:,} features){', integrating' if java['integrate'] else ''}, "
      f"LSTM {java['layers']} x {java['hidden']}, batch {java['batch']}, T = {java['steps']}, "
      f"{java['threads']} thread{'s' if java['threads'] != 1 else ''}")
print(f"PyTorch {torch['torch_version']}: training with {torch['train_impl']}, inference with {torch['infer_impl']} "
      f"(seq: nn.LSTM over the sequence, cell: stepped nn.LSTMCell)")
print()
print(f"{'us per example-step':<22}{'ours':>12}{'PyTorch':>12}{'ratio':>9}{'ratio of medians':>19}")
for name, key in (("training", "train_us_per_example_step"), ("inference", "infer_us_per_example_step")):
    ours, theirs = java[key], torch[key]
    med = java[key + "_median"] / torch[key + "_median"]
    print(f"{name:<22}{ours:>12,.2f}{theirs:>12,.2f}{ours / theirs:>9.2f}{med:>19.2f}")
print()
print("best of the repetitions on each side; ratio = ours / PyTorch time per example-step (< 1: ours is faster)")
print(f"load average: Java {java['loadavg_start']} -> {java['loadavg_end']}, "
      f"PyTorch {torch['loadavg_start']} -> {torch['loadavg_end']}")
PY
echo "total: $(( $(date +%s) - T0 )) s" >&2
stamp "done: $OUT/$TAG-*.json"
