"""The main screen's other lists: a paper's references or citing papers (`R`, `C`), and the
reading queue (`Q`); and the read marks (`r`).

`CitationLists` is a helper the screen holds, as Watches is. A list is a mode of the list
pane, as similar papers are: the search box names it, escape goes back to the paper it was
asked for, `S` sorts it newest or most cited first. Fetching runs in a thread worker (the
source may take seconds or not answer): its progress is on the status line, the answer
comes back as a message. A listed paper the library does not hold is shown from the answer;
`A` adds it (`b` adds and bookmarks it), as a digest marked with its source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import CitationSourceError, Library
from paperdeck.index.models import Link, Paper, PaperRow
from paperdeck.tui import actions, messages
from paperdeck.tui.screens import texts
from paperdeck.tui.screens.jobs import thread_job
from paperdeck.tui.widgets.paper_list import PaperList
from textual.widgets import Input

if TYPE_CHECKING:  # citations' models load at the first list or count, not at start-up;
    # (main imports this module: the screen's type only, for mypy)
    from paperdeck.index.library import CitationCounts, CitedPaper, Fetched
    from paperdeck.tui.screens.main import MainScreen

QUEUE = "queue"
LIST_LIMIT = 1000  # citing papers or references fetched for one list
SOURCE_NAMES = {"semantic-scholar": "Semantic Scholar", "openalex": "OpenAlex"}
ORDERS = {"newest": "newest first", "citations": "most cited first"}
OLD = dt.timedelta(days=1)  # a count older than this says how old it is


def what(kind: str) -> str:
    """The list's name: "references", "cited by" or "reading queue"."""
    from paperdeck.index.library import CITATIONS, REFERENCES

    return {REFERENCES: "references", CITATIONS: "cited by", QUEUE: "reading queue"}[kind]


def is_references(kind: str) -> bool:
    from paperdeck.index.library import REFERENCES

    return kind == REFERENCES


def citation_line(fetched: Fetched[CitationCounts] | None) -> str:
    """`cited by 1,204 (87 influential)`, with how old when older than a day; "" unknown."""
    if fetched is None or fetched.value.cited_by is None:
        return ""
    line = fetched.value.summary()
    source = SOURCE_NAMES.get(fetched.value.source, fetched.value.source)
    if fetched.age() > OLD:
        line += f" · {source}, {fetched.age_text().removeprefix('fetched ')}"
    return line


def as_paper(cited: CitedPaper) -> Paper:
    """A listed paper the library does not hold, as the detail pane shows it: what the
    answer gave (the abstract only when the answer has one)."""
    links = []
    if cited.arxiv_id:
        links.append(Link(f"https://arxiv.org/abs/{cited.arxiv_id}", "arXiv"))
    if cited.doi:
        links.append(Link(f"https://doi.org/{cited.doi}", "DOI"))
    if cited.s2_id:
        page = f"https://www.semanticscholar.org/paper/{cited.s2_id}"
        links.append(Link(page, "Semantic Scholar"))
    if cited.openalex_id:
        links.append(Link(f"https://openalex.org/{cited.openalex_id}", "OpenAlex"))
    where = ", ".join(x for x in (cited.venue, str(cited.year or "")) if x)
    return Paper(
        id=cited.key, title=cited.label, abstract=cited.abstract, authors=cited.authors,
        arxiv_id=cited.arxiv_id, links=tuple(links), doi=cited.doi, journal_ref=where,
        sources=(cited.source,),
    )  # fmt: skip


def held(library: Library, papers: tuple[CitedPaper, ...]) -> dict[str, str]:
    """The listed papers the library holds (by arXiv id), by key (called in a worker)."""
    ids = library.held({cited.arxiv_id for cited in papers if cited.arxiv_id})
    return {cited.key: cited.arxiv_id for cited in papers if cited.arxiv_id in ids}


def queue_rows(library: Library) -> list[PaperRow]:
    """The reading queue's papers in its order, as rows (called in a worker)."""
    papers = [library.get_or_bookmarked(item.paper_id) for item in library.queue()]
    return [paper.row() for paper in papers if paper is not None]


