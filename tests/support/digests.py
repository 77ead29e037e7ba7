"""Synthetic digests for tests: arXiv snapshot lines and the sample many times over."""

from __future__ import annotations

import json
from pathlib import Path


def snapshot_line(number: int, abstract: str = "", categories: str = "cs.CL") -> str:
    """One line of the arXiv snapshot, dated 2023-01-01 plus `number` days."""
    day = 1 + number % 28
    return json.dumps(
        {
            "id": f"2301.{number:05d}",
            "title": f"Paper number {number} on\n  topic {number % 7}",
            "abstract": abstract or f"  An abstract about topic {number % 7}, paper {number}.\n",
            "authors": "Ada Lovelace and Alan Turing",
            "categories": categories,
            "versions": [{"version": "v1", "created": f"Mon, {day} Jan 2023 10:00:00 GMT"}],
            "update_date": f"2023-01-{day:02d}",
        }
    )


def snapshot(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def write_snapshot(path: Path, lines: list[str]) -> Path:
    """The arXiv snapshot of these lines, written to path."""
    path.write_bytes(snapshot(lines))
    return path


def big_digest(sample_bytes: bytes, copies: int, tag: str) -> bytes:
    """The sample's papers `copies` times over, each copy with its own titles."""
    paragraphs = [p for p in sample_bytes.decode().split("\n\n") if p.strip()][5:]
    out = ["Mar 12, 2026"]
    for n in range(copies):
        for title, abstract in zip(paragraphs[0::2], paragraphs[1::2], strict=True):
            out += [f"{title} ({tag} {n})", abstract]
    return "\n\n".join(out).encode()


def write_numbered(path: Path, numbers: range, revised: int | None = None) -> Path:
    """The snapshot of papers `numbers`, the `revised` one with a new abstract."""
    lines = [snapshot_line(n, "A revision." if n == revised else "") for n in numbers]
    path.write_bytes(snapshot(lines))
    return path
