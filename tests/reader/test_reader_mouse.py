"""The reader with a mouse: click a row, turn the wheel over either pane, click a link."""

from __future__ import annotations

from pathlib import Path

from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens.help import HelpScreen
from paperdeck.tui.widgets.paper_detail import PaperDetail
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.reader import list_titles, notices, ready, screen_lines, shown, until, wheel


async def test_the_wheel_scrolls_the_list_and_the_detail_pane(app: PaperDeckApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        papers, detail = screen.query_one(PaperList), screen.query_one(PaperDetail)
        first = shown(screen).paper.title
        await wheel(pilot, papers, times=3)
        await until(pilot, lambda: papers.scroll_offset.y > 0, "the list scrolled")
        assert shown(screen).paper.title == first  # the wheel moves the view, not the cursor
        await until(pilot, lambda: detail.max_scroll_y > 0, "a paper longer than its pane")
        await wheel(pilot, detail, times=2)
        await until(pilot, lambda: detail.scroll_y > 0, "the detail pane scrolled")
        top = detail.scroll_y
        await wheel(pilot, detail, down=False)
        await until(pilot, lambda: detail.scroll_y < top, "and back up")


async def test_a_click_on_a_row_reads_it_and_a_double_click_opens_it(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        titles = list_titles(screen)
        await pilot.click(PaperList, offset=(5, 4))  # inside the border: the fourth row
        await until(pilot, lambda: shown(screen).paper.title == titles[3], titles[3])
        await pilot.double_click(PaperList, offset=(5, 4))
        await until(pilot, lambda: screen.query_one(PaperDetail).has_focus, "the paper read")


def where(app: PaperDeckApp, text: str) -> tuple[int, int]:
    """The screen cell where `text` is first shown."""
    for y, line in enumerate(screen_lines(app)):
        if text in line:
            return line.index(text), y
    raise AssertionError(f"{text!r} is not on screen")


async def test_a_click_on_a_link_in_the_detail_pane_follows_it(
    app: PaperDeckApp, tmp_path: Path, monkeypatch
) -> None:
    """No browser here (no display, as over SSH): the link clicked is copied instead."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper = shown(screen).paper
        link = paper.links[-1]  # not the first: the click, not the paper, picks the link
        x, y = where(app, link.url[:30])
        await pilot.click(offset=(x + 3, y))
        await until(pilot, lambda: app.clipboard == link.url, f"{link.url} copied")
        assert any("copying the link" in n for n in notices(app))


async def test_a_click_on_a_key_in_the_footer_runs_it(app: PaperDeckApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        x, y = where(app, "? Help")
        await pilot.click(offset=(x, y))
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
