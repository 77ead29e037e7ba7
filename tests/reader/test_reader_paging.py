"""A typed query lists its best rows first (1,000; 20 here); reaching the end brings more."""

from __future__ import annotations

import pytest
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens import main
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.reader import list_titles, ready, shown, status, type_query, until, wheel

PAGE = 20
QUERY = "model"  # 61 of the sample's 65 papers


@pytest.fixture(autouse=True)
def small_pages(monkeypatch) -> None:
    """Pages of PAGE rows, so the sample fills several (conftest's `app` reads them)."""
    monkeypatch.setattr(main, "QUERY_LIMIT", PAGE)


async def test_the_end_of_the_list_loads_the_next_page_and_keeps_the_cursor(
    app: PaperDeckApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, QUERY)
        assert len(list_titles(screen)) == PAGE and f"showing the first {PAGE}" in status(screen)
        await pilot.press("escape", "G")
        last = list_titles(screen)[PAGE - 1]
        await until(pilot, lambda: len(list_titles(screen)) == 2 * PAGE, "the next page")
        assert screen.query_one(PaperList).cursor == PAGE - 1
        await until(pilot, lambda: shown(screen).paper.title == last, "the cursor kept")
        await pilot.press("G")
        await until(pilot, lambda: len(list_titles(screen)) == 3 * PAGE, "the third page")
        await pilot.press("G")
        await until(pilot, lambda: len(list_titles(screen)) == 61, "all of them")
        assert "showing the first" not in status(screen)


async def test_the_wheel_at_the_end_of_the_list_loads_more(app: PaperDeckApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, QUERY)
        papers = screen.query_one(PaperList)
        await wheel(pilot, papers, times=PAGE)
        await until(pilot, lambda: len(list_titles(screen)) > PAGE, "more rows")
        assert papers.cursor == 0  # the wheel scrolled; the cursor stayed
