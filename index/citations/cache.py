"""Every citation answer kept in the cache dir with the date it was fetched.

One file per answer (`<cache>/citations/<hash>.json`: `{"version", "key", "fetched",
"answer"}`), written atomically (paperdeck.index.fsutil), so the reader works offline with what it
fetched and can say how old it is. An answer of "unknown paper" is kept too (`answer`
null), so an offline reader knows Semantic Scholar had nothing rather than asking again. A
file that cannot be read is only a cache miss: the next fetch replaces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperdeck.index.fsutil import atomic_write_text

CACHE_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class Stored:
    """One kept answer: the API's JSON as it came (None: the source did not know the paper)."""

    key: str
    answer: Any
    fetched_at: dt.datetime  # aware, UTC


class CitationCache:
    """Answers by key (`s2:paper:arXiv:2405.17428`, `openalex:work:10.7717/peerj.4375`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()
        return self.directory / f"{digest}.json"

    def get(self, key: str) -> Stored | None:
        """The kept answer for `key`, or None (never fetched, or the file is damaged)."""
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            fetched = dt.datetime.fromisoformat(data["fetched"])
            if data["key"] != key or data["version"] > CACHE_VERSION or fetched.tzinfo is None:
                return None
            return Stored(key=key, answer=data["answer"], fetched_at=fetched)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, answer: Any, now: dt.datetime | None = None) -> Stored:
        """Keep an answer (replacing the one before, whole or not at all)."""
        fetched = now or dt.datetime.now(dt.UTC)
        record = {
            "version": CACHE_VERSION, "key": key,
            "fetched": fetched.isoformat(timespec="seconds"), "answer": answer,
        }  # fmt: skip
        atomic_write_text(self._path(key), json.dumps(record, ensure_ascii=False))
        return Stored(key=key, answer=answer, fetched_at=fetched.replace(microsecond=0))
