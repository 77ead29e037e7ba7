"""The library's change token (paperdeck.index.changes): what another process changed."""

from __future__ import annotations

from pathlib import Path

from paperdeck.index.library import Library

from tests.support import FIXTURES, run_cli

SIGNALS = FIXTURES / "hf-daily-signals.json"


def test_a_token_names_what_changed_since_another(sample_dir: Path) -> None:
    lib = Library(sample_dir)
    first = lib.change_token()
    assert lib.change_token().changed_since(first) == frozenset()
    assert first.changed_since(None) >= {"catalog", "marks", "watches"}
    paper = lib.listing()[0].id
    other = Library(sample_dir)  # another process's view
    other.add_bookmarks([paper])
    marked = lib.change_token()
    assert marked.changed_since(first) == {"marks"}
    other.add_watch("models", "model")
    watched = lib.change_token()
    assert watched.changed_since(marked) == {"watches"}
    run_cli("import", str(SIGNALS), data_dir=sample_dir)
    assert lib.change_token().changed_since(watched) == {"catalog"}
