"""The values that flow between the digest readers, the library, the CLI and the reader.

All frozen: a Paper handed to the UI can never be changed behind the library's back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

# A long job's report, `progress(done, total)`: papers (or references) done of those in all
# so far, a total that may grow as a streamed file is read. The one type of every library call
# that reports (imports, rebuilds, opening, citation refreshes), the CLI's bar and the reader's.
Progress = Callable[[int, int], None]

# How a list can be sorted: relevance (a query's default), newest (the listing's default),
# Hugging Face upvotes (papers without last), and for you (learned from your marks).
SortOrder = Literal["relevance", "newest", "upvotes", "for-you"]
SORT_ORDERS: tuple[SortOrder, ...] = get_args(SortOrder)
# Orders the library answers from the user's own files rather than the index (issue 22): the
# cited-by counts in the citation cache, papers without a count last. The CLI's --sort takes
# LIST_ORDERS; the reader's S cycles SORT_ORDERS until its status line has a name for these.
LibraryOrder = Literal["citations"]
LIBRARY_ORDERS: tuple[LibraryOrder, ...] = get_args(LibraryOrder)
ListOrder = SortOrder | LibraryOrder
LIST_ORDERS: tuple[ListOrder, ...] = SORT_ORDERS + LIBRARY_ORDERS
# arXiv RSS announce types that bring a new version of a paper announced before.
REPLACEMENT_TYPES = ("replace", "replace-cross")


def sort_order(text: str) -> SortOrder:
    """`text` as one of SORT_ORDERS (the engine hands orders on as plain strings)."""
    for order in SORT_ORDERS:
        if order == text:
            return order
    raise ValueError(f"unknown sort order {text!r}")


def utc_iso(iso_time: str) -> str:
    """Any ISO time as UTC in one fixed format, so that times compare as strings."""
    return naive_utc(iso_time).isoformat(timespec="microseconds") + "+00:00"


def naive_utc(iso_time: str) -> dt.datetime:
    """Whoosh compares naive datetimes (whoosh-reloaded trips on aware ones): store UTC."""
    moment = dt.datetime.fromisoformat(iso_time)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def local_now() -> dt.datetime:
    """Now, aware, in the local zone; in UTC when the zone is one Python cannot hold
    (`TZ=UTC+25:99` gives an offset past 24 hours)."""
    try:
        return dt.datetime.now().astimezone()
    except (ValueError, OverflowError, OSError):
        return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Link:
    """A URL offered for a paper; `broken` marks one the text split with spaces."""

    url: str
    label: str
    broken: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "label": self.label, "broken": self.broken}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return cls(str(data["url"]), str(data.get("label", "")), bool(data.get("broken", False)))


@dataclass(frozen=True)
class Paper:
    """One paper as the library knows it."""

    id: str
    title: str
    abstract: str = ""
    date: dt.date | None = None
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    links: tuple[Link, ...] = ()
    sources: tuple[str, ...] = ()
    position: int = 0  # order within its digest day: the page's own ranking
    upvotes: int | None = None
    keywords: tuple[str, ...] = ()  # Hugging Face's AI keywords (arXiv's are `categories`)
    added: str = ""  # ISO time of the import that first brought it (for "new since")
    # What arXiv says of a paper (snapshot, Atom, RSS); empty or None where a format has none.
    arxiv_comments: str = ""  # arXiv's comments: "12 pages, accepted at NeurIPS 2024"
    journal_ref: str = ""
    doi: str = ""
    report_no: str = ""
    license: str = ""  # as arXiv gives it (a URL)
    primary_category: str = ""
    categories: tuple[str, ...] = ()  # arXiv categories, primary first (no MSC/ACM classes)
    version: int | None = None  # latest version known (v3 -> 3)
    submitted: str = ""  # ISO date of v1
    revised: str = ""  # ISO date of the latest version
    affiliations: tuple[str, ...] = ()  # one per author ("" where unknown), or empty
    submitter: str = ""
    announce_type: str = ""  # arXiv RSS announce type: new, cross, replace, replace-cross
    name_parts: tuple[tuple[str, str, str], ...] = ()  # (last, first, suffix) per author
    # Hugging Face's signals (the daily-papers JSON); empty or None where a digest has none.
    hf_comment_count: int | None = None  # Hugging Face's comment count (once `comments`)
    github_repo: str = ""
    github_stars: int | None = None
    project_page: str = ""
    ai_summary: str = ""

    @property
    def is_replacement(self) -> bool:
        """An arXiv listing's `replace`/`replace-cross` item: a new version of an older paper,
        not a paper of that day."""
        return self.announce_type in REPLACEMENT_TYPES

    @property
    def url(self) -> str:
        """The primary link: the first one that is not flagged broken."""
        for link in self.links:
            if not link.broken:
                return link.url
        return ""

    def with_changes(self, **changes: Any) -> Paper:
        return replace(self, **changes)

    def row(self) -> PaperRow:
        return PaperRow(self.id, self.title, self.date, self.added)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "date": self.date.isoformat() if self.date else None,
            "authors": list(self.authors),
            "arxiv_id": self.arxiv_id,
            "url": self.url,
            "links": [link.to_dict() for link in self.links],
            "sources": list(self.sources),
            "position": self.position,
            "upvotes": self.upvotes,
            "keywords": list(self.keywords),
            "added": self.added,
            "arxiv_comments": self.arxiv_comments,
            "journal_ref": self.journal_ref,
            "doi": self.doi,
            "report_no": self.report_no,
            "license": self.license,
            "primary_category": self.primary_category,
            "categories": list(self.categories),
            "version": self.version,
            "submitted": self.submitted,
            "revised": self.revised,
            "affiliations": list(self.affiliations),
            "submitter": self.submitter,
            "announce_type": self.announce_type,
            "name_parts": [list(parts) for parts in self.name_parts],
            "hf_comment_count": self.hf_comment_count,
            "github_repo": self.github_repo,
            "github_stars": self.github_stars,
            "project_page": self.project_page,
            "ai_summary": self.ai_summary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        date = data.get("date")
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            abstract=str(data.get("abstract") or ""),
            date=dt.date.fromisoformat(date) if date else None,
            authors=tuple(data.get("authors") or ()),
            arxiv_id=data.get("arxiv_id"),
            links=tuple(Link.from_dict(link) for link in data.get("links") or ()),
            sources=tuple(data.get("sources") or ()),
            position=int(data.get("position") or 0),
            upvotes=data.get("upvotes"),
            keywords=tuple(data.get("keywords") or ()),
            added=str(data.get("added") or ""),
            **_arxiv_fields(data),
            # a record stored before the rename calls Hugging Face's count `comments`
            hf_comment_count=_count(data.get("hf_comment_count", data.get("comments"))),
            github_repo=str(data.get("github_repo") or ""),
            github_stars=_count(data.get("github_stars")),
            project_page=str(data.get("project_page") or ""),
            ai_summary=str(data.get("ai_summary") or ""),
        )


def _arxiv_fields(data: dict[str, Any]) -> dict[str, Any]:
    """arXiv's fields read back from JSON (older records have none: the defaults)."""
    texts = ("arxiv_comments", "journal_ref", "doi", "report_no", "license")
    found: dict[str, Any] = {name: str(data.get(name) or "") for name in texts}
    found |= {n: str(data.get(n) or "") for n in ("primary_category", "submitted", "revised")}
    found |= {n: str(data.get(n) or "") for n in ("submitter", "announce_type")}
    found["categories"] = tuple(str(c) for c in data.get("categories") or ())
    found["affiliations"] = tuple(str(a) for a in data.get("affiliations") or ())
    found["version"] = _count(data.get("version"))
    found["name_parts"] = tuple(
        (str(p[0]), str(p[1]), str(p[2])) for p in data.get("name_parts") or () if len(p) == 3
    )
    return found


