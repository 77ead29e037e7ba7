"""Snapshots of the main screen, the help screen and the narrow layout.

The library is built from the sample with an explicit year and "today" is pinned, so the
pictures do not change with the calendar. Update with `pytest --snapshot-update` after a
deliberate change, and look at the new SVGs before committing them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui import app as app_module
from paperdeck.tui.screens.help import HelpScreen
from paperdeck.tui.widgets import paper_list
from paperdeck.tui.widgets.paper_detail import PaperDetail
from paperdeck.tui.widgets.paper_list import PaperList
from textual.widgets import Input

from tests.support.reader import idle, ready, refreshed, shown, type_query, until


@pytest.fixture
def pinned_app(tmp_path: Path, sample_bytes: bytes, monkeypatch) -> app_module.PaperDeckApp:
    monkeypatch.setattr(paper_list, "today", lambda: dt.date(2026, 11, 26))
    digest = tmp_path / "hf-papers-2026-03-13.txt"
    digest.write_bytes(sample_bytes.replace(b"\nMar 13\n", b"\nMar 13, 2026\n", 1))
    library = Library(tmp_path / "library")
    library.import_digests([digest])
    return app_module.PaperDeckApp(library)


async def _prepare(pilot) -> None:
    await ready(pilot)
    pilot.app.screen.query_one(Input).cursor_blink = False


async def _quiet(pilot) -> None:
    """Wait until the paper under the cursor is loaded with its similar papers (they arrive
    after a short delay), so every picture is the same however busy the machine is."""
    screen = pilot.app.screen

    def loaded_with_similar() -> bool:
        view = screen.query_one(PaperDetail).view
        row = screen.query_one(PaperList).current
        return bool(view.paper and row and view.paper.id == row.id and view.similar)

    await until(pilot, loaded_with_similar, "the detail pane showing its similar papers")
    await until(pilot, lambda: idle(pilot), "every worker done")
    pilot.app.clear_notifications()  # toasts time out: their presence would depend on speed
    await refreshed(pilot)


def test_main_screen(snap_compare, pinned_app) -> None:
    async def run_before(pilot) -> None:
        await _prepare(pilot)
        await type_query(pilot, "wavelet disc")
        await pilot.press("escape")
        await _quiet(pilot)

    assert snap_compare(pinned_app, terminal_size=(120, 36), run_before=run_before)


def test_help_screen(snap_compare, pinned_app) -> None:
    async def run_before(pilot) -> None:
        await _prepare(pilot)
        await _quiet(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help")
        await refreshed(pilot)

    assert snap_compare(pinned_app, terminal_size=(100, 40), run_before=run_before)


def test_narrow_layout(snap_compare, pinned_app) -> None:
    async def run_before(pilot) -> None:
        await _prepare(pilot)
        await pilot.press("j", "b")
        await until(pilot, lambda: shown(pilot.app.screen).bookmark, "the paper bookmarked")
        await _quiet(pilot)

    assert snap_compare(pinned_app, terminal_size=(80, 24), run_before=run_before)
