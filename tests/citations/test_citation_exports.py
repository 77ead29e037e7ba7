"""Citations a reference manager takes as they are (issue 20.8-11): the BibTeX, RIS and CSL
JSON exports of real arXiv files, parsed back with the ecosystem's own parsers (bibtexparser,
rispy, the CSL project's JSON schema) and compared field by field with an independent parse
of the source files (json for the snapshot, xml.etree for the Atom answers and RSS listing)."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares
from paperdeck.index.bibliography import bibtex_entry
from paperdeck.index.library import Library
from paperdeck.index.models import Paper
from paperdeck.index.names import split_name
from pylatexenc.latex2text import LatexNodes2Text

from tests.support import REAL

SNAPSHOT = REAL / "arxiv-snapshot-first-150.jsonl"
ATOM = [
    REAL / "arxiv-api-2016-au-del-maestro.xml",
    REAL / "arxiv-api-2026-query-testing.xml",
    REAL / "arxiv-api-2026-id-astro-ph-0601001.xml",
]
RSS = REAL / "arxiv-rss-2026-09-24-cs.LG+cs.AI+cs.CL+stat.ML.xml"
CSL_SCHEMA = REAL / "csl-data-schema-v1.0.json"
ATOM_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
MATH = re.compile(r"(?<!\\)\$[^$]+\$")


@dataclass(frozen=True, kw_only=True)
class Source:
    """What a source file says of one paper, read without paperdeck."""

    arxiv_id: str
    title: str  # as text: LaTeX accents decoded, math left as `$...$`
    authors: tuple[str, ...]  # the names as the file writes them
    parts: tuple[tuple[str, str, str], ...] | None  # arXiv's (family, given, suffix), if given
    year: int
    month: int
    doi: str
    primary: str
    journal: str


def as_text(latex: str) -> str:
    """LaTeX as a reader sees it, math kept verbatim: how both sides are compared. A bare
    `~` or `^` in an arXiv title is the character (`z~2.56`, `C^* modules`), not a tie or
    an accent."""
    kept = latex.replace("~", "\x00").replace("^", "\x01")
    decoded = LatexNodes2Text(math_mode="verbatim").latex_to_text(kept)
    decoded = decoded.replace("\x00", "~").replace("\x01", "^").replace("\u02c6", "^")
    return " ".join(decoded.split())  # pylatexenc reads \\textasciicircum as U+02C6


def plain_as_text(text: str) -> str:
    """A plain-text format's value (RIS, CSL JSON) compared as_text: its `&`, `%` and `#`
    are characters, not LaTeX's alignment, comment and parameter."""
    return as_text(re.sub(r"([&%#])", r"\\\1", text))


def ascii_letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def from_snapshot() -> list[Source]:
    found = []
    for line in SNAPSHOT.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        created = email.utils.parsedate_to_datetime(record["versions"][0]["created"])
        found.append(
            Source(
                arxiv_id=record["id"],
                title=as_text(record["title"]),
                authors=(),
                parts=tuple((p[0], p[1], p[2]) for p in record["authors_parsed"]),
                year=created.year,
                month=created.month,
                doi=(record["doi"] or "").split(" ")[0],  # a second DOI is an erratum's
                primary=record["categories"].split()[0],
                journal=as_text(record["journal-ref"] or ""),
            )
        )
    return found


def _plain(text: str | None) -> str:
    return " ".join((text or "").split())


def from_atom(path: Path) -> list[Source]:
    found = []
    for entry in ET.parse(path).getroot().findall("a:entry", ATOM_NS):
        published = dt.datetime.fromisoformat(entry.findtext("a:published", "", ATOM_NS))
        arxiv_id = re.sub(r"v\d+$", "", entry.findtext("a:id", "", ATOM_NS).split("/abs/")[1])
        names = [
            _plain(a.findtext("a:name", "", ATOM_NS))
            for a in entry.iter(f"{{{ATOM_NS['a']}}}author")
        ]
        primary = entry.find("arxiv:primary_category", ATOM_NS)
        found.append(
            Source(
                arxiv_id=arxiv_id,
                title=_plain(entry.findtext("a:title", "", ATOM_NS)),
                authors=tuple(names),
                parts=None,
                year=published.year,
                month=published.month,
                doi=_plain(entry.findtext("arxiv:doi", "", ATOM_NS)),
                primary=primary.get("term", "") if primary is not None else "",
                journal=_plain(entry.findtext("arxiv:journal_ref", "", ATOM_NS)),
            )
        )
    return found


