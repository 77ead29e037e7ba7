"""The plain-text page reader, on the sample and on every variant users send us."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from paperdeck.index.digest import read_digest
from paperdeck.index.digest.hftext import parse_date_line
from paperdeck.index.errors import DigestError

TODAY = dt.date(2026, 11, 26)
MARCH_13 = dt.date(2026, 3, 13)


@pytest.fixture(scope="module")
def sample_report(sample_bytes: bytes):
    return read_digest(sample_bytes, "sample.txt", today=TODAY)


@pytest.fixture(scope="module")
def titles(sample_report) -> list[str]:
    return [p.title for p in sample_report.papers]


def _paragraphs(sample_bytes: bytes) -> list[str]:
    return [p for p in sample_bytes.decode().split("\n\n") if p.strip()]


def test_sample_has_65_papers_dated_march_13(sample_report, titles) -> None:
    assert len(sample_report.papers) == 65
    assert {p.date for p in sample_report.papers} == {MARCH_13}
    assert titles[0].startswith("DISGAN: Wavelet-informed Discriminator")
    assert (
        titles[-1]
        == "NV-Embed: Improved Techniques for Training LLMs as Generalist Embedding Models"
    )
    assert all(p.abstract for p in sample_report.papers)
    assert [p.position for p in sample_report.papers] == list(range(65))


def test_page_chrome_is_dropped_and_reported(sample_report, titles) -> None:
    assert "Subscribe" not in titles and "new" not in titles
    reasons = [s.reason for s in sample_report.skipped]
    assert reasons == ["page chrome"] * 4


def test_latex_accents_are_decoded_but_math_is_kept(sample_report) -> None:
    paper = next(p for p in sample_report.papers if "Binding Precedent" in p.title)
    assert "Súmulas Vinculantes" in paper.abstract
    assert "\\'" not in paper.abstract


def test_year_is_the_most_recent_not_in_the_future() -> None:
    assert parse_date_line("Mar 13", dt.date(2026, 11, 26)) == dt.date(2026, 3, 13)
    assert parse_date_line("Dec 24", dt.date(2026, 11, 26)) == dt.date(2025, 12, 24)
    assert parse_date_line("Nov 26", dt.date(2026, 11, 26)) == dt.date(2026, 11, 26)
    assert parse_date_line("Feb 29", dt.date(2026, 11, 26)) == dt.date(2024, 2, 29)
    assert parse_date_line("March 3, 2024", TODAY) == dt.date(2024, 3, 3)
    assert parse_date_line("2024-05-01", TODAY) == dt.date(2024, 5, 1)
    assert parse_date_line("Figure 12", TODAY) is None


def test_hard_wrapped_mail_reads_the_same(sample_bytes, titles, sample_report) -> None:
    wrapped = "\n\n".join(textwrap.fill(p, width=66) for p in _paragraphs(sample_bytes))
    report = read_digest(wrapped.encode(), "wrapped.txt", today=TODAY)
    assert [p.title for p in report.papers] == titles
    assert [p.abstract for p in report.papers] == [p.abstract for p in sample_report.papers]
    assert {p.date for p in report.papers} == {MARCH_13}


def test_windows_crlf_with_bom_reads_the_same(sample_bytes, titles) -> None:
    data = b"\xef\xbb\xbf" + sample_bytes.replace(b"\n", b"\r\n")
    report = read_digest(data, "windows.txt", today=TODAY)
    assert [p.title for p in report.papers] == titles
    assert report.warnings == ()


def test_several_days_pasted_into_one_file(sample_bytes, titles) -> None:
    paragraphs = _paragraphs(sample_bytes)[5:]  # without chrome and the date line
    day_12, day_13 = paragraphs[:10], paragraphs[6:20]  # one paper appears on both days
    text = "Mar 13\n\n" + "\n\n".join(day_13) + "\n\nMar 12\n\n" + "\n\n".join(day_12)
    report = read_digest(text.encode(), "days.txt", today=TODAY)
    by_title = {p.title: p for p in report.papers}
    assert len(report.papers) == 10  # papers 0-4 on Mar 12, 3-9 on Mar 13: 3 and 4 twice
    assert by_title[titles[0]].date == dt.date(2026, 3, 12)
    assert by_title[titles[3]].date == dt.date(2026, 3, 12)  # repeated: earliest date wins
    assert by_title[titles[9]].date == dt.date(2026, 3, 13)
    assert [s.reason for s in report.skipped].count("repeated paper") == 0


def test_sloppy_whitespace(sample_bytes, titles) -> None:
    messy = "\n\n\n   \n".join(
        "  " + p.replace(". ", ".  \t ") + "   \t" for p in _paragraphs(sample_bytes)
    )
    report = read_digest(messy.encode(), "messy.txt", today=TODAY)
    assert [p.title for p in report.papers] == titles
    assert all("  " not in p.abstract and "\t" not in p.abstract for p in report.papers)


def test_title_without_abstract_is_kept(sample_bytes, titles) -> None:
    paragraphs = _paragraphs(sample_bytes)
    del paragraphs[6]  # the first paper's abstract
    report = read_digest("\n\n".join(paragraphs).encode(), "noabs.txt", today=TODAY)
    assert [p.title for p in report.papers] == titles
    assert report.papers[0].abstract == ""
    assert any("title without an abstract" in s.reason for s in report.skipped)


def test_legacy_cp1252_is_decoded_with_a_warning() -> None:
    text = "Mar 13\n\nCaf\u00e9 \u201cAttention\u201d for Na\u00efve Models\n\n" + (
        "We study caf\u00e9 attention \u2013 a na\u00efve idea. It works well in practice. " * 3
    )
    report = read_digest(text.encode("cp1252"), "legacy.txt", today=TODAY)
    assert report.papers[0].title == "Café “Attention” for Naïve Models"
    assert report.encoding == "cp1252"
    assert report.warnings and "cp1252" in report.warnings[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n \r\n", "empty"),
        (b"new\n\nSubscribe\n\nMar 13\n", "no papers"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(256)) * 20, "binary"),
        (b'[{"paper": {"id": "2405.17428"}}]', "no papers found"),
        (b"<html><body>Papers</body></html>", "HTML page"),
    ],
)
def test_refused_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(DigestError, match=message) as caught:
        read_digest(data, "bad.txt", today=TODAY)
    assert str(caught.value).startswith("bad.txt: ")
    assert "\n" not in str(caught.value)
