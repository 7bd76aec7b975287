# Sourced by bench/compare.sh and bench/compare_frontend.sh: builds the project and copies the examples'
# runtime classpath into a private directory, so that a rebuild elsewhere cannot change the jars mid-run.
#
#   build_classpath REPO WORK   # mvn -o install -DskipTests in REPO, then the jars into WORK/cp
#   java_setup REPO WORK BUILD  # build_classpath when BUILD is 1, check WORK/cp, set the JAVA command array

stamp() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

build_classpath() {
    local repo="$1" work="$2" cp="$2/cp" j
    stamp "building (mvn install, dependency:build-classpath)"
    (cd "$repo" && mvn -q -B -o install -DskipTests \
        && mvn -q -B -o dependency:build-classpath -pl rankcoding-examples -Dmdep.outputFile="$work/classpath.txt")
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
