"""What an index generation holds (`meta.json` in its directory), read without Whoosh.

The library file (paperdeck.index.catalog) names the live generation; the generation's own meta file
says which schema built it and which digests it holds, so a generation that does not match
its catalog (another paperdeck version, a cache copied from elsewhere) is rebuilt rather than
trusted. Kept apart from paperdeck.index.engine.store so that reading it imports no Whoosh: the
reader draws
its first rows from the generation's listing file before Whoosh is even loaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from paperdeck.index.engine.listing import read_listing
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.models import PaperRow

SCHEMA_VERSION = 12  # of paperdeck.index.engine.store.make_schema: another version means a rebuild
# 10: accents folded in titles, abstracts, authors and the vocabulary
# (paperdeck.index.engine.analysis)
# 11: Hugging Face's signals: `upvotes` and `has` fields, comments, GitHub and AI summary kept
META = "meta.json"


class IndexStale(Exception):
    """The index cannot be used as it is; the message says why (shown when rebuilding)."""


def read_meta(gen_dir: Path, expected_digests: list[str] | None) -> dict[str, Any]:
    """The generation's meta, or IndexStale saying why it cannot serve these digests (any
    digests when None: the catalog's recovery looks for the generation that fits)."""
    try:
        data = json.loads((gen_dir / META).read_text("utf-8"))
    except FileNotFoundError:
        raise IndexStale("index files missing") from None
    except (OSError, ValueError) as exc:
        raise IndexStale(f"index unreadable ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        raise IndexStale("index built by another version of paperdeck")
    if expected_digests is not None and sorted(data.get("digests", [])) != sorted(expected_digests):
        raise IndexStale("index does not match the imported digests")
    return data


def write_meta(gen_dir: Path, digests: list[str], papers: int) -> None:
    data = {"schema": SCHEMA_VERSION, "digests": sorted(digests), "papers": papers}
    atomic_write_text(gen_dir / META, json.dumps(data, indent=1))


def peek_listing(
    gen_dir: Path | None, expected_digests: list[str], limit: int
) -> tuple[list[PaperRow], int] | None:
    """The first listing rows and the paper count of a generation; None when it would not
    open as it is (none named, another schema, other digests)."""
    if gen_dir is None:
        return None
    try:
        meta = read_meta(gen_dir, expected_digests)
    except IndexStale:
        return None
    papers = meta.get("papers")
    if papers is None:
        return None
    rows = read_listing(gen_dir, limit)
    return None if rows is None else (rows, int(papers))


def generation_metas(index_dir: Path) -> list[tuple[str, list[str], int]]:
    """Each generation's (name, digests, papers) by its meta, newest first: what a lost
    catalog is recovered from."""
    found: list[tuple[int, str, list[str], int]] = []
    try:
        dirs = [p for p in index_dir.iterdir() if p.is_dir()]
    except OSError:
        return []
    for gen_dir in dirs:
        try:
            meta = read_meta(gen_dir, None)
        except IndexStale:
            continue
        digests, papers = meta.get("digests"), meta.get("papers")
        if isinstance(digests, list) and all(isinstance(d, str) for d in digests):
            count = papers if isinstance(papers, int) else 0
            found.append((gen_dir.stat().st_mtime_ns, gen_dir.name, digests, count))
    return [(name, digests, papers) for _, name, digests, papers in sorted(found, reverse=True)]
