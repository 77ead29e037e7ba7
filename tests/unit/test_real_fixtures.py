"""paperdeck's reading of real arXiv files (tests/fixtures/real, SOURCES.md says where each
comes from) against an independent parse of the same files (json, xml.etree), paper by paper
and field by field: id, title, authors and their order, abstract, dates, categories, links
and what else arXiv says (comments, journal-ref, DOI, report number, licence, version ...)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from paperdeck.index.digest.arxiv import read_arxiv_atom
from paperdeck.index.digest.snapshot import read_snapshot
from paperdeck.index.models import Paper

from tests.support import REAL

SNAPSHOT = REAL / "arxiv-snapshot-first-150.jsonl"
ATOM_FILES = (
    "arxiv-api-2016-au-del-maestro.xml",  # the old API format
    "arxiv-api-2026-query-testing.xml",  # the 2025+ format
    "arxiv-api-2026-id-astro-ph-0601001.xml",  # 2025+, with affiliations
)
NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}

# LaTeX accents as arXiv writes them (`\'e`, `\'{e}`, `{\'e}`, `\"o`, `\c{c}`), decoded here
# independently of paperdeck.index.clean: the command's combining mark after the letter, composed.
_MARKS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303"}
_MARKS |= {"c": "\u0327", "v": "\u030c", "u": "\u0306", "=": "\u0304", ".": "\u0307"}
_ACCENT_RE = re.compile(r"\{?\\([\'\"`^~=.]|[cvu](?=[{\s]))\s*\{?([A-Za-z])\}?\}?")
_LETTERS = {"l": "ł", "L": "Ł", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "aa": "å"}
_LETTER_RE = re.compile(r"\{\\(ss|ae|AE|aa|[lLoO])\}|\\(ss|ae|AE|aa|[lLoO])(?![A-Za-z])\s?")


def latex_text(text: str) -> str:
    """Whitespace squashed and accents decoded: what a reader should show."""
    text = _ACCENT_RE.sub(lambda m: unicodedata.normalize("NFC", m[2] + _MARKS[m[1]]), text)
    text = _LETTER_RE.sub(lambda m: _LETTERS[m[1] or m[2]], text)
    return " ".join(text.split())


def has_angle(*texts: str) -> bool:
    """Text with a `<` before a `>` (`Lambda < k < Lambda, where d Lambda -> 0`): an HTML tag
    stripper eats what is between (issue 20 item 3)."""
    return any(re.search(r"<[^>]*>", text) for text in texts)


def has_braced_letter(names: list[str]) -> bool:
    """`{\\O}bro`: a braced LaTeX letter, which leaves a stray brace (issue 20 item 4)."""
    return any(re.search(r"\{\\(?:ss|ae|AE|aa|[lLoO])\}", name) for name in names)


# -- the arXiv metadata snapshot ----------------------------------------------------------


def snapshot_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SNAPSHOT.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def snapshot_papers() -> dict[str, Paper]:
    papers, skipped = read_snapshot(SNAPSHOT.read_text(), SNAPSHOT.name)
    assert skipped == []
    return {paper.id: paper for paper in papers}


def _version_day(version: dict[str, str]) -> str:
    return parsedate_to_datetime(version["created"]).date().isoformat()


def _texts(record: dict[str, Any], key: str) -> str:
    return latex_text(record.get(key) or "")


RECORDS = snapshot_records()


def test_every_snapshot_record_is_read_in_order(snapshot_papers: dict[str, Paper]) -> None:
    assert list(snapshot_papers) == [record["id"] for record in RECORDS]


def test_the_real_snapshot_holds_the_hard_cases() -> None:
    """The field-by-field comparisons below cover comparisons in abstracts and braced LaTeX
    letters in names because the real sample has them (0704.0142, 0704.0150, 0704.0049)."""
    assert any(has_angle(r["title"], r["abstract"]) for r in RECORDS)
    names = [r["submitter"] or "" for r in RECORDS] + [
        x for r in RECORDS for a in r["authors_parsed"] for x in a
    ]
    assert has_braced_letter(names)


@pytest.mark.parametrize(
    "record",
    [
        *RECORDS,
    ],
    ids=[r["id"] for r in RECORDS],
)
def test_snapshot_record_fields(record: dict[str, Any], snapshot_papers: dict[str, Paper]) -> None:
    paper = snapshot_papers[record["id"]]
    parsed = record["authors_parsed"]
    names = [" ".join(p for p in (a[1], a[0], a[2]) if p.strip()) for a in parsed]
    assert list(paper.authors) == [latex_text(name) for name in names]
    assert paper.name_parts == tuple(tuple(latex_text(x) for x in a[:3]) for a in parsed)
    places = [latex_text(a[3]) if len(a) > 3 else "" for a in parsed]
    assert list(paper.affiliations) == (places if any(places) else [])
    versions = record["versions"]
    assert paper.date == dt.date.fromisoformat(_version_day(versions[0]))
    assert (paper.submitted, paper.revised) == (
        _version_day(versions[0]),
        _version_day(versions[-1]),
    )
    assert paper.version == int(versions[-1]["version"].lstrip("v"))
    categories = record["categories"].split()
    assert (paper.primary_category, paper.categories) == (categories[0], tuple(categories))
    assert paper.keywords == ()  # Hugging Face's, not arXiv's
    assert paper.arxiv_comments == _texts(record, "comments")
    assert paper.journal_ref == _texts(record, "journal-ref")
    assert paper.report_no == _texts(record, "report-no")
    assert (paper.doi, paper.license) == (record["doi"] or "", record["license"] or "")
    assert paper.submitter == _texts(record, "submitter")
    links = [link.url for link in paper.links]
    assert paper.url == f"https://arxiv.org/abs/{record['id']}"
    assert f"https://arxiv.org/pdf/{record['id']}" in links
    assert (f"https://doi.org/{record['doi']}" in links) == bool(record["doi"])


@pytest.mark.parametrize(
    "record",
    [
        *RECORDS,
    ],
    ids=[r["id"] for r in RECORDS],
)
def test_snapshot_record_text(record: dict[str, Any], snapshot_papers: dict[str, Paper]) -> None:
    paper = snapshot_papers[record["id"]]
    assert paper.title == latex_text(record["title"])
    assert paper.abstract == latex_text(record["abstract"])


# -- arXiv API Atom answers ---------------------------------------------------------------


def atom_entries(name: str) -> list[ET.Element]:
    return ET.parse(REAL / name).getroot().findall("a:entry", NS)


def _find(entry: ET.Element, path: str) -> str:
    found = entry.find(path, NS)
    return " ".join((found.text or "").split()) if found is not None else ""


ENTRIES = [(name, n, entry) for name in ATOM_FILES for n, entry in enumerate(atom_entries(name))]
ENTRY_IDS = [f"{name[10:14]}-{_find(e, 'a:id').rsplit('/abs/', 1)[1]}" for name, _, e in ENTRIES]


@pytest.fixture(scope="module")
def atom_papers() -> dict[str, list[Paper]]:
    read = {}
    for name in ATOM_FILES:
        papers, skipped = read_arxiv_atom((REAL / name).read_text(), name)
        assert skipped == []
        read[name] = papers
    return read


@pytest.mark.parametrize(("name", "number", "entry"), ENTRIES, ids=ENTRY_IDS)
def test_atom_entry_fields(
    name: str, number: int, entry: ET.Element, atom_papers: dict[str, list[Paper]]
) -> None:
    paper = atom_papers[name][number]
    versioned = _find(entry, "a:id").rsplit("/abs/", 1)[1]
    arxiv_id, version = re.fullmatch(r"(.+)v(\d+)", versioned).groups()  # type: ignore[union-attr]
    assert (paper.id, paper.arxiv_id, paper.version) == (arxiv_id, arxiv_id, int(version))
    authors = entry.findall("a:author", NS)
    assert list(paper.authors) == [_find(a, "a:name") for a in authors]
    places = [_find(a, "arxiv:affiliation") for a in authors]
    assert list(paper.affiliations) == (places if any(places) else [])
    published, updated = _find(entry, "a:published"), _find(entry, "a:updated")
    assert paper.date == dt.date.fromisoformat(published[:10])
    assert (paper.submitted, paper.revised) == (published[:10], updated[:10])
    primary = entry.find("arxiv:primary_category", NS)
    assert primary is not None and paper.primary_category == primary.get("term")
    terms = [c.get("term") for c in entry.findall("a:category", NS)]
    assert paper.categories == tuple(dict.fromkeys([primary.get("term"), *terms]))
    assert paper.arxiv_comments == _find(entry, "arxiv:comment")
    assert paper.journal_ref == _find(entry, "arxiv:journal_ref")
    assert paper.doi == _find(entry, "arxiv:doi")
    links = [link.url for link in paper.links]
    assert paper.url == f"https://arxiv.org/abs/{arxiv_id}"
    assert f"https://arxiv.org/pdf/{arxiv_id}" in links
    doi_link = [x.get("href") for x in entry.findall("a:link", NS) if x.get("title") == "doi"]
    if doi_link:  # the old format links the DOI; paperdeck links it in either format
        assert doi_link[0].replace("http://dx.doi.org/", "https://doi.org/") in links
    assert (f"https://doi.org/{paper.doi}" in links) == bool(paper.doi)


@pytest.mark.parametrize(
    ("name", "number", "entry"),
    [
        *ENTRIES,
    ],
    ids=ENTRY_IDS,
)
def test_atom_entry_text(
    name: str, number: int, entry: ET.Element, atom_papers: dict[str, list[Paper]]
) -> None:
    paper = atom_papers[name][number]
    assert paper.title == latex_text(_find(entry, "a:title"))
    assert paper.abstract == latex_text(_find(entry, "a:summary"))
