"""The reader driven end to end with Pilot on the sample library."""

from __future__ import annotations

from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp, make_reader
from paperdeck.tui.screens.help import HelpScreen
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.reader import (
    idle,
    list_titles,
    loaded,
    ready,
    refreshed,
    screen_text,
    searched,
    shown,
    status,
    type_query,
    until,
)


def focused_id(app: PaperDeckApp) -> str | None:
    return app.focused.id if app.focused is not None else None


def at_end(pane) -> bool:
    return 0 < pane.scroll_y == pane.max_scroll_y


async def test_first_screen_lists_the_sample_newest_first(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        titles = list_titles(screen)
        assert len(titles) == 65 and titles[0].startswith("DISGAN")
        assert shown(screen).paper.title.startswith("DISGAN")
        assert status(screen).startswith("65 papers")


async def test_as_started_by_paperdeck_the_first_rows_come_before_whoosh(
    sample_dir: Path,
) -> None:
    library = Library(sample_dir)
    app = make_reader(library)  # reads the first screenful before the event loop
    assert app.first_screen is not None and not library._index.engine_started
    assert app.first_screen.result.rows[0].title.startswith("DISGAN")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert len(list_titles(screen)) == 65
        assert shown(screen).paper.abstract  # loaded once the library opened
        await type_query(pilot, "wavelet disc")
        assert list_titles(screen)[0].startswith("DISGAN: Wavelet-informed Discriminator")


async def test_typing_a_query_shows_the_best_match_with_highlights(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "wavelet disc")
        assert list_titles(screen)[0].startswith("DISGAN: Wavelet-informed Discriminator")
        view = shown(screen)
        marked = [view.paper.title[a:b] for a, b in view.title_spans]
        assert marked == ["Wavelet", "Discriminator"]
        assert any(view.paper.abstract[a:b].lower() == "wavelet" for a, b in view.abstract_spans)
        assert "1 match" in status(screen)


async def test_keyboard_navigation(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        titles = list_titles(screen)

        async def press(*keys: str, title: str) -> None:
            await pilot.press(*keys)
            await until(pilot, lambda: shown(screen).paper.title == title, f"{keys}: {title}")

        await press("j", "j", "down", title=titles[3])
        await press("k", title=titles[2])
        await press("G", title=titles[-1])
        await press("g", title=titles[0])
        await pilot.press("pagedown")
        await until(pilot, lambda: screen.query_one(PaperList).cursor > 10, "a page down")
        await pilot.press("enter")
        await until(pilot, lambda: focused_id(app) == "detail", "the detail pane focused")
        await pilot.press("escape")
        await until(pilot, lambda: focused_id(app) == "papers", "the list focused")


async def test_search_box_escape_and_enter_return_to_the_list(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await until(pilot, lambda: focused_id(app) == "search", "the search box focused")
        await pilot.press("b")  # a letter typed in the box is text, not the bookmark key
        await until(pilot, lambda: app.screen.query_one("#search").value == "b", "b typed")
        await pilot.press("escape")
        await until(pilot, lambda: focused_id(app) == "papers", "the list focused")


async def test_did_you_mean_is_applied_with_one_key(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "transfomer")
        assert list_titles(screen) == []
        assert "did you mean: transformer" in status(screen)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: searched(screen, "transformer"), "the suggestion searched")
        assert any("Transformer" in t for t in list_titles(screen))


async def test_malformed_query_shows_no_error(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *'AND((("x')
        # Unfinished syntax that finds nothing keeps the last results and says why.
        await until(pilot, lambda: "not closed" in status(screen), "the status saying why")
        assert list_titles(screen)
        assert not [n for n in app._notifications if n.severity == "error"]
        assert screen.is_current


async def test_help_screen_opens_and_closes(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: "copy a BibTeX citation" in screen_text(app), "the help")
        assert isinstance(app.screen, HelpScreen)
        assert "bookmark / remove the bookmark" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen), "the help closed")


@pytest.mark.parametrize(("size", "layout"), [((80, 24), "-narrow"), ((60, 30), "-narrow")])
async def test_narrow_terminals_stack_the_panes(app: PaperDeckApp, size, layout) -> None:
    async with app.run_test(size=size) as pilot:
        screen = await ready(pilot)
        assert screen.has_class(layout)
        papers, detail = screen.query_one("#papers"), screen.query_one("#detail")
        await until(pilot, lambda: papers.region.bottom <= detail.region.y, "list above detail")
        assert detail.region.right <= size[0] and detail.region.height >= 5
        assert papers.region.height >= 4


