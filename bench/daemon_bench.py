#!/usr/bin/env python3
"""Daemon benchmark: `feedd once` against `sfeed_update` and `newsboat -x reload` over the same local feeds.

    python3 bench/daemon_bench.py --feedd PATH [--sizes 1000,10000] [--repeats 3] [--with-peers-at-10k] ...

Normally run through bench/daemon-bench.sh, which builds feedd and installs the peers first. For each N of --sizes
it starts bench/feed_server.py with N generated feeds (strong ETag, Last-Modified, 304, gzip), writes a
configuration for each tool over the same N URLs, and then, --repeats times with the tools interleaved (the order
rotates each round), runs each tool's first pass on fresh state and its second pass on the state the first left.
A peer whose second pass still downloaded feeds (newsboat 2.21 saves a feed's validators only from its second fetch
on) gets a third pass, so that its all-304 pass is measured too.

Each run is one child process, measured from its wait4(2) rusage: wall time, CPU seconds (user + system of the
process and of every descendant it waited for: sfeed_update's shells, curl, sfeed, sort…), and peak RSS (for
sfeed_update the largest of its processes). The server's counters give what each pass made it serve (200s, 304s).
Medians of the repeats are reported in a Markdown table on stdout, with the ratios that the targets of issue 3 name;
progress goes to stderr.

Parallelism is the same for every tool: feedd `concurrency` 16 with `per_host_concurrency` 16 (all feeds are on
one host, 127.0.0.1, so the default per-host limit of 2 would measure politeness, not speed), sfeed `maxjobs=16`,
newsboat `reload-threads 16`. Timeouts are 30 s for every tool. sfeed_update runs with the ETag-caching fetch()
from its README (curl --compressed --etag-save/--etag-compare -z); --sfeed-stock adds its stock fetch() as a
fourth tool.

--filters adds a second feedd, "feedd once + 10 filters", whose configuration adds ten filter rules that match no
generated story (so every rule is evaluated against every new story and the log stays the same): seven top-level
drop rules, one per field (title, summary, content, author, category, url, any), and three per feed (title, summary,
content). It runs interleaved with plain feedd, and the report gives the ratios of their medians (issue 12: filters
must not cost more than a few percent). `--tools feedd --filters` runs just the two.
"""
import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PARALLEL = 16
TIMEOUT_S = 30
TARGET_SPEEDUP = 5.0
TARGET_304_RATE = 1000.0
TARGET_RSS_MB = 100.0
TARGET_KB_PER_FEED = 10.0
TARGET_FILTER_RATIO = 1.05
# Ten rules that no generated story matches (bench/gen_feeds.py writes lowercase words from its vocabulary, names and
# example.org/.net/.com URLs): the worst case, since a drop rule that matches ends the story's evaluation early.
TOP_FILTERS = {"drop": {"title": "(?i)^(sponsored|advert(isement)?):", "summary": "(?i)\\b(casino|lottery)\\b",
                        "content": "(?i)buy now|limited offer", "author": "(?i)^press release$",
                        "category": "(?i)^(ads?|promo(tion)?)$", "url": "/(ads|promo)/", "any": "zzqx[0-9]+"}}
FEED_FILTERS = {"drop": {"title": "\\[(AD|PR)\\]", "summary": "(?i)unsubscribe here",
                         "content": "(?i)affiliate link"}}


def log(message):
    print("daemon-bench: " + message, file=sys.stderr, flush=True)


