"""A small JSON file of the user's own data (bookmarks, watches) that is never lost.

Every change takes a cross-process lock, re-reads the file, applies just that change and writes
it back atomically, so two paperdeck processes both keep every change. A file that cannot be
read (not UTF-8, not JSON, nested too deeply, the wrong layout, a directory) is moved aside,
never overwritten, with a one-line notice that never quotes the file; entries of the wrong shape
are moved to a file of their own beside it the same way, so nothing the user wrote is dropped.
A file from a newer paperdeck is read but never written. BookmarkStore and WatchStore differ
only in what their entries hold.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.fsutil import atomic_write_text, fsync_dir

LOCK_TIMEOUT_S = 15.0

Entries = dict[str, dict[str, Any]]
Change = Callable[[Entries], None]


@dataclass(frozen=True)
class FileKind:
    """How one such file is laid out and how its troubles are worded."""

    section: str  # the key holding the entries: {"version": 1, "<section>": {...}}
    version: int  # the newest layout this paperdeck writes
    error: type[PaperdeckError]  # raised (one line) when the file cannot be changed
    valid: Callable[[Any], bool]  # an entry that can be used; others are set aside


class Unreadable(Exception):
    """Why a file cannot be read, in words that never quote it."""


@dataclass(frozen=True, kw_only=True)
class Parsed:
    version: int
    entries: Entries  # the entries that can be used
    bad: dict[str, Any] = field(default_factory=dict)  # those that cannot: to be set aside


def load_json(path: Path) -> Any:
    """A JSON file's value, or None when there is none; Unreadable says why it cannot be."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise Unreadable("it is a directory, not a file") from None
    except OSError as exc:  # (permissions: reported, the file left alone)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"it is not UTF-8 text (byte {exc.start:,})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"it is not JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise Unreadable("it is nested too deeply to be JSON paperdeck wrote") from None


