"""The reader follows the library on disk (issue 21.1): another process imports, bookmarks,
tags and dismisses while the reader is open; the list, the marks and the status line follow
without moving the cursor off its paper or touching what is typed in the search box."""

from __future__ import annotations

from pathlib import Path

from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.widgets.paper_list import PaperList
from textual.widgets import Input

from tests.support import FIXTURES, run_cli
from tests.support.reader import ready, searched, shown, status, type_query, until

SIGNALS = FIXTURES / "hf-daily-signals.json"  # 5 papers, 3 of them match "model"
SNAPSHOT = FIXTURES / "real" / "arxiv-snapshot-first-150.jsonl"  # 150 papers


async def test_another_process_changing_the_library_shows_in_the_open_reader(
    sample_dir: Path,
) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "model")
        await pilot.press("enter", "down", "down", "slash")  # the cursor on the third paper
        paper_list, search = screen.query_one(PaperList), screen.query_one("#search", Input)
        await until(pilot, lambda: screen.focused is search, "typing in the search box")
        here, total = paper_list.current, screen.result.total
        assert here is not None and paper_list.cursor == 2 and total == 61

        def unmoved() -> bool:
            current = paper_list.current
            return current is not None and current.id == here.id and search.value == "model"

        other = Library(sample_dir)  # another process's view of the same library
        other.import_digests([SIGNALS])
        await until(pilot, lambda: "5 new papers" in status(screen), "the import said")
        await until(pilot, lambda: screen.result.total == total + 3, "the new matches listed")
        assert unmoved() and screen.focused is search
        assert "66 papers" not in status(screen)

        other.add_bookmarks([here.id])
        await until(pilot, lambda: here.id in screen.marks, "the bookmark shown")
        other.tag_bookmark(here.id, ["later"])
        await until(
            pilot,
            lambda: (
                shown(screen).bookmark is not None and shown(screen).bookmark.tags == ("later",)
            ),
            "the tag in the detail pane",
        )
        gone = paper_list.rows[0].id
        other.dismiss([gone])
        await until(pilot, lambda: gone not in {r.id for r in paper_list.rows}, "dismissed hidden")
        assert unmoved()

        imported = run_cli("import", str(SNAPSHOT), data_dir=sample_dir)  # a real process
        assert imported.returncode == 0, imported.stderr
        await until(pilot, lambda: "150 new papers" in status(screen), "the CLI's import said")
        grown = 65 + 5 + 150 - 1  # (the dismissed paper is not counted: issue 21.3)
        await until(pilot, lambda: screen.library_size == grown, "the count followed")
        assert unmoved() and screen.focused is search


def _screen_line(paper_list: PaperList) -> int:
    return paper_list.cursor - round(paper_list.scroll_offset.y)


async def test_the_paper_under_the_cursor_dismissed_elsewhere_gives_way_to_the_next(
    sample_dir: Path,
) -> None:
    """Another shell dismisses the paper the cursor is on: the paper after it comes under
    the cursor, on the same line of the screen (not back to the first row)."""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await until(pilot, lambda: screen.follow.synced, "following the disk")
        paper_list = screen.query_one(PaperList)
        await pilot.press("down")  # to the list
        await until(pilot, lambda: screen.focused is paper_list, "the list focused")
        await pilot.press(*["down"] * (40 - paper_list.cursor))  # well past one screen
        await until(pilot, lambda: paper_list.cursor == 40, "the cursor on row 40")
        line, here, after = _screen_line(paper_list), paper_list.rows[40], paper_list.rows[41]
        assert line > 0
        Library(sample_dir).dismiss([here.id])
        await until(pilot, lambda: here.id not in {r.id for r in paper_list.rows}, "hidden")
        assert paper_list.current == after and paper_list.cursor == 40
        assert _screen_line(paper_list) == line
        await until(
            pilot, lambda: getattr(shown(screen).paper, "id", None) == after.id, "its paper shown"
        )
        Library(sample_dir).add_bookmarks([paper_list.rows[3].id])  # off the cursor's paper
        await until(pilot, lambda: paper_list.rows[3].id in screen.marks, "the mark followed")
        assert paper_list.current == after and _screen_line(paper_list) == line


async def test_the_readers_own_import_is_not_said_again_as_another_processes(
    sample_dir: Path,
) -> None:
    app = PaperDeckApp(Library(sample_dir), imports=[str(SIGNALS)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await until(pilot, lambda: screen.library_size == 70, "its own import listed")
        await until(pilot, lambda: screen.follow.synced, "following from after the import")
        Library(sample_dir).add_bookmarks([screen.query_one(PaperList).rows[0].id])
        await until(pilot, lambda: len(screen.marks) == 1, "another's bookmark followed")
        said = [n.message for n in app._notifications] + [status(screen)]
        assert not [line for line in said if "imported elsewhere" in line]


# -- what is new survives a second reader and restarts (issue 21.5) ----------------------------


async def new_listed(pilot, screen) -> list[str]:
    """`n`: the new papers' ids (the list once it shows them)."""
    await pilot.press("n")
    await until(pilot, lambda: searched(screen, ""), "the new papers listed")
    return [row.id for row in screen.query_one(PaperList).rows]


async def test_papers_imported_while_the_first_reader_ever_is_open_are_new(
    sample_dir: Path,
) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        Library(sample_dir).import_digests([SIGNALS])
        await until(pilot, lambda: "5 new papers" in status(screen), "the import followed")
        assert len(await new_listed(pilot, screen)) == 5
        assert len(screen.new_ids) == 5


async def test_new_survives_a_second_reader_and_a_restart_shows_only_what_came_since(
    sample_dir: Path,
) -> None:
    earlier = Library(sample_dir)
    earlier.mark_opened()
    earlier.end_session()  # a reader was opened and quit before
    Library(sample_dir).import_digests([SIGNALS])
    for _reader in ("first", "second"):  # the first is still open (or was killed)
        app = PaperDeckApp(Library(sample_dir))
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await ready(pilot)
            assert len(await new_listed(pilot, screen)) == 5
            if _reader == "second":
                await pilot.press("q")  # quits: what it showed is seen
    assert run_cli("search", "is:new", data_dir=sample_dir).stdout == ""
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:  # a restart
        screen = await ready(pilot)
        assert await new_listed(pilot, screen) == []
        message = screen.query_one(PaperList).empty_message
        assert "Nothing new" in message and "first time" not in message
    Library(sample_dir).import_digests([FIXTURES / "hf-search.json"])  # one new paper
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert len(await new_listed(pilot, screen)) == 1
