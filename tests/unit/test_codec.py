"""paperdeck's faster writing path writes what Whoosh's own would: the same postings from the
analyzer, and the same bytes in every file of a segment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paperdeck.index.digest import read_digest
from paperdeck.index.engine import writer as fresh
from paperdeck.index.engine.analysis import CountedText
from paperdeck.index.engine.codec import PaperCodec
from paperdeck.index.engine.store import ANALYZER, make_schema, paper_document
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import TEXT
from whoosh.filedb.filestore import FileStorage

words = st.sampled_from(["the", "a", "Model", "models", "x", "GPT-4", "e.g.", "İstanbul", "ß"])
texts = st.lists(st.one_of(words, st.text(max_size=12)), max_size=40).map(" ".join)


@given(texts)
def test_term_counts_are_the_analyzers_tokens_counted(text: str) -> None:
    tokens = [token.text for token in ANALYZER(text)]
    assert ANALYZER.term_counts(text) == {t: tokens.count(t) for t in tokens}


@given(texts, st.sampled_from([1.0, 3.0]))
def test_counted_text_gives_whooshs_postings(text: str, boost: float) -> None:
    ours = CountedText(analyzer=ANALYZER, field_boost=boost, phrase=False).index(text)
    whooshs = TEXT(analyzer=ANALYZER, field_boost=boost, phrase=False).index(text)
    assert sorted(ours) == sorted(whooshs)


def _segment_files(directory: Path, codec, papers) -> dict[str, bytes]:
    """Write `papers` into a new index in one segment; its files' bytes by extension."""
    directory.mkdir()
    ix = FileStorage(str(directory)).create_index(make_schema())
    writer = ix.writer(codec=codec, compound=False)
    for paper in papers:
        writer.add_document(**paper_document(paper))
    writer.commit()
    files = [p for p in directory.iterdir() if p.name.startswith("MAIN_") and "." in p.name]
    return {p.name.split(".", 1)[1]: p.read_bytes() for p in files}


def _compound_files(ix) -> dict[str, bytes]:
    """The files inside an index's only (compound) segment, by extension."""
    (segment,) = ix._segments()
    inner = segment.open_compound_file(ix.storage)
    files = {name.split(".", 1)[1]: inner.open_file(name).read() for name in inner.list()}
    inner.close()
    return files


@pytest.mark.parametrize("blocklimit", [128, 3])  # 3: posting lists of many blocks
def test_segment_files_are_byte_for_byte_whooshs(
    tmp_path: Path, sample_bytes: bytes, blocklimit: int
) -> None:
    papers = read_digest(sample_bytes, "hf.txt", today=dt.date(2026, 3, 20)).papers
    assert len(papers) == 65
    ours = _segment_files(tmp_path / "ours", PaperCodec(blocklimit=blocklimit), papers)
    whooshs = _segment_files(tmp_path / "whoosh", W3Codec(blocklimit=blocklimit), papers)
    assert {"pst", "trm"} <= set(ours) and ours.keys() == whooshs.keys()
    for extension, data in whooshs.items():
        assert ours[extension] == data, extension


def test_a_fresh_segment_is_byte_for_byte_what_whooshs_writer_writes(
    tmp_path: Path, sample_bytes: bytes
) -> None:
    """paperdeck.index.engine.writer fills segments with its own posting pool and field writer."""
    papers = read_digest(sample_bytes, "hf.txt", today=dt.date(2026, 3, 20)).papers
    ours = FileStorage(str(tmp_path / "ours")).create().create_index(make_schema())
    fresh.write_papers(ours, papers, paper_document)
    whooshs = FileStorage(str(tmp_path / "whoosh")).create().create_index(make_schema())
    with whooshs.writer(codec=W3Codec()) as writer:
        for paper in papers:
            writer.add_document(**paper_document(paper))
    ours, whooshs = _compound_files(ours), _compound_files(whooshs)
    assert {"pst", "trm", "_stored.col"} <= set(ours) and ours.keys() == whooshs.keys()
    for extension, data in whooshs.items():
        assert ours[extension] == data, extension
