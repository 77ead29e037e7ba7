"""Messages that thread workers post back to the main screen (workers never touch widgets).

The first frame needs only SearchDone (the first screenful, read before the loop starts); the
others (two dozen dataclasses, whose making is start-up time) are defined in
paperdeck.tui.messages_later and read through this module, which imports that one at the first
of them used (PEP 562), after the first frame. mypy reads them as the imports under
TYPE_CHECKING.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paperdeck.index.models import Bookmark
from textual.message import Message

if TYPE_CHECKING:
    from paperdeck.index.models import RowResult
    from paperdeck.tui.messages_later import (
        ActionFailed as ActionFailed,
    )
    from paperdeck.tui.messages_later import (
        AskExportPath as AskExportPath,
    )
    from paperdeck.tui.messages_later import (
        BookmarkChanged as BookmarkChanged,
    )
    from paperdeck.tui.messages_later import (
        CitationsFailed as CitationsFailed,
    )
    from paperdeck.tui.messages_later import (
        CitationsListed as CitationsListed,
    )
    from paperdeck.tui.messages_later import (
        CitedAdded as CitedAdded,
    )
    from paperdeck.tui.messages_later import (
        Copied as Copied,
    )
    from paperdeck.tui.messages_later import (
        DismissChanged as DismissChanged,
    )
    from paperdeck.tui.messages_later import (
        Done as Done,
    )
    from paperdeck.tui.messages_later import (
        ImportFinished as ImportFinished,
    )
    from paperdeck.tui.messages_later import (
        ImportProgress as ImportProgress,
    )
    from paperdeck.tui.messages_later import (
        ImportStarted as ImportStarted,
    )
    from paperdeck.tui.messages_later import (
        IndexProgress as IndexProgress,
    )
    from paperdeck.tui.messages_later import (
        LibraryChanged as LibraryChanged,
    )
    from paperdeck.tui.messages_later import (
        LibraryFailed as LibraryFailed,
    )
    from paperdeck.tui.messages_later import (
        LibraryOpened as LibraryOpened,
    )
    from paperdeck.tui.messages_later import (
        PaperLoaded as PaperLoaded,
    )
    from paperdeck.tui.messages_later import (
        QueueListed as QueueListed,
    )
    from paperdeck.tui.messages_later import (
        ReadMarks as ReadMarks,
    )
    from paperdeck.tui.messages_later import (
        SimilarDone as SimilarDone,
    )
    from paperdeck.tui.messages_later import (
        SimilarForDetail as SimilarForDetail,
    )
    from paperdeck.tui.messages_later import (
        WatchesListed as WatchesListed,
    )
    from paperdeck.tui.messages_later import (
        WorkerCrashed as WorkerCrashed,
    )

Marks = dict[str, Bookmark]  # every bookmark by paper id, read by a worker


@dataclass(kw_only=True)
class SearchDone(Message):
    """A search's rows with all the screen needs to draw them without asking the library."""

    serial: int
    result: RowResult
    bookmarks: Marks
    new_ids: set[str]  # the rows added since the previous opening
    count: int  # papers in the library
    gone: frozenset[str] = frozenset()  # bookmarks listed whose paper left the library


if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """A message of paperdeck.tui.messages_later, imported at the first one read."""
        if name.startswith("_"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from paperdeck.tui import messages_later

        value = getattr(messages_later, name)
        globals()[name] = value
        return value
