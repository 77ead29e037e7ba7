"""Property-based tests: whatever the input, readers and search answer clearly.

Run quickly in `make test` (profile "quick"); `make fuzz` runs the "thorough" profile.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from paperdeck.index.digest import FORMATS, read_digest
from paperdeck.index.digest.hftext import write_page_text
from paperdeck.index.errors import DigestError
from paperdeck.index.library import Library

TODAY = dt.date(2026, 11, 26)
SAMPLE_LINES: list[bytes] = []


@pytest.fixture(scope="module", autouse=True)
def _sample_lines(sample_bytes: bytes) -> None:
    SAMPLE_LINES[:] = sample_bytes.split(b"\n")


def read_or_refuse(data: bytes, fmt: str | None = None) -> None:
    """The only exception a reader may raise is its own DigestError, with one line."""
    try:
        report = read_digest(data, "fuzz.txt", today=TODAY, fmt=fmt)
    except DigestError as exc:
        assert str(exc).startswith("fuzz.txt: ") and "\n" not in str(exc)
        return
    assert report.papers
    for paper in report.papers:
        assert paper.title and paper.title == paper.title.strip()
        assert "\n" not in paper.title and "\x00" not in paper.abstract


@given(st.binary(max_size=4000))
def test_property_any_bytes(data: bytes) -> None:
    read_or_refuse(data)


@given(st.text(max_size=3000), st.sampled_from([None, *FORMATS]))
def test_property_any_text_any_format(text: str, fmt: str | None) -> None:
    read_or_refuse(text.encode("utf-8", "surrogatepass"), fmt)


@given(st.data())
def test_property_mutated_sample(data: st.DataObject) -> None:
    lines = list(SAMPLE_LINES)
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    for _ in range(data.draw(st.integers(1, 6))):
        kind = data.draw(st.sampled_from(["drop", "dup", "swap", "mojibake"]))
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(j, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i].decode().encode("cp1252", "replace")
    blob = b"\n".join(lines)
    cut = data.draw(st.integers(0, len(blob)))
    read_or_refuse(blob[:cut])


@given(st.integers(0, 200_000))
def test_property_sample_truncated_anywhere(cut: int) -> None:
    read_or_refuse(b"\n".join(SAMPLE_LINES)[:cut])


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=2, max_size=9)
titles = st.lists(words, min_size=2, max_size=12).map(lambda ws: " ".join(ws).capitalize())
abstracts = st.lists(words, min_size=20, max_size=60).map(
    lambda ws: " ".join(ws).capitalize() + ". It works well in practice. We say so here."
)


@given(
    st.lists(st.tuples(titles, abstracts), min_size=1, max_size=8, unique_by=lambda p: p[0]),
    st.dates(dt.date(2020, 1, 1), dt.date(2026, 11, 1)),
)
def test_property_written_digest_reads_back(pairs, day) -> None:
    text = "\n\n".join(f"{t}\n\n{a}" for t, a in pairs)
    first = read_digest(f"{day:%b} {day.day}, {day.year}\n\n{text}".encode(), "a", today=TODAY)
    assume(len({p.id for p in first.papers}) == len(pairs))  # two titles may normalise alike
    again = read_digest(write_page_text(list(first.papers)).encode(), "b", today=TODAY)
    assert [(p.id, p.title, p.abstract, p.date) for p in again.papers] == [
        (p.id, p.title, p.abstract, p.date) for p in first.papers
    ]


@pytest.fixture(scope="module")
def shared_lib(tmp_path_factory, sample_path) -> Library:
    lib = Library(tmp_path_factory.mktemp("fuzz-lib"))
    lib.import_digests([sample_path])
    lib.open()
    return lib


query_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet='()"*~:^[]{}!-+ ANDORNOTtitle:abstract:date:', max_size=80),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Lo"]), max_size=60),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text)
def test_property_any_query_is_answered(shared_lib: Library, text: str) -> None:
    """No exception, a well-formed answer. (Latency is the benchmark's business, not a test's;
    `bench.run` times typed and pasted queries.)"""
    result = shared_lib.query(text)
    rows = shared_lib.browse(text, 100)
    assert result.total >= len(result.hits) >= 0 and len(rows.rows) <= 100


@pytest.mark.parametrize("text", ["?*", "*", "*a*", "a?*", "title:*x", "~", "x~~~9", '"*"'])
def test_wildcards_that_would_walk_everything_are_refused_quietly(shared_lib, text) -> None:
    """Refused: no term is expanded, so nothing matches (a walk would match most of the
    sample); a lone `*` is the whole library as the empty query lists it. Quietly: no error."""
    result = shared_lib.query(text)
    if text == "*":
        listed = shared_lib.query("")
        assert result.total == listed.total
        assert [h.paper.id for h in result.hits] == [h.paper.id for h in listed.hits]
    else:
        assert result.total == 0 and not result.hits


def test_huge_paste_is_capped_before_parsing(shared_lib: Library) -> None:
    pasted = "attention " * 20_000 + "(((" + '"' * 999
    result = shared_lib.query(pasted)
    assert result.query == pasted and result.total >= 1  # capped, still searched
