#!/usr/bin/env python3
"""Builds the envelope fixtures and the bad-input fixtures under Fixtures/.

No real captures of arXiv RSS, bioRxiv/medRxiv API or Nature RSS responses are
at hand, so this wraps the REAL papers of Fixtures/seed-papers.jsonl in each
source's documented envelope. Nothing is invented: a field the seed does not
carry (DOI, authors, URL, licence, version of a bioRxiv record) is left out or
left empty, as Fixtures/README.md says. The bad-input fixtures are cut or
damaged copies of real files.

Formats followed:
  arXiv RSS 2.0      info.arxiv.org/help/rss_specifications.html
  arXiv OAI-PMH      openarchives.org/OAI/openarchivesprotocol.html, metadataPrefix arXiv
                     (arxiv.org/OAI/arXiv.xsd), as oaipmh.arxiv.org/oai answers ListRecords
  bioRxiv/medRxiv    api.biorxiv.org/details/[server]/[interval]/[cursor]/json
  Nature RSS 1.0     RDF with rss:, dc:, prism:, content: (www.nature.com/<journal>.rss)

Run from the package root: python3 scripts/make-envelope-fixtures.py
The output is deterministic; rerunning it rewrites the same bytes.
"""

import datetime
import email.utils
import json
import os
import re
from xml.sax.saxutils import escape

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FIX = os.path.join(ROOT, "Fixtures")

# "arXiv:2606.13857v1 Announce Type: new Abstract: " at the start of a seed abstract.
PREFIX = re.compile(r"^\s*arXiv:(\S+?)(v\d+)?\s+Announce\s+Type:\s*([A-Za-z-]+)\s+Abstract:\s*")


