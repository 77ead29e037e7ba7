"""Inputs that would eat the machine are read in bounded memory (issue 25 item 10, import
side): one line of a gigabyte is passed over with a notice naming it, and a paper repeated
a hundred thousand times is held once."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest
from paperdeck.index.digest import decode
from paperdeck.index.digest.snapshot import stream_snapshot
from paperdeck.index.library import Library
from paperdeck.index.merge import MergedStream

from tests.support import REAL

SNAPSHOT = REAL / "arxiv-snapshot-first-150.jsonl"
HUGE = 1 << 28  # characters of the one huge line: 64 times what a line may hold


def test_one_huge_line_of_a_gzip_is_skipped_with_a_notice_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Synthetic: the real snapshot's lines, gzipped, with a line of 256 Mi characters
    (an abstract of one letter) put in third; the gzip is a few hundred KB."""
    lines = SNAPSHOT.read_text().splitlines()
    record = json.loads(lines[2])
    head, tail = json.dumps({**record, "abstract": "@"}).split('"@"')
    digest = tmp_path / "bomb.json.gz"
    with gzip.open(digest, "wb", compresslevel=9) as out:
        out.write("\n".join(lines[:2]).encode() + b"\n" + head.encode() + b'"')
        for _ in range(HUGE // (1 << 20)):
            out.write(b"a" * (1 << 20))
        out.write(b'"' + tail.encode() + b"\n" + "\n".join(lines[3:]).encode() + b"\n")
    assert digest.stat().st_size < 2 << 20
    library = Library(tmp_path / "lib")
    tracemalloc.start()
    try:
        report = library.import_digest(digest)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < HUGE // 4, f"{peak:,} bytes at the peak"
    assert report.papers == 149 and library.count() == 149
    assert library.get(record["id"]) is None and library.get(json.loads(lines[3])["id"])
    notice = [w for w in report.warnings if "line 3 skipped" in w]
    assert notice and f"{HUGE + len(head) + len(tail) + 2:,} characters" in notice[0]
    assert f"{decode.MAX_LINE:,}" in notice[0]


def test_a_paper_repeated_many_times_is_held_once() -> None:
    """One real snapshot line read 10,000 times (each a paper of its own, as a file of
    repeats gives): what is held for the repeats stays the size of one paper."""
    line = SNAPSHOT.read_text().splitlines()[0]
    papers = list(stream_snapshot([line], "r.json", None, []))
    merged = MergedStream(lambda _id: None, lambda _key: [], "2026-01-01T00:00:00+00:00")
    written = list(merged.papers(papers))
    repeats = 10_000
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for paper in merged.papers(
            p.with_changes(abstract=p.abstract + " ") for p in papers * repeats
        ):
            written.append(paper)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(written) == 1 and len(merged.late) == 1
    assert held < 1 << 20, f"{held:,} bytes held for {repeats:,} repeats"


@pytest.mark.parametrize("field", ["authors", "abstract"])
def test_a_snapshot_whose_first_line_is_longer_than_the_head_is_a_snapshot(
    tmp_path: Path, field: str
) -> None:
    """Synthetic derivative of the real snapshot: its first record's authors (a
    collaboration's thousands of names) or abstract made 100 KB long, past the 64 KB head."""
    lines = SNAPSHOT.read_text().splitlines()
    record = json.loads(lines[0])
    if field == "authors":
        record["authors"] += ", A. N. Other" * 8000
    else:
        record["abstract"] *= 100
    digest = tmp_path / "snapshot.json"
    digest.write_text("\n".join([json.dumps(record), *lines[1:]]) + "\n")
    assert len(json.dumps(record)) > decode.HEAD_BYTES
    report = Library(tmp_path / "lib").import_digest(digest)
    assert report.papers == 150
    library = Library(tmp_path / "lib")
    assert library.digests()[0].format == "arxiv-snapshot"
    first = library.get(record["id"])
    assert first is not None and first.title == " ".join(record["title"].split())
