"""The arXiv metadata snapshot (one JSON object per line) as a digest format."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
from paperdeck.index.digest import read_digest
from paperdeck.index.errors import DigestError
from paperdeck.index.library import Library

from tests.support import FIXTURES

FIXTURE = FIXTURES / "arxiv-snapshot.jsonl"
TODAY = dt.date(2026, 12, 2)


def read(data: bytes, name: str = "snapshot.json"):
    return read_digest(data, name, today=TODAY)


def test_snapshot_lines_are_sniffed_and_read_with_every_field_shape() -> None:
    report = read(FIXTURE.read_bytes())
    assert report.format == "arxiv-snapshot"
    by_id = {p.id: p for p in report.papers}
    assert set(by_id) == {"2403.12345", "math/0406594", "1101.00001", "2201.00002"}
    new = by_id["2403.12345"]
    assert new.title == "Diffusion Models for Schrödinger Bridges"  # unwrapped, accents decoded
    assert new.abstract.startswith("We study $\\alpha$-divergences")  # math stays as written
    assert new.authors == ("Jane Roe", "Jörg Müller")
    assert new.date == dt.date(2024, 3, 18)  # the first version's date, not the last
    assert new.categories == ("cs.LG", "stat.ML")
    assert "https://doi.org/10.1000/xyz123" in {link.url for link in new.links}
    assert "https://arxiv.org/abs/2403.12345" in {link.url for link in new.links}
    old = by_id["math/0406594"]
    assert old.arxiv_id == "math/0406594" and old.date == dt.date(2004, 6, 29)
    assert by_id["1101.00001"].authors == ("Someone Else",)  # no authors_parsed
    assert by_id["2201.00002"].date == dt.date(2022, 1, 3)  # no versions: the update date


def test_a_bad_line_is_counted_and_skipped_never_the_end_of_the_import() -> None:
    report = read(FIXTURE.read_bytes())
    reasons = sorted(s.reason for s in report.skipped)
    assert reasons == ["no arXiv id or no title", "not a JSON object"]
    assert [s.line for s in report.skipped] == [3, 6]


def test_a_gzipped_snapshot_reads_the_same() -> None:
    plain = read(FIXTURE.read_bytes())
    zipped = read(gzip.compress(FIXTURE.read_bytes()))
    assert zipped.papers == plain.papers and zipped.format == "arxiv-snapshot"
    with pytest.raises(DigestError, match="damaged gzip"):
        read(gzip.compress(FIXTURE.read_bytes())[:200], "cut.json.gz")


def test_a_snapshot_paper_and_its_hugging_face_entry_are_one_paper(tmp_path: Path) -> None:
    lib = Library(tmp_path)
    line = FIXTURE.read_text().splitlines()[0]
    hf = (
        '[{"paper": {"id": "2403.12345", "title": "Diffusion Models for Schrödinger Bridges",'
        ' "summary": "short", "upvotes": 7}}]'
    )
    lib.import_bytes(line.encode(), "snapshot.json")
    lib.import_bytes(hf.encode(), "daily.json")
    assert lib.count() == 1
    paper = lib.get("2403.12345")
    assert paper is not None and paper.upvotes == 7 and paper.categories[:2] == ("cs.LG", "stat.ML")
    assert lib.query("schrodinger OR bridges").hits[0].paper.id == "2403.12345"
