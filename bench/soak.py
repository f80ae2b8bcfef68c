#!/usr/bin/env python3
"""Crash-and-restart soak for feedd (bench/soak.sh runs it).

    python3 bench/soak.py --binary PATH [--feeds N] [--kills K] [--duration S] [--seed S] [--quick] [--keep]

Serves N generated feeds from a local HTTP server (127.0.0.1, a thread per connection) whose feeds keep changing:
items are added, the order of items is shuffled, and unchanged documents are re-served with a new ETag (a full 200
that brings nothing new). Half the feeds validate by ETag, half by Last-Modified; a third are Atom. Meanwhile
`feedd run` (1 s interval, small log_max_bytes so that the log rotates) is killed with SIGKILL K times at random
moments spread over S seconds, and restarted; between kills the config is edited (feeds removed and added back,
titles changed) and SIGHUP sent. Feeds only grow, so the final `feedd once` over every feed must leave each item
the server ever listed logged exactly once.

Checks at the end, each counted in the summary (exit status 1 if any fails):
  - every story served (sent in a 200) and every item listed is in the log exactly once: no duplicate, none missing,
    nothing the server never listed;
  - no torn line: every line of every log file (rotated ones too) is a JSON object and every file ends with a newline;
  - every state file (feed-states.json, seen/*.json, checkpoint.json) parses as JSON;
  - feedd never exited by itself (a crash) and `feedd once` exited 0.
"""
import argparse
import glob
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

TITLES = ["Council & budget", "Café “Zürich” reopens", "Storm <warning> lifted", "日本語のニュース", "Ελλάδα — update",
          "Price €20 ± 3", "Straße closed 🙂", "\"Quoted\" headline", "Plain story"]


class Farm:
    """The feeds: each a list of item numbers in document order, a version, and its validators."""

    def __init__(self, count, items, rng):
        self.lock = threading.Lock()
        self.rng = rng
        self.count = count
        self.next_item = [items] * count
        self.order = [list(range(items - 1, -1, -1)) for _ in range(count)]
        self.version = [0] * count
        self.modified = [time.time() - 3600] * count
        self.served = set()
        self.requests = 0
        self.changes = {"added": 0, "shuffled": 0, "reserved": 0}

    @staticmethod
    def guid(feed, item):
        return f"tag:soak.example,2026:{feed}-{item}"

    def mutate(self):
        """One change to one random feed."""
        with self.lock:
            feed = self.rng.randrange(self.count)
            roll = self.rng.random()
            if roll < 0.6:
                for _ in range(self.rng.randint(1, 3)):
                    self.order[feed].insert(0, self.next_item[feed])
                    self.next_item[feed] += 1
                self.changes["added"] += 1
            elif roll < 0.85:
                self.rng.shuffle(self.order[feed])
                self.changes["shuffled"] += 1
            else:
                self.changes["reserved"] += 1
            self.version[feed] += 1
            # Strictly increasing, so that two changes within one second still differ for If-Modified-Since.
            self.modified[feed] = max(self.modified[feed] + 1, time.time())

    def all_items(self):
        with self.lock:
            return {(f"soak-{feed}", self.guid(feed, item)) for feed in range(self.count) for item in self.order[feed]}

    def respond(self, feed, headers):
        """(status, headers, body) for a GET of the feed; records what a 200 serves."""
        with self.lock:
            self.requests += 1
            by_etag = feed % 2 == 0
            etag = f'"{feed}-{self.version[feed]}"'
            modified = formatdate(self.modified[feed], usegmt=True)
            if by_etag:
                if headers.get("If-None-Match") == etag:
                    return 304, [("ETag", etag)], b""
                validators = [("ETag", etag)]
            else:
                since = headers.get("If-Modified-Since")
                try:
                    stamp = parsedate_to_datetime(since).timestamp() if since is not None else None
                    unchanged = stamp is not None and stamp >= int(self.modified[feed])
                except (TypeError, ValueError):
                    unchanged = False
                if unchanged:
                    return 304, [("Last-Modified", modified)], b""
                validators = [("Last-Modified", modified)]
            items = list(self.order[feed])
            for item in items:
                self.served.add((f"soak-{feed}", self.guid(feed, item)))
        atom = feed % 3 == 0
        body = (self.atom if atom else self.rss)(feed, items).encode()
        kind = "application/atom+xml" if atom else "application/rss+xml"
        return 200, [("Content-Type", kind)] + validators, body

    def rss(self, feed, items):
        parts = [f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Soak {feed}</title>'
                 f"<link>https://soak.example/{feed}/</link>"]
        for item in items:
            title = escape(f"{TITLES[item % len(TITLES)]} #{item}")
            parts.append(f"<item><title>{title}</title><link>https://soak.example/{feed}/{item}</link>"
                         f'<guid isPermaLink="false">{self.guid(feed, item)}</guid>'
                         f"<pubDate>{formatdate(1_700_000_000 + item * 60, usegmt=True)}</pubDate>"
                         f"<description>&lt;p&gt;Body {item} of feed {feed}&lt;/p&gt;</description></item>")
        parts.append("</channel></rss>")
        return "".join(parts)

    def atom(self, feed, items):
        parts = [f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                 f"<title>Soak {feed}</title><id>https://soak.example/{feed}/</id>"
                 "<updated>2026-01-01T00:00:00Z</updated>"]
        for item in items:
            title = escape(f"{TITLES[item % len(TITLES)]} #{item}")
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_700_000_000 + item * 60))
            parts.append(f"<entry><title>{title}</title><id>{self.guid(feed, item)}</id>"
                         f'<link href="https://soak.example/{feed}/{item}"/><updated>{stamp}</updated>'
                         f'<content type="html">&lt;p&gt;Body {item}&lt;/p&gt;</content></entry>')
        parts.append("</feed>")
        return "".join(parts)


