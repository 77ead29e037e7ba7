"""bookmarks.json and dismissed.json: the user's marks, so every change is a locked
read-modify-write.

Each operation takes the lock, re-reads the file, applies just that change and writes it back
atomically (paperdeck.index.jsonstore, shared with the watches). Two readers open at once therefore
both
keep every mark, and a removal in one is not undone by the other. A file we cannot read is
moved aside (never overwritten); a file from a newer paperdeck is left alone and changes are
refused. `MarkFile` adds what the bookmarks and the papers marked not interested share.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

from paperdeck.index.controls import strip_controls
from paperdeck.index.errors import BookmarkFileError
from paperdeck.index.jsonstore import Change, FileKind, JsonStore
from paperdeck.index.models import Bookmark, Paper

FILE_VERSION = 1

T = TypeVar("T")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def normalise_tag(text: str) -> str:
    """A tag's one stored form, so that `tag:gan-stuff` finds what was typed `GAN Stuff`:
    case folded (as the search folds `tag:` words), and each run of spaces, commas or hyphens
    one hyphen, none at the ends. The reader's dialog and the CLI both store tags so."""
    return re.sub(r"[\s,-]+", "-", strip_controls(text).casefold()).strip("-")


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
        note=strip_controls(str(entry.get("note") or "")),  # a NUL typed or hand-edited in
    )


LISTS = ("authors", "links", "sources", "keywords", "categories", "affiliations", "name_parts")


def _optional(entry: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> bool:
    return entry.get(name) is None or isinstance(entry[name], kind)


def _mark_entry(entry: Any) -> bool:
    """Any mark: an object whose time, when there is one, is a text."""
    return isinstance(entry, dict) and _optional(entry, "created", str)


def _bookmark_entry(entry: Any) -> bool:
    """A bookmark paperdeck can show: a mark with its paper's snapshot (an id and a title),
    lists where lists belong, tags and a note of their types. Anything else is set aside."""
    if not (_mark_entry(entry) and isinstance(entry.get("paper"), dict)):
        return False
    paper = entry["paper"]
    if not (isinstance(paper.get("id"), str) and isinstance(paper.get("title"), str)):
        return False
    if not all(_optional(paper, name, list) for name in LISTS):
        return False
    if not (_optional(entry, "tags", list) and _optional(entry, "note", str)):
        return False
    try:
        _to_bookmark("", entry)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError):
        return False
    return True


class MarkFile(Generic[T]):
    """One marks file (bookmarks, not interested): `{"version": 1, KEY: {paper id: entry}}`.
    Readers are cached by mtime; writers always go through the lock."""

    KEY = "bookmarks"  # the JSON object that holds the entries

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = JsonStore(
            path, FileKind(self.KEY, FILE_VERSION, BookmarkFileError, self._valid)
        )
        self.notices = self._file.notices  # the same list: the library takes them from here
        self._cache: dict[str, T] = {}
        self._stamp: tuple[int, int] | None = None

    def _convert(self, paper_id: str, entry: dict[str, Any]) -> T:
        raise NotImplementedError

    @staticmethod
    def _valid(entry: Any) -> bool:
        return _mark_entry(entry)

    # -- reading -----------------------------------------------------------------------------
    def all(self) -> dict[str, T]:
        """Every mark by paper id, oldest first; re-read only when the file changed."""
        stamp = self._file.stamp()
        if stamp != self._stamp:
            raw = self._file.read()
            self._cache = {pid: self._convert(pid, e) for pid, e in raw.items()}
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

    def remove(self, paper_ids: Iterable[str]) -> int:
        """Take the mark off papers; returns how many had it."""
        wanted, removed = list(paper_ids), 0

        def apply(entries: dict[str, dict[str, Any]]) -> None:
            nonlocal removed
            removed += sum(entries.pop(pid, None) is not None for pid in wanted)

        self._change(apply)
        return removed

    def _add(
        self,
        paper_ids: list[str],
        new: Callable[[str], dict[str, Any]],
        refresh: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> int:
        """Mark papers (a new entry each, `refresh`ed whether new or not); returns how many
        were not marked already."""
        added = 0

        def apply(entries: dict[str, dict[str, Any]]) -> None:
            nonlocal added
            for pid in paper_ids:
                if pid not in entries:
                    entries[pid] = new(pid)
                    added += 1
                if refresh is not None:
                    refresh(pid, entries[pid])

        self._change(apply)
        return added

    def _toggle(self, paper_id: str, entry: dict[str, Any]) -> bool:
        """Take a paper's mark off, or give it this entry; returns whether it is marked."""
        state = False

        def apply(entries: dict[str, dict[str, Any]]) -> None:
            nonlocal state
            if entries.pop(paper_id, None) is None:
                entries[paper_id] = entry
                state = True

        self._change(apply)
        return state


class BookmarkStore(MarkFile[Bookmark]):
    """The bookmark file: each bookmark keeps a snapshot of its paper, tags and a note."""

    def _convert(self, paper_id: str, entry: dict[str, Any]) -> Bookmark:
        return _to_bookmark(paper_id, entry)

    @staticmethod
    def _valid(entry: Any) -> bool:
        return _bookmark_entry(entry)

    def add(self, papers: Iterable[Paper]) -> int:
        """Bookmark papers (already bookmarked ones keep their date, tags and note)."""
        by_id = {paper.id: paper for paper in papers}

        def snapshot(paper_id: str, entry: dict[str, Any]) -> None:
            entry["paper"] = by_id[paper_id].to_dict()

        return self._add(
            list(by_id), lambda _: {"created": _now(), "tags": [], "note": ""}, snapshot
        )

    def toggle(self, paper: Paper) -> bool:
        """Flip one bookmark; returns whether the paper is bookmarked now."""
        entry = {"created": _now(), "tags": [], "note": "", "paper": paper.to_dict()}
        return self._toggle(paper.id, entry)

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


class DismissedStore(MarkFile[str]):
    """dismissed.json: papers marked not interested, each with when it was marked. They leave
    the default listings and teach "for you" what not to rank high."""

    KEY = "dismissed"

    def _convert(self, paper_id: str, entry: dict[str, Any]) -> str:
        return str(entry.get("created", ""))

    def add(self, paper_ids: Iterable[str]) -> int:
        """Mark papers not interested; returns how many were not already."""
        return self._add(list(paper_ids), lambda _: {"created": _now()})

    def toggle(self, paper_id: str) -> bool:
        """Flip one paper's mark; returns whether it is marked not interested now."""
        return self._toggle(paper_id, {"created": _now()})
