"""What every command shares: exit codes, the errors that set them, and printing papers."""

from __future__ import annotations

import json
from typing import Any

from index.errors import PaperdeckError
from index.export import paper_record
from index.models import Paper

OK, NOTHING_FOUND, BAD_INPUT = 0, 1, 2


class UsageError(PaperdeckError):
    """The command line itself is wrong: exit 2."""


def emit_json(records: list[dict[str, Any]]) -> None:
    print(json.dumps(records, indent=2, ensure_ascii=False))


def paper_line(paper: Paper, bookmarked: bool, score: float | None = None) -> str:
    """One paper as a list line: score, bookmark star, id, date, title."""
    mark = "*" if bookmarked else " "
    date = paper.date.isoformat() if paper.date else "----------"
    prefix = f"{score:6.2f}  " if score is not None else ""
    return f"{prefix}{mark} {paper.id:<16} {date}  {paper.title}"


def print_papers(
    papers: list[Paper], marks: set[str], as_json: bool, scores: list[float] | None = None
) -> int:
    """Papers as lines or JSON records; exit 1 when there are none."""
    if as_json:
        emit_json(
            [
                paper_record(p, p.id in marks, **({"score": round(scores[i], 4)} if scores else {}))
                for i, p in enumerate(papers)
            ]
        )
    else:
        for i, paper in enumerate(papers):
            print(paper_line(paper, paper.id in marks, scores[i] if scores else None))
    return OK if papers else NOTHING_FOUND
