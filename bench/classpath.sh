# Sourced by bench/compare.sh and bench/compare_frontend.sh: their common options, and the build that copies
# the examples' runtime classpath into a private directory, so that a rebuild elsewhere cannot change the jars
# mid-run.
#
#   common_option ARGS...       # takes the option in $1 if both scripts have it: sets TAKEN to the arguments
#                               # it used (0: not a common option); --help prints the script's usage and exits
#   start_run                   # mkdir OUT and WORK, OUT made absolute, T0, then java_setup (sets JAVA)
#   build_classpath REPO WORK   # mvn install -DskipTests in REPO, then the jars into WORK/cp
#   java_setup REPO WORK BUILD  # build_classpath when BUILD is 1, check WORK/cp, set the JAVA command array
#
# The sourcing script sets REPO, OUT and WORK and defines usage; the defaults of the other common options are
# set here.

PYTHON=/usr/bin/python3
BUILD=1
SMOKE=0
JAVA_EXTRA=()
PY_EXTRA=()

common_option() {
    TAKEN=2
    case "$1" in
        --out) OUT="$2" ;;
        --work) WORK="$2" ;;
        --no-build) BUILD=0; TAKEN=1 ;;
        --smoke) SMOKE=1; TAKEN=1 ;;
        --java-arg) JAVA_EXTRA+=("$2") ;;
        --py-arg) PY_EXTRA+=("$2") ;;
        -h|--help) usage; exit 0 ;;
        *) TAKEN=0 ;;
    esac
}

start_run() {
    mkdir -p "$OUT" "$WORK"
    OUT="$(cd "$OUT" && pwd)"
    T0=$(date +%s)
    # build the Java side and copy the jars, so that a rebuild elsewhere cannot change them mid-run
    java_setup "$REPO" "$WORK" "$BUILD"  # sets JAVA
}

stamp() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

build_classpath() {
    local repo="$1" work="$2" cp="$2/cp" j
    stamp "building (mvn install, dependency:build-classpath)"
    # not offline (-o): on a fresh machine the dependency plugin (version pinned in the root POM) is not cached yet
    (cd "$repo" && mvn -q -B install -DskipTests \
        && mvn -q -B dependency:build-classpath -pl rankcoding-examples -Dmdep.outputFile="$work/classpath.txt")
    rm -rf "$cp" && mkdir -p "$cp"
    local jars=()
    IFS=: read -r -a jars < "$work/classpath.txt" || true  # no trailing newline
    for j in "${jars[@]}"; do [[ -n "$j" ]] && cp "$j" "$cp/"; done
    for j in "$repo"/rankcoding-examples/target/rankcoding-examples-*.jar; do
        case "$j" in *-sources.jar|*-javadoc.jar) ;; *) cp "$j" "$cp/" ;; esac
    done
}

java_setup() {
    local repo="$1" work="$2" build="$3"
    if [[ $build == 1 ]]; then
        build_classpath "$repo" "$work"
    fi
    [[ -d "$work/cp" ]] || { echo "no classpath in $work/cp (run without --no-build)" >&2; exit 1; }
    JAVA=(java --add-modules jdk.incubator.vector -cp "$work/cp/*")
}
