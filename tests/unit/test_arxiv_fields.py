"""What arXiv says about a paper (comments, journal-ref, DOI, categories, versions ...) is kept."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from paperdeck.index.digest.arxiv import read_arxiv_atom, read_arxiv_rss, split_creators
from paperdeck.index.library import Library
from paperdeck.index.models import Paper
from paperdeck.tui.widgets.paper_detail import DetailView, render_detail
from rich.console import Console

from tests.support import REAL, InProcessCli, ids


def test_arxiv_fields_survive_a_store_round_trip() -> None:
    paper = Paper(
        id="2405.00001",
        title="T",
        arxiv_comments="12 pages, accepted at NeurIPS 2024",
        journal_ref="Phys. Rev. D 76, 013009 (2007)",
        doi="10.1103/PhysRevD.76.013009",
        report_no="ANL-HEP-PR-07-12",
        license="http://creativecommons.org/licenses/by/4.0/",
        primary_category="hep-ph",
        categories=("hep-ph", "cs.CL"),
        version=3,
        submitted="2007-04-02",
        revised="2008-11-13",
        affiliations=("LORIA, CNRS", ""),
        submitter="Pavel Nadolsky",
        announce_type="replace",
        name_parts=(("Balázs", "C.", ""), ("Evans", "Neal J.", "II")),
        hf_comment_count=4,
    )
    assert Paper.from_dict(paper.to_dict()) == paper


def test_a_record_stored_before_the_rename_keeps_its_hugging_face_comment_count() -> None:
    old = {"id": "2405.00001", "title": "T", "comments": 14, "keywords": ["diffusion"]}
    paper = Paper.from_dict(old)
    assert paper.hf_comment_count == 14 and paper.arxiv_comments == ""
    assert paper.keywords == ("diffusion",) and paper.categories == () and paper.version is None


# -- reading, showing, exporting and searching them (the real files in tests/fixtures/real) --

SNAPSHOT = REAL / "arxiv-snapshot-first-150.jsonl"
ATOM_OLD = REAL / "arxiv-api-2016-au-del-maestro.xml"
ATOM_AFFILIATIONS = REAL / "arxiv-api-2026-id-astro-ph-0601001.xml"


@pytest.fixture(scope="module")
def real_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("real") / "library"
    Library(data_dir).import_digests([SNAPSHOT, ATOM_OLD, ATOM_AFFILIATIONS])
    return data_dir


@pytest.fixture(scope="module")
def real_lib(real_dir: Path) -> Library:
    return Library(real_dir)


def test_cat_finds_primary_and_cross_listed_categories_and_whole_archives(
    real_lib: Library,
) -> None:
    # 0704.0002 is math.CO (primary) and cs.CG (cross-listed)
    assert "0704.0002" in ids(real_lib, "cat:math.CO")
    assert ids(real_lib, "cat:cs.CG") == {"0704.0002"} == ids(real_lib, "cat:CS.cg")
    archive = ids(real_lib, "cat:math.")
    assert {"0704.0002", "0704.0005", "0704.0019"} <= archive
    assert all(
        any(c.startswith("math.") for c in real_lib.get(pid).categories)  # type: ignore[union-attr]
        for pid in archive
    )
    assert "0704.0001" not in archive  # hep-ph


def test_doi_journal_and_comments_are_searchable(real_lib: Library) -> None:
    assert ids(real_lib, "doi:10.1103/PhysRevD.76.013009") == {"0704.0001"}
    with_doi = ids(real_lib, "has:doi")
    assert {"0704.0001", "0704.0006", "1201.4869"} <= with_doi and "0704.0002" not in with_doi
    published = ids(real_lib, "has:journal")
    assert "0704.0005" in published and "0704.0006" not in published  # a DOI, no journal-ref
    assert "astro-ph/0601001" in ids(real_lib, "comments:acta")
    assert "0704.0001" in ids(real_lib, "comments:published cat:hep-ph")


def test_show_prints_what_arxiv_says(cli_run: InProcessCli, real_dir: Path) -> None:
    out = cli_run("show", "0704.0001", data_dir=real_dir).stdout
    assert "categories: hep-ph (primary)" in out
    assert "version: v2 · submitted 2007-04-02 · revised 2007-07-24" in out
    assert "comments: 37 pages, 15 figures; published version" in out
    assert "journal: Phys.Rev.D76:013009,2007" in out
    assert "DOI: 10.1103/PhysRevD.76.013009" in out and "report: ANL-HEP-PR-07-12" in out
    assert "submitter: Pavel Nadolsky" in out and "keywords:" not in out
    out = cli_run("show", "astro-ph/0601001", data_dir=real_dir).stdout
    assert "authors: Andrew Gould (Ohio State), Susan Dorsher (Ohio State), B. Scott" in out


def test_show_json_and_the_json_export_name_both_comments_apart(
    cli_run: InProcessCli, real_dir: Path
) -> None:
    shown = json.loads(cli_run("show", "0704.0002", "--json", data_dir=real_dir).stdout)[0]
    assert shown["arxiv_comments"] == "To appear in Graphs and Combinatorics"
    assert shown["hf_comment_count"] is None and "comments" not in shown
    assert shown["categories"] == ["math.CO", "cs.CG"] and shown["primary_category"] == "math.CO"
    assert (shown["version"], shown["submitted"], shown["revised"]) == (
        2,
        "2007-03-31",
        "2008-12-13",
    )
    assert shown["license"] == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert shown["name_parts"] == [["Streinu", "Ileana", ""], ["Theran", "Louis", ""]]
    exported = json.loads(cli_run("export", "--format", "json", data_dir=real_dir).stdout)
    record = next(r for r in exported if r["id"] == "0704.0001")
    assert record["doi"] == "10.1103/PhysRevD.76.013009"
    assert record["journal_ref"] == "Phys.Rev.D76:013009,2007"
    assert record["report_no"] == "ANL-HEP-PR-07-12" and record["submitter"] == "Pavel Nadolsky"


def test_the_csv_export_has_arxiv_columns(cli_run: InProcessCli, real_dir: Path) -> None:
    out = cli_run("export", "--format", "csv", data_dir=real_dir).stdout
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows["0704.0002"]["categories"] == "math.CO cs.CG"
    assert rows["0704.0001"]["doi"] == "10.1103/PhysRevD.76.013009"
    assert rows["0704.0001"]["version"] == "2" and "hf_comment_count" in rows["0704.0001"]


def test_the_detail_pane_shows_what_arxiv_says(real_lib: Library) -> None:
    paper = real_lib.get("astro-ph/0601001")
    assert paper is not None
    console = Console(width=200, record=True)
    console.print(render_detail(DetailView(paper=paper)))
    text = console.export_text()
    assert "Andrew Gould (Ohio State), Susan Dorsher (Ohio State)" in text
    assert "categories: astro-ph (primary)" in text
    assert "journal: ActaAstron.56:1-50,2006" in text
    assert "comments: 62 pages including 16 figures" in text


# -- RSS creators and Atom categories (synthetic examples of the forms arXiv uses) --------


def test_rss_creators_split_at_top_level_commas_and_and_only() -> None:
    assert split_creators("Alexandre Benoist (LORIA, CNRS), Jane Doe and John Smith") == [
        ("Alexandre Benoist", "LORIA, CNRS"),
        ("Jane Doe", ""),
        ("John Smith", ""),
    ]
    assert split_creators("A. Author (MIT and Harvard), B. Author") == [
        ("A. Author", "MIT and Harvard"),
        ("B. Author", ""),
    ]


SYNTHETIC_RSS = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
 version="2.0"><channel><title>synthetic</title>
<item><title>A synthetic replaced paper</title><link>https://arxiv.org/abs/2101.00001</link>
<description>arXiv:2101.00001v3 Announce Type: replace
Abstract: Synthetic.</description><guid isPermaLink="false">oai:arXiv.org:2101.00001v3</guid>
<category>cs.CL</category><category>cs.LG</category>
<arxiv:announce_type>replace</arxiv:announce_type>
<dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
<dc:creator>Alexandre Benoist (LORIA, CNRS), Jane Doe</dc:creator></item>
</channel></rss>"""


