"""Commands on marks: bookmark add/remove/tag/untag/note, bookmarks, dismiss, undismiss."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from paperdeck.tui.cli.common import (
    NO_BOOKMARKS,
    NOTHING_FOUND,
    OK,
    NotFound,
    UsageError,
    emit_json,
    paper_line,
    plural,
    resolve_id,
)

if TYPE_CHECKING:
    from paperdeck.index.library import Library
    from paperdeck.index.models import Bookmark


def _mark(library: Library, texts: list[str], add: Callable[[list[str]], int], did: str) -> int:
    """Add a mark (bookmark, not interested) to papers; `did` says it of {n} (`1 paper`)."""
    ids = [resolve_id(library, text) for text in texts]  # all known, or nothing changes
    added = add(ids)
    print(f"{did.format(n=plural(added, 'paper'))}; {len(set(ids)) - added} already were")
    return OK


def _unmark(
    library: Library, texts: list[str], remove: Callable[[set[str]], int], did: str, word: str
) -> int:
    """Take a mark off papers; `did` says it of {n} (`1 bookmark`); exit 1 when some did not
    have it."""
    ids = {resolve_id(library, text) for text in texts}
    removed = remove(ids)
    print(did.format(n=plural(removed, word)))
    return NOTHING_FOUND if removed < len(ids) else OK


def cmd_bookmark_add(library: Library, args: argparse.Namespace) -> int:
    return _mark(library, args.ids, library.add_bookmarks, "bookmarked {n}")


def cmd_bookmark_remove(library: Library, args: argparse.Namespace) -> int:
    return _unmark(library, args.ids, library.remove_bookmarks, "removed {n}", "bookmark")


def _bookmark_of(library: Library, text: str) -> Bookmark:
    """The bookmark `text` names: tags and notes belong to bookmarks only."""
    paper_id = resolve_id(library, text)
    mark = library.bookmark(paper_id)
    if mark is None:
        raise NotFound(f"{paper_id} is not bookmarked; `paperdeck bookmark add {paper_id}` first")
    return mark


def _typed_tags(texts: list[str]) -> list[str]:
    from paperdeck.index.library import normalise_tags

    tags = normalise_tags(texts)
    if not tags:
        raise UsageError("a tag needs a letter or a digit")
    return tags


def _say_tags(paper_id: str, tags: tuple[str, ...]) -> None:
    print(f"{paper_id}: " + (f"tags {', '.join(tags)}" if tags else "no tags"))


def cmd_bookmark_tag(library: Library, args: argparse.Namespace) -> int:
    mark = _bookmark_of(library, args.id)
    _say_tags(mark.paper_id, library.tag_bookmark(mark.paper_id, _typed_tags(args.tags)))
    return OK


def cmd_bookmark_untag(library: Library, args: argparse.Namespace) -> int:
    mark = _bookmark_of(library, args.id)
    wanted = _typed_tags(args.tags)
    tags = library.untag_bookmark(mark.paper_id, wanted)
    _say_tags(mark.paper_id, tags)
    if not set(wanted) & set(mark.tags):
        raise NotFound(f"{mark.paper_id} had none of the tags {', '.join(wanted)}")
    return OK


def cmd_bookmark_note(library: Library, args: argparse.Namespace) -> int:
    mark = _bookmark_of(library, args.id)
    note = " ".join(args.text).strip()
    library.note_bookmark(mark.paper_id, note)
    print(f"{mark.paper_id}: " + ("note saved" if note else "note cleared"))
    return OK


def cmd_bookmarks(library: Library, args: argparse.Namespace) -> int:
    marks = library.bookmark_list()
    if args.json:
        from paperdeck.index.library import paper_record

        records = []
        for mark in marks:
            extra = {"bookmarked_at": mark.created, "tags": list(mark.tags), "note": mark.note}
            records.append(paper_record(mark.snapshot, True, **extra))
        emit_json(records)
    else:
        for mark in marks:
            tags = f"  [{', '.join(mark.tags)}]" if mark.tags else ""
            print(paper_line(mark.snapshot, True) + tags)
            if mark.note:
                print(f"    note: {mark.note}")
    if not marks:
        raise NotFound(NO_BOOKMARKS)
    return OK


def cmd_dismiss(library: Library, args: argparse.Namespace) -> int:
    return _mark(library, args.ids, library.dismiss, "marked {n} not interested")


def cmd_undismiss(library: Library, args: argparse.Namespace) -> int:
    said = "took the not-interested mark off {n}"
    return _unmark(library, args.ids, library.undismiss, said, "paper")
