#!/usr/bin/env bash
# Java vs PyTorch comparison on the noise-vs-signal task, for several LSTM hidden sizes.
#
#   bench/compare.sh                      # hidden 64 125 256 512 1024 (about 30 min on a 2-core machine)
#   bench/compare.sh --hidden "125"       # a subset
#   bench/compare.sh --smoke --hidden 64  # tiny settings, checks the pipeline in about a minute
#
# For each hidden size it runs the Java bench (2 training threads), then the PyTorch mirror
# (bench/pytorch_rc.py, best of 1 and 2 intra-op threads), back to back on the same machine, and keeps the
# JSON files in the output directory. Then bench/ratios.py prints the ratio table (ours / PyTorch) and
# writes throughput-vs-hidden.csv, and org.rankcoding.examples.bench.BenchPlot draws
# throughput-vs-hidden.png from it. Not part of CI; needs python3-torch and libopenblas0-pthread from
# Debian and /usr/bin/python3. Run it on an otherwise idle machine.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HIDDEN="64 125 256 512 1024"
JAVA_FORKS=1
OUT="$REPO/bench/out"
WORK="${TMPDIR:-/tmp}/rankcoding-compare-$$"
# shellcheck source=bench/classpath.sh
source "$REPO/bench/classpath.sh"  # common_option, start_run, stamp; PYTHON, BUILD, SMOKE, JAVA_EXTRA, PY_EXTRA

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'USAGE'
Options:
  --hidden "H1 H2 ..."   hidden sizes to run (default "64 125 256 512 1024")
  --java-forks N         run the Java bench in N JVMs per size and keep the median of each figure (default 1;
                         the JVMs spread by up to 1.5x on the kernels, see docs/benchmarks.md)
  --out DIR              output directory for the JSON, CSV, tables and plot (default bench/out)
  --work DIR             private copy of the classpath jars (default $TMPDIR/rankcoding-compare-PID)
  --no-build             reuse the jars already in --work (built by an earlier run)
  --smoke                tiny settings to test the pipeline; the figures mean nothing
  --java-arg ARG         extra argument for the Java bench (repeatable)
  --py-arg ARG           extra argument for bench/pytorch_rc.py (repeatable)
USAGE
}

while [[ $# -gt 0 ]]; do
    common_option "$@"
    if (( TAKEN > 0 )); then shift "$TAKEN"; continue; fi
    case "$1" in
        --hidden) HIDDEN="$2"; shift 2 ;;
        --java-forks) JAVA_FORKS="$2"; shift 2 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if ! [[ $JAVA_FORKS =~ ^[1-9][0-9]*$ ]]; then
    echo "--java-forks $JAVA_FORKS: expected a whole number >= 1" >&2
    exit 2
fi

start_run  # sets OUT, T0 and JAVA

# ---- run sizes: the same training budget (trained model) on both sides, fewer timed batches for large H
# Prints: train_sequences java_reps java_batches java_warmup py_batches py_warmup test_sequences stream_sequences
sizing() {
    if [[ $SMOKE == 1 ]]; then echo "2560 1 3 1 3 1 500 20"; return; fi
    case "$1" in
        64)  echo "200000 3 40 10 50 5 10000 1000" ;;
        125) echo "200000 5 40 10 50 5 10000 1000" ;;
        256) echo "100000 3 20 5 20 3 5000 500" ;;
        512) echo "40000 3 10 3 10 3 2000 200" ;;
        1024) echo "10000 3 5 2 5 2 1000 100" ;;
        *)   echo "100000 3 20 5 20 3 5000 500" ;;
    esac
}

: > "$OUT/timings.txt"
for H in $HIDDEN; do
    read -r TRAIN JREPS JBATCH JWARM PBATCH PWARM TEST STREAM <<< "$(sizing "$H")"
    stamp "hidden $H: load $(cut -d' ' -f1-3 /proc/loadavg); Java bench (train $TRAIN sequences)"
    t=$(date +%s)
    forks=()
    for (( k = 1; k <= JAVA_FORKS; k++ )); do
        if (( JAVA_FORKS > 1 )); then f="$OUT/java-h$H-fork$k.json"; else f="$OUT/java-h$H.json"; fi
        "${JAVA[@]}" org.rankcoding.examples.RankCodingCli bench --hidden "$H" --threads 2 \
            --train-sequences "$TRAIN" --repetitions "$JREPS" --bench-batches "$JBATCH" --warmup-batches "$JWARM" \
            --test-sequences "$TEST" --stream-sequences "$STREAM" ${JAVA_EXTRA[@]+"${JAVA_EXTRA[@]}"} \
            --overwrite --json "$f" > "${f%.json}.txt"
        forks+=("$f")
    done
    if (( JAVA_FORKS > 1 )); then
        "$PYTHON" "$REPO/bench/median_forks.py" "$OUT/java-h$H.json" "${forks[@]}"
    fi
    echo "java    hidden $H: $(( $(date +%s) - t )) s" | tee -a "$OUT/timings.txt" >&2
    stamp "hidden $H: load $(cut -d' ' -f1-3 /proc/loadavg); PyTorch mirror (train $TRAIN sequences)"
    t=$(date +%s)
    "$PYTHON" "$REPO/bench/pytorch_rc.py" --hidden "$H" --threads 1,2 \
        --train-sequences "$TRAIN" --batches "$PBATCH" --warmup "$PWARM" \
        --test-sequences "$TEST" --stream-sequences "$STREAM" ${PY_EXTRA[@]+"${PY_EXTRA[@]}"} \
        --json "$OUT/pytorch-h$H.json" > "$OUT/pytorch-h$H.txt"
    echo "pytorch hidden $H: $(( $(date +%s) - t )) s" | tee -a "$OUT/timings.txt" >&2
done

# ---- ratio table, CSV and plot
"$PYTHON" "$REPO/bench/ratios.py" --dir "$OUT" --hidden "$HIDDEN" --markdown "$OUT/ratios.md" \
    --csv "$OUT/throughput-vs-hidden.csv" | tee "$OUT/ratios.txt"
"${JAVA[@]}" org.rankcoding.examples.bench.BenchPlot "$OUT/throughput-vs-hidden.csv" "$OUT/throughput-vs-hidden.png"
echo "total: $(( $(date +%s) - T0 )) s" | tee -a "$OUT/timings.txt" >&2
stamp "done: $OUT"
