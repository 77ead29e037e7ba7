"""What the main screen does to the selected paper: bookmark, copy, open, annotate, export,
and fetching new papers. Each blocking step runs in a thread worker and reports by message.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.screen import Screen

from index.errors import PaperdeckError
from index.fetch import days_of, fetch_days
from index.library import Library
from index.models import Paper
from tui import actions, messages
from tui.clipboard import copy_everywhere


class PaperActions(Screen):
    """The base of MainScreen: actions on `current_paper()` of `library`."""

    library: Library

    def current_paper(self) -> Paper | None:
        raise NotImplementedError("MainScreen knows the selected paper")

    def _require_paper(self) -> Paper | None:
        paper = self.current_paper()
        if paper is None:
            self.notify("No paper selected.", severity="warning", timeout=3)
        return paper

    # -- bookmarks -----------------------------------------------------------------------------
    def action_bookmark(self) -> None:
        if paper := self._require_paper():
            self.bookmark_worker(paper)

    @work(thread=True, group="bookmark", exit_on_error=False)
    def bookmark_worker(self, paper: Paper) -> None:
        try:
            state = self.library.toggle_bookmark(paper.id)
            marks = self.library.bookmark_ids()
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        notices = self.library.take_notices()
        self.post_message(messages.BookmarkChanged(paper.id, state, marks, notices))

    def action_edit_bookmark(self) -> None:
        paper = self._require_paper()
        if paper is None:
            return
        mark = self.library.bookmarks.all().get(paper.id)
        if mark is None:
            self.notify("Bookmark the paper first (b), then add tags or a note.")
            return
        from tui.screens.bookmark_dialog import BookmarkDialog

        self.app.push_screen(BookmarkDialog(mark), self._save_annotation)

    def _save_annotation(self, result: tuple[str, list[str], str] | None) -> None:
        if result is not None:
            self.annotate_worker(*result)

    @work(thread=True, group="bookmark", exit_on_error=False)
    def annotate_worker(self, paper_id: str, tags: list[str], note: str) -> None:
        try:
            self.library.bookmarks.annotate(paper_id, tags, note)
            marks = self.library.bookmark_ids()
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        self.post_message(messages.BookmarkChanged(paper_id, True, marks, []))

    # -- copy and open -------------------------------------------------------------------------
    def action_copy(self, kind: str) -> None:
        paper = self._require_paper()
        if paper is None:
            return
        text = actions.text_to_copy(paper, kind)
        self.app.copy_to_clipboard(text)  # OSC 52: reaches the clipboard over SSH too
        self.copy_worker(text, actions.COPY_KINDS[kind])

    @work(thread=True, group="copy", exit_on_error=False)
    def copy_worker(self, text: str, what: str) -> None:
        outcome = copy_everywhere(text, what, self.library.paths.last_copy_file)
        self.post_message(messages.Copied(outcome))

    def action_open_link(self) -> None:
        paper = self._require_paper()
        if paper is None or not paper.url:
            return
        if actions.has_gui_browser():
            self.notify(f"Opening {paper.url}", timeout=4)
            self.run_worker(lambda: actions.open_in_browser(paper.url), thread=True)
        else:
            self.notify("No browser on this display (SSH?): copying the link instead.")
            self.action_copy("link")

    # -- export and fetch ----------------------------------------------------------------------
    @work(thread=True, group="export", exit_on_error=False)
    def export_papers(self, fmt: str, bookmarked_only: bool) -> None:
        try:
            path = actions.export_to_file(self.library, fmt, bookmarked_only, Path.cwd())
        except (OSError, PaperdeckError) as exc:
            self.post_message(messages.ActionFailed(f"Export failed: {exc}"))
            return
        self.post_message(messages.Done(f"Exported to {path}"))

    def action_fetch(self) -> None:
        self.notify("Fetching today's papers from Hugging Face…", timeout=4)
        self.fetch_worker()

    @work(thread=True, group="fetch", exclusive=True, exit_on_error=False)
    def fetch_worker(self) -> None:
        try:
            lines = []
            for fetched in fetch_days(days_of()):
                if fetched.count == 0:
                    lines.append(f"No papers yet for {fetched.day}.")
                    continue
                lines.append(self.library.import_bytes(fetched.data, fetched.name).summary())
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(f"Fetch failed: {exc}"))
            return
        self.post_message(messages.LibraryChanged(" ".join(lines)))