def serve(farm):
    """Starts the HTTP server on an ephemeral port of 127.0.0.1; returns (server, port)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Buffered writes, one send per response: unbuffered ones cost ~40 ms each on keep-alive connections.
        wbufsize = 65536
        disable_nagle_algorithm = True

        def do_GET(self):
            name = self.path.rsplit("/", 1)[-1]
            if not (self.path.startswith("/feeds/") and name.endswith(".xml") and name[:-4].isdigit()):
                self.send_error(404)
                return
            feed = int(name[:-4])
            if feed >= farm.count:
                self.send_error(404)
                return
            status, headers, body = farm.respond(feed, self.headers)
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            # A killed feedd resets its connections: expected here, not worth a traceback.
            if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def write_config(directory, port, feeds, rng, log_max):
    """feeds.json with `feeds` (indexes), written as editors do: a temp file renamed over the old one."""
    entries = []
    for feed in sorted(feeds):
        entry = {"id": f"soak-{feed}", "url": f"http://127.0.0.1:{port}/feeds/{feed}.xml"}
        if rng.random() < 0.2:
            entry["title"] = f"Renamed {feed} {rng.randrange(1000)}"
        entries.append(entry)
    config = {"state_dir": "state", "interval": "1s", "timeout": "5s", "concurrency": 16, "per_host_concurrency": 16,
              "log_max_bytes": log_max, "feeds": entries}
    temporary = os.path.join(directory, ".feeds.json.tmp")
    with open(temporary, "w") as handle:
        json.dump(config, handle)
    os.rename(temporary, os.path.join(directory, "feeds.json"))


def starts(stderr_path):
    """How many times feedd logged that it started (its signal handlers are in place from then on)."""
    with open(stderr_path, "rb") as handle:
        return handle.read().count(b" started feeds=")


def read_logs(state):
    """(stories as (feed, id), torn line count, files read) over the rotated logs, oldest first, then the current."""
    files = sorted(glob.glob(os.path.join(state, "stories-*.jsonl"))) + [os.path.join(state, "stories.jsonl")]
    stories, torn, read = [], 0, 0
    for path in files:
        if not os.path.exists(path):
            continue
        read += 1
        with open(path, "rb") as handle:
            data = handle.read()
        if data and not data.endswith(b"\n"):
            torn += 1
        for line in data.split(b"\n"):
            if not line:
                continue
            try:
                story = json.loads(line)
                stories.append((story["feed"], story["id"]))
            except (ValueError, KeyError, TypeError):
                torn += 1
    return stories, torn, read


def check_state_files(state):
    """(files checked, names of files that do not parse as JSON, leftover temp files)."""
    paths = glob.glob(os.path.join(state, "seen", "*.json"))
    paths += [p for p in [os.path.join(state, n) for n in ("feed-states.json", "checkpoint.json")] if os.path.exists(p)]
    corrupt = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                json.loads(handle.read())
        except ValueError:
            corrupt.append(os.path.relpath(path, state))
    leftovers = glob.glob(os.path.join(state, "**", ".*.tmp-*"), recursive=True)
    return len(paths), corrupt, leftovers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, help="the feedd executable")
    parser.add_argument("--feeds", type=int, default=300, help="feeds served (default 300)")
    parser.add_argument("--items", type=int, default=5, help="items each feed starts with (default 5)")
    parser.add_argument("--kills", type=int, default=40, help="kill -9 count (default 40)")
    parser.add_argument("--duration", type=float, default=120,
                        help="seconds over which the kills are spread (default 120)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    parser.add_argument("--quick", action="store_true",
                        help="a run CI can afford (< 60 s): 120 feeds, 20 kills over 25 s")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if args.quick:
        args.feeds, args.kills, args.duration = 120, 20, 25
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    print(f"soak: {args.feeds} feeds, {args.kills} kills over {args.duration:.0f} s, seed {seed}", flush=True)

    farm = Farm(args.feeds, args.items, random.Random(seed + 1))
    server, port = serve(farm)
    stop = threading.Event()

    def churn():
        while not stop.wait(0.02):
            farm.mutate()

    threading.Thread(target=churn, daemon=True).start()
    work = tempfile.mkdtemp(prefix="feedd-soak-")
    state = os.path.join(work, "state")
    log_max = "64k"
    active = set(range(args.feeds))
    write_config(work, port, active, rng, log_max)
    stderr_path = os.path.join(work, "feedd.stderr")
    kills = crashes = reloads = 0
    started = time.time()
    with open(stderr_path, "ab") as stderr:
        for round_ in range(args.kills):
            before = starts(stderr_path)
            daemon = subprocess.Popen([args.binary, "run"], cwd=work, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=stderr)
            # Mostly mid-run; sometimes within its first 50 ms (opening, replaying the log).
            budget = args.duration / args.kills
            wait = rng.uniform(0, 0.05) if rng.random() < 0.15 else rng.uniform(0.1, 2 * budget)
            if rng.random() < 0.4:
                # SIGHUP only once feedd says it started: until its handler is in place, the signal's default
                # action would end it, as it ends any process.
                started_at = time.time()
                while starts(stderr_path) <= before and daemon.poll() is None and time.time() - started_at < 10:
                    time.sleep(0.005)
                time.sleep(wait / 2)
                removed = set(rng.sample(sorted(active), k=max(1, len(active) // 20))) if active else set()
                active = (active - removed) | set(rng.sample(range(args.feeds), k=max(1, args.feeds // 20)))
                write_config(work, port, active, rng, log_max)
                daemon.send_signal(signal.SIGHUP)
                reloads += 1
                time.sleep(wait / 2)
            else:
                time.sleep(wait)
            if daemon.poll() is not None:
                crashes += 1
                how = (f"killed by {signal.Signals(-daemon.returncode).name}" if daemon.returncode < 0
                       else f"exit status {daemon.returncode}")
                print(f"soak: feedd ended by itself ({how}) in round {round_}, {wait:.3f} s after its start",
                      flush=True)
            else:
                daemon.kill()
                kills += 1
            daemon.wait()
        stop.set()
        # Every feed, once, by the same code path: every item listed must then be logged exactly once.
        write_config(work, port, set(range(args.feeds)), rng, log_max)
        once = subprocess.run([args.binary, "once"], cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=stderr, timeout=300)
    server.shutdown()
    elapsed = time.time() - started

    stories, torn, files = read_logs(state)
    expected = farm.all_items()
    logged = set(stories)
    duplicates = len(stories) - len(logged)
    missing = expected - logged
    unknown = logged - expected
    served_missing = farm.served - logged
    checked, corrupt, leftovers = check_state_files(state)
    with open(stderr_path, "rb") as handle:
        errors = [line for line in handle.read().decode("utf-8", "replace").splitlines() if line.startswith("<3>")]

    print(f"soak: {elapsed:.0f} s, {farm.requests} requests; feed changes: {farm.changes}")
    print(f"  kills survived      {kills} of {args.kills} "
          f"(config edits + SIGHUP: {reloads}; exited by itself: {crashes})")
    print(f"  stories served      {len(farm.served)} (items listed at the end: {len(expected)})")
    print(f"  stories logged      {len(stories)} in {files} log file(s)")
    print(f"  duplicates          {duplicates}")
    print(f"  missing             {len(missing)} (of those served: {len(served_missing)})")
    print(f"  never served        {len(unknown)}")
    print(f"  torn lines          {torn}")
    print(f"  state files         {checked} checked, {len(corrupt)} corrupt, {len(leftovers)} temp files left behind")
    print(f"  error lines         {len(errors)} (<3> in feedd's stderr)")
    print(f"  feedd once          exit {once.returncode}")
    for label, sample in [("missing", sorted(missing)), ("never served", sorted(unknown)), ("corrupt", corrupt),
                          ("errors", errors)]:
        if sample:
            print(f"  e.g. {label}: {sample[:3]}")
    failed = duplicates or missing or unknown or torn or corrupt or crashes or once.returncode != 0
    if args.keep or failed:
        print(f"  work directory      {work}")
    else:
        subprocess.run(["rm", "-rf", work])
    print("soak: FAILED" if failed else "soak: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
