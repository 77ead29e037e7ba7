"""Watches against the library: their matches, what is new, what an import brought, feeds.

The library's facade (paperdeck.index.library) delegates here; this module only runs searches
through
the two calls it is given, so it needs no engine and no lock of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from paperdeck.index.links import title_key
from paperdeck.index.models import Paper, PaperRow
from paperdeck.index.watches import Watch, WatchGain, WatchStatus, WatchStore

Rows = Callable[[str], Sequence[PaperRow]]  # every row matching a query
Get = Callable[[str], Paper | None]
Snapshot = dict[str, frozenset[str]]  # watch name -> the ids matching it


@dataclass(frozen=True, kw_only=True)
class Watched:
    """One of a watch's papers, and whether the watch has not seen it yet."""

    paper: Paper
    new: bool


def known(row: PaperRow, ids: frozenset[str]) -> bool:
    """Whether `ids` hold this paper: its id, or the title id it had before a later digest
    gave it an arXiv id (the page's text, then the day's JSON: one paper, seen once)."""
    if not row.added:  # no import brought it as new: an arXiv replacement of an older paper
        return True
    return row.id in ids or (not row.id.startswith("t-") and title_key(row.title) in ids)


def newest_first(rows: Sequence[PaperRow]) -> list[PaperRow]:
    """Newest day first, then the latest import (a search ranks; a watch lists)."""
    return sorted(rows, key=lambda r: (r.date or dt.date.min, r.added, r.id), reverse=True)


@dataclass(frozen=True, kw_only=True)
class WatchRows:
    """A watch's matches as a list shows them: its new papers first, then newest first."""

    name: str
    query: str
    rows: tuple[PaperRow, ...]
    new_ids: frozenset[str]


class Watching:
    def __init__(self, store: WatchStore, rows: Rows, get: Get, empty: Callable[[], bool]):
        self.store, self._rows, self._get, self._empty = store, rows, get, empty

    def _matches(self, watch: Watch) -> Sequence[PaperRow]:
        return () if self._empty() else self._rows(watch.query)

    def _status(self, watch: Watch) -> WatchStatus:
        rows = self._matches(watch)
        new = sum(1 for row in rows if not known(row, watch.seen))
        return WatchStatus(name=watch.name, query=watch.query, matches=len(rows), new=new)

    def statuses(self) -> list[WatchStatus]:
        return [self._status(watch) for watch in self.store.all()]

    def status(self, name: str) -> WatchStatus:
        return self._status(self.store.get(name))

    def add(self, name: str, query: str) -> WatchStatus:
        """A new watch; what matches it now counts as seen, so "new" starts from here."""
        matches = [] if self._empty() else [row.id for row in self._rows(query.strip())]
        watch = self.store.add(name, query, matches)
        return WatchStatus(name=watch.name, query=watch.query, matches=len(matches), new=0)

    def seen(self, name: str, shown: Iterable[str] | None = None) -> WatchStatus:
        """Mark the watch's matches seen, or only those `shown` (the rest stay new)."""
        watch = self.store.get(name)
        if shown is not None:
            self.store.add_seen(watch.name, shown)
            return self.status(watch.name)
        rows = self._matches(watch)
        self.store.mark_seen(watch.name, (row.id for row in rows))
        return WatchStatus(name=watch.name, query=watch.query, matches=len(rows), new=0)

    def rows(self, name: str) -> WatchRows:
        """The watch's matches now, its new ones first (each part newest first)."""
        watch = self.store.get(name)
        rows = newest_first(self._matches(watch))
        new = frozenset(row.id for row in rows if not known(row, watch.seen))
        ordered = [r for r in rows if r.id in new] + [r for r in rows if r.id not in new]
        return WatchRows(name=watch.name, query=watch.query, rows=tuple(ordered), new_ids=new)

    def papers(self, name: str, new_only: bool, limit: int | None) -> list[Watched]:
        """A watch's papers (or only its new ones), newest first."""
        watch = self.store.get(name)
        rows = newest_first(self._matches(watch))
        if new_only:
            rows = [row for row in rows if not known(row, watch.seen)]
        found = []
        for row in rows[:limit]:
            if (paper := self._get(row.id)) is not None:
                found.append(Watched(paper=paper, new=not known(row, watch.seen)))
        found.sort(key=lambda w: w.paper.position)  # (stable:) a day's papers in page order,
        found.sort(key=lambda w: (w.paper.date or dt.date.min, w.paper.added), reverse=True)
        return found

    def feed(self, name: str, limit: int | None) -> str:
        watch = self.store.get(name)
        papers = [watched.paper for watched in self.papers(watch.name, False, limit)]
        from paperdeck.index.atom import watch_feed  # xml.etree: only for a feed

        return watch_feed(watch.name, watch.query, watch.created, papers)

    def snapshot(self) -> Snapshot:
        """What every watch matches now: compared after an import (gains)."""
        return {w.name: frozenset(r.id for r in self._matches(w)) for w in self.store.all()}

    def gains(self, before: Snapshot) -> list[WatchGain]:
        """The watches that an import (or fetch) since `before` brought unseen papers."""
        gained = []
        for watch in self.store.all():
            earlier = before.get(watch.name, frozenset())
            rows = self._matches(watch)
            new = [r for r in rows if not known(r, watch.seen) and not known(r, earlier)]
            if new:
                gained.append(WatchGain(name=watch.name, new=len(new)))
        return gained
