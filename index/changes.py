"""What changed in the library on disk since a token: how a long-running reader follows
another process's imports and marks.

A token is a stat of the files that say what the library holds: the catalog (library.json,
which names the live index generation: its replacement is every commit) and the user's own
files. Each is replaced by an atomic rename, so its inode changes with every write even when
its time and size do not (a coarse clock, the same size); a missing file is a stamp too. A
token costs a few stat calls and reads no file, so it can be taken every second.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# What each kind of change is, and the data dir's files that make it.
WATCHED: dict[str, tuple[str, ...]] = {
    "catalog": ("library.json",),  # an import, a removal, a rebuild (the commit point)
    "marks": ("bookmarks.json", "dismissed.json"),  # bookmarks, tags, notes, not interested
    "watches": ("watches.json",),
    "reading": ("queue.json", "read.json"),
    "seen": ("state.json",),  # what the user has seen (new papers)
}

Stamp = tuple[int, int, int] | None  # (st_mtime_ns, st_size, st_ino), None: no such file


@dataclass(frozen=True, kw_only=True)
class ChangeToken:
    """The stamps of the watched files at one moment."""

    stamps: tuple[tuple[str, Stamp], ...]

    def changed_since(self, before: ChangeToken | None) -> frozenset[str]:
        """The kinds (WATCHED's keys) whose files differ from `before`'s; every kind when
        there is no `before`."""
        return changed_kinds(before, self)


def _stamp(path: Path) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:  # (missing, or unreadable for now: either way a stamp of its own)
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def change_token(data_dir: Path) -> ChangeToken:
    """Stat every watched file of `data_dir` (reads none)."""
    names = (name for files in WATCHED.values() for name in files)
    return ChangeToken(stamps=tuple((name, _stamp(data_dir / name)) for name in names))


def changed_kinds(before: ChangeToken | None, after: ChangeToken) -> frozenset[str]:
    """The kinds of change between two tokens of one data dir."""
    if before is None:
        return frozenset(WATCHED)
    earlier = dict(before.stamps)
    moved = {name for name, stamp in after.stamps if earlier.get(name, stamp) != stamp}
    return frozenset(kind for kind, files in WATCHED.items() if moved.intersection(files))
