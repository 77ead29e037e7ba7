"""Commands on watches (saved searches): watch add/remove/list/show/seen; and the lines an
import or a fetch adds when it brought a watch new papers."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from paperdeck.tui.cli import citations
from paperdeck.tui.cli.common import OK, NotFound, UsageError, emit_json, paper_line, plural

NO_WATCHES = "no watches yet; add one with `paperdeck watch add NAME QUERY`"
FEED_LIMIT = 100  # a feed's newest papers: feed readers keep the ones they have seen

if TYPE_CHECKING:
    from paperdeck.index.library import Library, WatchSnapshot


def _is_follow(name: str) -> bool:
    """A follow for citations among the watches: `follow:ID`."""
    from paperdeck.index.library import FOLLOW_WATCH_PREFIX

    return name.startswith(FOLLOW_WATCH_PREFIX)


def cmd_watch_add(library: Library, args: argparse.Namespace) -> int:
    """Save a watch; a half-typed query is refused (an open quote's watch, closed as typed
    so far, would not be the search meant), with what it lacks."""
    query = " ".join(args.query)
    if (kind := library.query(query, limit=1, prefix=False).incomplete) is not None:
        from paperdeck.index.models import UNFINISHED

        lacks = UNFINISHED.get(kind, kind)
        raise UsageError(
            f"the watch's query is unfinished ({lacks}); finish it so that it can match what comes"
        )
    status = library.add_watch(args.name, query)
    print(f"watching {status.name}: {status.query!r} matches {_papers(status.matches)} now")
    return OK


def cmd_watch_remove(library: Library, args: argparse.Namespace) -> int:
    if _is_follow(args.name):
        return citations.cmd_unfollow(library, _as_follow(args))
    print(f"removed the watch {library.remove_watch(args.name)}")
    return OK


def cmd_watch_list(library: Library, args: argparse.Namespace) -> int:
    """Every watch, then every follow for citations as one (`follow:ID`, issue 22)."""
    statuses = [status.to_dict() for status in library.watches()]
    statuses += [follow.watch_record() for follow in library.follows()]
    if args.json:
        emit_json(statuses)
    else:
        width = max((len(s["name"]) for s in statuses), default=0)
        for s in statuses:  # the reader's columns (tui/screens/watches.py): new, then matches
            n = s["matches"]
            matches = f"{n:>6,} {'match  ' if n == 1 else 'matches'}"
            print(f"{s['name']:<{width}}  {s['new']:>4,} new  {matches}   {s['query']}")
    if not statuses:
        raise NotFound(NO_WATCHES)
    return OK


def cmd_watch_show(library: Library, args: argparse.Namespace) -> int:
    if _is_follow(args.name):  # a follow for citations: its new citing papers
        return citations.cmd_follows_show(library, _as_follow(args))
    if args.output and not args.atom:
        raise UsageError("-o/--output writes a feed: give --atom too")
    if args.atom:
        return _write_feed(library, args.name, args.limit or FEED_LIMIT, args.output)
    watched = library.watch_papers(args.name, args.new, args.limit)
    marks = library.bookmark_ids()
    if args.json:
        from paperdeck.index.library import paper_record

        emit_json([paper_record(w.paper, w.paper.id in marks, new=w.new) for w in watched])
    else:
        for w in watched:
            print(paper_line(w.paper, w.paper.id in marks) + ("  [new]" if w.new else ""))
    if not watched:
        name = library.watch_status(args.name).name
        said = (
            f"nothing new in {name} since it was last seen"
            if args.new
            else f"no papers match {name}"
        )
        raise NotFound(said)
    return OK


def _write_feed(library: Library, name: str, limit: int, output: str | None) -> int:
    feed = library.watch_feed(name, limit, output)  # a file is written atomically
    if output is None:
        sys.stdout.write(feed)
        return OK
    print(f"wrote the feed of {library.watch_status(name).name} to {output}", file=sys.stderr)
    return OK


def _as_follow(args: argparse.Namespace) -> argparse.Namespace:
    from paperdeck.index.library import FOLLOW_WATCH_PREFIX

    target = args.name[len(FOLLOW_WATCH_PREFIX) :]
    return argparse.Namespace(**{**vars(args), "target": target})


def cmd_watch_seen(library: Library, args: argparse.Namespace) -> int:
    if _is_follow(args.name):
        return citations.cmd_follows_seen(library, _as_follow(args))
    status = library.watch_seen(args.name)
    print(f"{status.name}: {_papers(status.matches)} marked seen")
    return OK


def _papers(count: int) -> str:
    return plural(count, "paper")


def say_gains(library: Library, before: WatchSnapshot, err: bool = False) -> None:
    """After an import or fetch: `diffusion: 3 new` for each watch that gained papers."""
    for gain in library.watch_gains(before):
        print(f"watch {gain.summary()}", file=sys.stderr if err else sys.stdout)
