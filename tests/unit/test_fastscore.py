"""The array scorer gives Whoosh's own answers: the same papers, scores and order, and phrases
checked on text where abstracts carry no positions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paperdeck.index.engine import fastscore, querytext, search
from paperdeck.index.engine.phrases import has_phrase, text_has_phrase, word_positions
from paperdeck.index.engine.store import ANALYZER, SCHEMA
from paperdeck.index.library import Library
from whoosh import query

from tests.support import hits

SHAPES = [
    "transformer",
    "attention model",
    "title:(mamba OR attention)",
    "attention OR retrieval",
    "transformer AND NOT survey",
    "language ANDMAYBE model",
    "title:transformer OR abstract:wavelet",
    "author:wang",
    "embed*",
    "graph~",
    "nothingofthesort",
]


def compile_query(lib: Library, text: str) -> query.Query:
    parsed = querytext.split_filters(text)
    q, _ = search.parse(parsed, SCHEMA, prefix=False)
    words = search.stem_map(parsed.words, SCHEMA)
    return search.expand_prefixes(
        q, lib.engine.store.searcher(), words, lib.engine.store.vocabulary
    )


def whoosh_ranking(lib: Library, q: query.Query) -> list[tuple[float, int]]:
    """Whoosh scoring every match (no limit, so none of its shortcuts)."""
    results = lib.engine.store.searcher().search(q, limit=None)
    return sorted((-round(hit.score, 9), hit.docnum) for hit in results)


def array_ranking(lib: Library, q: query.Query, limit: int | None = None) -> fastscore.Ranked:
    lib.open()
    return lib.engine._ranker.array_scorer(lib.engine.store.searcher()).rank(q, limit, None)


@pytest.mark.parametrize("text", SHAPES)
def test_same_papers_scores_and_order_as_whoosh(lib: Library, text: str) -> None:
    lib.open()
    q = compile_query(lib, text)
    expected = whoosh_ranking(lib, q)
    ranked = array_ranking(lib, q)
    got = [
        (-round(score, 9), doc) for score, doc in zip(ranked.scores, ranked.docnums, strict=True)
    ]
    assert got == expected
    assert ranked.total == len(expected)
    assert ranked.docnums[:5] == array_ranking(lib, q, limit=5).docnums


def test_a_limit_keeps_the_best_and_breaks_ties_by_document_number(lib: Library) -> None:
    lib.open()
    q = compile_query(lib, "model")
    everything = array_ranking(lib, q)
    top = array_ranking(lib, q, limit=7)
    assert top.docnums == everything.docnums[:7]
    assert top.total == everything.total > 7


WORDS = ["model", "attention", "language", "transformer", "graph", "sentence", "survey", "data"]


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.lists(st.sampled_from(["AND", "OR", "AND NOT", "OR NOT"]), min_size=3, max_size=3),
)
def test_any_boolean_mix_matches_whoosh(sample_lib: Library, words, operators) -> None:
    text = words[0] + "".join(f" {op} {w}" for op, w in zip(operators, words[1:], strict=False))
    q = compile_query(sample_lib, text)
    expected = whoosh_ranking(sample_lib, q)
    ranked = array_ranking(sample_lib, q)
    assert [
        (-round(s, 9), d) for s, d in zip(ranked.scores, ranked.docnums, strict=True)
    ] == expected


@pytest.fixture(scope="module")
def sample_lib(tmp_path_factory: pytest.TempPathFactory, sample_path) -> Library:
    library = Library(tmp_path_factory.mktemp("fast"))
    library.import_digests([sample_path])
    library.open()
    return library


def phrase_in(text: str, phrase: str) -> bool:
    """The words next to each other, any ending (the index stems: "model" finds "models")."""
    stems = [word.rstrip("s") for word in phrase.lower().split()]
    pattern = r"\b" + r"\W+".join(re.escape(stem) + r"\w*" for stem in stems)
    return bool(re.search(pattern, text.lower()))


@pytest.mark.parametrize("phrase", ["large language models", "sentence embeddings", "in the"])
@pytest.mark.parametrize("field", ["title", "abstract"])
def test_phrases_are_checked_against_the_text(lib: Library, phrase: str, field: str) -> None:
    found = {hit.paper.id for hit in hits(lib, f'{field}:"{phrase}"', limit=None)}
    expected = {p.id for p in lib.listing() if phrase_in(getattr(p, field), phrase)}
    if phrase == "in the":  # all stop words: nothing to look for
        assert found == set()
    else:
        assert found == expected and expected


def test_a_phrase_ranks_like_its_words_and_counts_exactly(lib: Library) -> None:
    result = lib.query('"language models"', limit=3)
    everything = lib.query('"language models"', limit=None)
    assert result.total == everything.total == len(everything.hits) > 3
    assert [h.paper.id for h in result.hits] == [h.paper.id for h in everything.hits[:3]]
    words_only = {h.paper.id for h in hits(lib, "language models", limit=None)}
    assert {h.paper.id for h in everything.hits} < words_only


def test_a_big_phrase_count_is_estimated_from_the_candidates_checked(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fastscore.ArrayScorer, "COUNT_ALL_UP_TO", 0)
    exact = lib.query('"language models"', limit=None)
    lib._answers.clear()
    result = lib.query('"language models"', limit=3)
    candidates = len(hits(lib, "language models", limit=None))
    assert [h.paper.id for h in result.hits] == [h.paper.id for h in exact.hits[:3]]
    assert 3 <= result.total <= candidates and result.total != exact.total


def test_not_a_phrase_keeps_papers_with_the_words_apart(lib: Library) -> None:
    with_phrase = {h.paper.id for h in hits(lib, '"language models"', limit=None)}
    without = {h.paper.id for h in hits(lib, 'language AND NOT "language models"', limit=None)}
    with_word = {h.paper.id for h in hits(lib, "language", limit=None)}
    assert without == with_word - with_phrase
    assert without


def test_phrase_rule_is_whooshs() -> None:
    positions = word_positions(ANALYZER, "Large language models are large models of language.")
    assert has_phrase(positions, ["larg", "languag", "model"])
    assert has_phrase(positions, ["larg", "model"])  # "large models" later on
    assert not has_phrase(positions, ["model", "larg", "languag"])
    assert not has_phrase(positions, ["languag", "larg"])
    assert has_phrase(positions, ["languag", "larg"], slop=4)  # "language ... large" within 4
    assert not has_phrase(positions, [])


@given(st.data())
def test_phrase_positions_of_a_few_words_are_the_analyzers(sample_lib: Library, data) -> None:
    paper = data.draw(st.sampled_from(sample_lib.listing()))
    everything = word_positions(ANALYZER, paper.abstract)
    wanted = data.draw(st.lists(st.sampled_from(sorted(everything)), min_size=1, max_size=3))
    few = word_positions(ANALYZER, paper.abstract, wanted)
    assert few == {word: everything[word] for word in wanted}


PIECES = [
    "The",
    "a",
    "of",
    "x",
    "7",
    "e.g.",
    "U.S.",
    "Large",
    "language",
    "models",
    "model's",
    "Jörg",
    "İstanbul",
    "naïve",
    "large-scale",
    "x*",
    "_",
    "LANGUAGES",
    ".",
    ",",
    " ",
    "  ",
]


@given(st.lists(st.sampled_from(PIECES), max_size=30), st.data())
def test_phrase_positions_of_any_text_are_the_analyzers(pieces: list[str], data) -> None:
    """Stop words, one-letter words, dotted words, capitals and accents anywhere: the phrase
    check's positions are those the analyzer gives the indexed text."""
    text = " ".join(pieces)
    everything = word_positions(ANALYZER, text)
    if not everything:
        return
    wanted = data.draw(st.lists(st.sampled_from(sorted(everything)), min_size=1, max_size=3))
    assert word_positions(ANALYZER, text, wanted) == {word: everything[word] for word in wanted}


