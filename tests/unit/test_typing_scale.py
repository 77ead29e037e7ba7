"""Search as you type stays cheap on a big library: prefixes expand through the vocabulary
(no walk of every segment's lexicon), short prefixes stand for few title terms, a one-letter
last word after other words only ranks, and the array scorer works on sparse arrays. The
answers stay what a reader expects; timing goals live in the bench, not here."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, cast

import pytest
from paperdeck.index.engine import fastscore, querytext, search
from paperdeck.index.engine.store import SCHEMA
from paperdeck.index.engine.vocabulary import Vocabulary
from paperdeck.index.library import Library
from whoosh import query
from whoosh.columns import VarBytesColumn

from tests.support import FIXTURES
from tests.support.digests import write_numbered
from tests.unit.test_fastscore import SHAPES, array_ranking, compile_query, whoosh_ranking


def titles(lib: Library, text: str) -> list[str]:
    return [row.title for row in lib.browse(text, 1000).rows]


def expanded(lib: Library, text: str) -> query.Query:
    """The query the reader's text becomes, prefixes expanded."""
    lib.open()
    store = lib.engine.store
    parsed = querytext.split_filters(text)
    q, _ = search.parse(parsed, SCHEMA)
    words = search.stem_map(parsed.words, SCHEMA)
    return search.expand_prefixes(q, store.searcher(), words, store.vocabulary)


def prefix_terms(q: query.Query) -> dict[str, list[str]]:
    """Each field's terms in the query, the typed word's own included."""
    found: dict[str, list[str]] = {}
    for leaf in q.leaves():
        if isinstance(leaf, query.Term):
            found.setdefault(leaf.fieldname, []).append(leaf.text)
    return found


def test_typing_retr_finds_the_retrieval_papers(lib: Library) -> None:
    found = titles(lib, "retr")
    with_the_word = [t for t in found if "retriev" in t.lower()]
    assert len(with_the_word) >= 4
    assert found[: len(with_the_word)] == with_the_word  # they come first
    assert set(found) >= set(titles(lib, "title:retrieval"))


def test_a_one_letter_last_word_ranks_without_emptying_the_list(lib: Library) -> None:
    """`transformer a`: the transformer papers, those with a likely a-word in their title
    (attention, architecture...) first; `mamba s` still shows the Mamba survey (a required
    "s" stood for words of other titles: the list emptied for a keystroke)."""
    found = titles(lib, "transformer a")
    assert set(found) == set(titles(lib, "transformer "))
    likely = ("attention", "analysis", "approach", "architecture")
    assert any(word in found[0].lower() for word in likely)
    assert titles(lib, "mamba s") == ["A Survey of Mamba"]
    assert titles(lib, "mamba su") == ["A Survey of Mamba"]  # required, as two letters are
    assert titles(lib, "mamba xy") == titles(lib, "mamba xyz") == []
    assert titles(lib, "wavelet 1") == []  # a digit is a word ("gpt 4"), not a prefix


def test_an_author_is_found_while_typing_the_name(tmp_path: Path) -> None:
    """Names are not in the vocabulary: from two letters they walk the lexicon (two letters
    stand for the few likeliest names); one letter after other words only ranks."""
    lib = Library(tmp_path)
    lib.import_digests([FIXTURES / "arxiv-snapshot.jsonl"])
    by_roe = titles(lib, "jane roe")
    assert len(by_roe) == 1
    for typed in ["roe", "jane r", "jane ro", "jane roe", "mül", "jörg m", "jörg mü"]:
        assert titles(lib, typed) == by_roe, typed


def test_a_one_letter_query_lists_papers_with_its_likeliest_title_words(lib: Library) -> None:
    found = lib.browse("t", 1000)
    words = {term for field, term in found.terms if field == "title"}
    assert 1 <= len(words) <= search.PREFIX_TERMS_BY_LENGTH[1]
    assert all(word.startswith("t") for word in words)
    assert found.rows and all(
        any(w.startswith("t") for w in row.title.lower().replace("-", " ").split())
        for row in found.rows
    )


@pytest.mark.parametrize(
    ("text", "fields", "most"),
    [
        ("t", {"title"}, 4),
        ("tr", {"title", "author"}, 8),
        ("tra", {"title", "author"}, 16),
        ("tran", {"title", "abstract", "author"}, 16),
    ],
)
def test_short_prefixes_stand_for_few_terms(
    lib: Library, text: str, fields: set[str], most: int
) -> None:
    terms = {  # the prefix's terms (the typed word itself is a term of every field)
        field: [term for term in found if term != text]
        for field, found in prefix_terms(expanded(lib, text)).items()
    }
    assert {field for field, found in terms.items() if found} <= fields
    assert terms["title"] and len(terms["title"]) <= most
    assert len(terms.get("author", [])) <= search.AUTHOR_TERMS_BY_LENGTH.get(len(text), most)


