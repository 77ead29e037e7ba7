"""The UI thread never touches the disk or waits for a lock: keys are handled while another
thread (an import, a fetch, a slow disk) holds the library. The library stays held until the
key's effect is on screen, so a UI thread that waited for it would never show it: the tests
wait on that state, not on a clock."""

from __future__ import annotations

import ast
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.messages import LibraryChanged
from paperdeck.tui.screens.bookmark_dialog import BookmarkDialog

from tests.support import ROOT
from tests.support.reader import list_titles, ready, shown, until
from tests.unit.test_architecture import library_reaches

HELD_MAX_S = 60.0  # a safety net only: the tests release the library themselves


@contextmanager
def library_locks_held(library: Library) -> Iterator[None]:
    """A plain thread holds the index's lock and the cross-process write lock, as a long
    import would, until the test is done."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with library.engine.lock, library._index._writes._write_lock():
            taken.set()
            release.wait(HELD_MAX_S)

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
    """bookmarks.json on a disk that does not answer until the test is done (a sleeping NFS
    server)."""
    store, release = library._marks._bookmarks, threading.Event()
    real_all = store.all

    def slow_all():
        release.wait(HELD_MAX_S)
        return real_all()

    store.all = slow_all
    try:
        yield
    finally:
        release.set()
        del store.all


async def press_and_see_title(pilot, screen, key: str, title: str) -> None:
    """The key's effect, the detail pane showing `title`, comes while the library is held."""
    await pilot.press(key)
    await until(pilot, lambda: shown(screen).paper.title == title, f"{title} shown")


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
    """`@work(thread=True)`, or `@thread_job` (the same for a screen's helpers, jobs.py)."""
    return any(
        isinstance(d, ast.Call) and getattr(d.func, "id", "") in ("work", "thread_job")
        for d in node.decorator_list
    )


def test_the_library_is_only_called_from_thread_workers() -> None:
    """A guard for the tests above: every `self.library.…` use on a screen or widget is in a
    `@work(thread=True)` method, but for the CPU-only highlighting; and even a worker asks
    the library (`library.annotate`) rather than reaching into its bookmarks file or paths."""
    root = ROOT / "tui"
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
        offenders += library_reaches(path)  # in workers too
    assert offenders == []
