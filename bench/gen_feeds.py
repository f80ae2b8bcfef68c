#!/usr/bin/env python3
"""Generate synthetic but realistic feed documents for the parser benchmark (bench/parse-bench.sh).

    python3 bench/gen_feeds.py --count N --seed S OUTDIR

Deterministic: the same count and seed give byte-identical files. The mix is about 60% RSS 2.0 shaped like
WordPress output (escaped-HTML description, CDATA content:encoded, dc:creator, categories, enclosures, RFC 822
pubDate) and 40% Atom 1.0 (html content, sometimes an xhtml summary, author, categories, link rel=enclosure),
10-50 items each, sizes log-uniform over 5-200 KB (the smallest come out near 8 KB: ten short items), with
non-ASCII text and HTML entities (&amp;amp;, &lt;p&gt;, &#8217;).
"""
import argparse
import datetime
import os
import random
import sys
from xml.sax.saxutils import escape, quoteattr

WORDS = (
    "the of and to in is that for on with as was by at from it be this are an or have has not but which "
    "city council budget school water report police state federal court election market energy climate "
    "housing transit health research study data software release update security network open source "
    "community museum festival season team players coach game league music film review interview author "
    "garden kitchen recipe travel weather storm river bridge library university students teachers"
).split()
NON_ASCII = ["café", "naïve", "Zürich", "São Paulo", "Kraków", "façade", "résumé", "Ærø", "Straße", "Dvořák",
             "東京", "日本語", "Москва", "Ελλάδα", "العربية", "—", "…", "“quoted”", "€20", "±3 °C", "🙂"]
TOPICS = ["Politics", "Local News", "Technology", "Science", "Sports", "Arts & Culture", "Opinion", "Business",
          "Health", "Travel", "Food & Drink", "Education", "Environment", "Música", "Économie"]
NAMES = ["Maria Garcia", "John Smith", "Aiko Tanaka", "Björn Ødegaard", "Priya Patel", "Chloé Martin",
         "Oluwaseun Adeyemi", "Li Wei", "Sam O'Brien", "Zoë Kowalski"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BASE_TIME = datetime.datetime(2025, 6, 16, 18, 4, 0, tzinfo=datetime.timezone.utc)


def words(rng, n):
    """n words of filler, with a non-ASCII word now and then."""
    out = []
    for _ in range(n):
        out.append(rng.choice(NON_ASCII) if rng.random() < 0.04 else rng.choice(WORDS))
    return " ".join(out)


def sentence(rng, lo=8, hi=22):
    s = words(rng, rng.randint(lo, hi))
    return s[:1].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!"])


def title(rng):
    t = words(rng, rng.randint(4, 11))
    t = t[:1].upper() + t[1:]
    if rng.random() < 0.3:
        t += " & " + rng.choice(WORDS)  # an ampersand, escaped as &amp; in the document
    if rng.random() < 0.3:
        t = t.replace(" ", " \u2019", 1) if rng.random() < 0.5 else "\u201c" + t + "\u201d"
    return t


def html_body(rng, target_bytes, site):
    """WordPress-like article HTML of roughly target_bytes bytes."""
    parts = []
    size = 0
    while size < target_bytes:
        r = rng.random()
        if r < 0.6:
            p = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
            if rng.random() < 0.5:
                w = rng.choice(WORDS)
                p = p.replace(" " + w + " ", ' <a href="%s/%s/">%s</a> ' % (site, w, w), 1)
            if rng.random() < 0.3:
                p = p.replace(".", " &amp; more&#8230;", 1)
            chunk = "<p>%s</p>\n" % p.replace("'", "&#8217;")
        elif r < 0.75:
            n = rng.randint(100, 9999)
            chunk = ('<figure class="wp-block-image"><img src="%s/wp-content/uploads/2025/06/img-%d.jpg" alt="%s" '
                     'width="1024" height="683" /><figcaption>%s</figcaption></figure>\n'
                     % (site, n, escape(words(rng, 3), {'"': "&quot;"}), sentence(rng, 4, 10)))
        elif r < 0.85:
            chunk = "<h2>%s</h2>\n" % words(rng, rng.randint(3, 7)).title()
        elif r < 0.95:
            chunk = "<ul>%s</ul>\n" % "".join("<li>%s</li>" % sentence(rng, 3, 9) for _ in range(rng.randint(2, 5)))
        else:
            chunk = "<blockquote><p>%s</p></blockquote>\n" % sentence(rng)
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "".join(parts)


def rfc822(dt, rng):
    if rng.random() < 0.8:
        return "%s, %02d %s %d %02d:%02d:%02d +0000" % (DAYS[dt.weekday()], dt.day, MONTHS[dt.month - 1], dt.year,
                                                      dt.hour, dt.minute, dt.second)
    local = dt - datetime.timedelta(hours=7)
    return "%s, %02d %s %d %02d:%02d:%02d PDT" % (DAYS[local.weekday()], local.day, MONTHS[local.month - 1],
                                                local.year, local.hour, local.minute, local.second)


def rfc3339(dt, rng):
    if rng.random() < 0.7:
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    local = dt + datetime.timedelta(hours=2)
    return local.strftime("%Y-%m-%dT%H:%M:%S+02:00")


def slug(text):
    s = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower())
    return "-".join(p for p in s.split("-") if p)[:60] or "post"


