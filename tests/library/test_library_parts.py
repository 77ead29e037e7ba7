"""The Library's parts, each built and used alone, with only what it is given (no Library):
what the composition promises a reader of paperdeck.index.library_*."""

from __future__ import annotations

from pathlib import Path

import pytest
from paperdeck.index.errors import LibraryError
from paperdeck.index.library_index import LiveIndex
from paperdeck.index.library_marks import Marks
from paperdeck.index.library_reads import Answers
from paperdeck.index.library_session import Session
from paperdeck.index.library_shared import Shared
from paperdeck.index.models import PaperRow, RowResult
from paperdeck.index.paths import resolve_paths


def shared(directory: Path) -> Shared:
    return Shared(paths=resolve_paths(directory))


def test_the_session_alone_knows_what_is_new_since_the_last_opening(tmp_path: Path) -> None:
    first = Session(shared(tmp_path))
    assert first.mark_opened() is None and first.is_first_opening()
    old = PaperRow("p-old", "Old", None, added="2000-01-01T00:00:00+00:00")
    assert not first.is_new(old)
    again = Session(shared(tmp_path))  # the reader started again
    since = again.mark_opened()
    assert since is not None and since == again.new_since and not again.is_first_opening()
    assert not again.is_new(old)
    assert again.is_new(PaperRow("p-new", "New", None, added="9999-01-01T00:00:00+00:00"))


def test_the_answers_keep_the_newest_and_forget_on_clear() -> None:
    answers = Answers(size=2)
    rows = [RowResult(query=str(n), rows=(), total=n) for n in range(3)]
    answers.put(("a",), rows[0])
    answers.put(("b",), rows[1])
    assert answers.get(("a",)) is rows[0]  # asked again: now the newest
    answers.put(("c",), rows[2])
    assert answers.get(("b",)) is None and answers.get(("a",)) is rows[0]
    answers.clear()
    assert answers.get(("a",)) is None and answers.get(("c",)) is None


def test_the_live_index_alone_says_after_each_write_that_answers_changed(
    sample_dir: Path,
) -> None:
    changes: list[str] = []
    index = LiveIndex(shared(sample_dir), lambda: changes.append("changed"))
    assert not index.engine_started and len(index.digests()) == 1
    with index.reading() as engine:
        assert engine.count() == 65
    assert changes == []  # opening a sound generation changes nothing
    with pytest.raises(LibraryError, match="no digest named"):
        index.remove_digest("no-such-digest")
    assert changes == []  # refused before any write
    index.rebuild()
    assert changes == ["changed"] and index.opened_stamp is not None


def test_the_marks_alone_refuse_a_paper_the_live_index_does_not_hold(sample_dir: Path) -> None:
    parts = shared(sample_dir)
    index = LiveIndex(parts, lambda: None)
    marks = Marks(parts, index)
    with index.reading() as engine:
        some = engine.ids_starting("", 1)[0]
    assert marks.add_bookmarks([some]) == 1 and marks.bookmark_ids() == {some}
    with pytest.raises(LibraryError, match="no paper with id"):
        marks.dismiss(["t-000000000000"])
    assert marks.dismissed_ids() == set() and marks.take_notices() == ([], [])


def test_held_names_the_ids_the_library_holds_and_no_other(sample_dir: Path) -> None:
    """What a cited-by list asks at once: which of its papers are already in the library."""
    from paperdeck.index.library import Library

    library = Library(sample_dir)
    some = [paper.id for paper in library.listing()[:3]]
    assert library.held([*some, "2401.99999", ""]) == set(some)
    assert library.held([]) == set()
