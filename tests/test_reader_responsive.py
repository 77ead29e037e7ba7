"""The UI thread never touches the disk or waits for a lock: keys are handled at once even
while another thread (an import, a fetch, a slow disk) holds the library."""

from __future__ import annotations

import ast
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from index.library import Library
from tests.reader_helpers import list_titles, ready, shown, until
from tui.app import PaperDeckApp
from tui.messages import LibraryChanged
from tui.screens.bookmark_dialog import BookmarkDialog
from tui.widgets.paper_detail import PaperDetail

HELD_S = 2.0  # how long the library stays busy
KEY_S = 0.5  # how soon a key must show its effect all the same


@pytest.fixture
def app(sample_dir: Path) -> PaperDeckApp:
    return PaperDeckApp(Library(sample_dir))


@contextmanager
def library_locks_held(library: Library) -> Iterator[None]:
    """A plain thread holds the index's lock and the cross-process write lock, as a long
    import would, for HELD_S seconds at most."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with library.store.lock, library._write_lock():
            taken.set()
            release.wait(HELD_S)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(10), "the locks were never taken"
    try:
        yield
    finally:
        release.set()
        holder.join()


@contextmanager
def stalled_bookmarks_file(library: Library) -> Iterator[None]:
    """bookmarks.json on a disk that takes HELD_S seconds to answer (a sleeping NFS server)."""
    store, release = library.bookmarks, threading.Event()
    real_all = store.all

    def slow_all():
        release.wait(HELD_S)
        return real_all()

    store.all = slow_all
    try:
        yield
    finally:
        release.set()
        del store.all


async def press_and_see_title(pilot, screen, key: str, title: str) -> None:
    """The detail pane must be given `title` within KEY_S of the key: timed when the screen
    hands it over, not when the test's polling (slow on a busy machine) notices."""
    detail, shown_at = screen.query_one(PaperDetail), []
    real_show = detail.show

    def timed_show(view, keep_scroll: bool = False) -> None:
        if view.paper is not None and view.paper.title == title and not shown_at:
            shown_at.append(time.monotonic())
        real_show(view, keep_scroll)

    detail.show = timed_show
    start = time.monotonic()
    try:
        await pilot.press(key)
        await until(pilot, lambda: shown(screen).paper.title == title, title)
    finally:
        del detail.show
    took = (shown_at[0] if shown_at else time.monotonic()) - start  # (else: already shown)
    assert took <= KEY_S, f"{title} shown only after {took:.2f} s"


async def test_keys_are_handled_while_another_thread_holds_the_library(
    app: PaperDeckApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        titles = list_titles(screen)
        with library_locks_held(app.library):
            screen.post_message(LibraryChanged("Added 3 papers."))  # as a fetch ends
            await press_and_see_title(pilot, screen, "j", titles[1])
            await press_and_see_title(pilot, screen, "j", titles[2])
        await until(pilot, lambda: shown(screen).paper.abstract, "the paper, once free")
        assert shown(screen).paper.title == titles[2]


async def test_keys_are_handled_while_the_bookmarks_file_is_slow(app: PaperDeckApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        titles = list_titles(screen)
        with stalled_bookmarks_file(app.library):
            await press_and_see_title(pilot, screen, "j", titles[1])
            await press_and_see_title(pilot, screen, "k", titles[0])
            await press_and_see_title(pilot, screen, "t", titles[0])  # the tags dialog asks too
        await until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the tags dialog")


UI_SAFE = {"highlight"}  # CPU only: no disk, no lock (see Library.highlight)


def _is_worker(node: ast.FunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call) and getattr(d.func, "id", "") == "work" for d in node.decorator_list
    )


def test_the_library_is_only_called_from_thread_workers() -> None:
    """A guard for the tests above: every `self.library.…` use on a screen or widget is in a
    `@work(thread=True)` method, but for the CPU-only highlighting."""
    root = Path(__file__).resolve().parents[1] / "tui"
    offenders = []
    for path in [*root.glob("screens/*.py"), *root.glob("widgets/*.py"), root / "app.py"]:
        for func in ast.walk(ast.parse(path.read_text())):
            if not isinstance(func, ast.FunctionDef) or _is_worker(func):
                continue
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "library"
                    and node.attr not in UI_SAFE
                ):
                    offenders.append(f"{path.name}:{node.lineno} {func.name}: library.{node.attr}")
    assert offenders == []
