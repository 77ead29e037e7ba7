"""A worker's unexpected error in the reader: one notice naming the log that holds its
traceback, the status line not left on work that never finished, the screen still usable."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp

from tests.support.reader import notices, ready, searched, status, type_query, until


class Flaky:
    """Library.browse, raising `error` while `failing` is set (a bug, injected)."""

    def __init__(self, library: Library, error: BaseException) -> None:
        self.browse, self.error, self.failing = library.browse, error, False

    def __call__(self, *args: object, **kwargs: object):
        if self.failing:
            raise self.error
        return self.browse(*args, **kwargs)


def crash_log(sample_dir: Path) -> Path:
    return sample_dir / "cache" / "crash.log"


async def test_a_failing_search_is_said_logged_and_the_next_one_works(sample_dir: Path) -> None:
    library = Library(sample_dir)
    flaky = Flaky(library, RuntimeError("injected bug"))
    library.browse = flaky  # type: ignore[method-assign]
    app = PaperDeckApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        before = status(screen)
        flaky.failing = True
        await pilot.press("slash", "m")
        log = str(crash_log(sample_dir))
        await until(pilot, lambda: any(log in n for n in notices(app)), "a notice naming the log")
        said = next(n for n in notices(app) if log in n)
        assert "RuntimeError: injected bug" in said and "\n" not in said
        assert status(screen) != before and "RuntimeError" in status(screen)
        assert "Traceback" in crash_log(sample_dir).read_text() and "injected bug" in (
            crash_log(sample_dir).read_text()
        )
        flaky.failing = False
        await pilot.press(*"amba")  # typing goes on in the search box
        await until(pilot, lambda: searched(screen, "mamba"), "the next query answered")
        assert screen.result.rows
        assert "RuntimeError" not in status(screen)


async def test_opening_that_fails_unexpectedly_does_not_stay_opening(sample_dir: Path) -> None:
    library = Library(sample_dir)

    def broken(progress: object = None) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(sample_dir / "cache"))

    library._index.open = broken  # type: ignore[method-assign]  # (every read opens first)
    app = PaperDeckApp(library)  # (no first screen: the open worker does it all)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await until(pilot, lambda: "crash.log" in status(screen), "the failure on the status")
        assert "Opening the library" not in status(screen)
        said = "the failure notified"  # (a notice is a message: it may come after the status)
        await until(pilot, lambda: any("Read-only file system" in n for n in notices(app)), said)


async def test_for_you_failing_on_a_read_only_cache_leaves_searching_working(
    sample_dir: Path,
) -> None:
    """The cache's write refused as a read-only mount refuses it (root ignores chmod, so the
    OSError is injected where for you writes its features)."""
    library = Library(sample_dir)
    library.add_bookmarks([library.listing()[0].id])

    def read_only() -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(sample_dir / "cache" / "index"))

    library._marks.prepare_for_you = read_only  # type: ignore[method-assign]  # (as each read)
    app = PaperDeckApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("S", "S")  # upvotes, then for you
        await until(pilot, lambda: any("Read-only" in n for n in notices(app)), "the failure said")
        await until(pilot, lambda: searched(screen, "") and screen.order != "for-you", "re-sorted")
        assert "Ranking for you" not in status(screen)
        await type_query(pilot, "mamba")
        assert screen.result.rows and "Read-only" not in status(screen)


@pytest.mark.parametrize("writable", [True, False])
def test_the_crash_log_is_in_the_cache_dir_or_the_temp_dir(
    tmp_path: Path, writable: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(tmp_path / "data")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    if not writable:  # a file where the cache dir should be: nothing goes under it
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "cache").write_text("not a dir")
    path = library.crash_log("Traceback: one\n")
    library.crash_log("Traceback: two\n")
    expected = tmp_path / ("data/cache/crash.log" if writable else "tmp/paperdeck-crash.log")
    assert path == expected
    text = expected.read_text()
    assert "Traceback: one" in text and "Traceback: two" in text


async def test_for_you_on_a_library_emptied_under_a_bookmark_in_the_reader(
    sample_dir: Path,
) -> None:
    """Every digest removed, a bookmark kept, then `S` to for you: the status stayed on
    "Ranking for you…" and searches stopped updating."""
    library = Library(sample_dir)
    library.add_bookmarks([library.listing()[0].id])
    for record in library.digests():
        library.remove_digest(record.name)
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.ready and searched(screen, ""), "the empty library")
        await pilot.press("down", "S", "S")  # from the search box to the list, then S
        await until(pilot, lambda: searched(screen, "") and screen.order == "for-you", "for you")
        assert "Ranking for you" not in status(screen)
        assert not any("crash.log" in n for n in notices(app)), notices(app)
        await type_query(pilot, "mamba")
        assert screen.result.query == "mamba" and not screen.result.rows
