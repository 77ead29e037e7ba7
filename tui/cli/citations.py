"""Commands on citations and the reading queue (issue 22): cited-by, references, citations
refresh, follow, unfollow, follows list/show/seen; queue add/remove/list/move, read, unread.

A citation source that does not answer (no network, a timeout, rate limits past the retries)
is one line and exit NETWORK (3), never BAD_INPUT: the command was right, the world was not.
What was fetched before stays in the cache; nothing is half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import CitationSourceError
from paperdeck.tui.cli.common import (
    NETWORK,
    OK,
    NotFound,
    UsageError,
    emit_json,
    paper_line,
    resolve_id,
)
from paperdeck.tui.cli.progress import ProgressLine

if TYPE_CHECKING:
    from paperdeck.index.library import Library

LIST_SORTS = ("newest", "citations")  # a cited-by or references list: by year, by count
TITLE_SHOWN = 60  # characters of a title in an alert line
EMPTY_QUEUE = "the reading queue is empty; add papers with `paperdeck queue add ID`"
NO_FOLLOWS = "nothing followed yet; follow a paper with `paperdeck follow ID` (or tag:NAME)"


class SourceUnreachable(PaperdeckError):
    """A citation source did not answer: exit NETWORK."""

    exit_code = NETWORK


@contextmanager
def network() -> Iterator[None]:
    """A citation source's failure as one line and the NETWORK exit code."""
    try:
        yield
    except CitationSourceError as exc:
        raise SourceUnreachable(str(exc)) from None


def _ref(library: Library, text: str) -> tuple[str, str | None]:
    """The id the sources are asked by, and the library paper's id when it is one: a paper
    id (typed short, as elsewhere) or the sources' own id (a DOI, `CorpusId:N`, an arXiv id)."""
    try:
        paper_id: str | None = resolve_id(library, text)
    except NotFound:
        paper_id = None
    ref, paper = library.citation_ref(paper_id or text)
    return ref, paper.id if paper else None


def cited_record(paper: Any, in_library: str | None) -> dict[str, Any]:
    """A citing or cited paper as a JSON record (the names the APIs' fields map to)."""
    return {
        "key": paper.key, "title": paper.title, "authors": list(paper.authors),
        "year": paper.year, "venue": paper.venue, "arxiv_id": paper.arxiv_id,
        "doi": paper.doi or None, "s2_id": paper.s2_id or None,
        "openalex_id": paper.openalex_id or None, "citation_count": paper.citation_count,
        "source": paper.source, "in_library": in_library,
    }  # fmt: skip


def _sorted(papers: list[Any], order: str) -> list[Any]:
    """Newest (by year) or most cited first; papers without one last, else as the source
    listed them."""
    if order == "citations":
        return sorted(papers, key=lambda p: (p.citation_count is None, -(p.citation_count or 0)))
    return sorted(papers, key=lambda p: (p.year is None, -(p.year or 0)))


def cmd_cited_by(library: Library, args: argparse.Namespace) -> int:
    return _listing(library, args, "cited_by")


def cmd_references(library: Library, args: argparse.Namespace) -> int:
    return _listing(library, args, "references")


def _listing(library: Library, args: argparse.Namespace, kind: str) -> int:
    ref, paper_id = _ref(library, args.id)
    with network():
        fetch = library.cited_by if kind == "cited_by" else library.references
        got = fetch(ref, limit=args.limit, refresh=args.refresh)
    if got is None:
        raise NotFound(f"no citation source knows {ref}")
    papers = _sorted(list(got.value.papers), args.sort)
    known = {p.key: p.key for p in papers if p.arxiv_id and library.get(p.arxiv_id) is not None}
    if args.json:
        emit_json([cited_record(p, known.get(p.key)) for p in papers])
    else:
        for p in papers:
            count = "" if p.citation_count is None else f"{p.citation_count:,}"
            year = p.year or "----"
            print(f"{year}  {count:>8}  {p.label}" + ("  [in library]" if p.key in known else ""))
    what = "citing papers" if kind == "cited_by" else "references"
    more = "" if got.value.complete else f" (the first {len(papers):,})"
    stale = f"; kept answer, {got.note}" if got.stale else ""
    print(
        f"{len(papers):,} {what} of {paper_id or ref}{more}, {got.age_text()}{stale}",
        file=sys.stderr,
    )
    if not papers:
        raise NotFound(f"no {what} known for {paper_id or ref}")
    return OK


def cmd_citations_refresh(library: Library, args: argparse.Namespace) -> int:
    """Counts of the bookmarks (or every paper), batched; then the follows' citing papers."""
    papers = library.citation_papers(args.bookmarked)
    with network():
        with ProgressLine("citation counts") as bar:
            got = library.refresh_citation_counts(papers, progress=bar.update)
        known = sum(1 for fetched in got.values() if fetched is not None)
        print(f"citation counts: {known:,} of {len(papers):,} papers known to the sources")
        with ProgressLine("followed papers") as bar:
            refreshed = library.refresh_follows(progress=bar.update)
    for alert in refreshed.news:
        print(alert_line(len(alert.new), alert.title or alert.paper_id))
    for problem in refreshed.problems:
        print(f"paperdeck: {problem}", file=sys.stderr)
    return OK


def alert_line(count: int, title: str) -> str:
    """`3 new papers cite “MUVERA: Multi-Vector Retrieval…”`."""
    shown = title if len(title) <= TITLE_SHOWN else title[: TITLE_SHOWN - 1].rstrip() + "…"
    return f"{count} new {'paper cites' if count == 1 else 'papers cite'} “{shown}”"


