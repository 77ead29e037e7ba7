"""Daily triage on the main screen: the sort orders (newest, upvotes, for you, relevance) and
what the status line says about them. Plain functions of the screen's state: the screen keeps
`order`, `query_text` and `filters` as reactives and redraws from them.
"""

from __future__ import annotations

from paperdeck.index.models import LIST_ORDERS, RowResult
from paperdeck.tui.screens import texts

ORDER_NAMES = {
    "relevance": "best match first",
    "newest": "newest first",
    "upvotes": "most upvoted first",
    "for-you": "for you",
    "citations": "most cited first",  # the counts the citation cache holds
}
NO_BOOKMARK_YET = "for you learns from bookmarks: press b on a paper you like (newest first now)"


def shown_order(order: str, query: str) -> str:
    """The order the list is in: relevance without words to match is newest."""
    return "newest" if order == "relevance" and not query.strip() else order


def next_order(order: str, query: str) -> str:
    """The next order that lists differently (newest, upvotes, for you, most cited;
    relevance too when there is a query)."""
    at = LIST_ORDERS.index(order)
    for step in range(1, len(LIST_ORDERS)):
        candidate = LIST_ORDERS[(at + step) % len(LIST_ORDERS)]
        if shown_order(candidate, query) != shown_order(order, query):
            return candidate
    return order


def status_parts(
    result: RowResult,
    *,
    size: int,
    marks: int,
    filters: texts.Filters,
    query: str,
    order: str,
    kept: bool = False,
) -> list[texts.Part]:
    """Counts, the filters on, the order (or advice when for you cannot learn yet); `kept`:
    the list still shows the last answer (a half-typed query)."""
    parts = texts.status_parts(size, filters, marks, query, result, kept)
    if shown_order(order, query) == "for-you" and result.order != "for-you":
        parts.insert(1, texts.Part(NO_BOOKMARK_YET, keep=4))
    else:
        parts.insert(1, texts.Part(ORDER_NAMES.get(result.order, result.order), keep=2))
    return parts