@dataclasses.dataclass
class ListMode:
    """The list the list pane shows instead of a search."""

    kind: str  # REFERENCES, CITATIONS or QUEUE
    about: Paper | None  # the paper whose list it is (None: the queue)
    back_to: str | None  # the paper the cursor goes back to on escape
    papers: list[CitedPaper] = dataclasses.field(default_factory=list)
    in_library: dict[str, str] = dataclasses.field(default_factory=dict)
    order: str = "newest"
    said: str = ""  # how old the answer is
    complete: bool = True
    _by_key: dict[str, CitedPaper] = dataclasses.field(default_factory=dict, repr=False)

    def outside(self, row_id: str) -> CitedPaper | None:
        """The listed paper behind a row that is not a library paper, else None (by key:
        the detail asks on every cursor move, a scan of 1,000 papers each time)."""
        if self.kind == QUEUE or row_id in self.in_library:
            return None
        if not self._by_key:  # (papers are set once, with the mode)
            self._by_key = {p.key: p for p in reversed(self.papers)}  # the first of a key
        return self._by_key.get(row_id)

    def sorted(self) -> list[CitedPaper]:
        """Newest (by year) or most cited first; papers without one last, else as listed."""
        if self.order == "citations":
            key = lambda p: (p.citation_count is None, -(p.citation_count or 0))  # noqa: E731
        else:
            key = lambda p: (p.year is None, -(p.year or 0))  # noqa: E731
        return sorted(self.papers, key=key)

    def rows(self) -> tuple[list[PaperRow], dict[str, str]]:
        """The list's rows (a library paper by its id, so its marks show) and their side
        text: the year and the cited-by count."""
        rows, side = [], {}
        for paper in self.sorted():
            row_id = self.in_library.get(paper.key, paper.key)
            rows.append(PaperRow(row_id, paper.label, None))
            count = "" if paper.citation_count is None else f"{paper.citation_count:,}×"
            side[row_id] = " ".join(x for x in (str(paper.year or ""), count) if x)
        return rows, side


