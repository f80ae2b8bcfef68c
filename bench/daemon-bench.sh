#!/usr/bin/env bash
# Daemon benchmark: `feedd once` against `sfeed_update` and `newsboat -x reload` over N local feeds (issue 3).
#
#   bench/daemon-bench.sh [--sizes 1000,10000] [--repeats 3] [--with-peers-at-10k] [--feedd PATH] [...]
#
# Builds feedd (`swift build -c release`, skipped when --feedd is given), installs the peers from Debian when they
# are missing (as root; otherwise it prints the apt-get command and exits 2), then runs bench/daemon_bench.py: for
# each N it starts bench/feed_server.py (N generated feeds with ETag, Last-Modified, 304 and gzip on 127.0.0.1) and
# measures each tool's first pass (fresh state, all 200) and second pass (all 304 for feedd), 3 times interleaved,
# and prints a Markdown table of medians (wall, CPU, feeds/s, peak RSS) with the ratios the targets name.
# By default the peers run at N = 1,000 only and feedd at both sizes; --with-peers-at-10k adds the peers at 10,000
# (each peer run is capped at --peer-timeout seconds, 900 by default, and reported as timed out).
# Generated feeds are cached in .build/bench/daemon-feeds. The default run took 10 to 13 minutes on 2 cores shared
# with other work (load average 5 to 12), plus about a minute to generate the 10,000 feeds the first time; most of
# it is the peers at N = 1,000 (newsboat about 90 s per round). `bench/daemon-bench.sh --help` lists every option.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

for arg in "$@"; do
    case "$arg" in
        -h | --help) exec python3 "$here/daemon_bench.py" --help ;;
    esac
done

if ! command -v python3 >/dev/null; then
    echo "daemon-bench: python3 is required" >&2
    exit 2
fi

custom_feedd=no
want_peers=yes
previous=""
for arg in "$@"; do
    case "$arg" in
        --feedd | --feedd=*) custom_feedd=yes ;;
        --tools=*) [[ "$arg" == *sfeed* || "$arg" == *newsboat* ]] || want_peers=no ;;
    esac
    if [ "$previous" = "--tools" ]; then
        [[ "$arg" == *sfeed* || "$arg" == *newsboat* ]] || want_peers=no
    fi
    previous="$arg"
done

if [ "$want_peers" = yes ] && ! { command -v sfeed_update && command -v newsboat && command -v curl; } >/dev/null; then
    install=(apt-get install -y sfeed newsboat curl)
    if [ "$(id -u)" -ne 0 ]; then
        echo "daemon-bench: the peers sfeed_update and newsboat are missing; install them (as root) with:" >&2
        echo "  ${install[*]}" >&2
        exit 2
    fi
    echo "daemon-bench: ${install[*]}" >&2
    DEBIAN_FRONTEND=noninteractive "${install[@]}" >&2 || {
        DEBIAN_FRONTEND=noninteractive apt-get update >&2
        DEBIAN_FRONTEND=noninteractive "${install[@]}" >&2
    }
fi

feedd_args=()
if [ "$custom_feedd" = no ]; then
    echo "daemon-bench: swift build -c release" >&2
    (cd "$repo" && swift build -c release >&2)
    feedd_args=(--feedd "$repo/.build/release/feedd")
fi

mkdir -p "$repo/.build/bench"
export DAEMON_BENCH_COMMAND="bench/daemon-bench.sh${*:+ $*}"
exec python3 "$here/daemon_bench.py" --cache "$repo/.build/bench/daemon-feeds" "${feedd_args[@]}" "$@"
