"""Commands that change what the library holds: open, import, digests, remove-digest, fetch,
rebuild."""

from __future__ import annotations

import argparse
import sys

from index.errors import PaperdeckError
from index.fetch import days_of, fetch_days
from index.library import Library
from tui.cli.common import BAD_INPUT, EMPTY_LIBRARY, NOTHING_FOUND, OK, NotFound


def cmd_open(library: Library, args: argparse.Namespace) -> int:
    for report in library.import_digests(args.digests):
        print(report.summary(), file=sys.stderr)
    from tui.app import run_reader  # Textual loads only for the reader
    from tui.cli import leave_termination_to_default

    leave_termination_to_default()
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


def cmd_digests(library: Library, args: argparse.Namespace) -> int:
    records = library.digests()
    for record in records:
        when = record.imported_at[:16].replace("T", " ")
        print(f"{record.name}  imported {when}  {record.papers} papers ({record.new} new)")
    if not records:
        raise NotFound(EMPTY_LIBRARY)
    return OK


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
