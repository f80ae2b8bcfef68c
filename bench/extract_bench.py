#!/usr/bin/env python3
"""Article extraction benchmark: `feedd extract` against trafilatura and readability-lxml on the same pages.

    python3 -m venv /tmp/extract-venv
    /tmp/extract-venv/bin/pip install trafilatura readability-lxml lxml_html_clean
    swift build -c release --product feedd
    /tmp/extract-venv/bin/python bench/extract_bench.py [--feedd .build/release/feedd] [--pages DIR] [--rounds N]

Pages: every NAME.html with a reference text NAME.txt in --pages (default Tests/FeedCoreTests/Fixtures/Extract).
Without trafilatura or readability-lxml importable, their rows are left out (the script says so).

Reported, per extractor:
- token F1 of the extracted text against the reference text (median and mean over pages): words in lowercase as
  a bag of tokens, CJK characters one token each; precision and recall means beside it;
- pages with leftover chrome: pages whose output has a block (a line) with under half its tokens in the reference;
- time per page as a whole process (python -c / feedd per page, start included; median of --rounds) and in
  process for a batch (feedd: one `feedd extract` call over every page; the Python ones: a loop in one process);
- peak RSS for one generated 10 MB page, of the whole process (os.wait4's ru_maxrss), and its ratio.
"""
import argparse
import collections
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f]")
WORD = re.compile(r"[^\W_]+", re.UNICODE)

TRAFILATURA = (
    "import sys, trafilatura\n"
    "for path in sys.argv[1:]:\n"
    "    html = open(path, 'rb').read()\n"
    "    text = trafilatura.extract(html, include_comments=False, include_tables=True) or ''\n"
    "    sys.stdout.write(text.replace('\\x1e', ' ') + '\\n\\x1e\\n')\n"
)
READABILITY = (
    "import sys, lxml.html\n"
    "from readability import Document\n"
    "for path in sys.argv[1:]:\n"
    "    html = open(path, 'rb').read()\n"
    "    summary = Document(html).summary(html_partial=True)\n"
    "    tree = lxml.html.fromstring(summary) if summary.strip() else None\n"
    "    blocks = []\n"
    "    if tree is not None:\n"
    "        for element in tree.iter('p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'td', 'th', 'blockquote', 'figcaption', 'dt', 'dd'):\n"
    "            if element.getparent() is not None and element.getparent().tag in ('li', 'blockquote', 'td', 'th') and element.tag == 'p':\n"
    "                continue\n"
    "            blocks.append(' '.join(element.text_content().split()))\n"
    "    sys.stdout.write('\\n'.join(b for b in blocks if b) + '\\n\\x1e\\n')\n"
)


def tokens(text):
    out = []
    for word in WORD.findall(text.lower()):
        if CJK.search(word):
            out.extend(ch for ch in word)
        else:
            out.append(word)
    return out


def f1(extracted, reference):
    got, want = collections.Counter(tokens(extracted)), collections.Counter(tokens(reference))
    overlap = sum((got & want).values())
    if not got or not want or overlap == 0:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall), precision, recall


def leftover_chrome(extracted, reference):
    """True when a block of the output mostly is not in the reference: page chrome that survived."""
    want = collections.Counter(tokens(reference))
    for line in extracted.splitlines():
        words = tokens(line)
        if not words:
            continue
        inside = sum(1 for w in words if want[w] > 0)
        if inside * 2 < len(words):
            return True
    return False


def pages(directory):
    found = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".html") and os.path.exists(os.path.join(directory, name[:-5] + ".txt")):
            found.append(os.path.join(directory, name))
    return found


def split_outputs(stdout, count):
    parts = stdout.split("\n\x1e\n")
    return (parts + [""] * count)[:count]


def run_python(script, paths, python):
    result = subprocess.run([python, "-c", script, *paths], capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-2000:])
    return result.stdout


def feedd_texts(feedd, paths):
    texts = []
    for path in paths:
        result = subprocess.run([feedd, "extract", "--text", path], capture_output=True, text=True)
        texts.append(result.stdout)
    return texts


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, capture_output=True)
    return time.perf_counter() - start


def peak_rss(command):
    """Peak resident set size of `command` in MiB, from the kernel's accounting of that one child."""
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(command, stdout=null, stderr=null)
        _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024


