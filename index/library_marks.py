"""The facade's marks: bookmarks (with tags and notes) and papers marked not interested,
with what "for you" learns from them. Part of paperdeck.index.library's Library."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from paperdeck.index.errors import LibraryError
from paperdeck.index.links import title_key
from paperdeck.index.models import (
    Bookmark,
    Why,
)

if TYPE_CHECKING:
    pass

from paperdeck.index.library_core import Core


class Marks(Core):
    """Bookmarks and not-interested marks, on top of the core."""

    def add_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._bookmarks.add(self._require(paper_ids))

    def remove_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._bookmarks.remove(paper_ids)

    def toggle_bookmark(self, paper_id: str) -> bool:
        """Bookmark or un-bookmark; returns whether it is bookmarked now."""
        paper = self.get_or_bookmarked(paper_id)
        if paper is None:
            raise LibraryError(f"no paper with id {paper_id!r}")
        return self._bookmarks.toggle(paper)

    def tag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Add tags to a bookmark, in their normal form (paperdeck.index.bookmarks.normalise_tag:
        `GAN
        Stuff` is `gan-stuff`, as `tag:` searches it); returns its tags now."""
        return self._bookmarks.retag(paper_id, add=tags)

    def untag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Take tags off a bookmark (typed in any form); returns its tags now."""
        return self._bookmarks.retag(paper_id, remove=tags)

    def note_bookmark(self, paper_id: str, note: str) -> None:
        """Set a bookmark's note; an empty one clears it."""
        self._bookmarks.set_note(paper_id, note)

    def fresh_bookmarks(self) -> list[Bookmark]:
        """bookmark_list() with each snapshot replaced by the paper as the library knows it
        now: a later digest may have given it authors, or an arXiv id (a new id: it is then
        found by its title). One that has left the library keeps its snapshot."""
        marks, fresh = self.bookmark_list(), []
        with self._reading() as engine:
            for mark in marks:
                paper = engine.get(mark.paper_id)
                if paper is None and mark.snapshot.arxiv_id is None:
                    same = engine.same_title(title_key(mark.snapshot.title))
                    paper = same[0] if len(same) == 1 else None
                snapshot = paper or mark.snapshot
                fresh.append(Bookmark(mark.paper_id, mark.created, snapshot, mark.tags, mark.note))
        return fresh

    def dismissed_ids(self) -> set[str]:
        """The papers marked not interested: out of listings and searches but `is:dismissed`."""
        return self._dismissed.ids()

    def dismiss(self, paper_ids: Iterable[str]) -> int:
        """Mark papers not interested (each must be in the library); returns how many were
        not already."""
        return self._dismissed.add([paper.id for paper in self._require(paper_ids)])

    def undismiss(self, paper_ids: Iterable[str]) -> int:
        """Take the not-interested mark off papers; returns how many had it."""
        return self._dismissed.remove(paper_ids)

    def toggle_dismissed(self, paper_id: str) -> bool:
        """Mark a paper not interested, or take the mark off; returns whether it has it now."""
        if paper_id not in self._dismissed.ids():
            self._require([paper_id])
        return self._dismissed.toggle(paper_id)

    def why(self, paper_id: str) -> Why | None:
        """Why "for you" ranks a paper where it does: its two closest bookmarks' titles and
        the words it shares with what you bookmarked; None without a bookmark in the
        library. Trains the ranking first if the marks changed (numpy: call it off the UI)."""
        marks = self._bookmarks.all()
        self._prepare("for-you")
        with self._reading() as engine:
            found = engine.why(paper_id, list(marks), self._dismissed.ids())
        if found is None:
            return None
        like, words = found
        return Why(tuple(marks[pid].snapshot.title for pid in like if pid in marks), tuple(words))

    def bookmark(self, paper_id: str) -> Bookmark | None:
        """One bookmark with its tags and note; None when the paper is not bookmarked."""
        return self._bookmarks.all().get(paper_id)

    def annotate(self, paper_id: str, tags: Iterable[str], note: str) -> None:
        """Set a bookmark's tags (typed in any form, stored normalised) and note at once, as
        the reader's dialog saves them."""
        self._bookmarks.annotate(paper_id, tags, note)
