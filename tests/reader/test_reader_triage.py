"""Daily triage in the reader: S cycles the sort order (the status line names it), for you
ranks from the bookmarks and says why in the detail pane, x hides a paper, X lists those."""

from __future__ import annotations

from pathlib import Path

from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.for_you import SEEDS, on_retrieval
from tests.support.reader import list_titles, loaded, ready, searched, shown, status, until


def sorted_as(screen, order: str) -> bool:
    """The list shows the answer in this order, and nothing newer is on its way."""
    return searched(screen, screen.query_text) and screen.result.order == order


async def test_S_cycles_the_orders_and_for_you_asks_for_a_bookmark(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert "newest first" in status(screen)
        await pilot.press("S")
        await until(pilot, lambda: sorted_as(screen, "upvotes"), "sorted by upvotes")
        assert "most upvoted first" in status(screen)
        await pilot.press("S")
        asked = "for you asked, newest given"
        await until(pilot, lambda: screen.order == "for-you" and sorted_as(screen, "newest"), asked)
        assert "for you learns from bookmarks: press b" in status(screen)
        await pilot.press("S")  # the counts the citation cache holds (issue 22)
        await until(pilot, lambda: sorted_as(screen, "citations"), "sorted by citations")
        assert "most cited first" in status(screen)
        await pilot.press("S")
        back = "back to newest first"
        await until(
            pilot, lambda: screen.shown_order() == "newest" and sorted_as(screen, "newest"), back
        )
        assert "newest first" in status(screen)


async def test_for_you_ranks_from_bookmarks_and_says_why(
    app: PaperDeckApp, sample_dir: Path
) -> None:
    lib = Library(sample_dir)
    lib.add_bookmarks([p.id for p in lib.listing() if p.title in SEEDS])
    papers = {p.title: p for p in lib.listing()}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("S", "S")
        await until(pilot, lambda: sorted_as(screen, "for-you") and loaded(screen), "for you")
        assert "for you" in status(screen)
        assert screen.query_one(PaperList).cursor == 0  # a new order starts at its best
        first = list_titles(screen)[:4]
        assert all(on_retrieval(papers[title]) for title in first), first
        await until(pilot, lambda: shown(screen).why is not None, "why the top paper is there")
        assert set(shown(screen).why.like) <= set(SEEDS) and shown(screen).why.words
        top = list_titles(screen)[0]
        await pilot.press("x")  # not interested: it leaves, the next paper comes up
        await until(pilot, lambda: top not in list_titles(screen), "the paper hidden")
        await until(pilot, lambda: loaded(screen), "the next paper shown")
        assert screen.query_one(PaperList).cursor == 0
        assert shown(screen).paper.title == list_titles(screen)[0]
        await pilot.press("X")
        await until(pilot, lambda: list_titles(screen) == [top], "the hidden paper listed")
        assert "not interested" in status(screen)
        await pilot.press("x")  # the mark taken off: no paper is hidden any more
        await until(pilot, lambda: list_titles(screen) == [], "none left hidden")
    assert Library(sample_dir).dismissed_ids() == set()
