#!/usr/bin/env python3
"""Flood benchmark: `feedd once` against servers that push bodies at loopback speed (bench/flood-bench.sh).

    python3 bench/flood_bench.py --feedd PATH [--feedd PATH2 ...] [--rounds 3] [--hogs 2] [--endless 8]
                                 [--oversized 3] [--good 8] [--timeout 10] [--limit 250]

One asyncio server on 127.0.0.1 serves three kinds of feed:
- `/endless/<i>.xml`: the start of an RSS document, then text for ever, written in 1 MiB pieces as fast as the
  socket takes them (i even: chunked; i odd: no length, ended by closing);
- `/oversized/<i>.xml`: 200 MB documents (i % 3 == 0: with Content-Length; 1: chunked; 2: ended by closing);
- `/good/<i>.xml`: a small RSS feed with 5 items, the stories every run must log.

Each round starts `--hogs` CPU-bound processes (the machine is busy, as on a shared host), then runs every binary
given with `--feedd` once, interleaved, with fresh state: `feedd once` with concurrency 16 and per-host concurrency 16
(every feed is on one host), the default 16 MiB body cap and a `--timeout` per fetch. It measures the child's peak
RSS (`wait4`'s ru_maxrss), its wall time and CPU time, and counts the good stories in the log. A reference run of
the same binary over the good feeds alone, in the same round, gives the ratio that the noise of a shared machine
does not move much: flood peak RSS / good-only peak RSS.

Prints a Markdown table of medians and a verdict against `--limit` (MB, the issue's bound: 250) and 45 s.
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

PIECE = b"<description>" + b"flood " * (1 << 17) + b"</description>\n"  # ~786 KB of text per write


def good_feed(index):
    items = "".join(
        f"<item><title>Good {index}.{n}</title><link>http://example.org/good/{index}/{n}</link>"
        f"<guid>good-{index}-{n}</guid><description>Story {n} of feed {index}.</description></item>"
        for n in range(5)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Good {index}</title>'
        f"<link>http://example.org/good/{index}</link>{items}</channel></rss>"
    ).encode()


OPENING = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title><item><guid>flood</guid>'
OVERSIZED = 200 * 1000 * 1000


async def handle(reader, writer):
    try:
        request = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        writer.close()
        return
    path = request.split(b" ", 2)[1].decode()
    kind, _, name = path.strip("/").partition("/")
    index = int(name.split(".")[0]) if name.split(".")[0].isdigit() else 0
    try:
        if kind == "good":
            body = good_feed(index)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        elif kind == "endless":
            chunked = index % 2 == 0
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            head += b"Transfer-Encoding: chunked\r\n\r\n" if chunked else b"Connection: close\r\n\r\n"
            writer.write(head)
            await send(writer, OPENING, chunked)
            while True:
                await send(writer, PIECE, chunked)
        elif kind == "oversized":
            mode = index % 3
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            if mode == 0:
                head += f"Content-Length: {OVERSIZED}\r\n\r\n".encode()
            elif mode == 1:
                head += b"Transfer-Encoding: chunked\r\n\r\n"
            else:
                head += b"Connection: close\r\n\r\n"
            writer.write(head)
            sent = 0
            await send(writer, OPENING, mode == 1)
            sent += len(OPENING)
            while sent + len(PIECE) <= OVERSIZED:
                await send(writer, PIECE, mode == 1)
                sent += len(PIECE)
            await send(writer, b" " * (OVERSIZED - sent), mode == 1)
            if mode == 1:
                writer.write(b"0\r\n\r\n")
        else:
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def send(writer, data, chunked):
    if chunked:
        writer.write(b"%x\r\n" % len(data) + data + b"\r\n")
    else:
        writer.write(data)
    await writer.drain()
    # drain() returns at once while the socket takes everything: yield, so that one fast reader cannot keep the
    # other connections (the good feeds among them) from being served.
    await asyncio.sleep(0)


def serve(port_pipe):
    """The server's process: sends its port through `port_pipe`, then serves until killed."""
    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
        port_pipe.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def hog():
    while True:
        pass


def write_config(directory, port, args, good_only):
    feeds = [{"id": f"good-{i}", "url": f"http://127.0.0.1:{port}/good/{i}.xml"} for i in range(args.good)]
    if not good_only:
        feeds += [{"id": f"endless-{i}", "url": f"http://127.0.0.1:{port}/endless/{i}.xml"} for i in range(args.endless)]
        feeds += [
            {"id": f"oversized-{i}", "url": f"http://127.0.0.1:{port}/oversized/{i}.xml"} for i in range(args.oversized)
        ]
    config = {
        "state_dir": "state",
        "concurrency": 16,
        "per_host_concurrency": 16,
        "timeout": f"{args.timeout}s",
        "feeds": feeds,
    }
    with open(os.path.join(directory, "feeds.json"), "w") as handle:
        json.dump(config, handle, indent=2)