async def test_resizing_switches_layout(app: PaperDeckApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.has_class("-wide")
        papers, detail = screen.query_one("#papers"), screen.query_one("#detail")
        assert papers.region.right <= detail.region.x  # side by side
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: screen.has_class("-narrow"), "the narrow layout")
        await until(pilot, lambda: papers.region.bottom <= detail.region.y, "list above detail")


async def test_similar_papers_and_back(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "Matryoshka")
        await pilot.press("escape", "s")
        await until(pilot, lambda: "Similar to" in status(screen), "similar papers listed")
        similar = list_titles(screen)
        assert "2D Matryoshka Sentence Embeddings" not in similar and similar
        await pilot.press("escape")
        await until(pilot, lambda: searched(screen, "Matryoshka") and loaded(screen), "back")
        assert shown(screen).paper.title == "2D Matryoshka Sentence Embeddings"


async def test_the_detail_keeps_similar_papers_and_place_when_redrawn(app: PaperDeckApp) -> None:
    """Bookmarking a paper, or a query landing on the paper already shown, redraws the
    detail pane: its similar papers and the reader's scroll position stay."""
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await ready(pilot)
        detail = screen.query_one("#detail")
        await until(pilot, lambda: shown(screen).similar, "similar papers in the detail pane")
        similar = shown(screen).similar
        detail.scroll_end(animate=False)  # done after the next repaint, not at once
        await until(pilot, lambda: at_end(detail), "the detail pane scrolled to its end")
        bottom = detail.scroll_y
        await pilot.press("b")
        await until(pilot, lambda: shown(screen).bookmark, "the bookmark drawn")
        await refreshed(pilot)  # a scroll the redraw asked for would have happened by now
        assert shown(screen).similar == similar and detail.scroll_y == bottom
        await type_query(pilot, "noise")  # its best match is the paper shown
        # (Letters typed on the way may have shown other papers: its similar papers may have
        # to come again, after the cursor rests.)
        await until(
            pilot,
            lambda: shown(screen).paper.title.startswith("DISGAN") and shown(screen).similar,
            "DISGAN with its similar papers",
        )
        disgan = shown(screen).paper.id
        await pilot.press("escape", "j")
        await until(pilot, lambda: loaded(screen) and shown(screen).paper.id != disgan, "j")
        await refreshed(pilot)
        assert detail.scroll_y == 0 and shown(screen).similar != similar  # another paper: its top


async def test_empty_library_explains_how_to_import(tmp_path: Path) -> None:
    app = PaperDeckApp(Library(tmp_path / "empty"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert list_titles(screen) == []
        assert "paperdeck import" in shown(screen).placeholder
        await pilot.press("b", "y", "s")  # nothing selected: a quiet hint, no crash
        await until(pilot, lambda: idle(pilot), "every worker done")
        # Each key said it, each toast replacing the last (not three stacked).
        assert [n.message for n in app._notifications] == ["No paper selected."]
        assert screen.is_current


async def test_tiny_terminal_resizing_while_searching_and_a_huge_paste(app: PaperDeckApp) -> None:
    async with app.run_test(size=(40, 10)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", "t", "r", "a")
        await pilot.resize_terminal(120, 40)
        await pilot.press("n", "s")
        await pilot.resize_terminal(40, 10)
        await until(pilot, lambda: searched(screen, "trans"), "results for trans")
        assert list_titles(screen)
        pasted = "trans" + " attention" * 5_000 + ' ((("'
        screen.query_one("#search").insert_text_at_cursor(pasted[5:])
        await until(pilot, lambda: searched(screen, pasted), "results for the paste", seconds=30)
        assert screen.is_current
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_no_color_still_works(sample_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        assert app.no_color and len(list_titles(screen)) == 65
        await type_query(pilot, "mamba")
        assert list_titles(screen) == ["A Survey of Mamba"]


async def test_a_new_query_starts_at_its_best_match(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert shown(screen).paper.title.startswith("DISGAN")  # also matches "transfor"
        await type_query(pilot, "transfor")
        assert screen.query_one(PaperList).cursor == 0
        assert shown(screen).paper.title == list_titles(screen)[0]
