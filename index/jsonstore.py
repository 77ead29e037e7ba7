"""A small JSON file of the user's own data (bookmarks, watches) that is never lost.

Every change takes a cross-process lock, re-reads the file, applies just that change and writes
it back atomically, so two paperdeck processes both keep every change. A file that cannot be
read is moved aside (never overwritten) with a notice; a file from a newer paperdeck is read
but never written. BookmarkStore and WatchStore differ only in what their entries hold.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.fsutil import atomic_write_text

LOCK_TIMEOUT_S = 15.0

Entries = dict[str, dict[str, Any]]
Change = Callable[[Entries], None]


@dataclass(frozen=True)
class FileKind:
    """How one such file is laid out and how its troubles are worded."""

    section: str  # the key holding the entries: {"version": 1, "<section>": {...}}
    version: int  # the newest layout this paperdeck writes
    error: type[PaperdeckError]  # raised (one line) when the file cannot be changed
    valid: Callable[[Any], bool]  # an entry worth keeping; others are dropped on read


class JsonStore:
    """One file of entries by key; reads are cached by mtime and size, writes are locked."""

    def __init__(self, path: Path, kind: FileKind) -> None:
        self.path = path
        self.kind = kind
        self.notices: list[str] = []
        self._writable = True

    def stamp(self) -> tuple[int, int] | None:
        """Changes whenever the file does (another process included)."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def read(self) -> Entries:
        """The file's entries; a damaged file is set aside, a newer one makes us read-only."""
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(text)
            version = data["version"]
            entries = data[self.kind.section]
            if not isinstance(entries, dict) or not isinstance(version, int):
                raise ValueError("unexpected layout")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            self._set_aside()
            return {}
        if version > self.kind.version:
            self._writable = False
            self.notices.append(
                f"{self.path} was written by a newer paperdeck (version {version}); "
                f"{self.kind.section} are read-only until you upgrade"
            )
        return {key: e for key, e in entries.items() if self.kind.valid(e)}

    def _set_aside(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        os.replace(self.path, aside)
        self.notices.append(f"{self.path.name} could not be read; moved aside to {aside}")

    def change(self, change: Change) -> None:
        """Lock, re-read, apply, write atomically: concurrent writers merge, never clobber."""
        from filelock import FileLock  # imported when first needed: kept out of start-up

        error, section = self.kind.error, self.kind.section
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S):
                entries = self.read()
                if not self._writable:
                    raise error(f"{self.path} is from a newer paperdeck; not changing it")
                change(entries)
                payload = {"version": self.kind.version, section: entries}
                atomic_write_text(self.path, json.dumps(payload, indent=2, ensure_ascii=False))
        except TimeoutError:  # filelock.Timeout is one; before OSError, its base
            raise error(f"{self.path} is locked by another paperdeck") from None
        except OSError as exc:
            raise error(f"cannot save {section}: {exc.strerror or exc}") from None
