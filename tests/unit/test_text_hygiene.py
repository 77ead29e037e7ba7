"""Text is what the paper says: comparisons and math survive, LaTeX letters decode whole,
markup goes only where a format carries it (issue 20 items 3 and 4)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from paperdeck.index.clean import clean_text, decode_latex_accents, squash_whitespace
from paperdeck.index.digest import read_digest
from paperdeck.index.library import Library

from tests.support import REAL, InProcessCli, hits

SNAPSHOT = REAL / "arxiv-snapshot-first-150.jsonl"
ATOM_FILES = sorted(REAL.glob("arxiv-api-*.xml"))
TODAY = dt.date(2026, 12, 7)


def _records() -> list[dict[str, object]]:
    return [json.loads(line) for line in SNAPSHOT.read_text().splitlines() if line.strip()]


def test_comparisons_in_real_snapshot_abstracts_survive() -> None:
    """The Kaggle snapshot's abstracts are plain text: every `<` and `>` is kept."""
    papers = {p.arxiv_id: p for p in read_digest(SNAPSHOT.read_bytes(), "s.json").papers}
    compared = 0
    for record in _records():
        raw = str(record["abstract"])
        if "<" in raw or ">" in raw:
            paper = papers[str(record["id"])]
            assert paper.abstract.count("<") == raw.count("<"), record["id"]
            assert paper.abstract.count(">") == raw.count(">"), record["id"]
            if "\\" not in raw:  # nothing to decode: the text is the record's, unwrapped
                assert paper.abstract == squash_whitespace(raw)
            compared += 1
    assert compared >= 10
    joined = " ".join(squash_whitespace(p.abstract) for p in papers.values())
    assert "Lambda - d Lambda < k < Lambda, where d Lambda -> 0" in joined
    assert "(b) J1, J3<0, J2>0 (frustrated)" in joined


def test_comparisons_in_real_atom_summaries_survive() -> None:
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    for path in ATOM_FILES:
        papers = read_digest(path.read_bytes(), path.name).papers
        summaries = [
            squash_whitespace(e.findtext("a:summary", "", ns))
            for e in ET.parse(path).getroot().findall("a:entry", ns)
        ]
        for paper, summary in zip(papers, summaries, strict=True):
            assert paper.abstract.count("<") == summary.count("<"), path.name
            if "\\" not in summary and "&" not in summary:
                assert paper.abstract == summary, path.name


RDF_WITH_HTML = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://arxiv.org/"><title>hep-th updates on arXiv.org</title></channel>
<item rdf:about="http://arxiv.org/abs/2104.00001">
<title>A synthetic item (arXiv:2104.00001v1 [hep-th])</title>
<link>http://arxiv.org/abs/2104.00001</link>
<description>&lt;p&gt;For J3&lt;0, J2&gt;0 and a &amp;lt; b we find
&lt;i&gt;order&lt;/i&gt;.&lt;/p&gt;</description>
<dc:creator>&lt;a href="http://arxiv.org/a/x"&gt;Tom\\'a\\v{s} Vina\\v{r}&lt;/a&gt;</dc:creator>
</item>
</rdf:RDF>
"""


def test_a_listing_in_html_loses_its_tags_and_nothing_else() -> None:
    """A synthetic RDF item whose description is HTML: tags go, comparisons stay."""
    (paper,) = read_digest(RDF_WITH_HTML.encode(), "rdf.xml", today=TODAY).papers
    assert paper.abstract == "For J3<0, J2>0 and a < b we find order."
    assert paper.authors == ("Tomáš Vinař",)


def test_real_snapshot_authors_decode_to_their_letters() -> None:
    papers = {p.arxiv_id: p for p in read_digest(SNAPSHOT.read_bytes(), "s.json").papers}
    names = {name for p in papers.values() for name in p.authors}
    for expected in ("Mikkel Øbro", "Tomáš Vinař", "Rastislav Šrámek", "Péter E. Frenkel"):
        assert expected in names
    assert not [n for n in names if "\\" in n or "{" in n or "}" in n]


def test_a_braced_letter_leaves_no_brace_and_is_found_without_its_accent(tmp_path: Path) -> None:
    """A synthetic snapshot line with the author string of a real arXiv listing."""
    record = {
        "id": "2608.05783",
        "title": "GROM: Gradient-Free Rapid One-Shot Machine Unlearning",
        "authors": "Pawe{\\l} Batorski, Przemys{\\l}aw Spurek, Paul Swoboda",
        "abstract": "Machine unlearning.",
        "categories": "cs.LG",
    }
    digest = tmp_path / "snapshot.json"
    digest.write_text(json.dumps(record) + "\n")
    lib = Library(tmp_path / "lib")
    lib.import_digests([digest])
    (hit,) = hits(lib, "author:Przemyslaw")
    assert hit.paper.authors == ("Paweł Batorski", "Przemysław Spurek", "Paul Swoboda")
    assert [h.paper.id for h in hits(lib, "author:Przemysław")] == ["2608.05783"]


# The forms arXiv's author strings use for one letter; `{}` stands for the letter's place.
MARKED = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
}
WORD_MARKED = {"c": "\u0327", "v": "\u030c", "H": "\u030b", "u": "\u0306", "k": "\u0328"}
LETTERS = {
    "l": "ł",
    "L": "Ł",
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "aa": "å",
    "AA": "Å",
    "i": "i",
}


@st.composite
def escaped_letter(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(LaTeX, the letter it stands for, whether the form may run into a following letter)."""
    kind = draw(st.sampled_from(["marked", "word", "letter"]))
    if kind == "letter":
        name = draw(st.sampled_from(sorted(LETTERS)))
        form = draw(st.sampled_from(["{\\N}", "\\N{}", "\\N"]))
        return form.replace("N", name), LETTERS[name], form != "\\N"
    base = draw(st.sampled_from("aeiouzgnscAEOSZ"))
    if kind == "marked":
        sym = draw(st.sampled_from(sorted(MARKED)))
        form = draw(st.sampled_from(["\\S{B}", "{\\SB}", "\\SB", "{\\S{B}}"]))
        mark = MARKED[sym]
    else:
        sym = draw(st.sampled_from(sorted(WORD_MARKED)))
        form = draw(st.sampled_from(["\\S{B}", "{\\S B}", "\\S B", "{\\S{B}}"]))
        mark = WORD_MARKED[sym]
    latex = form.replace("S", sym).replace("B", base)
    return latex, unicodedata.normalize("NFC", base + mark), True


