"""The reference: what a user would otherwise pick, SQLite FTS5 with the porter tokenizer.

A deliberately small, honest implementation: one table, `ORDER BY rank LIMIT 50`, prefix
queries as FTS5 writes them (`tok*`). It reads the corpus the bench imported: a digest in the
sample's format with a minimal paragraph splitter, or an arXiv snapshot line by line (title,
abstract and authors of each JSON line, as paperdeck indexes them).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

_DATE_RE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$")
_CHROME = {"new", "Get trending papers in your email inbox!", "Subscribe"}

Row = tuple[str, str, str]  # title, abstract, authors


def read_digest_rows(path: Path) -> list[Row]:
    paragraphs = [p.strip() for p in path.read_text("utf-8").split("\n\n")]
    body = [p for p in paragraphs if p and p not in _CHROME and not _DATE_RE.match(p)]
    return [(title, abstract, "") for title, abstract in zip(body[0::2], body[1::2], strict=False)]


def read_snapshot_rows(path: Path) -> Iterator[Row]:
    """One row per JSON line, streamed (a snapshot of gigabytes is never held whole)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            fields = json.loads(line)
            yield fields["title"], fields.get("abstract") or "", fields.get("authors") or ""


def read_rows(path: Path) -> Iterable[Row]:
    return read_snapshot_rows(path) if path.suffix == ".json" else read_digest_rows(path)


class Fts5:
    def __init__(self, db_path: Path) -> None:
        self.db = sqlite3.connect(db_path)
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS papers USING fts5(title, abstract, authors,"
            " tokenize='porter unicode61')"
        )

    def load(self, rows: Iterable[Row]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO papers(title, abstract, authors) VALUES (?, ?, ?)", rows
            )

    def search(self, match: str, limit: int = 50) -> list[int]:
        rows = self.db.execute(
            "SELECT rowid FROM papers WHERE papers MATCH ? ORDER BY rank LIMIT ?", (match, limit)
        )
        return [row[0] for row in rows]


def quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def typed_query(text: str) -> str:
    """What the reader sends while typing, in FTS5 syntax: words ANDed, the last a prefix."""
    words = re.findall(r"\w+", text)
    if not words:
        return ""
    parts = [quote(w) for w in words[:-1]]
    last = words[-1]
    parts.append(f"({quote(last)} OR {quote(last)}*)" if not text.endswith(" ") else quote(last))
    return " AND ".join(parts)