@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.integers(min_value=0, max_value=29),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=1, max_value=3),
)
def test_a_phrase_is_found_in_any_text_as_in_the_analyzers_positions(
    pieces: list[str], start: int, length: int, slop: int
) -> None:
    """The phrase check that reads only around the first word's occurrences answers as the
    rule does on every position of the text (phrases, stop words and dots between)."""
    text = " ".join(pieces)
    tokens = [token.text for token in ANALYZER(text)] or ["larg", "model"]
    words = tokens[start % len(tokens) :][:length]
    everything = word_positions(ANALYZER, text)
    assert text_has_phrase(ANALYZER, text, words, slop) == has_phrase(everything, words, slop)
    assert text_has_phrase(ANALYZER, text, words[::-1], slop) == has_phrase(
        everything, words[::-1], slop
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Large of the language models", True),  # stop words hold no position
        ("large x 7 language", True),  # nor do one-letter words
        ("large models language", False),  # a word between does
        ("e.g.large language", False),  # one dotted word, not `large`
        ("e.g. large language", True),
        ("U.S.large language", False),
        ("large large language", True),  # the second `large` starts the phrase
        ("large. language", True),  # punctuation holds no position
        ("larger language", False),  # `larger` is not `larg`
    ],
)
def test_a_phrase_in_text_as_the_analyzers_positions_say(text: str, found: bool) -> None:
    words = ["larg", "languag"]
    assert has_phrase(word_positions(ANALYZER, text), words) is found
    assert text_has_phrase(ANALYZER, text, words) is found


def test_a_scorer_bug_surfaces_instead_of_a_plain_words_search(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the array scorer is reported, not hidden by quietly running the words again
    without their syntax (results that look plausible and are not what was asked)."""
    rank = fastscore.ArrayScorer.rank
    calls: list[str] = []

    def buggy(self: fastscore.ArrayScorer, *args: object, **kwargs: object) -> object:
        calls.append("rank")
        if len(calls) == 1:
            raise ZeroDivisionError("a scorer bug")
        return rank(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fastscore.ArrayScorer, "rank", buggy)
    with pytest.raises(ZeroDivisionError):
        lib.query("title:(mamba OR attention)")


def test_a_prefix_expansion_bug_surfaces(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(*args: object, **kwargs: object) -> query.Query:
        raise TypeError("an expansion bug")

    monkeypatch.setattr(search, "expand_prefixes", buggy)
    with pytest.raises(TypeError):
        lib.query("embed*")
