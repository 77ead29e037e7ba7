"""Exports parse back with real parsers and match the library."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import bibtexparser
from paperdeck.index.bibliography import bibtex_entry
from paperdeck.index.export import to_bibtex, to_csv, to_json, to_markdown
from paperdeck.index.library import Library
from paperdeck.index.links import links_for
from paperdeck.index.models import Paper

from tests.support import FIXTURES, InProcessCli, hits


def test_bibtex_of_the_whole_sample_parses_with_unique_keys(lib: Library) -> None:
    papers = lib.listing()
    parsed = bibtexparser.parse_string(to_bibtex(papers))
    assert not parsed.failed_blocks
    keys = [entry.key for entry in parsed.entries]
    assert len(keys) == 65 and len(set(keys)) == 65
    titles = {entry.fields_dict["title"].value.strip("{}") for entry in parsed.entries}
    assert "A Survey of Mamba" in titles


def test_bibtex_escapes_specials_and_uses_eprint_for_arxiv() -> None:
    paper = Paper(
        id="2405.17428",
        title="50% of {Braces} & $x_1$ #1",
        authors=("Ana Núñez", "Bo Li"),
        arxiv_id="2405.17428",
        date=dt.date(2024, 5, 27),
        links=links_for("t", "2405.17428", ""),
    )
    entry = bibtexparser.parse_string(bibtex_entry(paper)).entries[0]
    fields = {name: f.value for name, f in entry.fields_dict.items()}
    assert entry.entry_type == "misc"
    assert fields["eprint"] == "2405.17428" and fields["archivePrefix"] == "arXiv"
    # the math stays math; balanced braces are the title's LaTeX grouping and stay braces
    assert fields["title"] == r"{50\% of {Braces} \& $x_1$ \#1}"
    lone = bibtexparser.parse_string(bibtex_entry(paper.with_changes(title="a } b {"))).entries
    assert lone[0].fields_dict["title"].value == r"{a \} b \{}"  # a lone brace is text
    assert fields["author"] == "Núñez, Ana and Li, Bo"
    assert entry.key == "nunez2024braces"


def test_csv_and_json_round_trip(lib: Library) -> None:
    papers = lib.listing()
    marks = {papers[0].id}
    rows = list(csv.DictReader(io.StringIO(to_csv(papers, marks))))
    assert [r["title"] for r in rows] == [p.title for p in papers]
    assert rows[0]["bookmarked"] == "yes" and rows[1]["bookmarked"] == "no"
    assert rows[0]["abstract"] == papers[0].abstract
    records = json.loads(to_json(papers, marks))
    assert [r["id"] for r in records] == [p.id for p in papers]
    assert records[0]["date"] == papers[0].date.isoformat()


def test_markdown_is_a_readable_list_of_links(lib: Library) -> None:
    text = to_markdown(lib.listing()[:2])
    assert text.startswith("# Papers")
    assert "- [DISGAN: Wavelet-informed" in text and "](https://huggingface.co/papers?q=" in text


def test_cli_export_of_bookmarks_to_a_file(
    cli_run: InProcessCli, sample_dir: Path, tmp_path: Path
) -> None:
    first = json.loads(cli_run("search", "mamba", "--json", data_dir=sample_dir).stdout)[0]
    assert cli_run("bookmark", "add", first["id"], data_dir=sample_dir).returncode == 0
    target = tmp_path / "marks.bib"
    result = cli_run(
        "export", "--format", "bibtex", "--bookmarked", "-o", str(target), data_dir=sample_dir
    )
    assert result.returncode == 0, result.stderr
    entries = bibtexparser.parse_string(target.read_text()).entries
    assert [e.fields_dict["title"].value for e in entries] == ["{A Survey of Mamba}"]


def test_cli_bookmark_commands(cli_run: InProcessCli, sample_dir: Path) -> None:
    ids = [r["id"] for r in json.loads(cli_run("list", "--json", data_dir=sample_dir).stdout)]
    assert cli_run("bookmark", "add", ids[0], ids[1], data_dir=sample_dir).returncode == 0
    marks = json.loads(cli_run("bookmarks", "--json", data_dir=sample_dir).stdout)
    assert {m["id"] for m in marks} == {ids[0], ids[1]} and all(m["bookmarked"] for m in marks)
    listed = cli_run("list", "--bookmarked", data_dir=sample_dir).stdout.splitlines()
    assert len(listed) == 2 and all(line.startswith("* ") for line in listed)
    bad = cli_run("bookmark", "add", "t-nope", data_dir=sample_dir)
    assert bad.returncode == 1 and "no paper with id" in bad.stderr
    assert cli_run("bookmark", "remove", ids[0], data_dir=sample_dir).returncode == 0
    marks = json.loads(cli_run("bookmarks", "--json", data_dir=sample_dir).stdout)
    assert [m["id"] for m in marks] == [ids[1]]


def test_markdown_of_bookmarks_is_headed_so_and_carries_tags_and_notes(lib: Library) -> None:
    paper = hits(lib, "mamba")[0].paper
    lib.add_bookmarks([paper.id])
    lib.tag_bookmark(paper.id, ["to read"])
    lib.note_bookmark(paper.id, "first\nsecond line")
    marks = {m.paper_id: m for m in lib.bookmark_list()}
    text = to_markdown([paper], marks, "Bookmarks")
    assert text.splitlines()[0] == "# Bookmarks"
    assert text.endswith("  - tags: `to-read`\n  - note: first second line\n")
    assert "tags" not in to_markdown([paper])


def parsed_fields(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1
    return {name: f.value for name, f in library.entries[0].fields_dict.items()}


def test_a_year_from_a_digest_page_is_not_given_as_the_publication_year() -> None:
    paper = Paper(id="t-1", title="Deep Things", date=dt.date(2026, 3, 13))
    fields = parsed_fields(bibtex_entry(paper))
    assert fields["note"] == "date from the digest page (2026-03-13), not the publication"
    assert fields["year"] == "2026"


def test_an_arxiv_id_gives_the_publication_year_and_month() -> None:
    listed = dt.date(2026, 3, 13)  # the day a digest listed it, two years on
    paper = Paper(id="2405.17428", title="Deep Things", date=listed, arxiv_id="2405.17428")
    fields = parsed_fields(bibtex_entry(paper))
    assert fields["year"] == "2024" and fields["month"] == "may" and "note" not in fields
    old = Paper(id="hep-th/9901001", title="Strings", arxiv_id="hep-th/9901001", date=listed)
    assert parsed_fields(bibtex_entry(old))["year"] == "1999"


def test_bookmarks_export_with_the_authors_a_later_digest_brought(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    disgan = json.loads(cli_run("search", "DISGAN", "--json", data_dir=sample_dir).stdout)[0]
    assert disgan["authors"] == [] and disgan["arxiv_id"] is None
    cli_run("bookmark", "add", disgan["id"], data_dir=sample_dir)
    later = FIXTURES / "hf-daily-2026-03-13.json"
    assert cli_run("import", str(later), data_dir=sample_dir).returncode == 0
    result = cli_run("export", "--format", "bibtex", "--bookmarked", data_dir=sample_dir)
    assert result.returncode == 0, result.stderr
    fields = parsed_fields(result.stdout)
    assert fields["author"] == "Example, Author A."
    assert fields["eprint"] == "2403.10000" and fields["year"] == "2024" and "note" not in fields
    rows = cli_run("export", "--format", "csv", "--bookmarked", data_dir=sample_dir).stdout
    assert next(csv.DictReader(io.StringIO(rows)))["bookmarked"] == "yes"


def test_json_and_csv_exports_carry_a_bookmarks_tags_and_note(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    first = json.loads(cli_run("search", "mamba", "--json", data_dir=sample_dir).stdout)[0]
    assert cli_run("bookmark", "add", first["id"], data_dir=sample_dir).returncode == 0
    assert cli_run("bookmark", "tag", first["id"], "To Read", data_dir=sample_dir).returncode == 0
    assert cli_run("bookmark", "note", first["id"], "ask Ana", data_dir=sample_dir).returncode == 0
    exported = cli_run("export", "--format", "json", "--bookmarked", data_dir=sample_dir).stdout
    assert [(r["tags"], r["note"]) for r in json.loads(exported)] == [(["to-read"], "ask Ana")]
    rows = cli_run("export", "--format", "csv", data_dir=sample_dir).stdout
    marked = [r for r in csv.DictReader(io.StringIO(rows)) if r["bookmarked"] == "yes"]
    assert [(r["tags"], r["note"]) for r in marked] == [("to-read", "ask Ana")]
