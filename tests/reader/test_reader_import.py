"""Imports the reader runs: a big digest given on the command line imports once the reader is
up, its progress on the status line while the list stays usable; quitting meanwhile leaves
the library as it was. The import is held part-way by the test (never timed)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.cli.digests import READER_IMPORTS_FROM_BYTES, split_at_first_big
from paperdeck.tui.messages import ImportProgress
from paperdeck.tui.screens import import_actions, texts
from paperdeck.tui.screens.import_actions import ImportStopped, ProgressReporter

from bench.corpus import write_snapshot_file
from tests.support.reader import list_titles, ready, status, type_query, until

PAPERS = 2500
HELD_AT = 1000  # papers written when the test holds the import
HELD_MAX_S = 60.0  # a safety net only: the tests release the import themselves
COUNTING = re.compile(r"importing big\.json: ([\d,]+) of ~([\d,]+) papers")


@pytest.fixture(scope="module")
def big_digest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An arXiv snapshot of PAPERS papers: many progress reports (one every 100 papers)."""
    path = tmp_path_factory.mktemp("big") / "big.json"
    write_snapshot_file(PAPERS, path)
    return path


class HeldImport:
    """The library's import_digest, held once HELD_AT papers are written until `release()`;
    `ended` is set when the import has returned or raised (`outcome` says which)."""

    def __init__(self, library: Library) -> None:
        self.release_event, self.ended = threading.Event(), threading.Event()
        self.outcome: BaseException | None = None
        real = library.import_digest

        def held(path, fmt=None, progress=None, *args):
            def report(done: int, total: int) -> None:
                progress(done, total)
                if done >= HELD_AT:
                    self.release_event.wait(HELD_MAX_S)

            try:
                return real(path, fmt, report, *args)
            except BaseException as exc:
                self.outcome = exc
                raise
            finally:
                self.ended.set()

        library.import_digest = held  # type: ignore[method-assign]

    def release(self) -> None:
        self.release_event.set()


@pytest.fixture
def every_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every progress report posted (the merging of bursts has its own test)."""
    monkeypatch.setattr(import_actions, "POST_EVERY_S", 0.0)


def counted(app: PaperDeckApp) -> tuple[int, int] | None:
    found = COUNTING.search(status(app.screen))
    return (int(found[1].replace(",", "")), int(found[2].replace(",", ""))) if found else None


def library_files(data_dir: Path) -> set[str]:
    """Every file and directory of the library, but the lock and the reader's state."""
    return {
        str(path.relative_to(data_dir))
        for path in data_dir.rglob("*")
        if path.name not in ("library.lock", "state.json", "state.json.lock")
        and "for-you" not in path.parts
    }


async def test_a_big_digest_shows_its_progress_on_the_status_line_then_its_summary(
    sample_dir: Path, big_digest: Path, every_report: None
) -> None:
    library = Library(sample_dir)
    held = HeldImport(library)
    app = PaperDeckApp(library, imports=[str(big_digest)])
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await ready(pilot)
            await until(pilot, lambda: counted(app) is not None, "a count", seconds=60)
            done, total = counted(app)
            assert 0 < done < PAPERS and total >= done
            await until(pilot, lambda: counted(app)[0] >= HELD_AT, "the count goes on", 60)
            assert len(list_titles(screen)) == 65  # the library as it was, and usable
            await type_query(pilot, "wavelet disc")
            assert list_titles(screen)[0].startswith("DISGAN")
            assert COUNTING.search(status(screen)), "the progress stays in front"
            held.release()
            said = f"big.json: {PAPERS:,} papers ({PAPERS:,} new)"  # issue 21.12: separators
            await until(pilot, lambda: said in status(screen), "the summary", seconds=60)
            assert counted(app) is None
            await until(pilot, lambda: screen.library_size == PAPERS + 65, "the new count")
    finally:
        held.release()
    assert held.ended.wait(HELD_MAX_S) and held.outcome is None


