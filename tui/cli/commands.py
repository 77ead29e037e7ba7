"""The table of `paperdeck` commands: the one place a command is written.

The parser, `paperdeck --help`, the default command and dispatch are all derived from it
(paperdeck.tui.cli.registry); tests check that every command has help and a handler, and that the
README's Usage lists exactly these commands.
"""

from __future__ import annotations

import argparse

from paperdeck.index.library import DIGEST_FORMATS, EXPORT_FORMATS
from paperdeck.index.models import LIST_ORDERS
from paperdeck.tui.cli import citations, digests, marks, papers, watching
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
    """--sort: upvotes and citations put papers without a count last; for-you is learned
    from your marks."""
    said = (
        f"{', '.join(orders)} (default {default}); for-you learns from your bookmarks, "
        "citations reads the counts fetched before"
    )
    return arg("--sort", choices=orders, default=default, metavar="ORDER", help=said)


CITED = arg("id", metavar="ID", help="a paper id, or a DOI, an arXiv id, CorpusId:N")
TARGET = arg("target", metavar="ID|tag:NAME", help="a paper id, or tag:NAME for a tag's bookmarks")


def _list_options(what: str) -> tuple[Arg | OneOf, ...]:
    return (
        CITED,
        arg("--limit", type=_positive_int, default=100, metavar="N",
            help=f"at most N {what} (100)"),
        arg("--sort", choices=citations.LIST_SORTS, default="newest", metavar="ORDER",
            help="newest (by year) or citations (most cited first); without one last"),
        arg("--refresh", action="store_true", help="ask the source again, however recent"),
        JSON,
    )  # fmt: skip


def citations_commands() -> tuple[Command, ...]:
    """The citation and reading-queue commands (their handlers: tui/cli/citations.py)."""
    follow_show = (
        TARGET,
        arg("--limit", type=_positive_int, metavar="N", help="at most N papers (all)"),
        OneOf((JSON, arg("--atom", action="store_true", help="an Atom 1.0 feed"))),
        arg("-o", "--output", metavar="FILE", help="write the feed to FILE"),
    )
    move = OneOf(
        (
            arg("--up", action="store_true", help="one place towards the front"),
            arg("--down", action="store_true", help="one place towards the end"),
            arg("--to", type=_positive_int, metavar="N", help="to place N (1: read it next)"),
        )
    )
    return (
        Command("cited-by", "the papers citing a paper (Semantic Scholar)",
                citations.cmd_cited_by, _list_options("citing papers")),
        Command("references", "the papers a paper cites (OpenAlex where S2 has nothing)",
                citations.cmd_references, _list_options("references")),
        Command("citations", "citation counts and alerts: refresh", actions=(
            Command("refresh", "fetch counts (batched) and the followed papers' citing papers",
                    citations.cmd_citations_refresh,
                    (arg("--bookmarked", action="store_true", help="only bookmarks' counts"),)),
        )),
        Command("follow", "follow a paper or tag:NAME for new citations",
                citations.cmd_follow, (TARGET,)),
        Command("unfollow", "stop following a paper or tag", citations.cmd_unfollow, (TARGET,)),
        Command("follows", "what is followed for citations: list, show, seen", actions=(
            Command("list", "every follow: its citing papers and how many are new",
                    citations.cmd_follows_list, (JSON,)),
            Command("show", "a follow's new citing papers; or an Atom feed of them",
                    citations.cmd_follows_show, follow_show),
            Command("seen", "mark a follow's citing papers seen",
                    citations.cmd_follows_seen, (TARGET,)),
        )),
        Command("queue", "the reading queue, in your order: add, remove, list, move", actions=(
            Command("add", "queue papers at the end (--first: at the front)",
                    citations.cmd_queue_add,
                    (IDS, arg("--first", action="store_true", help="at the front"))),
            Command("remove", "take papers off the queue", citations.cmd_queue_remove, (IDS,)),
            Command("list", "the queue, first to read first", citations.cmd_queue_list, (JSON,)),
            Command("move", "move a queued paper", citations.cmd_queue_move, (ID, move, JSON)),
        )),
        Command("read", "mark papers read (is:read finds them)", citations.cmd_read, (IDS,)),
        Command("unread", "mark papers unread", citations.cmd_unread, (IDS,)),
    )  # fmt: skip


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
            _sort("newest", LIST_ORDERS[1:]),
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
            _sort("relevance", LIST_ORDERS),
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
        "export papers as " + ", ".join(EXPORT_FORMATS[:-1]) + " or " + EXPORT_FORMATS[-1],
        papers.cmd_export,
        (
            arg("--format", required=True, choices=EXPORT_FORMATS, help="the file format"),
            OneOf(
                (
                    arg("--bookmarked", action="store_true", help="only bookmarked papers"),
                    arg("--queue", action="store_true", help="the reading queue, in its order"),
                )
            ),
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
    # -- citations and the reading queue (issue 22; tui/cli/citations.py) --
    *citations_commands(),
)


def readme_list(commands: tuple[Command, ...]) -> str:
    """The README's list of these commands, one line each with its help: `python -m
    paperdeck.tui.cli.commands` prints it for the citation and queue commands (a test
    checks the README's section says what the table says)."""
    lines = []
    for command in commands:
        for name, leaf in command.leaves():
            words = [name, *(_operand(a) for a in leaf.arguments if isinstance(a, Arg))]
            lines.append(f"- `paperdeck {' '.join(w for w in words if w)}`: {leaf.help}")
    return "\n".join(lines)


def _operand(argument: Arg) -> str:
    """A positional argument as usage shows it (`ID`, `ID ...`); options are left out."""
    if argument.flags[0].startswith("-"):
        return ""
    shown = str(argument.options.get("metavar") or argument.flags[0].upper())
    return f"{shown} ..." if argument.options.get("nargs") == "+" else shown


if __name__ == "__main__":
    print(readme_list(citations_commands()))
