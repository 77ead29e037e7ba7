"""The table of `paperdeck` commands: the one place a command is written.

The parser, `paperdeck --help`, the default command and dispatch are all derived from it
(paperdeck.tui.cli.registry); tests check that every command has help and a handler, and that the
README's Usage lists exactly these commands.
"""

from __future__ import annotations

import argparse

from paperdeck.index.library import DIGEST_FORMATS, EXPORT_FORMATS
from paperdeck.index.models import SORT_ORDERS
from paperdeck.tui.cli import digests, marks, papers, watching
from paperdeck.tui.cli.registry import Arg, Command, OneOf, arg


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


JSON = arg("--json", action="store_true", help="print JSON records (a stable contract)")
ID = arg("id", metavar="ID", help="a paper id, as `paperdeck list` shows it")
TAGS = arg("tags", nargs="+", metavar="TAG", help="tags; search them with tag:TAG")
IDS = arg("ids", nargs="+", metavar="ID", help="paper ids, as `paperdeck list` shows them")
WATCH = arg("name", metavar="NAME", help="the watch's name, as `paperdeck watch list` shows it")


def _sort(default: str, orders: tuple[str, ...]) -> Arg:
    """--sort: upvotes puts papers without any last; for-you is learned from your marks."""
    said = f"{', '.join(orders)} (default {default}); for-you learns from your bookmarks"
    return arg("--sort", choices=orders, default=default, metavar="ORDER", help=said)


COMMANDS: tuple[Command, ...] = (
    Command(
        "open",
        "open the reader (the default); import DIGESTs first",
        digests.cmd_open,
        (arg("digests", nargs="*", metavar="DIGEST", help="digest files to import first"),),
    ),
    Command(
        "import",
        "import digests; one summary line per file",
        digests.cmd_import,
        (
            arg(
                "digests",
                nargs="+",
                metavar="DIGEST",
                help="digest files (text, JSON, Atom, RSS, the arXiv snapshot; .gz too)",
            ),
            arg("--explain", action="store_true", help="list what was skipped and why"),
            arg("--format", choices=DIGEST_FORMATS, help="skip sniffing: read as this format"),
            arg(
                "--categories",
                metavar="LIST",
                help="keep only these arXiv categories (cs.CL,cs.IR; cs. for all of cs)",
            ),
            arg("--since", metavar="DATE", help="keep only papers dated on or after YYYY-MM-DD"),
        ),
    ),
    Command(
        "list",
        "list papers, newest first (not those marked not interested)",
        papers.cmd_list,
        (
            arg("--bookmarked", action="store_true", help="only bookmarked papers"),
            _sort("newest", SORT_ORDERS[1:]),
            arg("--limit", type=_positive_int, help="at most N papers (all)", metavar="N"),
            JSON,
        ),
    ),
    Command(
        "search",
        "full-text search (Whoosh syntax works)",
        papers.cmd_search,
        (
            arg("query", nargs="+", help="words or Whoosh syntax; quote phrases"),
            arg(
                "--limit", type=_positive_int, default=20, help="at most N papers (20)", metavar="N"
            ),
            _sort("relevance", SORT_ORDERS),
            JSON,
        ),
    ),
    Command("show", "show one paper", papers.cmd_show, (ID, JSON)),
    Command(
        "similar",
        "papers most like one paper",
        papers.cmd_similar,
        (
            ID,
            arg(
                "--limit", type=_positive_int, default=10, help="at most N papers (10)", metavar="N"
            ),
            JSON,
        ),
    ),
    Command(
        "bookmark",
        "add or remove bookmarks, tag them, note them",
        actions=(
            Command("add", "bookmark papers", marks.cmd_bookmark_add, (IDS,)),
            Command("remove", "remove bookmarks", marks.cmd_bookmark_remove, (IDS,)),
            Command(
                "tag",
                "tag a bookmark (`GAN Stuff` is kept as gan-stuff)",
                marks.cmd_bookmark_tag,
                (ID, TAGS),
            ),
            Command("untag", "take tags off a bookmark", marks.cmd_bookmark_untag, (ID, TAGS)),
            Command(
                "note",
                "set a bookmark's note (no text clears it)",
                marks.cmd_bookmark_note,
                (ID, arg("text", nargs="*", metavar="TEXT", help="the note; quotes optional")),
            ),
        ),
    ),
    Command("bookmarks", "list bookmarks", marks.cmd_bookmarks, (JSON,)),
    Command(
        "dismiss",
        "mark papers not interested: out of listings and searches (is:dismissed shows them)",
        marks.cmd_dismiss,
        (IDS,),
    ),
    Command("undismiss", "take the not-interested mark off papers", marks.cmd_undismiss, (IDS,)),
    Command(
        "export",
        "export papers as bibtex, markdown, json or csv",
        papers.cmd_export,
        (
            arg("--format", required=True, choices=EXPORT_FORMATS, help="the file format"),
            arg("--bookmarked", action="store_true", help="only bookmarked papers"),
            arg("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)"),
            arg("--force", action="store_true", help="write over FILE if it exists"),
            arg(
                "--include-dismissed",
                action="store_true",
                help="keep papers marked not interested (left out by default)",
            ),
        ),
    ),
    Command("digests", "list imported digests", digests.cmd_digests, (JSON,)),
    Command(
        "remove-digest",
        "take an imported digest out of the library",
        digests.cmd_remove_digest,
        (arg("name", help="its file name, as `paperdeck digests` lists it"),),
    ),
    Command(
        "fetch",
        "download Hugging Face daily papers and import them",
        digests.cmd_fetch,
        (
            OneOf(
                (
                    arg("--date", help="YYYY-MM-DD (default: today)"),
                    arg("--week", help="YYYY-Www, e.g. 2024-W22"),
                    arg("--month", help="YYYY-MM"),
                )
            ),
        ),
    ),
    Command("rebuild", "rebuild the search index from the raw digests", digests.cmd_rebuild),
    # -- watches: saved searches that say what is new (tui/cli/watching.py) --
    Command(
        "watch",
        "saved searches that say what is new: add, remove, list, show, seen",
        actions=(
            Command(
                "add",
                "save a search as a watch (what it matches now counts as seen)",
                watching.cmd_watch_add,
                (WATCH, arg("query", nargs="+", metavar="QUERY", help="what `search` takes")),
            ),
            Command("remove", "forget a watch", watching.cmd_watch_remove, (WATCH,)),
            Command(
                "list",
                "every watch: its matches and how many are new",
                watching.cmd_watch_list,
                (JSON,),
            ),
            Command(
                "show",
                "a watch's papers, newest first; or an Atom feed of them",
                watching.cmd_watch_show,
                (
                    WATCH,
                    arg("--new", action="store_true", help="only papers new to the watch"),
                    arg(
                        "--limit",
                        type=_positive_int,
                        metavar="N",
                        help=f"at most N papers (all; a feed: {watching.FEED_LIMIT})",
                    ),
                    OneOf((JSON, arg("--atom", action="store_true", help="an Atom 1.0 feed"))),
                    arg("-o", "--output", metavar="FILE", help="write the feed to FILE"),
                ),
            ),
            Command("seen", "mark a watch's papers seen", watching.cmd_watch_seen, (WATCH,)),
        ),
    ),
)
