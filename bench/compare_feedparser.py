#!/usr/bin/env python3
"""Compare `feedd parse` with the Python reference parser feedparser, field by field (test tooling only).

    python3 bench/compare_feedparser.py [--feedd PATH] [--examples out.txt] [--max-examples N] [FILE...]
    python3 bench/compare_feedparser.py --feedparser-tests DIR   # feedparser's own test documents

With --feedparser-tests DIR (the tests/ folder of a feedparser source tree: `pip download --no-deps --no-binary
:all: feedparser==6.0.11`, then unpack it) it reads feedparser's own test documents instead: every *.xml under DIR
except wellformed/sanitize (HTML sanitizing, which feedd does not do) and http/, and except documents whose test
comment sets HTTP headers (their expected result depends on a Content-Type that a file does not carry).

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

Mismatches are sorted into kinds, including the known conventions of feedparser that differ from the feedd
contract, so that they can be told apart from parser bugs: feedparser files dc:date under `updated` (feedd under
published), gives "Name (e-mail)" authors, does not inherit the Atom feed author into entries, adds itunes:keywords
as tags, uses an Atom id as the link when there is none, and repairs double-encoded UTF-8 in UTF-8 documents. It
also files a second summary element (itunes:summary, media:description) as `content`, which shows up under
"content present" and cannot be told apart from real content.
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

# The same document set as the parser benchmark (this folder is on sys.path when the script runs).
from parse_bench import corpus_files

try:
    import feedparser
except ImportError:
    print(__doc__.split("feedparser is a test-only dependency. ", 1)[1].split("\n\n")[0].replace(
        "If it is missing:", "feedparser is not installed (test-only dependency). Install it with:"), file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DOC_FIELDS = ["parsed", "feed title", "feed link", "item count"]
ITEM_FIELDS = ["guid", "title", "link", "author", "published", "updated", "date (published, else updated)",
               "categories", "enclosures", "summary/content present", "content present"]
BATCH = 64
TAG = re.compile(r"<[A-Za-z/!][^>]*>")
ENTITY = re.compile(r"&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});")
ITUNES_SCHEME = "http://www.itunes.com/"
# Windows-1252 characters for the bytes 0x80-0x9F, to undo "UTF-8 bytes read as Windows-1252".
CP1252_BYTES = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


# ---------------------------------------------------------------- inputs



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

def undo_double_utf8(value):
    """value with one layer of "UTF-8 read as Latin-1/Windows-1252" undone; None when that does not apply."""
    if not value or value.isascii():
        return None
    raw = bytearray()
    for ch in value:
        if ord(ch) < 0x100:
            raw.append(ord(ch))
        elif ch in CP1252_BYTES:
            raw.append(CP1252_BYTES[ch])
        else:
            return None
    try:
        repaired = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return repaired if repaired != value else None


def double_utf8_kind(ours, ref, raw_ours, raw_ref):
    """The kind for text that one side repaired from double-encoded UTF-8 (feedparser does this for UTF-8
    documents), or None."""
    if ref is not None and text(undo_double_utf8(raw_ours)) == ref:
        return "double-encoded UTF-8 in the document: feedparser repairs it, feedd keeps it"
    if ours is not None and text(undo_double_utf8(raw_ref)) == ours:
        return "double-encoded UTF-8 in the document: feedd repairs it, feedparser keeps it"
    return None


def text_kind(ours, ref, raw_ours=None, raw_ref=None):
    """Names the kind of difference between two non-equal plain-text values (raw_*: before whitespace collapsing)."""
    if ref is None:
        return "feedd has a value, feedparser none"
    if ours is None:
        return "feedd null, feedparser has a value"
    repaired = double_utf8_kind(ours, ref, raw_ours or ours, raw_ref or ref)
    if repaired:
        return repaired
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
    if ref.startswith(ours) or ref.endswith(ours):
        return "feedd value is part of feedparser's"
    if ours.startswith(ref) or ours.endswith(ref):
        return "feedparser value is part of feedd's"
    return "different text"


def author_kind(ours, ref, raw_ours, raw_ref, feed_authors):
    if ref is None and ours in feed_authors:
        return "feedd gives the entry the feed's author (RFC 4287 4.2.1), feedparser does not"
    if ours and ref and "@" in ref and ours in ref:
        return "feedparser keeps the e-mail (\"mail (Name)\"), feedd the name"
    if ours and ref and "@" in ours and ref in ours:
        return "feedd keeps the e-mail, feedparser the name"
    return text_kind(ours, ref, raw_ours, raw_ref)


def link_equal(ours, ref):
    if ours == ref:
        return True
    # A relative reference link: feedparser had no document URL to resolve it against; feedd may have.
    return bool(ours and ref and "://" not in ref and not ref.startswith(("tag:", "urn:", "mailto:"))
                and ours.endswith(ref.lstrip(".")))


def link_kind(ours, ref, ref_id=None):
    if ours is None and ref is not None and ref == ref_id:
        return "no link element: feedparser uses the id as the link, feedd gives null"
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


def date_kind(field, ours, ref, raw, ours_other, ref_other):
    """Kind of a date mismatch; *_other are the values of the other date field (updated for published...)."""
    other = "updated" if field == "published" else "published"
    if isinstance(ours, str):
        return "feedd printed a date that is not RFC 3339 UTC"
    if ref is None:
        if ours == ref_other:
            return "feedd puts in %s the date feedparser puts in %s" % (field, other)
        return ("feedd parsed a date feedparser could not" if raw else "feedd has a date, feedparser none")
    if ours is None:
        if ref == ours_other:
            return "feedd puts in %s the date feedparser puts in %s" % (other, field)
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


def set_kind(ours, ref, what, ref_thumbnails=(), ref_itunes=()):
    """Kind of a difference between two sets of strings; ref_* are feedparser's media:thumbnail URLs and
    itunes:keywords/itunes:category terms."""
    if ours - ref and ours - ref <= set(ref_thumbnails):
        return "feedd counts media:thumbnail as an enclosure"
    if ref - ours and ref - ours <= set(ref_itunes):
        return "feedparser adds itunes:keywords/itunes:category as categories"
    repaired = {text(undo_double_utf8(x)) or x for x in ours}
    if repaired == ref:
        return "double-encoded UTF-8 in the document: feedparser repairs it, feedd keeps it"
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
        """Counts one comparison; where is (document, detail such as " item 3 (feedparser entry 3)")."""
        self.compared[field] += 1
        if agree:
            self.agreed[field] += 1
            return
        kind = kind_fn()
        self.kinds[(field, kind)] += 1
        self.examples[(field, kind)].append({"doc": where[0], "where": where[0] + where[1], "feedd": ours,
                                             "feedparser": ref, "note": note})

    def docs(self, key):
        """Number of distinct documents with this (field, kind) of mismatch."""
        return len({ex["doc"] for ex in self.examples[key]})

    def spread(self, key):
        """The examples of a (field, kind), reordered so that each document's first one comes first."""
        seen = collections.Counter()
        ranked = []
        for n, ex in enumerate(self.examples[key]):
            ranked.append((seen[ex["doc"]], n, ex))
            seen[ex["doc"]] += 1
        return [ex for _, _, ex in sorted(ranked, key=lambda r: r[:2])]


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


