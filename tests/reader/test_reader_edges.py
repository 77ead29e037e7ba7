"""The reader's rough edges (issue 12): what a user sees after a key, a click, a resize."""

from __future__ import annotations

import pytest
from paperdeck.tui import keymap
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens import texts
from paperdeck.tui.screens.bookmark_dialog import BookmarkDialog
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.reader import (
    list_titles,
    notices,
    ready,
    refreshed,
    screen_lines,
    searched,
    shown,
    status,
    type_query,
    until,
)


async def test_did_you_mean_leaves_the_cursor_after_the_applied_text(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "atention")
        assert "did you mean: attention" in status(screen)
        await pilot.press("ctrl+n", "X")
        box = screen.query_one("#search")
        await until(pilot, lambda: box.value == "attentionX", f"attentionX, not {box.value}")


async def test_apply_suggestion_with_none_says_so(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: any("No suggestion" in n for n in notices(app)), "a notice")


async def test_escape_again_in_the_list_clears_the_query(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "mamba")
        await pilot.press("escape")  # from the box to the list
        await until(pilot, lambda: screen.query_one(PaperList).has_focus, "the list focused")
        assert screen.query_one("#search").value == "mamba"
        await pilot.press("escape")
        await until(pilot, lambda: searched(screen, "") and len(list_titles(screen)) == 65, "all")
        assert screen.query_one("#search").value == ""


async def test_t_on_a_paper_not_bookmarked_asks_and_saving_bookmarks_it(
    app: PaperDeckApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the tags dialog")
        app.screen.query_one("#tags").value = "toread"
        await pilot.click("#save")
        await until(pilot, lambda: "Saved tags and note." in notices(app), "the save said")
        assert shown(screen).bookmark.tags == ("toread",)


async def test_match_counts_are_plural(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "mamba")
        assert "1 match" in status(screen) and "1 matches" not in status(screen)
        await type_query(pilot, " OR learning")
        count = len(list_titles(screen))
        assert count > 1 and f"{count} matches" in status(screen)


async def test_n_on_the_first_opening_says_there_was_none(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("n")
        await until(pilot, lambda: searched(screen, ""), "the new papers listed")
        assert "first time" in screen.query_one(PaperList).empty_message


async def test_an_empty_filtered_list_names_the_filter_and_its_key(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("B")
        await type_query(pilot, "mamba")
        message = screen.query_one(PaperList).empty_message
        assert "bookmarks" in message and "B" in message and "fewer words" not in message


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_no_match_hint_is_never_cut(app: PaperDeckApp, width: int) -> None:
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "zzzqqq")
        papers = screen.query_one(PaperList)
        await until(pilot, lambda: papers.size.width > 0, "the list laid out")
        lines = [papers.render_line(y).text for y in range(papers.size.height)]
        assert " ".join(" ".join(lines).split()) == texts.NO_MATCH


@pytest.mark.parametrize("width", [60, 120])
async def test_the_similar_status_keeps_its_advice(app: PaperDeckApp, width: int) -> None:
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "s")  # a paper with a long title
        await until(pilot, lambda: "Similar to" in status(screen), "similar papers listed")
        line = status(screen)
        assert line.endswith("escape to go back") and "…" in line
        assert len(line) <= screen.query_one("#status").content_region.width


async def test_j_and_k_scroll_the_detail_pane(app: PaperDeckApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        detail = screen.query_one("#detail")
        await pilot.press("enter")
        await until(pilot, lambda: detail.has_focus and detail.max_scroll_y > 1, "long detail")
        await pilot.press("j", "j")
        await until(pilot, lambda: detail.scroll_y == 2, "two lines down")
        await pilot.press("k")
        await until(pilot, lambda: detail.scroll_y == 1, "one line up")


async def test_clicking_a_row_selects_it(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        titles = list_titles(screen)
        await pilot.click(PaperList, offset=(5, 3))  # inside the border: the third row
        await until(pilot, lambda: shown(screen).paper.title == titles[2], titles[2])


def footer_words() -> set[str]:
    """Every word the footer may show: the table's keys and labels (Textual's own footer
    adds `▏^p palette`)."""
    words = {"▏", "^p", "▏^p", "palette"}
    for row in keymap.footer():
        words |= {*row.display.replace("ctrl+", "^").split(), *row.label.split()}
    return words


@pytest.mark.parametrize("size", [(40, 10), (60, 20), (80, 24), (120, 40)])
async def test_the_footer_shows_help_and_quit_and_nothing_cut(app: PaperDeckApp, size) -> None:
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await refreshed(pilot)
        line = screen_lines(app)[-1]
        assert "? Help" in line and "q Quit" in line, line
        assert set(line.split()) <= footer_words(), f"a fragment in {line!r}"


def status_on_screen(app: PaperDeckApp) -> str:
    """The status line as the terminal shows it (the line above the keys)."""
    return screen_lines(app)[-2].strip()


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_status_keeps_its_advice_at_any_width(app: PaperDeckApp, width: int) -> None:
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("B", "n")
        await until(pilot, lambda: searched(screen, ""), "the filters on")
        await type_query(pilot, "atention")
        await refreshed(pilot)
        line = status_on_screen(app)
        assert line.endswith("did you mean: attention  (ctrl+n)"), line


async def test_the_status_is_refitted_when_the_terminal_is_resized(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "s")  # a paper with a long title
        await until(pilot, lambda: "Similar to" in status(screen), "similar papers listed")
        lengths = []
        for width in (60, 80, 120):
            await pilot.resize_terminal(width, 30)
            await until(pilot, lambda w=width: app.size.width == w, f"{width} columns")
            await refreshed(pilot)
            line = status_on_screen(app)
            assert line.startswith("Similar to “") and line.endswith("” — escape to go back")
            assert "…" in line and len(line) <= width - 2, line
            lengths.append(len(line))
        assert lengths == sorted(lengths) and lengths[0] < lengths[-1]  # the room it has


@pytest.mark.parametrize(
    ("typed", "says"),
    [('"neural netw', "quote not closed"), ("title:wavelet OR", "a word to follow the operator")],
)
async def test_a_half_typed_query_keeps_results_and_says_why(
    app: PaperDeckApp, typed: str, says: str
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *[c if c != " " else "space" for c in typed])
        wanted = f"{says}: "  # matching what is typed so far, or still showing the last answer
        await until(pilot, lambda: wanted in status_on_screen(app), "the status saying why")
        assert list_titles(app.screen), "the list is not blanked while the query is unfinished"
