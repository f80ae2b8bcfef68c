#!/usr/bin/env python3
"""Compare `feedd parse` with the Python reference parser feedparser, field by field (test tooling only).

    python3 bench/compare_feedparser.py [--feedd PATH] [--examples out.txt] [--max-examples N] [FILE...]

Without FILEs it reads the XML feed documents of ../shared/corpus (INDEX.tsv kinds rss2, rss1, atom). For each
document it compares the feed title, feed link and item count; items are paired by guid/id, then by link, then by
position, and compared on guid, title, link, author, published, updated (as UTC instants), categories (sets of
terms), enclosure URLs (sets) and whether a summary/content is present. It prints the agreement per field and the
most common kinds of mismatch with an example each; --examples writes up to N examples per field to a file.

feedparser is a test-only dependency. If it is missing:
    python3 -m venv /tmp/fpvenv && /tmp/fpvenv/bin/pip install feedparser
    /tmp/fpvenv/bin/python bench/compare_feedparser.py ...
(or `python3 -m pip install --user feedparser`).

Reference semantics used (feedparser 6): `title` is plain text; `link` is the alternate link; `id` is the guid;
`published_parsed`/`updated_parsed` are UTC (read without feedparser's updated-to-published fallback); categories
are the `term`s of `tags`; the reference enclosures are `enclosures` plus `media_content` URLs, because the feedd
contract counts Media RSS content as an enclosure. A feedparser link without a scheme (the document had no base
URL) agrees with a feedd URL that ends with it.
"""
import argparse
import calendar
import collections
import datetime
import json
import os
import re
import subprocess
import sys
import unicodedata

try:
    import feedparser