@given(
    st.text("abcdefgh", max_size=4),
    escaped_letter(),
    st.sampled_from(["", "xyz", " Kowalski", ", J. Smith", ".", "-Nowak"]),
)
def test_every_latex_letter_form_gives_the_letter_and_nothing_else(
    before: str, escaped: tuple[str, str, bool], after: str
) -> None:
    latex, letter, runs_on = escaped
    if after[:1].isalpha() and not runs_on:
        latex += "{}"  # `\l` then a letter would be another command: LaTeX needs `{}` or ` `
    assert decode_latex_accents(before + latex + after) == before + letter + after


def test_math_and_other_commands_are_left_as_written() -> None:
    for text in (
        r"$\O(n \log n)$ with $\lambda \le \omega$",
        r"\textbf{bold} and {\em emphasis} and \alpha",
        r"a \in B and \lambda and \ll",
    ):
        assert decode_latex_accents(text) == text
    assert decode_latex_accents(r"\textbf{\'e}") == r"\textbf{é}"
    # a control word swallows the space before the rest of its word, not before a new name
    assert clean_text("Gro\\ss e Bj\\o rn") == "Große Bjørn"
    assert clean_text("Ketil B\\o Hansen, B{\\o}") == "Ketil Bø Hansen, Bø"


def test_nul_bytes_past_the_sniffed_head_reach_no_export(
    cli_run: InProcessCli, tmp_path: Path
) -> None:
    """A synthetic snapshot: 64 KB of good lines, then one whose every field holds a NUL."""
    good = {"title": "A paper on things", "abstract": "x" * 200, "authors": "A B"}
    lines = [json.dumps({"id": f"2401.{i:05d}", **good, "categories": "cs.LG"}) for i in range(400)]
    fields = ("title", "abstract", "authors", "doi", "comments", "license", "journal-ref")
    bad = {name: f"a\u0000b {name}" for name in fields}
    lines.append(json.dumps({"id": "2402.00001", "categories": "cs.LG", **bad}))
    digest = tmp_path / "snapshot.json"
    digest.write_text("\n".join(lines) + "\n")
    assert digest.stat().st_size > 65536
    data = tmp_path / "lib"
    assert cli_run("import", str(digest), data_dir=data).returncode == 0
    for fmt in ("bibtex", "csv", "json"):
        out = tmp_path / f"out.{fmt}"
        assert cli_run("export", "--format", fmt, "-o", str(out), data_dir=data).returncode == 0
        text = out.read_bytes()
        assert b"\x00" not in text and b"\\u0000" not in text, fmt
        assert b"ab doi" in text or fmt != "csv"  # the field is kept, only its NUL goes


def test_nul_bytes_in_a_bookmark_note_or_tag_reach_no_export(
    cli_run: InProcessCli, tmp_path: Path
) -> None:
    """A bookmarks.json edited by hand (or a note pasted with a NUL): its note and tags
    enter the exports cleaned, the text around the NUL kept."""
    data = tmp_path / "lib"
    digest = REAL / "arxiv-snapshot-first-150.jsonl"
    assert cli_run("import", str(digest), data_dir=data).returncode == 0
    assert cli_run("bookmark", "add", "0704.0001", data_dir=data).returncode == 0
    marks_file = data / "bookmarks.json"
    marks = json.loads(marks_file.read_text())
    marks["bookmarks"]["0704.0001"].update(note="read\u0000 this", tags=["to\u0000do"])
    marks_file.write_text(json.dumps(marks))
    assert "read\\u0000 this" in marks_file.read_text()
    for fmt in ("csv", "json", "markdown"):
        out = tmp_path / f"marks.{fmt}"
        assert (
            cli_run(
                "export", "--bookmarked", "--format", fmt, "-o", str(out), data_dir=data
            ).returncode
            == 0
        )
        text = out.read_bytes()
        assert b"\x00" not in text and b"\\u0000" not in text, fmt
        assert b"read this" in text and b"todo" in text, fmt
