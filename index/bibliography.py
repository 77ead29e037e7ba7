"""One paper as a citation: BibTeX, RIS and CSL JSON entries with the same fields.

Each format gets the authors (family name apart, paperdeck.index.names), title, abstract, date, DOI,
journal, arXiv id, URL, categories and arXiv's comments. BibTeX follows arXiv's advice: a
published paper (a journal reference or a DOI) is an `@article` with its journal and DOI,
any other an `@misc` with `eprint`/`archivePrefix`; `primaryClass` names the primary
category either way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from paperdeck.index.models import Paper
from paperdeck.index.names import Name, names_of

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Inline math as arXiv titles write it: `$...$` (not an escaped `\$`), nothing empty inside.
_MATH_RE = re.compile(r"(?<!\\)\$(?!\$)(?P<body>(?:\\.|[^$\\])+?)(?<!\\)\$")
# The year and month in an arXiv id: 2405.17428, or hep-th/9901001.
_ARXIV_MONTH = re.compile(r"(?:^|/)(?P<year>\d{2})(?P<month>\d{2})(?:\.\d{4,5}|\d{3})$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_STOP_WORDS = {"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "via", "is"}


@dataclass(frozen=True, kw_only=True)
class Published:
    """When a paper came out, as far as the library knows."""

    year: int
    month: int
    from_page: bool  # only the digest page's date line: when it was listed, not published
    day: int | None = None  # known from arXiv's v1 date only


@dataclass(frozen=True, kw_only=True)
class Cited:
    """What every citation format says of a paper, read once from it."""

    names: tuple[Name, ...]
    title: str
    abstract: str
    when: Published | None
    doi: str
    journal: str
    arxiv_id: str
    primary: str
    categories: tuple[str, ...]
    comments: str
    url: str

    @property
    def published(self) -> bool:
        """arXiv calls a paper published when it has a journal reference or a DOI."""
        return bool(self.journal or self.doi)


def cited(paper: Paper) -> Cited:
    """The citation fields of a paper: arXiv's split of the names where a digest gave it
    (the snapshot's `authors_parsed`), else paperdeck.index.names' split."""
    arxiv = bool(paper.arxiv_id)
    return Cited(
        names=tuple(names_of(paper.authors, paper.name_parts)),
        title=paper.title,
        abstract=paper.abstract,
        when=published(paper),
        doi=paper.doi.split(" ")[0],  # arXiv lists an erratum's DOI after the paper's
        journal=paper.journal_ref,
        arxiv_id=paper.arxiv_id or "",
        primary=paper.primary_category if arxiv else "",
        categories=paper.categories,
        comments=paper.arxiv_comments,
        url=paper.url,
    )


def published(paper: Paper) -> Published | None:
    """arXiv's v1 date where a digest gave it; else an arXiv id gives the year and month
    of the first version (2405.17428: May 2024); without one, the only date a paper has is
    its digest's (a page's `Mar 13`, its year guessed), which says when it was listed."""
    with contextlib.suppress(ValueError):
        first = dt.date.fromisoformat(paper.submitted)
        return Published(year=first.year, month=first.month, from_page=False, day=first.day)
    found = _ARXIV_MONTH.search(paper.arxiv_id or "")
    if found and 1 <= int(found["month"]) <= 12:
        short = int(found["year"])
        year = short + (1900 if short >= 91 else 2000)
        return Published(year=year, month=int(found["month"]), from_page=False)
    if paper.date:
        return Published(year=paper.date.year, month=paper.date.month, from_page=True)
    return None


# -- BibTeX ------------------------------------------------------------------------------


def bibtex_escape(text: str) -> str:
    """Plain text safe in a BibTeX field: every TeX special escaped."""
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def _balanced(text: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", text):
        depth += {"{": 1, "}": -1}.get(match.group(), 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex_title(text: str) -> str:
    """A title with its math (`$\\Lambda_{\\alpha}$`) kept as math, the rest escaped; math
    whose braces do not balance (BibTeX would break on it) is escaped as text."""
    out, last = [], 0
    for match in _MATH_RE.finditer(text):
        out.append(_title_text(text[last : match.start()]))
        body = match.group()
        out.append(body if _balanced(body) else bibtex_escape(body))
        last = match.end()
    out.append(_title_text(text[last:]))
    return "".join(out)


def _title_text(text: str) -> str:
    """Text of a title outside math: arXiv titles are LaTeX, so balanced braces there are
    the author's grouping (`the {Ki(z)} Functions`, capitals kept) and stay braces."""
    if "\\" in text or not _balanced(text):
        return bibtex_escape(text)
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) if ch not in "{}" else ch for ch in text)


