"""For you at scale: each index segment's terms are read once, by the import that writes it,
and kept by segment id (a generation shares its parent's segments), so the first ranking after
an import reads none; similar papers are a search of a paper's strongest words, the same answer with
or without the for-you features read."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from paperdeck.index.engine import foryou
from paperdeck.index.engine.foryou import arrays, segments
from paperdeck.index.engine.foryou import features as foryou_features
from paperdeck.index.library import Library
from paperdeck.index.models import Paper

from tests.support import hits
from tests.support.for_you import SEEDS, for_you, on_retrieval

NEW_PAPER = (
    "Mar 14\n\nSparse Retrieval for Passage Ranking with Learned Term Weights\n\n"
    "We rank passages for information retrieval with dense and sparse retrievers. Queries and "
    "documents are encoded by a BERT model, and the ranking is learned end to end.\n"
)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the segments read from the index (not found saved)."""
    sizes: list[int] = []
    read = segments.read_segment

    def counting(leaf: object) -> segments.SegmentTerms:
        terms = read(leaf)
        sizes.append(terms.size)
        return terms

    monkeypatch.setattr(segments, "read_segment", counting)
    return sizes


def test_an_import_reads_its_new_segment_and_the_first_ranking_reads_none(
    seeded: Library, sample_dir: Path, tmp_path: Path, reads: list[int]
) -> None:
    for_you(seeded)
    assert reads == []  # the sample's import kept its segment's terms
    extra = tmp_path / "today.txt"
    extra.write_text(NEW_PAPER, "utf-8")
    Library(sample_dir).import_digests([extra])  # another process
    assert reads == [1]  # only the new segment, by the import
    ranked = for_you(seeded)
    assert reads == [1]
    assert ranked[0].title.startswith("Sparse Retrieval")  # the new paper has its features
    assert [p.id for p in for_you(Library(sample_dir))] == [p.id for p in ranked]
    assert reads == [1]  # the next process finds the generation's features saved


def test_terms_kept_by_the_import_rank_as_terms_read_at_the_first_ranking(
    seeded: Library, sample_dir: Path, reads: list[int]
) -> None:
    ranked = [(p.id, p.title) for p in for_you(seeded)]
    cache = sample_dir / "cache" / "index" / "for-you"
    shutil.rmtree(cache)
    assert [(p.id, p.title) for p in for_you(Library(sample_dir))] == ranked
    assert reads == [65]  # read again, the import's lost


