"""For you: a ranking learned from bookmarks (and papers marked not interested), over the
sample digest, with every filter, saying why each paper is where it is."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from paperdeck.index.library import Library

from tests.support import SAMPLE, InProcessCli
from tests.support.for_you import SEEDS, for_you, on_retrieval

# Three papers on information retrieval, and the sample's other papers on that topic.


def test_three_bookmarks_on_a_topic_put_the_topics_other_papers_first(seeded: Library) -> None:
    ranked = for_you(seeded)
    others = [p for p in seeded.listing() if on_retrieval(p) and p.title not in SEEDS]
    assert len(others) >= 6  # the sample has enough of them for this to mean something
    first = ranked[:5]
    assert all(on_retrieval(paper) for paper in first), [p.title for p in first]
    # The papers already bookmarked are yours: they come after the ones to look at.
    assert {p.title for p in ranked[-3:]} == set(SEEDS)
    assert len(ranked) == 65


def test_papers_marked_not_interested_leave_the_first_places(seeded: Library) -> None:
    before = for_you(seeded)
    dismissed = [before[0].id, before[2].id]
    seeded.dismiss(dismissed)
    after = for_you(seeded)
    assert not {p.id for p in after} & set(dismissed)
    assert all(on_retrieval(paper) for paper in after[:3])
    # Both are negatives now: in the order of their (low) scores, whichever that is.
    again = seeded.query("is:dismissed", limit=None, order="for-you")
    assert {hit.paper.id for hit in again.hits} == set(dismissed)
    assert [hit.score for hit in again.hits] == sorted((h.score for h in again.hits), reverse=True)


def test_a_new_mark_retrains_the_ranking(seeded: Library) -> None:
    """A bookmark on another topic brings that topic up: the model learned again."""
    papers = {p.title: p for p in seeded.listing()}
    pair = papers["Scalable Attentive Sentence-Pair Modeling via Distilled Sentence Embedding"]
    position = [p.id for p in for_you(seeded)].index(pair.id)
    seeded.add_bookmarks([papers["2D Matryoshka Sentence Embeddings"].id])
    assert [p.id for p in for_you(seeded)].index(pair.id) < position


def test_each_paper_says_why_it_is_there(seeded: Library) -> None:
    top = for_you(seeded)[0]
    why = seeded.why(top.id)
    assert why is not None
    assert len(why.like) == 2 and set(why.like) <= set(SEEDS)
    assert why.words and "retrieval" in why.words
    text = f"{top.title} {top.abstract}".lower()
    assert all(word.lower() in text for word in why.words)  # as the paper writes them


def test_without_bookmarks_for_you_says_so_and_lists_newest_first(lib: Library) -> None:
    result = lib.query("", limit=None, order="for-you")
    assert result.order == "newest"
    assert [h.paper.id for h in result.hits] == [p.id for p in lib.listing()]
    assert lib.why(result.hits[0].paper.id) is None
    rows = lib.browse("", order="for-you")
    assert rows.order == "newest"


def test_for_you_combines_with_filters_and_queries(seeded: Library) -> None:
    """`is:new` + for you: today's papers, best first; a query: its matches, best first."""
    assert {p.title for p in for_you(seeded, "is:bookmarked")} == set(SEEDS)
    matches = for_you(seeded, "deep learning")
    assert {p.id for p in matches} == {h.paper.id for h in seeded.query("deep learning", None).hits}
    assert on_retrieval(matches[0])
    assert for_you(seeded, "is:new") == []  # nothing is new before the reader was opened


def test_is_new_with_for_you_is_todays_papers_best_first(tmp_path: Path) -> None:
    lib = Library(tmp_path)
    lib.import_digests([SAMPLE])
    by_title = {paper.title: paper.id for paper in lib.listing()}
    lib.add_bookmarks([by_title[title] for title in SEEDS])
    lib.mark_opened()
    today = tmp_path / "today.txt"
    today.write_text(
        "Mar 14\n\nSparse Retrieval for Passage Ranking with Learned Term Weights\n\n"
        "We rank passages for information retrieval with dense and sparse retrievers. Queries "
        "and documents are encoded by a BERT model, and the ranking is learned end to end.\n\n"
        "A Garden of Wavelets for Brain MRI Super-resolution\n\n"
        "Wavelet discriminators guide a GAN for MRI super-resolution and denoising of brain "
        "images, trained on scans of many subjects with a frequency constraint.\n",
        "utf-8",
    )
    Library(tmp_path).import_digests([today])
    again = Library(tmp_path)
    again.mark_opened()  # the next opening: what the import brought after the last one is new
    titles = [p.title for p in for_you(again, "is:new")]
    assert titles[0].startswith("Sparse Retrieval") and len(titles) == 2


def test_the_ranking_is_kept_for_the_next_process(seeded: Library, sample_dir: Path) -> None:
    first = [p.id for p in for_you(seeded)]
    cache = sample_dir / "cache" / "index" / "for-you"
    saved = list(cache.glob("g-*"))
    assert len(saved) == 1  # the generation's features, and each segment's terms
    assert len(list((cache / "segments").iterdir())) == 1
    assert [p.id for p in for_you(Library(sample_dir))] == first
    (saved[0] / "vals.npy").write_bytes(b"not numpy")  # derived data: read again when damaged
    assert [p.id for p in for_you(Library(sample_dir))] == first
    for segment in (cache / "segments").iterdir():
        (segment / "cols.npy").write_bytes(b"")
    shutil.rmtree(saved[0])
    assert [p.id for p in for_you(Library(sample_dir))] == first
    shutil.rmtree(cache)
    assert [p.id for p in for_you(Library(sample_dir))] == first


def test_the_cli_sorts_for_you_and_says_when_it_cannot(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    out = cli_run("list", "--sort", "for-you", data_dir=sample_dir)
    assert out.returncode == 0
    assert "for-you learns from your bookmarks" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    lib = Library(sample_dir)
    ids = [p.id for p in lib.listing() if p.title in SEEDS]
    assert cli_run("bookmark", "add", *ids, data_dir=sample_dir).returncode == 0
    out = cli_run(
        "search", "learning", "--sort", "for-you", "--limit", "3", "--json", data_dir=sample_dir
    )
    assert out.returncode == 0 and out.stderr == ""
    titles = [record["title"] for record in json.loads(out.stdout)]
    papers = {p.title: p for p in lib.listing()}
    assert len(titles) == 3 and all(on_retrieval(papers[t]) for t in titles)
