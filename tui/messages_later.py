"""The messages the main screen gets only after its first frame (what workers post back:
the library opened, a paper loaded, a mark saved, an import's progress...). Read them
through paperdeck.tui.messages, which imports this module at the first one used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the clipboard's, citations' and watches' modules load at first use
    from paperdeck.index.library import CitedPaper, WatchStatus
    from paperdeck.index.models import Hit, Paper, PaperRow, Why
    from paperdeck.tui.clipboard import CopyOutcome
    from paperdeck.tui.messages import Marks


@dataclass(kw_only=True)
class LibraryOpened(Message):
    count: int
    notices: list[str]
    first_opening: bool  # no earlier opening: nothing is "new"


@dataclass
class LibraryFailed(Message):
    error: str


@dataclass
class IndexProgress(Message):
    done: int
    total: int


@dataclass(kw_only=True)
class PaperLoaded(Message):
    paper: Paper
    why: Why | None = None  # why "for you" ranks it there, when the list is in that order
    citations: str = ""  # "cited by 1,204 (87 influential)" from the citation cache, or ""


@dataclass(kw_only=True)
class SimilarDone(Message):
    paper: Paper
    hits: list[Hit]
    new_ids: set[str]


@dataclass
class SimilarForDetail(Message):
    paper_id: str
    hits: list[Hit]


@dataclass(kw_only=True)
class BookmarkChanged(Message):
    paper_id: str
    bookmarked: bool
    bookmarks: Marks
    notices: list[str]
    annotated: bool = False  # tags or a note saved, not a bookmark toggled


@dataclass(kw_only=True)
class DismissChanged(Message):
    """A paper marked not interested, or the mark taken off."""

    paper_id: str
    dismissed: bool
    notices: list[str]


@dataclass
class LibraryChanged(Message):
    """Papers were added (a fetch): say what happened and search again."""

    summary: str


@dataclass(kw_only=True)
class AskExportPath(Message):
    """Ask where to write an export: `path` is offered; `exists` when a file is there."""

    fmt: str
    bookmarked: bool
    path: Path
    exists: bool = False


@dataclass
class WatchesListed(Message):
    """The watches with their counts: for the watches screen, or said when the reader opens."""

    statuses: list[WatchStatus]
    opening: bool = False


@dataclass
class ImportStarted(Message):
    """An import the reader runs (a digest from the command line, a fetch) has begun."""

    name: str


@dataclass(kw_only=True)
class ImportProgress(Message):
    """How far an import is: posted a few times a second at most, and a newer one replaces
    one still waiting in the queue (a burst of reports is drawn once)."""

    name: str
    done: int  # papers written
    total: int  # papers the file is estimated to hold
    rate: float | None  # papers a second, once measured over a second

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ImportProgress)


@dataclass
class ImportFinished(Message):
    """One import ended: its summary line (committed), or why it failed (nothing changed)."""

    summary: str
    failed: bool = False


@dataclass
class Done(Message):
    """A background job finished; tell the user."""

    summary: str


@dataclass
class Copied(Message):
    outcome: CopyOutcome


@dataclass(kw_only=True)
class WorkerCrashed(Message):
    """A worker's unexpected error, its traceback logged (`log`: where; None if nowhere)."""

    error: BaseException
    group: str
    log: Path | None


@dataclass
class ActionFailed(Message):
    error: str


# -- citations, the reading queue and read marks (tui/screens/citation_actions.py) ----------
@dataclass(kw_only=True)
class CitationsListed(Message):
    """A paper's references or citing papers, fetched (or kept) by a worker."""

    kind: str  # paperdeck.index.library.REFERENCES or CITATIONS
    about: Paper
    papers: list[CitedPaper]
    in_library: dict[str, str]  # a listed paper's key -> its id in the library
    said: str  # how old the answer is (and that it is a kept one: the source did not answer)
    complete: bool
    note: str = ""  # why a kept answer was shown: the source's failure, in one line


@dataclass
class CitationsFailed(Message):
    """No list to show: the source did not answer (and nothing was kept), or knows nothing."""

    error: str


@dataclass
class QueueListed(Message):
    """The reading queue in its order (`keep`: the paper the cursor stays on)."""

    rows: list[PaperRow]
    keep: str | None = None


@dataclass(kw_only=True)
class CitedAdded(Message):
    """A listed paper from a citation source is now in the library (and bookmarked)."""

    key: str
    paper_id: str
    bookmarks: Marks


@dataclass
class ReadMarks(Message):
    """The papers marked read; `said`, when a key changed them, what to tell the user."""

    ids: set[str]
    said: str = ""
