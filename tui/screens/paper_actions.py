"""What the main screen does to the paper under the cursor: bookmark, not interested, copy,
open, annotate, and export. Each needs only the row's id: the workers load what else they
need, so a key pressed just after moving the cursor is never lost.

`PaperActions` is a helper the screen holds, not a base of it: it is given the library, a way
to read the row under the cursor, and the screen it runs its thread workers on (their
messages go to that screen, which redraws from them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.index.models import PaperRow
from paperdeck.tui import actions, messages
from paperdeck.tui.screens import texts
from paperdeck.tui.screens.jobs import thread_job
from textual.message import Message
from textual.screen import Screen

NO_PAPER = "No paper selected."


class PaperActions:
    """Actions on the paper under the cursor (`current_row()`) of `library`, run in thread
    workers of `screen`, which get their answers as messages."""

    def __init__(
        self,
        screen: Screen[Any],
        library: Library,
        current_row: Callable[[], PaperRow | None],
        no_paper: Callable[[str], None] | None = None,
        marks: Callable[[], messages.Marks] = dict,
    ) -> None:
        self.screen, self.library, self.current_row = screen, library, current_row
        self.marks = marks  # the bookmarks the screen shows, by paper id
        # How "No paper selected." is said (the screen's: one toast, not one a key).
        self.no_paper = no_paper or (lambda said: screen.notify(said, severity="warning"))
        # Bookmark workers change the file and report the marks one at a time, so the last
        # report the screen gets holds every change (b pressed on three rows in a row).
        self._marks_lock = threading.Lock()

    def post_message(self, message: Message) -> None:
        self.screen.post_message(message)

    def require_row(self) -> PaperRow | None:
        row = self.current_row()
        if row is None:  # nothing on the screen: never a paper of an earlier list
            self.no_paper(NO_PAPER)
        return row

    def _failed(self, exc: Exception) -> None:
        self.post_message(messages.ActionFailed(str(exc)))

    # -- bookmarks -----------------------------------------------------------------------------
    def bookmark(self) -> None:
        if row := self.require_row():
            self.bookmark_worker(row.id)

    @thread_job("bookmark")
    def bookmark_worker(self, paper_id: str) -> None:
        with self._marks_lock:
            try:
                state = self.library.toggle_bookmark(paper_id)
                marks = actions.bookmarks_by_id(self.library)
            except PaperdeckError as exc:
                self._failed(exc)
                return
            notices = self.library.take_notices()
            self.post_message(
                messages.BookmarkChanged(
                    paper_id=paper_id, bookmarked=state, bookmarks=marks, notices=notices
                )
            )

    async def edit_bookmark(self) -> None:
        """The tags and note dialog, opened with the marks the screen holds and its tags box
        focused before the key's action returns, so the keys typed after `t` (a paste, a
        lagging link) are its text, never commands on the list; a paper not bookmarked yet
        becomes one when the dialog is saved, not before."""
        from paperdeck.tui.screens.bookmark_dialog import BookmarkDialog

        if (row := self.require_row()) is None:
            return

        def saved(result: tuple[str, list[str], str] | None) -> None:
            if result is not None:
                self.annotate_worker(*result)

        dialog = BookmarkDialog(row, self.marks().get(row.id))
        await self.screen.app.push_screen(dialog, saved)  # (mounted: the keys wait for it)
        dialog.set_focus(dialog.query_one("#tags"))  # at once, not after the queued keys

    @thread_job("bookmark")
    def annotate_worker(self, paper_id: str, tags: list[str], note: str) -> None:
        """Tags and a note belong to a bookmark: a paper not bookmarked yet becomes one."""
        with self._marks_lock:
            try:
                if paper_id not in actions.bookmarks_by_id(self.library):
                    self.library.toggle_bookmark(paper_id)
                self.library.annotate(paper_id, tags, note)
                marks = actions.bookmarks_by_id(self.library)
            except PaperdeckError as exc:
                self._failed(exc)
                return
            notices = self.library.take_notices()
            self.post_message(
                messages.BookmarkChanged(
                    paper_id=paper_id,
                    bookmarked=True,
                    bookmarks=marks,
                    notices=notices,
                    annotated=True,
                )
            )

    # -- not interested ------------------------------------------------------------------------
    def not_interested(self) -> None:
        if row := self.require_row():
            self.dismiss_worker(row.id)

    @thread_job("bookmark")
    def dismiss_worker(self, paper_id: str) -> None:
        with self._marks_lock:
            try:
                state = self.library.toggle_dismissed(paper_id)
            except PaperdeckError as exc:
                self._failed(exc)
                return
            notices = self.library.take_notices()
            self.post_message(
                messages.DismissChanged(paper_id=paper_id, dismissed=state, notices=notices)
            )

    # -- copy and open -------------------------------------------------------------------------
    def copy(self, kind: str) -> None:
        if row := self.require_row():
            self.copy_worker(row.id, kind)

    @thread_job("copy")
    def copy_worker(self, paper_id: str, kind: str, text: str = "") -> None:
        """Copy the paper's `kind` of text, or `text` itself (a link clicked)."""
        try:
            text = text or actions.text_to_copy(actions.whole_paper(self.library, paper_id), kind)
        except PaperdeckError as exc:
            self._failed(exc)
            return
        # OSC 52 goes out through the terminal, so it reaches the clipboard over SSH too.
        app = self.screen.app
        app.call_from_thread(app.copy_to_clipboard, text)
        from paperdeck.tui.clipboard import copy_everywhere  # (its modules: at the first copy)

        outcome = copy_everywhere(text, actions.COPY_KINDS[kind], self.library.keep_last_copy)
        self.post_message(messages.Copied(outcome))

    def open_link(self) -> None:
        if row := self.require_row():
            self.open_worker(row.id)

    def follow_link(self, url: str) -> None:
        """A link in the detail pane clicked: open it, or copy it where no browser can."""
        row = self.current_row()
        self.open_worker(row.id if row else "", url)

    def _copy_link(self, paper_id: str, url: str) -> None:
        """From a worker thread: copy `url` in a copy worker of its own."""
        self.screen.app.call_from_thread(self.copy_worker, paper_id, "link", url)

    @thread_job("browser")
    def open_worker(self, paper_id: str, url: str = "") -> None:
        """Open the paper's link (or `url`, a link clicked) in the browser."""
        try:
            url = url or actions.whole_paper(self.library, paper_id).url
        except PaperdeckError as exc:
            self._failed(exc)
            return
        if not url:
            self.post_message(messages.Done("This paper has no link."))
            return
        if not actions.has_gui_browser():
            self.post_message(messages.Done("No browser on this display (SSH?): copying the link."))
            self._copy_link(paper_id, url)
            return
        self.post_message(messages.Done(f"Opening {url}"))
        ran = actions.open_in_browser(url)
        if not ran.ok:
            reason = ran.reason.rstrip(".")
            self._failed(PaperdeckError(f"The browser did not open: {reason}. Copying the link."))
            self._copy_link(paper_id, url)

    # -- export -------------------------------------------------------------------------------
    def export(self, fmt: str, bookmarked: bool) -> None:
        """Ask where to write (the palette's exports): a worker finds a name to offer."""
        self.export_path_worker(fmt, bookmarked)

    @thread_job("export")
    def export_path_worker(self, fmt: str, bookmarked: bool) -> None:
        try:
            path = self.library.export_path(fmt, bookmarked)
        except OSError as exc:
            self._failed(PaperdeckError(f"Export failed: {exc.strerror or exc}"))
            return
        self.post_message(messages.AskExportPath(fmt=fmt, bookmarked=bookmarked, path=path))

    def ask_export_path(self, message: messages.AskExportPath) -> None:
        from paperdeck.tui.screens.export_dialog import ExportDialog

        what = f"{'bookmarks' if message.bookmarked else 'all papers'} as {message.fmt}"
        dialog = ExportDialog(what, message.path, message.exists)
        fmt, bookmarked = message.fmt, message.bookmarked

        def answered(got: tuple[str, bool] | None) -> None:
            if got:
                self.export_worker(fmt, bookmarked, *got)

        self.screen.app.push_screen(dialog, answered)

    @thread_job("export")
    def export_worker(self, fmt: str, bookmarked: bool, path: str, replace: bool) -> None:
        """Write the export; a file already there is written over only once confirmed."""
        from paperdeck.index.library import NothingToExport  # export's module: at the first

        try:
            done = self.library.export(fmt, bookmarked, path, overwrite=replace)
        except FileExistsError:
            target = Path(path).expanduser()
            self.post_message(
                messages.AskExportPath(fmt=fmt, bookmarked=bookmarked, path=target, exists=True)
            )
            return
        except NothingToExport as exc:
            hint = "press b on a paper first" if exc.bookmarked else "import a digest first"
            self._failed(PaperdeckError(f"Nothing to export: {exc}; {hint}."))
            return
        except PaperdeckError as exc:
            self._failed(PaperdeckError(f"Export failed: {exc}"))
            return
        said = texts.plural(done.papers, "paper")
        self.post_message(messages.Done(f"Exported {said} to {done.path}"))