def generate_page(path, size):
    paragraph = (
        "<p>The council met again on Tuesday, and members argued for hours about the budget, the schools, "
        "the roads and the harbour, before the vote was put off until next week.</p>\n"
    )
    chrome = '<div class="sidebar"><ul>' + "".join(f'<li><a href="/s/{i}">Story {i}</a></li>' for i in range(40)) + "</ul></div>\n"
    with open(path, "w") as page:
        page.write("<!doctype html><html><head><meta charset=utf-8><title>Big page</title></head><body>")
        page.write('<nav class="menu">' + chrome + "</nav><article>")
        written = 0
        i = 0
        while written < size:
            block = paragraph if i % 10 else chrome
            page.write(block)
            written += len(block)
            i += 1
        page.write("</article></body></html>")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feedd", default=os.path.join(REPO, ".build/release/feedd"))
    parser.add_argument("--pages", default=os.path.join(REPO, "Tests/FeedCoreTests/Fixtures/Extract"))
    parser.add_argument("--rounds", type=int, default=5, help="runs per page for the per-process time")
    parser.add_argument("--python", default=sys.executable, help="the Python that has trafilatura/readability")
    parser.add_argument("--big-mb", type=float, default=10)
    args = parser.parse_args()
    if not os.access(args.feedd, os.X_OK):
        sys.exit(f"extract_bench: no feedd at {args.feedd}; build it with: swift build -c release --product feedd")
    paths = pages(args.pages)
    if not paths:
        sys.exit(f"extract_bench: no NAME.html with NAME.txt in {args.pages}")
    references = [open(p[:-5] + ".txt", encoding="utf-8").read() for p in paths]

    extractors = {"feedd": None}
    for name, module, script in (("trafilatura", "trafilatura", TRAFILATURA), ("readability-lxml", "readability", READABILITY)):
        check = subprocess.run([args.python, "-c", f"import {module}"], capture_output=True)
        if check.returncode == 0:
            extractors[name] = script
        else:
            print(f"({name} is not importable by {args.python}: its row is left out)")

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        big = os.path.join(scratch, "big.html")
        generate_page(big, int(args.big_mb * 1024 * 1024))
        for name, script in extractors.items():
            if script is None:
                outputs = feedd_texts(args.feedd, paths)
                per_process = lambda path: timed([args.feedd, "extract", "--text", path])
                batch = lambda: timed([args.feedd, "extract", "--text", *paths])
                rss = peak_rss([args.feedd, "extract", "--text", big])
            else:
                outputs = split_outputs(run_python(script, paths, args.python), len(paths))
                per_process = lambda path, s=script: timed([args.python, "-c", s, path])
                batch = lambda s=script: timed([args.python, "-c", s, *paths])
                rss = peak_rss([args.python, "-c", script, big])
            scores = [f1(o, r) for o, r in zip(outputs, references)]
            chrome = [os.path.basename(p)[:-5] for p, o, r in zip(paths, outputs, references) if leftover_chrome(o, r)]
            process_times = [statistics.median(per_process(p) for _ in range(args.rounds)) for p in paths]
            batch_time = statistics.median(batch() for _ in range(max(1, args.rounds // 2))) / len(paths)
            rows.append({
                "name": name,
                "f1_median": statistics.median(s[0] for s in scores),
                "f1_mean": statistics.mean(s[0] for s in scores),
                "precision": statistics.mean(s[1] for s in scores),
                "recall": statistics.mean(s[2] for s in scores),
                "chrome": chrome,
                "process": statistics.median(process_times),
                "batch": batch_time,
                "rss": rss,
                "per_page": {os.path.basename(p)[:-5]: s[0] for p, s in zip(paths, scores)},
            })

    feedd = rows[0]
    print(f"\n{len(paths)} pages from {os.path.relpath(args.pages, REPO)}; {args.rounds} rounds; big page {args.big_mb:g} MB\n")
    print(f"| extractor | F1 median | F1 mean | precision | recall | pages with chrome | s/page (process) | x feedd | s/page (batch) | peak RSS {args.big_mb:g} MB page (MiB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['name']} | {row['f1_median']:.3f} | {row['f1_mean']:.3f} | {row['precision']:.3f} | {row['recall']:.3f} "
            f"| {len(row['chrome'])} | {row['process']:.3f} | {row['process'] / feedd['process']:.1f} "
            f"| {row['batch']:.4f} | {row['rss']:.0f} |"
        )
    print("\nPer page F1:\n")
    print("| page | " + " | ".join(r["name"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for page in rows[0]["per_page"]:
        print(f"| {page} | " + " | ".join(f"{r['per_page'][page]:.3f}" for r in rows) + " |")
    for row in rows:
        if row["chrome"]:
            print(f"\n{row['name']}: leftover chrome on {', '.join(row['chrome'])}")


if __name__ == "__main__":
    main()