class Server:
    """bench/feed_server.py in its own process."""

    def __init__(self, count, seed, cache):
        command = [sys.executable, os.path.join(HERE, "feed_server.py"), "--count", str(count), "--seed", str(seed)]
        if cache:
            command += ["--cache", cache]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"READY port=(\d+) feeds=(\d+) items=(\d+) bytes=(\d+) gzip_bytes=(\d+)", line)
        if not match:
            self.stop()
            raise SystemExit("daemon-bench: the feed server did not start: %r" % line)
        self.port, self.feeds, self.items, self.bytes, self.gzip_bytes = map(int, match.groups())

    def url(self, index):
        return "http://127.0.0.1:%d/feeds/%d.xml" % (self.port, index)

    def stats(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/_stats" % self.port, timeout=10) as response:
            return json.load(response)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Measured:
    """One run of one tool: what wait4 and the server's counters say about it."""

    def __init__(self, wall, cpu, rss_kb, status, timed_out, served, server_cpu):
        self.wall, self.cpu, self.rss_kb, self.status, self.timed_out = wall, cpu, rss_kb, status, timed_out
        self.served, self.server_cpu = served, server_cpu
        self.stored = None
        self.note = ""


def measure(command, env, cwd, stdout_path, stderr_path, timeout, server):
    """Runs command to its end (or kills its process group after `timeout` s) and measures it with wait4."""
    before = server.stats()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.monotonic()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        expired = threading.Event()

        def kill():
            expired.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    after = server.stats()
    served = {key: after[key] - before[key] for key in ("200", "304", "404", "gzip")}
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode, expired.is_set(),
                    served, after["cpu_seconds"] - before["cpu_seconds"])


class Tool:
    """A tool under test: how to configure it, run a pass, and count what it stored."""

    name = ""
    # Whether a pass 3 is due when pass 2 still downloaded feeds (a tool that stores validators late).
    late_validators = False

    def __init__(self, workdir, server, env):
        self.workdir, self.server, self.env = workdir, server, env
        os.makedirs(workdir, exist_ok=True)

    def command(self, state):
        raise NotImplementedError

    def stored(self, state):
        """How many stories or items the tool holds in `state` (None when unknown)."""
        return None

    def failures(self, stderr_text):
        return 0

    def environment(self, state):
        return dict(self.env)


class Feedd(Tool):
    name = "feedd once"

    def __init__(self, workdir, server, env, binary, filters=False):
        super().__init__(workdir, server, env)
        self.binary = binary
        self.config = os.path.join(workdir, "feeds.json")
        feeds = [{"id": "f%05d" % i, "url": server.url(i)} for i in range(server.feeds)]
        config = {"concurrency": PARALLEL, "per_host_concurrency": PARALLEL, "timeout": "%ds" % TIMEOUT_S}
        if filters:
            self.name = "feedd once + 10 filters"
            config["filters"] = TOP_FILTERS
            for feed in feeds:
                feed["filters"] = FEED_FILTERS
        config["feeds"] = feeds
        with open(self.config, "w") as f:
            json.dump(config, f, indent=1)

    def command(self, state):
        return [self.binary, "once", "--config", self.config, "--state", state]

    def stored(self, state):
        lines = 0
        for name in os.listdir(state):
            if name.startswith("stories") and name.endswith(".jsonl"):
                with open(os.path.join(state, name), "rb") as f:
                    lines += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        return lines

    def failures(self, stderr_text):
        match = re.findall(r"pass done .*failed=(\d+)", stderr_text)
        return int(match[-1]) if match else -1


class Sfeed(Tool):
    name = "sfeed_update"
    # The fetch() of sfeed's README, section "Caching, incremental data updates and bandwidth-saving".
    FETCH = ('fetch() {\n'
             '\tetag="${SFEED_STATE}/etags/$(basename "$3")"\n'
             '\tcurl -L --max-redirs 0 -H "User-Agent:" -f -s -m %d --compressed \\\n'
             '\t\t--etag-save "${etag}" --etag-compare "${etag}" -z "${etag}" "$2" 2>/dev/null\n'
             '}\n' % TIMEOUT_S)

    def __init__(self, workdir, server, env, etags=True):
        super().__init__(workdir, server, env)
        if not etags:
            self.name = "sfeed_update (stock fetch)"
        self.config = os.path.join(workdir, "sfeedrc")
        with open(self.config, "w") as f:
            f.write('sfeedpath="${SFEED_STATE}/feeds"\nmaxjobs=%d\n' % PARALLEL)
            if etags:
                f.write(self.FETCH)
            f.write("feeds() {\n")
            for i in range(server.feeds):
                f.write('\tfeed "f%05d" "%s"\n' % (i, server.url(i)))
            f.write("}\n")

    def environment(self, state):
        os.makedirs(os.path.join(state, "etags"), exist_ok=True)
        return dict(self.env, SFEED_STATE=state)

    def command(self, state):
        return ["sfeed_update", self.config]

    def stored(self, state):
        folder = os.path.join(state, "feeds")
        lines = 0
        for name in os.listdir(folder):
            with open(os.path.join(folder, name), "rb") as f:
                lines += f.read().count(b"\n")
        return lines

    def failures(self, stderr_text):
        return stderr_text.count("FAIL")


