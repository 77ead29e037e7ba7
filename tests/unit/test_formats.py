"""Every digest format parses into the expected papers; sniffing and --format choose readers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from paperdeck.index.digest import read_digest, sniff_format
from paperdeck.index.errors import DigestError
from paperdeck.index.library import Library

from tests.support import FIXTURES, InProcessCli, hits


def read(name: str, **kwargs):
    return read_digest((FIXTURES / name).read_bytes(), name, **kwargs)


def test_hf_daily_json_keeps_ids_authors_upvotes_and_links() -> None:
    report = read("hf-daily-edge.json")
    assert report.format == "hf-json"
    nv, solver = report.papers[0], report.papers[1]
    assert nv.id == nv.arxiv_id == "2405.17428"
    assert nv.authors == ("Chankyu Lee", "Wei Ping")
    assert nv.upvotes == 25 and nv.keywords == ("embedding", "contrastive")
    assert nv.date == dt.date(2024, 5, 28)  # the day it was listed, not submitted
    urls = [link.url for link in nv.links]
    assert urls[:3] == [
        "https://arxiv.org/abs/2405.17428",
        "https://huggingface.co/papers/2405.17428",
        "https://arxiv.org/pdf/2405.17428",
    ]
    assert "https://example.org/nv-embed" in urls
    assert "https://huggingface.co/nvidia/NV-Embed-v1" in urls
    assert solver.id == "2401.00001"  # version suffix dropped
    # JSON text is plain: an entity in it is what the API said, not markup to decode
    assert solver.title == r"Fast Schrödinger Solvers in $\mathcal{O}(n \log n)$ &amp; Beyond"
    assert solver.abstract == "" and solver.authors == () and solver.upvotes is None


def test_hf_json_edge_items_are_skipped_with_reasons() -> None:
    report = read("hf-daily-edge.json")
    assert len(report.papers) == 3  # the duplicate is merged later, by the library
    reasons = [s.describe() for s in report.skipped]
    assert len(reasons) == 3 and all(r.startswith("item ") for r in reasons)


def test_hf_search_endpoint_shape() -> None:
    (paper,) = read("hf-search.json").papers
    assert paper.title.startswith("Mamba: Linear-Time")
    assert paper.authors == ("Albert Gu", "Tri Dao")
    assert ("https://github.com/state-spaces/mamba", "code") in [
        (x.url, x.label) for x in paper.links
    ]


def test_arxiv_atom() -> None:
    report = read("arxiv-atom.xml")
    assert report.format == "arxiv-atom"
    mamba, godel = report.papers
    assert mamba.id == "2312.00752"
    assert mamba.title == "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    assert (
        mamba.abstract.startswith("Foundation models, now powering") and "\n" not in mamba.abstract
    )
    assert mamba.date == dt.date(2023, 12, 1) and mamba.categories == ("cs.LG", "cs.AI")
    assert godel.id == "hep-th/9901001"
    assert godel.title == r"On the $\mathcal{N}=4$ Super Yang--Mills Theory of Gödel"
    assert godel.authors == ("Kurt Gödel",) and godel.abstract == "We study things & more things."
    assert [s.reason for s in report.skipped] == ["entry without a title"]


def test_arxiv_api_error_feed_is_refused() -> None:
    with pytest.raises(DigestError, match=r"arxiv-api-error\.xml: no papers found"):
        read("arxiv-api-error.xml")


def test_arxiv_rss_and_rdf() -> None:
    rnn, yi = read("arxiv-rss.xml").papers
    assert rnn.id == "2405.13956" and rnn.title == "Attention as an RNN"
    assert rnn.abstract.startswith("The advent of Transformers") and "<b>" not in rnn.abstract
    assert rnn.authors == ("Leo Feng", "Frederick Tung", "Hossein Hajimirsadeghi")
    assert rnn.date == dt.date(2024, 5, 23) and rnn.categories == ("cs.LG", "cs.CL")
    assert yi.id == "2403.04652"
    (zero,) = read("arxiv-rdf.xml").papers
    assert (
        zero.title == "ZeRO-Infinity: Breaking the GPU Memory Wall for Extreme Scale Deep Learning."
    )
    assert zero.authors == ("Samyam Rajbhandari", "Olatunji Ruwase")
    assert zero.abstract.startswith("In the last three years")


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("[]", "hf-json"),
        ('\n {"papers": []}', "hf-json"),
        ("<?xml?><feed>", "arxiv-atom"),
        ("<rss version='2.0'>", "arxiv-rss"),
        ("Mar 13\n\nTitle", "hf-text"),
    ],
)
def test_sniffing(text: str, fmt: str) -> None:
    assert sniff_format(text) == fmt


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[{]", "not valid JSON"),
        (b"<feed><entry>", "not well-formed XML"),
        (b'{"a": 1}', "no papers found"),
        (b"<svg></svg>", "neither an Atom nor an RSS feed"),
    ],
)
def test_broken_input_names_the_file_and_the_problem(data: bytes, message: str) -> None:
    with pytest.raises(DigestError, match=message) as caught:
        read_digest(data, "feed.dat")
    assert str(caught.value).startswith("feed.dat: ")


def test_format_override(cli_run: InProcessCli, tmp_path: Path) -> None:
    text_as_json = tmp_path / "odd.txt"
    text_as_json.write_bytes((FIXTURES / "hf-search.json").read_bytes())
    with pytest.raises(DigestError, match="not valid JSON"):
        read_digest(b"Mar 13\n\nA title\n\nAn abstract. " * 3, "x", fmt="hf-json")
    result = cli_run("import", "--format", "hf-json", str(text_as_json), data_dir=tmp_path / "lib")
    assert result.returncode == 0 and "1 paper (1 new)" in result.stdout


def test_text_and_json_of_the_same_papers_merge(tmp_path: Path, sample_path: Path) -> None:
    lib = Library(tmp_path)
    (text_report,) = lib.import_digests([sample_path])
    (json_report,) = lib.import_digests([FIXTURES / "hf-daily-2026-03-13.json"])
    assert text_report.new == 65 and json_report.new == 0
    papers = lib.listing()
    assert len(papers) == 65
    assert all(p.arxiv_id and p.url == f"https://arxiv.org/abs/{p.arxiv_id}" for p in papers)
    assert sorted(row.id for row in lib.browse("").rows) == sorted(p.id for p in papers)
    assert all(len(p.sources) == 2 for p in papers)
    assert not any("papers?q=" in link.url for p in papers for link in p.links)
    disgan = hits(lib, "wavelet discriminator")[0].paper
    assert disgan.title.startswith("DISGAN") and disgan.authors


def test_merge_works_in_either_order_and_survives_a_rebuild(
    tmp_path: Path, sample_path: Path
) -> None:
    lib = Library(tmp_path)
    lib.import_digests([FIXTURES / "hf-daily-2026-03-13.json", sample_path])
    assert lib.count() == 65
    assert lib.rebuild() == 65
    assert all(p.arxiv_id for p in lib.listing())


def test_digests_and_remove_digest(
    cli_run: InProcessCli, tmp_path: Path, sample_path: Path
) -> None:
    data = tmp_path / "lib"
    cli_run("import", str(sample_path), str(FIXTURES / "hf-search.json"), data_dir=data)
    listed = cli_run("digests", data_dir=data).stdout
    assert "hf-papers-sample.txt" in listed and "hf-search.json" in listed
    mamba = json.loads(cli_run("search", "selective state spaces", "--json", data_dir=data).stdout)
    assert cli_run("bookmark", "add", mamba[0]["id"], data_dir=data).returncode == 0
    result = cli_run("remove-digest", "hf-search.json", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(cli_run("list", "--json", data_dir=data).stdout)) == 65
    marks = json.loads(cli_run("bookmarks", "--json", data_dir=data).stdout)
    assert [m["title"] for m in marks] == [mamba[0]["title"]]  # the bookmark stays
    missing = cli_run("remove-digest", "nope.txt", data_dir=data)
    assert missing.returncode == 2 and "no digest named 'nope.txt'" in missing.stderr


def test_new_since_last_opened(tmp_path: Path, sample_path: Path) -> None:
    lib = Library(tmp_path)
    lib.import_digests([sample_path])
    assert lib.mark_opened() is None
    assert hits(lib, "is:new") == []
    lib.import_digests([FIXTURES / "hf-search.json"])
    again = Library(tmp_path)
    assert again.mark_opened() is not None
    new = [h.paper.title for h in hits(again, "is:new")]
    assert len(new) == 1 and new[0].startswith("Mamba")
    assert again.is_new(hits(again, "is:new")[0].paper)


def read_toy_tsv(text: str, name: str, today: dt.date | None = None) -> tuple[list, list]:
    """A format made up for the test below: `title<TAB>abstract` lines after a header."""
    from paperdeck.index.digest.build import make_paper

    rows = [line.split("\t") for line in text.splitlines()[1:] if "\t" in line]
    papers = [
        make_paper(title=title, abstract=abstract, source=name, markup=False)
        for title, abstract in rows
    ]
    return [p for p in papers if p is not None], []


def test_a_new_format_is_one_row_of_the_format_table(monkeypatch) -> None:
    """How ARCHITECTURE.md says a digest format is added: a reader function and one row."""
    from paperdeck.index import digest

    toy = digest.Format(
        "toy-tsv", __name__, "read_toy_tsv", lambda head, _: head.startswith("title\t")
    )
    monkeypatch.setattr(digest, "FORMAT_TABLE", (toy, *digest.FORMAT_TABLE))
    monkeypatch.setattr(digest, "FORMATS", ("toy-tsv", *digest.FORMATS))
    data = b"title\tabstract\nA toy paper\tIts toy abstract.\n"
    report = read_digest(data, "toy.tsv", today=dt.date(2026, 3, 13))
    assert report.format == "toy-tsv"
    assert [p.title for p in report.papers] == ["A toy paper"]