def test_titles_and_abstracts_expand_without_walking_the_lexicon(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk of every segment's lexicon cost seconds at 1,000,000 papers; the vocabulary
    gives the same words. Authors (not in the vocabulary) still walk, from 2 letters."""
    walked: list[tuple[str, str]] = []
    walk = search._iter_prefix_all

    def spy(reader, fieldname, prefix, cap=None):  # type: ignore[no-untyped-def]
        walked.append((fieldname, prefix))
        return walk(reader, fieldname, prefix, cap)

    monkeypatch.setattr(search, "_iter_prefix_all", spy)
    assert "A Practical Survey on Faster and Lighter Transformers" in titles(lib, "transfor")
    assert "2D Matryoshka Sentence Embeddings" in titles(lib, "sentence embeddi")
    assert titles(lib, "t") and titles(lib, "tr")
    assert walked and {field for field, _ in walked} == {"author"}
    assert all(len(prefix) >= search.AUTHOR_PREFIX for _, prefix in walked)


def test_a_prefix_expands_from_its_stem_too(lib: Library) -> None:
    """The parser stems a typed prefix (`noise*` is `nois*`): words starting with the stem,
    such as "noisy" (`noisi`), are found, as when the stems were walked."""
    terms = lib.browse("noise", 1000).terms
    assert ("abstract", "noisi") in terms and ("title", "nois") in terms
    assert lib.browse("noise", 1000).rows[0].title.startswith("DISGAN")


def test_without_a_vocabulary_prefixes_walk_the_lexicon(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library indexed before vocabulary.json was kept still expands prefixes."""
    lib.open()
    monkeypatch.setattr(lib.engine.store, "vocabulary", Vocabulary())
    assert "A Practical Survey on Faster and Lighter Transformers" in titles(lib, "transfor")


@pytest.mark.parametrize("share", [0, 10**9])  # sparse wherever possible / dense Ors
@pytest.mark.parametrize("text", [*SHAPES, "transformer ANDMAYBE attention", '"language models"'])
def test_sparse_and_dense_scoring_both_give_whooshs_answers(
    lib: Library, text: str, share: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fastscore.ArrayScorer, "SPARSE_SHARE", share)
    lib.open()
    q = compile_query(lib, text)
    ranked = array_ranking(lib, q)
    if '"' in text:  # a phrase is checked on the text: compare with the library's answer
        assert ranked.total == lib.query(text, limit=None).total
        return
    expected = whoosh_ranking(lib, q)
    got = [(-round(s, 9), d) for s, d in zip(ranked.scores, ranked.docnums, strict=True)]
    assert got == expected


def test_the_typed_prefix_answers_match_whoosh_while_typing(lib: Library) -> None:
    """Every prefix of a typed query, expanded as the reader's request, scores as Whoosh
    (a one-letter last word as an optional part: ANDMAYBE)."""
    lib.open()
    typed = "transformer attention"
    for end in range(1, len(typed) + 1):
        q = expanded(lib, typed[:end])
        ranked = array_ranking(lib, q)
        got = [(-round(s, 9), d) for s, d in zip(ranked.scores, ranked.docnums, strict=True)]
        assert got == whoosh_ranking(lib, q), typed[:end]


def test_completions_are_the_most_frequent_first_and_kept(tmp_path: Path) -> None:
    vocabulary = Vocabulary(Counter({"train": 5, "transformer": 9, "tree": 1, "trains": 5}))
    assert vocabulary.completions("tr", 3) == ["transformer", "train", "trains"]
    assert vocabulary.completions("tr", 3) is vocabulary.completions("tr", 3)
    vocabulary.update(Counter({"tree": 20}))
    assert vocabulary.completions("tr", 1) == ["tree"]
    vocabulary.save(tmp_path)
    saved = json.loads((tmp_path / "vocabulary.json").read_text("utf-8"))
    assert list(saved) == sorted(saved)  # so that loading sorts it in one pass
    assert Vocabulary.load(tmp_path).completions("tra", 2) == ["transformer", "train"]


def test_listed_rows_are_read_straight_from_the_segments_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search lists its rows with one positioned read each, never through Whoosh's
    column reader (its seek and read a row were most of a keystroke at 100,000 papers);
    the rows are the papers', in the ranked order, across every segment."""

    lib = Library(tmp_path / "lib")
    lib.import_digest(write_numbered(tmp_path / "a.json", range(30)))
    lib.import_digest(write_numbered(tmp_path / "b.json", range(30, 60)))  # a second segment
    lib.close()
    whoosh_rows = VarBytesColumn.Reader.__getitem__

    def refused(self: Any, docnum: int) -> bytes:
        if type(self) is VarBytesColumn.Reader:  # (stored fields are a subclass's)
            raise AssertionError("a row read through Whoosh")
        return cast(bytes, whoosh_rows(self, docnum))

    monkeypatch.setattr(VarBytesColumn.Reader, "__getitem__", refused)
    lib = Library(tmp_path / "lib")
    rows = lib.browse("topic", 1000).rows
    papers = {paper.id: paper for paper in (lib.get(row.id) for row in rows) if paper}
    assert len(rows) == 60 and len(papers) == 60
    assert all(row.title == papers[row.id].title for row in rows)
    assert [row.id for row in rows] == [hit.paper.id for hit in lib.query("topic", 1000).hits]
    lib.close()
