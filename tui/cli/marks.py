"""Commands on bookmarks: bookmark add/remove, bookmarks."""

from __future__ import annotations

import argparse

from index.export import paper_record
from index.library import Library
from tui.cli.common import NOTHING_FOUND, OK, emit_json, paper_line


def cmd_bookmark_add(library: Library, args: argparse.Namespace) -> int:
    added = library.add_bookmarks(args.ids)
    print(f"bookmarked {added} paper(s); {len(args.ids) - added} already were")
    return OK


def cmd_bookmark_remove(library: Library, args: argparse.Namespace) -> int:
    removed = library.remove_bookmarks(args.ids)
    print(f"removed {removed} bookmark(s)")
    return NOTHING_FOUND if removed < len(set(args.ids)) else OK


def cmd_bookmarks(library: Library, args: argparse.Namespace) -> int:
    marks = library.bookmark_list()
    if args.json:
        records = []
        for mark in marks:
            extra = {"bookmarked_at": mark.created, "tags": list(mark.tags), "note": mark.note}
            records.append(paper_record(mark.snapshot, True, **extra))
        emit_json(records)
        return OK if marks else NOTHING_FOUND
    for mark in marks:
        tags = f"  [{', '.join(mark.tags)}]" if mark.tags else ""
        print(paper_line(mark.snapshot, True) + tags)
    return OK if marks else NOTHING_FOUND
