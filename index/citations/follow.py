"""Following papers and tags for citations, and what is new since the last look.

`follows.json` (data dir) names what is followed: a paper id, or `tag:NAME` for every paper
of a tag (the caller expands tags, as the bookmarks know them). `citers.json` keeps, for each
followed paper, the ids of the citing papers seen so far; a refresh compares a new answer
with them, so it can say "3 new papers cite “MUVERA …”". The first answer for a paper is its
baseline: nothing is new on the day a paper is followed, as a watch starts with what matches.
Both files are the user's own data, kept as bookmarks are (paperdeck.index.jsonstore: locked, merged
with other processes, atomic, a damaged file set aside).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from paperdeck.index.bookmarks import normalise_tag
from paperdeck.index.citations.http import CitationSourceError
from paperdeck.index.citations.models import CitedPaper
from paperdeck.index.errors import PaperdeckError
from paperdeck.index.jsonstore import Entries, FileKind, JsonStore
from paperdeck.index.models import Progress

if TYPE_CHECKING:
    from paperdeck.index.citations.source import CitationSource

FILE_VERSION = 1
FOLLOW_LIMIT = 1000  # citing papers asked per followed paper and refresh (one request)
TAG_PREFIX = "tag:"


class FollowError(PaperdeckError):
    """A follow that cannot be made or changed (an empty name, a file from a newer paperdeck)."""


FollowKind = Literal["paper", "tag"]  # what a follow follows: one paper, or a tag's papers


@dataclass(frozen=True, kw_only=True)
class Followed:
    """One thing followed: a paper (`name` its id) or a tag (`name` the tag)."""

    target: str  # as stored: `2405.17428` or `tag:retrieval`
    kind: FollowKind
    name: str
    created: str  # ISO time, UTC


@dataclass(frozen=True, kw_only=True)
class FollowedPaper:
    """A followed paper as a refresh needs it: its id, how the sources know it, its title."""

    paper_id: str
    ref: str  # arXiv id or DOI
    title: str


@dataclass(frozen=True, kw_only=True)
class CitationAlert:
    """What one refresh found for one followed paper."""

    paper_id: str
    title: str
    new: tuple[CitedPaper, ...]
    first_check: bool  # the baseline answer: nothing counts as new yet

    def summary(self) -> str:
        """`3 new papers cite “MUVERA …”`, as `citations refresh` prints it."""
        count = len(self.new)
        verb = "paper cites" if count == 1 else "papers cite"
        return f"{count} new {verb} “{self.title or self.paper_id}”"

    def to_dict(self) -> dict[str, Any]:
        return {
            "paper_id": self.paper_id, "title": self.title, "first_check": self.first_check,
            "new": [{"key": p.key, "title": p.title, "year": p.year} for p in self.new],
        }  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class FollowRefresh:
    """One refresh of the followed papers: an alert for each paper answered, and one line
    for each paper that could not be (the rest went on)."""

    alerts: tuple[CitationAlert, ...]
    problems: tuple[str, ...]

    @property
    def news(self) -> tuple[CitationAlert, ...]:
        """The alerts worth a line: papers with new citing papers."""
        return tuple(alert for alert in self.alerts if alert.new)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _follow_entry(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("created"), str)


def _citers_entry(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("ids"), list)


def normalise_target(text: str) -> str:
    """`Tag: GAN Stuff` -> `tag:gan-stuff` (tags as bookmarks store them); a paper id as
    typed, trimmed. Refused when empty."""
    raw = text.strip()
    if raw.casefold().startswith(TAG_PREFIX):
        tag = normalise_tag(raw[len(TAG_PREFIX) :])
        if not tag:
            raise FollowError("follow tag:NAME needs a tag name")
        return TAG_PREFIX + tag
    if not raw or any(c.isspace() for c in raw):
        raise FollowError("follow needs a paper id or tag:NAME")
    return raw


class Follows:
    """follows.json and citers.json in the data dir."""

    def __init__(self, data_dir: Path) -> None:
        self._follows = JsonStore(
            data_dir / "follows.json", FileKind("follows", FILE_VERSION, FollowError, _follow_entry)
        )
        self._citers = JsonStore(
            data_dir / "citers.json", FileKind("citers", FILE_VERSION, FollowError, _citers_entry)
        )

    @property
    def notices(self) -> list[str]:
        """Files set aside or read-only, for the library to pass on."""
        return self._follows.notices + self._citers.notices

    def clear_notices(self) -> None:
        self._follows.notices.clear()
        self._citers.notices.clear()

    def follow(self, target: str) -> bool:
        """Follow a paper or `tag:NAME`; False when it was followed already."""
        key, added = normalise_target(target), False

        def apply(entries: Entries) -> None:
            nonlocal added
            added = key not in entries
            entries.setdefault(key, {"created": _now()})

        self._follows.change(apply)
        return added

    def unfollow(self, target: str) -> bool:
        """Stop following; False when it was not followed. The citers seen are kept, so
        following it again later does not call old citations new."""
        key, removed = normalise_target(target), False

        def apply(entries: Entries) -> None:
            nonlocal removed
            removed = entries.pop(key, None) is not None

        self._follows.change(apply)
        return removed

    def all(self) -> list[Followed]:
        """Everything followed, oldest first."""
        return [_followed(key, entry) for key, entry in self._follows.read().items()]

    def paper_ids(self, tag_papers: Callable[[str], Iterable[str]]) -> list[str]:
        """The papers followed, each once: papers by id, tags through `tag_papers(tag)`."""
        found: dict[str, None] = {}
        for item in self.all():
            ids = tag_papers(item.name) if item.kind == "tag" else [item.name]
            found.update(dict.fromkeys(ids))
        return list(found)

    def seen(self, paper_id: str) -> frozenset[str]:
        """The keys (CitedPaper.key) of the papers seen citing `paper_id` so far."""
        entry = self._citers.read().get(paper_id, {})
        return frozenset(str(key) for key in entry.get("ids", []))

    def record(
        self, paper_id: str, citing: Sequence[CitedPaper], *, title: str = ""
    ) -> CitationAlert:
        """Compare an answer's citing papers with those seen, keep them all as seen, and say
        which are new (none on the first answer for a paper)."""
        new: tuple[CitedPaper, ...] = ()
        first = False

        def apply(entries: Entries) -> None:
            nonlocal new, first
            entry = entries.get(paper_id)
            first = entry is None
            before = set() if entry is None else {str(key) for key in entry["ids"]}
            fresh = {p.key: p for p in citing if p.key not in before}
            new = () if first else tuple(fresh.values())
            ids = [str(key) for key in (entry or {}).get("ids", [])] + list(fresh)
            unseen = _unseen(entry) + [cited_record(p) for p in new]
            entries[paper_id] = {"ids": ids, "checked": _now(), "title": title, "new": unseen}

        self._citers.change(apply)
        return CitationAlert(paper_id=paper_id, title=title, new=new, first_check=first)

    def unseen(self, paper_id: str) -> list[CitedPaper]:
        """The citing papers refreshes called new since the follow was last marked seen
        (what `follows show --new` lists and a feed carries), newest find last."""
        return [paper for paper, _ in self.unseen_found(paper_id)]

    def unseen_found(self, paper_id: str) -> list[tuple[CitedPaper, str]]:
        """`unseen` with when each was found (ISO, UTC): a feed's entries keep that time."""
        entry = self._citers.read().get(paper_id)
        return [(cited_from_record(r), _iso_or_blank(r.get("found"))) for r in _unseen(entry)]

    def checked(self, paper_id: str) -> str:
        """When the paper's citing papers were last fetched (ISO, UTC); "" never."""
        return str(self._citers.read().get(paper_id, {}).get("checked", ""))

    def mark_seen(self, paper_ids: Iterable[str]) -> int:
        """Nothing is new to these papers' follows any more; returns how many were new."""
        wanted, cleared = list(paper_ids), 0

        def apply(entries: Entries) -> None:
            nonlocal cleared
            for pid in wanted:
                if pid in entries:
                    cleared += len(_unseen(entries[pid]))
                    entries[pid] = {**entries[pid], "new": []}

        self._citers.change(apply)
        return cleared


