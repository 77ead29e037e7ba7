"""Bookmarks are never lost: persistence, concurrent writers, kills, corrupt and newer files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from paperdeck.index.bookmarks import BookmarkStore
from paperdeck.index.errors import BookmarkFileError
from paperdeck.index.library import Library
from paperdeck.index.models import Paper

from tests.support import hits


def fake_paper(n: int) -> Paper:
    return Paper(id=f"t-{n:012d}", title=f"Paper number {n}", abstract="About things.")


def test_toggle_persists_and_keeps_a_snapshot(lib: Library, sample_dir: Path) -> None:
    paper = hits(lib, "mamba")[0].paper
    assert lib.toggle_bookmark(paper.id) is True
    again = Library(sample_dir)
    assert paper.id in again.bookmark_ids()
    mark = again.bookmark_list()[0]
    assert mark.snapshot.title == "A Survey of Mamba" and mark.snapshot.abstract
    assert mark.created.endswith("+00:00")
    assert again.toggle_bookmark(paper.id) is False
    assert Library(sample_dir).bookmark_ids() == set()


def test_bookmarks_are_searchable_and_tagged(lib: Library) -> None:
    mamba = hits(lib, "mamba")[0].paper
    rnn = hits(lib, "title:rnn")[0].paper
    lib.add_bookmarks([mamba.id, rnn.id])
    lib._marks._bookmarks.annotate(rnn.id, ["ToRead", " sequence "], "compare with Mamba")
    assert {h.paper.id for h in hits(lib, "is:bookmarked", limit=None)} == {mamba.id, rnn.id}
    assert [h.paper.id for h in hits(lib, "tag:toread")] == [rnn.id]
    assert [h.paper.id for h in hits(lib, "is:bookmarked survey")] == [mamba.id]
    mark = lib._marks._bookmarks.all()[rnn.id]
    assert mark.tags == ("sequence", "toread") and mark.note == "compare with Mamba"


def test_unknown_id_is_refused_and_nothing_changes(lib: Library) -> None:
    with pytest.raises(Exception, match="no paper with id"):
        lib.add_bookmarks(["t-000000000000"])
    assert not lib._shared.paths.bookmarks_file.exists()


def test_bookmark_outlives_its_paper_leaving_the_library(lib: Library, sample_dir: Path) -> None:
    paper = hits(lib, "mamba")[0].paper
    lib.add_bookmarks([paper.id])
    (sample_dir / "library.json").write_text(json.dumps({"version": 1, "digests": []}))
    emptied = Library(sample_dir)
    assert emptied.count() == 0
    assert [p.title for p in emptied.listing(bookmarked_only=True)] == ["A Survey of Mamba"]


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from paperdeck.index.bookmarks import BookmarkStore
    from paperdeck.index.models import Paper
    store = BookmarkStore(Path(sys.argv[1]))
    start, count = int(sys.argv[2]), int(sys.argv[3])
    for n in range(start, start + count):
        store.add([Paper(id=f"t-{n:012d}", title=f"Paper {n}")])
        if n % 3 == 0:
            store.remove([f"t-{n:012d}"])
    """
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.json"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start), "150"])
        for start in (0, 1000)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    expected = {f"t-{n:012d}" for s in (0, 1000) for n in range(s, s + 150) if n % 3}
    assert BookmarkStore(path).ids() == expected
    assert len(expected) == 200


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from paperdeck.index.bookmarks import BookmarkStore
    from paperdeck.index.models import Paper
    store = BookmarkStore(Path(sys.argv[1]))
    n = 0
    while True:
        store.add([Paper(id=f"t-{n:012d}", title="x" * 5000)])
        n += 1
    """
)


def test_a_killed_writer_leaves_a_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.json"
    for delay in (0.0, 0.05, 0.15, 0.3):
        proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)])
        size = path.stat().st_size if path.exists() else 0
        for _ in range(600):  # until this writer has written at least once (a slow machine)
            if path.exists() and path.stat().st_size != size:
                break
            time.sleep(0.05)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        data = json.loads(path.read_text())  # never torn: old or new, always valid
        assert data["version"] == 1 and isinstance(data["bookmarks"], dict)
    assert BookmarkStore(path).ids()


def test_a_corrupt_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.json"
    path.write_text('{"version": 1, "bookmarks": {"t-1": ')
    store = BookmarkStore(path)
    assert store.ids() == set()
    aside = list(tmp_path.glob("bookmarks.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text().startswith('{"version": 1')
    assert "moved aside" in store.notices[0]
    store.add([fake_paper(1)])
    assert store.ids() == {"t-000000000001"}


def test_a_file_from_a_newer_version_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.json"
    original = json.dumps({"version": 99, "bookmarks": {}, "future": True})
    path.write_text(original)
    store = BookmarkStore(path)
    with pytest.raises(BookmarkFileError, match="newer paperdeck"):
        store.add([fake_paper(1)])
    assert path.read_text() == original


def test_one_normal_form_for_tags() -> None:
    from paperdeck.index.bookmarks import normalise_tag, normalise_tags

    assert normalise_tag("GAN Stuff") == "gan-stuff"
    assert normalise_tag("  Straße \t Bau - Plan ") == "strasse-bau-plan"
    assert normalise_tags(["ToRead, GAN  stuff", "", " , ", "toread"]) == ["gan-stuff", "toread"]


def test_the_readers_dialog_stores_tags_in_their_normal_form(lib: Library) -> None:
    paper = hits(lib, "mamba")[0].paper
    lib.add_bookmarks([paper.id])
    lib._marks._bookmarks.annotate(
        paper.id, ["GAN Stuff", "State  Space"], ""
    )  # as the dialog does
    assert lib._marks._bookmarks.all()[paper.id].tags == ("gan-stuff", "state-space")
    assert [h.paper.id for h in hits(lib, "tag:gan-stuff")] == [paper.id]


def test_tags_saved_before_the_normal_form_are_found_in_it(lib: Library) -> None:
    paper = hits(lib, "mamba")[0].paper
    lib.add_bookmarks([paper.id])
    data = json.loads(lib._shared.paths.bookmarks_file.read_text())
    data["bookmarks"][paper.id]["tags"] = ["gan stuff", "ToRead"]  # an older paperdeck's file
    lib._shared.paths.bookmarks_file.write_text(json.dumps(data))
    assert [h.paper.id for h in hits(lib, "tag:gan-stuff")] == [paper.id]
    assert lib.untag_bookmark(paper.id, ["GAN Stuff"]) == ("toread",)
