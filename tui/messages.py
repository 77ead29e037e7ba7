"""Messages that thread workers post back to the main screen (workers never touch widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from index.models import Hit, Paper, RowResult
from tui.clipboard import CopyOutcome


@dataclass
class LibraryOpened(Message):
    count: int
    notices: list[str]


@dataclass
class LibraryFailed(Message):
    error: str


@dataclass
class IndexProgress(Message):
    done: int
    total: int


@dataclass
class SearchDone(Message):
    serial: int
    result: RowResult
    bookmarks: set[str]


@dataclass
class PaperLoaded(Message):
    paper: Paper


@dataclass
class SimilarDone(Message):
    paper: Paper
    hits: list[Hit]


@dataclass
class SimilarForDetail(Message):
    paper_id: str
    hits: list[Hit]


@dataclass
class BookmarkChanged(Message):
    paper_id: str
    bookmarked: bool
    bookmarks: set[str]
    notices: list[str]


@dataclass
class LibraryChanged(Message):
    """Papers were added (a fetch): say what happened and search again."""

    summary: str


@dataclass
class Done(Message):
    """A background job finished; tell the user."""

    summary: str


@dataclass
class Copied(Message):
    outcome: CopyOutcome


@dataclass
class ActionFailed(Message):
    error: str