# -- follows ------------------------------------------------------------------------------------
def _target(library: Library, text: str) -> str:
    """`tag:NAME` as typed, a paper id as resolve_id finds it (else as typed: a paper that
    left the library can still be unfollowed)."""
    if text.strip().casefold().startswith("tag:"):
        return text
    try:
        return resolve_id(library, text)
    except NotFound:
        return text.strip()


def cmd_follow(library: Library, args: argparse.Namespace) -> int:
    target = _target(library, args.target)
    added = library.follow(target)
    said = "following" if added else "already following"
    shown = library.follow_status(target).target  # as kept: `tag:web-testing`
    print(f"{said} {shown} for citations; `paperdeck citations refresh` says what is new")
    return OK


def cmd_unfollow(library: Library, args: argparse.Namespace) -> int:
    target = _target(library, args.target)
    if not library.unfollow(target):
        raise NotFound(f"{target} is not followed")
    print(f"no longer following {target}")
    return OK


def cmd_follows_list(library: Library, args: argparse.Namespace) -> int:
    """Every follow with a watch's columns: its citing papers and how many are new."""
    statuses = library.follows()
    if args.json:
        emit_json([s.to_dict() for s in statuses])
    else:
        width = max((len(s.target) for s in statuses), default=0)
        for s in statuses:
            papers = f"{len(s.papers)} paper{'' if len(s.papers) == 1 else 's'}"
            print(f"{s.target:<{width}}  {s.citing:>6} citing  {s.new:>4} new   {papers}")
    if not statuses:
        raise NotFound(NO_FOLLOWS)
    return OK


def cmd_follows_show(library: Library, args: argparse.Namespace) -> int:
    """A follow's new citing papers; or an Atom feed of them, as `watch show --atom`."""
    if args.output and not args.atom:
        raise UsageError("-o/--output writes a feed: give --atom too")
    target = _target(library, args.target)
    if args.atom:
        feed = library.follow_feed(target, args.limit)
        if args.output is None:
            sys.stdout.write(feed)
        else:
            _write(Path(args.output).expanduser(), feed)
        return OK
    found = library.follow_papers(target)[: args.limit]
    if args.json:
        emit_json([{**cited_record(p, None), "cites": pid} for pid, p in found])
    else:
        for pid, p in found:
            print(f"{p.year or '----'}  {p.label}  (cites {pid})")
    if not found:
        raise NotFound(f"no new citing papers for {target}; `paperdeck citations refresh` asks")
    return OK


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, "utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_follows_seen(library: Library, args: argparse.Namespace) -> int:
    target = _target(library, args.target)
    print(f"{target}: {library.follow_seen(target)} new citing papers marked seen")
    return OK


# -- the reading queue and read marks -----------------------------------------------------------
def cmd_queue_add(library: Library, args: argparse.Namespace) -> int:
    ids = [resolve_id(library, text) for text in args.ids]
    added = library.queue_add(ids, first=args.first)
    print(f"queued {added} paper{'' if added == 1 else 's'} ({len(library.queue())} in the queue)")
    return OK


def cmd_queue_remove(library: Library, args: argparse.Namespace) -> int:
    removed = library.queue_remove([resolve_id(library, text) for text in args.ids])
    if not removed:
        raise NotFound("none of these papers is in the reading queue")
    print(f"took {removed} paper{'' if removed == 1 else 's'} off the queue")
    return OK


def cmd_queue_list(library: Library, args: argparse.Namespace) -> int:
    return _print_queue(library, args.json)


def cmd_queue_move(library: Library, args: argparse.Namespace) -> int:
    paper_id = resolve_id(library, args.id)
    by = -1 if args.up else 1 if args.down else None
    position = library.queue_move(paper_id, by=by, to=args.to)
    if args.json:
        return _print_queue(library, True)
    print(f"{paper_id} is number {position} in the queue")
    return OK


def _print_queue(library: Library, as_json: bool) -> int:
    items, marks, read = library.queue(), library.bookmark_ids(), library.read_ids()
    papers = [(item, library.get_or_bookmarked(item.paper_id)) for item in items]
    if as_json:
        from paperdeck.index.library import paper_record

        emit_json(
            [
                {**(paper_record(p, p.id in marks) if p else {"id": item.paper_id}),
                 "position": item.position, "queued": item.added, "read": item.paper_id in read}
                for item, p in papers
            ]
        )  # fmt: skip
    else:
        for item, p in papers:
            line = paper_line(p, p.id in marks) if p else f"  {item.paper_id}  (gone)"
            print(f"{item.position:>3}. {line}" + ("  [read]" if item.paper_id in read else ""))
    if not items:
        raise NotFound(EMPTY_QUEUE)
    return OK


def cmd_export_queue(library: Library, args: argparse.Namespace) -> int:
    """`export --queue`: the queue in its order, in any export format."""
    from paperdeck.index.library import NothingToExport

    try:
        done = library.export_queue(args.format, args.output)
    except NothingToExport:  # no empty file: say so instead
        raise NotFound(EMPTY_QUEUE) from None
    if args.output:
        print(f"exported {done.papers} papers to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(done.text)
    return OK


def cmd_read(library: Library, args: argparse.Namespace) -> int:
    changed = library.mark_read([resolve_id(library, text) for text in args.ids])
    print(f"marked {changed} paper{'' if changed == 1 else 's'} read (is:read finds them)")
    return OK


def cmd_unread(library: Library, args: argparse.Namespace) -> int:
    changed = library.mark_read([resolve_id(library, t) for t in args.ids], read=False)
    print(f"marked {changed} paper{'' if changed == 1 else 's'} unread")
    return OK
