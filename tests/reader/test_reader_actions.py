"""Bookmarking and copying from the reader, with and without a native clipboard."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens.bookmark_dialog import BookmarkDialog
from paperdeck.tui.screens.export_dialog import ExportDialog
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support import FIXTURES
from tests.support.reader import (
    fake_program,
    list_titles,
    notices,
    ready,
    searched,
    shown,
    status,
    until,
)

DAILY = (FIXTURES / "hf-daily-2026-03-13.json").read_bytes()


async def test_b_marks_the_row_at_once_and_B_filters(app: PaperDeckApp, sample_dir: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        titles = list_titles(screen)
        await pilot.press("b", "j", "j", "b", "j", "b")
        await until(pilot, lambda: shown(screen).bookmark is not None, "the detail marked")
        marked = screen.query_one(PaperList)
        await until(pilot, lambda: len(marked.marks) == 3, "three papers marked")
        await pilot.press("B")
        await until(pilot, lambda: searched(screen, ""), "the bookmarks listed")
        assert list_titles(screen) == [titles[0], titles[2], titles[3]]
        assert "3 bookmarked" in status(screen)
        await pilot.press("g", "b")  # un-bookmark the first: it leaves the filtered list
        await until(pilot, lambda: list_titles(screen) == [titles[2], titles[3]], "two left")
    assert len(Library(sample_dir).bookmark_ids()) == 2  # saved on disk, not just on screen


async def test_quick_bookmarks_all_stay_marked(app: PaperDeckApp, monkeypatch) -> None:
    """Two b's in a row: the first save's report is slow to come back; the screen still ends
    with both marks (the reports arrive in the order the saves were made)."""
    from paperdeck.tui import actions

    second_read, real = threading.Event(), actions.bookmarks_by_id
    calls: list[int] = []

    def slow_first_read(library):
        marks = real(library)
        calls.append(len(marks))
        if len(calls) == 1:
            second_read.wait(2.0)  # the second save reads meanwhile (unless it must wait)
        else:
            second_read.set()
        return marks

    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        monkeypatch.setattr(actions, "bookmarks_by_id", slow_first_read)
        await pilot.press("b", "j", "b")
        await until(pilot, lambda: notices(app).count("Bookmarked.") == 2, "two reports")
        assert len(screen.query_one(PaperList).marks) == 2


@pytest.fixture
def clipboard_log(tmp_path: Path, monkeypatch) -> Path:
    """An xclip on PATH (only it) that appends each copy to a file, as a desktop has one."""
    folder, log = tmp_path / "bin", tmp_path / "clipboard"
    fake_program(folder, "xclip", f"/bin/cat >> {log}; echo >> {log}")
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return log


async def test_copy_with_a_native_clipboard(app: PaperDeckApp, clipboard_log: Path) -> None:
    def copied() -> list[str]:
        return clipboard_log.read_text().split("\n")[:-1] if clipboard_log.exists() else []

    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper = shown(screen).paper
        await pilot.press("y")
        await until(pilot, lambda: copied() == [paper.url], "the link in the clipboard")
        assert app.clipboard == paper.url  # native and OSC 52
        await until(pilot, lambda: any("Copied the link" in n for n in notices(app)), "ok")
        await pilot.press("c")
        await until(pilot, lambda: "@misc{" in clipboard_log.read_text(), "a BibTeX entry")
        assert paper.title in clipboard_log.read_text()


async def test_copy_without_any_clipboard_tool(
    app: PaperDeckApp, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no xclip, xsel or wl-copy
    monkeypatch.setenv("DISPLAY", ":0")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        paper = shown(screen).paper
        await pilot.press("y")
        await until(pilot, lambda: notices(app), "a notice about the copy")
        assert app.clipboard == paper.url  # still sent through the terminal
        message = notices(app)[-1]
        assert "through the terminal (OSC 52)" in message and "xclip" in message
        saved = app.library._shared.paths.last_copy_file
        assert str(saved) in message and saved.read_text() == paper.url


async def test_corrupt_bookmarks_file_still_opens(sample_dir: Path) -> None:
    (sample_dir / "bookmarks.json").write_text("{ not json")
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert len(list_titles(screen)) == 65
        await pilot.press("b")
        await until(pilot, lambda: any("moved aside" in n for n in notices(app)), "a notice")
    assert list(sample_dir.glob("bookmarks.json.unreadable-*"))


async def test_tags_and_note_dialog(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("b")
        await until(pilot, lambda: shown(screen).bookmark, "the paper bookmarked")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the dialog")
        app.screen.query_one("#tags").value = "toread, gan"
        app.screen.query_one("#note").value = "wavelets + GANs"
        await pilot.click("#save")
        await until(pilot, lambda: shown(screen).bookmark.note, "the note shown")
        mark = shown(screen).bookmark
        assert mark.tags == ("gan", "toread") and mark.note == "wavelets + GANs"


async def test_cancelling_tags_on_a_paper_not_bookmarked_leaves_it_unbookmarked(
    app: PaperDeckApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("t")  # a bookmark is made when the dialog is saved, not before
        await until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the dialog")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the dialog closed")
        await until(pilot, lambda: shown(screen).bookmark is None, "the bookmark taken off")
        assert app.library.bookmark_list() == []


async def test_a_bookmark_made_just_before_quitting_is_saved(sample_dir: Path) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        second = list_titles(screen)[1]
        # No pause: the paper has not loaded yet; the key acts on the row all the same, and
        # quitting waits for the save (Textual's thread pool is joined at exit).
        await pilot.press("j", "b", "q")
    marks = Library(sample_dir).bookmark_list()
    assert [m.snapshot.title for m in marks] == [second]


@pytest.fixture
def daily_server(monkeypatch) -> Iterator[list[bytes]]:
    """A local Hugging Face API answering every day with the body the test puts first in
    the list it gets (PAPERDECK_HF_API points the reader at it)."""
    bodies: list[bytes] = [b"[]"]

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(bodies[0])))
            self.end_headers()
            self.wfile.write(bodies[0])

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("PAPERDECK_HF_API", f"http://127.0.0.1:{httpd.server_address[1]}")
    yield bodies
    httpd.shutdown()
    httpd.server_close()


async def test_F_fetches_as_paperdeck_fetch_does_and_says_the_same(
    app: PaperDeckApp, daily_server: list[bytes]
) -> None:
    today = dt.date.today()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("F")  # a day with no papers yet: the CLI's own line
        await until(pilot, lambda: f"{today}: no papers that day" in notices(app), "said")
        daily_server[0] = DAILY
        await pilot.press("F")
        said = f"hf-daily-{today}.json: 65 papers"
        await until(pilot, lambda: any(n.startswith(said) for n in notices(app)), said)
        assert app.library.digests()[-1].format == "hf-json"


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch) -> Path:
    """A home with a Downloads folder (and no XDG user-dirs file naming another)."""
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home / "Downloads"


async def export_from_the_palette(pilot, command: str) -> ExportDialog:
    await pilot.press("ctrl+p")
    await pilot.press(*command)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ExportDialog), "the export dialog")
    return pilot.app.screen


async def test_an_export_asks_where_and_never_writes_over_a_file(
    app: PaperDeckApp, downloads: Path
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("b", "t")  # a bookmark with a tag: the export carries it
        await until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the tags dialog")
        app.screen.query_one("#tags").value = "toread"
        await pilot.press("enter")
        await until(pilot, lambda: "Saved tags and note." in notices(app), "saved")
        dialog = await export_from_the_palette(pilot, "bookmarks as markdown")
        first = downloads / "paperdeck-bookmarks.md"
        assert dialog.query_one("#export-path").value == str(first)
        await pilot.press("enter")
        await until(pilot, lambda: f"Exported 1 paper to {first}" in notices(app), "written")
        assert "tags: `toread`" in first.read_text()
        title = shown(screen).paper.title
        dialog = await export_from_the_palette(pilot, "bookmarks as markdown")
        assert dialog.query_one("#export-path").value == str(downloads / "paperdeck-bookmarks-2.md")
        dialog.query_one("#export-path").value = str(first)  # the first file's name, typed
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#export-exists"), "asked before replacing")
        first.write_text("mine")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the dialog closed")
        assert first.read_text() == "mine"  # cancelled: untouched
        dialog = await export_from_the_palette(pilot, "bookmarks as markdown")
        dialog.query_one("#export-path").value = str(first)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#export-exists"), "asked again")
        await pilot.press("enter")  # Replace
        await until(pilot, lambda: title in first.read_text(), "replaced once confirmed")
