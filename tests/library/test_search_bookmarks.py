"""`tag:` and `note:` search bookmarks: tags in any spelling of their stored form, notes by
their words; plain words never search notes."""

from __future__ import annotations

import pytest
from paperdeck.index.library import Library

from tests.support import hits


@pytest.fixture
def marked(lib: Library) -> tuple[Library, str]:
    paper = hits(lib, "wavelet discriminator")[0].paper
    lib.add_bookmarks([paper.id])
    lib.tag_bookmark(paper.id, ["GAN Stuff"])
    lib.note_bookmark(paper.id, "Read before the Zürich meeting; compare with SRGAN.")
    other = hits(lib, "title:mamba")[0].paper
    lib.add_bookmarks([other.id])
    lib.tag_bookmark(other.id, ["toread"])
    return lib, paper.id


def rows(lib: Library, text: str) -> list[str]:
    return [row.id for row in lib.browse(text).rows]


@pytest.mark.parametrize(
    "typed",
    ['tag:"gan stuff"', 'tag:"GAN Stuff"', "tag:gan-stuff", "TAG:Gan-Stuff", 'tag:"gan  stuff" '],
)
def test_a_tag_is_found_however_it_is_typed(marked: tuple[Library, str], typed: str) -> None:
    lib, paper_id = marked
    assert rows(lib, typed) == [paper_id]
    assert [hit.paper.id for hit in lib.query(typed).hits] == [paper_id]


def test_tags_combine_with_words_and_other_tags(marked: tuple[Library, str]) -> None:
    lib, paper_id = marked
    assert rows(lib, 'tag:"gan stuff" wavelet') == [paper_id]
    assert rows(lib, 'tag:"gan stuff" mamba') == []
    assert rows(lib, 'tag:"gan stuff" tag:toread') == []
    assert rows(lib, 'tag:"gan things"') == []
    assert len(rows(lib, "is:bookmarked")) == 2


@pytest.mark.parametrize(
    "typed",
    ["note:zurich", "note:Zürich", "NOTE:srgan", "note:meet", 'note:"before the zurich"'],
)
def test_note_words_find_the_bookmark(marked: tuple[Library, str], typed: str) -> None:
    lib, paper_id = marked
    assert rows(lib, typed) == [paper_id]


def test_notes_match_from_the_start_of_a_word_and_combine(marked: tuple[Library, str]) -> None:
    lib, paper_id = marked
    assert rows(lib, "note:eting") == []
    assert rows(lib, 'note:"zurich before"') == []
    assert rows(lib, "note:zurich wavelet") == [paper_id]
    assert rows(lib, "note:zurich mamba") == []
    assert rows(lib, "note:zurich tag:toread") == []


def test_plain_words_do_not_search_notes(marked: tuple[Library, str]) -> None:
    lib, _ = marked
    assert rows(lib, "zurich") == []
    assert rows(lib, "srgan meeting") == []
