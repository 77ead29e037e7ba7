"""The index pointer (`CURRENT`): which generation is live, for which schema and digests.

Kept apart from index.store so that reading it imports no Whoosh: the reader draws its first
rows from the live generation's listing file before Whoosh is even loaded (peek_listing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from index.fsutil import atomic_write_text
from index.listing import read_listing
from index.models import PaperRow

SCHEMA_VERSION = 9  # of index.store.make_schema: another version means a rebuild
POINTER = "CURRENT"


class IndexStale(Exception):
    """The index cannot be used as it is; the message says why (shown when rebuilding)."""


def read_pointer(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / POINTER).read_text("utf-8"))
    except FileNotFoundError:
        raise IndexStale("no index yet") from None
    except (OSError, ValueError) as exc:
        raise IndexStale(f"index pointer unreadable ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        raise IndexStale("index built by another version of paperdeck")
    return data


def write_pointer(root: Path, gen: str, digests: list[str], papers: int) -> None:
    data = {"gen": gen, "schema": SCHEMA_VERSION, "digests": sorted(digests), "papers": papers}
    atomic_write_text(root / POINTER, json.dumps(data, indent=1))


def peek_listing(
    root: Path, expected_digests: list[str], limit: int
) -> tuple[list[PaperRow], int] | None:
    """The first listing rows and the paper count of the live generation; None when the
    index would not open as it is (no pointer, another schema, other digests)."""
    try:
        pointer = read_pointer(root)
    except IndexStale:
        return None
    papers = pointer.get("papers")
    if sorted(pointer.get("digests", [])) != sorted(expected_digests) or papers is None:
        return None
    rows = read_listing(root / str(pointer["gen"]), limit)
    return None if rows is None else (rows, int(papers))