class CitationLists:
    """References, citing papers and the queue for `screen` (a MainScreen: its list pane,
    its search box and its status line), with `library`'s calls in thread workers."""

    def __init__(self, screen: MainScreen, library: Library) -> None:
        self.screen, self.library = screen, library
        self.mode: ListMode | None = None
        self.queue_rows: list[PaperRow] = []

    # -- asking for a list --------------------------------------------------------------------
    def open(self, kind: str, row: PaperRow) -> None:
        asked = "references" if is_references(kind) else "citing papers"
        self.screen.set_about_title(f"Fetching the {asked} of ", row.title, "…")
        self.list_worker(row.id, kind)

    @thread_job("citations", exclusive=True)
    def list_worker(self, paper_id: str, kind: str) -> None:
        try:
            paper = actions.whole_paper(self.library, paper_id)
            ref, _ = self.library.citation_ref(paper.id)
            fetch = self.library.references if is_references(kind) else self.library.cited_by
            got = fetch(ref, limit=LIST_LIMIT)
            if got is None:
                raise CitationSourceError(f"no citation source knows {ref}")
            in_library = held(self.library, got.value.papers)
        except PaperdeckError as exc:  # (a source's failure or a paper no source knows)
            self.screen.post_message(messages.CitationsFailed(str(exc)))
            return
        stale = got.stale and bool(got.note)
        said = got.age_text() + (", kept: the source did not answer" if stale else "")
        listed = messages.CitationsListed(
            kind=kind, about=paper, papers=list(got.value.papers), in_library=in_library,
            said=said, complete=got.value.complete, note=got.note if stale else "",
        )  # fmt: skip
        self.screen.post_message(listed)

    def listed(self, message: messages.CitationsListed, back_to: str | None) -> None:
        self.mode = ListMode(
            message.kind, message.about, back_to, message.papers, message.in_library,
            said=message.said, complete=message.complete,
        )  # fmt: skip
        self.show(None)
        if message.note:
            self.screen.notify(message.note, title="Kept answer shown", severity="warning")

    def failed(self, message: messages.CitationsFailed) -> None:
        self.screen.set_status(message.error)
        self.screen.notify(message.error, severity="warning", timeout=8)

    # -- the queue ----------------------------------------------------------------------------
    @thread_job("queue", exclusive=True)
    def queue_worker(self, keep: str | None = None) -> None:
        self._post_queue(keep)

    def _post_queue(self, keep: str | None) -> None:
        """The queue's papers in its order, posted (from a worker)."""
        try:
            rows = queue_rows(self.library)
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        self.screen.post_message(messages.QueueListed(rows, keep))

    def queue_listed(self, message: messages.QueueListed, back_to: str | None) -> None:
        if self.mode is None or self.mode.kind != QUEUE:
            self.mode = ListMode(QUEUE, None, back_to)
        self.queue_rows = message.rows
        self.show(message.keep)

    @thread_job("queue")
    def queue_change(self, paper_id: str, by: int | None) -> None:
        """Move a queued paper `by` places, or (None) add it when not queued, else remove it."""
        try:
            queued = {item.paper_id for item in self.library.queue()}
            if by is not None:
                self.library.queue_move(paper_id, by=by)
                said = ""
            elif paper_id in queued:
                self.library.queue_remove([paper_id])
                said = "Taken off the reading queue."
            else:
                self.library.queue_add([paper_id])
                said = "Added to the reading queue (Q shows it)."
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        if said:
            self.screen.post_message(messages.Done(said))
        if self.mode is not None and self.mode.kind == QUEUE:
            self._post_queue(paper_id)

    # -- read marks ---------------------------------------------------------------------------
    @thread_job("read")
    def read_worker(self, paper_id: str | None) -> None:
        """The read marks; with a paper, its mark toggled first."""
        try:
            said = ""
            if paper_id is not None:
                read = self.library.toggle_read(paper_id)
                said = "Marked read." if read else "Marked unread."
            ids = self.library.read_ids()
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        self.screen.post_message(messages.ReadMarks(ids, said))

    # -- a listed paper the library does not hold ---------------------------------------------
    def outside_paper(self, row_id: str) -> Paper | None:
        cited = self.mode.outside(row_id) if self.mode else None
        return as_paper(cited) if cited else None

    def outside_line(self, row_id: str) -> str:
        """What the detail pane says of such a paper: its count and where it came from."""
        cited = self.mode.outside(row_id) if self.mode else None
        if cited is None:
            return ""
        count = "" if cited.citation_count is None else f"cited by {cited.citation_count:,} · "
        source = SOURCE_NAMES.get(cited.source, cited.source)
        return f"{count}from {source}, not in your library: A adds it, b adds and bookmarks it"

    def add(self, row_id: str, bookmark: bool) -> bool:
        """Add the listed paper behind `row_id` (and bookmark it); False: it is no such paper."""
        cited = self.mode.outside(row_id) if self.mode else None
        if cited is None:
            return False
        self.screen.set_about_title("Adding ", cited.label, " to the library…")
        self.add_worker(cited, bookmark)
        return True

    @thread_job("add-cited")
    def add_worker(self, cited: CitedPaper, bookmark: bool) -> None:
        try:
            paper_id = self.library.add_cited_paper(cited)
            if bookmark:
                self.library.add_bookmarks([paper_id])
            marks = actions.bookmarks_by_id(self.library)
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        self.screen.post_message(
            messages.CitedAdded(key=cited.key, paper_id=paper_id, bookmarks=marks)
        )

    def added(self, message: messages.CitedAdded) -> None:
        if self.mode is not None:
            self.mode.in_library[message.key] = message.paper_id
            self.show(message.paper_id)

    # -- the list pane ------------------------------------------------------------------------
    def toggle_order(self) -> None:
        assert self.mode is not None
        self.mode.order = "citations" if self.mode.order == "newest" else "newest"
        row = self.screen.query_one(PaperList).current
        self.show(row.id if row else None)
        self.screen.notify(f"Sorted {ORDERS[self.mode.order]}.", timeout=3)

    def show(self, keep: str | None) -> None:
        """Draw the mode's list in the list pane, name it in the search box and the status."""
        mode = self.mode
        assert mode is not None
        paper_list = self.screen.query_one(PaperList)
        if mode.kind == QUEUE:
            rows, side = list(self.queue_rows), dict[str, str]()
            paper_list.empty_message = (
                "The reading queue is empty: L queues the paper under the cursor."
            )
        else:
            rows, side = mode.rows()
            paper_list.empty_message = f"No {what(mode.kind)} known for this paper."
        paper_list.side_text = side
        paper_list.set_rows(rows, keep)
        paper_list.focus()
        search = self.screen.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        title = f": {mode.about.title}" if mode.about else ""
        search.placeholder = f"{what(mode.kind)}{title}  (escape: back)"
        self.screen.status = self._status(len(rows))
        self.screen.redraw_detail()

    def _status(self, count: int) -> list[texts.Part]:
        mode = self.mode
        assert mode is not None
        if mode.kind == QUEUE:
            said = f"{texts.plural(count, 'paper')} to read · K J move, L takes one off"
            return [texts.Part(said, keep=3), texts.Part("escape: back", keep=4)]
        noun = "reference" if is_references(mode.kind) else "citing paper"
        more = "" if mode.complete else f" (the first {count:,})"
        return [
            texts.Part(texts.plural(count, noun) + more, keep=3),
            texts.Part(ORDERS[mode.order], keep=2),
            texts.Part(mode.said, keep=5 if "kept" in mode.said else 1),
            texts.Part("escape: back", keep=4),
        ]

    def leave(self, query: str) -> str | None:
        """Back from the list: the search box as it was; returns the paper to go back to."""
        mode, self.mode = self.mode, None
        self.screen.query_one(PaperList).side_text = {}
        search = self.screen.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = query
        search.placeholder = SEARCH_PLACEHOLDER
        return mode.back_to if mode else None


SEARCH_PLACEHOLDER = "Search as you type  (↓ to the list, f1 help)"
