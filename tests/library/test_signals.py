"""Hugging Face's signals: kept from the daily-papers JSON, merged, shown, and searchable with
`has:code` and `upvotes:` comparisons and ranges."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from paperdeck.index.catalog import merge_papers
from paperdeck.index.digest import read_digest
from paperdeck.index.library import Library
from paperdeck.index.models import Paper
from paperdeck.tui.widgets.paper_detail import DetailView, render_detail
from rich.console import Console

from tests.support import FIXTURES, InProcessCli, ids

SIGNALS = FIXTURES / "hf-daily-signals.json"
# The fixture's upvotes by id: 212, 57, 50, 9 and 3; the first, second and fifth have code.
UPVOTES = {"2511.00101": 212, "2511.00102": 57, "2511.00103": 50, "2511.00104": 9}
UPVOTES["2511.00105"] = 3


@pytest.fixture(scope="module")
def signals_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signals")
    Library(root).import_digests([SIGNALS])
    return root


@pytest.fixture
def signals_lib(signals_dir: Path) -> Library:
    return Library(signals_dir)


def by_upvotes(test: object) -> set[str]:
    return {pid for pid, n in UPVOTES.items() if test(n)}  # type: ignore[operator]


def test_the_daily_papers_json_keeps_every_signal() -> None:
    report = read_digest(SIGNALS.read_bytes(), SIGNALS.name)
    first, _, retrieval, benchmark, _ = report.papers
    assert (first.upvotes, first.hf_comment_count, first.github_stars) == (212, 14, 1843)
    assert first.github_repo == "https://github.com/example/ldt-scale"
    assert first.project_page == "https://ldt-scale.github.io"
    assert first.ai_summary.startswith("Scaling latent diffusion transformers to 10B")
    assert first.keywords == ("diffusion", "scaling laws")
    assert retrieval.github_repo == "" and retrieval.github_stars is None
    assert retrieval.hf_comment_count == 0 and retrieval.project_page == "https://smore.example.org"
    assert benchmark.ai_summary == "" and benchmark.project_page == ""


def test_merging_keeps_the_highest_counts_and_fills_gaps() -> None:
    older = Paper(
        id="2511.1", title="T", upvotes=10, hf_comment_count=2, github_stars=5, ai_summary="x"
    )
    newer = Paper(
        id="2511.1", title="T", upvotes=40, hf_comment_count=1, github_repo="https://github.com/a/b"
    )
    merged = merge_papers(older, newer)
    assert (merged.upvotes, merged.hf_comment_count, merged.github_stars) == (40, 2, 5)
    assert merged.github_repo == "https://github.com/a/b" and merged.ai_summary == "x"


def test_has_code_finds_the_papers_with_a_github_repo(signals_lib: Library) -> None:
    with_code = {"2511.00101", "2511.00102", "2511.00105"}
    assert ids(signals_lib, "has:code") == with_code
    assert ids(signals_lib, "HAS:Code") == with_code
    assert ids(signals_lib, "NOT has:code") == set(UPVOTES) - with_code
    assert ids(signals_lib, "has:code dexterous manipulation") == {"2511.00105"}
    assert ids(signals_lib, "has:project") == {"2511.00101", "2511.00103"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("upvotes:>=50", by_upvotes(lambda n: n >= 50)),
        ("upvotes:>50", by_upvotes(lambda n: n > 50)),
        ("upvotes:<9", by_upvotes(lambda n: n < 9)),
        ("upvotes:<=9", by_upvotes(lambda n: n <= 9)),
        ("upvotes:=57", {"2511.00102"}),
        ("upvotes:57", {"2511.00102"}),
        ("upvotes:[9 to 57]", by_upvotes(lambda n: 9 <= n <= 57)),
        ("upvotes:[50 TO]", by_upvotes(lambda n: n >= 50)),
        ("upvotes:{9 to 57}", by_upvotes(lambda n: 9 < n < 57)),
        ("upvotes:>=50 has:code", {"2511.00101", "2511.00102"}),
        ("upvotes:>=50 diffusion", {"2511.00101", "2511.00102"}),
    ],
)
def test_upvotes_compare_and_range(signals_lib: Library, text: str, expected: set[str]) -> None:
    assert ids(signals_lib, text) == expected


def test_a_paper_without_upvotes_is_outside_every_upvotes_term(lib: Library) -> None:
    """The text digest has no upvotes: `upvotes:<5` does not mean "unknown"."""
    assert lib.count() > 0 and ids(lib, "upvotes:<5") == set()
    with_code = {p.id for p in lib.listing() if any(link.label == "code" for link in p.links)}
    assert ids(lib, "has:code") == with_code  # their abstracts link to their code


def test_show_prints_the_signals_and_json_has_them(
    cli_run: InProcessCli, signals_dir: Path
) -> None:
    shown = cli_run("show", "2511.00101", data_dir=signals_dir)
    assert shown.returncode == 0
    assert "▲ 212 upvotes · 14 comments · 1,843 GitHub stars" in shown.stdout
    assert "code: https://github.com/example/ldt-scale" in shown.stdout
    assert "AI summary: Scaling latent diffusion" in shown.stdout
    (record,) = json.loads(cli_run("show", "2511.00103", "--json", data_dir=signals_dir).stdout)
    assert record["upvotes"] == 50 and record["hf_comment_count"] == 0 and "comments" not in record
    assert record["github_repo"] is None and record["github_stars"] is None
    assert record["project_page"] == "https://smore.example.org"
    assert record["keywords"] == ["retrieval", "mixture of experts"]


def test_the_csv_export_has_the_signals(cli_run: InProcessCli, signals_dir: Path) -> None:
    out = cli_run("export", "--format", "csv", data_dir=signals_dir).stdout
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows["2511.00101"]["github_stars"] == "1843"
    assert rows["2511.00104"]["upvotes"] == "9" and rows["2511.00104"]["github_repo"] == ""


def test_the_detail_pane_shows_the_signals(signals_lib: Library) -> None:
    paper = signals_lib.get("2511.00102")
    assert paper is not None
    console = Console(width=100, record=True)
    console.print(render_detail(DetailView(paper=paper)))
    text = console.export_text()
    assert "▲ 57 upvotes · 3 comments · 96 GitHub stars" in text
    assert "AI summary: Four-step video generation" in text
    assert "code: https://github.com/example/cd-video" in text


def test_has_code_finds_a_paper_whose_text_links_to_a_repository(tmp_path: Path) -> None:
    from paperdeck.index.library import Library

    lib = Library(tmp_path)
    lib.import_bytes(
        b"Mar 13, 2026\n\nA Tool With Code\n\nWe release it at https://github.com/x/tool"
        b" for everyone to use and build on.\n\nA Tool Without\n\nNothing is released"
        b" here, only words about the method and its results.\n",
        "page.txt",
    )
    assert [hit.paper.title for hit in lib.query("has:code").hits] == ["A Tool With Code"]