def rss_document(rng, index, items, item_bytes):
    site = "https://news%d.example.com" % index
    name = "%s Daily" % rng.choice(["LA", "Bay Area", "Zürich", "Tokyo", "Lagos", "Kraków", "Austin"])
    now = BASE_TIME - datetime.timedelta(hours=index)
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
           '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
           '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
           '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
           '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
           '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
           '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n\t>\n\n<channel>\n',
           "\t<title>%s</title>\n" % escape(name),
           '\t<atom:link href="%s/feed/" rel="self" type="application/rss+xml" />\n' % site,
           "\t<link>%s</link>\n" % site,
           "\t<description>%s</description>\n" % escape(sentence(rng)),
           "\t<lastBuildDate>%s</lastBuildDate>\n" % rfc822(now, rng),
           "\t<language>en-US</language>\n\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
           "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
           "\t<generator>https://wordpress.org/?v=6.5.4</generator>\n"]
    for i in range(items):
        t = title(rng)
        when = now - datetime.timedelta(minutes=37 * i + rng.randint(0, 30))
        link = "%s/%d/%02d/%s/" % (site, when.year, when.month, slug(t))
        body = html_body(rng, item_bytes, site) if item_bytes > 0 else ""
        first = body.split("</p>", 1)[0] + "</p>" if "</p>" in body else "<p>%s</p>" % sentence(rng)
        desc = first + '\n<p>The post <a href="%s">%s</a> appeared first on <a href="%s">%s</a>.</p>\n' % (
            link, escape(t), site, escape(name))
        out.append("\t\t<item>\n\t\t<title>%s</title>\n" % escape(t))
        out.append("\t\t<link>%s</link>\n" % link)
        if body:
            out.append("\t\t\t\t\t<comments>%s#respond</comments>\n" % link)
        out.append("\t\t<dc:creator><![CDATA[%s]]></dc:creator>\n" % rng.choice(NAMES))
        out.append("\t\t<pubDate>%s</pubDate>\n" % rfc822(when, rng))
        for c in rng.sample(TOPICS, rng.randint(1, 4)):
            out.append("\t\t<category><![CDATA[%s]]></category>\n" % c)
        out.append('\t\t<guid isPermaLink="false">%s/?p=%d</guid>\n' % (site, 100000 + index * 100 + i))
        # Escaped once as the RSS description, so &amp; inside the HTML becomes &amp;amp; in the document.
        out.append("\n\t\t\t\t\t<description>%s</description>\n" % escape(desc))
        if body:
            out.append("\t\t\t\t\t\t\t\t\t\t<content:encoded><![CDATA[%s]]></content:encoded>\n" % body)
        if rng.random() < 0.3:
            out.append('\t\t<enclosure url="%s/wp-content/uploads/2025/06/episode-%d.mp3" length="%d" '
                       'type="audio/mpeg" />\n' % (site, i, rng.randint(10**6, 9 * 10**7)))
        if body:
            out.append("\t\t\t<wfw:commentRss>%sfeed/</wfw:commentRss>\n\t\t\t<slash:comments>%d</slash:comments>\n"
                       % (link, rng.randint(0, 40)))
        out.append("\t\t</item>\n")
    out.append("\t</channel>\n</rss>\n")
    return "".join(out)


