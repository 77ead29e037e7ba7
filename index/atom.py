"""A watch as an Atom 1.0 feed (RFC 4287), so that newsboat or any feed reader can follow it.

Entry ids are tag URIs of the paper's title id (paperdeck.index.links.title_key), the same in every
run
and on every machine, and kept when a later digest gives the paper an arXiv id, so a feed reader
shows each paper once. An entry's `updated` is when the library got the paper (its first
import), so a feed written again without new papers is the same feed.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from urllib.parse import quote
from xml.etree import ElementTree as ET

from paperdeck.index.arxiv_facts import signals_line
from paperdeck.index.links import title_key
from paperdeck.index.models import Paper, utc_iso

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:paperdeck,2026:"  # RFC 4151: a tag URI needs an authority and a date


def _atom_time(iso_time: str) -> str:
    """RFC 3339 in UTC with a `Z`, as feed readers like it best."""
    return utc_iso(iso_time)[:19] + "Z"


def _day_time(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(paper: Paper) -> str:
    return f"{TAG}paper:{title_key(paper.title)}"


def _updated(paper: Paper) -> str:
    if paper.added:
        return _atom_time(paper.added)
    return _day_time(paper.date) if paper.date else "1970-01-01T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text:
        element.text = text
    return element


def _content(paper: Paper) -> str:
    """The entry's HTML: signals, AI summary, abstract and every link."""
    parts = []
    if signals := signals_line(paper):
        parts.append(f"<p>{html.escape(signals)}</p>")
    if paper.ai_summary:
        parts.append(f"<p><b>AI summary:</b> {html.escape(paper.ai_summary)}</p>")
    parts.append(f"<p>{html.escape(paper.abstract or '(no abstract in the digest)')}</p>")
    links = [
        f'<a href="{html.escape(link.url)}">{html.escape(link.label or link.url)}</a>'
        for link in paper.links
        if not link.broken
    ]
    if links:
        parts.append("<p>" + " · ".join(links) + "</p>")
    return "\n".join(parts)


def _entry(feed: ET.Element, paper: Paper) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", entry_id(paper))
    _add(entry, "title", paper.title, type="text")
    _add(entry, "updated", _updated(paper))
    if paper.date:
        _add(entry, "published", _day_time(paper.date))
    for name in paper.authors:
        _add(_add(entry, "author"), "name", name)
    if paper.url:
        _add(entry, "link", rel="alternate", type="text/html", href=paper.url)
    if paper.github_repo:
        _add(entry, "link", rel="related", href=paper.github_repo, title="code")
    for term in dict.fromkeys((*paper.categories, *paper.keywords)):
        _add(entry, "category", term=term)
    if paper.abstract:
        _add(entry, "summary", paper.abstract, type="text")
    _add(entry, "content", _content(paper), type="html")


def watch_feed(name: str, query: str, created: str, papers: Sequence[Paper]) -> str:
    """The feed of a watch's papers, in the order given (newest first)."""
    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "id", f"{TAG}watch:{quote(name, safe='')}")
    _add(feed, "title", f"paperdeck: {name}", type="text")
    _add(feed, "subtitle", f"Papers matching {query}", type="text")
    times = [_updated(paper) for paper in papers]
    fallback = _atom_time(created) if created else "1970-01-01T00:00:00Z"
    _add(feed, "updated", max(times, default=fallback))
    _add(_add(feed, "author"), "name", "paperdeck")  # entries without authors need one here
    _add(feed, "generator", "paperdeck")
    for paper in papers:
        _entry(feed, paper)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"
