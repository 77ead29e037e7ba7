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
from paperdeck.tui.screens import texts, triage
from paperdeck.tui.screens.citation_actions import SEARCH_PLACEHOLDER, CitationLists, citation_line
from paperdeck.tui.screens.follow_disk import DiskChanged, FollowDisk
from paperdeck.tui.screens.import_actions import IMPORT_GROUPS, Imports
from paperdeck.tui.screens.paper_actions import PaperActions
from paperdeck.tui.screens.toasts import Toasts
from paperdeck.tui.screens.watch_actions import Watches, WatchOpened
from paperdeck.tui.widgets.key_bar import KeyBar
from paperdeck.tui.widgets.paper_detail import DetailView, PaperDetail, shown_text
from paperdeck.tui.widgets.paper_list import PaperList
from paperdeck.tui.widgets.search_box import SearchBox
from paperdeck.tui.widgets.status_line import StatusLine
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
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
    return messages.SearchDone(
        serial=0,
        result=first,
        bookmarks=marks,
        new_ids=actions.new_ids(library, first.rows),
        count=first.total,
    )


class MainScreen(Screen[None]):
    """The search box, the list, the detail pane and the status line, drawn from the state
    below (reactives: each change redraws what shows it). What the keys do to a paper, the
    imports and the watches are helpers the screen holds (paper_actions, import_actions,
    watch_actions); their workers run on this screen and answer it with messages."""

    BINDINGS = keymap.bindings("screen")  # every key is in paperdeck.tui.keymap

    # State, not drawing: no repaint (a change of one repainted the whole screen, every
    # widget, on each cursor move); the widgets that show it repaint themselves.
    query_text: reactive[str] = reactive("", init=False, repaint=False)  # the search text
    filters: reactive[texts.Filters] = reactive(texts.Filters, init=False, repaint=False)
    order: reactive[str] = reactive("relevance", init=False, repaint=False)  # see shown_order
    result: reactive[RowResult | None] = reactive(
        None, always_update=True, init=False, repaint=False
    )
    loaded: reactive[Paper | None] = reactive(None, always_update=True, init=False, repaint=False)
    marks: reactive[messages.Marks] = reactive(dict, always_update=True, init=False, repaint=False)
    status: reactive[list[texts.Part]] = reactive(
        lambda: [texts.Part("Opening the library…")],
        always_update=True,
        init=False,
        repaint=False,
    )  # the status line's parts (bound to it)

    def __init__(
        self,
        library: Library,
        first_screen: messages.SearchDone | None = None,
        imports: Sequence[str] = (),
        key_rows: Sequence[keymap.KeyAction] = keymap.KEYS,
    ) -> None:
        super().__init__()
        self.library = library
        self.key_rows = key_rows  # the key table as keys.toml rebinds it: what the help says
        self.first_screen = first_screen  # see read_first_screen
        self.imports = list(imports)  # digests to import once the library is open
        self.toasts = Toasts()  # copy notices and "No paper selected.": one at a time
        self.papers = PaperActions(
            self, library, self.current_row, self.say_no_paper, lambda: self.marks
        )
        self.importer = Imports(self, library)
        self.watches = Watches(self, library, lambda: self.query_text, lambda: self.watch_open)
        self.follow = FollowDisk(self, library, self._importing)  # another process's changes
        self.cites = CitationLists(self, library)  # references, citing papers, the queue
        self.citations: tuple[str, str] | None = None  # (paper id, its cited-by line)
        self._queue_back_to: str | None = None  # the paper escape goes back to from the queue
        self.serial = 0
        self.new_ids: set[str] = set()
        self.gone: frozenset[str] = frozenset()  # bookmarks listed whose paper left the library
        self.why: Why | None = None  # why "for you" ranks the loaded paper there
        self.similar_to: Paper | None = None
        self.watch_open: str | None = None  # the watch listed (Watches.show), not a search
        # (paper id, its similar papers): kept here, not only in the detail view, because they
        # come once per load and typing may show other papers before coming back to it.
        self.detail_similar: tuple[str, list[Hit]] | None = None
        self.return_to: str | None = None  # the paper to come back to after similar papers
        self.cleared: texts.Part | None = None  # what escape cleared, said until the next search
        self.kept_last = False  # a half-typed query: the last answer kept on screen
        self.whole_total = 0  # how many papers the empty query lists
        self.keep_index: int | None = None  # after a mark: the cursor's place, kept next search
        self.library_size = 0
        self.first_opening = False  # no earlier opening: nothing can be new
        self.ready = False
        self.warmed = False  # warm_library() has been asked for
        self.loading_more = False  # the next page of a typed query is on its way
        self._similar_timer: Timer | None = None
        self._detail_due = False  # redraw_detail has asked for a redraw

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder=SEARCH_PLACEHOLDER, id="search")
        with Horizontal(id="panes"):
            yield PaperList(id="papers").data_bind(marks=MainScreen.marks)
            yield PaperDetail(id="detail")
        yield StatusLine(id="status").data_bind(parts=MainScreen.status)
        yield KeyBar(keymap.footer(self.key_rows), keymap.box_footer(self.key_rows), id="keys")

    def on_mount(self) -> None:
        self.query_one(PaperList).empty_message = "Opening the library…"
        self.query_one(SearchBox).focus()  # a word typed at once is searched (issue 21.6)
        if self.first_screen is not None:
            self.on_search_done(self.first_screen)  # in the first frame; Whoosh opens after it
        else:
            self.open_library()

    # -- state: each change redraws what shows it ----------------------------------------------
    def watch_query_text(self) -> None:
        self.similar_to, self.cleared = None, None
        self.watch_open = None
        self._leave_list()  # typed in the search box: a search again
        self.run_search()

    def watch_filters(self) -> None:
        self.similar_to, self.cleared = None, None
        self.watch_open = None
        self._leave_list()
        self.run_search()

    def watch_order(self) -> None:
        self.set_reactive(MainScreen.loaded, None)  # loaded again: with why, or without
        self._leave_list()
        self.run_search()

    def _leave_list(self) -> None:
        """A search asked for while references, citing papers or the queue are shown."""
        if self.cites.mode is not None:
            self.cites.leave(self.query_text)

    def watch_result(self, result: RowResult | None) -> None:
        if result is not None:
            self.status = triage.status_parts(
                result, size=self.library_size, marks=len(self.marks), filters=self.filters,
                query=self.query_text, order=self.order, kept=self.kept_last,
            )  # fmt: skip
            if self.cleared is not None:
                self.status = [*self.status, self.cleared]
        self.redraw_detail()

    def watch_loaded(self) -> None:
        self.redraw_detail()

    def watch_marks(self) -> None:
        self.redraw_detail()

    def redraw_detail(self) -> None:
        """Draw the detail once the handler that changed the state is done (a search's
        answer changes several things the detail shows: it is drawn once)."""
        if not self._detail_due:
            self._detail_due = True
            self.call_next(self._draw_detail)

    def shown_order(self, order: str | None = None) -> str:
        """The order the list is in: relevance without words to match is newest."""
        return triage.shown_order(order or self.order, self.query_text)

    def set_query(self, text: str) -> None:
        """Put `text` in the search box, which searches it (Input.Changed)."""
        self.query_one("#search", Input).value = text

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
        self.post_message(
            messages.LibraryOpened(
                count=count, notices=self.library.take_notices(), first_opening=first
            )
        )

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
            self.post_message(
                messages.SearchDone(
                    serial=serial,
                    result=result,
                    bookmarks=marks,
                    new_ids=new_ids,
                    count=count,
                    gone=ids,
                )
            )

    @work(thread=True, group="paper", exclusive=True, exit_on_error=False)
    def load_paper(self, paper_id: str, explain: bool) -> None:
        """The whole paper; and, in the for-you order, why it is there."""
        try:
            paper = self.library.get(paper_id)
            why = self.library.why(paper_id) if explain and paper is not None else None
            if paper is None:  # a bookmark whose paper left the library: its snapshot
                paper = self.library.get_or_bookmarked(paper_id)
            counts = self.library.cached_citation_counts(paper) if paper else None  # no network
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        if paper is not None and not get_current_worker().is_cancelled:
            self.post_message(
                messages.PaperLoaded(paper=paper, why=why, citations=citation_line(counts))
            )

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
            self.post_message(messages.SimilarDone(paper=paper, hits=hits, new_ids=new_ids))

    # -- searching -----------------------------------------------------------------------------
    def run_search(self) -> None:
        if not self.ready:
            return
        self.serial += 1
        self.loading_more = False
        text = self.query_text + self.filters.query_suffix()
        # The whole library comes in two steps: a first screenful at once, the rest after it
        # is drawn (see on_search_done).
        self.search_worker(text, self.serial, QUERY_LIMIT if text.strip() else FIRST_PAGE)

    @on(Input.Changed, "#search")
    def on_search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value  # searches (watch_query_text)

    @on(Input.Submitted, "#search")
    def action_to_list(self) -> None:
        """From the search box to the list (enter, ↓, a click on the footer's key)."""
        self.query_one(PaperList).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The footer shows the keys that act where the focus is (in the box: ↓, ctrl keys)."""
        self.query_one(KeyBar).in_box = isinstance(event.widget, SearchBox)

    # -- messages from workers -----------------------------------------------------------------
    def on_index_progress(self, message: messages.IndexProgress) -> None:
        self.set_status(f"Rebuilding the search index… {message.done:,} of {message.total:,}")

    def on_library_opened(self, message: messages.LibraryOpened) -> None:
        self.ready, self.library_size = True, message.count
        self.first_opening = message.first_opening
        for notice in message.notices:
            self.notify(notice, title="Library", timeout=8)
        self.run_search()
        self.cites.read_worker(None)  # the read marks, for the list's ✓
        self.follow.start()
        self.watches.list_watches(True)  # what is new in the watches, said once
        if self.imports:  # the list shows the library as it is meanwhile
            self.importer.import_digests(self.imports)
            self.imports = []

    def on_library_failed(self, message: messages.LibraryFailed) -> None:
        self.query_one(PaperList).empty_message = "The library could not be opened."
        self.set_status(message.error)
        self.notify(message.error, severity="error", timeout=15)

    def on_library_changed(self, message: messages.LibraryChanged) -> None:
        """Papers were added: the search that follows brings the new count."""
        self.notify(message.summary, timeout=8)
        self.follow.resync()
        self.run_search()

    def on_search_done(self, message: messages.SearchDone) -> None:
        if message.serial != self.serial or self.in_list_mode():
            return  # a newer search is on its way (or another list is shown): drop this one
        self.loading_more = False
        if self._keeps_last_results(message.result):
            return
        self.kept_last = False
        if not message.result.query.strip():  # the whole library: what `author:` must not show
            self.whole_total = message.result.total
        # The same query again (the rest of a listing, a bookmark toggled) keeps the cursor
        # on its paper; a new query starts at its best match.
        same_query = self.result is not None and self.result.query == message.result.query
        self.new_ids, self.gone, self.library_size = message.new_ids, message.gone, message.count
        self.marks = message.bookmarks
        self._list_rows(message.result.rows, same_query)
        self.result = message.result  # the status line and the detail follow
        if not self.ready:  # the first screen, before the index is open: open it once drawn
            self.call_after_refresh(self.open_library)
            return
        if not message.result.query.strip() and len(message.result.rows) < message.result.total:
            query, serial = message.result.query, message.serial
            self.call_after_refresh(self.search_worker, query, serial, None)
        elif not self.warmed:
            self.warmed = True
            self.call_after_refresh(self.warm_library)

    def _list_rows(self, rows: Sequence[PaperRow], same_query: bool) -> None:
        """Hand the list its rows, the cursor on the paper it was on (or its place after a
        mark, or the paper similar papers were asked for)."""
        paper_list = self.query_one(PaperList)
        paper_list.empty_message = self._empty_message()
        current = paper_list.current.id if paper_list.current and same_query else None
        keep = self.return_to or current
        place, self.return_to, self.keep_index = self.keep_index, None, None
        if place is None and current is not None and all(row.id != current for row in rows):
            place = paper_list.cursor  # its paper left (dismissed elsewhere): the next one
        paper_list.new_ids, paper_list.gone_ids = self.new_ids, self.gone
        # After a mark too, the next paper comes under the cursor.
        paper_list.set_rows(rows, None if place is not None else keep, place)

    def _keeps_last_results(self, result: RowResult) -> bool:
        """Half-typed syntax whose finished part finds nothing yet (`"neural netw`) or does
        not narrow the library at all (`author:`, a lone `AND`): the last answer stays on
        screen, never the whole library unfiltered, and the status line says the query is
        unfinished (issue 21.4)."""
        last, whole = self.result, self.whole_total or self.library_size
        if not (result.incomplete and last and last.rows):
            return False
        if result.rows and result.total < whole:
            return False  # what is typed so far narrows the list: shown
        self.kept_last = True
        self.result = dataclasses.replace(last, incomplete=result.incomplete)
        return True

    def on_similar_done(self, message: messages.SimilarDone) -> None:
        self._leave_list()  # (escape then goes back to the library)
        self.similar_to, self.new_ids, self.watch_open = message.paper, message.new_ids, None
        paper_list = self.query_one(PaperList)
        paper_list.new_ids = self.new_ids
        paper_list.set_rows([h.paper.row() for h in message.hits])
        paper_list.focus()
        self.redraw_detail()
        self.set_about_title("Similar to ", message.paper.title, " — escape to go back")

    def on_similar_for_detail(self, message: messages.SimilarForDetail) -> None:
        self.detail_similar = (message.paper_id, message.hits)
        detail = self.query_one(PaperDetail)
        if detail.view.paper is not None and detail.view.paper.id == message.paper_id:
            detail.view = dataclasses.replace(detail.view, similar=message.hits)

    def on_bookmark_changed(self, message: messages.BookmarkChanged) -> None:
        self.marks = message.bookmarks  # the list and the detail follow
        for notice in message.notices:
            self.notify(notice, title="Bookmarks", timeout=10)
        said = "Bookmarked." if message.bookmarked else "Bookmark removed."
        self.notify("Saved tags and note." if message.annotated else said, timeout=3)
        if self.shown_order() == "for-you" and not message.annotated:
            self.research_in_place()  # learn from the new mark
        elif self.filters.bookmarks_only and not message.bookmarked:
            self.run_search()

    def on_copied(self, message: messages.Copied) -> None:
        outcome = message.outcome
        severity: SeverityLevel = "information" if outcome.native else "warning"
        self.toasts.say(self.app, "copy", outcome.message(), title=outcome.title,
                        severity=severity, timeout=6)  # fmt: skip

    def say_no_paper(self, said: str) -> None:
        self.toasts.say(self.app, "no paper", said, severity="warning", timeout=3)

    def on_screen_suspend(self) -> None:
        """A dialog opens over the screen: the toasts of a kind go, not to cover it."""
        self.toasts.drop_all(self.app)

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
        self.post_message(messages.WorkerCrashed(error=error, group=group, log=log))

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
                self.order = "relevance"  # searches again (watch_order)
        elif group in IMPORT_GROUPS:
            self.query_one(StatusLine).show_activity([texts.Part(said, keep=9)])

    # -- list and detail -----------------------------------------------------------------------
    @on(PaperList.Highlighted)
    def on_paper_highlighted(self) -> None:
        self.redraw_detail()

    @on(PaperList.Selected)
    def on_paper_selected(self) -> None:
        self.query_one(PaperDetail).focus()

    @on(PaperList.NearEnd)
    def on_near_end(self) -> None:
        """At the end of a typed query's best rows: ask for the next page (the same search,
        a larger limit); the cursor stays on its paper (see on_search_done)."""
        result = self.result
        if result is None or self.in_list_mode() or self.loading_more:
            return
        if not result.query.strip() or len(result.rows) >= result.total:
            return  # (the empty query lists the whole library by itself)
        self.loading_more, self.serial = True, self.serial + 1
        self.search_worker(result.query, self.serial, len(result.rows) + QUERY_LIMIT)

    def in_list_mode(self) -> bool:
        """The list pane shows similar papers, a watch, references, citing papers or the queue."""
        return (
            self.similar_to is not None
            or self.cites.mode is not None
            or self.watch_open is not None
        )

    def current_row(self) -> PaperRow | None:
        return self.query_one(PaperList).current

    def cursor_index(self) -> int:
        return self.query_one(PaperList).cursor

    def current_paper(self) -> Paper | None:
        """The full paper under the cursor, once loaded."""
        row = self.current_row()
        return self.loaded if row and self.loaded and self.loaded.id == row.id else None

    def _draw_detail(self) -> None:
        """Show the cursor row's paper: at once if loaded, else its title while it loads."""
        self._detail_due = False
        row: PaperRow | None = self.query_one(PaperList).current
        paper = self.current_paper()
        outside = self.cites.outside_paper(row.id) if row is not None and paper is None else None
        if outside is not None:  # a listed paper the library does not hold: the answer's
            self.set_reactive(MainScreen.loaded, outside)
            paper = outside
        elif row is not None and paper is None:
            if self.ready:  # (the first screen loads it once the library is open)
                self.load_paper(row.id, bool(self.result and self.result.order == "for-you"))
            paper = Paper(id=row.id, title=row.title, date=row.date, added=row.added)
        view = DetailView(paper=paper, placeholder=self._detail_placeholder())
        if paper is not None:
            searched = self.result and self.similar_to is None and self.watch_open is None
            terms = self.result.terms if self.result and searched else frozenset()
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
            view.outside = outside is not None or self.cites.outside_paper(paper.id) is not None
            if view.outside:
                view.citations = self.cites.outside_line(paper.id)
            elif self.citations and self.citations[0] == paper.id:
                view.citations = self.citations[1]
        self.query_one(PaperDetail).view = view  # (the same paper keeps its scroll place)

    def on_paper_loaded(self, message: messages.PaperLoaded) -> None:
        row = self.query_one(PaperList).current
        if row is None or row.id != message.paper.id:
            return  # the cursor moved on
        self.why = message.why
        self.citations = (message.paper.id, message.citations)
        self.loaded = message.paper  # the detail follows
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
        self.status = [texts.Part(text)]

    def set_about_title(self, before: str, title: str, after: str) -> None:
        """A status about one paper: its title gives way to the advice after it."""
        self.status = texts.about_title(before, title, after)

    # -- actions -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/`, `t` and `W` are priority keys (see the key map): in the search box they are
        text, not actions."""
        in_box = self.focused is self.query_one("#search", Input)
        return not (in_box and action in keymap.text_in_the_box())

    def action_focus_search(self) -> None:
        # At once, not after the queued keys (Widget.focus waits its turn): the keys typed
        # right after `/` are read only once this returns, and go to the search box.
        self.set_focus(self.query_one("#search", Input))

    def action_back(self) -> None:
        """Back to the list; pressed again there, back to the whole library."""
        paper_list = self.query_one(PaperList)
        if self.cites.mode is not None:
            self.return_to = self.cites.leave(self.query_text)
            self.run_search()
        elif self.similar_to is not None:
            self.return_to, self.similar_to = self.similar_to.id, None
            self.run_search()
        elif self.watch_open is not None:
            self.watch_open = None
            self.run_search()
        elif paper_list.has_focus and (self.query_text or self.filters.on()):
            self.clear_search()
        paper_list.focus()

    def clear_search(self) -> None:
        """Back to all papers: the query and the filters (B n X) cleared, the status says
        which until something is searched or filtered again (issue 21.8)."""
        cleared = texts.cleared(self.query_text, self.filters)
        self.filters = texts.Filters()
        self.query_text = ""  # (the box follows: its Changed then changes nothing)
        self.set_query("")
        self.cleared = cleared

    def action_similar(self) -> None:
        if row := self.papers.require_row():
            self.set_about_title("Finding papers similar to ", row.title, "…")
            self.similar_worker(row.id, False)

    def action_apply_suggestion(self) -> None:
        if not (self.result and self.result.suggestion):
            self.notify("No suggestion to apply: the status line shows one when it has it.")
            return
        search = self.query_one("#search", Input)
        search.value = self.result.suggestion
        search.cursor_position = len(search.value)  # typing goes on after the applied text

    # -- triage: the order and the filters --------------------------------------------------
    def action_cycle_order(self) -> None:
        """The next order that lists differently, its best paper first (in references or
        citing papers: newest or most cited first)."""
        if self.cites.mode is not None and self.cites.mode.kind != "queue":
            self.cites.toggle_order()
            return
        self.keep_index = 0
        self.order = triage.next_order(self.order, self.query_text)  # searches (watch_order)
        said = f"Sorted {triage.ORDER_NAMES[self.shown_order()]}."
        self.toasts.say(self.app, "view", said, timeout=3)
        if self.shown_order() == "for-you":  # the first time after an import: seconds
            self.set_status("Ranking for you: learning from your bookmarks…")

    def action_toggle_filter(self, name: str) -> None:
        self.filters = self.filters.toggled(name)  # searches (watch_filters)
        on = getattr(self.filters, name)
        shown = f"{texts.FILTER_NAMES[name][0]} only" if on else "all papers"
        self.toasts.say(self.app, "view", f"Showing {shown}.", timeout=3)

    def research_in_place(self) -> None:
        """Search again after a mark, the cursor staying where it is in the list."""
        self.keep_index = self.cursor_index()
        self.set_reactive(MainScreen.loaded, None)  # loaded again: why may have changed
        self.run_search()

    def on_dismiss_changed(self, message: messages.DismissChanged) -> None:
        for notice in message.notices:
            self.notify(notice, title="Not interested", timeout=10)
        said = "Not interested: hidden (X lists those)." if message.dismissed else "Shown again."
        self.notify(said, timeout=3)
        self.research_in_place()

    # -- what the keys do to the paper under the cursor (PaperActions) -------------------------
    def action_bookmark(self) -> None:
        row = self.current_row()
        if row is None or not self.cites.add(row.id, bookmark=True):  # (a listed paper: added)
            self.papers.bookmark()

    async def action_edit_bookmark(self) -> None:
        await self.papers.edit_bookmark()

    def action_not_interested(self) -> None:
        self.papers.not_interested()

    def action_copy(self, kind: str) -> None:
        self.papers.copy(kind)

    def action_open_link(self) -> None:
        self.papers.open_link()

    def action_follow_link(self, url: str) -> None:
        self.papers.follow_link(url)

    def action_export(self, fmt: str, bookmarked: bool) -> None:
        self.papers.export(fmt, bookmarked)

    def on_ask_export_path(self, message: messages.AskExportPath) -> None:
        self.papers.ask_export_path(message)

    # -- imports (Imports) and watches (Watches) -----------------------------------------------
    def action_fetch(self) -> None:
        self.importer.fetch()

    def on_import_started(self, message: messages.ImportStarted) -> None:
        self.query_one(StatusLine).show_activity(texts.import_progress(message.name, 0, 0, None))

    def on_import_progress(self, message: messages.ImportProgress) -> None:
        parts = texts.import_progress(message.name, message.done, message.total, message.rate)
        self.query_one(StatusLine).show_activity(parts)

    def on_import_finished(self, message: messages.ImportFinished) -> None:
        """Say it (a notification, and on the status line for a while); search again."""
        severity: SeverityLevel = "error" if message.failed else "information"
        self.notify(message.summary, severity=severity, timeout=10 if message.failed else 8)
        said = [texts.Part(message.summary, keep=9)]
        self.query_one(StatusLine).show_activity(said, for_a_while=True)
        self.follow.resync()  # (what it brought is said: not again as another's)
        if not message.failed:
            self.run_search()

    def _importing(self) -> bool:
        return any(w.group in IMPORT_GROUPS and not w.is_finished for w in self.workers)

    def on_disk_changed(self, message: DiskChanged) -> None:
        self.follow.changed(message)

    def action_watches(self) -> None:
        self.watches.list_watches(False)

    def on_watches_listed(self, message: messages.WatchesListed) -> None:
        self.watches.listed(message)

    def on_watch_opened(self, message: WatchOpened) -> None:
        self.watch_open, self.similar_to = message.watched.name, None
        self.new_ids = set(message.watched.new_ids)
        paper_list = self.query_one(PaperList)
        self.status = self.watches.show(paper_list, message.watched, message.keep)
        self.redraw_detail()

    async def action_add_watch(self) -> None:
        await self.watches.add()

    # -- references, citing papers, the queue and read marks (CitationLists) ------------------
    def action_citation_list(self, kind: str) -> None:
        row = self.papers.require_row()
        if row is not None and self.cites.mode is not None and self.cites.outside_paper(row.id):
            self.notify("Add it to the library first (A): then R and C list its papers.")
        elif row is not None:
            self.cites.open(kind, row)

    def on_citations_listed(self, message: messages.CitationsListed) -> None:
        back_to = self.cites.mode.back_to if self.cites.mode else None
        self.similar_to = None
        self.cites.listed(message, back_to or message.about.id)

    def on_citations_failed(self, message: messages.CitationsFailed) -> None:
        self.cites.failed(message)

    def action_add_cited(self) -> None:
        row = self.current_row()
        if row is None or not self.cites.add(row.id, bookmark=False):
            self.notify("A adds a paper of a references or cited-by list (R, C) not held yet.")

    def on_cited_added(self, message: messages.CitedAdded) -> None:
        self.marks = message.bookmarks
        said = "Bookmarked and added" if message.paper_id in message.bookmarks else "Added"
        self.notify(f"{said} to the library (from its citation source).", timeout=4)
        self.library_size += 1
        self.cites.added(message)

    def action_toggle_read(self) -> None:
        row = self.papers.require_row()
        if row is not None and self.cites.mode is not None and self.cites.outside_paper(row.id):
            self.notify("Add it to the library first (A) to mark it read.")
        elif row is not None:
            self.cites.read_worker(row.id)

    def on_read_marks(self, message: messages.ReadMarks) -> None:
        self.query_one(PaperList).read_ids = message.ids
        if message.said:
            self.notify(message.said, timeout=3)

    def action_reading_queue(self) -> None:
        row = self.current_row()
        back_to = self.cites.mode.back_to if self.cites.mode else (row.id if row else None)
        self.similar_to = None
        self._queue_back_to = back_to
        self.cites.queue_worker(None)

    def on_queue_listed(self, message: messages.QueueListed) -> None:
        self.cites.queue_listed(message, self._queue_back_to)

    def action_queue_toggle(self) -> None:
        row = self.papers.require_row()
        if row is not None and self.cites.mode is not None and self.cites.outside_paper(row.id):
            self.notify("Add it to the library first (A) to queue it.")
        elif row is not None:
            self.cites.queue_change(row.id, None)

    def action_queue_move(self, by: int) -> None:
        row = self.current_row()
        if self.cites.mode is None or self.cites.mode.kind != "queue":
            self.notify("K and J move a paper in the reading queue: Q shows it.", timeout=4)
        elif row is not None:
            self.cites.queue_change(row.id, by)

    def action_help(self) -> None:
        from paperdeck.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.key_rows))
