"""One way for every reader to turn raw fields into a clean Paper."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from typing import Any

from paperdeck.index.clean import clean_text, html_to_text, strip_controls
from paperdeck.index.links import links_for, normalise_arxiv_id, paper_id
from paperdeck.index.models import Link, Paper


def parse_iso_date(value: object) -> dt.date | None:
    """`2024-05-27T12:00:00.000Z` or `2024-05-27` -> date; anything else -> None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Signals:
    """What Hugging Face says about a paper besides its upvotes and keywords."""

    hf_comment_count: int | None = None
    github_repo: str = ""
    github_stars: int | None = None
    project_page: str = ""
    ai_summary: str = ""

    def fields(self) -> dict[str, Any]:
        """Paper's fields, the summary cleaned as abstracts are (without asdict's deep copy:
        10% of parsing a snapshot line went there)."""
        found = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        return found | {"ai_summary": clean_text(self.ai_summary)}


NO_SIGNALS = Signals().fields()

# `cs.CL`, `hep-th`, `cond-mat.str-el`: not an MSC or ACM class (`68T05`, `I.2.7`), which
# Atom also lists as <category>.
_ARXIV_CATEGORY_RE = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")


def arxiv_categories(terms: Iterable[str], primary: str = "") -> tuple[str, ...]:
    """The arXiv categories among `terms`, the primary one first, each once."""
    found = (t.strip() for t in (primary, *terms))
    return tuple(dict.fromkeys(t for t in found if _ARXIV_CATEGORY_RE.match(t)))


@dataclass(frozen=True)
class ArxivFields:
    """What arXiv says of a paper besides its title, authors and abstract (Paper's fields of
    the same names); a format fills what it gives."""

    arxiv_comments: str = ""
    journal_ref: str = ""
    doi: str = ""
    report_no: str = ""
    license: str = ""
    primary_category: str = ""
    categories: tuple[str, ...] = ()
    version: int | None = None
    submitted: str = ""
    revised: str = ""
    affiliations: tuple[str, ...] = ()
    submitter: str = ""
    announce_type: str = ""
    name_parts: tuple[tuple[str, str, str], ...] = ()

    def fields(self) -> dict[str, Any]:
        """Paper's fields, free text cleaned as titles are (snapshot comments are wrapped)."""
        found = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        for name in ("arxiv_comments", "journal_ref", "report_no", "submitter"):
            found[name] = clean_text(found[name])
        for name in ("doi", "license", "submitted", "revised", "announce_type"):  # no NULs
            found[name] = strip_controls(found[name]).strip()
        found["affiliations"] = tuple(clean_text(a) for a in self.affiliations)
        if not any(found["affiliations"]):
            found["affiliations"] = ()
        found["name_parts"] = tuple(
            (clean_text(last), clean_text(first), clean_text(suffix))
            for last, first, suffix in self.name_parts
        )
        return found


NO_ARXIV = ArxivFields().fields()


def make_paper(
    *,
    title: str,
    abstract: str = "",
    source: str,
    date: dt.date | None = None,
    authors: Iterable[str] = (),
    arxiv_id: str | None = None,
    extra_links: Iterable[Link] = (),
    position: int = 0,
    upvotes: int | None = None,
    keywords: Iterable[str] = (),
    signals: Signals | None = None,
    arxiv_fields: ArxivFields | None = None,
    markup: bool,
) -> Paper | None:
    """A Paper with clean text, a stable id and its links; None when there is no title.
    `markup`: the format's text is HTML (tags and entities), else plain text, kept as it is
    (`a < b` in an abstract is math, `&amp;` is what the authors typed)."""
    plain = html_to_text if markup else str
    clean_title = clean_text(plain(title))
    if not clean_title:
        return None
    clean_abstract = clean_text(plain(abstract))
    arxiv = normalise_arxiv_id(arxiv_id)
    links = list(links_for(clean_title, arxiv, clean_abstract))
    known = {link.url for link in links}
    extra = [replace(link, url=strip_controls(link.url)) for link in extra_links]  # no NULs
    links += [link for link in extra if link.url and link.url not in known]
    return Paper(
        id=paper_id(clean_title, arxiv),
        title=clean_title,
        abstract=clean_abstract,
        date=date,
        authors=tuple(a for a in (clean_text(plain(x)) for x in authors) if a),
        arxiv_id=arxiv,
        links=tuple(links),
        sources=(source,),
        position=position,
        upvotes=upvotes,
        keywords=tuple(dict.fromkeys(k for k in (clean_text(k) for k in keywords) if k)),
        **(signals.fields() if signals else NO_SIGNALS),
        **(arxiv_fields.fields() if arxiv_fields else NO_ARXIV),
    )
