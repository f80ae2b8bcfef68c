#!/usr/bin/env bash
# Crash-and-restart soak: `feedd run` over a few hundred changing feeds, killed with SIGKILL dozens of times at random
# moments, with config edits and SIGHUP in between; then `feedd once` and a check of the story log against what the
# server served (every story exactly once, no torn line, every state file valid JSON).
#
#   bench/soak.sh [--quick] [--feeds N] [--kills K] [--duration S] [--seed S] [--keep] [--release] [--feedd PATH]
#
# Defaults: 300 feeds, 40 kills over 120 s. --quick (for CI: under a minute): 120 feeds, 20 kills over 25 s.
# Builds the debug binary (`swift build --product feedd`), or the release one with --release; --feedd uses a given
# binary without building. bench/soak.py does the work; `bench/soak.sh --help` lists every option.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

if ! command -v python3 >/dev/null; then
    echo "soak: python3 is required" >&2
    exit 2
fi

configuration=debug
binary=
forward=()
while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            echo
            exec python3 "$here/soak.py" --binary feedd --help
            ;;
        --release) configuration=release ;;
        --feedd) binary="$2"; shift ;;
        *) forward+=("$1") ;;
    esac
    shift
done

if [ -z "$binary" ]; then
    (cd "$repo" && swift build -c "$configuration" --product feedd >&2)
    binary="$(cd "$repo" && swift build -c "$configuration" --show-bin-path)/feedd"
fi
exec python3 "$here/soak.py" --binary "$binary" "${forward[@]+"${forward[@]}"}"
