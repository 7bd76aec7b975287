# shellcheck shell=bash
# Shared by scripts/make-speech-commands, scripts/make-flite-words and scripts/make-keyword-streams (sourced, not run):
# number helpers, option checks, tool installation, the output directory, the background-noise files, the
# portable random generator, and the post-processing of one spoken word into a 1 s clip.
#
# The caller sets CT_NAME (its name, for messages) before sourcing; the functions use RATE and SAMPLES below.

RATE=16000
SAMPLES=16000

die() { echo "$CT_NAME: $*" >&2; exit 2; }
# usage: the comment at the top of the running script, up to "set -euo pipefail".
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

# The options every generator has, with their defaults.
DIR=""
SEED=1
SNR="5:30"
JOBS="$(nproc 2>/dev/null || echo 2)"
FORCE=0
# common_option ARGS...: takes -h/--help, --seed N, --snr LO:HI, --jobs N, --force or the output directory from the
# front of ARGS and sets USED to the number of arguments it took; stops on any other option.
common_option() {
  USED=1
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --seed) SEED="${2:?--seed needs a number}"; USED=2 ;;
    --snr) SNR="${2:?--snr needs LO:HI}"; USED=2 ;;
    --jobs) JOBS="${2:?--jobs needs a number}"; USED=2 ;;
    --force) FORCE=1 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ -z "$DIR" ] || die "one output directory expected, got '$DIR' and '$1'"; DIR="$1" ;;
  esac
}
# centi "-27.49" -> -2749 (a decimal number of dB in hundredths, for integer arithmetic); "-inf" -> -99999
centi() {
  local v="$1" sign="" int frac
  [ "$v" != "-inf" ] || { echo -99999; return; }
  [ "${v:0:1}" != "-" ] || { sign="-"; v="${v:1}"; }
  int="${v%%.*}"; frac=""; [ "$v" = "$int" ] || frac="${v#*.}"
  frac="${frac}00"; frac="${frac:0:2}"
  echo "$sign$((10#${int:-0} * 100 + 10#$frac))"
}
# decimal -1234 -> "-12.34"
decimal() {
  local v="$1" sign=""
  [ "$v" -ge 0 ] || { sign="-"; v=$((-v)); }
  printf '%s%d.%02d' "$sign" $((v / 100)) $((v % 100))
}
isnum() { [[ "$1" =~ ^[0-9]{1,9}$ ]]; }
count_at_least() { isnum "$1" && [ "$((10#$1))" -ge "$2" ]; }