def atom_document(rng, index, items, item_bytes):
    site = "https://blog%d.example.org" % index
    name = "%s’s notes" % rng.choice(NAMES)
    now = BASE_TIME - datetime.timedelta(hours=index)
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n',
           "  <title type=\"text\">%s</title>\n" % escape(name),
           "  <subtitle>%s</subtitle>\n" % escape(sentence(rng)),
           '  <link href="%s/" rel="alternate" type="text/html"/>\n' % site,
           '  <link href="%s/feed.atom" rel="self" type="application/atom+xml"/>\n' % site,
           "  <id>%s/</id>\n  <updated>%s</updated>\n" % (site, rfc3339(now, rng)),
           '  <generator uri="https://gohugo.io/" version="0.126">Hugo</generator>\n']
    for i in range(items):
        t = title(rng)
        published = now - datetime.timedelta(hours=5 * i + rng.randint(0, 4))
        updated = published + datetime.timedelta(minutes=rng.randint(0, 600))
        link = "%s/posts/%s/" % (site, slug(t))
        body = html_body(rng, item_bytes, site) if item_bytes > 0 else ""
        out.append("  <entry>\n    <title type=\"html\">%s</title>\n" % escape(escape(t)))
        out.append('    <link href="%s" rel="alternate" type="text/html" title=%s/>\n' % (link, quoteattr(t)))
        out.append("    <id>tag:blog%d.example.org,2025:/posts/%d</id>\n" % (index, i))
        out.append("    <published>%s</published>\n    <updated>%s</updated>\n"
                   % (rfc3339(published, rng), rfc3339(updated, rng)))
        out.append("    <author><name>%s</name>%s</author>\n" % (escape(rng.choice(NAMES)),
                   "<uri>%s/about/</uri>" % site if rng.random() < 0.5 else ""))
        for c in rng.sample(TOPICS, rng.randint(0, 3)):
            out.append("    <category term=%s label=%s/>\n" % (quoteattr(slug(c)), quoteattr(c)))
        if rng.random() < 0.25:
            out.append('    <link rel="enclosure" type="image/jpeg" length="%d" href="%s/images/%d.jpg"/>\n'
                       % (rng.randint(20000, 900000), site, i))
        xhtml_summary = rng.random() < 0.35
        if xhtml_summary:
            out.append('    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>%s <em>%s</em>'
                       '</p></div></summary>\n' % (escape(sentence(rng)), escape(words(rng, 3))))
        if body:
            out.append('    <content type="html" xml:base="%s">%s</content>\n' % (link, escape(body)))
        elif not xhtml_summary:
            out.append("    <summary>%s</summary>\n" % escape(sentence(rng)))
        out.append("  </entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def render(seed, index, item_bytes):
    """One document; the layout and text depend only on (seed, index), the article length on item_bytes."""
    rng = random.Random("%d/%d" % (seed, index))
    target = int(5000 * (40 ** rng.random()))  # log-uniform 5-200 KB: many small feeds, some large ones
    items = rng.randint(10, max(10, min(50, target // 450)))
    if item_bytes is None:
        return target, items
    if index % 5 < 3:
        return rss_document(rng, index, items, item_bytes), "rss.xml"
    return atom_document(rng, index, items, item_bytes), "atom.xml"


def fitted(seed, index):
    """Renders a document twice at trial article lengths, then once at the length that lands on its target size."""
    target, items = render(seed, index, None)
    lean = len(render(seed, index, 0)[0].encode("utf-8"))
    trial = len(render(seed, index, 2000)[0].encode("utf-8"))
    per_unit = max(1.0, (trial - lean) / 2000.0)
    item_bytes = int((target - lean) / per_unit)
    return render(seed, index, item_bytes if item_bytes >= 100 else 0)


def generate(count, seed, outdir):
    """Writes count documents into outdir; returns their paths."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for index in range(count):
        text, ext = fitted(seed, index)
        path = os.path.join(outdir, "feed-%04d.%s" % (index, ext))
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        paths.append(path)
    return paths


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=300, help="number of documents (default 300)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("outdir", help="folder to write feed-NNNN.rss.xml / feed-NNNN.atom.xml into")
    args = ap.parse_args(argv)
    paths = generate(args.count, args.seed, args.outdir)
    total = sum(os.path.getsize(p) for p in paths)
    print("%d documents, %d bytes in %s" % (len(paths), total, args.outdir), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
