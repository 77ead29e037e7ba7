"""What the citation sources say, as typed results (keyword-only, frozen).

A `CitedPaper` is a paper as Semantic Scholar or OpenAlex describes it (a citing paper, a
reference, or the paper asked about); `CitationCounts` are its counts; `CitationList` one of
its lists; `Fetched` wraps any of them with the date the answer was fetched, so the reader can
say how old what it shows is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

SEMANTIC_SCHOLAR = "semantic-scholar"
OPENALEX = "openalex"
ListKind = Literal["citations", "references"]  # a citation list: Semantic Scholar's own words
CITATIONS: ListKind = "citations"  # the papers that cite a paper (cited by)
REFERENCES: ListKind = "references"  # the papers a paper cites

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class CitedPaper:
    """A paper as a citation source knows it; empty fields are what the answer left out."""

    title: str
    source: str  # SEMANTIC_SCHOLAR or OPENALEX
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str = ""
    arxiv_id: str | None = None
    doi: str = ""  # lower case, no https://doi.org/
    s2_id: str = ""  # Semantic Scholar's paperId (40 hex digits)
    openalex_id: str = ""  # W2741809807
    abstract: str = ""
    citation_count: int | None = None

    @property
    def key(self) -> str:
        """One id for this paper across answers (arXiv id first, as paperdeck's ids are), so
        the same citing paper seen twice is counted once."""
        if self.arxiv_id:
            return self.arxiv_id
        if self.doi:
            return "doi:" + self.doi
        if self.s2_id:
            return "s2:" + self.s2_id
        if self.openalex_id:
            return "openalex:" + self.openalex_id
        return "title:" + " ".join(self.title.casefold().split())

    @property
    def label(self) -> str:
        """The title, or for a bare reference (OpenAlex gives only ids) the id."""
        return self.title or self.key


@dataclass(frozen=True, kw_only=True)
class CitationCounts:
    """How much a paper is cited, and by whose count."""

    paper: CitedPaper
    cited_by: int | None
    influential: int | None = None  # Semantic Scholar only
    references: int | None = None

    @property
    def source(self) -> str:
        return self.paper.source

    def summary(self) -> str:
        """`cited by 1,204 (87 influential)`, as the detail pane shows it."""
        if self.cited_by is None:
            return "citations unknown"
        text = f"cited by {self.cited_by:,}"
        return f"{text} ({self.influential:,} influential)" if self.influential else text


@dataclass(frozen=True, kw_only=True)
class CitationList:
    """A paper's citing papers or references, in the source's order."""

    kind: ListKind  # CITATIONS or REFERENCES
    source: str
    papers: tuple[CitedPaper, ...]
    complete: bool  # the whole list, not only the first `limit` of it


@dataclass(frozen=True, kw_only=True)
class Fetched(Generic[T]):
    """An answer and when it was fetched; `stale` when it is older than the cache's age
    limit and could not be refetched (offline), `note` then says why."""

    value: T
    fetched_at: dt.datetime  # aware, UTC
    from_cache: bool
    stale: bool = False
    note: str = ""

    def age(self, now: dt.datetime | None = None) -> dt.timedelta:
        return (now or dt.datetime.now(dt.UTC)) - self.fetched_at

    def age_text(self, now: dt.datetime | None = None) -> str:
        """`fetched just now`, `fetched 5 hours ago`, `fetched 3 days ago`."""
        seconds = max(0, int(self.age(now).total_seconds()))
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                count = seconds // size
                return f"fetched {count} {unit}{'s' if count != 1 else ''} ago"
        return "fetched just now"
