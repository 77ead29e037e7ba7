"""Start-up: the reader's first frame is its first screenful, drawn once, and what it does not
need (Whoosh, numpy, the clipboard's and the browser's modules, the keys file's parser) loads
after it. No timings here: what is loaded and what is on screen when, in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.app import make_reader
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.reader import list_titles, ready, until

# Not needed to draw the first rows; each costs start-up time when imported before them.
LATER = ("whoosh", "numpy", "filelock", "pyperclip", "tomllib", "webbrowser", "hashlib")
LATER_OURS = (
    "paperdeck.tui.clipboard",
    "paperdeck.tui.external",
    # exports and BibTeX, watches, citations, another process's changes: at first use
    "paperdeck.index.export",
    "paperdeck.index.bibliography",
    "paperdeck.index.watches",
    "paperdeck.index.watching",
    "paperdeck.index.citations.models",
    "paperdeck.index.changes",
    # the write side's: digest readers, links and line hashes (OpenSSL's hashlib)
    "paperdeck.index.digest",
    "paperdeck.index.links",
    "paperdeck.index.linememo",
    "paperdeck.index.import_report",
    "paperdeck.index.clean",  # digest text's patterns (marks use index/controls.py)
    "paperdeck.index.engine.request",
    "paperdeck.tui.messages_later",  # what workers post back, after the first frame
)

FIRST_FRAME = """
import json, sys
from paperdeck.index.library import Library
from paperdeck.tui.app import make_reader
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_list import PaperList

seen = {}

def open_library(self):  # asked for once the first frame is drawn: what was loaded by then
    seen["rows"] = len(self.query_one(PaperList).rows)
    seen["modules"] = sorted(sys.modules)
    self.app.exit()

MainScreen.open_library = open_library
make_reader(Library(sys.argv[1]), keys_file=__import__("pathlib").Path(sys.argv[2])).run(
    headless=True
)
print(json.dumps(seen))
"""


def test_the_first_frame_needs_neither_whoosh_nor_numpy_nor_the_clipboard(
    sample_dir: Path, tmp_path: Path
) -> None:
    """Until the index is asked to open (after the first frame), the reader has loaded none
    of the modules it needs only later: searching, copying, opening a link, a keys file."""
    keys = tmp_path / "no-keys.toml"  # none, as for most readers
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(sample_dir), str(keys)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 65
    loaded = set(seen["modules"])
    early = sorted(m for m in loaded if m.split(".")[0] in LATER or m in LATER_OURS)
    assert early == []


async def test_the_first_layout_already_has_the_rows_and_the_width_style(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen is mounted with its first rows in the list and its width's class (-narrow
    at 80 columns) set: it is styled and laid out once, not first empty and unstyled."""
    seen: dict[str, object] = {}
    mounted = MainScreen.on_mount

    def on_mount(screen: MainScreen) -> None:
        mounted(screen)
        seen["classes"] = set(screen.classes)
        seen["rows"] = len(screen.query_one(PaperList).rows)

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)
    app = make_reader(Library(sample_dir), keys_file=sample_dir / "no-keys.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        assert seen == {"classes": {"-narrow"}, "rows": 65}
        assert screen.has_class("-narrow") and not screen.has_class("-wide")
        assert len(list_titles(screen)) == 65
        assert app.screen_stack == [screen]  # no empty default screen under it


async def test_a_wide_terminal_gets_the_wide_layout_from_the_start(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[set[str]] = []
    mounted = MainScreen.on_mount

    def on_mount(screen: MainScreen) -> None:
        mounted(screen)
        seen.append(set(screen.classes))

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)
    app = make_reader(Library(sample_dir), keys_file=sample_dir / "no-keys.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert seen == [{"-wide"}] and screen.has_class("-wide")


async def test_garbage_is_collected_again_from_the_first_frame_on(sample_dir: Path) -> None:
    """Collection pauses only while the first frame is composed and drawn (start-up time),
    never for the session, nor after an app that ends."""
    import gc

    app = make_reader(Library(sample_dir), keys_file=sample_dir / "no-keys.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert gc.isenabled()
    assert gc.isenabled()


async def test_each_dialog_brings_its_styles_and_the_first_frame_parses_none(
    sample_dir: Path,
) -> None:
    """The dialogs' styles are theirs (loaded when one first opens): the first frame does not
    parse them, and each dialog is boxed and centred as before at 100 columns."""
    from paperdeck.index.models import Bookmark, Paper, PaperRow
    from paperdeck.tui.screens.bookmark_dialog import BookmarkDialog
    from paperdeck.tui.screens.export_dialog import ExportDialog
    from paperdeck.tui.screens.help import HelpScreen
    from paperdeck.tui.screens.watches import WatchDialog, WatchesScreen

    paper = Paper(id="2401.00001", title="A paper")
    bookmark = Bookmark(paper.id, "2026-03-13T00:00:00+00:00", paper, (), "")
    dialogs = [
        (HelpScreen(), "#help-body", 90),
        (BookmarkDialog(PaperRow(paper.id, paper.title, None), bookmark), "#bookmark-dialog", 70),
        (ExportDialog("all papers", Path("papers.json")), "#export-dialog", 80),
        (WatchesScreen([]), "#watches-dialog", 90),
        (WatchDialog("wavelet"), "#watch-dialog", 90),
    ]
    app = make_reader(Library(sample_dir), keys_file=sample_dir / "no-keys.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        names = {name for rule in app.stylesheet.rules for name in rule.selector_names}
        assert not {box for _, box, _ in dialogs} & names
        for dialog, box, width in dialogs:
            app.push_screen(dialog)
            await until(pilot, lambda d=dialog: app.screen is d and d.is_mounted, box)
            await pilot.pause()
            region = dialog.query_one(box).region
            assert (region.width, region.x) == (width, (100 - width) // 2), box
            dialog.dismiss(None)
            await until(pilot, lambda d=dialog: app.screen is not d, "closed")
