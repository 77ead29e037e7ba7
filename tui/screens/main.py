"""The main screen: search box on top, paper list and paper detail side by side.

Every library call runs in a thread worker and comes back as a message; search results carry
a serial number so that a slow, stale search never overwrites a newer one.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from index.errors import PaperdeckError
from index.library import Library
from index.models import Paper, SearchResult
from tui import actions, messages
from tui.clipboard import copy_everywhere
from tui.widgets.paper_detail import DetailView, PaperDetail
from tui.widgets.paper_list import PaperList

LIST_LIMIT = 5000
EMPTY_LIBRARY = (
    "Your library is empty.\n\nImport a digest from the shell:\n\n"
    "  paperdeck import DIGEST.txt\n\nor start the reader with one:  paperdeck DIGEST.txt\n\n"
    "A digest is the text of a Hugging Face Papers page (select all, copy, paste into a file)."
)


class MainScreen(Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("escape", "back", "Back", show=False),
        Binding("b,ctrl+b", "bookmark", "Mark"),
        Binding("B", "bookmarks_only", "Marked"),
        Binding("y,ctrl+y", "copy('link')", "Copy"),
        Binding("a", "copy('abstract')", "Copy abstract", show=False),
        Binding("c", "copy('citation')", "Copy citation", show=False),
        Binding("o,ctrl+o", "open_link", "Open"),
        Binding("s,ctrl+r", "similar", "Similar"),
        Binding("t", "edit_bookmark", "Tags/note", show=False),
        Binding("ctrl+n", "apply_suggestion", "Did you mean", show=False),
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.serial = 0
        self.query_text = ""
        self.bookmarks_only = False
        self.marks: set[str] = set()
        self.result: SearchResult | None = None
        self.similar_to: Paper | None = None
        self.return_to: str | None = None  # the paper to come back to after similar papers
        self.library_size = 0
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search titles, abstracts, authors…  (? for help)", id="search")
        with Horizontal(id="panes"):
            yield PaperList(id="papers")
            yield PaperDetail(id="detail")
        yield Static("Opening the library…", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(PaperList).empty_message = "Opening the library…"
        self.query_one(PaperList).focus()
        self.open_library()

    # -- workers (threads; they only post messages) --------------------------------------------
    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_library(self) -> None:
        def progress(done: int, total: int) -> None:
            self.post_message(messages.IndexProgress(done, total))

        try:
            self.library.open(progress)
            count = self.library.count()
            self.library.bookmark_ids()  # read now, so a damaged file is reported at once
        except PaperdeckError as exc:
            self.post_message(messages.LibraryFailed(str(exc)))
            return
        self.post_message(messages.LibraryOpened(count, self.library.take_notices()))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_worker(self, text: str, serial: int) -> None:
        worker = get_current_worker()
        try:
            result = self.library.query(text, limit=LIST_LIMIT)
            marks = self.library.bookmark_ids()
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(messages.SearchDone(serial, result, marks))

    @work(thread=True, group="similar", exclusive=True, exit_on_error=False)
    def similar_worker(self, paper: Paper) -> None:
        try:
            hits = self.library.similar(paper.id, limit=30)
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        self.post_message(messages.SimilarDone(paper, hits))

    @work(thread=True, group="bookmark", exit_on_error=False)
    def bookmark_worker(self, paper: Paper) -> None:
        try:
            state = self.library.toggle_bookmark(paper.id)
            marks = self.library.bookmark_ids()
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        self.post_message(messages.BookmarkChanged(paper.id, state, marks))

    @work(thread=True, group="copy", exit_on_error=False)
    def copy_worker(self, text: str, what: str) -> None:
        outcome = copy_everywhere(text, what, self.library.paths.last_copy_file)
        self.post_message(messages.Copied(outcome))

    # -- searching -----------------------------------------------------------------------------
    def run_search(self) -> None:
        if not self.ready:
            return
        self.serial += 1
        text = self.query_text + (" is:bookmarked" if self.bookmarks_only else "")
        self.search_worker(text, self.serial)

    @on(Input.Changed, "#search")
    def on_search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.similar_to = None
        self.run_search()

    @on(Input.Submitted, "#search")
    def on_search_submitted(self) -> None:
        self.query_one(PaperList).focus()

    # -- messages from workers -----------------------------------------------------------------
    def on_index_progress(self, message: messages.IndexProgress) -> None:
        self.set_status(f"Rebuilding the search index… {message.done:,} of {message.total:,}")

    def on_library_opened(self, message: messages.LibraryOpened) -> None:
        self.ready, self.library_size = True, message.count
        for notice in message.notices:
            self.notify(notice, title="Library", timeout=8)
        self.run_search()

    def on_library_failed(self, message: messages.LibraryFailed) -> None:
        self.query_one(PaperList).empty_message = "The library could not be opened."
        self.set_status(message.error)
        self.notify(message.error, severity="error", timeout=15)

    def on_search_done(self, message: messages.SearchDone) -> None:
        if message.serial != self.serial or self.similar_to is not None:
            return  # a newer search is on its way: drop this one
        self.result, self.marks = message.result, message.bookmarks
        paper_list = self.query_one(PaperList)
        paper_list.empty_message = self._empty_message()
        keep = self.return_to or (paper_list.current.id if paper_list.current else None)
        self.return_to = None
        paper_list.set_rows([hit.paper for hit in message.result.hits], self.marks, keep)
        self.show_current()
        self.update_status()

    def on_similar_done(self, message: messages.SimilarDone) -> None:
        self.similar_to = message.paper
        self.query_one(PaperList).set_rows([h.paper for h in message.hits], self.marks)
        self.query_one(PaperList).focus()
        self.show_current()
        self.set_status(f"Similar to “{message.paper.title}” — escape to go back")

    def on_bookmark_changed(self, message: messages.BookmarkChanged) -> None:
        self.marks = message.bookmarks
        self.query_one(PaperList).set_marks(self.marks)
        self.show_current()
        self.notify("Bookmarked." if message.bookmarked else "Bookmark removed.", timeout=3)
        if self.bookmarks_only and not message.bookmarked:
            self.run_search()

    def on_copied(self, message: messages.Copied) -> None:
        severity = "information" if message.outcome.native else "warning"
        self.notify(message.outcome.message(), severity=severity, timeout=8)

    def on_action_failed(self, message: messages.ActionFailed) -> None:
        self.notify(message.error, severity="error", timeout=10)

    # -- list and detail -----------------------------------------------------------------------
    @on(PaperList.Highlighted)
    def on_paper_highlighted(self) -> None:
        self.show_current()

    @on(PaperList.Selected)
    def on_paper_selected(self) -> None:
        self.query_one(PaperDetail).focus()

    def current_paper(self) -> Paper | None:
        return self.query_one(PaperList).current

    def show_current(self) -> None:
        paper = self.current_paper()
        view = DetailView(paper=paper, placeholder=self._detail_placeholder())
        if paper is not None:
            terms = self.result.hits[0].terms if self.result and self.result.hits else frozenset()
            if self.similar_to is None and terms:
                view.title_spans = self.library.highlight(paper.title, terms, "title")
                view.abstract_spans = self.library.highlight(paper.abstract, terms, "abstract")
            view.bookmark = self.library.bookmarks.all().get(paper.id)
        self.query_one(PaperDetail).show(view)

    def _detail_placeholder(self) -> str:
        if not self.ready:
            return "Opening the library…"
        return EMPTY_LIBRARY if self.library_size == 0 else "No paper selected."

    def _empty_message(self) -> str:
        if self.library_size == 0:
            return "No papers yet: import a digest (see the right pane)."
        if self.bookmarks_only and not self.query_text.strip():
            return "No bookmarks yet: press b on a paper to bookmark it."
        return "No papers match. Try fewer words, or a prefix like transfor."

    # -- status line ---------------------------------------------------------------------------
    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def update_status(self) -> None:
        result = self.result
        if result is None:
            return
        parts = [f"{self.library_size:,} papers"]
        if self.bookmarks_only:
            parts.append(f"{len(self.marks):,} bookmarked")
        if self.query_text.strip():
            parts.append(f"{result.total:,} match")
        if len(result.hits) < result.total:
            parts.append(f"showing the first {len(result.hits):,}")
        if result.suggestion:
            parts.append(f"did you mean: {result.suggestion}  (ctrl+n)")
        if result.fell_back:
            parts.append("query syntax not understood: searched the words")
        self.set_status(" · ".join(parts))

    # -- actions -------------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        if self.similar_to is not None:
            self.return_to, self.similar_to = self.similar_to.id, None
            self.run_search()
        self.query_one(PaperList).focus()

    def action_bookmark(self) -> None:
        if paper := self._require_paper():
            self.bookmark_worker(paper)

    def action_bookmarks_only(self) -> None:
        self.bookmarks_only = not self.bookmarks_only
        self.similar_to = None
        self.notify("Showing bookmarks only." if self.bookmarks_only else "Showing all papers.")
        self.run_search()

    def action_copy(self, kind: str) -> None:
        paper = self._require_paper()
        if paper is None:
            return
        text = actions.text_to_copy(paper, kind)
        self.app.copy_to_clipboard(text)  # OSC 52: reaches the clipboard over SSH too
        self.copy_worker(text, actions.COPY_KINDS[kind])

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

    def action_similar(self) -> None:
        if paper := self._require_paper():
            self.set_status(f"Finding papers similar to “{paper.title}”…")
            self.similar_worker(paper)

    def action_apply_suggestion(self) -> None:
        if self.result and self.result.suggestion:
            self.query_one("#search", Input).value = self.result.suggestion

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

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
        self.post_message(messages.BookmarkChanged(paper_id, True, marks))

    def export_papers(self, fmt: str, bookmarked_only: bool) -> None:
        self.export_worker(fmt, bookmarked_only)

    @work(thread=True, group="export", exit_on_error=False)
    def export_worker(self, fmt: str, bookmarked_only: bool) -> None:
        try:
            path = actions.export_to_file(self.library, fmt, bookmarked_only, Path.cwd())
        except (OSError, PaperdeckError) as exc:
            self.post_message(messages.ActionFailed(f"Export failed: {exc}"))
            return
        self.app.call_from_thread(self.notify, f"Exported to {path}")

    def _require_paper(self) -> Paper | None:
        paper = self.current_paper()
        if paper is None:
            self.notify("No paper selected.", severity="warning", timeout=3)
        return paper
