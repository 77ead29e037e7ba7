"""Accents: either spelling finds the other, in titles, abstracts and authors."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paperdeck.index.library import Library

from tests.support import hits

PAPERS = [
    {
        "id": "2403.00001",
        "title": "Schrödinger Bridges for the Café Problem",
        "summary": "A naïve approach to diffusion fails; we bridge distributions instead.",
        "authors": [{"name": "Jörg Müller"}, {"name": "Ana Pérez"}],
        "publishedAt": "2024-03-01T10:00:00.000Z",
    },
    {
        "id": "2403.00002",
        "title": "Quantum Walks on Graphs",
        "summary": "Walks on graphs, with plain words only.",
        "authors": [{"name": "Jorg Smith"}],
        "publishedAt": "2024-03-01T10:00:00.000Z",
    },
]


def write_digest(directory: Path) -> Path:
    path = directory / "accents.json"
    path.write_text(json.dumps([{"paper": paper} for paper in PAPERS]), "utf-8")
    return path


@pytest.fixture
def accented(tmp_path: Path) -> Library:
    library = Library(tmp_path / "library")
    library.import_digests([write_digest(tmp_path)])
    return library


def ids(lib: Library, text: str) -> set[str]:
    return {hit.paper.id for hit in hits(lib, text)}


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("jorg", {"2403.00001", "2403.00002"}),  # "Jörg" and "Jorg"
        ("Jörg", {"2403.00001", "2403.00002"}),
        ("author:muller", {"2403.00001"}),
        ("Author:MÜLLER", {"2403.00001"}),
        ("schrodinger", {"2403.00001"}),
        ("SCHRÖDINGER bridges", {"2403.00001"}),
        ("cafe", {"2403.00001"}),
        ("café", {"2403.00001"}),
        ("naive", {"2403.00001"}),
        ('"schrodinger bridges"', {"2403.00001"}),
        ("perez", {"2403.00001"}),
        ("Jo\u0308rg", {"2403.00001", "2403.00002"}),  # typed decomposed, as some terminals do
    ],
)
def test_either_spelling_finds_the_other(accented: Library, typed: str, found: set[str]) -> None:
    assert ids(accented, typed) == found


def test_highlighting_marks_the_accented_words_as_written(accented: Library) -> None:
    hit = accented.query("schrodinger cafe").hits[0]
    title = hit.paper.title
    marked = [title[a:b] for a, b in accented.highlight(title, hit.terms, "title")]
    assert marked == ["Schrödinger", "Café"]
    authors = " ; ".join(hit.paper.authors)
    by = accented.query("author:jorg").hits[0]
    assert [authors[a:b] for a, b in accented.highlight(authors, by.terms, "author")] == ["Jörg"]


def test_prefixes_and_did_you_mean_work_on_folded_words(accented: Library) -> None:
    assert ids(accented, "schrö") == {"2403.00001"}
    assert ids(accented, "schrod") == {"2403.00001"}
    assert ids(accented, "Müll") == {"2403.00001"}
    assert accented.query("schrodingr").suggestion == "schrodinger"
    assert accented.query("Schrödingr ").suggestion == "schrodinger"
    assert accented.query("cafe").suggestion is None


def test_an_index_from_before_folding_is_rebuilt_once_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library indexed by a paperdeck that did not fold accents (schema 9, written here
    without folding) rebuilds by itself, says so once, and then finds `jorg`."""
    from paperdeck.index.engine import analysis, meta

    data_dir = tmp_path / "library"
    with monkeypatch.context() as old:
        old.setattr(analysis, "_fold_word", str.lower)
        old.setattr(meta, "SCHEMA_VERSION", 9)
        Library(data_dir).import_digests([write_digest(tmp_path)])
    lib = Library(data_dir)
    assert ids(lib, "schrodinger") == {"2403.00001"}
    notices = lib.take_notices()
    assert len(notices) == 1 and "rebuilt" in notices[0] and "version" in notices[0]
    reopened = Library(data_dir)
    assert ids(reopened, "jorg") == {"2403.00001", "2403.00002"}
    assert reopened.take_notices() == []


# Letters that fold to several, to nothing, or into a stop word ("ín" -> "in").
ODD_TEXT = st.lists(
    st.sampled_from([*"aeiou rsn.ÖöéÉßæøİıﬁ²Ｆ\u0308-'", "ín", "öf", "Æ"]), max_size=30
).map("".join)


@given(ODD_TEXT)
def test_every_path_of_the_analyzer_folds_alike(text: str) -> None:
    """Indexing (term_counts), queries and highlights (__call__) and phrase checks
    (positions_of) see the same folded terms at the same positions."""
    from paperdeck.index.engine.analysis import NameAnalyzer, PaperAnalyzer

    for analyzer in (PaperAnalyzer(), NameAnalyzer()):
        tokens = list((t.text, t.pos) for t in analyzer(text, positions=True))
        assert analyzer.term_counts(text) == dict(Counter(term for term, _ in tokens))
        positions: dict[str, list[int]] = {}
        for term, pos in tokens:
            positions.setdefault(term, []).append(pos)
        assert analyzer.positions_of(text, set(positions)) == positions
