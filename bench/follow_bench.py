#!/usr/bin/env python3
"""How fast `feedd follow` works through a backlog, against references measured in the same run.

  bench/follow_bench.py [--feedd PATH] [--rounds R] [--lines N] [--stories M]

- print: `feedd follow NAME --from start --json` over a log of N stories (rotated once in the middle), until all
  N lines are out; reference: `feedd tail -n N --json` printing the same lines (same reader cost, no position).
- exec: `feedd follow NAME --from start --exec /bin/true` over M stories, until the saved position reaches the
  log's end; reference: a shell running `/bin/true` M times with a line on stdin (the bare cost of the process).

Prints a Markdown table of medians and ratios. Each round uses a fresh state directory under $TMPDIR.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def story(i):
    # The log's keys, in the log's order (docs/FORMATS.md).
    return json.dumps({
        "feed": "bench", "feed_title": "Bench", "id": f"https://example.com/{i}", "guid": f"https://example.com/{i}",
        "title": f"Story number {i} of the benchmark", "url": f"https://example.com/{i}/", "author": None,
        "published": "2026-11-29T07:00:00Z", "updated": None, "summary": "A summary. " * 20, "content": None,
        "categories": ["Bench"], "enclosures": [], "found": "2026-11-29T07:00:00Z",
    }, separators=(",", ":"), ensure_ascii=False)


def make_state(count):
    state = tempfile.mkdtemp(prefix="feedd-follow-bench-")
    half = count // 2
    with open(os.path.join(state, "stories-20261129T070000Z.jsonl"), "w") as f:
        for i in range(half):
            f.write(story(i) + "\n")
    with open(os.path.join(state, "stories.jsonl"), "w") as f:
        for i in range(half, count):
            f.write(story(i) + "\n")
    return state


def wait_for(condition, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    raise SystemExit("follow-bench: timed out")


def run_print(feedd, count):
    state = make_state(count)
    out_path = os.path.join(state, "out")
    try:
        with open(out_path, "wb") as out:
            start = time.monotonic()
            child = subprocess.Popen([feedd, "follow", "b", "--state", state, "--from", "start", "--json"],
                                     stdout=out, stderr=subprocess.DEVNULL)

            def done():
                with open(out_path, "rb") as f:
                    return f.read().count(b"\n") >= count
            wait_for(done)
            elapsed = time.monotonic() - start
            child.send_signal(signal.SIGTERM)
            child.wait()
        start = time.monotonic()
        result = subprocess.run([feedd, "tail", "-n", str(count), "--json", "--state", state],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
        reference = time.monotonic() - start
        assert result.stdout.count(b"\n") == count
        return elapsed, reference
    finally:
        shutil.rmtree(state)


def run_exec(feedd, count):
    state = make_state(count)
    try:
        size = os.path.getsize(os.path.join(state, "stories.jsonl"))
        position = os.path.join(state, "followers", "x.json")
        start = time.monotonic()
        child = subprocess.Popen([feedd, "follow", "x", "--state", state, "--from", "start", "--exec", "/bin/true"],
                                 stderr=subprocess.DEVNULL)

        def done():
            try:
                with open(position) as f:
                    saved = json.load(f)
                return saved.get("file") == "stories.jsonl" and saved.get("offset") == size
            except (OSError, ValueError):
                return False
        wait_for(done)
        elapsed = time.monotonic() - start
        child.send_signal(signal.SIGTERM)
        child.wait()
        line = os.path.join(state, "line")
        with open(line, "w") as f:
            f.write(story(0) + "\n")
        start = time.monotonic()
        subprocess.run(["sh", "-c", f'i=0; while [ $i -lt {count} ]; do /bin/true < "{line}"; i=$((i+1)); done'],
                       check=True)
        reference = time.monotonic() - start
        return elapsed, reference
    finally:
        shutil.rmtree(state)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feedd", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "feedd"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--stories", type=int, default=300)
    args = parser.parse_args()
    if not os.access(args.feedd, os.X_OK):
        sys.exit(f"follow-bench: no feedd at {args.feedd} (swift build -c release, or --feedd PATH)")
    rows = []
    for name, run, count in [("print", run_print, args.lines), ("exec", run_exec, args.stories)]:
        results = [run(args.feedd, count) for _ in range(args.rounds)]
        follow = statistics.median(r[0] for r in results)
        reference = statistics.median(r[1] for r in results)
        rows.append((name, count, follow, reference))
    print(f"feedd: {args.feedd}, rounds: {args.rounds}, medians")
    print()
    print("| mode | stories | follow | per story | reference | ratio |")
    print("|---|---|---|---|---|---|")
    for name, count, follow, reference in rows:
        print(f"| {name} | {count} | {follow:.3f} s | {follow / count * 1e3:.2f} ms | {reference:.3f} s "
              f"| {follow / reference:.2f} |")


if __name__ == "__main__":
    main()
