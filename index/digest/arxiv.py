"""arXiv feeds: the API's Atom output and the daily listing RSS (2.0, and the older RDF).

Parsed with the standard library's ElementTree (its expat refuses entity-expansion bombs);
elements are matched by local name so that namespace variants all read.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

from index.digest.build import make_paper, parse_iso_date, strip_html
from index.digest.report import Skipped
from index.errors import DigestError
from index.models import Paper

_RSS_ABSTRACT_RE = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s+Abstract:\s*", re.S)
_RDF_TITLE_RE = re.compile(r"\s*\(arXiv:[^)]*\)\s*$")
_ID_IN_URL_RE = re.compile(r"(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?$")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: ET.Element, name: str) -> str:
    found = _children(element, name)
    return "".join(found[0].itertext()).strip() if found else ""


def _parse_xml(text: str) -> ET.Element:
    try:
        return ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise DigestError(f"not well-formed XML ({exc})") from None


def _id_from_url(url: str) -> str | None:
    match = _ID_IN_URL_RE.search(url.strip())
    return match.group(1) if match else None


def read_arxiv_atom(
    text: str, name: str, today: dt.date | None = None
) -> tuple[list[Paper], list[Skipped]]:
    root = _parse_xml(text)
    if _local(root.tag) != "feed":
        raise DigestError("not an Atom feed")
    papers, skipped = [], []
    for number, entry in enumerate(_children(root, "entry"), start=1):
        entry_id = _text(entry, "id")
        if "api/errors" in entry_id:
            skipped.append(Skipped(number, _text(entry, "summary"), "arXiv API error", "entry"))
            continue
        paper = make_paper(
            title=_text(entry, "title"),
            abstract=_text(entry, "summary"),
            source=name,
            date=parse_iso_date(_text(entry, "published")),
            authors=[_text(a, "name") for a in _children(entry, "author")],
            arxiv_id=_id_from_url(entry_id),
            position=number - 1,
            keywords=[c.get("term", "") for c in _children(entry, "category")],
        )
        if paper is None:
            skipped.append(Skipped(number, entry_id, "entry without a title", "entry"))
        else:
            papers.append(paper)
    return papers, skipped


def _rss_date(item: ET.Element) -> object:
    raw = _text(item, "pubDate") or _text(item, "date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError):
        return parse_iso_date(raw)


def read_arxiv_rss(
    text: str, name: str, today: dt.date | None = None
) -> tuple[list[Paper], list[Skipped]]:
    root = _parse_xml(text)
    if _local(root.tag) not in {"rss", "RDF"}:
        raise DigestError("not an RSS feed")
    items = [el for el in root.iter() if _local(el.tag) == "item"]
    papers, skipped = [], []
    for number, item in enumerate(items, start=1):
        link = _text(item, "link") or item.get(
            "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", ""
        )
        abstract = _RSS_ABSTRACT_RE.sub("", strip_html(_text(item, "description")))
        creators = strip_html(_text(item, "creator"))
        paper = make_paper(
            title=_RDF_TITLE_RE.sub("", _text(item, "title")),
            abstract=abstract,
            source=name,
            date=_rss_date(item),  # type: ignore[arg-type]
            authors=[a.strip() for a in creators.split(",")] if creators else [],
            arxiv_id=_id_from_url(link),
            position=number - 1,
            keywords=[c.text or "" for c in _children(item, "category")],
        )
        if paper is None:
            skipped.append(Skipped(number, link, "item without a title", "item"))
        else:
            papers.append(paper)
    return papers, skipped
