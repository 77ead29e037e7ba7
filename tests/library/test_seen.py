"""What is new (paperdeck.index.seen): per import, against what a reader that quit showed;
kept in state.json, merged under the lock, and read from an earlier paperdeck's layout."""

from __future__ import annotations

import json
from pathlib import Path

from paperdeck.index.library import Library

from tests.support import FIXTURES, hits


def new_titles(library: Library) -> list[str]:
    return [hit.paper.title for hit in hits(library, "is:new")]


def test_two_readers_show_the_same_new_papers_until_one_quits(sample_dir: Path) -> None:
    first = Library(sample_dir)
    assert first.mark_opened() is None and first.is_first_opening()
    first.end_session()
    Library(sample_dir).import_digests([FIXTURES / "hf-search.json"])
    one, two = Library(sample_dir), Library(sample_dir)
    one.mark_opened()
    two.mark_opened()  # a second reader starts: the first's new papers stay new
    assert len(new_titles(one)) == len(new_titles(two)) == 1
    assert not two.is_first_opening()
    two.end_session()  # it quits: what it showed is seen
    assert len(new_titles(one)) == 1  # (the first still shows its marks)
    again = Library(sample_dir)
    again.mark_opened()
    assert new_titles(again) == [] and not again.is_first_opening()


def test_an_earlier_paperdecks_last_opening_is_read_and_rewritten(sample_dir: Path) -> None:
    library = Library(sample_dir)
    (record,) = library.digests()
    state = sample_dir / "state.json"
    state.write_text(json.dumps({"last_opened": record.imported_at}))  # after the sample
    Library(sample_dir).import_digests([FIXTURES / "hf-search.json"])
    reader = Library(sample_dir)
    assert reader.mark_opened() is not None and len(new_titles(reader)) == 1
    assert reader.take_notices() == []
    rewritten = json.loads(state.read_text())
    assert rewritten["version"] == 1 and len(rewritten["imports"]) == 1  # the sample: seen
