"""Inputs that would eat the machine are read in bounded memory (issue 25 item 10, import
side): one line of a gigabyte is passed over with a notice naming it, and a paper repeated
a hundred thousand times is held once."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

from paperdeck.index.digest import decode
from paperdeck.index.digest.snapshot import stream_snapshot
from paperdeck.index.library import Library
from paperdeck.index.merge import MergedStream

REAL = Path(__file__).parent / "fixtures" / "real"
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
