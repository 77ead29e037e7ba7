"""Commands that read papers: list, search, show, similar, export."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from pathlib import Path

from index.export import export, paper_record
from index.library import Library
from tui.cli.common import NOTHING_FOUND, OK, UsageError, emit_json, print_papers


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    marks = library.bookmark_ids()
    papers = library.listing(args.bookmarked)
    return print_papers(papers, marks, args.json)


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    result = library.query(text, limit=args.limit)
    papers = [hit.paper for hit in result.hits]
    if result.suggestion:
        print(f"paperdeck: did you mean: {result.suggestion}", file=sys.stderr)
    if not papers and not args.json:
        print(f"paperdeck: no papers match {text!r}", file=sys.stderr)
    scores = [hit.score for hit in result.hits]
    return print_papers(papers, library.bookmark_ids(), args.json, scores)


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    paper = library.get_or_bookmarked(args.id)
    if paper is None:
        print(f"paperdeck: no paper with id {args.id!r}", file=sys.stderr)
        return NOTHING_FOUND
    marked = paper.id in library.bookmark_ids()
    if args.json:
        emit_json([paper_record(paper, marked)])
        return OK
    width = min(shutil.get_terminal_size((88, 24)).columns, 100)
    print(paper.title + ("  [bookmarked]" if marked else ""))
    print(f"id: {paper.id}    date: {paper.date.isoformat() if paper.date else 'unknown'}")
    if paper.authors:
        print("authors: " + ", ".join(paper.authors))
    for link in paper.links:
        flag = "  (split by spaces in the text; check it)" if link.broken else ""
        print(f"{link.label}: {link.url}{flag}")
    print()
    print(textwrap.fill(paper.abstract or "(no abstract)", width=width))
    return OK


def cmd_similar(library: Library, args: argparse.Namespace) -> int:
    if library.get(args.id) is None:
        print(f"paperdeck: no paper with id {args.id!r}", file=sys.stderr)
        return NOTHING_FOUND
    hits = library.similar(args.id, limit=args.limit)
    scores = [hit.score for hit in hits]
    return print_papers([h.paper for h in hits], library.bookmark_ids(), args.json, scores)


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    marks = library.bookmark_ids()
    papers = library.listing(args.bookmarked)
    text = export(args.format, papers, marks)
    if args.output:
        try:
            Path(args.output).write_text(text, "utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        print(f"exported {len(papers)} papers to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return OK if papers else NOTHING_FOUND