class Newsboat(Tool):
    name = "newsboat -x reload"
    # newsboat 2.21 stores a feed's ETag and Last-Modified from its second fetch on: on the first, its UPDATE runs
    # before the feed's row exists.
    late_validators = True

    def __init__(self, workdir, server, env):
        super().__init__(workdir, server, env)
        self.urls = os.path.join(workdir, "urls")
        self.config = os.path.join(workdir, "config")
        with open(self.urls, "w") as f:
            f.writelines(server.url(i) + "\n" for i in range(server.feeds))
        with open(self.config, "w") as f:
            f.write("reload-threads %d\ndownload-timeout %d\n" % (PARALLEL, TIMEOUT_S))

    def environment(self, state):
        # Its history files and XDG folders go into the state, not into the user's home.
        return dict(self.env, HOME=state, XDG_CONFIG_HOME=state, XDG_DATA_HOME=state)

    def command(self, state):
        return ["newsboat", "-x", "reload", "-u", self.urls, "-c", os.path.join(state, "cache.db"),
                "-C", self.config]

    def stored(self, state):
        path = os.path.join(state, "cache.db")
        if not os.path.exists(path):
            return 0
        with sqlite3.connect(path) as db:
            return db.execute("SELECT count(*) FROM rss_item").fetchone()[0]


def run_pass(tool, state, number, repeat, logs, timeout):
    """One pass of one tool on `state`, measured and checked."""
    stem = os.path.join(logs, "%s-rep%d-pass%d" % (re.sub(r"[^a-z]+", "-", tool.name.lower()).strip("-"), repeat,
                                                    number))
    run = measure(tool.command(state), tool.environment(state), tool.workdir, stem + ".out", stem + ".err", timeout,
                  tool.server)
    with open(stem + ".err", errors="replace") as f:
        failed = tool.failures(f.read())
    if not run.timed_out:
        run.stored = tool.stored(state)
    if run.timed_out:
        run.note = "timed out after %d s" % timeout
    elif run.status != 0:
        run.note = "exit status %d" % run.status
    elif failed:
        run.note = "%d feeds failed" % failed
    log("  %-28s rep %d pass %d: %7.2f s wall %7.2f s CPU %6.1f MB, served %d×200 %d×304, stored %s%s"
        % (tool.name, repeat, number, run.wall, run.cpu, run.rss_kb / 1024, run.served["200"], run.served["304"],
           run.stored, ", " + run.note if run.note else ""))
    return run