def _iso_or_blank(value: Any) -> str:
    """A kept time as it was, or "" when it is not one (a hand-edited file)."""
    try:
        return value if isinstance(value, str) and dt.datetime.fromisoformat(value) else ""
    except ValueError:
        return ""


def _unseen(entry: Any) -> list[dict[str, Any]]:
    new = entry.get("new") if isinstance(entry, dict) else None
    return [r for r in new if isinstance(r, dict)] if isinstance(new, list) else []


def cited_record(paper: CitedPaper) -> dict[str, Any]:
    """A citing paper as citers.json keeps it, for the list and the feed of new ones."""
    return {
        "title": paper.title, "source": paper.source, "authors": list(paper.authors),
        "year": paper.year, "venue": paper.venue, "arxiv_id": paper.arxiv_id, "doi": paper.doi,
        "s2_id": paper.s2_id, "openalex_id": paper.openalex_id, "found": _now(),
    }  # fmt: skip


def cited_from_record(record: dict[str, Any]) -> CitedPaper:
    def text(name: str) -> str:
        value = record.get(name)
        return value if isinstance(value, str) else ""

    year, authors = record.get("year"), record.get("authors")
    names = authors if isinstance(authors, list) else []
    return CitedPaper(
        title=text("title"), source=text("source"), venue=text("venue"),
        authors=tuple(a for a in names if isinstance(a, str)),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        arxiv_id=text("arxiv_id") or None, doi=text("doi"), s2_id=text("s2_id"),
        openalex_id=text("openalex_id"),
    )  # fmt: skip


def _followed(key: str, entry: dict[str, Any]) -> Followed:
    is_tag = key.startswith(TAG_PREFIX)
    return Followed(
        target=key, kind="tag" if is_tag else "paper",
        name=key[len(TAG_PREFIX) :] if is_tag else key, created=str(entry["created"]),
    )  # fmt: skip


def refresh_follows(
    source: CitationSource,
    follows: Follows,
    papers: Sequence[FollowedPaper],
    *,
    limit: int = FOLLOW_LIMIT,
    progress: Progress | None = None,
) -> FollowRefresh:
    """Ask for each followed paper's citing papers afresh and record them: the alerts say
    what is new. A paper the sources do not know is passed over; a paper whose answer could
    not be fetched is a problem line, and its seen papers stay as they were."""
    alerts: list[CitationAlert] = []
    problems: list[str] = []
    for done, paper in enumerate(papers, 1):
        try:
            got = source.cited_by(paper.ref, limit=limit, refresh=True)
        except CitationSourceError as exc:
            got, problems = None, [*problems, f"{paper.paper_id}: {exc}"]
        if got is not None and got.stale:
            problems.append(f"{paper.paper_id}: {got.note}")
        elif got is not None:
            alerts.append(follows.record(paper.paper_id, got.value.papers, title=paper.title))
        if progress:
            progress(done, len(papers))
    return FollowRefresh(alerts=tuple(alerts), problems=tuple(problems))
