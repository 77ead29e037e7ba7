"""Commands that change what the library holds: open, import, digests, remove-digest, fetch,
rebuild."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.index.errors import NetworkUnreachable, PaperdeckError
from paperdeck.tui.cli.common import (
    BAD_INPUT,
    EMPTY_LIBRARY,
    NOTHING_FOUND,
    OK,
    NotFound,
    Unreachable,
    UsageError,
    emit_json,
    plural,
)
from paperdeck.tui.cli.progress import ProgressLine
from paperdeck.tui.cli.watching import say_gains

if TYPE_CHECKING:
    from paperdeck.index.library import DigestRecord, FetchReport, ImportReport, Library, Selection

# A digest this big (an arXiv snapshot, ~5,000 papers and more) given to the reader is
# imported by the reader itself, with progress on its status line; a daily digest is KBs.
READER_IMPORTS_FROM_BYTES = 4 << 20


def _import_one(
    library: Library, path: str, fmt: str | None = None, selection: Selection | None = None
) -> ImportReport:
    """One digest, with a progress line if it takes a while (a big file, a busy lock): the
    papers written, of how many the file is estimated to hold, the rate and the time left."""
    with ProgressLine(f"importing {Path(path).name}") as bar:
        return library.import_digest(path, fmt, bar.update, selection)


def cmd_open(library: Library, args: argparse.Namespace) -> int:
    """Import the digests given, then open the reader. From the first big one on, the
    reader imports them itself once it is up (its status line shows the progress, the list
    the library as it was meanwhile); the small ones before it are imported here, so a bad
    daily digest still stops with one line before the reader opens."""
    if not reader_has_terminal():
        _import_without_reader(library, args.digests)
    now, later = split_at_first_big(args.digests)
    before = library.watch_snapshot() if now else {}
    for path in now:  # the first bad file stops here, before the reader opens
        print(_import_one(library, path).summary(), file=sys.stderr)
    if now:
        say_gains(library, before, err=True)
    from paperdeck.tui.app import run_reader  # Textual loads only for the reader
    from paperdeck.tui.cli import leave_termination_to_default

    leave_termination_to_default()
    run_reader(library, later)
    return OK


NEEDS_A_TERMINAL = "the reader needs a terminal (stdin, stdout and stderr)"


def reader_has_terminal() -> bool:
    """Whether the reader can run: it reads keys from stdin and draws on stderr (Textual's
    driver), and with stdout piped (`paperdeck d.txt | tee log`) nobody is looking at it."""
    try:
        return all(os.isatty(fd) for fd in (0, 1, 2))
    except OSError:
        return False


def _import_without_reader(library: Library, paths: list[str]) -> None:
    """No terminal: import what was given (all of it, the big ones too), then say in one
    line that the reader did not open (exit 2); no escape code is written."""
    before = library.watch_snapshot() if paths else {}
    for path in paths:
        print(_import_one(library, path).summary(), file=sys.stderr)
    if not paths:
        raise UsageError(f"{NEEDS_A_TERMINAL}; `paperdeck --help` lists the commands that do not")
    say_gains(library, before, err=True)
    raise UsageError(f"{NEEDS_A_TERMINAL}; imported what was given, `paperdeck list` shows it")


def split_at_first_big(paths: list[str]) -> tuple[list[str], list[str]]:
    """The digests to import before the reader opens, and the rest (in the order given)."""
    for at, path in enumerate(paths):
        try:
            size = os.stat(path).st_size
        except OSError:
            continue  # its import says what is wrong, before the reader opens
        if size >= READER_IMPORTS_FROM_BYTES:
            return paths[:at], paths[at:]
    return paths, []


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    failed = False
    from paperdeck.index.library import Selection

    selection = Selection.of(args.categories, args.since)  # a bad value: one line, exit 2
    before = library.watch_snapshot()
    for path in args.digests:
        try:
            report = _import_one(library, path, args.format, selection)
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
    say_gains(library, before)
    return BAD_INPUT if failed else OK


def cmd_digests(library: Library, args: argparse.Namespace) -> int:
    """The imported digests, oldest first: in columns, or as JSON records."""
    records = library.digests()
    if args.json:
        emit_json([_digest_record(record) for record in records])
    rows = [
        (
            record.name,
            record.sha256[:12],  # what remove-digest takes when names repeat
            "imported " + record.imported_at[:16].replace("T", " "),
            f"{plural(record.papers, 'paper')} ({record.new:,} new)",
            f"kept: {record.selection}" if record.selection else "",
        )
        for record in ([] if args.json else records)
    ]
    widths = [max((len(row[at]) for row in rows), default=0) for at in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]).rstrip())
    if not records:
        raise NotFound(EMPTY_LIBRARY)
    return OK


def _digest_record(record: DigestRecord) -> dict[str, object]:
    """One imported digest as `digests --json` prints it (a stable contract)."""
    return {
        "name": record.name,
        "key": record.sha256[:12],
        "sha256": record.sha256,
        "format": record.format,
        "imported_at": record.imported_at,
        "papers": record.papers,
        "new": record.new,
        "selection": record.selection,
    }


def cmd_remove_digest(library: Library, args: argparse.Namespace) -> int:
    with ProgressLine(f"removing {args.name}"):  # the index is rebuilt without it
        record = library.remove_digest(args.name)
    print(f"removed {record.name}; the library now holds {plural(library.count(), 'paper')}")
    return OK


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    from paperdeck.index.library import days_of

    days = days_of(args.date, args.week, args.month)
    with ProgressLine(f"fetching {days[0]}") as bar:

        def said(fetched: FetchReport, done: int, total: int) -> None:
            with bar.above():  # each day's line as it comes, above the bar
                print(fetched.summary(), flush=True)
            bar.update(done, total)
            bar.label = f"fetching {days[min(done, total - 1)]}"

        before = library.watch_snapshot()
        try:
            reports = library.fetch(days, said)
        except NetworkUnreachable as exc:  # the days before it stay imported
            raise Unreachable(str(exc)) from None
    say_gains(library, before)
    return OK if any(r.report and r.report.papers for r in reports) else NOTHING_FOUND


def cmd_rebuild(library: Library, args: argparse.Namespace) -> int:
    with ProgressLine("rebuilding the index") as bar:
        count = library.rebuild(progress=bar.update)
    print(f"rebuilt the index: {plural(count, 'paper')}")
    return OK
