"""The `paperdeck` command line. Every command goes through `index.library.Library`.

Exit codes: 0 success, 1 nothing found, 2 bad input or usage. Errors are one line on stderr.
The reader (Textual) is imported only when it is opened, so commands start fast.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from index import __version__
from index.digest import FORMATS as DIGEST_FORMATS
from index.errors import PaperdeckError
from index.export import FORMATS as EXPORT_FORMATS
from index.export import export, paper_record
from index.fetch import days_of, fetch_days
from index.library import Library
from index.models import Paper

OK, NOTHING_FOUND, BAD_INPUT = 0, 1, 2
COMMANDS = ("import", "list", "search", "show", "similar", "bookmark", "bookmarks", "export")
COMMANDS += ("digests", "remove-digest", "fetch", "rebuild", "open")


class UsageError(PaperdeckError):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `paperdeck --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="paperdeck", description="Read research-paper digests in a terminal.")
    parser.add_argument("--version", action="version", version=f"paperdeck {__version__}")
    parser.add_argument("--data-dir", help="keep the library here (or set PAPERDECK_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    opener = sub.add_parser("open", help="open the reader (the default); import DIGESTs first")
    opener.add_argument("digests", nargs="*", metavar="DIGEST")
    imp = sub.add_parser("import", help="import digests; one summary line per file")
    imp.add_argument("digests", nargs="+", metavar="DIGEST")
    imp.add_argument("--explain", action="store_true", help="list what was skipped and why")
    imp.add_argument("--format", choices=DIGEST_FORMATS, help="skip sniffing: read as this format")
    lst = sub.add_parser("list", help="list papers, newest first")
    lst.add_argument("--bookmarked", action="store_true")
    lst.add_argument("--json", action="store_true")
    find = sub.add_parser("search", help="full-text search (Whoosh syntax works)")
    find.add_argument("query", nargs="+", help="words or Whoosh syntax; quote phrases")
    find.add_argument("--limit", type=_positive_int, default=20)
    find.add_argument("--json", action="store_true")
    show = sub.add_parser("show", help="show one paper")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    similar = sub.add_parser("similar", help="papers most like one paper")
    similar.add_argument("id")
    similar.add_argument("--limit", type=_positive_int, default=10)
    similar.add_argument("--json", action="store_true")
    mark = sub.add_parser("bookmark", help="add or remove bookmarks")
    mark.add_argument("action", choices=("add", "remove"))
    mark.add_argument("ids", nargs="+", metavar="ID")
    marks = sub.add_parser("bookmarks", help="list bookmarks")
    marks.add_argument("--json", action="store_true")
    exp = sub.add_parser("export", help="export papers as bibtex, markdown, json or csv")
    exp.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    exp.add_argument("--bookmarked", action="store_true")
    exp.add_argument("-o", "--output", metavar="FILE")
    sub.add_parser("digests", help="list imported digests")
    remove = sub.add_parser("remove-digest", help="take an imported digest out of the library")
    remove.add_argument("name", help="its file name, as `paperdeck digests` lists it")
    fetch = sub.add_parser("fetch", help="download Hugging Face daily papers and import them")
    period = fetch.add_mutually_exclusive_group()
    period.add_argument("--date", help="YYYY-MM-DD (default: today)")
    period.add_argument("--week", help="YYYY-Www, e.g. 2024-W22")
    period.add_argument("--month", help="YYYY-MM")
    sub.add_parser("rebuild", help="rebuild the search index from the raw digests")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _with_default_command(argv: list[str]) -> list[str]:
    """`paperdeck a.txt` means `paperdeck open a.txt`: put `open` before the first operand."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--data-dir":
            index += 2
            continue
        if token.startswith("-") and token != "-":
            index += 1
            continue
        return argv if token in COMMANDS else [*argv[:index], "open", *argv[index:]]
    return [*argv, "open"] if not any(t in ("-h", "--help", "--version") for t in argv) else argv


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(_with_default_command(args_list))
        library = Library(args.data_dir)
        try:
            code = HANDLERS[args.command](library, args)
        finally:
            library.close()
        _print_notices(library)
        return code
    except PaperdeckError as exc:
        print(f"paperdeck: {exc}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except Exception as exc:  # a bug, not the user's doing: still one line unless asked
        if os.environ.get("PAPERDECK_DEBUG"):
            raise
        print(f"paperdeck: internal error: {exc!r} (PAPERDECK_DEBUG=1 shows more)", file=sys.stderr)
        return BAD_INPUT


def _print_notices(library: Library) -> None:
    for notice in library.take_notices():
        print(f"paperdeck: {notice}", file=sys.stderr)


# -- output helpers ----------------------------------------------------------------------------
def _emit_json(records: list[dict]) -> None:
    print(json.dumps(records, indent=2, ensure_ascii=False))


def _line(paper: Paper, bookmarked: bool, score: float | None = None) -> str:
    mark = "*" if bookmarked else " "
    date = paper.date.isoformat() if paper.date else "----------"
    prefix = f"{score:6.2f}  " if score is not None else ""
    return f"{prefix}{mark} {paper.id:<16} {date}  {paper.title}"


def _print_papers(papers: list[Paper], marks: set[str], as_json: bool, scores=None) -> int:
    if as_json:
        extra = (lambda i: {"score": round(scores[i], 4)}) if scores else (lambda i: {})
        _emit_json([paper_record(p, p.id in marks, **extra(i)) for i, p in enumerate(papers)])
    else:
        for i, paper in enumerate(papers):
            print(_line(paper, paper.id in marks, scores[i] if scores else None))
    return OK if papers else NOTHING_FOUND


# -- commands ----------------------------------------------------------------------------------
def cmd_open(library: Library, args: argparse.Namespace) -> int:
    for name in args.digests:
        if not Path(name).exists() and re.fullmatch(r"[a-z][a-z-]*", name):
            raise UsageError(f"unknown command {name!r} (and no such file); see `paperdeck --help`")
    for report in library.import_digests(args.digests):
        print(report.summary(), file=sys.stderr)
    from tui.app import run_reader  # Textual loads only for the reader

    run_reader(library)
    return OK


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    failed = False
    for path in args.digests:
        try:
            report = library.import_digest(path, args.format)
        except PaperdeckError as exc:
            print(f"paperdeck: {exc}", file=sys.stderr)
            failed = True
            continue
        print(report.summary())
        for warning in report.warnings:
            print(f"paperdeck: warning: {warning}", file=sys.stderr)
        if args.explain:
            for skipped in report.skipped:
                print(f"  skipped {skipped.describe()}")
    return BAD_INPUT if failed else OK


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    marks = library.bookmark_ids()
    papers = library.listing(args.bookmarked)
    return _print_papers(papers, marks, args.json)


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    result = library.query(text, limit=args.limit)
    papers = [hit.paper for hit in result.hits]
    if result.suggestion:
        print(f"paperdeck: did you mean: {result.suggestion}", file=sys.stderr)
    if not papers and not args.json:
        print(f"paperdeck: no papers match {text!r}", file=sys.stderr)
    scores = [hit.score for hit in result.hits]
    return _print_papers(papers, library.bookmark_ids(), args.json, scores)


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    paper = library.get_or_bookmarked(args.id)
    if paper is None:
        print(f"paperdeck: no paper with id {args.id!r}", file=sys.stderr)
        return NOTHING_FOUND
    marked = paper.id in library.bookmark_ids()
    if args.json:
        _emit_json([paper_record(paper, marked)])
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
    return _print_papers([h.paper for h in hits], library.bookmark_ids(), args.json, scores)


def cmd_bookmark(library: Library, args: argparse.Namespace) -> int:
    if args.action == "add":
        added = library.add_bookmarks(args.ids)
        print(f"bookmarked {added} paper(s); {len(args.ids) - added} already were")
    else:
        removed = library.remove_bookmarks(args.ids)
        print(f"removed {removed} bookmark(s)")
        if removed < len(set(args.ids)):
            return NOTHING_FOUND
    return OK


def cmd_bookmarks(library: Library, args: argparse.Namespace) -> int:
    marks = library.bookmark_list()
    if args.json:
        records = []
        for mark in marks:
            extra = {"bookmarked_at": mark.created, "tags": list(mark.tags), "note": mark.note}
            records.append(paper_record(mark.snapshot, True, **extra))
        _emit_json(records)
        return OK if marks else NOTHING_FOUND
    for mark in marks:
        tags = f"  [{', '.join(mark.tags)}]" if mark.tags else ""
        print(_line(mark.snapshot, True) + tags)
    return OK if marks else NOTHING_FOUND


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


def cmd_digests(library: Library, args: argparse.Namespace) -> int:
    records = library.digests()
    for record in records:
        when = record.imported_at[:16].replace("T", " ")
        print(f"{record.name}  imported {when}  {record.papers} papers ({record.new} new)")
    return OK if records else NOTHING_FOUND


def cmd_remove_digest(library: Library, args: argparse.Namespace) -> int:
    record = library.remove_digest(args.name)
    print(f"removed {record.name}; the library now holds {library.count()} papers")
    return OK


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    days = days_of(args.date, args.week, args.month)
    imported = 0
    for fetched in fetch_days(days):
        if fetched.count == 0:
            print(f"{fetched.day}: no papers that day")
            continue
        report = library.import_bytes(fetched.data, fetched.name, "hf-json")
        print(report.summary())
        imported += report.papers
    return OK if imported else NOTHING_FOUND


def cmd_rebuild(library: Library, args: argparse.Namespace) -> int:
    count = library.rebuild()
    print(f"rebuilt the index: {count} papers")
    return OK


HANDLERS = {
    "open": cmd_open,
    "import": cmd_import,
    "list": cmd_list,
    "search": cmd_search,
    "show": cmd_show,
    "similar": cmd_similar,
    "bookmark": cmd_bookmark,
    "bookmarks": cmd_bookmarks,
    "export": cmd_export,
    "digests": cmd_digests,
    "remove-digest": cmd_remove_digest,
    "fetch": cmd_fetch,
    "rebuild": cmd_rebuild,
}

if __name__ == "__main__":
    sys.exit(main())
