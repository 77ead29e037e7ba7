"""Commands that read papers: list, search, show, similar, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.tui.cli import citations
from paperdeck.tui.cli.common import (
    EMPTY_LIBRARY,
    NO_BOOKMARKS,
    OK,
    NotFound,
    UsageError,
    emit_json,
    plural,
    print_papers,
    resolve_id,
)

if TYPE_CHECKING:
    from paperdeck.index.library import Library


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    if not args.bookmarked and library_is_missing(library):
        raise NotFound(EMPTY_LIBRARY)  # (nothing is printed: `--json` prints no `[]`)
    library.recall_last_opening()
    marks = library.bookmark_ids()
    if args.bookmarked:
        papers = library.listing(True, args.sort)[: args.limit]
    else:
        result = library.query("", limit=args.limit, order=args.sort)
        papers = [hit.paper for hit in result.hits]
        _say_order(args.sort, result.order if papers else args.sort)
    print_papers(papers, marks, args.json)
    if not papers:
        raise NotFound(NO_BOOKMARKS if args.bookmarked else EMPTY_LIBRARY)
    return OK


def _say_order(asked: str, applied: str) -> None:
    """For you needs a bookmark to learn from: say so when it fell back to newest (and
    only then: relevance without words is newest, as asked)."""
    if asked == "for-you" and applied != asked:
        print(
            "paperdeck: for-you learns from your bookmarks and none is in the library yet "
            "(`paperdeck bookmark add ID`): newest first instead",
            file=sys.stderr,
        )


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    if library_is_missing(library):
        raise NotFound(EMPTY_LIBRARY)
    library.recall_last_opening()  # `is:new`: added since the reader was last opened
    result = library.query(text, limit=args.limit, order=args.sort)
    papers = [hit.paper for hit in result.hits]
    scores = [hit.score for hit in result.hits]
    print_papers(papers, library.bookmark_ids(), args.json, scores)
    _say_order(args.sort, result.order if papers else args.sort)
    if result.suggestion:
        print(f"paperdeck: did you mean: {result.suggestion}", file=sys.stderr)
    if not papers and result.incomplete:
        raise NotFound(f"{text!r} is unfinished ({result.incomplete}): nothing to match yet")
    if result.incomplete:  # half-typed: answered as far as it goes, and said so
        from paperdeck.index.models import unfinished_note

        print(f"paperdeck: {unfinished_note(result.incomplete)}", file=sys.stderr)
    if not papers:
        raise NotFound(f"no papers match {text!r}" if library.count() else EMPTY_LIBRARY)
    return OK


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    import shutil
    import textwrap

    from paperdeck.index.library import arxiv_lines, authors_text, paper_record, signals_line

    paper = library.get_or_bookmarked(resolve_id(library, args.id))
    assert paper is not None  # resolve_id found it
    mark = library.bookmark(paper.id)
    tags, note = (mark.tags, mark.note) if mark else ((), "")
    if args.json:
        when = mark.created if mark else None  # as `bookmarks --json` has it
        emit_json(
            [paper_record(paper, mark is not None, bookmarked_at=when, tags=list(tags), note=note)]
        )
        return OK
    width = min(shutil.get_terminal_size((88, 24)).columns, 100)
    print(paper.title + ("  [bookmarked]" if mark else ""))
    if tags:  # the user's own words about it, beside the bookmark state
        print("tags: " + ", ".join(tags))
    if note:
        print(f"note: {note}")
    print(f"id: {paper.id}    date: {paper.date.isoformat() if paper.date else 'unknown'}")
    if paper.authors:
        print("authors: " + authors_text(paper))
    for label, text in arxiv_lines(paper):
        print(f"{label}: {text}")
    if paper.keywords:
        print("keywords: " + ", ".join(paper.keywords))
    if signals := signals_line(paper):
        print(signals)
    for link in paper.links:  # a split one's label says so already: "check it" once
        print(
            f"link: {link.url}  (split by spaces in the text; check it)"
            if link.broken
            else f"{link.label}: {link.url}"
        )
    print()
    if paper.ai_summary:
        print(textwrap.fill("AI summary: " + paper.ai_summary, width=width))
        print()
    print(textwrap.fill(paper.abstract or "(no abstract)", width=width))
    return OK


def cmd_similar(library: Library, args: argparse.Namespace) -> int:
    paper_id = resolve_id(library, args.id)
    if library.get(paper_id) is None:
        raise NotFound(f"{paper_id} is only a bookmark now, not in the index: nothing to compare")
    hits = library.similar(paper_id, limit=args.limit)
    scores = [hit.score for hit in hits]
    print_papers([h.paper for h in hits], library.bookmark_ids(), args.json, scores)
    if not hits:
        raise NotFound(f"no other paper is like {paper_id}")
    return OK


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    """An export of the papers in the library (not those marked not interested, unless
    --include-dismissed), saying what it left out; -o never writes over a file unasked."""
    from paperdeck.index.library import NothingToExport

    target = Path(args.output).expanduser() if args.output else None
    if target is not None and target.is_file() and not args.force:
        raise UsageError(f"{args.output} exists; --force writes over it")
    if args.queue:  # the reading queue, in its order (issue 22: tui/cli/citations.py)
        return citations.cmd_export_queue(library, args)
    if library_is_missing(library):
        raise NotFound(EMPTY_LIBRARY)
    try:  # one export for the CLI and the reader: Library.export
        out = None if args.output else sys.stdout  # streamed: memory does not grow with it
        done = library.export(
            args.format, args.bookmarked, target, overwrite=args.force, out=out,
            dismissed=args.include_dismissed,
        )  # fmt: skip
    except NothingToExport:  # no empty file: say so instead
        raise NotFound(NO_BOOKMARKS if args.bookmarked else EMPTY_LIBRARY) from None
    except FileExistsError:  # made meanwhile: still not written over
        raise UsageError(f"{args.output} exists; --force writes over it") from None
    left = f"{done.left_out:,} dismissed left out, --include-dismissed to keep them"
    if args.output:
        said = f"wrote {plural(done.papers, 'paper')} to {args.output}"
        print(said + (f"; {left}" if done.left_out else ""), file=sys.stderr)
    elif done.left_out:
        print(f"paperdeck: {left}", file=sys.stderr)
    return OK


def library_is_missing(library: Library) -> bool:
    """No digest imported: answer "empty" without opening (and so creating) an index."""
    return not library.digests()
