"""Blocking work the reader hands to thread workers: plain functions, no widgets touched."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.index.models import Bookmark, Paper, PaperRow

if TYPE_CHECKING:  # child processes and the browser: at the first link opened, not start-up
    from paperdeck.tui.external import Ran

OPENER_WAIT_S = 2.0  # an opener that has not failed by then has started the browser
COPY_KINDS = {
    "link": "the link",
    "abstract": "the abstract",
    "citation": "a BibTeX citation",
    "markdown": "a Markdown link",
}


def text_to_copy(paper: Paper, kind: str) -> str:
    """(BibTeX's and the export's modules load at the first copy of one, not at start-up.)"""
    from paperdeck.index.library import bibtex_entry, markdown_link

    if kind == "link":
        return paper.url
    if kind == "abstract":
        return paper.abstract or paper.title
    if kind == "citation":
        return bibtex_entry(paper)
    return markdown_link(paper)


def whole_paper(library: Library, paper_id: str) -> Paper:
    """The whole paper (a bookmark's snapshot if it left the library); a row has only its id."""
    paper = library.get_or_bookmarked(paper_id)
    if paper is None:
        raise PaperdeckError("that paper is no longer in the library")
    return paper


def bookmarks_by_id(library: Library) -> dict[str, Bookmark]:
    """Every bookmark with its tags and note, for the screen to draw without the disk."""
    return {mark.paper_id: mark for mark in library.bookmark_list()}


def gone_bookmarks(
    library: Library, marks: dict[str, Bookmark], rows: Iterable[PaperRow]
) -> list[PaperRow]:
    """Bookmarks whose paper left the library (its digest removed), as rows from their
    snapshots: the bookmarks list shows every bookmark the status line counts."""
    listed = {row.id for row in rows}
    unlisted = [mark for pid, mark in marks.items() if pid not in listed]
    return [mark.snapshot.row() for mark in unlisted if library.get(mark.paper_id) is None]


def new_ids(library: Library, rows: Iterable[Paper | PaperRow]) -> set[str]:
    """The rows added since the previous opening (a loop over up to the whole library)."""
    return {row.id for row in rows if library.is_new(row)}


def has_gui_browser() -> bool:
    """Over SSH or on a console, a browser would start a text browser inside our terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def browser_command(url: str, env: Mapping[str, str] = os.environ) -> list[str] | None:
    """$BROWSER's first command (`%s` is the URL), else the desktop's opener."""
    for entry in env.get("BROWSER", "").split(os.pathsep):
        if parts := shlex.split(entry):
            argv = [part.replace("%s", url) for part in parts]
            return argv if "%s" in entry else [*argv, url]
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    return [opener, url] if shutil.which(opener, path=env.get("PATH")) else None


def open_in_browser(url: str) -> Ran:
    """Start the browser away from our terminal; an opener still running after a moment has
    handed the URL on (some stay until the browser quits)."""
    from paperdeck.tui.external import Ran, run_quietly

    if sys.platform == "win32":  # os.startfile: no child on our console
        import webbrowser

        return Ran(webbrowser.open(url, new=2), "Windows did not open the link.")
    argv = browser_command(url)
    if argv is None:
        return Ran(False, "no browser opener here (install xdg-utils or set BROWSER)")
    return run_quietly(argv, detach_after=OPENER_WAIT_S)
