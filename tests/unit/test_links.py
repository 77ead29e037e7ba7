"""Paper ids and links: stable ids, canonical URLs, URLs found in abstracts."""

from __future__ import annotations

from paperdeck.index.clean import clean_text, normalise_title
from paperdeck.index.links import canonical_links, normalise_arxiv_id, paper_id, urls_in_text


def test_arxiv_ids_drop_versions_and_prefixes() -> None:
    assert normalise_arxiv_id("arXiv:2405.17428v2") == "2405.17428"
    assert normalise_arxiv_id("https://arxiv.org/abs/2405.17428") == "2405.17428"
    assert normalise_arxiv_id("hep-th/9901001v1") == "hep-th/9901001"
    assert normalise_arxiv_id("not an id") is None


def test_ids_are_stable_and_ignore_case_accents_and_punctuation() -> None:
    assert paper_id("Attention as an RNN", "2405.13956") == "2405.13956"
    one = paper_id("Étude: Attention as an RNN!", None)
    assert one == paper_id("etude   attention AS an rnn", None)
    assert one.startswith("t-") and len(one) == 14
    assert normalise_title("S\\'umulas, Vinculantes") == "sumulas vinculantes"


def test_links_with_and_without_an_arxiv_id() -> None:
    urls = [link.url for link in canonical_links("A Survey of Mamba", "2408.01129")]
    assert urls == [
        "https://arxiv.org/abs/2408.01129",
        "https://huggingface.co/papers/2408.01129",
        "https://arxiv.org/pdf/2408.01129",
    ]
    search = canonical_links("A Survey of Mamba", None)[0].url
    assert search == "https://huggingface.co/papers?q=A+Survey+of+Mamba"


def test_urls_in_abstracts_exclude_trailing_punctuation() -> None:
    text = "Code: https://github.com/HazyResearch/zoology. See (https://x.org/a_(b)), ok"
    assert [link.url for link in urls_in_text(text)] == [
        "https://github.com/HazyResearch/zoology",
        "https://x.org/a_(b)",
    ]


def test_a_url_split_by_spaces_is_flagged_not_rewritten() -> None:
    text = "available upon paper acceptance at https:// github. com/ Labbe ti/ SSLH."
    (link,) = urls_in_text(text)
    assert link.broken and link.url == "https:// github. com/ Labbe ti/ SSLH"
    assert urls_in_text("see https:// and then nothing") == []


def test_clean_text_keeps_math_and_decodes_accents() -> None:
    assert clean_text('na\\"ive  $O(n^2)$ \\v{S}koda\u200b\tdone') == "naïve $O(n^2)$ Škoda done"
