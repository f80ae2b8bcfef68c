#!/usr/bin/env python3
"""One machine, 100,000 feeds (issue 13): start-up, CPU and peak memory of `feedd run`, and the all-304 `once` pass.

    python3 bench/scale_bench.py --feedd .build/release/feedd [--feeds 100000] [--minutes 30] [--hosts 4] ...

Steps, each measured on the real `feedd` binary as a child process:

1. A loopback server (this script with --serve, in its own process so that it does not share the measuring
   process's interpreter) serves N small RSS documents (2 items, about 600 bytes) at
   http://127.0.0.H:PORT/f/<i>.xml, spread over --hosts loopback addresses (127.0.0.1, 127.0.0.2, ...). Every
   document has a strong ETag; a request whose If-None-Match matches gets 304 with no body. Keep-alive works.
2. A config with N feeds (explicit short ids, interval 15m, --concurrency, --per-host) in a temp directory.
3. `feedd once` on an empty state: the first pass (all 200, every story logged): wall, CPU, peak RSS.
4. `feedd once` again: the all-304 pass: fetches per second, wall, CPU, peak RSS, and how many 304s the server
   counted (all N is the goal).
5. The state's `next_due` of every feed is rewritten to spread the feeds evenly over the next interval, as a
   daemon that has run for a while has them (right after a pass they would all be due at the same moment, and a
   run shorter than the interval would measure an idle daemon).
6. `feedd run` on that state for --minutes: start-up time (process start to READY=1 on a NOTIFY_SOCKET the script
   listens on, which the daemon sends once its state is loaded and every feed is scheduled), then CPU (utime +
   stime from /proc/PID/stat, sampled every --sample seconds) and peak RSS (VmHWM), and the fetches the server
   answered meanwhile (about N x minutes / 15 in a steady state). Then SIGTERM, and the time to exit.

The goals of issue 13 are printed beside the figures: peak RSS under 300 MB, under 10% of one core on average,
start-up under 5 s. CPU is the daemon's alone; the server's CPU is reported separately (it shares the machine).
Progress goes to stderr, the report (Markdown) to stdout. --keep leaves the temp directory for a look.
"""
import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

GOAL_RSS_MB = 300.0
GOAL_CPU_PERCENT = 10.0
GOAL_STARTUP_S = 5.0
TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print("scale-bench: " + message, file=sys.stderr, flush=True)


# MARK: - The server (--serve)


def document(index):
    """Feed `index`: a small RSS 2.0 document with two items, the same at every request."""
    items = "".join(
        "<item><title>Story %d of feed %d</title><link>http://example.org/%d/%d</link>"
        "<guid isPermaLink=\"false\">feed-%d-story-%d</guid><pubDate>Mon, 16 Jun 2025 18:04:00 +0000</pubDate>"
        "<description>A short summary of story %d.</description></item>" % (k, index, index, k, index, k, k)
        for k in range(2))
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Feed %d</title>"
            "<link>http://example.org/%d/</link><description>Scale bench feed</description>%s</channel></rss>"
            % (index, index, items)).encode("utf-8")


