"""Commands on bookmarks: bookmark add/remove, bookmarks."""

from __future__ import annotations

import argparse

from index.export import paper_record
from index.library import Library
from tui.cli.common import (
    NO_BOOKMARKS,
    NOTHING_FOUND,
    OK,
    NotFound,
    emit_json,
    paper_line,
    resolve_id,
)


def cmd_bookmark_add(library: Library, args: argparse.Namespace) -> int:
    ids = [resolve_id(library, text) for text in args.ids]  # all known, or nothing changes
    added = library.add_bookmarks(ids)
    print(f"bookmarked {added} paper(s); {len(set(ids)) - added} already were")
    return OK


def cmd_bookmark_remove(library: Library, args: argparse.Namespace) -> int:
    ids = {resolve_id(library, text) for text in args.ids}
    removed = library.remove_bookmarks(ids)
    print(f"removed {removed} bookmark(s)")
    return NOTHING_FOUND if removed < len(ids) else OK


def cmd_bookmarks(library: Library, args: argparse.Namespace) -> int:
    marks = library.bookmark_list()
    if args.json:
        records = []
        for mark in marks:
            extra = {"bookmarked_at": mark.created, "tags": list(mark.tags), "note": mark.note}
            records.append(paper_record(mark.snapshot, True, **extra))
        emit_json(records)
    else:
        for mark in marks:
            tags = f"  [{', '.join(mark.tags)}]" if mark.tags else ""
            print(paper_line(mark.snapshot, True) + tags)
    if not marks:
        raise NotFound(NO_BOOKMARKS)
    return OK
