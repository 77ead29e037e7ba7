"""The reading queue and read/unread marks: the user's own data, kept as bookmarks are.

`queue.json` holds the papers to read in the user's own order (the order of its entries);
`read.json` the papers marked read, with when. Every change is a locked read-modify-write
through paperdeck.index.jsonstore (atomic, merged with other paperdeck processes, a damaged file set
aside), so two readers changing the queue at once both keep their changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.jsonstore import Entries, FileKind, JsonStore

FILE_VERSION = 1


class ReadingError(PaperdeckError):
    """The queue or the read marks cannot be changed as asked (a paper not in the queue)."""


@dataclass(frozen=True, kw_only=True)
class QueueItem:
    paper_id: str
    position: int  # 1 for the first paper to read
    added: str  # ISO time, UTC


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _valid(entry: Any) -> bool:
    return isinstance(entry, dict)


def _reorder(entries: Entries, order: list[str]) -> None:
    """Rewrite `entries` in place in `order` (the file keeps its entries' order)."""
    kept = {key: entries[key] for key in order}
    entries.clear()
    entries.update(kept)


class ReadingQueue:
    """queue.json: papers to read, first first."""

    def __init__(self, data_dir: Path) -> None:
        self._file = JsonStore(
            data_dir / "queue.json", FileKind("queue", FILE_VERSION, ReadingError, _valid)
        )
        self.notices = self._file.notices

    def items(self) -> list[QueueItem]:
        return [
            QueueItem(paper_id=key, position=n, added=str(entry.get("added", "")))
            for n, (key, entry) in enumerate(self._file.read().items(), 1)
        ]

    def ids(self) -> list[str]:
        return list(self._file.read())

    def add(self, paper_ids: Iterable[str], *, first: bool = False) -> int:
        """Queue papers at the end (or the front); a paper queued already stays where it is.
        Returns how many were new to the queue."""
        wanted, added = list(dict.fromkeys(paper_ids)), 0

        def apply(entries: Entries) -> None:
            nonlocal added
            new = [pid for pid in wanted if pid not in entries]
            added = len(new)
            for pid in new:
                entries[pid] = {"added": _now()}
            if first:
                _reorder(entries, new + [key for key in entries if key not in new])

        self._file.change(apply)
        return added

    def remove(self, paper_ids: Iterable[str]) -> int:
        """Take papers off the queue; returns how many were on it."""
        wanted, removed = list(paper_ids), 0

        def apply(entries: Entries) -> None:
            nonlocal removed
            removed = sum(entries.pop(pid, None) is not None for pid in wanted)

        self._file.change(apply)
        return removed

    def move(self, paper_id: str, by: int) -> int:
        """Move a paper `by` places (negative: up, towards the front), stopping at the ends;
        returns its new position (1 is the front)."""
        position = 0

        def apply(entries: Entries) -> None:
            nonlocal position
            order = list(entries)
            if paper_id not in entries:
                raise ReadingError(f"{paper_id} is not in the reading queue")
            old = order.index(paper_id)
            new = max(0, min(len(order) - 1, old + by))
            order.insert(new, order.pop(old))
            _reorder(entries, order)
            position = new + 1

        self._file.change(apply)
        return position


class ReadMarks:
    """read.json: the papers marked read."""

    def __init__(self, data_dir: Path) -> None:
        self._file = JsonStore(
            data_dir / "read.json", FileKind("read", FILE_VERSION, ReadingError, _valid)
        )
        self.notices = self._file.notices

    def ids(self) -> set[str]:
        return set(self._file.read())

    def is_read(self, paper_id: str) -> bool:
        return paper_id in self._file.read()

    def mark(self, paper_ids: Iterable[str], *, read: bool = True) -> int:
        """Mark papers read (or unread); returns how many changed."""
        wanted, changed = list(dict.fromkeys(paper_ids)), 0

        def apply(entries: Entries) -> None:
            nonlocal changed
            if read:
                new = [pid for pid in wanted if pid not in entries]
                entries.update({pid: {"at": _now()} for pid in new})
                changed = len(new)
            else:
                changed = sum(entries.pop(pid, None) is not None for pid in wanted)

        self._file.change(apply)
        return changed

    def toggle(self, paper_id: str) -> bool:
        """Read becomes unread and unread read (the reader's `r`); returns whether it is
        read now. Decided under the lock, so another process's mark is not undone blindly."""
        now_read = False

        def apply(entries: Entries) -> None:
            nonlocal now_read
            now_read = entries.pop(paper_id, None) is None
            if now_read:
                entries[paper_id] = {"at": _now()}

        self._file.change(apply)
        return now_read