def test_an_rss_item_keeps_authors_affiliations_announce_type_and_version() -> None:
    papers, _ = read_arxiv_rss(SYNTHETIC_RSS, "synthetic-rss.xml")
    paper = papers[0]
    assert paper.authors == ("Alexandre Benoist", "Jane Doe")
    assert paper.affiliations == ("LORIA, CNRS", "")
    assert (paper.announce_type, paper.version) == ("replace", 3)
    assert paper.categories == ("cs.CL", "cs.LG")
    assert paper.license == "http://creativecommons.org/licenses/by/4.0/"


SYNTHETIC_ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"
 xmlns:arxiv="http://arxiv.org/schemas/atom"><entry>
<id>http://arxiv.org/abs/0801.00001v2</id><title>Synthetic</title>
<published>2008-01-01T00:00:00Z</published><updated>2008-02-01T00:00:00Z</updated>
<arxiv:primary_category term="math.PR"/><category term="math.PR"/>
<category term="60J10 (Primary) 60K35 (Secondary)"/><category term="I.2.7"/>
<category term="stat.ML"/><author><name>A. Author</name></author></entry></feed>"""


def test_an_msc_or_acm_class_in_atom_is_not_a_category() -> None:
    papers, _ = read_arxiv_atom(SYNTHETIC_ATOM, "synthetic-atom.xml")
    assert papers[0].categories == ("math.PR", "stat.ML")
    assert (papers[0].version, papers[0].revised) == (2, "2008-02-01")


# -- one paper from two digests; an old library ---------------------------------------------


def test_merging_keeps_both_sides_fields_and_the_newer_version_wins() -> None:
    from paperdeck.index.catalog import merge_papers

    hf = Paper(id="0704.0001", title="T", arxiv_id="0704.0001", hf_comment_count=3, upvotes=9)
    v1 = Paper(
        id="0704.0001",
        title="T",
        arxiv_id="0704.0001",
        version=1,
        submitted="2007-04-02",
        revised="2007-04-02",
        arxiv_comments="30 pages",
        categories=("hep-ph",),
        report_no="ANL-HEP-PR-07-12",
    )
    v2 = v1.with_changes(
        version=2, revised="2007-07-24", arxiv_comments="37 pages; published version", report_no=""
    )
    for first, second in ((hf, v2), (v2, hf)):
        merged = merge_papers(first, second)
        assert (merged.hf_comment_count, merged.upvotes, merged.version) == (3, 9, 2)
        assert merged.arxiv_comments == "37 pages; published version"
    for first, second in ((v1, v2), (v2, v1)):  # the order of imports does not matter
        merged = merge_papers(first, second)
        assert (merged.version, merged.revised, merged.submitted) == (2, "2007-07-24", "2007-04-02")
        assert merged.arxiv_comments == "37 pages; published version"
        assert merged.report_no == "ANL-HEP-PR-07-12"  # a gap in the newer one is filled


def test_a_library_of_the_old_schema_gets_the_new_fields_by_one_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library indexed by a paperdeck that dropped arXiv's fields (schema 11, its readers
    simulated here by fields that read as empty) rebuilds once and then has them."""
    from paperdeck.index.digest import build
    from paperdeck.index.engine import meta

    data_dir = tmp_path / "library"
    with monkeypatch.context() as old:
        old.setattr(build.ArxivFields, "fields", lambda self: build.NO_ARXIV)
        old.setattr(meta, "SCHEMA_VERSION", 11)
        Library(data_dir).import_digests([SNAPSHOT])
        assert Library(data_dir).get("0704.0001").doi == ""  # type: ignore[union-attr]
    lib = Library(data_dir)
    assert ids(lib, "doi:10.1103/PhysRevD.76.013009") == {"0704.0001"}
    assert lib.get("0704.0001").journal_ref == "Phys.Rev.D76:013009,2007"  # type: ignore[union-attr]
    notices = lib.take_notices()
    assert len(notices) == 1 and "rebuilt" in notices[0]
    assert Library(data_dir).take_notices() == []
