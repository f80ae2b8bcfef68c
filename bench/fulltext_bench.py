#!/usr/bin/env python3
"""What `"fulltext": true` costs: `feedd once` over feeds whose new stories each have a page, with and without it.

    python3 bench/fulltext_bench.py --feedd .build/release/feedd [--feeds 4] [--items 50] [--repeats 5]
                                    [--page-delay 0.02] [--per-host 2] [--plain-pages]

Serves FEEDS RSS feeds of ITEMS stories each on 127.0.0.1 (one host), every story linking to a 20 KB HTML page with
an <article> of paragraphs amid navigation and a footer; each page answers after PAGE_DELAY seconds, as a real
server would. Each round runs `feedd once` on a fresh state directory twice, interleaved: without fulltext (the
reference, measured in the same run) and with it, at per_host_concurrency PER_HOST. Prints the medians of wall
time, CPU time (user + system) and peak RSS of the child, the ratios, and checks that the run with fulltext logged
every story once with its article (and fetched every page once).

Expect the wall time with fulltext to be about FEEDS * ITEMS * PAGE_DELAY / PER_HOST above the reference: pages
wait in the per-host queue like feeds. That is the politeness, not overhead.

--plain-pages serves the same pages as text/plain, which the extractor refuses at once ("article": null for every
story): what is left is the cost of fetching, scheduling and logging pages, without extraction.
"""
import argparse
import http.server
import json
import os
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time

PARAGRAPH = ("The council met on Tuesday to vote on the budget for next year, and the mayor spoke for an hour "
             "before the vote, which was close; residents will see the changes in their bills from the spring. ")


def page(number):
    paragraphs = "".join("<p>%d.%d %s</p>\n" % (number, i, PARAGRAPH * 2) for i in range(40))
    return ("<!DOCTYPE html><html><head><title>Story %d</title></head><body><nav><a href=\"/\">Home</a></nav>"
            "<article><h1>Story %d</h1>%s</article><footer><p>Copyright.</p></footer></body></html>"
            % (number, number, paragraphs)).encode()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(feeds, items, delay, page_type="text/html; charset=utf-8"):
    counts = {}
    lock = threading.Lock()
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 65536  # one write per response (docs/PLATFORM.md: Nagle plus delayed ACK otherwise)

        def log_message(self, *args):
            pass

        def do_GET(self):
            with lock:
                counts[self.path] = counts.get(self.path, 0) + 1
            port = self.server.server_address[1]
            if self.path.startswith("/feed/"):
                feed = int(self.path.split("/")[2].split(".")[0])
                entries = "".join(
                    "<item><title>Story %d</title><guid>f%d-s%d</guid><link>http://127.0.0.1:%d/page/%d/%d</link>"
                    "<pubDate>Mon, 16 Jun 2025 %02d:%02d:00 GMT</pubDate></item>"
                    % (i, feed, i, port, feed, i, i // 60, i % 60) for i in range(items))
                body = ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed %d</title>"
                        "<link>http://127.0.0.1:%d/</link>%s</channel></rss>" % (feed, port, entries)).encode()
                kind = "application/rss+xml"
            elif self.path.startswith("/page/"):
                time.sleep(delay)
                key = self.path
                if key not in pages:
                    pages[key] = page(int(key.split("/")[3]))
                body, kind = pages[key], page_type
            else:
                body, kind = b"not found\n", "text/plain"
                self.send_response(404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counts, lock


def run_once(feedd, port, feeds, fulltext, per_host):
    directory = tempfile.mkdtemp(prefix="feedd-fulltext-bench-")
    try:
        config = {"state_dir": "state", "per_host_concurrency": per_host, "timeout": "60s", "fulltext": fulltext,
                  "feeds": ["http://127.0.0.1:%d/feed/%d.xml" % (port, i) for i in range(feeds)]}
        with open(os.path.join(directory, "feeds.json"), "w") as f:
            json.dump(config, f)
        log = os.path.join(directory, "stderr.log")
        with open(log, "wb") as err:
            start = time.monotonic()
            child = subprocess.Popen([feedd, "once"], cwd=directory, stdout=subprocess.DEVNULL, stderr=err)
            # wait4 gives this child's own usage, peak RSS included (RUSAGE_CHILDREN would keep the maximum of all).
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.monotonic() - start
            child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            with open(log, "rb") as f:
                sys.exit("feedd once failed: %s" % f.read().decode(errors="replace")[-2000:])
        with open(os.path.join(directory, "state", "stories.jsonl")) as f:
            lines = [json.loads(line) for line in f]
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, lines
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feedd", required=True)
    parser.add_argument("--feeds", type=int, default=4)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--page-delay", type=float, default=0.02)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--plain-pages", action="store_true", help="serve pages as text/plain: no extraction")
    args = parser.parse_args()
    # Each run starts in its own state directory: a relative path would name nothing there.
    args.feedd = os.path.abspath(args.feedd)
    page_type = "text/plain; charset=utf-8" if args.plain_pages else "text/html; charset=utf-8"
    server, counts, lock = serve(args.feeds, args.items, args.page_delay, page_type)
    port = server.server_address[1]
    results = {False: [], True: []}
    stories = args.feeds * args.items
    for round_ in range(args.repeats):
        for fulltext in (False, True):
            with lock:
                counts.clear()
            wall, cpu, rss, lines = run_once(args.feedd, port, args.feeds, fulltext, args.per_host)
            if len(lines) != stories or len({(l["feed"], l["id"]) for l in lines}) != stories:
                sys.exit("expected %d distinct stories, got %d lines" % (stories, len(lines)))
            if fulltext:
                wanted = type(None) if args.plain_pages else str
                missing = [l["id"] for l in lines if "article" not in l or not isinstance(l["article"], wanted)]
                with lock:
                    fetched = [n for path, n in counts.items() if path.startswith("/page/")]
                if missing or len(fetched) != stories or any(n != 1 for n in fetched):
                    sys.exit("fulltext run: %d stories without the expected article, %d pages fetched (%d more than once)"
                             % (len(missing), len(fetched), sum(1 for n in fetched if n != 1)))
            elif any("article" in l for l in lines):
                sys.exit("a story of a feed without fulltext has an article key")
            results[fulltext].append((wall, cpu, rss))
    server.shutdown()

    def med(fulltext, index):
        return statistics.median(r[index] for r in results[fulltext])

    print("feedd once, %d feeds x %d new stories, page delay %.3f s, per_host_concurrency %d, %s pages, "
          "%d rounds (medians)" % (args.feeds, args.items, args.page_delay, args.per_host,
                                   "text/plain" if args.plain_pages else "HTML", args.repeats))
    print("| run | wall s | CPU s | peak RSS MB |")
    print("|---|---|---|---|")
    for fulltext, name in ((False, "without fulltext (reference)"), (True, "fulltext")):
        print("| %s | %.2f | %.2f | %.1f |" % (name, med(fulltext, 0), med(fulltext, 1), med(fulltext, 2) / 1024))
    print("ratios fulltext/reference: wall %.2fx, CPU %.2fx, RSS %.2fx; CPU per page %.2f ms; "
          "politeness floor (stories x delay / per_host) %.2f s"
          % (med(True, 0) / med(False, 0), med(True, 1) / med(False, 1), med(True, 2) / med(False, 2),
             (med(True, 1) - med(False, 1)) / stories * 1000, stories * args.page_delay / args.per_host))


if __name__ == "__main__":
    main()
