"""Daily triage on the main screen: the sort order (newest, upvotes, for you, relevance) and
"not interested". Marks change in workers; the list is searched again, so "for you" retrains
(in the search worker) and the cursor keeps its place in the list, on the next paper.
"""

from __future__ import annotations

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.models import SORT_ORDERS, Paper, RowResult
from paperdeck.tui import messages
from paperdeck.tui.screens import texts
from paperdeck.tui.screens.paper_actions import PaperActions
from paperdeck.tui.widgets.status_line import StatusLine
from textual import work

ORDER_NAMES = {
    "relevance": "best match first",
    "newest": "newest first",
    "upvotes": "most upvoted first",
    "for-you": "for you",
}
NO_BOOKMARK_YET = "for you learns from bookmarks: press b on a paper you like (newest first now)"


class TriageActions(PaperActions):
    """The base of MainScreen: sort orders and "not interested"."""

    order = "relevance"  # as asked; without a query, relevance is newest
    query_text = ""
    result: RowResult | None = None
    keep_index: int | None = None  # after a mark: the cursor's place, kept on the next search
    filters: dict[str, bool]
    marks: messages.Marks
    library_size = 0
    similar_to: Paper | None = None
    loaded: Paper | None = None

    def run_search(self) -> None:
        raise NotImplementedError("MainScreen searches")

    def cursor_index(self) -> int:
        raise NotImplementedError("MainScreen knows its list")

    def set_status(self, text: str) -> None:
        raise NotImplementedError("MainScreen has the status line")

    def shown_order(self, order: str | None = None) -> str:
        """The order the list is in: relevance without words to match is newest."""
        order = order or self.order
        return "newest" if order == "relevance" and not self.query_text.strip() else order

    def action_cycle_order(self) -> None:
        """The next order that lists differently (newest, upvotes, for you; relevance too
        when there is a query)."""
        at = SORT_ORDERS.index(self.order)
        for step in range(1, len(SORT_ORDERS)):
            candidate = SORT_ORDERS[(at + step) % len(SORT_ORDERS)]
            if self.shown_order(candidate) != self.shown_order():
                break
        self.order, self.loaded = candidate, None  # loaded again: with why, or without
        self.keep_index = 0  # a new order: its best paper first
        self.notify(f"Sorted {ORDER_NAMES[self.shown_order()]}.", timeout=3)
        if self.shown_order() == "for-you":  # the first time after an import: seconds
            self.set_status("Ranking for you: learning from your bookmarks…")
        self.run_search()

    def research_in_place(self) -> None:
        """Search again after a mark, the cursor staying where it is in the list."""
        self.keep_index, self.loaded = self.cursor_index(), None  # why may have changed
        self.run_search()

    def action_toggle_filter(self, name: str) -> None:
        self.filters[name] = not self.filters[name]
        self.similar_to = None
        shown = f"{texts.FILTER_NAMES[name][0]} only" if self.filters[name] else "all papers"
        self.notify(f"Showing {shown}.", timeout=3)
        self.run_search()

    def update_status(self) -> None:
        """Counts, the filters on, the order (or advice when for you cannot learn yet)."""
        if (result := self.result) is None:
            return
        size, marks = self.library_size, len(self.marks)
        parts = texts.status_parts(size, self.filters, marks, self.query_text, result)
        if self.shown_order() == "for-you" and result.order != "for-you":
            parts.insert(1, texts.Part(NO_BOOKMARK_YET, keep=4))
        else:
            parts.insert(1, texts.Part(ORDER_NAMES.get(result.order, result.order), keep=2))
        self.query_one(StatusLine).show(parts)

    # -- not interested ------------------------------------------------------------------------
    def action_not_interested(self) -> None:
        if row := self._require_row():
            self.dismiss_worker(row.id)

    @work(thread=True, group="bookmark", exit_on_error=False)
    def dismiss_worker(self, paper_id: str) -> None:
        with self._marks_lock:
            try:
                state = self.library.toggle_dismissed(paper_id)
            except PaperdeckError as exc:
                self._failed(exc)
                return
            notices = self.library.take_notices()
            self.post_message(messages.DismissChanged(paper_id, state, notices))

    def on_dismiss_changed(self, message: messages.DismissChanged) -> None:
        for notice in message.notices:
            self.notify(notice, title="Not interested", timeout=10)
        said = "Not interested: hidden (X lists those)." if message.dismissed else "Shown again."
        self.notify(said, timeout=3)
        self.research_in_place()