def from_rss(path: Path) -> list[Source]:
    found = []
    for item in ET.parse(path).getroot().iter("item"):
        arxiv_id = item.findtext("link", "").rsplit("/abs/", 1)[1]
        creators = item.findtext("{http://purl.org/dc/elements/1.1/}creator", "")
        short = int(arxiv_id[:2]) + 2000, int(arxiv_id[2:4])  # v1's month, in the id
        found.append(
            Source(
                arxiv_id=arxiv_id,
                title=_plain(item.findtext("title")),
                authors=tuple(_plain(n) for n in creators.split(",")),
                parts=None,
                year=short[0],
                month=short[1],
                doi=_plain(item.findtext("{http://arxiv.org/schemas/atom}DOI")),
                primary="",  # an RSS item does not say which of its categories is primary
                journal=_plain(item.findtext("{http://arxiv.org/schemas/atom}journal_reference")),
            )
        )
    return found


SOURCES = [*from_snapshot(), *(s for path in ATOM for s in from_atom(path)), *from_rss(RSS)]


@pytest.fixture(scope="module")
def real_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("cite") / "library")
    library.import_digests([SNAPSHOT, *ATOM, RSS])
    return library


def check_names(source: Source, names: list[tuple[str, str, str]]) -> None:
    """arXiv's own split where the file gives one; else the name as written comes back
    whole, given names then family name then suffix, the family name with its particles."""
    if source.parts is not None:
        assert names == list(source.parts), source.arxiv_id
        return
    assert [
        " ".join(p for p in (given, family, suffix) if p) for family, given, suffix in names
    ] == list(source.authors), source.arxiv_id
    for (family, _, _), written in zip(names, source.authors, strict=True):
        if "Del Maestro" in written:
            assert family == "Del Maestro"
        elif " " in written:
            assert family == written.split()[-1], written


def test_every_real_paper_is_in_the_library(real_library: Library) -> None:
    assert len(SOURCES) == 175 and len({s.arxiv_id for s in SOURCES}) == 175
    assert real_library.count() == 175


# -- BibTeX, read back by bibtexparser ----------------------------------------------------


def _bibtex_names(value: list[middlewares.NameParts]) -> list[tuple[str, str, str]]:
    def unbrace(text: str) -> str:
        return text[1:-1] if text.startswith("{") and text.endswith("}") else text

    return [
        (unbrace(" ".join([*n.von, *n.last])), " ".join(n.first), " ".join(n.jr)) for n in value
    ]


@dataclass(frozen=True)
class Bib:
    kind: str
    key: str
    fields: dict[str, Any]


@pytest.fixture(scope="module")
def bibtex_entries(real_library: Library) -> dict[str, Bib]:
    text = real_library.export("bibtex").text
    parsed = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    assert not parsed.failed_blocks and len(parsed.entries) == 175
    assert len({entry.key for entry in parsed.entries}) == 175
    return {
        str(entry["eprint"]): Bib(
            entry.entry_type, entry.key, {f.key: f.value for f in entry.fields}
        )
        for entry in parsed.entries
    }


def month_name(month: int) -> str:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"][
        month - 1
    ]


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.arxiv_id)
def test_bibtex_of_real_papers_parses_back_field_by_field(
    source: Source, bibtex_entries: dict[str, Bib]
) -> None:
    entry = bibtex_entries[source.arxiv_id]
    fields = entry.fields
    names = _bibtex_names(fields["author"])
    check_names(source, names)
    assert entry.key.startswith(ascii_letters(names[0][0]))  # the family name, not the last word
    title = fields["title"]
    assert title.startswith("{") and title.endswith("}")  # capitals kept as written
    for math in MATH.findall(source.title):
        assert math in title  # $\Lambda_{\alpha}$ stays math, not \$\textbackslash{}...
    assert as_text(title[1:-1]) == source.title
    assert (fields["year"], fields["month"]) == (str(source.year), month_name(source.month))
    assert as_text(fields.get("doi", "")) == source.doi
    assert as_text(fields.get("journal", "")) == source.journal
    assert fields.get("primaryClass", "") == source.primary
    assert (fields["eprint"], fields["archivePrefix"]) == (source.arxiv_id, "arXiv")
    assert entry.kind == ("article" if source.journal or source.doi else "misc")


# -- RIS, read back by rispy ---------------------------------------------------------------