# check_common_options: checks that an output directory was given, validates SEED, SNR and JOBS and sets SEED,
# SNR_LO, SNR_HI and JOBS as plain decimal numbers.
check_common_options() {
  [ -n "$DIR" ] || { usage >&2; die "no output directory given"; }
  if ! isnum "$SEED" || [ "${#SEED}" -gt 9 ]; then die "--seed $SEED: expected a whole number below 10^9"; fi
  SEED=$((10#$SEED))
  if ! [[ "$SNR" =~ ^([0-9]{1,3}):([0-9]{1,3})$ ]] || [ "$((10#${BASH_REMATCH[1]}))" -gt "$((10#${BASH_REMATCH[2]}))" ]; then
    die "--snr $SNR: expected LO:HI in whole dB with LO <= HI, e.g. 5:30"
  fi
  SNR_LO=$((10#${BASH_REMATCH[1]})); SNR_HI=$((10#${BASH_REMATCH[2]}))
  count_at_least "$JOBS" 1 || die "--jobs $JOBS: expected a whole number >= 1"
  JOBS=$((10#$JOBS))
}

# need_tools "PACKAGES" TOOL...: installs the Debian PACKAGES with apt-get when a TOOL is missing and the script runs
# as root, else stops with what to install.
need_tools() {
  local packages="$1" tool missing=()
  shift
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$CT_NAME: installing $packages (missing: ${missing[*]})" >&2
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    apt-get install -y -q $packages >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $packages >/dev/null; } \
      || die "apt-get install $packages failed"
  else
    die "missing tools: ${missing[*]}; install them, e.g. 'sudo apt-get install $packages' (Debian/Ubuntu)"
  fi
}

# prepare_output_dir NAME...: creates DIR (made absolute) and, with FORCE=1, removes the given NAMEs from an earlier
# run; without it, refuses a DIR that holds any of them. Creates WORK, a temporary directory removed at exit.
prepare_output_dir() {
  local name existing=()
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  for name in "$@"; do [ -e "$DIR/$name" ] && existing+=("$name"); done
  if [ ${#existing[@]} -gt 0 ]; then
    [ "$FORCE" = 1 ] || die "$DIR already holds ${existing[*]}; use --force to replace them, or choose an empty directory"
    for name in "${existing[@]}"; do rm -rf -- "${DIR:?}/$name"; done
  fi
  WORK="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf -- '$WORK'" EXIT
}

# make_noise_files OUT_DIR SECONDS_FACTOR: writes the six background-noise recordings (white, pink, brown noise,
# mains hum, "running tap", "machine rumble"; 20-60 s each times SECONDS_FACTOR) into OUT_DIR and sets noise_files
# and noise_rms (RMS level in centi-dB). sox -R makes them the same on every run.
make_noise_files() {
  local out_dir="$1" factor="$2" spec name effects out layers i part parts
  local noise_specs=(
    "white_noise|synth $((30 * factor)) whitenoise vol 0.25"
    "pink_noise|synth $((45 * factor)) pinknoise vol 0.3"
    "brown_noise|synth $((60 * factor)) brownnoise vol 0.3"
    "mains_hum|synth $((20 * factor)) sine 50 vol 0.15 : synth $((20 * factor)) sine 150 vol 0.08 : synth $((20 * factor)) whitenoise vol 0.03"
    "running_tap|synth $((40 * factor)) pinknoise highpass 1200 tremolo 6 30 vol 0.5"
    "machine_rumble|synth $((50 * factor)) brownnoise lowpass 400 tremolo 1.3 70 vol 0.6"
  )
  mkdir -p "$out_dir"
  noise_files=(); noise_rms=()
  for spec in "${noise_specs[@]}"; do
    IFS='|' read -r name effects <<<"$spec"
    out="$out_dir/$name.wav"
    if [[ "$effects" == *" : "* ]]; then
      # several layers mixed
      layers=(); i=0
      IFS=':' read -r -a parts <<<"$effects"
      for part in "${parts[@]}"; do
        # shellcheck disable=SC2086
        sox -R -D -V1 -n -r $RATE -c 1 -b 16 "$WORK/layer$i.wav" $part
        layers+=(-v 1 "$WORK/layer$i.wav"); i=$((i + 1))
      done
      sox -R -D -V1 -m "${layers[@]}" -b 16 "$out"
    else
      # shellcheck disable=SC2086
      sox -R -D -V1 -n -r $RATE -c 1 -b 16 "$out" $effects
    fi
    noise_files+=("$out")
    noise_rms+=("$(centi "$(sox -V1 "$out" -n stats 2>&1 | sed -n 's/^RMS lev dB *//p')")")
  done
}

# make_noise_segments: cuts the noise files into 1 s stretches starting every 0.25 s (each file cut four times,
# shifted by a quarter second), so that a clip's noise is one file: sets segments and segment_rms (the RMS of the
# stretch's file).
make_noise_segments() {
  local f q pieces last seg segdir="$WORK/noise"
  mkdir -p "$segdir"
  for ((f = 0; f < ${#noise_files[@]}; f++)); do
    for q in 0 1 2 3; do
      sox -V1 "${noise_files[$f]}" -p trim "0.$((q * 25))" | sox -V1 -p "$segdir/n${f}_q${q}_.wav" trim 0 1 : newfile : restart
    done
  done
  segments=(); segment_rms=()
  for ((f = 0; f < ${#noise_files[@]}; f++)); do
    for q in 0 1 2 3; do
      pieces=("$segdir/n${f}_q${q}_"*.wav)
      last="${pieces[${#pieces[@]} - 1]}"
      [ "$(soxi -s "$last")" = "$SAMPLES" ] || unset 'pieces[${#pieces[@]}-1]'   # the short last piece
      for seg in "${pieces[@]}"; do segments+=("$seg"); segment_rms+=("${noise_rms[$f]}"); done
    done
  done
}

# A portable generator (Park-Miller minimal standard, exact in awk's doubles), so that mawk and gawk agree.
# shellcheck disable=SC2034
AWK_RNG='
function rnd_init(s) { st = (s % 2147483646) + 1; for (w = 0; w < 10; w++) rnd() }
function rnd() { st = (st * 16807) % 2147483647; return st / 2147483647 }
function rint(n) { return int(rnd() * n) }
'

# shape_word OUT GAIN PRE -- SYNTH...: runs the synthesizer command SYNTH (a WAV on its standard output) and sox:
# the effects PRE ("-" for none: e.g. tempo and pitch), peak-normalise, trim leading and trailing silence, 16 kHz,
# 16-bit, gain GAIN (centi-dB). When nothing is above the silence threshold the untrimmed utterance is kept. Sets
# WORD_N (the length in samples from sox stats' milliseconds), WORD_LEN (the exact length in samples) and
# WORD_RMS (centi-dB). Returns 1 with a message when sox reports no length or RMS.
shape_word() {
  local out="$1" gain="$2" pre=() stats ms re_len re_rms
  [ "$3" = "-" ] || read -r -a pre <<<"$3"
  shift 4
  re_len='Length s +([0-9]+)\.([0-9]+)'
  re_rms='RMS lev dB +(-?[0-9.]+|-inf)'
  stats="$("$@" | sox -D -V1 -t wav - -r $RATE -b 16 "$out" "${pre[@]}" norm -3 \
      silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse gain "$(decimal "$gain")" stats 2>&1)"
  if ! [[ "$stats" =~ $re_len ]] || [ "$((10#${BASH_REMATCH[1]}${BASH_REMATCH[2]}))" -eq 0 ] \
      || ! [[ "$stats" =~ $re_rms ]] || [ "${BASH_REMATCH[1]}" = "-inf" ]; then
    # nothing above the silence threshold: keep the untrimmed utterance
    stats="$("$@" | sox -D -V1 -t wav - -r $RATE -b 16 "$out" "${pre[@]}" norm -3 gain "$(decimal "$gain")" stats 2>&1)"
  fi
  [[ "$stats" =~ $re_len ]] || { echo "$CT_NAME: no length in sox stats for $out ($*): $stats" >&2; return 1; }
  ms=$((10#${BASH_REMATCH[1]} * 1000 + 10#$(printf '%.3s' "${BASH_REMATCH[2]}000")))
  WORD_N=$((ms * RATE / 1000))
  [[ "$stats" =~ $re_rms ]] || { echo "$CT_NAME: no RMS in sox stats for $out ($*): $stats" >&2; return 1; }
  WORD_RMS="$(centi "${BASH_REMATCH[1]}")"
  WORD_LEN="$(soxi -s "$out")"
}

# make_clips SHARD BOUNDS: generates every clip of one plan shard and appends "file,start,end" per clip to BOUNDS;
# stops at the first failure. A plan line is, tab-separated:
#   file  gain(centi-dB)  shift(millionths)  noise-segment  snr(centi-dB)  split  pre-effects  synthesizer command
# The word (shape_word) is placed at a uniformly random offset inside the 1 s window (cut at the end if longer) and
# mixed with the noise stretch at the SNR (active speech RMS over the noise file's RMS): sox -M takes word and
# noise as two channels, delays the word, scales the noise, mixes to mono and cuts to exactly 16,000 samples.
make_clips() {
  local shard="$1" bounds="$2" tmp file gain shift k snr split pre synth cmd pad nrms end
  tmp="$(mktemp -d -p "$WORK")"
  while IFS=$'\t' read -r file gain shift k snr split pre synth; do
    read -r -a cmd <<<"$synth"
    shape_word "$tmp/word.wav" "$gain" "$pre" -- "${cmd[@]}" || return 1
    pad=0
    [ "$WORD_N" -ge "$SAMPLES" ] || pad=$((shift * (SAMPLES - WORD_N + 1) / 1000000))
    nrms=$((WORD_RMS - snr - ${segment_rms[$k]}))
    sox -D -V1 -M "$tmp/word.wav" "${segments[$k]}" -b 16 "$DIR/$file" \
      delay "${pad}s" 0s remix "1p0,2p$(decimal "$nrms")" trim 0 "${SAMPLES}s"
    end=$((pad + WORD_LEN)); [ "$end" -le "$SAMPLES" ] || end=$SAMPLES
    echo "$file,$pad,$end" >>"$bounds"
  done <"$shard"
  rm -rf -- "$tmp"
}

# run_sharded PLAN FUNCTION: splits PLAN over JOBS shards (line i to shard i mod JOBS) and runs FUNCTION SHARD OUT on
# each in parallel; OUT is the shard's output file. Concatenates the outputs, in shard order, to PLAN.out. Stops
# the script when a shard fails.
run_sharded() {
  local plan="$1" fn="$2" j pid pids=() failed=0
  rm -f -- "$plan".shard* "$plan.out"
  awk -v jobs="$JOBS" -v base="$plan" '{ print > (base ".shard" ((NR - 1) % jobs)) }' "$plan"
  for ((j = 0; j < JOBS; j++)); do
    [ -s "$plan.shard$j" ] || continue
    : >"$plan.shard$j.out"
    "$fn" "$plan.shard$j" "$plan.shard$j.out" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || die "generating clips failed (see the messages above)"
  for ((j = 0; j < JOBS; j++)); do [ ! -f "$plan.shard$j.out" ] || cat "$plan.shard$j.out"; done >"$plan.out"
}

# write_clips PLAN: generates every clip of the plan (make_clips, on JOBS workers), writes DIR/word_bounds.csv and
# checks the files: each was written, and a sample (the first, every 50th, the last) is 16 kHz, mono, 16-bit,
# 16,000 samples (soxi). Exits with status 1 when a check fails.
write_clips() {
  local plan="$1" file got bad=0
  awk -F'\t' '{ d = $1; sub(/\/[^\/]*$/, "", d); print d }' "$plan" | sort -u | while read -r d; do mkdir -p "$DIR/$d"; done
  run_sharded "$plan" make_clips
  { echo "file,start_sample,end_sample"; LC_ALL=C sort "$plan.out"; } >"$DIR/word_bounds.csv"
  while IFS=$'\t' read -r file _; do
    [ -s "$DIR/$file" ] || { echo "$CT_NAME: $DIR/$file was not written" >&2; bad=1; }
  done <"$plan"
  while IFS=$'\t' read -r file _; do
    got="$(soxi -r "$DIR/$file") $(soxi -c "$DIR/$file") $(soxi -b "$DIR/$file") $(soxi -s "$DIR/$file")"
    [ "$got" = "$RATE 1 16 $SAMPLES" ] || { echo "$CT_NAME: $DIR/$file is '$got' (rate channels bits samples), expected '$RATE 1 16 $SAMPLES'" >&2; bad=1; }
  done < <(awk 'NR == 1 || NR % 50 == 0 { print } END { print }' "$plan")
  [ "$bad" = 0 ] || exit 1
}

# The 20 core words of Speech Commands (the first ten are the commands) and the real data set's other words, which
# with the digits make the 12-class task's _unknown_ class.
# shellcheck disable=SC2034
CORE_WORDS=(yes no up down left right on off stop go zero one two three four five six seven eight nine)
# shellcheck disable=SC2034
UNKNOWN_WORDS=(bed bird cat dog happy house marvin sheila tree wow backward forward follow learn visual)

# espeak-ng speakers: English accents and voice variants, in fixed orders.
ACCENTS=(en en-us en-gb-scotland en-gb-x-rp en-029 en-gb-x-gbclan en-gb-x-gbcwmd en-us-nyc)
VARIANTS=(m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5 croak klatt klatt2 klatt3 klatt4 whisper whisperf
  Alex Andy Annie aunty belinda benjamin boris caleb david ed edward Gene iven john linda max Michael
  paul quincy rob robert steph steph2 travis victor grandma grandpa norbert shelby zac anika)

# espeak_voices: sets accents and variants to those of ACCENTS and VARIANTS that this espeak-ng has, in the fixed
# orders above (so the output depends only on the seed, the size and the tools' versions).
espeak_voices() {
  local have_voices have_variants a v
  have_voices="$(espeak-ng --voices=en | awk 'NR > 1 { print $2 }')"
  have_variants="$(espeak-ng --voices=variant | awk 'NR > 1 { for (i = 1; i <= NF; i++) if ($i ~ /^!v\//) print substr($i, 4) }')"
  accents=(); for a in "${ACCENTS[@]}"; do grep -qxF -- "$a" <<<"$have_voices" && accents+=("$a"); done
  variants=(); for v in "${VARIANTS[@]}"; do grep -qxF -- "$v" <<<"$have_variants" && variants+=("$v"); done
  [ ${#accents[@]} -gt 0 ] || die "espeak-ng has none of the English voices ${ACCENTS[*]}"
  [ ${#variants[@]} -gt 0 ] || die "espeak-ng has none of the voice variants ${VARIANTS[*]}"
}

# espeak_speakers SEED N: prints N random speakers, one a line: id (8 hex digits) accent variant pitch (30-70)
# rate (130-190 words/min).
espeak_speakers() {
  awk -v seed="$1" -v n="$2" -v accents="${accents[*]}" -v variants="${variants[*]}" "$AWK_RNG"'
BEGIN {
  rnd_init(seed)
  na = split(accents, A, " "); nv = split(variants, V, " ")
  for (k = 0; k < n; k++) {
    id = sprintf("%04x%04x", rint(65536), rint(65536))
    printf "%s %s %s %d %d\n", id, A[1 + rint(na)], V[1 + rint(nv)], 30 + rint(41), 130 + rint(61)
  }
}'
}
