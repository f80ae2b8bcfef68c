#!/usr/bin/env python3
"""Benchmark `feedd parse` against two bare libxml2 SAX2 counters (sax_count); called by bench/parse-bench.sh.

The two counters are the same program with different libxml2 options: `plain` (none) and `recover-noent`
(XML_PARSE_RECOVER|XML_PARSE_NOENT, what FoundationXML's XMLParser sets). For every document set it first runs
feedd once untimed (to warm the page cache and count the items it finds), then R interleaved rounds of
`feedd parse FILES... > /dev/null`, `sax_count --options plain FILES...` and `sax_count --options recover-noent
FILES...` (the order rotates from round to round), each a whole process given all the files, taking each run's wall
time from the clock, its CPU time from os.wait4 and its peak RSS from GNU time (`/usr/bin/time -f %M`). It reports
medians, feedd's throughput as a fraction of each counter's (the median of the per-round ratios counter time / feedd
time), and a memory check: feedd's peak RSS over the set given once against the same set given 4 times in one
command (memory must not grow with the number of documents). Progress goes to stderr; the Markdown tables go to
stdout, ready to paste into the README.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FEED_KINDS = ("rss2", "rss1", "atom")
REPEAT = 4
COUNTERS = ("plain", "recover-noent")
GNU_TIME = "/usr/bin/time"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(argv, stdout):
    """Runs argv to completion; returns (exit status, wall seconds, cpu seconds, peak RSS in KiB).

    Peak RSS comes from GNU time, not from this process's wait4: Linux carries the high-water mark across exec, so a
    child forked from this (large) Python process would report Python's RSS as its own.
    """
    with tempfile.NamedTemporaryFile(mode="r", prefix="feedd-bench-rss-") as rss_file:
        start = time.perf_counter()
        proc = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", rss_file.name, *argv], stdout=stdout,
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
        # GNU time writes "Command exited with non-zero status N" first when the command fails.
        peak_kib = int(rss_file.read().split()[-1])
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime, peak_kib


def corpus_files(corpus):
    """XML feed documents listed in the corpus INDEX.tsv (kinds rss2, rss1, atom), as absolute paths."""
    paths = []
    with open(os.path.join(corpus, "INDEX.tsv"), encoding="utf-8") as index:
        header = index.readline().rstrip("\n").split("\t")
        file_col, kind_col = header.index("file"), header.index("kind")
        for line in index:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > kind_col and cols[kind_col] in FEED_KINDS:
                paths.append(os.path.join(corpus, cols[file_col]))
    return paths


def folder_files(folder):
    """Every regular file under folder, sorted, skipping hidden files and INDEX/README-style text files."""
    paths = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and not name.endswith((".md", ".tsv", ".txt")):
                paths.append(os.path.join(root, name))
    return paths


def count_items(feedd, files):
    """Runs feedd once with its output captured; returns (items, documents that printed an error line)."""
    out = subprocess.run([feedd, "parse", *files], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    items = errors = lines = 0
    for line in out.splitlines():
        if not line.strip():
            continue
        lines += 1
        try:
            doc = json.loads(line)
        except ValueError:
            errors += 1
            continue
        if "error" in doc:
            errors += 1
        items += len(doc.get("items") or [])
    if lines != len(files):
        log("  warning: feedd printed %d lines for %d documents" % (lines, len(files)))
    return items, errors


def parse_sax_line(text):
    fields = dict(kv.split("=", 1) for kv in text.split())
    return float(fields["seconds"]), int(fields["errors"])


def bench_set(name, files, feedd, sax, rounds):
    """Measures one document set; returns a dict of results."""
    size = sum(os.path.getsize(f) for f in files)
    log("%s: %d documents, %.1f MB" % (name, len(files), size / 1e6))
    items, errors = count_items(feedd, files)
    commands = {"feedd": [feedd, "parse", *files]}
    for options in COUNTERS:
        commands[options] = [sax, "--options", options, *files]
    wall = {k: [] for k in commands}
    cpu = {k: [] for k in commands}
    rss = {k: [] for k in commands}
    parse_s = {k: [] for k in COUNTERS}
    sax_errors = {}
    with tempfile.TemporaryFile() as sax_out:
        for options in COUNTERS:
            run(commands[options], sax_out)  # warm-up
        order = list(commands)
        for r in range(rounds):
            for key in order[r % len(order):] + order[:r % len(order)]:
                sax_out.seek(0)
                sax_out.truncate()
                status, w, c, m = run(commands[key], subprocess.DEVNULL if key == "feedd" else sax_out)
                if key == "feedd" and status not in (0, 1):
                    sys.exit("feedd parse exited with status %d on set %s" % (status, name))
                if key != "feedd":
                    if status != 0:
                        sys.exit("sax_count --options %s exited with status %d on set %s" % (key, status, name))
                    sax_out.seek(0)
                    seconds, sax_errors[key] = parse_sax_line(sax_out.read().decode())
                    parse_s[key].append(seconds)
                wall[key].append(w)
                cpu[key].append(c)
                rss[key].append(m)
            log("  round %d/%d: " % (r + 1, rounds) + ", ".join("%s %.3f s" % (k, wall[k][-1]) for k in commands))
    result = {"name": name, "docs": len(files), "bytes": size, "items": items, "errors": errors,
              "feedd_s": statistics.median(wall["feedd"]), "feedd_best_s": min(wall["feedd"]),
              "feedd_rss": max(rss["feedd"])}
    for key in COUNTERS:
        result[key] = {
            "s": statistics.median(wall[key]), "best_s": min(wall[key]), "parse_s": statistics.median(parse_s[key]),
            "rss": max(rss[key]), "errors": sax_errors[key],
            # feedd's throughput as a fraction of the counter's: counter time / feedd time, per round.
            "ratio_wall": statistics.median(s / f for f, s in zip(wall["feedd"], wall[key])),
            "ratio_cpu": statistics.median(max(s, 1e-3) / max(f, 1e-3) for f, s in zip(cpu["feedd"], cpu[key])),
        }
    return result


def memory_check(name, files, feedd):
    """Peak RSS of feedd parse over the set once and over the set repeated REPEAT times."""
    once = run([feedd, "parse", *files], subprocess.DEVNULL)[3]
    many = run([feedd, "parse", *(files * REPEAT)], subprocess.DEVNULL)[3]
    log("  memory: %d KiB once, %d KiB x%d" % (once, many, REPEAT))
    return {"name": name, "docs": len(files), "once": once, "many": many}


def mib(kib):
    return "%.1f MiB" % (kib / 1024.0)


def report(results, memory, rounds, feedd):
    load = os.getloadavg()
    lines = ["### Parser throughput: `feedd parse` vs two libxml2 SAX2 counters", "",
             "| document set | docs | MB | items | feedd MB/s | feedd items/s | plain MB/s | RECOVER\\|NOENT MB/s "
             "| feedd/plain throughput | feedd/RECOVER\\|NOENT throughput (wall) | (CPU) | feedd peak RSS "
             "| counter peak RSS |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        mb = r["bytes"] / 1e6
        plain, noent = r["plain"], r["recover-noent"]
        lines.append("| %s | %d | %.1f | %d | %.1f | %.0f | %.1f | %.1f | %.2f× | **%.2f×** | %.2f× | %s | %s |" % (
            r["name"], r["docs"], mb, r["items"], mb / r["feedd_s"], r["items"] / r["feedd_s"], mb / plain["s"],
            mb / noent["s"], plain["ratio_wall"], noent["ratio_wall"], noent["ratio_cpu"], mib(r["feedd_rss"]),
            mib(max(plain["rss"], noent["rss"]))))
    lines += ["", "| document set | feedd peak RSS, set once | set given %d× in one command | growth |" % REPEAT,
              "|---|---:|---:|---:|"]
    for m in memory:
        lines.append("| %s (%d / %d docs) | %s | %s | %+.0f%% |" % (
            m["name"], m["docs"], m["docs"] * REPEAT, mib(m["once"]), mib(m["many"]),
            100.0 * (m["many"] - m["once"]) / m["once"]))
    notes = []
    for r in results:
        # On a loaded machine a round's wall time is mostly waiting for a core; the fastest round of each command is
        # the one that waited least.
        notes.append("%s, fastest of the rounds: feedd %.3f s, RECOVER|NOENT %.3f s, plain %.3f s: feedd/RECOVER|NOENT "
                     "throughput %.2f×, feedd/plain %.2f×" % (
                         r["name"], r["feedd_best_s"], r["recover-noent"]["best_s"], r["plain"]["best_s"],
                         r["recover-noent"]["best_s"] / r["feedd_best_s"], r["plain"]["best_s"] / r["feedd_best_s"]))
    for r in results:
        notes.append("%s: feedd printed an error line for %d documents; libxml2 reported errors in %d (plain) and %d "
                     "(RECOVER|NOENT); parse-only time (file reading and start-up left out) %.1f MB/s plain, %.1f "
                     "MB/s RECOVER|NOENT" % (
                         r["name"], r["errors"], r["plain"]["errors"], r["recover-noent"]["errors"],
                         r["bytes"] / 1e6 / r["plain"]["parse_s"], r["bytes"] / 1e6 / r["recover-noent"]["parse_s"]))
    lines += ["", "feedd: %s (%s)." % (os.path.relpath(feedd, REPO), linkage(feedd))]
    lines += ["", "Medians of %d interleaved rounds, each command a whole process given every file of the set "
              "(start-up, reading the files and, for feedd, writing JSON included). A throughput ratio is the median "
              "of the per-round ratios counter time / feedd time. Counters: `bench/sax_count` (libxml2 %s push "
              "parser, counting elements and text bytes only) with no options (plain) and with "
              "XML_PARSE_RECOVER|XML_PARSE_NOENT (as XMLParser). %s, %d cores, load average %.1f at the end, %s." % (
                  rounds, libxml2_version(), platform.platform(terse=True), os.cpu_count(), load[0],
                  datetime.date.today().isoformat()), ""]
    lines += ["- " + n for n in notes]
    print("\n".join(lines))


def linkage(feedd):
    """How the binary measured was linked: the Swift runtime loaded at start-up or linked in."""
    try:
        libraries = subprocess.run(["ldd", feedd], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    except OSError:
        return "?"
    return "Swift libraries loaded at start-up" if "libswiftCore" in libraries else "Swift runtime linked in"


def libxml2_version():
    try:
        return subprocess.run(["xml2-config", "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    except OSError:
        return "?"


def main(argv):
    ap = argparse.ArgumentParser(description="Benchmark `feedd parse` against two libxml2 SAX2 counters.",
                                 usage="bench/parse-bench.sh [options]")
    ap.add_argument("--feedd", default=os.path.join(REPO, ".build-static", "release", "feedd"),
                    help="feedd binary (default .build-static/release/feedd, which `make` builds; given, the script "
                         "builds nothing)")
    ap.add_argument("--build", choices=("static", "dynamic"), default="static",
                    help="when no --feedd is given: measure the binary `make` builds and installs (static, the "
                         "default) or the plain `swift build -c release` one (dynamic)")
    ap.add_argument("--sax", default=os.path.join(REPO, ".build", "bench", "sax_count"), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(REPO), "shared", "corpus"),
                    help="corpus folder with INDEX.tsv (default ../shared/corpus; skipped when absent)")
    ap.add_argument("--no-corpus", action="store_true", help="leave the corpus out")
    ap.add_argument("--generated", type=int, default=300, metavar="N",
                    help="generated documents from bench/gen_feeds.py (default 300; 0 leaves them out)")
    ap.add_argument("--seed", type=int, default=1, help="seed for the generated documents (default 1)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=FOLDER",
                    help="add a document set: every file under FOLDER (repeatable)")
    ap.add_argument("--rounds", type=int, default=15, metavar="R", help="timed rounds per set (default 15)")
    ap.add_argument("--no-memory-check", action="store_true", help="skip the once-vs-%d× peak RSS check" % REPEAT)
    args = ap.parse_args(argv)

    for tool in (args.feedd, args.sax, GNU_TIME):
        if not os.access(tool, os.X_OK):
            sys.exit("not found or not executable: %s" % tool)
    sets = []
    if not args.no_corpus:
        if os.path.isfile(os.path.join(args.corpus, "INDEX.tsv")):
            sets.append(("corpus (real feeds)", corpus_files(args.corpus)))
        else:
            log("no corpus at %s; skipping it" % args.corpus)
    for spec in args.set:
        name, sep, folder = spec.partition("=")
        if not sep or not os.path.isdir(folder):
            sys.exit("--set wants NAME=FOLDER with an existing folder: %s" % spec)
        sets.append((name, folder_files(folder)))
    workdir = tempfile.mkdtemp(prefix="feedd-bench-")
    try:
        if args.generated > 0:
            gen_dir = os.path.join(workdir, "generated")
            log("generating %d documents (seed %d)" % (args.generated, args.seed))
            subprocess.run([sys.executable, os.path.join(HERE, "gen_feeds.py"), "--count", str(args.generated),
                            "--seed", str(args.seed), gen_dir], check=True, stderr=subprocess.DEVNULL)
            sets.append(("generated (seed %d)" % args.seed, folder_files(gen_dir)))
        sets = [(n, f) for n, f in sets if f]
        if not sets:
            sys.exit("no documents to parse (no corpus, nothing generated, no --set)")
        results = [bench_set(name, files, args.feedd, args.sax, args.rounds) for name, files in sets]
        memory = [] if args.no_memory_check else [memory_check(n, f, args.feedd) for n, f in sets]
        report(results, memory, args.rounds, args.feedd)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
