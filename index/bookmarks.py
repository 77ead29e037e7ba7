"""bookmarks.json: the user's most precious data, so every change is a locked read-modify-write.

Each operation takes the lock, re-reads the file, applies just that change and writes it back
atomically (index.jsonstore, shared with the watches). Two readers open at once therefore both
keep every bookmark, and a removal in one is not undone by the other. A file we cannot read is
moved aside (never overwritten); a file from a newer paperdeck is left alone and changes are
refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from index.errors import BookmarkFileError
from index.jsonstore import Change, FileKind, JsonStore
from index.models import Bookmark, Paper

FILE_VERSION = 1


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def normalise_tag(text: str) -> str:
    """A tag's one stored form, so that `tag:gan-stuff` finds what was typed `GAN Stuff`:
    case folded (as the search folds `tag:` words), and each run of spaces, commas or hyphens
    one hyphen, none at the ends. The reader's dialog and the CLI both store tags so."""
    return re.sub(r"[\s,-]+", "-", text.casefold()).strip("-")


def normalise_tags(texts: Iterable[str]) -> list[str]:
    """Tags as typed, each text possibly several separated by commas (as the reader's dialog
    takes them): their normal forms, sorted, each once, empty ones dropped."""
    tags = (normalise_tag(part) for text in texts for part in str(text).split(","))
    return sorted({tag for tag in tags if tag})


def _to_bookmark(paper_id: str, entry: dict[str, Any]) -> Bookmark:
    tags = entry.get("tags")
    return Bookmark(
        paper_id=paper_id,
        created=str(entry.get("created", "")),
        snapshot=Paper.from_dict(entry["paper"]),
        # Tags saved before they had a normal form are read in it, so that `tag:` finds them.
        tags=tuple(normalise_tags(tags)) if isinstance(tags, list) else (),
        note=str(entry.get("note") or ""),
    )


def _valid_entry(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("paper"), dict)


BOOKMARKS_FILE = FileKind("bookmarks", FILE_VERSION, BookmarkFileError, _valid_entry)


class BookmarkStore:
    """The bookmark file; readers are cached by mtime, writers always go through the lock
    (index.jsonstore)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = JsonStore(path, BOOKMARKS_FILE)
        self.notices = self._file.notices  # the same list: the library takes them from here
        self._cache: dict[str, Bookmark] = {}
        self._stamp: tuple[int, int] | None = None

    # -- reading -----------------------------------------------------------------------------
    def all(self) -> dict[str, Bookmark]:
        """Every bookmark by paper id, oldest first; re-read only when the file changed."""
        stamp = self._file.stamp()
        if stamp != self._stamp:
            raw = self._file.read()
            self._cache = {pid: _to_bookmark(pid, e) for pid, e in raw.items()}
            self._stamp = stamp
        return dict(self._cache)

    def ids(self) -> set[str]:
        return set(self.all())

    def stamp(self) -> tuple[int, int] | None:
        """Changes whenever the file does (another process included)."""
        return self._file.stamp()

    # -- writing -----------------------------------------------------------------------------
    def _change(self, change: Change) -> None:
        """Lock, re-read, apply, write atomically: concurrent writers merge, never clobber."""
        self._file.change(change)
        self._stamp = None

    def add(self, papers: Iterable[Paper]) -> int:
        """Bookmark papers (already bookmarked ones keep their date, tags and note)."""
        added = 0

        def apply(entries: dict[str, dict[str, Any]]) -> None:
            nonlocal added
            for paper in papers:
                if paper.id not in entries:
                    entries[paper.id] = {"created": _now(), "tags": [], "note": ""}
                    added += 1
                entries[paper.id]["paper"] = paper.to_dict()

        self._change(apply)
        return added

    def remove(self, paper_ids: Iterable[str]) -> int:
        removed = 0
        wanted = list(paper_ids)

        def apply(entries: dict[str, dict[str, Any]]) -> None:
            nonlocal removed
            for pid in wanted:
                if entries.pop(pid, None) is not None:
                    removed += 1

        self._change(apply)
        return removed

    def toggle(self, paper: Paper) -> bool:
        """Flip one bookmark; returns whether the paper is bookmarked now."""
        state = False

        def apply(entries: dict[str, dict[str, Any]]) -> None:
            nonlocal state
            if entries.pop(paper.id, None) is None:
                entries[paper.id] = {"created": _now(), "tags": [], "note": ""}
                entries[paper.id]["paper"] = paper.to_dict()
                state = True

        self._change(apply)
        return state

    def annotate(self, paper_id: str, tags: Iterable[str], note: str) -> None:
        """Set a bookmark's tags (in their normal form, `normalise_tag`) and note."""
        clean_tags = normalise_tags(tags)

        def apply(entry: dict[str, Any]) -> None:
            entry["tags"] = clean_tags
            entry["note"] = note.strip()

        self._edit(paper_id, apply)

    def retag(
        self, paper_id: str, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> tuple[str, ...]:
        """Add and remove some of a bookmark's tags, leaving the others; its tags now."""
        adding, removing = normalise_tags(add), set(normalise_tags(remove))
        result: list[str] = []

        def apply(entry: dict[str, Any]) -> None:
            kept = [t for t in normalise_tags(entry.get("tags") or ()) if t not in removing]
            result[:] = normalise_tags([*kept, *adding])
            entry["tags"] = result

        self._edit(paper_id, apply)
        return tuple(result)

    def set_note(self, paper_id: str, note: str) -> None:
        """Set a bookmark's note; an empty one clears it."""
        self._edit(paper_id, lambda entry: entry.update(note=note.strip()))

    def _edit(self, paper_id: str, change: Callable[[dict[str, Any]], None]) -> None:
        """Change one existing bookmark's entry, under the lock like every change."""

        def apply(entries: dict[str, dict[str, Any]]) -> None:
            if paper_id not in entries:
                raise BookmarkFileError(f"{paper_id} is not bookmarked")
            change(entries[paper_id])

        self._change(apply)
