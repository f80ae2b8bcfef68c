#!/bin/sh
# Replays a week of publication through feedd's schedule (Sources/schedule-sim): for "interval": "auto" against a
# fixed 15 minutes, the fetches per day and how late stories are found (median, 95th percentile), for all feeds and
# for those that publish daily or more. The feeds' paces are drawn from the item dates of the corpus documents.
# Usage: bench/schedule-sim.sh [FEEDS]   (default 3000; the corpus is read from ../shared/corpus)
set -eu
cd "$(dirname "$0")/.."
corpus=../shared/corpus
if [ ! -d "$corpus" ]; then
    echo "schedule-sim: no corpus at $corpus; skipped"
    exit 0
fi
swift build -c release --product schedule-sim >/dev/null
exec .build/release/schedule-sim "$corpus" "${1:-3000}"