@pytest.fixture(scope="module")
def ris_entries(real_library: Library) -> dict[str, dict[str, Any]]:
    entries = rispy.loads(real_library.export("ris").text)
    assert len(entries) == 175
    return {entry["accession_number"].removeprefix("arXiv:"): entry for entry in entries}


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.arxiv_id)
def test_ris_of_real_papers_parses_back_field_by_field(
    source: Source, ris_entries: dict[str, dict[str, Any]]
) -> None:
    entry = ris_entries[source.arxiv_id]
    names = []
    for written in entry["authors"]:
        family, _, rest = written.partition(", ")
        given, _, suffix = rest.partition(", ")
        names.append((family, given, suffix))
    check_names(source, names)
    assert plain_as_text(entry["title"]) == source.title
    assert entry["year"] == str(source.year)
    assert entry["date"].split("/")[:2] == [str(source.year), f"{source.month:02d}"]
    assert entry.get("doi", "") == source.doi
    assert plain_as_text(entry.get("journal_name", "")) == source.journal
    assert entry["name_of_database"] == "arXiv"
    assert entry["type_of_reference"] == ("JOUR" if source.journal or source.doi else "UNPB")
    assert entry["keywords"][0] == source.primary or not source.primary


# -- CSL JSON, checked against the CSL project's schema ---------------------------------------


@pytest.fixture(scope="module")
def csl_items(real_library: Library) -> dict[str, dict[str, Any]]:
    items = json.loads(real_library.export("csl-json").text)
    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(items, schema, cls=jsonschema.Draft7Validator)
    assert len(items) == 175 and len({item["id"] for item in items}) == 175
    return {item["number"].removeprefix("arXiv:"): item for item in items}


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.arxiv_id)
def test_csl_json_of_real_papers_is_valid_and_says_what_the_source_does(
    source: Source, csl_items: dict[str, dict[str, Any]]
) -> None:
    item = csl_items[source.arxiv_id]
    names = [
        (n["literal"], "", "")
        if "literal" in n
        else (n["family"], n.get("given", ""), n.get("suffix", ""))
        for n in item["author"]
    ]
    check_names(source, names)
    assert plain_as_text(item["title"]) == source.title
    assert item["issued"]["date-parts"][0][:2] == [source.year, source.month]
    assert item.get("DOI", "") == source.doi
    assert plain_as_text(item.get("container-title", "")) == source.journal
    assert item["type"] == ("article-journal" if source.journal or source.doi else "article")
    assert item["publisher"] == "arXiv"


def test_a_collaboration_is_one_name_in_every_format(
    bibtex_entries: dict[str, Bib],
    ris_entries: dict[str, dict[str, Any]],
    csl_items: dict[str, dict[str, Any]],
) -> None:
    # 0704.0020's authors_parsed: ["The BABAR Collaboration", "", ""] then people
    assert _bibtex_names(bibtex_entries["0704.0020"].fields["author"])[0] == (
        "The BABAR Collaboration",
        "",
        "",
    )
    assert ris_entries["0704.0020"]["authors"][0] == "The BABAR Collaboration"
    assert csl_items["0704.0020"]["author"][0] == {"literal": "The BABAR Collaboration"}


# -- names split where no file splits them (synthetic names, not a source file) -------------


@pytest.mark.parametrize(
    ("written", "family", "given", "suffix"),
    [
        ("Johannes Diderik van der Waals", "van der Waals", "Johannes Diderik", ""),
        ("Adrian Del Maestro", "Del Maestro", "Adrian", ""),
        ("Martin Luther King Jr.", "King", "Martin Luther", "Jr."),
        ("Neal J. Evans II", "Evans", "Neal J.", "II"),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig", ""),
        ("Evans, Neal J.", "Evans", "Neal J.", ""),
        ("Plato", "Plato", "", ""),
    ],
)
def test_a_name_is_split_family_first_and_bibtex_reads_it_so(
    written: str, family: str, given: str, suffix: str
) -> None:
    name = split_name(written)
    assert (name.family, name.given, name.suffix) == (family, given, suffix)
    paper = Paper(id="2401.00001", title="T", authors=(written,), arxiv_id="2401.00001")
    parsed = bibtexparser.parse_string(
        bibtex_entry(paper),
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    assert _bibtex_names(parsed.entries[0]["author"]) == [(family, given, suffix)]
    assert parsed.entries[0].key.startswith(ascii_letters(family) + "2024")
