"""What every command shares: exit codes, the errors that set them, and printing papers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from paperdeck.index.errors import PaperdeckError

if TYPE_CHECKING:
    from paperdeck.index.library import Library
    from paperdeck.index.models import Paper

# NETWORK: the network or a source did not answer (fetch, citations): not bad input.
OK, NOTHING_FOUND, BAD_INPUT, NETWORK = 0, 1, 2, 3
SHOWN_CANDIDATES = 4  # ids listed when a short id begins several

# What to do next, said the same way by every command that finds nothing.
FIND_IDS = "`paperdeck list` or `paperdeck search WORDS` shows ids"
EMPTY_LIBRARY = (
    "the library is empty; add papers with `paperdeck import DIGEST` or `paperdeck fetch`"
)
NO_BOOKMARKS = f"no bookmarks yet; add one with `paperdeck bookmark add ID` ({FIND_IDS})"


class UsageError(PaperdeckError):
    """The command line itself is wrong: exit 2."""

    exit_code = BAD_INPUT


class Unreachable(PaperdeckError):
    """The network (or the server) could not be reached: exit 3, not bad input."""

    exit_code = NETWORK


class NotFound(PaperdeckError):
    """Nothing to show: exit 1, with a hint of what to do instead."""

    exit_code = NOTHING_FOUND


def plural(count: int, word: str, suffix: str = "s") -> str:
    """`1 paper`, `0 papers`, `30,000 papers`: every count the CLI says."""
    return f"{count:,} {word}{'' if count == 1 else suffix}"


def unknown_id(text: str) -> str:
    return f"no paper with id {text!r}; {FIND_IDS}"


def resolve_id(library: Library, text: str) -> str:
    """The paper id `text` names: the id itself, or the one id it begins (as git takes a
    short hash). Papers that have left the library but are bookmarked count too. With no
    library at all the answer is "empty", without opening (and so creating) an index."""
    if not library.digests() and not library.bookmark_ids():
        raise NotFound(EMPTY_LIBRARY)
    text = text.strip()
    if text and library.get_or_bookmarked(text) is not None:
        return text
    found = library.ids_starting(text, limit=SHOWN_CANDIDATES + 1) if text else []
    if not found:
        raise NotFound(unknown_id(text))
    if len(found) > 1:
        shown = ", ".join(found[:SHOWN_CANDIDATES])
        more = ", ..." if len(found) > SHOWN_CANDIDATES else ""
        raise UsageError(f"{text!r} begins several ids ({shown}{more}); type more of it")
    return found[0]


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
        from paperdeck.index.library import paper_record  # the export's records: JSON only

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
