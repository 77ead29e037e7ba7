"""Every citation answer kept in the cache dir with the date it was fetched.

One file per answer (`<cache>/citations/<hash>.json`: `{"version", "key", "fetched",
"answer"}`), written atomically (paperdeck.index.fsutil), so the reader works offline with what it
fetched and can say how old it is. A list longer than ROWS_PER_LINE rows (a paper's 10,000
citing papers) is kept as that record on its first line, its `data` empty and `lines` giving
the number of lines after it, each a JSON array of the next ROWS_PER_LINE rows (version 2):
a reader asking for the first 1,000 parses one line, not the whole answer. An answer of
"unknown paper" is kept too (`answer` null), so an offline reader knows Semantic Scholar had
nothing rather than asking again. A file that cannot be read is only a cache miss: the next
fetch replaces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from paperdeck.index.fsutil import atomic_write_text

CACHE_VERSION = 2  # 1: one JSON document; 2: a long list's rows on lines of their own
ROWS_PER_LINE = 1000


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

    def get(self, key: str, rows: int | None = None) -> Stored | None:
        """The kept answer for `key`, or None (never fetched, or the file is damaged). With
        `rows`, a long list's answer holds at least its first `rows` rows (whole lines), and
        `lines_unread` (added here, never kept) says how many lines of rows were left."""
        try:
            with self._path(key).open("rb") as handle:
                data = json.loads(handle.readline())  # bytes: json decodes them at once
                fetched = dt.datetime.fromisoformat(data["fetched"])
                if data["key"] != key or data["version"] > CACHE_VERSION or not fetched.tzinfo:
                    return None
                answer = data["answer"]
                if data.get("lines"):
                    answer = _rows_read(handle, answer, int(data["lines"]), rows)
            return Stored(key=key, answer=answer, fetched_at=fetched)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, answer: Any, now: dt.datetime | None = None) -> Stored:
        """Keep an answer (replacing the one before, whole or not at all)."""
        fetched = now or dt.datetime.now(dt.UTC)
        record = {
            "version": 1, "key": key,  # (1: an older paperdeck still reads it)
            "fetched": fetched.isoformat(timespec="seconds"), "answer": answer,
        }  # fmt: skip
        rows = answer.get("data") if isinstance(answer, dict) else None
        lines: list[str] = []
        if isinstance(rows, list) and len(rows) > ROWS_PER_LINE:
            lines = [
                _dumps(rows[n : n + ROWS_PER_LINE]) for n in range(0, len(rows), ROWS_PER_LINE)
            ]
            record |= {"version": 2, "answer": {**answer, "data": []}, "lines": len(lines)}
        atomic_write_text(self._path(key), "\n".join([_dumps(record), *lines]))
        return Stored(key=key, answer=answer, fetched_at=fetched.replace(microsecond=0))


def _dumps(value: Any) -> str:
    """One line of JSON (strings keep their newlines escaped)."""
    return json.dumps(value, ensure_ascii=False)


def _rows_read(handle: BinaryIO, answer: Any, lines: int, rows: int | None) -> Any:
    """A long list's answer with its rows read from the lines after the first, as many
    lines as `rows` needs (all: None); a line missing is a damaged file (ValueError)."""
    data: list[Any] = []
    read = 0
    while read < lines and (rows is None or len(data) < rows):
        line = handle.readline()
        if not line:
            raise ValueError("a kept list ends early")
        data.extend(json.loads(line))
        read += 1
    left = {"lines_unread": lines - read} if read < lines else {}
    return {**answer, "data": data, **left}
