"""The reader's marks, one part of paperdeck.index.library's Library: bookmarks (with tags
and notes) and papers marked not interested, and "for you", which learns from them. It owns
bookmarks.json and dismissed.json; papers are looked up through the live index."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from paperdeck.index.bookmarks import BookmarkStore, DismissedStore
from paperdeck.index.catalog import os_failure
from paperdeck.index.errors import LibraryError
from paperdeck.index.library_index import LiveIndex
from paperdeck.index.library_quick import Quick
from paperdeck.index.library_shared import Shared
from paperdeck.index.models import Bookmark, Paper, Why

if TYPE_CHECKING:  # (made by the write side only)
    from paperdeck.index.import_report import ImportReport

# After an import adding up to this share of the library, for you's features are brought up
# to date at once (a fraction of a second); after a bigger one the reader's first for-you
# ranking reads the new papers' terms (a million papers: over a minute, not added to the import).
FOR_YOU_AFTER_SHARE = 0.05

Stamps = tuple[tuple[int, int] | None, tuple[int, int] | None]


class Marks:
    """Bookmarks and not-interested marks; every change is written at once (the stores)."""

    def __init__(self, shared: Shared, index: LiveIndex, quick: Quick | None = None) -> None:
        self._cache_dir, self._index = shared.paths.cache_dir, index
        self._quick = quick  # papers by id without the engine (paperdeck.index.library_quick)
        self._bookmarks = BookmarkStore(shared.paths.bookmarks_file)
        self._dismissed = DismissedStore(shared.paths.dismissed_file)

    def take_notices(self) -> tuple[list[str], list[str]]:
        """What the two files' readers had to say (a damaged file set aside), once: the
        bookmarks' and the not-interested marks' (the Library says them in its order)."""
        notices = [*self._bookmarks.notices], [*self._dismissed.notices]
        self._bookmarks.notices.clear()
        self._dismissed.notices.clear()
        return notices

    def stamps(self) -> Stamps:
        """The two files' stamps: an answer cached before a mark changed is not reused."""
        return self._bookmarks.stamp(), self._dismissed.stamp()

    def by_id(self) -> dict[str, Bookmark]:
        """Every bookmark by paper id (read again only when the file changed)."""
        return self._bookmarks.all()

    def _paper(self, paper_id: str) -> Paper | None:
        if self._quick is not None:
            return self._quick.paper(paper_id)
        with self._index.reading() as engine:
            return engine.get(paper_id)

    def require(self, paper_ids: Iterable[str]) -> list[Paper]:
        """The papers, each of which must be in the library."""
        papers = []
        for pid in paper_ids:
            paper = self._paper(pid)
            if paper is None:
                raise LibraryError(f"no paper with id {pid!r} (see `paperdeck list`)")
            papers.append(paper)
        return papers

    def get_or_bookmarked(self, paper_id: str) -> Paper | None:
        """The paper, or its bookmark's snapshot when it has left the library."""
        paper = self._paper(paper_id)
        if paper is None and (mark := self._bookmarks.all().get(paper_id)) is not None:
            paper = mark.snapshot
        return paper

    def bookmark_ids(self) -> set[str]:
        return self._bookmarks.ids()

    def bookmark_list(self) -> list[Bookmark]:
        """Every bookmark, newest first; each carries its snapshot of the paper."""
        return sorted(self._bookmarks.all().values(), key=lambda b: b.created, reverse=True)

    def bookmark(self, paper_id: str) -> Bookmark | None:
        return self._bookmarks.all().get(paper_id)

    def add_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._bookmarks.add(self.require(paper_ids))

    def remove_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._bookmarks.remove(paper_ids)

    def toggle_bookmark(self, paper_id: str) -> bool:
        paper = self.get_or_bookmarked(paper_id)
        if paper is None:
            raise LibraryError(f"no paper with id {paper_id!r}")
        return self._bookmarks.toggle(paper)

    def tag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        return self._bookmarks.retag(paper_id, add=tags)

    def untag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        return self._bookmarks.retag(paper_id, remove=tags)

    def note_bookmark(self, paper_id: str, note: str) -> None:
        self._bookmarks.set_note(paper_id, note)

    def annotate(self, paper_id: str, tags: Iterable[str], note: str) -> None:
        self._bookmarks.annotate(paper_id, tags, note)

    def fresh_bookmarks(self) -> list[Bookmark]:
        """bookmark_list() with each snapshot replaced by the paper as the library knows it
        now (found by its title when a later digest gave it an arXiv id); one that has left
        the library keeps its snapshot."""
        from paperdeck.index.links import title_key  # (not for the first frame's marks)

        marks, fresh = self.bookmark_list(), []
        with self._index.reading() as engine:
            for mark in marks:
                paper = engine.get(mark.paper_id)
                if paper is None and mark.snapshot.arxiv_id is None:
                    same = engine.same_title(title_key(mark.snapshot.title))
                    paper = same[0] if len(same) == 1 else None
                snapshot = paper or mark.snapshot
                fresh.append(Bookmark(mark.paper_id, mark.created, snapshot, mark.tags, mark.note))
        return fresh

    def dismissed_ids(self) -> set[str]:
        return self._dismissed.ids()

    def dismiss(self, paper_ids: Iterable[str]) -> int:
        return self._dismissed.add([paper.id for paper in self.require(paper_ids)])

    def undismiss(self, paper_ids: Iterable[str]) -> int:
        return self._dismissed.remove(paper_ids)

    def toggle_dismissed(self, paper_id: str) -> bool:
        if paper_id not in self._dismissed.ids():
            self.require([paper_id])
        return self._dismissed.toggle(paper_id)

    # -- for you: the ranking the marks train ----------------------------------------------
    def prepare_for_you(self) -> None:
        """Have for you's features of the live generation ready in the cache dir (the new
        segments' terms read and assembled); nothing to do without a bookmark."""
        if self._bookmarks.ids():
            self._index.open()
            engine = self._index.engine
            if engine.count():  # (an empty index has no segment to read terms from)
                try:
                    engine.prepare_for_you()
                except OSError as exc:  # a full or read-only cache
                    where = os_failure(self._cache_dir, exc)
                    raise LibraryError(f"cannot keep for you's features: {where}") from None

    def after_import(self, report: ImportReport, count: Callable[[], int]) -> None:
        """A head start for the reader's first for-you ranking after a small import of new
        papers (`count`: the library's papers now); a failure here only loses the head start."""
        if not report.already_imported and report.new <= FOR_YOU_AFTER_SHARE * count():
            with contextlib.suppress(OSError, LibraryError):
                self.prepare_for_you()

    def why(self, paper_id: str) -> Why | None:
        """Why "for you" ranks a paper where it does (its closest bookmarks' titles, the
        words it shares with them); None without a bookmark in the library."""
        marks = self._bookmarks.all()
        self.prepare_for_you()
        with self._index.reading() as engine:
            found = engine.why(paper_id, list(marks), self._dismissed.ids())
        if found is None:
            return None
        like, words = found
        titles = tuple(marks[pid].snapshot.title for pid in like if pid in marks)
        return Why(like=titles, words=tuple(words))
