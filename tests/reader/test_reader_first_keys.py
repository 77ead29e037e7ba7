"""A newcomer's first keys (issue 21): a word typed at start is searched, paper keys with no
paper on the screen do nothing and say so, escape from the list goes back to all papers."""

from __future__ import annotations

from pathlib import Path

from paperdeck.index.library import Library, WatchStatus
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens.bookmark_dialog import BookmarkDialog
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.screens.watches import watch_line
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.reader import (
    idle,
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


def busy(screen: MainScreen) -> bool:
    return any(w.group == "search" and not w.is_finished for w in screen.workers)


def footer(screen: MainScreen) -> str:
    return str(screen.query_one("#keys").render())


async def test_a_word_typed_at_start_is_searched_and_letters_act_in_the_list(
    sample_dir: Path,
) -> None:
    """`wavelet` typed at once opened the watches dialog (w), copied (a), ...; now it is
    searched, and once ↓ takes the reader to the list, b bookmarks."""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot, to_list=False)
        assert footer(screen).startswith("↓ enter tab List  ^b Mark")  # the keys acting there
        await pilot.press(*"wavelet")
        await until(pilot, lambda: searched(screen, "wavelet"), "wavelet searched")
        assert app.screen is screen  # no watches dialog, no tags dialog
        assert 0 < len(list_titles(screen)) < 65
        await pilot.press("down")
        await until(pilot, lambda: screen.query_one(PaperList).has_focus, "the list focused")
        assert "  b Mark" in footer(screen) and "List" not in footer(screen)
        await pilot.press("b")
        await until(pilot, lambda: shown(screen).bookmark is not None, "b bookmarked")
        await pilot.press("slash", *"x/")  # `/` back to the box (its text selected), then text
        await until(pilot, lambda: searched(screen, "x/"), "typing searches again")
        await until(pilot, lambda: idle(pilot), "every worker done")
        assert not any("opied" in n for n in notices(app))
    assert len(Library(sample_dir).bookmark_ids()) == 1


async def test_enter_and_tab_also_go_from_the_box_to_the_list(sample_dir: Path) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot, to_list=False)
        paper_list = screen.query_one(PaperList)
        for key in ("enter", "tab"):
            await pilot.press("slash")
            await until(pilot, lambda: app.focused is screen.query_one("#search"), "the box")
            await pilot.press(key)
            await until(pilot, lambda: paper_list.has_focus, f"{key}: the list focused")


async def test_paper_keys_with_no_paper_shown_say_so_and_do_nothing(sample_dir: Path) -> None:
    """With an empty list ("No paper selected.") a and t acted on a paper of an earlier list."""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "zzqqxxnothingmatches")
        await pilot.press("ctrl+b", "ctrl+y")  # in the box the ctrl keys act
        await pilot.press("escape")
        assert screen.query_one(PaperList).rows == ()
        assert shown(screen).placeholder == "No paper selected."
        await pilot.press(*"aytbxocs")
        await until(pilot, lambda: idle(pilot), "every worker done")
        assert app.screen is screen  # no tags dialog
        assert set(notices(app)) == {"No paper selected."}
        assert len(notices(app)) == 1  # said once a key, each replacing the last
    library = Library(sample_dir)
    assert library.bookmark_ids() == set()
    assert library.browse("").total == 65  # nothing dismissed


async def test_escape_in_the_list_clears_the_query_and_the_filters_and_says_which(
    sample_dir: Path,
) -> None:
    """Escape twice left bookmarks only (B) on, though the help said all papers."""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("b", "B")
        await until(pilot, lambda: searched(screen, "") and len(list_titles(screen)) == 1, "B")
        await type_query(pilot, "wavelet")
        await pilot.press("escape")  # the box -> the list
        await until(pilot, lambda: screen.query_one(PaperList).has_focus, "the list focused")
        assert screen.query_text == "wavelet" and screen.filters.bookmarks_only
        await pilot.press("escape")  # the list -> all papers
        await until(pilot, lambda: searched(screen, "") and len(list_titles(screen)) == 65, "all")
        assert not screen.filters.on() and screen.query_one("#search").value == ""
        assert "cleared the search “wavelet” and bookmarks only" in status(screen)
        await pilot.press("n")  # filtering again: the status no longer says it
        await until(pilot, lambda: "new since last time" in status(screen), "n on")
        assert "cleared" not in status(screen)