def _protect(part: str) -> str:
    """A name part escaped, the word `and` braced so it does not split the author list."""
    return " ".join("{and}" if w.lower() == "and" else w for w in bibtex_escape(part).split())


def bibtex_name(name: Name) -> str:
    """`Last, First`, `Last, Jr, First`, `Last`, or a group braced whole."""
    if name.group:
        return "{" + bibtex_escape(name.family) + "}"
    family = _protect(name.family)
    if " " in name.family and name.family[:1].isupper() and not name.given:
        family = "{" + family + "}"  # BibTeX would take its last word as the surname
    parts = [family] + ([_protect(name.suffix)] if name.suffix else [])
    return ", ".join(parts + ([_protect(name.given)] if name.given else []))


def ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", plain).lower()


def citation_key(paper: Paper, entry: Cited | None = None) -> str:
    """`vaswani2017attention`-style: first author's family name (with its particles:
    `delmaestro2004thermal`), year, first word of the title that is not a stop word."""
    entry = entry or cited(paper)
    surname = ascii_word(entry.names[0].family) if entry.names else ""
    words = [ascii_word(w) for w in _MATH_RE.sub(" ", paper.title).split()]
    word = next((w for w in words if re.search("[a-z]", w) and w not in _STOP_WORDS), "paper")
    year = str(entry.when.year) if entry.when else ""
    return f"{surname}{year}{word}" or "paper"


def _bibtex_fields(entry: Cited, paper: Paper) -> list[tuple[str, str]]:
    fields = [("title", "{" + bibtex_title(entry.title) + "}")]
    if entry.names:
        fields.append(("author", " and ".join(bibtex_name(name) for name in entry.names)))
    if entry.published and entry.journal:
        fields.append(("journal", bibtex_escape(entry.journal)))
    if when := entry.when:
        fields += [("year", str(when.year)), ("month", _MONTHS[when.month - 1])]
    if entry.doi:
        fields.append(("doi", bibtex_escape(entry.doi)))
    if entry.arxiv_id:
        fields += [("eprint", entry.arxiv_id), ("archivePrefix", "arXiv")]
    if entry.primary:
        fields.append(("primaryClass", entry.primary))
    if entry.url:
        fields.append(("url", bibtex_escape(entry.url)))
    if entry.abstract:
        fields.append(("abstract", bibtex_escape(" ".join(entry.abstract.split()))))
    if entry.categories:
        fields.append(("keywords", bibtex_escape(", ".join(entry.categories))))
    notes = [entry.comments] if entry.comments else []
    if entry.when and entry.when.from_page and paper.date:
        notes.append(f"date from the digest page ({paper.date}), not the publication")
    if notes:
        fields.append(("note", bibtex_escape("; ".join(" ".join(n.split()) for n in notes))))
    return fields


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """One valid entry with every known author: `@article` for a published paper, else
    `@misc` (arXiv's advice); a year that is only a digest page's says so in a note."""
    entry = cited(paper)
    kind = "article" if entry.published else "misc"
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in _bibtex_fields(entry, paper)
    )
    return f"@{kind}{{{key or citation_key(paper, entry)},\n{body}\n}}\n"


class KeyMaker:
    """Unique keys over a stream (a second `smith2024deep` is `smith2024deepb`): keeps only
    the hashes of the keys given, so a million papers cost a set of ints, not of strings."""

    def __init__(self) -> None:
        self._used: set[int] = set()

    def key(self, paper: Paper) -> str:
        base, number = citation_key(paper), 0
        key = base
        while hash(key) in self._used:
            number += 1
            key = base + _letters(number)
        self._used.add(hash(key))
        return key


