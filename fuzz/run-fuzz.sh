#!/usr/bin/env bash
# Fuzzes FeedParser.parse (and the JSON line of what it returns) and, on the same inputs, the HTML reader and
# ArticleExtractor.extract (fuzz/HTMLReaderFuzz.swift) with libFuzzer for a bounded time.
#
#   fuzz/run-fuzz.sh                 60 s
#   fuzz/run-fuzz.sh --smoke         20 s, for CI
#   fuzz/run-fuzz.sh --time 1800     half an hour
#   fuzz/run-fuzz.sh --work DIR      keep the working corpus and artifacts in DIR (outside the repository) so that
#                                    the next run starts from what this one reached
#   fuzz/run-fuzz.sh --max-len N     largest input tried (default 65536; larger finds slow inputs, runs slower)
#   fuzz/run-fuzz.sh --build-only    build the target and stop
#
# The target (fuzz/FeedParserFuzz.swift) is compiled together with Sources/FeedCore into one module, so it uses
# internal API without @testable. The working corpus is seeded from Tests/FeedCoreTests/Fixtures and, when present,
# ../shared/corpus, copied into a temporary directory: nothing is ever written into the repository.
# Exits 1 when libFuzzer finds a crash, a hang (over 5 s for one input), a memory blow-up or a broken invariant,
# after printing the artifacts; 2 on a usage or build error.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=60
work=""
build_only=0
max_len=65536
while [[ $# -gt 0 ]]; do
    case "$1" in
        --smoke) seconds=20 ;;
        --time) seconds=${2:?--time needs seconds}; shift ;;
        --work) work=${2:?--work needs a directory}; shift ;;
        --max-len) max_len=${2:?--max-len needs bytes}; shift ;;
        --build-only) build_only=1 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-fuzz.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

# Build outside the repository (one build directory per checkout), and only when the list of sources changed or
# one of them is newer than the binary: a full build takes minutes.
build_dir=${FUZZ_BUILD_DIR:-${TMPDIR:-/tmp}/feedd-fuzz-build-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)}
binary="$build_dir/feedparser-fuzz"
mkdir -p "$build_dir"
mapfile -t sources < <(find "$repo/Sources/FeedCore" -name '*.swift' | sort)
sources+=("$repo/fuzz/FeedParserFuzz.swift" "$repo/fuzz/HTMLReaderFuzz.swift")
if [[ ! -x "$binary" ]] || [[ $(printf '%s\n' "${sources[@]}") != $(cat "$build_dir/sources" 2>/dev/null) ]] \
    || [[ -n $(find "${sources[@]}" -newer "$binary" -print -quit) ]]; then
    echo "building $binary (${#sources[@]} files; -sanitize=fuzzer,address -O)"
    linker=()
    # lld links the sanitizer runtimes without gold's hundreds of "Cannot export local symbol" warnings.
    if command -v ld.lld >/dev/null; then linker=(-use-ld=lld); fi
    if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -wmo -module-name FeedCore "${linker[@]}" \
        "${sources[@]}" -o "$binary.tmp"; then
        echo "run-fuzz.sh: the fuzz target does not build" >&2
        exit 2
    fi
    mv "$binary.tmp" "$binary"
    printf '%s\n' "${sources[@]}" >"$build_dir/sources"
fi
[[ $build_only == 1 ]] && { echo "built $binary"; exit 0; }

# The working corpus: seeds copied in, never the repository's own directories.
temporary=0
if [[ -z $work ]]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/feedd-fuzz.XXXXXX")
    temporary=1
fi
case "$work" in "$repo"|"$repo"/*) echo "run-fuzz.sh: --work must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$work/corpus" "$work/artifacts"
seed() {
    local dir=$1 tag=$2 n=0
    [[ -d $dir ]] || return 0
    while IFS= read -r -d '' file; do
        n=$((n + 1))
        cp "$file" "$work/corpus/seed-$tag-$n-$(basename "$file")"
    done < <(find "$dir" -type f ! -name INDEX.tsv ! -name SOURCES.md ! -name '*.md' -print0)
    echo "seeded $n files from $dir"
}
if [[ -z $(ls -A "$work/corpus") ]]; then
    seed "$repo/Tests/FeedCoreTests/Fixtures" fixture
    seed "$repo/../shared/corpus" corpus
    chmod -R u+w "$work/corpus"
fi

# One dictionary for both readers: the feed's XML words and the page's HTML words.
cat "$repo/fuzz/feed.dict" "$repo/fuzz/html.dict" >"$work/fuzz.dict"
log="$work/fuzz.log"
echo "fuzzing for ${seconds}s; corpus $work/corpus, artifacts $work/artifacts, log $log"
status=0
touch "$work/artifacts/.started"  # artifacts of earlier runs in a kept --work directory are not this run's
# -max_len bounds mutated inputs (larger seeds are read truncated); -timeout catches hangs; -rss_limit_mb bounds memory.
# Swift's own crash handler reads memory ASan reports as wild: leave crash reports to ASan.
SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" \
    -dict="$work/fuzz.dict" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len="$max_len" \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 -report_slow_units=1 \
    >"$log" 2>&1 || status=$?

# The figures: the last coverage line and the final statistics.
grep -E '^#[0-9]+' "$log" | grep -E 'cov:' | tail -1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|slowest_unit_time_sec)' "$log" || true
grep -E '^Done [0-9]+ runs' "$log" || true

mapfile -t artifacts < <(find "$work/artifacts" -type f ! -name .started -newer "$work/artifacts/.started" | sort)
if [[ $status -ne 0 || ${#artifacts[@]} -gt 0 ]]; then
    echo "FOUND: libFuzzer exited $status" >&2
    grep -E 'ERROR: |FUZZ INVARIANT|Fatal error|SUMMARY:|ALARM|Test unit written' "$log" | head -20 >&2 || true
    for artifact in "${artifacts[@]}"; do
        echo "artifact: $artifact ($(wc -c <"$artifact") bytes)" >&2
    done
    echo "minimize with: $binary -minimize_crash=1 -runs=20000 -timeout=5 <artifact>" >&2
    exit 1  # a temporary working directory is kept: it holds the evidence
fi
echo "no crash, hang or broken invariant"
if [[ $temporary == 1 ]]; then rm -rf "$work"; fi