async def test_quitting_during_an_import_leaves_the_library_as_it_was(
    sample_dir: Path, big_digest: Path, every_report: None
) -> None:
    before = library_files(sample_dir)
    library = Library(sample_dir)
    held = HeldImport(library)
    app = PaperDeckApp(library, imports=[str(big_digest)])
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            await ready(pilot)
            await until(pilot, lambda: (counted(app) or (0, 0))[0] >= HELD_AT, "held", 60)
            assert library_files(sample_dir) != before  # the import has written meanwhile
            await pilot.press("q")
    finally:
        held.release()  # the worker, cancelled, raises at its next report
    assert held.ended.wait(HELD_MAX_S)
    assert isinstance(held.outcome, ImportStopped)
    assert library_files(sample_dir) == before
    again = Library(sample_dir)
    assert again.count() == 65 and [d.name for d in again.digests()] == ["hf-papers-sample.txt"]


def test_an_import_stopped_from_its_progress_report_changes_nothing(
    sample_dir: Path, big_digest: Path
) -> None:
    """The write side's answer to a cancel: an error raised by the progress callback."""
    before = library_files(sample_dir)

    def stop(done: int, total: int) -> None:
        if done >= HELD_AT:
            raise ImportStopped

    library = Library(sample_dir)
    with pytest.raises(ImportStopped):
        library.import_digest(big_digest, progress=stop)
    assert library_files(sample_dir) == before
    assert library.count() == 65 and len(library.digests()) == 1


def reporter(clock: list[float], cancelled: Callable[[], bool] = lambda: False):
    posted: list[ImportProgress] = []
    return ProgressReporter("big.json", posted.append, cancelled, lambda: clock[0]), posted


def test_progress_reports_are_merged_to_a_few_a_second() -> None:
    clock = [100.0]
    report, posted = reporter(clock)
    report(100, 10_000)  # the first at once, without a rate yet
    for done in range(200, 1000, 100):
        clock[0] += 0.01
        report(done, 10_000)
    assert [p.done for p in posted] == [100]
    clock[0] = 101.0 + import_actions.POST_EVERY_S
    report(5_500, 10_000)
    assert posted[-1].done == 5_500 and posted[-1].rate == pytest.approx(5_400 / 1.25)


def test_a_cancelled_import_stops_at_its_next_report() -> None:
    cancelled = threading.Event()
    report, posted = reporter([0.0], cancelled.is_set)
    report(100, 1000)
    cancelled.set()
    with pytest.raises(ImportStopped):
        report(200, 1000)
    assert len(posted) == 1


@pytest.mark.parametrize(
    ("done", "total", "rate", "said"),
    [
        (120_000, 1_000_000, 5_400.0, "importing big.json: 120,000 of ~1,000,000 papers · "
         "5,400/s · 3 min left"),
        (300, 2_500, None, "importing big.json: 300 of ~2,500 papers"),
        (0, 0, None, "importing big.json…"),
        (2_000, 2_500, 1_000.0, "importing big.json: 2,000 of ~2,500 papers · 1,000/s · 1 s left"),
    ],
)  # fmt: skip
def test_the_progress_says_count_rate_and_time_left(
    done: int, total: int, rate: float | None, said: str
) -> None:
    assert texts.fit_parts(texts.import_progress("big.json", done, total, rate), 200) == said


def test_a_narrow_status_line_keeps_the_count_and_the_time_left() -> None:
    parts = texts.import_progress("a-very-long-snapshot-name.json", 120_000, 1_000_000, 5_400)
    line = texts.fit_parts([*parts, texts.Part("65 papers")], 60)
    assert "120,000 of ~1,000,000 papers" in line and "5,400/s" not in line


def test_the_command_line_leaves_big_digests_to_the_reader(tmp_path: Path) -> None:
    small, big = tmp_path / "daily.txt", tmp_path / "snapshot.json"
    small.write_text("x")
    with big.open("wb") as out:
        out.truncate(READER_IMPORTS_FROM_BYTES)
    missing = str(tmp_path / "missing.txt")
    assert split_at_first_big([str(small), missing]) == ([str(small), missing], [])
    paths = [str(small), str(big), str(small)]
    assert split_at_first_big(paths) == ([str(small)], [str(big), str(small)])