async def test_tags_and_note_are_near_the_top_with_the_bookmark_state(sample_dir: Path) -> None:
    """Tags and notes sat below the whole abstract, out of sight on a small terminal."""
    library = Library(sample_dir)
    first = library.browse("").rows[0]
    library.toggle_bookmark(first.id)
    library.annotate(first.id, ["toread", "gans"], "compare with the wavelet one")
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await until(pilot, lambda: shown(screen).bookmark is not None, "the bookmark shown")
        await refreshed(pilot)
        lines = screen_lines(app)
        at = {
            what: next((i for i, line in enumerate(lines) if what in line), None)
            for what in ("★ bookmarked", "Tags: gans, toread", "Note: compare")
        }
        assert None not in at.values(), "\n".join(lines)  # on screen, the abstract is not
        assert at["★ bookmarked"] + 1 == at["Tags: gans, toread"] == at["Note: compare"] - 1


async def test_a_half_typed_query_never_shows_the_whole_library_unfiltered(
    sample_dir: Path,
) -> None:
    """`author:` listed all 65 papers while the status said the query was unfinished: the
    last answer stays, and the status says the query is unfinished; a trailing AND matches
    the words before it."""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot, to_list=False)
        await pilot.press(*"retrieval")
        await until(pilot, lambda: searched(screen, "retrieval"), "retrieval searched")
        retrieval = list_titles(screen)
        assert 0 < len(retrieval) < 65
        await pilot.press("space", *"AND")
        wanted = "a word to follow the operator: matching what is typed so far"
        await until(pilot, lambda: wanted in status(screen), "the trailing AND said")
        assert list_titles(screen) == retrieval
        for _ in "retrieval AND":
            await pilot.press("backspace")
        await until(pilot, lambda: searched(screen, ""), "the box empty again")
        await pilot.press(*"author")
        await until(pilot, lambda: searched(screen, "author"), "author searched")
        prefix = list_titles(screen)
        assert len(prefix) < 65
        await pilot.press("colon")
        said = "a value to follow the field: still showing the last answer"
        await until(pilot, lambda: said in status(screen), "the bare field said")
        assert list_titles(screen) == prefix  # not the whole library
        await pilot.press("ctrl+u", *'"sentence embed')
        said = "quote not closed: "
        await until(pilot, lambda: said in status(screen) and not busy(screen), "the quote said")
        rows = screen.query_one(PaperList).rows
        assert 0 < len(rows) < 65
        library = Library(sample_dir)
        for row in rows:  # the phrase so far (or, before it, its first word)
            paper = library.get(row.id)
            assert "sentence" in f"{paper.title} {paper.abstract}".lower(), paper.title


async def test_the_cursor_row_is_highlighted_through_its_date(sample_dir: Path) -> None:
    """The highlight stopped before the date column (and left the mark column out)."""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper_list = screen.query_one(PaperList)
        at = paper_list.cursor  # (the first rows: no scrolling)
        cursor_row, other_row = paper_list.render_line(at), paper_list.render_line(at + 1)
        backgrounds = {segment.style.bgcolor for segment in cursor_row}  # mark, title, date
        assert len(backgrounds) == 1, list(cursor_row)
        assert backgrounds != {segment.style.bgcolor for segment in other_row}
        assert cursor_row.text.rstrip().endswith("Mar 13")


async def test_the_tags_dialog_cuts_a_long_title_with_an_ellipsis(sample_dir: Path) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await ready(pilot)
        title = shown(screen).paper.title  # DISGAN: Wavelet-informed ... (longer than 50)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the tags dialog")
        await refreshed(pilot)
        line = next(line for line in screen_lines(app) if title[:20] in line)
        assert "…" in line and title not in line, line


async def test_a_copy_toast_replaces_the_last_and_goes_when_a_dialog_opens(
    sample_dir: Path,
) -> None:
    """y, a, c stacked three toasts of four lines each over the list and the dialogs (80x24)."""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for key, kind in (("y", "link"), ("a", "abstract"), ("c", "citation")):
            await pilot.press(key)
            said = lambda kind=kind: any(kind in n.message for n in app._notifications)  # noqa: E731
            await until(pilot, said, key)
            await until(pilot, lambda: idle(pilot), "every worker done")
            assert len(notices(app)) == 1, notices(app)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the tags dialog")
        assert not any("copied" in n.lower() or "OSC 52" in n for n in notices(app))


def test_the_watches_list_says_one_match_and_keeps_its_columns() -> None:
    """`1 matches` in the watches dialog; the columns (name, new, matches, query) stay in
    line whatever the counts (the CLI's `watch list` takes the same order: branch cli21)."""
    one = watch_line(WatchStatus(name="gans", query="gan", matches=1, new=0), 9).plain
    many = watch_line(WatchStatus(name="diffusion", query="diffusion", matches=41, new=3), 9)
    assert "1 match " in one and "1 matches" not in one
    assert one.index("gan", 9) == many.plain.index("diffusion", 9)  # the query column
    assert many.plain.index("new") < many.plain.index("matches")
