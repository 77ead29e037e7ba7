"""One way for every reader to turn raw fields into a clean Paper."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from index.clean import clean_text
from index.links import links_for, normalise_arxiv_id, paper_id
from index.models import Link, Paper

_TAG_RE = re.compile(r"<[^>]+>")


def strip_html(text: str) -> str:
    """Feeds carry HTML in abstracts and entities in titles: plain text only."""
    if "<" not in text and "&" not in text:
        return text  # most text: no tag, no entity (a regex pass over each cost 5% of a parse)
    return html.unescape(_TAG_RE.sub(" ", text))


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
        return found | {"ai_summary": clean_text(strip_html(self.ai_summary))}


NO_SIGNALS = Signals().fields()


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
) -> Paper | None:
    """A Paper with clean text, a stable id and its links; None when there is no title."""
    clean_title = clean_text(strip_html(title))
    if not clean_title:
        return None
    clean_abstract = clean_text(strip_html(abstract))
    arxiv = normalise_arxiv_id(arxiv_id)
    links = list(links_for(clean_title, arxiv, clean_abstract))
    known = {link.url for link in links}
    links += [link for link in extra_links if link.url and link.url not in known]
    return Paper(
        id=paper_id(clean_title, arxiv),
        title=clean_title,
        abstract=clean_abstract,
        date=date,
        authors=tuple(a for a in (clean_text(x) for x in authors) if a),
        arxiv_id=arxiv,
        links=tuple(links),
        sources=(source,),
        position=position,
        upvotes=upvotes,
        keywords=tuple(dict.fromkeys(k for k in keywords if k)),
        **(signals.fields() if signals else NO_SIGNALS),
    )
