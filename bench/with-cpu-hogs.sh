#!/usr/bin/env bash
# Runs a command beside two CPU-bound processes, as on a shared machine, and ends them by PID afterwards:
#
#   bench/with-cpu-hogs.sh swift test
#   bench/with-cpu-hogs.sh swift test --sanitize=thread --scratch-path .build-tsan
#
# Each hog is a shell counting to two billion (it stops by itself should this script die first), killed with
# SIGKILL when the command ends. The command's exit status is this script's.
set -u
count='i=0; while [ $i -lt 2000000000 ]; do i=$((i + 1)); done'
sh -c "$count" & first=$!
sh -c "$count" & second=$!
trap 'kill -9 "$first" "$second" 2>/dev/null' EXIT
"$@"
