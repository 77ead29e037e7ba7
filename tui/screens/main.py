"""The main screen: search box on top, paper list and paper detail side by side.

Every library call runs in a thread worker and comes back as a message; search results carry
a serial number so that a slow, stale search never overwrites a newer one.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Sequence

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.index.models import Hit, Paper, PaperRow, RowResult, Why
from paperdeck.tui import actions, keymap, messages
from paperdeck.tui.screens import texts
from paperdeck.tui.screens.import_actions import IMPORT_GROUPS, ImportActions
from paperdeck.tui.screens.triage import TriageActions
from paperdeck.tui.screens.watch_actions import WatchActions
from paperdeck.tui.widgets.key_bar import KeyBar
from paperdeck.tui.widgets.paper_detail import DetailView, PaperDetail, shown_text
from paperdeck.tui.widgets.paper_list import PaperList
from paperdeck.tui.widgets.status_line import StatusLine
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

QUERY_LIMIT = 1000  # a typed query lists its best 1,000; the empty query lists every paper
FIRST_PAGE = 200  # rows shown at once while the rest of a long listing loads
SIMILAR_DELAY_S = 1.0  # similar papers cost a search over the library: wait until the cursor rests


def read_first_screen(library: Library) -> messages.SearchDone | None:
    """The newest papers, read before the reader's event loop starts: a few KB from the
    listing file, so that the first frame already shows them. None when the index has to be
    opened (or rebuilt) first; the open worker then does it all and reports any error."""
    try:
        marks = actions.bookmarks_by_id(library)
        library.recall_last_opening()  # (the open worker marks this opening: a synced write)
        first = library.first_rows(FIRST_PAGE)
    except PaperdeckError:
        return None
    if first is None:
        return None
    return messages.SearchDone(0, first, marks, actions.new_ids(library, first.rows), first.total)


class MainScreen(ImportActions, WatchActions, TriageActions):
    BINDINGS = keymap.bindings("screen")  # every key is in paperdeck.tui.keymap

    def __init__(
        self,
        library: Library,
        first_screen: messages.SearchDone | None = None,
        imports: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.library = library
        self.first_screen = first_screen  # see read_first_screen
        self.imports = list(imports)  # digests to import once the library is open
        self.serial = 0
        self.query_text = ""
        self.filters = {"bookmarks_only": False, "new_only": False, "dismissed_only": False}
        self.marks: messages.Marks = {}
        self.new_ids: set[str] = set()
        self.gone: frozenset[str] = frozenset()  # bookmarks listed whose paper left the library
        self.result: RowResult | None = None
        self.loaded: Paper | None = None  # the full paper behind the cursor row, once loaded
        self.why: Why | None = None  # why "for you" ranks the loaded paper there
        self.similar_to: Paper | None = None
        # (paper id, its similar papers): kept here, not only in the detail view, because they
        # come once per load and typing may show other papers before coming back to it.
        self.detail_similar: tuple[str, list[Hit]] | None = None
        self.return_to: str | None = None  # the paper to come back to after similar papers
        self.library_size = 0
        self.first_opening = False  # no earlier opening: nothing can be new
        self.ready = False
        self.warmed = False  # warm_library() has been asked for
        self.loading_more = False  # the next page of a typed query is on its way
        self._similar_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search titles, abstracts, authors…  (? for help)", id="search")
        with Horizontal(id="panes"):
            yield PaperList(id="papers")
            yield PaperDetail(id="detail")
        yield StatusLine("Opening the library…", id="status")
        yield KeyBar(keymap.footer(), id="keys")

    def on_mount(self) -> None:
        self.query_one(PaperList).empty_message = "Opening the library…"
        self.query_one(PaperList).focus()
        if self.first_screen is not None:
            self.post_message(self.first_screen)  # Whoosh opens once it is drawn
        else:
            self.open_library()

    # -- workers (threads; they only post messages) --------------------------------------------
    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_library(self) -> None:
        def progress(done: int, total: int) -> None:
            self.post_message(messages.IndexProgress(done, total))

        try:
            if self.first_screen is None:  # (else read_first_screen read them)
                self.library.bookmark_ids()  # read now, so a damaged file shows at once
            self.library.mark_opened()
            self.library.open(progress)
            count = self.library.count()
        except PaperdeckError as exc:
            self.post_message(messages.LibraryFailed(str(exc)))
            return
        first = self.library.is_first_opening()
        self.post_message(messages.LibraryOpened(count, self.library.take_notices(), first))

    @work(thread=True, group="warm", exit_on_error=False)
    def warm_library(self) -> None:
        """Load what searching needs once the first rows are up, not on the first keystroke."""
        self.library.warm()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search_worker(self, text: str, serial: int, limit: int | None) -> None:
        worker = get_current_worker()
        try:
            marks = actions.bookmarks_by_id(self.library)
            result = self.library.browse(text, limit=limit, order=self.order)
            count = self.library.count()
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        gone: list[PaperRow] = []
        if text.strip() == "is:bookmarked" and len(result.rows) >= result.total:
            gone = actions.gone_bookmarks(self.library, marks, result.rows)
            rows, total = result.rows + tuple(gone), result.total + len(gone)
            result = dataclasses.replace(result, rows=rows, total=total)
        new_ids = actions.new_ids(self.library, result.rows)
        if not worker.is_cancelled:
            ids = frozenset(row.id for row in gone)
            self.post_message(messages.SearchDone(serial, result, marks, new_ids, count, ids))

    @work(thread=True, group="paper", exclusive=True, exit_on_error=False)
    def load_paper(self, paper_id: str, explain: bool) -> None:
        """The whole paper; and, in the for-you order, why it is there."""
        try:
            paper = self.library.get(paper_id)
            why = self.library.why(paper_id) if explain and paper is not None else None
            if paper is None:  # a bookmark whose paper left the library: its snapshot
                paper = self.library.get_or_bookmarked(paper_id)
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        if paper is not None and not get_current_worker().is_cancelled:
            self.post_message(messages.PaperLoaded(paper, why))

    @work(thread=True, group="similar", exclusive=True, exit_on_error=False)
    def similar_worker(self, paper_id: str, for_detail: bool) -> None:
        try:
            paper = actions.whole_paper(self.library, paper_id)
            hits = self.library.similar(paper.id, limit=8 if for_detail else 30)
        except PaperdeckError as exc:
            if not for_detail:
                self.post_message(messages.ActionFailed(str(exc)))
            return
        if for_detail:
            self.post_message(messages.SimilarForDetail(paper.id, hits))
        else:
            new_ids = actions.new_ids(self.library, [hit.paper for hit in hits])
            self.post_message(messages.SimilarDone(paper, hits, new_ids))

    # -- searching -----------------------------------------------------------------------------
    def run_search(self) -> None:
        if not self.ready:
            return
        self.serial += 1
        self.loading_more = False
        text = self.query_text
        text += " is:bookmarked" if self.filters["bookmarks_only"] else ""
        text += " is:new" if self.filters["new_only"] else ""
        text += " is:dismissed" if self.filters["dismissed_only"] else ""
        # The whole library comes in two steps: a first screenful at once, the rest after it
        # is drawn (see on_search_done).
        self.search_worker(text, self.serial, QUERY_LIMIT if text.strip() else FIRST_PAGE)

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
        self.first_opening = message.first_opening
        for notice in message.notices:
            self.notify(notice, title="Library", timeout=8)
        self.run_search()
        self.watches_worker(True)  # what is new in the watches, said once
        if self.imports:  # the list shows the library as it is meanwhile
            self.import_worker(self.imports)
            self.imports = []

    def on_library_failed(self, message: messages.LibraryFailed) -> None:
        self.query_one(PaperList).empty_message = "The library could not be opened."
        self.set_status(message.error)
        self.notify(message.error, severity="error", timeout=15)

    def on_library_changed(self, message: messages.LibraryChanged) -> None:
        """Papers were added: the search that follows brings the new count."""
        self.notify(message.summary, timeout=8)
        self.run_search()

    def on_search_done(self, message: messages.SearchDone) -> None:
        if message.serial != self.serial or self.similar_to is not None:
            return  # a newer search is on its way: drop this one
        self.loading_more = False
        if self._keeps_last_results(message.result):
            return
        # The same query again (the rest of a listing, a bookmark toggled) keeps the cursor
        # on its paper; a new query starts at its best match.
        same_query = self.result is not None and self.result.query == message.result.query
        self.result, self.marks, self.new_ids = message.result, message.bookmarks, message.new_ids
        self.gone = message.gone
        self.library_size = message.count
        rows = message.result.rows
        paper_list = self.query_one(PaperList)
        paper_list.empty_message = self._empty_message()
        current = paper_list.current.id if paper_list.current and same_query else None
        keep = self.return_to or current
        place, self.return_to, self.keep_index = self.keep_index, None, None
        paper_list.gone_ids = self.gone
        paper_list.set_rows(rows, self.marks, None if place is not None else keep, self.new_ids)
        if place is not None:  # after a mark: the next paper comes under the cursor
            paper_list.cursor = place
        self.show_current()
        self.update_status()
        if not self.ready:  # the first screen, before the index is open: open it once drawn
            self.call_after_refresh(self.open_library)
            return
        if not message.result.query.strip() and len(rows) < message.result.total:
            query, serial = message.result.query, message.serial
            self.call_after_refresh(self.search_worker, query, serial, None)
        elif not self.warmed:
            self.warmed = True
            self.call_after_refresh(self.warm_library)

    def _keeps_last_results(self, result: RowResult) -> bool:
        """Half-typed syntax that finds nothing yet (`"neural netw`): the last good results
        stay on screen, and the status line says what is unfinished."""
        if not (result.incomplete and not result.rows and self.result and self.result.rows):
            return False
        self.result = dataclasses.replace(self.result, incomplete=result.incomplete)
        self.update_status()
        return True

    def on_similar_done(self, message: messages.SimilarDone) -> None:
        self.similar_to, self.new_ids = message.paper, message.new_ids
        rows = [h.paper.row() for h in message.hits]
        self.query_one(PaperList).set_rows(rows, self.marks, None, self.new_ids)
        self.query_one(PaperList).focus()
        self.show_current()
        self.set_about_title("Similar to ", message.paper.title, " — escape to go back")

    def on_similar_for_detail(self, message: messages.SimilarForDetail) -> None:
        self.detail_similar = (message.paper_id, message.hits)
        detail = self.query_one(PaperDetail)
        if detail.view.paper is not None and detail.view.paper.id == message.paper_id:
            detail.view.similar = message.hits
            detail.show(detail.view, keep_scroll=True)

    def on_bookmark_changed(self, message: messages.BookmarkChanged) -> None:
        self.marks = message.bookmarks
        self.query_one(PaperList).set_marks(self.marks)
        self.show_current()
        for notice in message.notices:
            self.notify(notice, title="Bookmarks", timeout=10)
        said = "Bookmarked." if message.bookmarked else "Bookmark removed."
        self.notify("Saved tags and note." if message.annotated else said, timeout=3)
        if self.shown_order() == "for-you" and not message.annotated:
            self.research_in_place()  # learn from the new mark
        elif self.filters["bookmarks_only"] and not message.bookmarked:
            self.run_search()

    def on_copied(self, message: messages.Copied) -> None:
        outcome = message.outcome
        self.notify(
            outcome.message(),
            title=outcome.title,
            severity="information" if outcome.native else "warning",
            timeout=8,
        )

    def on_done(self, message: messages.Done) -> None:
        self.notify(message.summary, timeout=6)

    def on_action_failed(self, message: messages.ActionFailed) -> None:
        self.notify(message.error, severity="error", timeout=10)

    # -- a worker's unexpected error ------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker raised what it does not expect (a bug, an OSError past the library's
        one-line errors): say so in one line naming the log that has its traceback, and put
        back what the failed work left half done, so the screen goes on working."""
        error, worker = event.worker.error, event.worker
        if event.state != WorkerState.ERROR or error is None:
            return
        if event.worker.group == "crash-log":  # (writing the log itself failed)
            self.notify(str(error), title="Unexpected error", severity="error", timeout=15)
            return
        report = "".join(traceback.format_exception(error))
        self.crash_worker(f"worker {worker.name!r} ({worker.group})\n{report}", error, worker.group)

    @work(thread=True, group="crash-log", exit_on_error=False)
    def crash_worker(self, report: str, error: BaseException, group: str) -> None:
        """The traceback written to the crash log (a disk write: off the event loop)."""
        try:
            log = self.library.crash_log(report)
        except Exception:  # (the log's own failure must not hide the error it reports)
            log = None
        self.post_message(messages.WorkerCrashed(error, group, log))

    def on_worker_crashed(self, message: messages.WorkerCrashed) -> None:
        log = message.log
        where = f"details in {log}" if log else "its details could not be written anywhere"
        said = texts.unexpected_error(message.error, where)
        self.notify(said, title="Unexpected error", severity="error", timeout=15)
        self._recover(message.group, said)

    def _recover(self, group: str, said: str) -> None:
        """The screen as it would be had the failed worker finished."""
        if group == "open":
            self.query_one(PaperList).empty_message = "The library could not be opened."
            self.set_status(said)
        elif group == "search":
            self.loading_more = False
            self.set_status(said)  # (not the counts of a search that never ran)
            if self.order == "for-you":  # a failing order would fail every search after it
                self.order = "relevance"
                self.run_search()
        elif group in IMPORT_GROUPS:
            self._show_activity([texts.Part(said, keep=9)])

    # -- list and detail -----------------------------------------------------------------------
    @on(PaperList.Highlighted)
    def on_paper_highlighted(self) -> None:
        self.show_current()

    @on(PaperList.Selected)
    def on_paper_selected(self) -> None:
        self.query_one(PaperDetail).focus()

    @on(PaperList.NearEnd)
    def on_near_end(self) -> None:
        """At the end of a typed query's best rows: ask for the next page (the same search,
        a larger limit); the cursor stays on its paper (see on_search_done)."""
        result = self.result
        if result is None or self.similar_to is not None or self.loading_more:
            return
        if not result.query.strip() or len(result.rows) >= result.total:
            return  # (the empty query lists the whole library by itself)
        self.loading_more, self.serial = True, self.serial + 1
        self.search_worker(result.query, self.serial, len(result.rows) + QUERY_LIMIT)

    def current_row(self) -> PaperRow | None:
        return self.query_one(PaperList).current

    def cursor_index(self) -> int:
        return self.query_one(PaperList).cursor

    def current_paper(self) -> Paper | None:
        """The full paper under the cursor, once loaded."""
        row = self.current_row()
        return self.loaded if row and self.loaded and self.loaded.id == row.id else None

    def show_current(self) -> None:
        """Show the cursor row's paper: at once if loaded, else its title while it loads."""
        row: PaperRow | None = self.query_one(PaperList).current
        paper = self.current_paper()
        if row is not None and paper is None:
            if self.ready:  # (the first screen loads it once the library is open)
                self.load_paper(row.id, bool(self.result and self.result.order == "for-you"))
            paper = Paper(id=row.id, title=row.title, date=row.date, added=row.added)
        view = DetailView(paper=paper, placeholder=self._detail_placeholder())
        if paper is not None:
            terms = self.result.terms if self.result and self.similar_to is None else frozenset()
            if terms:
                view.title_spans = self.library.highlight(paper.title, terms, "title")
                abstract = shown_text(paper.abstract)  # (not the megabytes it does not show)
                view.abstract_spans = self.library.highlight(abstract, terms, "abstract")
            view.bookmark = self.marks.get(paper.id)
            view.new = paper.id in self.new_ids
            view.gone = paper.id in self.gone
            view.loading = self.current_paper() is None
            view.why = self.why if self.loaded and self.loaded.id == paper.id else None
            if self.detail_similar and self.detail_similar[0] == paper.id:
                view.similar = self.detail_similar[1]
        # Redrawing the same paper (a bookmark toggled, the list refreshed) keeps the reader's
        # place in it.
        detail = self.query_one(PaperDetail)
        shown = detail.view.paper
        same_paper = paper is not None and shown is not None and shown.id == paper.id
        detail.show(view, keep_scroll=same_paper)

    def on_paper_loaded(self, message: messages.PaperLoaded) -> None:
        row = self.query_one(PaperList).current
        if row is None or row.id != message.paper.id:
            return  # the cursor moved on
        self.loaded, self.why = message.paper, message.why
        self.show_current()
        if self._similar_timer is not None:
            self._similar_timer.stop()
        paper = message.paper
        self._similar_timer = self.set_timer(
            SIMILAR_DELAY_S, lambda: self.similar_worker(paper.id, True)
        )

    def _detail_placeholder(self) -> str:
        if not self.ready:
            return "Opening the library…"
        return texts.EMPTY_LIBRARY if self.library_size == 0 else "No paper selected."

    def _empty_message(self) -> str:
        size, query = self.library_size, self.query_text
        return texts.empty_message(size, self.filters, query, self.first_opening)

    # -- status line ---------------------------------------------------------------------------
    def set_status(self, text: str) -> None:
        """A status of its own (an error ends with its advice: it is cut in its middle)."""
        self.query_one(StatusLine).show([texts.Part(text)])

    def set_about_title(self, before: str, title: str, after: str) -> None:
        """A status about one paper: its title gives way to the advice after it."""
        self.query_one(StatusLine).show(texts.about_title(before, title, after))

    # -- actions -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` is a priority key (see the key map): in the search box it is text, not an action."""
        return not (action == "focus_search" and self.focused is self.query_one("#search", Input))

    def action_focus_search(self) -> None:
        # At once, not after the queued keys (Widget.focus waits its turn): the keys typed
        # right after `/` are read only once this returns, and go to the search box.
        self.set_focus(self.query_one("#search", Input))

    def action_back(self) -> None:
        """Back to the list; pressed again there, back to the whole library."""
        paper_list = self.query_one(PaperList)
        if self.similar_to is not None:
            self.return_to, self.similar_to = self.similar_to.id, None
            self.run_search()
        elif paper_list.has_focus and self.query_text:
            self.query_one("#search", Input).value = ""  # searches again (Input.Changed)
        paper_list.focus()

    def action_similar(self) -> None:
        if row := self._require_row():
            self.set_about_title("Finding papers similar to ", row.title, "…")
            self.similar_worker(row.id, False)

    def action_apply_suggestion(self) -> None:
        if not (self.result and self.result.suggestion):
            self.notify("No suggestion to apply: the status line shows one when it has it.")
            return
        search = self.query_one("#search", Input)
        search.value = self.result.suggestion
        search.cursor_position = len(search.value)  # typing goes on after the applied text

    def action_help(self) -> None:
        from paperdeck.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