def read_seeds():
    with open(os.path.join(FIX, "seed-papers.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write(path, data):
    full = os.path.join(FIX, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(full, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"})) as f:
        f.write(data)
    print("wrote", os.path.relpath(full, ROOT), os.path.getsize(full), "bytes")


def rfc822(day):
    """The seed's day as an RSS pubDate at local midnight in New York, as arXiv writes it."""
    d = datetime.datetime.strptime(day, "%Y-%m-%d")
    # arXiv announces in US Eastern time: EDT (-0400) from March to November.
    tz = datetime.timezone(datetime.timedelta(hours=-4 if 3 <= d.month <= 10 else -5))
    return email.utils.format_datetime(d.replace(tzinfo=tz))


def arxiv_category(label):
    """The digest shows arXiv categories upper-cased ("CS.LG"); arXiv writes archive.SUBJECT ("cs.LG")."""
    m = re.fullmatch(r"([A-Z-]+)\.([A-Z]{2})", label)
    return f"{m.group(1).lower()}.{m.group(2)}" if m else label


# --- arXiv RSS 2.0 ------------------------------------------------------------------------------


def arxiv_rss(seeds):
    papers = [s for s in seeds if s["source"] == "arXiv" and s.get("arxiv_id")]
    categories = sorted({arxiv_category(s["category"]) for s in papers}, key=str.lower)
    feed = "+".join(categories)
    items = []
    for s in papers:
        m = PREFIX.match(s["abstract"])
        assert m, s["title"]
        assert m.group(1) == s["arxiv_id"] and m.group(2) == s["version"], s["title"]
        announce = m.group(3)
        abstract = s["abstract"][m.end():]
        versioned = s["arxiv_id"] + s["version"]
        # The spec's description: id and announce type on one line, then "Abstract: ..." on the next.
        description = f"arXiv:{versioned} Announce Type: {announce} \nAbstract: {abstract}"
        items.append(
            "    <item>\n"
            f"      <title>{escape(s['title'])}</title>\n"
            f"      <link>https://arxiv.org/abs/{s['arxiv_id']}</link>\n"
            f"      <description>{escape(description)}</description>\n"
            f'      <guid isPermaLink="false">oai:arXiv.org:{versioned}</guid>\n'
            f"      <category>{escape(arxiv_category(s['category']))}</category>\n"
            f"      <pubDate>{rfc822(s['date'])}</pubDate>\n"
            f"      <arxiv:announce_type>{announce}</arxiv:announce_type>\n"
            # dc:rights and dc:creator are left out: the seeds carry no licence and no authors.
            "    </item>\n"
        )
    last = max(s["date"] for s in papers)
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'version="2.0">\n'
        "  <channel>\n"
        f"    <title>{', '.join(categories)} updates on arXiv.org</title>\n"
        f"    <link>http://rss.arxiv.org/rss/{feed}</link>\n"
        f"    <description>{', '.join(categories)} updates on the arXiv.org e-print archive.</description>\n"
        f'    <atom:link href="http://rss.arxiv.org/rss/{feed}" rel="self" type="application/rss+xml"/>\n'
        "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
        "    <language>en-us</language>\n"
        f"    <lastBuildDate>{rfc822(last)}</lastBuildDate>\n"
        "    <managingEditor>rss-help@arxiv.org</managingEditor>\n"
        f"    <pubDate>{rfc822(last)}</pubDate>\n"
        "    <skipDays>\n      <day>Saturday</day>\n      <day>Sunday</day>\n    </skipDays>\n"
    )
    return f"arxiv-rss/{feed}.xml", head + "".join(items) + "  </channel>\n</rss>\n"


# --- arXiv OAI-PMH ListRecords ------------------------------------------------------------------

OAI_PAGE = 8


def oai_set(category):
    """arXiv's OAI sets: an archive ("cs", "math") or physics:<archive> for the physics archives."""
    archive = category.split(".")[0]
    return archive if archive in ("cs", "math", "q-bio", "q-fin", "stat", "econ", "eess") else f"physics:{archive}"


def arxiv_oai(seeds):
    """The 20 seed papers with an arXiv id as a ListRecords harvest in pages of 8, linked by resumption tokens."""
    papers = [s for s in seeds if s["source"] == "arXiv" and s.get("arxiv_id")]
    first, last = min(s["date"] for s in papers), max(s["date"] for s in papers)
    pages = []
    for number, start in enumerate(range(0, len(papers), OAI_PAGE)):
        chunk = papers[start:start + OAI_PAGE]
        records = []
        for s in chunk:
            m = PREFIX.match(s["abstract"])
            abstract = s["abstract"][m.end():] if m else s["abstract"]
            category = arxiv_category(s["category"])
            records.append(
                "<record>\n<header>\n"
                f" <identifier>oai:arXiv.org:{s['arxiv_id']}</identifier>\n"
                f" <datestamp>{s['date']}</datestamp>\n"
                f" <setSpec>{oai_set(category)}</setSpec>\n"
                "</header>\n<metadata>\n"
                ' <arXiv xmlns="http://arxiv.org/OAI/arXiv/">\n'
                # <authors>, <updated>, <license> are left out: the seeds carry none of them.
                f" <id>{s['arxiv_id']}</id><created>{s['date']}</created>"
                f"<title>{escape(s['title'])}</title><categories>{escape(category)}</categories>"
                f"<abstract>{escape(abstract)}</abstract></arXiv>\n"
                "</metadata>\n</record>\n"
            )
        if number == 0:
            request = f'<request verb="ListRecords" from="{first}" until="{last}" metadataPrefix="arXiv">https://oaipmh.arxiv.org/oai</request>'
        else:
            request = f'<request verb="ListRecords" resumptionToken="{pages[-1][1]}">https://oaipmh.arxiv.org/oai</request>'
        end = start + len(chunk)
        token = f"seeds|{end}" if end < len(papers) else ""
        resumption = (
            f'<resumptionToken cursor="{start}" completeListSize="{len(papers)}">{token}</resumptionToken>\n'
            if token or start > 0 else ""
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
            f"<responseDate>{last}T20:00:00Z</responseDate>\n"
            f"{request}\n<ListRecords>\n" + "".join(records) + resumption + "</ListRecords>\n</OAI-PMH>\n"
        )
        pages.append((f"arxiv-oai/seeds-page{number}.xml", token, body))
    return [(path, body) for path, _, body in pages]


# --- bioRxiv / medRxiv details -------------------------------------------------------------------


def rxiv_details(seeds, source, server):
    papers = [s for s in seeds if s["source"] == source]
    days = sorted(s["date"] for s in papers)
    collection = [
        {
            # Key order as the API sends it. Unknown fields stay empty: no DOI, authors, licence,
            # version or type is known for these seeds, and jatsxml is built from the DOI.
            "title": s["title"],
            "authors": "",
            "author_corresponding": "",
            "author_corresponding_institution": "",
            "doi": "",
            "date": s["date"],
            "version": "",
            "type": "",
            "license": "",
            "category": s["category"],
            "jatsxml": "",
            "abstract": s["abstract"],
            "funder": "",
            "published": "",
            "server": server,
        }
        for s in papers
    ]
    body = {
        "messages": [
            {
                "status": "ok",
                "category": "all",
                "interval": f"{days[0]}:{days[-1]}",
                "cursor": 0,
                "count": len(collection),
                "count_new_papers": str(len(collection)),
                "total": str(len(collection)),
            }
        ],
        "collection": collection,
    }
    # The API answers with one line of JSON; indent=None, separators as json.dumps' default.
    return json.dumps(body, ensure_ascii=False) + "\n"


# --- Nature RSS 1.0 ----------------------------------------------------------------------------


def nature_rdf(seeds):
    papers = [s for s in seeds if s["source"] == "Nature"]
    items = []
    for s in papers:
        day = datetime.datetime.strptime(s["date"], "%Y-%m-%d")
        online = f"{day.day:02d} {day.strftime('%B %Y')}"
        # Nature opens content:encoded with a citation paragraph, then the standfirst. The
        # "<a href=...>doi:...</a>" part of that paragraph is left out: the seed has no DOI.
        content = f"<p>Nature, Published online: {online}</p>{escape(s['abstract'])}"
        items.append(
            # rdf:about, <link>, dc:identifier, prism:doi and prism:url are left out: no URL or DOI is known.
            "<item>\n"
            f"<title><![CDATA[{s['title']}]]></title>\n"
            f"<content:encoded><![CDATA[{content}]]></content:encoded>\n"
            f"<dc:title><![CDATA[{s['title']}]]></dc:title>\n"
            f"<dc:subject>{escape(s['category'])}</dc:subject>\n"
            f"<dc:source>Nature, Published online: {s['date']}</dc:source>\n"
            f"<dc:date>{s['date']}</dc:date>\n"
            "<prism:publicationName>Nature</prism:publicationName>\n"
            f"<prism:publicationDate>{s['date']}</prism:publicationDate>\n"
            "</item>\n"
        )
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:admin="http://webns.net/mvcb/">\n'
        '<channel rdf:about="https://www.nature.com/nature.rss">\n'
        "<title>Nature</title>\n"
        "<link>https://www.nature.com/nature</link>\n"
        "<description>Nature is the international weekly journal of science.</description>\n"
        "<dc:publisher>Nature Publishing Group</dc:publisher>\n"
        "<dc:language>en</dc:language>\n"
        "<prism:publicationName>Nature</prism:publicationName>\n"
        "<items>\n<rdf:Seq>\n</rdf:Seq>\n</items>\n"
        "</channel>\n"
    )
    return head + "".join(items) + "</rdf:RDF>\n"


# --- bad input ---------------------------------------------------------------------------------


def read_bytes(path):
    with open(os.path.join(FIX, path), "rb") as f:
        return f.read()


def nth(haystack, needle, n):
    """Byte offset of the n-th (1-based) occurrence of needle."""
    at = -1
    for _ in range(n):
        at = haystack.index(needle, at + 1)
    return at


def truncated_arxiv_api():
    # A real 10-entry page cut in the middle of entry 7's abstract: entries 1-6 are whole.
    page = read_bytes("arxiv-api/q_testing_s0_m10_bc5a6c384fe9.xml")
    summary = nth(page, b"<summary>", 7)
    return page[: summary + len(b"<summary>") + 200]


def malformed_entry():
    # A real 10-entry page whose entry 5 lost its </title>: an unclosed tag in the middle.
    page = read_bytes("arxiv-api/q_testing_s10_m10_34e56e15aaac.xml")
    at = nth(page, b"<entry>", 5)
    close = page.index(b"</title>", at)
    return page[:close] + page[close + len(b"</title>") :]


def seed_lines():
    return read_bytes("seed-papers.jsonl").split(b"\n")


def invalid_utf8():
    # Seed lines 1-5; line 3's abstract gets a stray continuation byte, an 0xFF and a cut
    # three-byte sequence. Only the abstract's text is damaged: the JSON stays well formed.
    lines = seed_lines()[:5]
    line = lines[2]
    at = line.index(b'"abstract": "') + len(b'"abstract": "') + 40
    lines[2] = line[:at] + b"\x80 \xff \xe2\x82" + line[at:]
    return b"\n".join(lines) + b"\n"


def malformed_jsonl():
    # Seed lines 1-6: line 3 is cut short (broken JSON), line 5 has an empty title.
    lines = seed_lines()[:6]
    lines[2] = lines[2][: len(lines[2]) // 2]
    record = json.loads(lines[4])
    record["title"] = ""
    lines[4] = json.dumps(record, ensure_ascii=False).encode("utf-8")
    return b"\n".join(lines) + b"\n"


def main():
    seeds = read_seeds()
    path, rss = arxiv_rss(seeds)
    write(path, rss)
    for path, body in arxiv_oai(seeds):
        write(path, body)
    write("biorxiv/details-page0.json", rxiv_details(seeds, "bioRxiv", "bioRxiv"))
    write("medrxiv/details-page0.json", rxiv_details(seeds, "medRxiv", "medRxiv"))
    write("nature/nature.rss", nature_rdf(seeds))
    write("bad/truncated-arxiv-api.xml", truncated_arxiv_api())
    write("bad/malformed-entry.xml", malformed_entry())
    write("bad/invalid-utf8.jsonl", invalid_utf8())
    write("bad/malformed.jsonl", malformed_jsonl())


if __name__ == "__main__":
    main()
