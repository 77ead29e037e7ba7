"""What the user has seen: which imports' papers are no longer "new" (`is:new`, the reader's
marks), kept in state.json.

New is defined per import: a paper is new while the import that brought it has not been shown
by a reader that has since quit. A reader marks the imports it showed seen when it quits
(Library.end_session), merged under the lock with what other readers marked, so a second
reader started meanwhile still shows what the first does, and a restart after both shows
only what came since. The first reader ever opened counts the imports before it as seen
(nothing is new the first time), and writes the file, so no later one says it is the first.

state.json: {"version": 1, "imports": {"<import time, UTC ISO>": {"seen_at": "..."}}}. An
earlier paperdeck's {"last_opened": T} is read as every import up to T seen, and rewritten
in this layout by the next opening.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperdeck.index.catalog import CatalogDamaged, read_catalog
from paperdeck.index.errors import LibraryError
from paperdeck.index.jsonstore import Entries, FileKind, JsonStore, Unreadable, load_json
from paperdeck.index.models import utc_iso

NO_IMPORT = "1970-01-01T00:00:00.000000+00:00"  # an earlier paperdeck's "never opened"


def _valid(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("seen_at", ""), str)


STATE_FILE = FileKind("imports", 1, LibraryError, _valid)


@dataclass(frozen=True, kw_only=True)
class NewSince:
    """Papers added after `since` are new; `first`: no reader had opened the library."""

    since: str
    first: bool


def new_since(stamps: Sequence[str], seen: set[str]) -> str:
    """Just before the first import not seen (the engine's `is:new` is `added > since`);
    now when all are seen (a bookmark's paper from a digest since removed is not new)."""
    unseen = [stamp for stamp in stamps if stamp not in seen]
    if not unseen:
        return utc_iso(dt.datetime.now(dt.UTC).isoformat())
    moment = dt.datetime.fromisoformat(min(unseen)) - dt.timedelta(microseconds=1)
    return utc_iso(moment.isoformat())


def _legacy_seen(path: Path, stamps: Sequence[str]) -> set[str] | None:
    """An earlier paperdeck's state.json ({"last_opened": T}): the imports up to T are seen.
    None when the file is not in that layout."""
    try:
        data = load_json(path)
    except (Unreadable, OSError):  # (JsonStore says so, and sets it aside)
        return None
    if not (isinstance(data, dict) and set(data) == {"last_opened"}):
        return None
    last = data["last_opened"]
    try:
        until = utc_iso(last) if isinstance(last, str) else NO_IMPORT
    except (ValueError, OverflowError):
        return None
    return {stamp for stamp in stamps if stamp <= until}


def import_stamps(library_file: Path) -> list[str]:
    """Each import's time as its papers' `added` says it (a damaged catalog: none; the
    library recovers it on its next read)."""
    try:
        records = read_catalog(library_file).records
    except CatalogDamaged:
        return []
    return [utc_iso(record.imported_at) for record in records]


class SeenImports:
    """state.json on a JsonStore, against the imports of the catalog `library_file`; its
    notices go to the library's `notices`."""

    def __init__(self, path: Path, library_file: Path, notices: list[str]) -> None:
        self.path, self._library_file, self._notices = path, library_file, notices
        self._store = JsonStore(path, STATE_FILE)

    def end_session(self) -> None:
        """A reader quits: the imports of the catalog are seen."""
        self.mark_seen(import_stamps(self._library_file))

    def opened(self) -> NewSince:
        return self.open(import_stamps(self._library_file))

    def recalled(self) -> NewSince:
        return self.recall(import_stamps(self._library_file))

    def recall(self, stamps: Sequence[str]) -> NewSince:
        """What is new now, without marking anything (the CLI's `is:new`)."""
        legacy = _legacy_seen(self.path, stamps)
        if legacy is not None:
            return NewSince(since=new_since(stamps, legacy), first=False)
        if not self.path.exists():
            return NewSince(since=new_since(stamps, set(stamps)), first=True)
        seen = set(self._read())
        if not self.path.exists():  # (damaged, and set aside: as if never opened)
            return NewSince(since=new_since(stamps, set(stamps)), first=True)
        return NewSince(since=new_since(stamps, seen), first=False)

    def open(self, stamps: Sequence[str]) -> NewSince:
        """A reader opens: the first one ever (or after an earlier paperdeck's file) writes
        the file, the imports so far seen; later ones change nothing."""
        now = self.recall(stamps)
        legacy = _legacy_seen(self.path, stamps)
        if now.first or legacy is not None:
            self._write_layout(set(stamps) if now.first else legacy or set())
        return now

    def mark_seen(self, stamps: Iterable[str]) -> None:
        """These imports were shown by a reader now quitting: no longer new."""
        wanted, now = set(stamps), dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

        def apply(entries: Entries) -> None:
            for stamp in wanted - set(entries):
                entries[stamp] = {"seen_at": now}

        self._store.change(apply)
        self._take_notices()

    def _read(self) -> Entries:
        entries = self._store.read()
        self._take_notices()
        return entries

    def _write_layout(self, seen: set[str]) -> None:
        """This layout in place of none or an earlier one (atomically, under the lock)."""
        from paperdeck.index.fsutil import atomic_write_text

        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        payload = {"version": 1, "imports": {stamp: {"seen_at": now} for stamp in sorted(seen)}}
        try:
            with self._store.locked():
                if self.path.exists() and _legacy_seen(self.path, []) is None:
                    return  # another reader wrote this layout meanwhile
                atomic_write_text(self.path, json.dumps(payload, indent=2))
        except (OSError, LibraryError):  # a read-only data dir: nothing marked next time
            return

    def _take_notices(self) -> None:
        self._notices.extend(self._store.notices)
        self._store.notices.clear()
