"""Watches in the reader: listed with their new counts, opened into the search box and marked
seen, saved from the current search, and said after a fetch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens.watches import WatchDialog, WatchesScreen
from paperdeck.tui.widgets.paper_list import PaperList

from tests.reader.test_reader_actions import daily_server as hf_api  # noqa: F401 (a fixture)
from tests.support import FIXTURES, SAMPLE, run_cli
from tests.support.reader import notices, ready, screen_text, status, type_query, until

SIGNALS = FIXTURES / "hf-daily-signals.json"


@pytest.fixture
def watched_dir(sample_dir: Path) -> Path:
    """The sample with a watch on diffusion, then three new diffusion papers imported."""
    library = Library(sample_dir)
    library.add_watch("diffusion", "diffusion")
    library.add_watch("mamba", "mamba")
    library.import_digests([SIGNALS])
    return sample_dir


def watch_new(data_dir: Path) -> int:
    return json.loads(run_cli("watch", "list", "--json", data_dir=data_dir).stdout)[0]["new"]


def new_counts(data_dir: Path) -> dict[str, int]:
    return {s.name: s.new for s in Library(data_dir).watches()}


async def test_w_lists_the_watches_and_enter_searches_one_and_marks_it_seen(
    watched_dir: Path,
) -> None:
    app = PaperDeckApp(Library(watched_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        said = "diffusion: 3 new (w shows your watches)"
        await until(pilot, lambda: said in notices(app), "the new papers said on opening")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen), "the watches listed")
        text = screen_text(app)
        assert "diffusion" in text and "3 new" in text and "5 matches" in text
        assert "mamba" in text and "0 new" in text
        await pilot.press("enter")  # the first: diffusion
        await until(pilot, lambda: app.screen is screen, "back on the main screen")
        paper_list = screen.query_one(PaperList)
        await until(pilot, lambda: len(paper_list.rows) == 5, "the watch's papers listed")
        assert set(paper_list.new_ids) == {row.id for row in paper_list.rows[:3]}  # new first
        await until(pilot, lambda: new_counts(watched_dir)["diffusion"] == 0, "marked seen")
        assert new_counts(watched_dir)["mamba"] == 0  # (only the one opened)


async def test_W_watches_the_current_search(sample_dir: Path) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await type_query(pilot, "title:mamba")
        await pilot.press("escape", "W")
        await until(pilot, lambda: isinstance(app.screen, WatchDialog), "the name asked for")
        app.screen.query_one("#watch-name").value = "Mamba papers"
        await pilot.press("enter")
        said = "Watching Mamba papers (1 paper so far): w lists your watches."
        await until(pilot, lambda: said in notices(app), "the watch saved")
        await pilot.press("W")  # the same name again: refused in one line
        await until(pilot, lambda: isinstance(app.screen, WatchDialog), "asked again")
        app.screen.query_one("#watch-name").value = "mamba PAPERS"
        await pilot.press("enter")
        refused = "Not watched: there is already a watch named 'Mamba papers'."
        await until(pilot, lambda: refused in notices(app), "the duplicate refused")
        await pilot.press("W", "enter")  # no name: the search is its name
        said = "Watching title:mamba (1 paper so far): w lists your watches."
        await until(pilot, lambda: said in notices(app), "the unnamed watch saved")
    statuses = [(s.name, s.query, s.matches) for s in Library(sample_dir).watches()]
    assert statuses == [("Mamba papers", "title:mamba", 1), ("title:mamba", "title:mamba", 1)]


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20)])
async def test_w_without_watches_says_how_to_add_one(
    sample_dir: Path, size: tuple[int, int]
) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen), "the watches screen")
        text = " ".join(screen_text(app).replace("│", " ").split())
        assert "No watches yet" in text
        assert "or run" in text and "NAME QUERY" in text  # wrapped, not cut at the edge
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, WatchesScreen), "closed")


async def test_F_says_what_each_watch_gained(
    sample_dir: Path,
    hf_api: list[bytes],  # noqa: F811 (the fixture imported above)
) -> None:
    Library(sample_dir).add_watch("diffusion", "diffusion")
    hf_api[0] = SIGNALS.read_bytes()
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("F")
        said = "Watches: diffusion: 3 new."
        await until(pilot, lambda: any(n.endswith(said) for n in notices(app)), said)


async def test_a_watch_opened_marks_seen_only_the_papers_it_showed(tmp_path: Path) -> None:
    """61 new papers and a list 18 rows high: the first rows (new ones first, marked) become
    seen, and the CLI afterwards counts the rest still new."""
    library = Library(tmp_path)
    library.add_watch("models", "model")  # (an empty library: all 61 matches come new)
    library.import_digests([SAMPLE])
    app = PaperDeckApp(Library(tmp_path))
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen), "the watches listed")
        await pilot.press("enter")
        paper_list = screen.query_one(PaperList)
        await until(pilot, lambda: len(paper_list.rows) == 61, "the watch's papers listed")
        assert len(paper_list.new_ids) == 61 and "Watch “models”" in status(screen)
        await until(pilot, lambda: any("seen now" in n for n in notices(app)), "seen said")
        height = paper_list.scrollable_content_region.height
        assert 0 < height < 61
        first = {row.id for row in paper_list.rows[:height]}
        said = next(n for n in notices(app) if "seen now" in n)
        assert said == f"models: {height} new papers seen now, {61 - height} still new below."
        listed = run_cli("watch", "list", "--json", data_dir=tmp_path)
        assert json.loads(listed.stdout)[0]["new"] == 61 - height
        await pilot.press("G")  # the last papers scrolled onto the screen: seen too
        end = {row.id for row in paper_list.rows[-height:]}
        await until(pilot, lambda: watch_new(tmp_path) == 61 - len(end | first), "the end seen")
        assert len([n for n in notices(app) if "seen now" in n]) == 1  # (said once)


async def test_the_watches_screen_follows_watches_changed_elsewhere(watched_dir: Path) -> None:
    """Another shell adds and removes watches while `w` shows them: the rows follow, and the
    highlight stays on the watch it was on; enter opens what is there now."""
    app = PaperDeckApp(Library(watched_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await until(pilot, lambda: screen.follow.synced, "following the disk")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen), "the watches listed")
        await pilot.press("down")  # on mamba
        other = Library(watched_dir)
        other.add_watch("graph", "graph")
        other.remove_watch("diffusion")
        await until(pilot, lambda: "graph" in screen_text(app), "the added watch shown")
        text = screen_text(app)
        assert "diffusion" not in text and "mamba" in text
        await pilot.press("enter")
        await until(pilot, lambda: screen.watch_open == "mamba", "the highlighted watch opened")
        assert not [n for n in notices(app) if "no watch named" in n]
