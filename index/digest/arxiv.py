"""arXiv feeds: the API's Atom output and the daily listing RSS (2.0, and the older RDF).

Parsed with the standard library's ElementTree (its expat refuses entity-expansion bombs);
elements are matched by local name so that namespace variants all read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

from paperdeck.index.clean import html_to_text
from paperdeck.index.digest.build import (
    ArxivFields,
    arxiv_categories,
    make_paper,
    parse_iso_date,
)
from paperdeck.index.digest.report import Skipped
from paperdeck.index.errors import DigestError
from paperdeck.index.models import REPLACEMENT_TYPES, Link, Paper

_RSS_ABSTRACT_RE = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s+Abstract:\s*", re.S)
_RDF_TITLE_RE = re.compile(r"\s*\(arXiv:[^)]*\)\s*$")
_ID_IN_URL_RE = re.compile(r"(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?$")
_VERSION_RE = re.compile(r"v(\d+)$")
_RSS_VERSION_RE = re.compile(r"^\s*arXiv:\S+?v(\d+)\s+Announce Type:\s*(\S+)")


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
            skipped.append(
                Skipped(
                    line=number,
                    text=_text(entry, "summary"),
                    reason="arXiv API error",
                    unit="entry",
                )
            )
            continue
        authors = _children(entry, "author")
        doi = _text(entry, "doi")
        paper = make_paper(
            title=_text(entry, "title"),
            abstract=_text(entry, "summary"),
            source=name,
            date=parse_iso_date(_text(entry, "published")),
            authors=[_text(a, "name") for a in authors],
            arxiv_id=_id_from_url(entry_id),
            extra_links=[Link(f"https://doi.org/{doi}", "DOI")] if doi else [],
            position=number - 1,
            arxiv_fields=_atom_fields(entry, entry_id, authors),
            markup=False,  # Atom text is plain: `&lt;` was XML's, ElementTree decoded it
        )
        if paper is None:
            skipped.append(
                Skipped(line=number, text=entry_id, reason="entry without a title", unit="entry")
            )
        else:
            papers.append(paper)
    return papers, skipped


def _version(text: str) -> int | None:
    match = _VERSION_RE.search(text.strip())
    return int(match.group(1)) if match else None


def _atom_fields(entry: ET.Element, entry_id: str, authors: list[ET.Element]) -> ArxivFields:
    """What an Atom entry says besides title, authors and summary: `published` is v1's date
    and `updated` the latest version's (the id ends in that version)."""
    primary = next((c.get("term", "") for c in _children(entry, "primary_category")), "")
    terms = [c.get("term", "") for c in _children(entry, "category")]
    submitted, revised = (
        parse_iso_date(_text(entry, "published")),
        parse_iso_date(_text(entry, "updated")),
    )
    return ArxivFields(
        arxiv_comments=_text(entry, "comment"),
        journal_ref=_text(entry, "journal_ref"),
        doi=_text(entry, "doi"),
        primary_category=primary if arxiv_categories([primary]) else "",
        categories=arxiv_categories(terms, primary),
        version=_version(entry_id),
        submitted=submitted.isoformat() if submitted else "",
        revised=revised.isoformat() if revised else "",
        affiliations=tuple(_text(a, "affiliation") for a in authors),
    )


def _rss_date(item: ET.Element) -> dt.date | None:
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
    # A listing's description and dc:creator may be HTML (the old RDF listing's are: `<p>`,
    # `<a href>`), so real tags go and entities are decoded; `J3<0, J2>0` is no tag and stays.
    plain = html_to_text
    papers, skipped = [], []
    for number, item in enumerate(items, start=1):
        link = _text(item, "link") or item.get(
            "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", ""
        )
        description = plain(_text(item, "description"))
        abstract = _RSS_ABSTRACT_RE.sub("", description)
        authors = split_creators(plain(_text(item, "creator")))
        fields = _rss_fields(item, description, authors)
        day = _rss_date(item)
        if fields.announce_type in REPLACEMENT_TYPES:
            # A new version of an older paper: the listing's day is its revision's, not its own.
            fields = dataclasses.replace(fields, revised=day.isoformat() if day else "")
            day = None
        paper = make_paper(
            title=_RDF_TITLE_RE.sub("", _text(item, "title")),
            abstract=abstract,
            source=name,
            date=day,
            authors=[author for author, _ in authors],
            arxiv_id=_id_from_url(link),
            position=number - 1,
            arxiv_fields=fields,
            markup=False,  # made plain above
        )
        if paper is None:
            skipped.append(
                Skipped(line=number, text=link, reason="item without a title", unit="item")
            )
        else:
            papers.append(paper)
    return papers, skipped


def _rss_fields(item: ET.Element, description: str, authors: list[tuple[str, str]]) -> ArxivFields:
    """An RSS item's announce type, licence, categories and version (from its guid
    `oai:arXiv.org:2405.13956v1`, or the description's `arXiv:2405.13956v1 Announce Type`)."""
    said = _RSS_VERSION_RE.match(description)
    version = _version(_text(item, "guid")) or (int(said.group(1)) if said else None)
    announce = _text(item, "announce_type") or (said.group(2) if said else "")
    return ArxivFields(
        license=_text(item, "rights"),
        doi=_text(item, "DOI") or _text(item, "doi"),  # (rss.arxiv.org writes arxiv:DOI)
        categories=arxiv_categories((c.text or "") for c in _children(item, "category")),
        version=version,
        announce_type=announce,
        affiliations=tuple(affiliation for _, affiliation in authors),
    )


def split_creators(text: str) -> list[tuple[str, str]]:
    """`A (LORIA, CNRS), B and C` -> [(A, LORIA, CNRS), (B, ""), (C, "")]: authors split at
    commas and "and" outside parentheses; a trailing parenthesis is the affiliation."""
    names, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            names.append(text[start:index])
            start = index + 1
    names.append(text[start:])
    found = []
    for part in names:
        for name in _split_and(part):
            author, affiliation = _affiliation(name)
            if author:
                found.append((author, affiliation))
    return found


def _split_and(text: str) -> list[str]:
    """`A and B` -> [A, B], but not an "and" inside parentheses."""
    pieces, depth, start = [], 0, 0
    for match in re.finditer(r"[()]|\s+and\s+", text):
        token = match.group()
        if token in "()":
            depth += 1 if token == "(" else -1
        elif depth == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    return [*pieces, text[start:]]


def _affiliation(name: str) -> tuple[str, str]:
    """`Alexandre Benoist (LORIA, CNRS)` -> (`Alexandre Benoist`, `LORIA, CNRS`)."""
    name = name.strip()
    if not name.endswith(")"):
        return name, ""
    depth = 0
    for index in range(len(name) - 1, -1, -1):
        depth += (name[index] == ")") - (name[index] == "(")
        if depth == 0:
            return name[:index].strip(), name[index + 1 : -1].strip()
    return name, ""