def run_once(binary, port, args, good_only):
    directory = tempfile.mkdtemp(prefix="feedd-flood-")
    try:
        write_config(directory, port, args, good_only)
        started = time.monotonic()
        child = subprocess.Popen(
            [binary, "once"], cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL)
        stderr_lines = []
        reader = threading.Thread(target=lambda: stderr_lines.extend(child.stderr.readlines()), daemon=True)
        reader.start()
        deadline = started + args.kill_after
        status = None
        usage = None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                status = None
                break
            time.sleep(0.02)
        wall = time.monotonic() - started
        reader.join(timeout=5)
        log = os.path.join(directory, "state", "stories.jsonl")
        good = 0
        if os.path.exists(log):
            with open(log, "rb") as handle:
                good = sum(1 for line in handle if b'"feed":"good-' in line)
        return {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024,
            "good": good,
            "exit": None if status is None else os.waitstatus_to_exitcode(status),
            "stderr": b"".join(stderr_lines).decode(errors="replace"),
        }
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feedd", action="append", required=True, help="a feedd binary (repeat to compare)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--endless", type=int, default=8)
    parser.add_argument("--oversized", type=int, default=3)
    parser.add_argument("--good", type=int, default=8)
    parser.add_argument("--timeout", type=int, default=10, help="feedd's per-fetch timeout, seconds")
    parser.add_argument("--kill-after", type=float, default=120, help="kill a feedd once still running after this")
    parser.add_argument("--limit", type=float, default=250, help="peak RSS bound, MB")
    args = parser.parse_args()
    args.feedd = [os.path.abspath(path) for path in args.feedd]

    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(sender,), daemon=True)
    server.start()
    port = receiver.recv()
    results = {binary: {"flood": [], "good": []} for binary in args.feedd}
    expected = args.good * 5
    for round_index in range(args.rounds):
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)]
        try:
            for binary in args.feedd:
                results[binary]["good"].append(run_once(binary, port, args, good_only=True))
                flood = run_once(binary, port, args, good_only=False)
                results[binary]["flood"].append(flood)
                print(
                    f"round {round_index + 1} {binary}: flood rss {flood['rss_mb']:.0f} MB wall {flood['wall']:.1f} s "
                    f"cpu {flood['cpu']:.1f} s good {flood['good']}/{expected} exit {flood['exit']}",
                    file=sys.stderr, flush=True)
                if flood["good"] < expected:
                    # Say why: feedd's lines about the good feeds that did not come through.
                    lines = [line for line in flood["stderr"].splitlines() if "good-" in line]
                    print("\n".join("    " + line for line in lines[:10]), file=sys.stderr, flush=True)
        finally:
            for process in hogs:
                process.kill()
                process.wait()

    print(f"\n`{os.environ.get('FLOOD_BENCH_COMMAND', 'bench/flood_bench.py')}`: {args.endless} endless + "
          f"{args.oversized} oversized (200 MB) + {args.good} good feeds, concurrency 16, per-host 16, "
          f"{args.hogs} CPU hogs, medians of {args.rounds} rounds\n")
    print("| feedd | flood peak RSS MB | good-only peak RSS MB | ratio | wall s | CPU s | good stories | exits | verdict |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    failed = False
    for binary in args.feedd:
        flood, good = results[binary]["flood"], results[binary]["good"]
        rss = statistics.median(r["rss_mb"] for r in flood)
        base = statistics.median(r["rss_mb"] for r in good)
        wall = statistics.median(r["wall"] for r in flood)
        cpu = statistics.median(r["cpu"] for r in flood)
        stories = min(r["good"] for r in flood)
        exits = ",".join(str(r["exit"]) for r in flood)
        worst = max(r["rss_mb"] for r in flood)
        ok = worst <= args.limit and max(r["wall"] for r in flood) <= 45 and stories == expected
        failed |= not ok
        print(f"| {binary} | {rss:.0f} (max {worst:.0f}) | {base:.0f} | {rss / base:.1f}x | {wall:.1f} | {cpu:.1f} | "
              f"{stories}/{expected} | {exits} | {'pass' if ok else 'FAIL'} |")
    server.kill()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