def test_terms_that_cannot_be_kept_never_fail_an_import(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terms are a cache: an import that cannot read or keep them (a damaged posting,
    a full disk) imports all the same, and the first ranking reads them."""
    read = segments.read_segment

    def failing(leaf: object) -> segments.SegmentTerms:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(segments, "read_segment", failing)
    lib = Library(tmp_path / "library")
    lib.import_digests([sample_path])
    assert lib.count() == 65
    assert not list((tmp_path / "library" / "cache").rglob("for-you/segments/*"))
    monkeypatch.setattr(segments, "read_segment", read)
    by_title = {paper.title: paper.id for paper in lib.listing()}
    lib.add_bookmarks([by_title[title] for title in SEEDS])
    assert all(on_retrieval(paper) for paper in for_you(lib)[:4])


def test_prepared_after_an_import_the_first_ranking_reads_nothing(
    seeded: Library, sample_dir: Path, tmp_path: Path, reads: list[int]
) -> None:
    """A small import brings the features up to date itself (Library.prepare_for_you)."""
    extra = tmp_path / "today.txt"
    extra.write_text(NEW_PAPER, "utf-8")
    importer = Library(sample_dir)
    importer.import_digests([extra])
    assert reads == [1]
    cache = sample_dir / "cache" / "index" / "for-you"
    assert len(list(cache.glob("g-*"))) == 1
    assert for_you(seeded)[0].title.startswith("Sparse Retrieval")
    assert reads == [1]


def test_segments_no_generation_holds_are_forgotten(
    seeded: Library, sample_dir: Path, reads: list[int]
) -> None:
    for_you(seeded)
    segments = sample_dir / "cache" / "index" / "for-you" / "segments"
    before = {path.name for path in segments.iterdir()}
    seeded.rebuild()
    for_you(seeded)
    assert {path.name for path in segments.iterdir()} > before  # the last one may be open
    seeded.rebuild()
    for_you(seeded)
    after = {path.name for path in segments.iterdir()}
    assert len(after) == 2 and not before & after  # its generation has gone
    assert reads == [65, 65]  # by the rebuilds


def test_imports_forget_the_terms_of_segments_gone_without_for_you(
    lib: Library, sample_dir: Path
) -> None:
    """Every import keeps its segments' terms, for you used or not: the ones of segments
    no generation holds go as the generations go."""
    for _ in range(3):
        lib.rebuild()
    kept = list((sample_dir / "cache" / "index" / "for-you" / "segments").iterdir())
    assert len(kept) == 2  # the live generation's segment and its parent's


def test_terms_saved_with_other_settings_are_read_again(
    seeded: Library, sample_dir: Path, reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paperdeck that chooses its terms otherwise (here: another MAX_DF_SHARE) does not
    rank with the terms and features an older one saved: it reads the segments again."""
    for_you(seeded)
    assert reads == []  # kept by the import
    monkeypatch.setattr(foryou, "MAX_DF_SHARE", foryou.MAX_DF_SHARE / 2)
    ranked = for_you(Library(sample_dir))  # another process, another paperdeck
    assert reads == [65]
    assert [p.id for p in for_you(Library(sample_dir))] == [p.id for p in ranked]
    assert reads == [65]  # and saved again, with its own settings


def test_large_segments_choose_their_papers_terms_themselves(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A segment of LOCAL_STATS_FROM papers or more keeps only each paper's TERMS_PER_PAPER
    strongest terms by its own frequencies: the ranking still finds the topic."""
    monkeypatch.setattr(segments, "LOCAL_STATS_FROM", 10)
    monkeypatch.setattr(foryou, "TERMS_PER_PAPER", 12)
    by_title = {paper.title: paper.id for paper in lib.listing()}
    lib.add_bookmarks([by_title[title] for title in SEEDS])
    ranked = for_you(lib)
    assert all(on_retrieval(paper) for paper in ranked[:4]), [p.title for p in ranked[:4]]


def test_features_are_unit_vectors_of_the_kept_terms(lib: Library) -> None:
    lib.open()
    reader = lib.engine.store.require().reader()  # (the engine's own test: no facade for it)
    try:
        features = foryou_features.read_features(reader)
    finally:
        reader.close()
    assert features.size == 65
    counts = np.diff(features.indptr)
    assert counts.max() <= foryou.TERMS_PER_PAPER and counts.min() > 0
    sums = np.bincount(np.repeat(np.arange(65), counts), features.vals.astype(np.float64) ** 2)
    assert np.allclose(sums, 1, atol=1e-2)
    names = {features.terms[int(col)] for col in features.cols}
    assert "retriev" in names and not names & foryou.PLAIN_WORDS


def test_terms_keep_their_names() -> None:
    names = arrays.Terms.of(["retriev", "author:müller", "x"])
    picked = arrays.Terms.join([names.pick(np.array([2, 1])), arrays.Terms.of(["dens"])])
    assert [picked[i] for i in range(len(picked))] == ["x", "author:müller", "dens"]


def test_similar_papers_of_a_retrieval_paper_are_on_retrieval(seeded: Library) -> None:
    source = next(p for p in seeded.listing() if p.title == SEEDS[0])
    cold = [hit.paper for hit in seeded.similar(source.id, limit=5)]
    assert len(cold) == 5 and source.id not in {p.id for p in cold}
    assert all(on_retrieval(paper) for paper in cold[:3]), [p.title for p in cold]
    for_you(seeded)  # the for-you features read: the same answer
    assert [hit.paper.id for hit in seeded.similar(source.id, limit=5)] == [p.id for p in cold]


def test_similar_leaves_out_dismissed_papers_before_counting(lib: Library) -> None:
    paper = hits(lib, "wavelet discriminator")[0].paper
    similar = [hit.paper.id for hit in lib.similar(paper.id, limit=10)]
    lib.dismiss(similar[:5])
    again = [hit.paper.id for hit in lib.similar(paper.id, limit=5)]
    assert again == similar[5:]


def test_a_paper_with_no_word_in_another_has_no_similar_papers(
    lib: Library, tmp_path: Path
) -> None:
    extra = tmp_path / "odd.txt"
    extra.write_text("Mar 14\n\nQwxzv Plmkj\n\nZzyzx vvqqrr kkjjhh.\n", "utf-8")
    lib.import_digests([extra])
    odd: Paper = hits(lib, "qwxzv")[0].paper
    assert lib.similar(odd.id) == []


def test_an_older_generations_features_leave_a_newer_ones_alone(tmp_path: Path) -> None:
    """A process still on the previous generation may save its features after the importer
    saved the new one's: the older generations' go, never a newer one."""
    empty = arrays.Terms.of([])
    features = foryou_features.Features(
        np.zeros(2, np.int64), np.zeros(0, np.int32), np.zeros(0), empty
    )
    foryou_features.save_features(features, tmp_path / "g-000003-aaaaaa")
    foryou_features.save_features(features, tmp_path / "g-000002-bbbbbb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g-000002-bbbbbb", "g-000003-aaaaaa"]
    foryou_features.save_features(features, tmp_path / "g-000004-cccccc")
    foryou_features.save_features(features, tmp_path / "g-000004-cccccc")  # saved again: replaced
    assert [p.name for p in tmp_path.iterdir()] == ["g-000004-cccccc"]
    loaded = foryou_features.load_features(tmp_path / "g-000004-cccccc", 1)
    assert loaded is not None and loaded.size == 1
    assert foryou_features.load_features(tmp_path / "g-000004-cccccc", 2) is None  # another size


def test_a_small_import_extends_the_last_features(
    seeded: Library, sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to REUSE_SHARE of the library new since the last assembly, its features and idf
    serve: the old segments' vectors are copied, the new ones weighed with them. Past
    that, the library's frequencies are counted again."""
    assembled: list[int] = []
    assemble = foryou_features.assemble

    def counting(parts: list[Path], size: int) -> foryou_features.Features:
        assembled.append(size)
        return assemble(parts, size)

    monkeypatch.setattr(foryou_features, "assemble", counting)
    first = for_you(seeded)
    assert assembled == [65]
    extra = tmp_path / "today.txt"
    extra.write_text(NEW_PAPER, "utf-8")
    Library(sample_dir).import_digests([extra])
    ranked = for_you(seeded)
    assert assembled == [65]  # extended
    assert ranked[0].title.startswith("Sparse Retrieval")
    assert {p.id for p in ranked[1:]} == {p.id for p in first}
    assert all(on_retrieval(paper) for paper in ranked[:4])
    more = tmp_path / "more.txt"
    titles = ["Wavelet Brains", "Dense Passage Retrievers", "Sentence Embeddings", "Mamba"]
    more.write_text(
        "Mar 15\n\n"
        + "".join(f"{t} Again\n\nA study of {t.lower()} and more.\n\n" for t in titles),
        "utf-8",
    )
    Library(sample_dir).import_digests([more])
    papers = len(for_you(seeded))
    assert papers > 65 * (1 + foryou_features.REUSE_SHARE)
    assert assembled == [65, papers]


@pytest.mark.parametrize("name", ["indptr", "cols"])
def test_damaged_saved_features_are_rebuilt(seeded: Library, sample_dir: Path, name: str) -> None:
    """A flipped byte in a saved array (a disk error, a torn copy) is found on load and the
    features are read again: the same ranking, not an internal error."""
    ranked = [p.id for p in for_you(seeded)]
    (saved,) = (sample_dir / "cache" / "index" / "for-you").glob(f"g-*/{name}.npy")
    array = np.load(saved)
    data = bytearray(saved.read_bytes())
    middle = len(data) - array.nbytes + array.itemsize * (len(array) // 2)
    data[middle + array.itemsize - 2] ^= 0x40  # a high byte: an index far out of bounds
    saved.write_bytes(bytes(data))
    assert [p.id for p in for_you(Library(sample_dir))] == ranked