def _count(value: Any) -> int | None:
    """A count read back from JSON: an int, or None (older records have none)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class PaperRow:
    """What a list row needs, read from an index column without loading the whole paper."""

    id: str
    title: str
    date: dt.date | None
    added: str = ""

    def encode(self) -> bytes:
        date = self.date.isoformat() if self.date else ""
        return "\x1f".join((self.id, self.title, date, self.added)).encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> PaperRow:
        pid, title, date, added = data.decode("utf-8").split("\x1f")
        return cls(pid, title, dt.date.fromisoformat(date) if date else None, added)


@dataclass(frozen=True, kw_only=True)
class RowResult:
    """A search for the reader's list: light rows, how many matched, and what to highlight."""

    query: str
    rows: tuple[PaperRow, ...]
    total: int
    terms: frozenset[tuple[str, str]] = frozenset()
    suggestion: str | None = None
    fell_back: bool = False
    incomplete: str | None = None  # half-typed syntax ("open quote"): its finished part was run
    order: ListOrder = "newest"  # the sort order applied


@dataclass(frozen=True, kw_only=True)
class Hit:
    """A search result: the paper, its score and the index terms that matched (for highlights)."""

    paper: Paper
    score: float = 0.0
    terms: frozenset[tuple[str, str]] = field(default_factory=frozenset)


@dataclass(frozen=True, kw_only=True)
class SearchResult:
    """What one query produced: ranked hits, the total, and a suggestion when little matched."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    suggestion: str | None = None
    fell_back: bool = False  # the syntax was malformed and plain words were searched
    incomplete: str | None = None  # half-typed syntax ("open quote"): its finished part was run
    order: ListOrder = "relevance"  # the sort order applied


@dataclass(frozen=True)
class Bookmark:
    """A bookmarked paper, with a snapshot so it survives the paper leaving the library."""

    paper_id: str
    created: str  # ISO timestamp, UTC
    snapshot: Paper
    tags: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Why:
    """Why "for you" ranks a paper high: the titles of its closest bookmarks and the words
    it shares with what you bookmarked."""

    like: tuple[str, ...]
    words: tuple[str, ...]


# What a half-typed query lacks, by SearchResult.incomplete / RowResult.incomplete (the
# parser's kinds, paperdeck.index.engine.querytext.finish_typing): its finished part is run.
UNFINISHED = {
    "open quote": "quote not closed",
    "open parenthesis": "( not closed",
    "operator at the end": "a word to follow the operator",
    "field without a value": "a value to follow the field",
    "open range": "range not closed",
}


def unfinished_note(incomplete: str) -> str:
    """The note a half-typed query is answered with: `quote not closed: matched what is
    typed so far` (the CLI prints it on stderr; the reader may show it)."""
    return f"{UNFINISHED.get(incomplete, 'an unfinished query')}: matched what is typed so far"