def check_server(server):
    """Measures the server alone with wrk (when installed): 304s per second, keep-alive and with a connection per
    request (as sfeed_update's curl makes), 16 connections, so that the table can show the server is not the limit."""
    if not shutil.which("wrk"):
        return "not measured (install wrk to measure it)"
    etag = None
    with urllib.request.urlopen(server.url(0), timeout=10) as response:
        etag = response.headers["ETag"]
    rates = []
    for extra in ([], ["-H", "Connection: close"]):
        command = ["wrk", "-t1", "-c%d" % PARALLEL, "-d3s", "-H", "If-None-Match: " + etag] + extra + [server.url(0)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        rates.append(float(match.group(1)) if match else 0.0)
    return "%.0f 304s/s keep-alive, %.0f 304s/s with a new connection per request (wrk, 16 connections)" % tuple(
        rates)


def run_size(args, count, feedd_binary):
    """All tools at one N: returns {(tool name, pass): [Measured]} and the server's description."""
    log("N = %d: starting the feed server (generating %d documents unless cached)" % (count, count))
    started = time.monotonic()
    server = Server(count, args.seed, args.cache)
    log("N = %d: serving %d feeds, %d items, %.1f MB (%.1f MB gzip) on port %d after %.0f s"
        % (count, server.feeds, server.items, server.bytes / 1e6, server.gzip_bytes / 1e6, server.port,
           time.monotonic() - started))
    if not args.server_checked:
        args.server_checked = check_server(server)
        log("feed server alone: %s" % args.server_checked)
    base = os.path.join(args.workdir, "n%d" % count)
    logs = os.path.join(base, "logs")
    os.makedirs(logs, exist_ok=True)
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    tools = []
    peers = count < 10000 or args.with_peers_at_10k
    for name in args.tools:
        if name == "feedd":
            tools.append(Feedd(os.path.join(base, "feedd"), server, env, feedd_binary))
            if args.filters:
                tools.append(Feedd(os.path.join(base, "feedd-filters"), server, env, feedd_binary, filters=True))
        elif name == "sfeed" and peers:
            tools.append(Sfeed(os.path.join(base, "sfeed"), server, env))
            if args.sfeed_stock:
                tools.append(Sfeed(os.path.join(base, "sfeed-stock"), server, env, etags=False))
        elif name == "newsboat" and peers:
            tools.append(Newsboat(os.path.join(base, "newsboat"), server, env))
    results = {}
    gave_up = set()
    try:
        for repeat in range(1, args.repeats + 1):
            shift = (repeat - 1) % len(tools)
            for tool in tools[shift:] + tools[:shift]:
                if tool.name in gave_up:
                    continue
                state = tempfile.mkdtemp(prefix="state-%s-" % re.sub(r"[^a-z]+", "-", tool.name.lower()).strip("-"),
                                         dir=args.state_root or tool.workdir)
                timeout = args.feedd_timeout if isinstance(tool, Feedd) else args.peer_timeout
                first = run_pass(tool, state, 1, repeat, logs, timeout)
                results.setdefault((tool.name, 1), []).append(first)
                if first.timed_out:
                    gave_up.add(tool.name)
                else:
                    check_first(tool, first, server)
                    passes = 2
                    while True:
                        run = run_pass(tool, state, passes, repeat, logs, timeout)
                        results.setdefault((tool.name, passes), []).append(run)
                        if passes == 2 and isinstance(tool, Feedd):
                            check_second(tool, run, first, server)
                        # A peer that stores validators late gets one more pass, to measure its all-304 pass.
                        if run.timed_out or run.served["200"] == 0 or passes == 3 or not tool.late_validators:
                            break
                        passes += 1
                    if run.timed_out:
                        gave_up.add(tool.name)
                if not args.keep:
                    shutil.rmtree(state, ignore_errors=True)
    finally:
        server.stop()
    return results, server


def check_first(tool, run, server):
    """Pass 1 must have fetched every feed (200) and, for feedd, logged every item served."""
    problems = []
    if run.served["200"] != server.feeds:
        problems.append("served %d×200 for %d feeds" % (run.served["200"], server.feeds))
    if isinstance(tool, Feedd) and run.stored != server.items:
        problems.append("story log has %d lines, %d items were served" % (run.stored, server.items))
    if problems:
        run.note = "; ".join([run.note] + problems if run.note else problems)
        log("  CHECK FAILED: %s pass 1: %s" % (tool.name, run.note))


def check_second(tool, run, first, server):
    """feedd's pass 2 must be all 304 and log nothing new."""
    problems = []
    if run.served["304"] != server.feeds:
        problems.append("served %d×304 for %d feeds" % (run.served["304"], server.feeds))
    if run.stored != first.stored:
        problems.append("story log grew by %d lines" % (run.stored - first.stored))
    if problems:
        run.note = "; ".join([run.note] + problems if run.note else problems)
        log("  CHECK FAILED: %s pass 2: %s" % (tool.name, run.note))


def median_of(runs, key):
    values = [key(r) for r in runs if not r.timed_out]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    return "—" if value is None else ("%.*f" % (digits, value))


def report(args, by_size, servers, started):
    """Markdown: the table of medians, then the targets."""
    out = []
    out.append("## `feedd once` against sfeed_update and newsboat\n")
    versions = tool_versions(args)
    command = os.environ.get("DAEMON_BENCH_COMMAND") or " ".join(["bench/daemon_bench.py"] + sys.argv[1:])
    out.append("Command: `%s`\n" % command)
    out.append("Machine: %d cores, load average %s at the start and %s at the end (other work shares the machine). "
               "%s. Median of %d runs per cell; tools interleaved." % (
                   os.cpu_count(), args.load_at_start, " ".join("%.2f" % x for x in os.getloadavg()), versions,
                   args.repeats))
    out.append("Parallelism: feedd concurrency %d and per_host_concurrency %d (every feed is on 127.0.0.1, so the "
               "default per-host limit of 2 would be the bottleneck), sfeed maxjobs=%d with ETag-caching fetch() "
               "(curl --compressed --etag-save/--etag-compare -z), newsboat reload-threads %d; timeouts %d s. "
               "State folders under %s." % (PARALLEL, PARALLEL, PARALLEL, PARALLEL, TIMEOUT_S,
                                             args.state_root or args.workdir))
    out.append("Feed server: one asyncio process on 127.0.0.1 (bench/feed_server.py); alone it serves %s."
               % args.server_checked)
    for count, server in servers.items():
        out.append("N = %d: %d items, %.1f MB of XML (%.1f MB gzip), %.1f KB per feed on average."
                   % (count, server.items, server.bytes / 1e6, server.gzip_bytes / 1e6, server.bytes / count / 1024))
    out.append("")
    out.append("| tool | N | pass | served 200 / 304 | wall s | CPU s | feeds/s | peak RSS MB | server CPU s "
               "| stored | note |")
    out.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|")
    for count, results in by_size.items():
        for (name, number), runs in results.items():
            out.append(table_row(name, count, number, runs, args.repeats))
    out.append("")
    out.append("`served` is what the feed server answered during the pass; `stored` is what the tool holds after it "
               "(feedd: lines of its story log; sfeed: lines of its TSV files; newsboat: rows of rss_item). "
               "CPU is user + system of the process and all its waited-for descendants (wait4). Peak RSS is the "
               "process's own (sfeed_update: the largest of its shells, curl, sfeed and sort processes). "
               "newsboat gets a pass 3: newsboat 2.21 stores a feed's ETag "
               "and Last-Modified only from its second fetch on (its UPDATE runs before the feed's row exists), so "
               "its pass 2 downloads and merges everything again and its pass 3 is its first all-304 pass.")
    out.append("")
    out.extend(targets(by_size))
    if args.filters:
        out.append("")
        out.extend(filter_cost(by_size))
    out.append("")
    out.append("Total benchmark time: %.0f s." % (time.monotonic() - started))
    return "\n".join(out)


def table_row(name, count, number, runs, repeats):
    """One row of the table: the medians of one tool's runs of one pass at one N."""
    ok = [r for r in runs if not r.timed_out]
    # When every run timed out, show how far they got: at least that long, that much CPU, so many feeds served.
    shown, bound = (ok, "") if ok else (runs, "≥ ")

    def median(metric, digits=2):
        return bound + fmt(statistics.median(metric(r) for r in shown), digits)

    wall = statistics.median(r.wall for r in shown)
    served = "%d / %d" % (statistics.median(r.served["200"] for r in shown),
                          statistics.median(r.served["304"] for r in shown))
    notes = "; ".join(sorted({r.note for r in runs if r.note}))
    if not notes and len(runs) != repeats:
        notes = "%d runs" % len(runs)
    cells = [name, str(count), "1 (fresh)" if number == 1 else str(number), served, median(lambda r: r.wall),
             median(lambda r: r.cpu), ("≤ " if bound else "") + fmt(count / wall, 0),
             median(lambda r: r.rss_kb / 1024, 1), median(lambda r: r.server_cpu),
             median(lambda r: r.stored or 0, 0) if ok else "—", notes]
    return "| " + " | ".join(cells) + " |"


def targets(by_size):
    """The ratios issue 3 names, with PASS or MISS."""
    lines = ["### Targets (issue 3)", "", "| target | measured | verdict |", "|---|---|---|"]

    def row(target, measured, ok):
        lines.append("| %s | %s | %s |" % (target, measured, "PASS" if ok else "MISS"))

    rss = {}
    for count, results in by_size.items():
        feedd1 = results.get(("feedd once", 1), [])
        feedd2 = results.get(("feedd once", 2), [])
        if not feedd1:
            continue
        peers = {name: runs for (name, number), runs in results.items()
                 if number == 1 and not name.startswith("feedd once")}
        for label, metric, target in (("wall ≥ %.0f× shorter than the faster peer's", lambda r: r.wall, "wall"),
                                      ("CPU ≥ %.0f× less than the thriftier peer's", lambda r: r.cpu, "CPU")):
            mine = median_of(feedd1, metric)
            theirs = {name: median_of(runs, metric) for name, runs in peers.items()}
            theirs = {name: value for name, value in theirs.items() if value is not None}
            if mine and theirs:
                best = min(theirs, key=theirs.get)
                ratio = theirs[best] / mine
                row("N = %d, pass 1 %s" % (count, label % TARGET_SPEEDUP),
                    "%.1f× (%s %.2f s / feedd %.2f s %s)" % (ratio, best, theirs[best], mine, target),
                    ratio >= TARGET_SPEEDUP)
        wall = median_of(feedd2, lambda r: r.wall)
        if wall:
            rate = count / wall
            row("N = %d, all-304 pass ≥ %d feeds/s" % (count, TARGET_304_RATE),
                "%.0f feeds/s (%.2f s)" % (rate, wall), rate >= TARGET_304_RATE)
        peaks = [median_of(runs, lambda r: r.rss_kb / 1024) for runs in (feedd1, feedd2)]
        peaks = [p for p in peaks if p is not None]
        if peaks:
            rss[count] = max(peaks)
    for count, peak in rss.items():
        if count >= 10000:
            row("N = %d, peak RSS < %.0f MB" % (count, TARGET_RSS_MB), "%.1f MB" % peak, peak < TARGET_RSS_MB)
    sizes = sorted(rss)
    if len(sizes) >= 2:
        low, high = sizes[0], sizes[-1]
        per_feed = (rss[high] - rss[low]) * 1024 / (high - low)
        row("RSS growth per feed, N = %d → %d, well under %.0f KB" % (low, high, TARGET_KB_PER_FEED),
            "%.2f KB per feed (%.1f → %.1f MB)" % (per_feed, rss[low], rss[high]), per_feed < TARGET_KB_PER_FEED)
    return lines


def filter_cost(by_size):
    """What ten filter rules cost: the medians of feedd with them over the medians of feedd without, same N, pass."""
    lines = ["### Filter cost (issue 12: ten rules within a few percent)", "",
             "| N | pass | metric | without | with 10 rules | ratio | verdict |", "|---:|---|---|---:|---:|---:|---|"]
    for count, results in by_size.items():
        for number in (1, 2):
            plain = results.get(("feedd once", number), [])
            filtered = results.get(("feedd once + 10 filters", number), [])
            if not plain or not filtered:
                continue
            for label, metric in (("wall s", lambda r: r.wall), ("CPU s", lambda r: r.cpu)):
                without, with_rules = median_of(plain, metric), median_of(filtered, metric)
                if not without or not with_rules:
                    continue
                ratio = with_rules / without
                # Pass 2 is all 304: no story is filtered, so it shows the noise of the measurement.
                verdict = ("PASS" if ratio <= TARGET_FILTER_RATIO else "MISS") if number == 1 else "(noise: no story)"
                lines.append("| %d | %d | %s | %.2f | %.2f | %.3f | %s |" % (count, number, label, without, with_rules,
                                                                          ratio, verdict))
    lines.append("")
    lines.append("Pass 1 (fresh state) runs every rule against every story; the target is a ratio ≤ %.2f. "
                 "The rules match nothing, so both log the same stories (checked)." % TARGET_FILTER_RATIO)
    return lines


def tool_versions(args):
    parts = []
    for package in ("sfeed", "newsboat", "curl"):
        try:
            version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True,
                                     text=True, timeout=10).stdout.strip()
        except OSError:
            version = ""
        if version:
            parts.append("%s %s" % (package, version))
    return "Debian packages: " + ", ".join(parts) if parts else "peer versions unknown"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feedd", required=True, help="the feedd binary to measure")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated feed counts (default 1000,10000)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per tool, pass and size; medians reported (3)")
    ap.add_argument("--tools", default="feedd,sfeed,newsboat", help="which of feedd,sfeed,newsboat to run")
    ap.add_argument("--with-peers-at-10k", action="store_true",
                    help="also run the peers at N >= 10,000 (by default only feedd runs there: newsboat takes long)")
    ap.add_argument("--sfeed-stock", action="store_true",
                    help="also run sfeed_update with its stock fetch() (no gzip, no ETag)")
    ap.add_argument("--peer-timeout", type=float, default=900, help="seconds before a peer run is killed (900)")
    ap.add_argument("--feedd-timeout", type=float, default=600, help="seconds before a feedd run is killed (600)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated feeds (default 1)")
    ap.add_argument("--cache", help="folder to keep generated feeds in between runs (passed to feed_server.py)")
    ap.add_argument("--workdir", help="folder for configs, state and logs (default: a new temporary folder)")
    ap.add_argument("--state-root", help="folder for the tools' fresh state folders (default: the work folder); "
                    "/dev/shm shows what the file system costs")
    ap.add_argument("--filters", action="store_true",
                    help="also run feedd with ten filter rules, interleaved, and report the ratios (issue 12)")
    ap.add_argument("--keep", action="store_true", help="keep every run's state (the story logs are large)")
    ap.add_argument("--json", help="also write every measurement to this JSON file")
    args = ap.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - {"feedd", "sfeed", "newsboat"}
    if unknown:
        ap.error("unknown tool(s): %s" % ", ".join(sorted(unknown)))
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.workdir = args.workdir or tempfile.mkdtemp(prefix="feedd-daemon-bench-")
    args.load_at_start = " ".join("%.2f" % x for x in os.getloadavg())
    args.server_checked = None
    log("work folder %s" % args.workdir)
    started = time.monotonic()
    by_size, servers = {}, {}
    for count in sizes:
        by_size[count], servers[count] = run_size(args, count, os.path.abspath(args.feedd))
    text = report(args, by_size, servers, started)
    print(text)
    if args.json:
        dump = [{"tool": name, "n": count, "pass": number, "wall": r.wall, "cpu": r.cpu, "rss_kb": r.rss_kb,
                 "served": r.served, "server_cpu": r.server_cpu, "stored": r.stored, "timed_out": r.timed_out,
                 "status": r.status, "note": r.note}
                for count, results in by_size.items() for (name, number), runs in results.items() for r in runs]
        with open(args.json, "w") as f:
            json.dump(dump, f, indent=1)
    failed = any(r.note and "timed out" not in r.note
                 for results in by_size.values() for (name, _), runs in results.items() if name == "feedd once"
                 for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