def compare_item(tally, where, item, entry, feed):
    """Compares one feedd item with its feedparser entry; feed is feedparser's feed-level dict."""
    ours, ref = text(item.get("guid")), text(entry.get("id"))
    tally.check("guid", ours == ref, lambda: text_kind(ours, ref), where, ours, ref)
    raw_ours, raw_ref = item.get("title"), entry.get("title")
    ours, ref = text(raw_ours), text(raw_ref)
    tally.check("title", ours == ref, lambda: text_kind(ours, ref, raw_ours, raw_ref), where, ours, ref)
    ours, ref = text(item.get("url")), fp_links(entry)
    tally.check("link", link_equal(ours, ref), lambda: link_kind(ours, ref, text(entry.get("id"))), where, ours,
                ref)
    raw_ours, raw_ref = item.get("author"), entry.get("author")
    ours, ref = text(raw_ours), text(raw_ref)
    feed_authors = {text(feed.get("author")), text((feed.get("author_detail") or {}).get("name"))} - {None}
    tally.check("author", ours == ref, lambda: author_kind(ours, ref, raw_ours, raw_ref, feed_authors), where,
                ours, ref)
    dates = {f: (feedd_instant(item.get(f)), fp_instant(entry, f)) for f in ("published", "updated")}
    for field, other in (("published", "updated"), ("updated", "published")):
        (ours, ref), raw = dates[field], fp_dict_get(entry, field)
        tally.check(field, ours == ref, lambda: date_kind(field, ours, ref, raw, *dates[other]), where, iso(ours),
                    iso(ref), note="feedparser raw: %r" % raw if raw else None)
    # What a reader shows as the story's date: published, else updated.
    ours = dates["published"][0] if dates["published"][0] is not None else dates["updated"][0]
    ref = dates["published"][1] if dates["published"][1] is not None else dates["updated"][1]
    tally.check("date (published, else updated)", ours == ref, lambda: date_kind("date", ours, ref, None, None, None),
                where, iso(ours), iso(ref), note="feedparser raw: %r / %r" % (
                    fp_dict_get(entry, "published"), fp_dict_get(entry, "updated")))
    ours = {text(c) for c in item.get("categories") or [] if text(c)}
    ref = {text(t.get("term")) for t in entry.get("tags", []) if text(t.get("term"))}
    itunes = {text(t.get("term")) for t in entry.get("tags", []) if t.get("scheme") == ITUNES_SCHEME}
    tally.check("categories", ours == ref, lambda: set_kind(ours, ref, "categories", ref_itunes=itunes), where,
                sorted(ours),
                sorted(ref), note="schemes: %s" % sorted({t.get("scheme") or "" for t in entry.get("tags", [])}))
    ours = {text(e.get("url")) for e in item.get("enclosures") or [] if text(e.get("url"))}
    ref = fp_enclosures(entry)
    thumbnails = {m.get("url") for m in entry.get("media_thumbnail", [])}
    tally.check("enclosures", ours == ref, lambda: set_kind(ours, ref, "enclosure URLs", ref_thumbnails=thumbnails),
                where, sorted(ours), sorted(ref))
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
                (label, ""), error or "parsed", "parsed" if fp_ok else "not a feed",
                note="feedparser bozo: %r" % ref.get("bozo_exception") if ref.get("bozo") else None)
    if not ours_ok:
        return
    raw_ours, raw_ref = doc.get("title"), ref.feed.get("title")
    ours, theirs = text(raw_ours), text(raw_ref)
    tally.check("feed title", ours == theirs, lambda: text_kind(ours, theirs, raw_ours, raw_ref), (label, ""), ours,
                theirs)
    ours, theirs = text(doc.get("url")), text(ref.feed.get("link"))
    tally.check("feed link", link_equal(ours, theirs), lambda: link_kind(ours, theirs, text(ref.feed.get("id"))),
                (label, ""), ours, theirs)
    items = doc.get("items") or []
    tally.check("item count", len(items) == len(ref.entries),
                lambda: "feedd has fewer items" if len(items) < len(ref.entries) else "feedd has more items",
                (label, ""), len(items), len(ref.entries))
    pairs, how = pair_items(items, ref.entries)
    how_total.update(how)
    for i, j in pairs:
        compare_item(tally, (label, " item %d (feedparser entry %d)" % (i, j)), items[i], ref.entries[j], ref.feed)


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
            for n, kind in kinds:
                out.write("  %5d in %3d documents: %s\n" % (n, tally.docs((field, kind)), kind))
            chosen, round_ = [], 0
            while len(chosen) < limit:
                added = False
                for _, kind in kinds:
                    examples = tally.spread((field, kind))
                    if round_ < len(examples) and len(chosen) < limit:
                        chosen.append((kind, examples[round_]))
                        added = True
                round_ += 1
                if not added:
                    break
            for kind, ex in sorted(chosen, key=lambda c: [k for _, k in kinds].index(c[0])):
                out.write("\n[%s] %s\n  feedd:      %s\n  feedparser: %s\n" % (
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
    total, agreed = sum(tally.compared.values()), sum(tally.agreed.values())
    if total:
        print("| **all fields** | %d | %d | %.1f%% |" % (total, agreed, 100.0 * agreed / total))
    print()
    print("Most common kinds of mismatch:")
    print()
    print("| # | field | kind | count | documents | example |")
    print("|---:|---|---|---:|---:|---|")
    for rank, ((field, kind), n) in enumerate(tally.kinds.most_common(top), 1):
        ex = tally.examples[(field, kind)][0]
        cell = "%s: feedd %s / feedparser %s" % (ex["where"], short(ex["feedd"], 70), short(ex["feedparser"], 70))
        print("| %d | %s | %s | %d | %d | %s |" % (rank, field, kind, n, tally.docs((field, kind)),
                                                  cell.replace("|", "\\|")))


def feedparser_test_files(root):
    """feedparser's test documents under root (its tests/ folder) that a file alone can stand for."""
    found = []
    for folder, dirs, names in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        if rel.startswith("wellformed/sanitize") or rel.startswith("http"):
            continue
        for name in names:
            if not name.endswith(".xml"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                head = f.read(4096)
            if re.search(rb"^\s*Header:", head.replace(b"\x00", b""), re.M):
                continue
            found.append(path)
    return sorted(found)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="documents to compare (default: the corpus feed documents)")
    ap.add_argument("--feedd", default=os.path.join(REPO, ".build", "release", "feedd"),
                    help="feedd binary (default .build/release/feedd)")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(REPO), "shared", "corpus"),
                    help="corpus folder with INDEX.tsv (default ../shared/corpus)")
    ap.add_argument("--feedparser-tests", metavar="DIR",
                    help="compare on feedparser's own test documents under DIR (its source tree's tests/ folder)")
    ap.add_argument("--examples", metavar="FILE", help="write example mismatches per field to FILE")
    ap.add_argument("--max-examples", type=int, default=20, metavar="N", help="examples per field (default 20)")
    ap.add_argument("--top", type=int, default=10, metavar="K", help="kinds of mismatch to list (default 10)")
    args = ap.parse_args(argv)
    if not os.access(args.feedd, os.X_OK):
        sys.exit("feedd not found at %s (build it with `swift build -c release`, or pass --feedd)" % args.feedd)
    files = args.files
    if not files and args.feedparser_tests:
        files = feedparser_test_files(args.feedparser_tests)
        if not files:
            sys.exit("no feedparser test documents under %s" % args.feedparser_tests)
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
