"""One search as the engine runs it: what the library asks of Engine.search, handed on whole
to ranking and ordering (seven positional arguments of three kinds read alike at a call site).

It imports neither Whoosh nor numpy: the library builds one before the engine is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from paperdeck.index.models import Bookmark, SortOrder

Marks = Callable[[], Mapping[str, Bookmark]]  # the bookmarks by id, read only when asked


@dataclass(frozen=True, kw_only=True)
class SearchRequest:
    """The text as typed (filters such as `is:bookmarked` in it), how many to rank (None:
    all), whether its last word is a prefix (typing), the order, and the user's marks: the
    bookmarks (read only for `is:bookmarked`/`tag:` and for you), the last opening (`is:new`)
    and the papers marked not interested, left out unless the text says `is:dismissed`."""

    text: str
    limit: int | None
    prefix: bool
    bookmarks: Marks
    new_since: str | None
    dismissed: Collection[str] = ()
    order: SortOrder = "relevance"