def _letters(number: int) -> str:
    """1 -> b, 25 -> z, 26 -> ba…: the suffix of the (number+1)th paper of one key."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def bibtex_entries(papers: Iterator[Paper]) -> Iterator[str]:
    keys = KeyMaker()
    for number, paper in enumerate(papers):
        yield ("\n" if number else "") + bibtex_entry(paper, keys.key(paper))


# -- RIS ---------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}\n"  # RIS is one line a field


def ris_name(name: Name) -> str:
    """RIS's `Last, First, Suffix` (a group: its name alone)."""
    if name.group or not (name.given or name.suffix):
        return name.family
    return ", ".join([name.family, name.given] + ([name.suffix] if name.suffix else []))


def ris_entry(paper: Paper) -> str:
    """One RIS record: `JOUR` for a published paper, `UNPB` (a preprint) otherwise."""
    entry = cited(paper)
    lines = [_ris_line("TY", "JOUR" if entry.published else "UNPB")]
    lines += [_ris_line("AU", ris_name(name)) for name in entry.names]
    lines.append(_ris_line("TI", entry.title))
    if entry.abstract:
        lines.append(_ris_line("AB", entry.abstract))
    if when := entry.when:
        day = f"{when.day:02d}" if when.day else ""
        lines += [_ris_line("PY", str(when.year))]
        lines += [_ris_line("DA", f"{when.year}/{when.month:02d}/{day}/")]
    if entry.doi:
        lines.append(_ris_line("DO", entry.doi))
    if entry.journal:
        lines.append(_ris_line("JO", entry.journal))
    if entry.arxiv_id:
        lines += [_ris_line("DB", "arXiv"), _ris_line("AN", f"arXiv:{entry.arxiv_id}")]
    if entry.url:
        lines.append(_ris_line("UR", entry.url))
    lines += [_ris_line("KW", category) for category in entry.categories]
    if entry.comments:
        lines.append(_ris_line("N1", entry.comments))
    return "".join(lines) + "ER  - \n"


def ris_entries(papers: Iterator[Paper]) -> Iterator[str]:
    for number, paper in enumerate(papers):
        yield ("\n" if number else "") + ris_entry(paper)


# -- CSL JSON ----------------------------------------------------------------------------


def csl_name(name: Name) -> dict[str, str]:
    if name.group:
        return {"literal": name.family}
    given = {"given": name.given} if name.given else {}
    return {"family": name.family, **given, **({"suffix": name.suffix} if name.suffix else {})}


def csl_item(paper: Paper, key: str) -> dict[str, Any]:
    """One CSL JSON item: `article-journal` when published, else `article` (a preprint,
    its publisher arXiv and number `arXiv:ID`, as Zotero writes one)."""
    entry = cited(paper)
    item: dict[str, Any] = {"id": key, "type": "article-journal" if entry.published else "article"}
    item["title"] = entry.title
    if entry.names:
        item["author"] = [csl_name(name) for name in entry.names]
    if entry.abstract:
        item["abstract"] = entry.abstract
    if when := entry.when:
        item["issued"] = {
            "date-parts": [[when.year, when.month, *([when.day] if when.day else [])]]
        }
    if entry.doi:
        item["DOI"] = entry.doi
    if entry.journal:
        item["container-title"] = entry.journal
    if entry.arxiv_id:
        item |= {"publisher": "arXiv", "number": f"arXiv:{entry.arxiv_id}"}
    if entry.url:
        item["URL"] = entry.url
    if entry.categories:
        item["keyword"] = ", ".join(entry.categories)
    if entry.comments:
        item["note"] = entry.comments
    return item


def csl_entries(papers: Iterator[Paper]) -> Iterator[str]:
    """A JSON array, an item at a time."""
    keys = KeyMaker()
    yield "["
    for number, paper in enumerate(papers):
        text = json.dumps(csl_item(paper, keys.key(paper)), indent=2, ensure_ascii=False)
        yield ("," if number else "") + "\n  " + text.replace("\n", "\n  ")
    yield "\n]\n"
