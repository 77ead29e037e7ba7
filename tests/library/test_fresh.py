"""A new generation written by two worker processes: the same library as one process writes,
and a writer that fails or is orphaned leaves the library as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from paperdeck.index.engine import store
from paperdeck.index.engine import writer as fresh
from paperdeck.index.engine.foryou import segments
from paperdeck.index.errors import LibraryError
from paperdeck.index.library import Library

from tests.support import listed
from tests.support.digests import big_digest
from tests.support.for_you import SEEDS, for_you

QUERIES = ["wavelet discriminator", "language models", '"sentence embeddings"', "graph OR mamba"]


def two_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two worker processes, two segments each, for the 65 sample papers."""
    monkeypatch.setattr(fresh, "PARALLEL_FROM", 10)
    monkeypatch.setattr(fresh, "SEGMENT_PAPERS", 20)
    monkeypatch.setattr(fresh.threading, "active_count", lambda: 1)  # pytest's own threads
    monkeypatch.setattr(fresh.os, "cpu_count", lambda: 2)
    assert fresh.worker_count(65) == 2


def answers(lib: Library) -> dict[str, list[tuple[float, str]]]:
    found = {q: lib.query(q, limit=None).hits for q in QUERIES}
    return {q: sorted((round(h.score, 6), h.paper.id) for h in hits) for q, hits in found.items()}


def test_two_writer_processes_write_the_library_one_writes(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = Library(tmp_path / "one")
    one.import_digests([sample_path])
    two_writers(monkeypatch)
    two = Library(tmp_path / "two")
    two.import_digests([sample_path])
    assert len(two.engine.store.searcher().reader().leaf_readers()) == 4  # 33 + 32 papers, by 20
    assert two.count() == one.count() == 65
    assert [r.id for r in two.browse("", 65).rows] == [r.id for r in one.browse("", 65).rows]
    assert answers(two) == answers(one) and all(answers(two).values())
    assert two.engine.store.vocabulary.completions("discrim", 5) == (
        one.engine.store.vocabulary.completions("discrim", 5)
    )


def test_each_writer_process_keeps_its_segments_for_you_terms(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terms of each segment are read by the worker that wrote it (in a child of its
    own), so the first for-you ranking reads none, and ranks as with the terms read then."""
    two_writers(monkeypatch)
    lib = Library(tmp_path / "library")
    lib.import_digests([sample_path])
    kept = tmp_path / "library" / "cache" / "index" / "for-you"
    assert len(list((kept / "segments").iterdir())) == 4
    by_title = {paper.title: paper.id for paper in lib.listing()}
    lib.add_bookmarks([by_title[title] for title in SEEDS])
    read = segments.read_segment
    monkeypatch.setattr(segments, "read_segment", lambda leaf: pytest.fail("read again"))
    ranked = [p.id for p in for_you(lib)]
    shutil.rmtree(kept)
    monkeypatch.setattr(segments, "read_segment", read)
    assert [p.id for p in for_you(Library(tmp_path / "library"))] == ranked


def test_writer_processes_that_cannot_keep_for_you_terms_import_all_the_same(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_writers(monkeypatch)
    monkeypatch.setattr(segments, "read_segment", lambda leaf: os._exit(3))  # killed midway
    lib = Library(tmp_path / "library")
    lib.import_digests([sample_path])
    assert lib.count() == 65 and answers(lib) == answers(Library(tmp_path / "library"))
    assert not list((tmp_path / "library" / "cache" / "index" / "for-you").rglob("*"))
    assert not list((tmp_path / "library" / "cache" / "index").glob("g-*/.tmp-*"))


def test_a_rebuild_reports_its_progress_in_one_process_or_two(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fresh, "PROGRESS_EVERY", 10)
    lib = Library(tmp_path / "library")
    lib.import_digests([sample_path])
    seen: list[tuple[int, int]] = []
    assert lib.rebuild(lambda done, total: seen.append((done, total))) == 65
    assert seen == [(n, 65) for n in (10, 20, 30, 40, 50, 60, 65)]
    two_writers(monkeypatch)
    seen.clear()
    lib.rebuild(lambda done, total: seen.append((done, total)))
    assert seen[-1] == (65, 65) and seen == sorted(seen)


def test_a_failing_writer_process_leaves_the_library_as_it_was(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library(sample_dir)
    before = answers(lib)
    generations = sorted((sample_dir / "cache" / "index").glob("g-*"))
    two_writers(monkeypatch)
    document_of = store.paper_document

    def failing(paper):
        if "Matryoshka" in paper.title:  # in one of the two worker processes
            raise RuntimeError("disk on fire")
        return document_of(paper)

    monkeypatch.setattr(store, "paper_document", failing)
    with pytest.raises(LibraryError, match="index writer process failed: RuntimeError"):
        lib.rebuild()
    monkeypatch.undo()
    assert sorted((sample_dir / "cache" / "index").glob("g-*")) == generations
    assert answers(Library(sample_dir)) == before


def test_ctrl_c_before_a_worker_is_forked_is_a_plain_interrupt(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C noted just before SIGINT is blocked surfaces inside Process.start(), before
    the fork: the import ends as interrupted, not with an internal error."""
    lib = Library(sample_dir)
    before = answers(lib)
    two_writers(monkeypatch)
    started = fresh.multiprocessing.get_context("fork").Process.start

    def interrupted_second(process) -> None:
        if process.name.endswith("-2") or getattr(interrupted_second, "once", False):
            raise KeyboardInterrupt
        interrupted_second.once = True  # type: ignore[attr-defined]
        started(process)

    monkeypatch.setattr(
        fresh.multiprocessing.get_context("fork").Process, "start", interrupted_second
    )
    with pytest.raises(KeyboardInterrupt):
        lib.rebuild()
    monkeypatch.undo()
    assert answers(Library(sample_dir)) == before


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal")
def test_writer_processes_die_with_a_killed_importer(
    tmp_path: Path, sample_bytes: bytes, sample_dir: Path
) -> None:
    digest = tmp_path / "big.txt"
    digest.write_bytes(big_digest(sample_bytes, 40, "orphan"))  # 2,600 papers: two writers
    data_dir = tmp_path / "fresh-library"
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    exe = str(Path(sys.executable).with_name("paperdeck"))
    proc = subprocess.Popen([exe, "import", str(digest)], env=env, stdout=subprocess.DEVNULL)
    workers: list[int] = []
    for _ in range(300):
        workers = _children(proc.pid) if proc.poll() is None else []
        if len(workers) == 3 or proc.poll() is not None:  # and their for-you terms reader
            break
        time.sleep(0.02)
    if len(workers) != 3:
        proc.wait()
        pytest.skip("the import finished before its writers could be seen")
    proc.send_signal(signal.SIGKILL)  # the importer alone, not its process group
    proc.wait()
    time.sleep(0.5)  # the signal is immediate; an orphan would write on for seconds
    alive = [w for w in workers if Path(f"/proc/{w}/status").exists()]
    assert not [w for w in alive if "State:\tZ" not in Path(f"/proc/{w}/status").read_text()]
    assert len(listed(data_dir)) in (0, 2600)  # the next command finds a working library


def test_an_import_reports_its_progress(tmp_path: Path, sample_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    Library(tmp_path).import_digest(sample_path, progress=lambda n, t: seen.append((n, t)))
    assert seen and seen[-1] == (65, 65) and seen == sorted(seen)