except ImportError:
    print(__doc__.split("feedparser is a test-only dependency. ", 1)[1].split("\n\n")[0].replace(
        "If it is missing:", "feedparser is not installed (test-only dependency). Install it with:"), file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FEED_KINDS = ("rss2", "rss1", "atom")
DOC_FIELDS = ["parsed", "feed title", "feed link", "item count"]
ITEM_FIELDS = ["guid", "title", "link", "author", "published", "updated", "categories", "enclosures",
               "summary/content present", "content present"]
BATCH = 64
TAG = re.compile(r"<[A-Za-z/!][^>]*>")
ENTITY = re.compile(r"&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});")
# UTF-8 read as Latin-1/Windows-1252: a lead byte (Â, Ã, â) followed by what a continuation byte turns into.
MOJIBAKE = re.compile("\ufffd|[ÂÃ][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                      "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€")


# ---------------------------------------------------------------- inputs

def corpus_files(corpus):
    """XML feed documents listed in the corpus INDEX.tsv (kinds rss2, rss1, atom)."""
    paths = []
    with open(os.path.join(corpus, "INDEX.tsv"), encoding="utf-8") as index:
        header = index.readline().rstrip("\n").split("\t")
        file_col, kind_col = header.index("file"), header.index("kind")
        for line in index:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > kind_col and cols[kind_col] in FEED_KINDS:
                paths.append(os.path.join(corpus, cols[file_col]))
    return paths


def run_feedd(feedd, files):
    """feedd's output object for each file (None when feedd printed nothing usable for it).

    Files go in batches; a batch whose process dies from a signal is rerun file by file, so that one crashing
    document is reported as {"error": "crashed..."} instead of hiding its neighbours.
    """
    results = {}
    for start in range(0, len(files), BATCH):
        batch = files[start:start + BATCH]
        proc = subprocess.run([feedd, "parse", *batch], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if proc.returncode < 0 and len(batch) > 1:
            for path in batch:
                results.update(run_feedd(feedd, [path]))
            continue
        docs = []
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            if line.strip():
                try:
                    docs.append(json.loads(line))
                except ValueError:
                    docs.append({"source": None, "error": "unreadable output line: " + line[:80]})
        by_source = {d.get("source"): d for d in docs}
        for i, path in enumerate(batch):
            doc = by_source.get(path)
            if doc is None and len(docs) == len(batch):
                doc = docs[i]  # same order, differently spelled source
            if doc is None and proc.returncode < 0:
                doc = {"source": path, "error": "feedd crashed (signal %d)" % -proc.returncode}
            results[path] = doc
    return results


# ---------------------------------------------------------------- normalization

def text(value):
    """Whitespace-collapsed text; None for absent or empty."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def fp_dict_get(d, key):
    """A FeedParserDict value without feedparser's key aliases and fallbacks (e.g. updated -> published)."""
    return dict.get(d, key)


def fp_instant(d, key):
    parsed = fp_dict_get(d, key + "_parsed")
    return calendar.timegm(parsed) if parsed else None


def feedd_instant(value):
    if not value:
        return None
    try:
        dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "unparseable: %s" % value
    if dt.tzinfo is None:
        return "no zone: %s" % value
    return int(dt.timestamp())


def iso(instant):
    if isinstance(instant, int):
        return datetime.datetime.fromtimestamp(instant, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return instant


def has_text(*values):
    return any(v is not None and str(v).strip() for v in values)


# ---------------------------------------------------------------- mismatch kinds

def text_kind(ours, ref):
    """Names the kind of difference between two non-equal plain-text values."""
    if ref is None:
        return "feedd has a value, feedparser none"
    if ours is None:
        return "feedd null, feedparser has a value"
    if "".join(ours.split()) == "".join(ref.split()):
        return "whitespace only"
    if ours.lower() == ref.lower():
        return "letter case only"
    if unicodedata.normalize("NFC", ours) == unicodedata.normalize("NFC", ref):
        return "Unicode normalization only"
    if TAG.search(ours) and not TAG.search(ref):
        return "feedd keeps markup"
    if TAG.search(ref) and not TAG.search(ours):
        return "feedparser keeps markup"
    if ENTITY.search(ours) and not ENTITY.search(ref):
        return "feedd keeps an entity reference"
    if ENTITY.search(ref) and not ENTITY.search(ours):
        return "feedparser keeps an entity reference"
    if MOJIBAKE.search(ours) and not MOJIBAKE.search(ref):
        return "feedd text mis-decoded (encoding)"
    if MOJIBAKE.search(ref) and not MOJIBAKE.search(ours):
        return "feedparser text mis-decoded (encoding)"
    if ref.startswith(ours) or ref.endswith(ours):
        return "feedd value is part of feedparser's"
    if ours.startswith(ref) or ours.endswith(ref):
        return "feedparser value is part of feedd's"
    return "different text"


def author_kind(ours, ref):
    if ours and ref and "@" in ref and ours in ref:
        return "feedparser keeps the e-mail (\"mail (Name)\"), feedd the name"
    if ours and ref and "@" in ours and ref in ours:
        return "feedd keeps the e-mail, feedparser the name"
    return text_kind(ours, ref)


def link_equal(ours, ref):
    if ours == ref:
        return True
    # A relative reference link: feedparser had no document URL to resolve it against; feedd may have.
    return bool(ours and ref and "://" not in ref and not ref.startswith(("tag:", "urn:", "mailto:"))
                and ours.endswith(ref.lstrip(".")))


def link_kind(ours, ref):
    if ref is None:
        return "feedd has a link, feedparser none"
    if ours is None:
        return "feedd null, feedparser has a link"
    if ours.strip() == ref.strip():
        return "surrounding whitespace"
    if "&amp;" in ours and ours.replace("&amp;", "&") == ref:
        return "feedd keeps &amp; in the URL"
    if ours.split("://", 1)[-1] == ref.split("://", 1)[-1]:
        return "scheme differs (http/https)"
    if ours.rstrip("/") == ref.rstrip("/"):
        return "trailing slash"
    if ours.split("#")[0] == ref.split("#")[0] or ours.split("?")[0] == ref.split("?")[0]:
        return "query or fragment differs"
    if "://" not in ours:
        return "feedd link is not absolute"
    if "://" not in ref:
        return "feedparser link is relative, feedd resolved it differently"
    if ours.split("/")[2:3] != ref.split("/")[2:3]:
        return "different host (another link of the item?)"
    return "different path on the same host"


def date_kind(ours, ref, raw):
    if isinstance(ours, str):
        return "feedd printed a date that is not RFC 3339 UTC"
    if ref is None:
        return ("feedd parsed a date feedparser could not" if raw else "feedd has a date, feedparser none")
    if ours is None:
        return "feedd null, feedparser parsed a date"
    delta = ours - ref
    if delta % 3600 == 0 and abs(delta) <= 14 * 3600:
        return "time zone: off by %+d h" % (delta // 3600)
    if delta % 1800 == 0 and abs(delta) <= 14 * 3600:
        return "time zone: off by a half-hour multiple"
    years = round(delta / (365.2425 * 86400))
    if years and abs(delta - years * 365.2425 * 86400) < 2 * 86400:
        return "year off by %+d (two-digit year?)" % years
    if abs(delta) < 86400:
        return "same day, different time"
    return "different day"


def set_kind(ours, ref, what):
    if not ref:
        return "feedd has %s, feedparser none" % what
    if not ours:
        return "feedd has no %s, feedparser has" % what
    if {x.lower().strip() for x in ours} == {x.lower().strip() for x in ref}:
        return "letter case or whitespace only"
    if ours < ref:
        return "feedd misses some %s" % what
    if ours > ref:
        return "feedd has extra %s" % what
    return "different %s" % what


# ---------------------------------------------------------------- comparison

class Tally:
    """Agreement counts, mismatch kinds and examples per field."""

    def __init__(self):
        self.compared = collections.Counter()
        self.agreed = collections.Counter()
        self.kinds = collections.Counter()
        self.examples = collections.defaultdict(list)  # (field, kind) -> [example]

    def check(self, field, agree, kind_fn, where, ours, ref, note=None):
        self.compared[field] += 1
        if agree:
            self.agreed[field] += 1
            return
        kind = kind_fn()
        self.kinds[(field, kind)] += 1
        self.examples[(field, kind)].append({"where": where, "feedd": ours, "feedparser": ref, "note": note})


def fp_links(entry):
    return text(entry.get("link"))


def fp_enclosures(entry):
    urls = {e.get("href") for e in entry.get("enclosures", []) if e.get("href")}
    urls |= {m.get("url") for m in entry.get("media_content", []) if m.get("url")}
    return {u.strip() for u in urls}


def pair_items(ours, ref):
    """Pairs feedd items with feedparser entries: by guid/id, then link, then position. Returns (pairs, how)."""
    by_id = collections.defaultdict(list)
    by_link = collections.defaultdict(list)
    for j, e in enumerate(ref):
        if text(e.get("id")):
            by_id[text(e.get("id"))].append(j)
        if fp_links(e):
            by_link[fp_links(e)].append(j)
    used = set()
    pairs, how = [], collections.Counter()

    def take(candidates):
        for j in candidates:
            if j not in used:
                used.add(j)
                return j
        return None

    pending = []
    for i, item in enumerate(ours):
        j = take(by_id.get(text(item.get("guid")), [])) if text(item.get("guid")) else None
        if j is not None:
            pairs.append((i, j))
            how["by id"] += 1
            continue
        j = take(by_link.get(text(item.get("url")), [])) if text(item.get("url")) else None
        if j is not None:
            pairs.append((i, j))
            how["by link"] += 1
            continue
        pending.append(i)
    for i in pending:
        j = i if i < len(ref) and i not in used else None
        if j is not None:
            used.add(j)
            pairs.append((i, j))
            how["by position"] += 1
        else:
            how["feedd item unmatched"] += 1
    how["feedparser entry unmatched"] += len(ref) - len(used)
    return sorted(pairs), how


def compare_item(tally, where, item, entry):
    ours, ref = text(item.get("guid")), text(entry.get("id"))
    tally.check("guid", ours == ref, lambda: text_kind(ours, ref), where, ours, ref)
    ours, ref = text(item.get("title")), text(entry.get("title"))
    tally.check("title", ours == ref, lambda: text_kind(ours, ref), where, ours, ref)
    ours, ref = text(item.get("url")), fp_links(entry)
    tally.check("link", link_equal(ours, ref), lambda: link_kind(ours, ref), where, ours, ref)
    ours, ref = text(item.get("author")), text(entry.get("author"))
    tally.check("author", ours == ref, lambda: author_kind(ours, ref), where, ours, ref)
    for field in ("published", "updated"):
        ours, ref = feedd_instant(item.get(field)), fp_instant(entry, field)
        raw = fp_dict_get(entry, field)
        tally.check(field, ours == ref, lambda: date_kind(ours, ref, raw), where, iso(ours), iso(ref),
                    note="feedparser raw: %r" % raw if raw else None)
    ours = {text(c) for c in item.get("categories") or [] if text(c)}
    ref = {text(t.get("term")) for t in entry.get("tags", []) if text(t.get("term"))}
    tally.check("categories", ours == ref, lambda: set_kind(ours, ref, "categories"), where, sorted(ours),
                sorted(ref), note="schemes: %s" % sorted({t.get("scheme") or "" for t in entry.get("tags", [])}))
    ours = {text(e.get("url")) for e in item.get("enclosures") or [] if text(e.get("url"))}
    ref = fp_enclosures(entry)
    tally.check("enclosures", ours == ref, lambda: set_kind(ours, ref, "enclosure URLs"), where, sorted(ours),
                sorted(ref))
    content = [c.get("value") for c in entry.get("content", [])]
    ours, ref = has_text(item.get("summary"), item.get("content")), has_text(entry.get("summary"), *content)
    tally.check("summary/content present", ours == ref,
                lambda: "feedd has none, feedparser has" if ref else "feedd has, feedparser none", where, ours, ref)
    ours, ref = has_text(item.get("content")), has_text(*content)
    tally.check("content present", ours == ref,
                lambda: "feedd has none, feedparser has" if ref else "feedd has, feedparser none", where, ours, ref)


def compare_document(tally, how_total, path, label, doc, ref):
    fp_ok = bool(ref.get("version")) or bool(ref.entries)
    ours_ok = doc is not None and "error" not in doc
    error = (doc or {}).get("error", "no output line") if not ours_ok else None
    tally.check("parsed", ours_ok == fp_ok,
                lambda: ("feedd error: %s" % error) if fp_ok else "feedd parsed a document feedparser rejects",
                label, error or "parsed", "parsed" if fp_ok else "not a feed",
                note="feedparser bozo: %r" % ref.get("bozo_exception") if ref.get("bozo") else None)
    if not ours_ok:
        return
    ours, theirs = text(doc.get("title")), text(ref.feed.get("title"))
    tally.check("feed title", ours == theirs, lambda: text_kind(ours, theirs), label, ours, theirs)
    ours, theirs = text(doc.get("url")), text(ref.feed.get("link"))
    tally.check("feed link", link_equal(ours, theirs), lambda: link_kind(ours, theirs), label, ours, theirs)
    items = doc.get("items") or []
    tally.check("item count", len(items) == len(ref.entries),
                lambda: "feedd has fewer items" if len(items) < len(ref.entries) else "feedd has more items",
                label, len(items), len(ref.entries))
    pairs, how = pair_items(items, ref.entries)
    how_total.update(how)
    for i, j in pairs:
        compare_item(tally, "%s item %d (feedparser entry %d)" % (label, i, j), items[i], ref.entries[j])


# ---------------------------------------------------------------- report

def short(value, limit=110):
    s = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return s if len(s) <= limit else s[:limit - 1] + "…"


def write_examples(tally, path, limit):
    """Up to `limit` examples per field, taken round-robin over its kinds so every kind is shown."""
    with open(path, "w", encoding="utf-8") as out:
        for field in DOC_FIELDS + ITEM_FIELDS:
            kinds = sorted(((n, k) for (f, k), n in tally.kinds.items() if f == field), reverse=True)
            if not kinds:
                continue
            out.write("== %s: %d mismatches of %d ==\n" % (field, tally.compared[field] - tally.agreed[field],
                                                          tally.compared[field]))
            chosen, round_ = [], 0
            while len(chosen) < limit:
                added = False
                for _, kind in kinds:
                    examples = tally.examples[(field, kind)]
                    if round_ < len(examples) and len(chosen) < limit:
                        chosen.append((kind, examples[round_]))
                        added = True
                round_ += 1
                if not added:
                    break
            for kind, ex in sorted(chosen, key=lambda c: [k for _, k in kinds].index(c[0])):
                out.write("[%s] %s\n  feedd:      %s\n  feedparser: %s\n" % (
                    kind, ex["where"], short(ex["feedd"], 400), short(ex["feedparser"], 400)))
                if ex["note"]:
                    out.write("  %s\n" % ex["note"])
            out.write("\n")


def print_report(tally, how, docs, top):
    print("Compared %d documents with feedparser %s. Items paired: %s." % (
        docs, feedparser.__version__, ", ".join("%s %d" % (k, n) for k, n in how.most_common())))
    print()
    print("| field | compared | agree | agreement |")
    print("|---|---:|---:|---:|")
    for field in DOC_FIELDS + ITEM_FIELDS:
        n = tally.compared[field]
        if n:
            print("| %s | %d | %d | %.1f%% |" % (field, n, tally.agreed[field], 100.0 * tally.agreed[field] / n))
    print()
    print("Most common kinds of mismatch:")
    print()
    print("| # | field | kind | count | example |")
    print("|---:|---|---|---:|---|")
    for rank, ((field, kind), n) in enumerate(tally.kinds.most_common(top), 1):
        ex = tally.examples[(field, kind)][0]
        cell = "%s: feedd %s / feedparser %s" % (ex["where"], short(ex["feedd"], 70), short(ex["feedparser"], 70))
        print("| %d | %s | %s | %d | %s |" % (rank, field, kind, n, cell.replace("|", "\\|")))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="documents to compare (default: the corpus feed documents)")
    ap.add_argument("--feedd", default=os.path.join(REPO, ".build", "release", "feedd"),
                    help="feedd binary (default .build/release/feedd)")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(REPO), "shared", "corpus"),
                    help="corpus folder with INDEX.tsv (default ../shared/corpus)")
    ap.add_argument("--examples", metavar="FILE", help="write example mismatches per field to FILE")
    ap.add_argument("--max-examples", type=int, default=20, metavar="N", help="examples per field (default 20)")
    ap.add_argument("--top", type=int, default=10, metavar="K", help="kinds of mismatch to list (default 10)")
    args = ap.parse_args(argv)
    if not os.access(args.feedd, os.X_OK):
        sys.exit("feedd not found at %s (build it with `swift build -c release`, or pass --feedd)" % args.feedd)
    files = args.files
    if not files:
        if not os.path.isfile(os.path.join(args.corpus, "INDEX.tsv")):
            sys.exit("no FILEs given and no corpus at %s" % args.corpus)
        files = corpus_files(args.corpus)
    base = os.path.commonpath([os.path.abspath(f) for f in files]) if len(files) > 1 else ""

    print("running feedd parse on %d documents" % len(files), file=sys.stderr)
    outputs = run_feedd(args.feedd, files)
    print("running feedparser", file=sys.stderr)
    tally, how = Tally(), collections.Counter()
    for path in files:
        label = os.path.relpath(os.path.abspath(path), base) if base else path
        compare_document(tally, how, path, label, outputs.get(path), feedparser.parse(path))
    print_report(tally, how, len(files), args.top)
    if args.examples:
        write_examples(tally, args.examples, args.max_examples)
        print("\nexamples written to %s" % args.examples, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
