"""The reference: what a user would otherwise pick, SQLite FTS5 with the porter tokenizer.

A deliberately small, honest implementation: one table, `ORDER BY rank LIMIT 50`, prefix
queries as FTS5 writes them (`tok*`). It reads the corpus with a minimal paragraph splitter.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

_DATE_RE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$")
_CHROME = {"new", "Get trending papers in your email inbox!", "Subscribe"}


def read_pairs(path: Path) -> list[tuple[str, str]]:
    paragraphs = [p.strip() for p in path.read_text("utf-8").split("\n\n")]
    body = [p for p in paragraphs if p and p not in _CHROME and not _DATE_RE.match(p)]
    return list(zip(body[0::2], body[1::2], strict=False))


class Fts5:
    def __init__(self, db_path: Path) -> None:
        self.db = sqlite3.connect(db_path)
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS papers USING fts5(title, abstract, authors,"
            " tokenize='porter unicode61')"
        )

    def load(self, pairs: list[tuple[str, str]]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO papers(title, abstract, authors) VALUES (?, ?, '')", pairs
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