def serve(port_file, count, hosts, port):
    counts = {"requests": 0, "200": 0, "304": 0, "404": 0}
    first = {"at": None}

    def respond(path, headers):
        if path == "/_stats":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            body = json.dumps(dict(counts, cpu_seconds=round(usage.ru_utime + usage.ru_stime, 3),
                                   first_request=first["at"])).encode()
            return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        counts["requests"] += 1
        if first["at"] is None:
            first["at"] = time.time()
        index = -1
        if path.startswith("/f/") and path.endswith(".xml"):
            try:
                index = int(path[3:-4])
            except ValueError:
                pass
        if not 0 <= index < count:
            counts["404"] += 1
            return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        etag = b'"v1-%d"' % index
        if headers.get(b"if-none-match") == etag:
            counts["304"] += 1
            return b"HTTP/1.1 304 Not Modified\r\nETag: " + etag + b"\r\n\r\n"
        counts["200"] += 1
        body = document(index)
        return (b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nETag: " + etag
                + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                parts = lines[0].split(b" ")
                if len(parts) < 2:
                    break
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                writer.write(respond(parts[1].decode("latin-1"), headers))
                if headers.get(b"connection", b"").lower() == b"close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main():
        servers = []
        nonlocal port
        for h in range(hosts):
            server = await asyncio.start_server(handle, "127.0.0.%d" % (h + 1), port, backlog=1024)
            port = server.sockets[0].getsockname()[1]
            servers.append(server)
        with open(port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.replace(port_file + ".tmp", port_file)
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


# MARK: - Measuring


def stats(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/_stats" % port, timeout=30) as response:
        return json.load(response)


def run_once(feedd, config, state):
    """Runs `feedd once`; returns (exit status, wall s, CPU s, peak RSS MB, stderr tail)."""
    errors = os.path.join(os.path.dirname(state), "once.err")
    started = time.monotonic()
    with open(errors, "wb") as err:
        child = subprocess.Popen([feedd, "once", "--config", config, "--state", state], stderr=err,
                                 stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    with open(errors, "rb") as err:
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-1:]
    return (os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0,
            tail[0] if tail else "")


def proc_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def proc_memory(pid):
    found = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                found[line.split(":")[0]] = int(line.split()[1]) / 1024.0
    return found.get("VmRSS", 0.0), found.get("VmHWM", 0.0)


def spread_due_times(state, interval, start):
    """Rewrites the states file so that feed i is next due at start + interval * i / N (see step 5)."""
    path = os.path.join(state, "feed-states.json")
    with open(path) as f:
        document = json.load(f)
    feeds = document["feeds"] if isinstance(document, dict) and "feeds" in document else document
    ids = sorted(feeds)
    for rank, feed_id in enumerate(ids):
        due = start + interval * (rank + 0.5) / len(ids)
        feeds[feed_id]["next_due"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(due))
    with open(path + ".tmp", "w") as f:
        json.dump(document, f)
    os.replace(path + ".tmp", path)
    for name in os.listdir(state):
        if name.startswith("feed-states.changes-"):
            os.remove(os.path.join(state, name))


def run_daemon(feedd, config, state, minutes, sample, work):
    """Runs `feedd run` for `minutes`; returns a dict of figures."""
    notify_path = os.path.join(work, "notify.sock")
    if os.path.exists(notify_path):
        os.remove(notify_path)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    environment = dict(os.environ, NOTIFY_SOCKET=notify_path)
    err = open(os.path.join(work, "run.err"), "wb")
    ready = threading.Event()
    first_ready = []

    def drain():
        # Read every notification, as systemd does: the daemon's sends block once the socket's queue is full.
        while True:
            try:
                message = notify.recv(65536).decode("utf-8", "replace")
            except OSError:
                return
            if not first_ready and "READY=1" in message.split("\n"):
                first_ready.append(time.monotonic())
                ready.set()

    threading.Thread(target=drain, daemon=True).start()
    started = time.monotonic()
    child = subprocess.Popen([feedd, "run", "--config", config, "--state", state], stderr=err,
                             stdout=subprocess.DEVNULL, env=environment)
    ready_at = None
    while ready_at is None:
        if ready.wait(0.05):
            ready_at = first_ready[0]
        if child.poll() is not None:
            raise SystemExit("scale-bench: feedd run exited with %d before READY (see %s)" % (child.returncode, err.name))
        if time.monotonic() - started > 300:
            child.kill()
            raise SystemExit("scale-bench: no READY after 300 s")
    startup = ready_at - started
    cpu_at_ready = proc_cpu(child.pid)
    rss_at_ready, _ = proc_memory(child.pid)
    log("run: READY after %.2f s (CPU %.2f s, RSS %.0f MB); measuring for %g min" % (
        startup, cpu_at_ready, rss_at_ready, minutes))
    deadline = ready_at + minutes * 60
    samples = []
    peak_rss = 0.0
    while time.monotonic() < deadline:
        time.sleep(min(sample, max(0.0, deadline - time.monotonic())))
        now = time.monotonic()
        rss, hwm = proc_memory(child.pid)
        peak_rss = max(peak_rss, hwm)
        samples.append((now, proc_cpu(child.pid), rss))
        if len(samples) % max(1, int(60 / sample)) == 0:
            span = now - ready_at
            log("run: %.0f s, CPU %.1f%% of a core since READY, RSS %.0f MB, peak %.0f MB" % (
                span, 100 * (samples[-1][1] - cpu_at_ready) / span, rss, peak_rss))
    end = time.monotonic()
    cpu_end = proc_cpu(child.pid)
    _, peak_rss = proc_memory(child.pid)  # VmHWM: the peak up to now, start-up included, the stop not
    # The busiest minute: the CPU of the 60 s window (between samples) with the most.
    busiest = 0.0
    for i, (t0, c0, _) in enumerate(samples):
        for t1, c1, _ in samples[i + 1:]:
            if t1 - t0 >= 60:
                busiest = max(busiest, (c1 - c0) / (t1 - t0))
                break
    stop_started = time.monotonic()
    child.send_signal(signal.SIGTERM)
    _, status, usage = os.wait4(child.pid, 0)
    stopped = time.monotonic() - stop_started
    err.close()
    notify.close()
    return {
        "startup_s": startup, "cpu_startup_s": cpu_at_ready, "rss_ready_mb": rss_at_ready,
        "measured_s": end - ready_at, "cpu_s": cpu_end - cpu_at_ready,
        "cpu_percent": 100 * (cpu_end - cpu_at_ready) / (end - ready_at), "busiest_minute_percent": 100 * busiest,
        "peak_rss_mb": peak_rss, "exit_peak_rss_mb": usage.ru_maxrss / 1024.0,
        "final_rss_mb": samples[-1][2] if samples else 0,
        "stop_s": stopped, "exit": os.waitstatus_to_exitcode(status),
        "cpu_total_s": usage.ru_utime + usage.ru_stime, "wall_total_s": time.monotonic() - started,
    }


def write_config(path, count, hosts, port, args):
    feeds = ['{"id":"f%06d","url":"http://127.0.0.%d:%d/f/%d.xml"}' % (i, i % hosts + 1, port, i)
             for i in range(count)]
    header = {"interval": args.interval, "concurrency": args.concurrency, "per_host_concurrency": args.per_host,
              "timeout": "30s"}
    text = json.dumps(header)[:-1] + ',"feeds":[\n' + ",\n".join(feeds) + "\n]}\n"
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feedd", default=".build/release/feedd", help="the binary (default: %(default)s)")
    parser.add_argument("--feeds", type=int, default=100000, help="how many feeds (default: %(default)s)")
    parser.add_argument("--minutes", type=float, default=30.0, help="how long `run` is measured (default: %(default)s)")
    parser.add_argument("--hosts", type=int, default=4, help="loopback addresses the feeds spread over (default: 4)")
    parser.add_argument("--concurrency", type=int, default=32, help="the config's concurrency (default: 32)")
    parser.add_argument("--per-host", type=int, default=8, help="the config's per_host_concurrency (default: 8)")
    parser.add_argument("--interval", default="15m", help="every feed's interval (default: 15m)")
    parser.add_argument("--sample", type=float, default=2.0, help="seconds between samples of `run` (default: 2)")
    parser.add_argument("--skip-run", action="store_true", help="only the `once` passes")
    parser.add_argument("--keep", action="store_true", help="keep the temp directory")
    parser.add_argument("--work", help="use (and keep) this directory instead of a temp one")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: any free one)")
    parser.add_argument("--skip-once", action="store_true",
                        help="reuse the config and state a previous run left in --work (same --port and --feeds)")
    parser.add_argument("--serve", metavar="PORT_FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.feeds, args.hosts, args.port)
        return
    feedd = os.path.abspath(args.feedd)
    if not os.access(feedd, os.X_OK):
        raise SystemExit("scale-bench: no feedd at %s (build it: swift build -c release)" % feedd)
    interval_s = {"s": 1, "m": 60, "h": 3600}[args.interval[-1]] * float(args.interval[:-1])
    if args.work:
        os.makedirs(args.work, exist_ok=True)
        args.keep = True
    work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="feedd-scale-")
    port_file = os.path.join(work, "port")
    if os.path.exists(port_file):
        os.remove(port_file)
    server = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", port_file, "--feeds",
                               str(args.feeds), "--hosts", str(args.hosts), "--port", str(args.port)])
    try:
        while not os.path.exists(port_file):
            if server.poll() is not None:
                raise SystemExit("scale-bench: the server did not start")
            time.sleep(0.05)
        with open(port_file) as f:
            port = int(f.read())
        config = os.path.join(work, "feeds.json")
        state = os.path.join(work, "state")
        if not args.skip_once:
            write_config(config, args.feeds, args.hosts, port, args)
        log("%d feeds on %d hosts, port %d, in %s" % (args.feeds, args.hosts, port, work))
        rows = []
        for name in () if args.skip_once else ("first pass (all 200)", "all-304 pass"):
            before = stats(port)
            code, wall, cpu, rss, tail = run_once(feedd, config, state)
            after = stats(port)
            served = {k: after[k] - before[k] for k in ("requests", "200", "304")}
            log("once, %s: exit %d, %.1f s, CPU %.1f s, peak RSS %.0f MB, served %s; %s" % (
                name, code, wall, cpu, rss, served, tail))
            rows.append((name, code, wall, cpu, rss, served))
        figures = None
        if not args.skip_run:
            spread_due_times(state, interval_s, time.time() + 5)
            before = stats(port)
            figures = run_daemon(feedd, config, state, args.minutes, args.sample, work)
            after = stats(port)
            figures["served"] = {k: after[k] - before[k] for k in ("requests", "200", "304")}
            figures["server_cpu_s"] = after["cpu_seconds"] - before["cpu_seconds"]
        report(args, rows, figures)
    finally:
        server.terminate()
        server.wait()
        if args.keep:
            log("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(args, rows, figures):
    print("## feedd at %d feeds (interval %s, concurrency %d, per_host_concurrency %d, %d hosts)\n" % (
        args.feeds, args.interval, args.concurrency, args.per_host, args.hosts))
    if rows:
        print("| `once` pass | exit | wall s | CPU s | fetches/s | peak RSS MB | served 200 | served 304 |")
        print("|---|---|---|---|---|---|---|---|")
    for name, code, wall, cpu, rss, served in rows:
        print("| %s | %d | %.1f | %.1f | %.0f | %.0f | %d | %d |" % (
            name, code, wall, cpu, served["requests"] / wall if wall else 0, rss, served["200"], served["304"]))
    if figures:
        f = figures
        verdict = lambda ok: "met" if ok else "NOT met"
        print("\n`feedd run` for %.1f min (after READY) on the state of %d feeds, due times spread over the "
              "interval:\n" % (f["measured_s"] / 60, args.feeds))
        print("| figure | value | goal |")
        print("|---|---|---|")
        print("| start-up (exec to READY=1) | %.2f s (CPU %.2f s) | < %.0f s: %s |" % (
            f["startup_s"], f["cpu_startup_s"], GOAL_STARTUP_S, verdict(f["startup_s"] < GOAL_STARTUP_S)))
        print("| CPU after READY, average | %.2f%% of one core (%.1f s) | < %.0f%%: %s |" % (
            f["cpu_percent"], f["cpu_s"], GOAL_CPU_PERCENT, verdict(f["cpu_percent"] < GOAL_CPU_PERCENT)))
        print("| CPU, busiest minute | %.2f%% of one core | |" % f["busiest_minute_percent"])
        print("| peak RSS (VmHWM, start-up and run) | %.0f MB (at READY %.0f MB, at the end %.0f MB) | < %.0f MB: %s |" % (
            f["peak_rss_mb"], f["rss_ready_mb"], f["final_rss_mb"], GOAL_RSS_MB,
            verdict(f["peak_rss_mb"] < GOAL_RSS_MB)))
        print("| fetches served meanwhile | %d (200: %d, 304: %d); steady state: %.0f | |" % (
            f["served"]["requests"], f["served"]["200"], f["served"]["304"],
            args.feeds * f["measured_s"] / 60 / float(args.interval[:-1]) if args.interval.endswith("m") else 0))
        print("| server CPU meanwhile | %.1f s | |" % f["server_cpu_s"])
        print("| SIGTERM to exit | %.2f s (exit %d); peak RSS with the final save %.0f MB | |" % (
            f["stop_s"], f["exit"], f["exit_peak_rss_mb"]))


if __name__ == "__main__":
    main()
