"""watches.json: saved searches that say what is new.

A watch is a name and a query. What it has "seen" is the set of paper ids that matched it
when it was last marked seen (when it was added, opened in the reader, or `watch seen`); its
new papers are the matches outside that set. Ids, not a date or an import time: a digest of
old papers imported today still brings new papers, and an import that started before a watch
was marked seen but committed after it is not lost. The file is the user's own data, kept as
bookmarks are (paperdeck.index.jsonstore: locked, atomic, a damaged file set aside).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperdeck.index.clean import squash_whitespace
from paperdeck.index.controls import strip_controls
from paperdeck.index.errors import WatchError
from paperdeck.index.jsonstore import Entries, FileKind, JsonStore

FOLLOW_PREFIX = "follow:"  # a follow for citations among the watches: `follow:2405.17428`

FILE_VERSION = 1
MAX_NAME = 60


@dataclass(frozen=True)
class Watch:
    """A saved search and the ids of its matches when it was last marked seen."""

    name: str
    query: str
    created: str  # ISO time, UTC
    seen: frozenset[str] = frozenset()
    seen_at: str = ""  # when it was last marked seen (ISO time, UTC)


@dataclass(frozen=True, kw_only=True)
class WatchStatus:
    """A watch now: how many papers match it, and how many of those it has not seen."""

    name: str
    query: str
    matches: int
    new: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON record `paperdeck watch list --json` prints (a stable contract)."""
        return {"name": self.name, "query": self.query, "matches": self.matches, "new": self.new}


@dataclass(frozen=True, kw_only=True)
class WatchGain:
    """What one import or fetch brought a watch."""

    name: str
    new: int

    def summary(self) -> str:
        return f"{self.name}: {self.new} new"


def _valid_entry(entry: Any) -> bool:
    """A watch paperdeck can run: a text query; its times texts and what it has seen a list
    of ids, where they are given. Anything else is set aside (its query is the user's)."""
    if not (isinstance(entry, dict) and isinstance(entry.get("query"), str)):
        return False
    times = all(isinstance(entry.get(name) or "", str) for name in ("created", "seen_at"))
    seen = entry.get("seen")
    return times and (
        seen is None or (isinstance(seen, list) and all(isinstance(s, str) for s in seen))
    )


WATCHES_FILE = FileKind("watches", FILE_VERSION, WatchError, _valid_entry)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def clean_name(text: str) -> str:
    """A watch's name as stored: one line, spaces squashed; refused when empty or long."""
    name = squash_whitespace(strip_controls(text)).strip()
    if not name:
        raise WatchError("a watch needs a name")
    if len(name) > MAX_NAME:
        raise WatchError(f"a watch's name is at most {MAX_NAME} characters")
    return name


def clean_query(text: str) -> str:
    query = squash_whitespace(strip_controls(text)).strip()
    if not query:
        raise WatchError("a watch needs a query: the words or syntax to search for")
    return query


def _to_watch(name: str, entry: dict[str, Any]) -> Watch:
    seen = entry.get("seen")
    return Watch(
        name=name,
        query=str(entry["query"]),
        created=str(entry.get("created") or ""),
        seen=frozenset(s for s in seen if isinstance(s, str))
        if isinstance(seen, list)
        else frozenset(),
        seen_at=str(entry.get("seen_at") or ""),
    )


class WatchStore:
    """The watches file; read again only when it changed, every change under the lock."""

    def __init__(self, path: Path) -> None:
        self._file = JsonStore(path, WATCHES_FILE)
        self.notices = self._file.notices
        self._cache: dict[str, Watch] = {}
        self._stamp: tuple[int, int] | None = None

    def all(self) -> list[Watch]:
        """Every watch, in the order they were added."""
        stamp = self._file.stamp()
        if stamp != self._stamp:
            self._cache = {name: _to_watch(name, e) for name, e in self._file.read().items()}
            self._stamp = stamp
        return list(self._cache.values())

    def get(self, name: str) -> Watch:
        """The watch of that name (in any case); an unknown name says which there are."""
        watches = self.all()
        wanted = name.strip().casefold()
        for watch in watches:
            if watch.name.casefold() == wanted:
                return watch
        known = ", ".join(w.name for w in watches)
        raise WatchError(
            f"no watch named {name!r} ({'watches: ' + known if known else 'none yet'})"
        )

    def add(self, name: str, query: str, seen: Iterable[str]) -> Watch:
        """A new watch that has seen `seen` (the papers it matches now)."""
        name, query, now = clean_name(name), clean_query(query), _now()
        ids = sorted(set(seen))

        def apply(entries: Entries) -> None:
            for key in entries:
                if key.casefold() == name.casefold():
                    raise WatchError(f"there is already a watch named {key!r}")
            entries[name] = {"query": query, "created": now, "seen": ids, "seen_at": now}

        self._change(apply)
        return Watch(name, query, now, frozenset(ids), now)

    def remove(self, name: str) -> Watch:
        watch = self.get(name)
        self._change(lambda entries: entries.pop(watch.name, None))
        return watch

    def mark_seen(self, name: str, seen: Iterable[str]) -> None:
        """Remember `seen` (its matches now) as what the watch has seen."""
        watch, ids, now = self.get(name), sorted(set(seen)), _now()

        def apply(entries: Entries) -> None:
            if watch.name not in entries:
                raise WatchError(f"the watch {watch.name!r} was just removed")
            entries[watch.name].update(seen=ids, seen_at=now)

        self._change(apply)

    def add_seen(self, name: str, seen: Iterable[str]) -> None:
        """Add `seen` (the papers the reader showed) to what the watch has seen, merged
        under the lock: what it had seen before stays seen, the rest of its matches new."""
        watch, ids, now = self.get(name), set(seen), _now()

        def apply(entries: Entries) -> None:
            if watch.name not in entries:
                raise WatchError(f"the watch {watch.name!r} was just removed")
            before = entries[watch.name].get("seen")
            earlier = (
                {s for s in before if isinstance(s, str)} if isinstance(before, list) else set()
            )
            entries[watch.name].update(seen=sorted(earlier | ids), seen_at=now)

        self._change(apply)

    def _change(self, change: Any) -> None:
        self._file.change(change)
        self._stamp = None