def set_aside(path: Path, suffix: str = "unreadable") -> Path:
    """Move a file (or what stands in its place) to a free name beside it; returns that name."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.{suffix}-{stamp}")
    number = 1
    while aside.exists() or aside.is_symlink():
        number += 1
        aside = path.with_name(f"{path.name}.{suffix}-{stamp}-{number}")
    os.rename(path, aside)  # (not replace: never over an earlier one)
    fsync_dir(path.parent)
    return aside


def read_object(
    path: Path, valid: Callable[[dict[str, Any]], bool], notices: list[str]
) -> dict[str, Any]:
    """A small JSON object paperdeck keeps for itself (state.json), or {}; one that cannot be
    read or is not `valid` is set aside with a notice, so the next write starts clean."""
    try:
        data = load_json(path)
        if data is None:
            return {}
        if not (isinstance(data, dict) and valid(data)):
            raise Unreadable("it does not hold what paperdeck writes there")
    except OSError:  # (unreadable for another reason: left alone, read as empty)
        return {}
    except Unreadable as exc:
        try:
            notices.append(
                f"{path.name} could not be read ({exc}); moved aside to {set_aside(path)}"
            )
        except OSError as failed:
            notices.append(f"{path} could not be read ({exc}) nor moved aside ({failed.strerror})")
        return {}
    return data


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
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def read(self) -> Entries:
        """The file's entries; a damaged file or entry is set aside (under the lock, so that
        another process's good write is never moved), a newer file makes us read-only."""
        try:
            parsed = self._parse()
            if not parsed.bad:
                return self._accept(parsed)
        except (Unreadable, OSError):
            pass
        try:
            with self._lock():
                return self._read_locked()
        except (PaperdeckError, OSError) as exc:  # (a read-only data dir: nothing moved)
            return self._unrepaired(exc)

    def _parse(self) -> Parsed:
        data = load_json(self.path)
        if data is None:
            return Parsed(version=self.kind.version, entries={})
        section = self.kind.section
        if not isinstance(data, dict):
            raise Unreadable(f"it holds a JSON {type(data).__name__}, not an object")
        version, entries = data.get("version"), data.get(section)
        if not isinstance(version, int) or isinstance(version, bool):
            raise Unreadable("its version is not a whole number")
        if not isinstance(entries, dict):
            raise Unreadable(f"it has no {section!r} object")
        good = {key: e for key, e in entries.items() if self.kind.valid(e)}
        bad = {key: e for key, e in entries.items() if key not in good}
        return Parsed(version=version, entries=good, bad=bad)

    def _accept(self, parsed: Parsed) -> Entries:
        self._writable = parsed.version <= self.kind.version
        if not self._writable:
            self.notices.append(
                f"{self.path} was written by a newer paperdeck (version {parsed.version}); "
                f"{self.kind.section} are read-only until you upgrade"
            )
        return parsed.entries

    def _read_locked(self) -> Entries:
        """Read with the lock held, setting aside what cannot be read."""
        try:
            parsed = self._parse()
        except Unreadable as exc:
            aside = set_aside(self.path)
            self._writable = True
            self.notices.append(
                f"{self.path.name} could not be read ({exc}); moved aside to {aside}, "
                f"and {self.kind.section} start again empty"
            )
            return {}
        if parsed.bad and parsed.version <= self.kind.version:
            self._set_entries_aside(parsed)
        return self._accept(parsed)

    def _set_entries_aside(self, parsed: Parsed) -> None:
        """Entries of the wrong shape go to a file of their own; the file keeps the rest."""
        section, count = self.kind.section, len(parsed.bad)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.malformed-{stamp}")
        while aside.exists():
            aside = aside.with_name(aside.name + "-1")
        kept = {"version": parsed.version, section: parsed.bad}
        atomic_write_text(aside, json.dumps(kept, indent=2, ensure_ascii=False))
        self._write(parsed.entries, parsed.version)
        self.notices.append(
            f"{count} {'entry' if count == 1 else 'entries'} of {self.path.name} could not be "
            f"read (the wrong fields or types); moved aside to {aside}"
        )

    def _unrepaired(self, exc: Exception) -> Entries:
        """What cannot be read could not be moved aside either (a read-only data dir): read
        what can be read; a change will be refused (it cannot move it either)."""
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        path, section = self.path, self.kind.section
        try:
            parsed = self._parse()
        except OSError:
            self.notices.append(f"{path} cannot be read ({why}); {section} are left out")
            return {}
        except Unreadable as damage:
            self.notices.append(
                f"{path} could not be read ({damage}) nor moved aside ({why}); {section} "
                "are left out, and cannot be changed until it is moved"
            )
            return {}
        self.notices.append(
            f"{len(parsed.bad)} entries of {path} could not be read nor moved aside ({why}); "
            f"they are left out, and {section} cannot be changed until they are"
        )
        return self._accept(parsed)

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """The file's lock, for a write of another layout (seen.py's upgrade)."""
        return self._lock()

    @contextmanager
    def _lock(self) -> Iterator[None]:
        from filelock import FileLock  # imported when first needed (start-up: bench/README.md)

        error = self.kind.error
        try:
            with FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S):
                yield
        except TimeoutError:  # filelock.Timeout is one; before OSError, its base
            raise error(f"{self.path} is locked by another paperdeck") from None

    def _write(self, entries: Entries, version: int | None = None) -> None:
        payload = {"version": version or self.kind.version, self.kind.section: entries}
        atomic_write_text(self.path, json.dumps(payload, indent=2, ensure_ascii=False))

    def change(self, change: Change) -> None:
        """Lock, re-read, apply, write atomically: concurrent writers merge, never clobber."""
        error, section = self.kind.error, self.kind.section
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock():
                entries = self._read_locked()
                if not self._writable:
                    raise error(f"{self.path} is from a newer paperdeck; not changing it")
                change(entries)
                self._write(entries)
        except OSError as exc:
            where = exc.filename or self.path
            raise error(f"cannot save {section} to {where}: {exc.strerror or exc}") from None
