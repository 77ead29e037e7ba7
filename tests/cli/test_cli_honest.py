"""The CLI says what is true (issue 21): one count of the papers in the library, half-typed
queries answered as far as they go, tags and notes in `show`, no file written over unasked,
no reader without a terminal, and small words said right. In-process through `main`, unless
the test is about terminals or exit codes of the whole process."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paperdeck.index.import_report import ImportReport
from paperdeck.index.links import canonical_links
from paperdeck.tui import cli

from tests.support import REAL

OLD_STYLE_ID = REAL / "arxiv-api-2026-id-astro-ph-0601001.xml"  # astro-ph/0601001
SNAPSHOT = REAL / "arxiv-snapshot-first-150.jsonl"


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    """`paperdeck --data-dir DIR ARGS...` in this process: its exit code, stdout, stderr."""
    code = cli.main(["--data-dir", str(data_dir), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def listed(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> list[dict]:
    code, out, err = run(capsys, data_dir, *args, "--json")
    assert code == 0, err
    return list(json.loads(out))


# -- 21.3: one count of the papers in the library --------------------------------------------


def test_a_dismissed_paper_is_out_of_list_export_and_remove_digest_alike(
    sample_dir: Path, sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = listed(capsys, sample_dir, "list")[0]["id"]
    assert run(capsys, sample_dir, "dismiss", first)[0] == 0
    assert len(listed(capsys, sample_dir, "list")) == 64

    target = tmp_path / "papers.json"
    code, _, err = run(capsys, sample_dir, "export", "--format", "json", "-o", str(target))
    assert code == 0, err
    assert len(json.loads(target.read_text("utf-8"))) == 64
    assert err == (
        f"wrote 64 papers to {target}; 1 dismissed left out, --include-dismissed to keep them\n"
    )
    every = tmp_path / "every.json"
    args = ("export", "--format", "json", "--include-dismissed", "-o", str(every))
    code, _, err = run(capsys, sample_dir, *args)
    assert code == 0 and err == f"wrote 65 papers to {every}\n"
    assert first in {record["id"] for record in json.loads(every.read_text("utf-8"))}

    code, out, err = run(capsys, sample_dir, "export", "--format", "csv")
    assert code == 0 and len(out.strip().splitlines()) == 65  # a header and 64 rows
    assert "1 dismissed left out" in err

    copy = tmp_path / "again.txt"  # a second digest of the same papers, to take out again
    shutil.copyfile(sample_path, copy)
    with copy.open("a") as more:
        more.write("\n")
    assert run(capsys, sample_dir, "import", str(copy))[0] == 0
    code, out, _ = run(capsys, sample_dir, "remove-digest", "again.txt")
    assert code == 0 and out == "removed again.txt; the library now holds 64 papers\n"


# -- 21.4: half-typed syntax answers as far as it goes -----------------------------------------


def titles(records: list[dict]) -> list[str]:
    return [record["title"] for record in records]


def test_an_open_quote_matches_the_phrase_typed_so_far(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, sample_dir, "search", '"sentence embed', "--json")
    assert code == 0, err
    found = titles(json.loads(out))
    assert "2D Matryoshka Sentence Embeddings" in found
    assert all("sentence" in t.lower() or "Sentence" in t for t in found[:3])
    assert err == "paperdeck: quote not closed: matched what is typed so far\n"


def test_words_before_an_open_quote_still_count(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, sample_dir, "search", 'matryoshka "sentence emb', "--json")
    assert code == 0, err
    assert titles(json.loads(out)) == ["2D Matryoshka Sentence Embeddings"]


@pytest.mark.parametrize(
    ("typed", "finished", "note"),
    [
        ("embedding AND", "embedding", "a word to follow the operator"),
        ("wavelet author:", "wavelet", "a value to follow the field"),
        ("wavelet OR author:", "wavelet", "a value to follow the field"),
    ],
)
def test_a_dangling_operator_or_field_is_dropped_with_a_note(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], typed: str, finished: str, note: str
) -> None:
    code, out, err = run(capsys, sample_dir, "search", typed, "--json")
    assert code == 0, err
    ids = [record["id"] for record in json.loads(out)]
    assert ids == [r["id"] for r in listed(capsys, sample_dir, "search", finished + " ")]
    assert ids  # (a word followed by more is finished: no prefix, as with a space after it)
    assert err == f"paperdeck: {note}: matched what is typed so far\n"


def test_nothing_but_a_dangling_field_answers_as_an_empty_query_would(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, sample_dir, "search", "author:", "--json")
    assert code == 0
    newest = listed(capsys, sample_dir, "list", "--limit", "20")
    assert [r["id"] for r in json.loads(out)] == [r["id"] for r in newest]
    assert err == "paperdeck: a value to follow the field: matched what is typed so far\n"


def test_the_parser_result_carries_its_note() -> None:
    import dataclasses

    from paperdeck.index.engine.querytext import split_filters

    parsed = split_filters('diffusion "sentence embed')
    assert parsed.incomplete == "open quote"
    assert parsed.note == "quote not closed: matched what is typed so far"
    assert parsed.text == "diffusion sentence embed"
    assert split_filters('"large language mod').text == '"large language" mod'
    assert split_filters('"sentence embed ').text == '"sentence embed" '
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.note = None  # type: ignore[misc]
    assert split_filters("diffusion").note is None


def test_a_watch_of_an_open_quote_is_refused(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, sample_dir, "watch", "add", "q", '"open quote')
    assert code == 2 and out == ""
    assert err == (
        "paperdeck: the watch's query is unfinished (quote not closed); "
        "finish it so that it can match what comes\n"
    )
    assert run(capsys, sample_dir, "watch", "list")[0] == 1  # none was saved


# -- 21.9: tags and notes in show ----------------------------------------------------------------


def test_show_puts_tags_and_note_beside_the_bookmark_state(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = listed(capsys, sample_dir, "search", "wavelet")[0]["id"]
    run(capsys, sample_dir, "bookmark", "add", paper)
    run(capsys, sample_dir, "bookmark", "tag", paper, "GAN Stuff", "mri")
    run(capsys, sample_dir, "bookmark", "note", paper, "read", "the", "ablation")
    code, out, _ = run(capsys, sample_dir, "show", paper)
    assert code == 0
    top = out.splitlines()[:4]
    assert top[0].endswith("  [bookmarked]")
    assert "tags: gan-stuff, mri" in top and "note: read the ablation" in top
    record = listed(capsys, sample_dir, "show", paper)[0]
    assert record["tags"] == ["gan-stuff", "mri"] and record["note"] == "read the ablation"
    other = listed(capsys, sample_dir, "search", "ZeRO-Infinity")[0]
    assert other["bookmarked"] is False
    shown = listed(capsys, sample_dir, "show", other["id"])[0]
    assert shown["tags"] == [] and shown["note"] == "" and shown["bookmarked_at"] is None
    assert record["bookmarked_at"] == listed(capsys, sample_dir, "bookmarks")[0]["bookmarked_at"]


# -- 21.10: export -o never writes over a file unasked ---------------------------------------


def test_export_refuses_to_write_over_a_file_without_force(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.bib"
    target.write_text("my own bibliography\n", "utf-8")
    code, out, err = run(capsys, sample_dir, "export", "--format", "bibtex", "-o", str(target))
    assert code == 2 and out == ""
    assert err == f"paperdeck: {target} exists; --force writes over it\n"
    assert target.read_text("utf-8") == "my own bibliography\n"
    args = ("export", "--format", "bibtex", "-o", str(target), "--force")
    assert run(capsys, sample_dir, *args)[0] == 0
    assert target.read_text("utf-8").startswith("@")


# -- 21.11: no reader without a terminal -------------------------------------------------------


def run_without_terminal(*args: str, data_dir: Path, stdin_tty: bool) -> tuple[int, str, str]:
    """The whole `paperdeck`, stdout piped; stdin a terminal (a pty) or /dev/null."""
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir), "TERM": "xterm-256color"}
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [str(Path(sys.executable).with_name("paperdeck")), *args],
            stdin=slave if stdin_tty else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(slave)
        os.close(master)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("stdin_tty", [True, False])
def test_the_reader_without_a_terminal_says_so_and_imports(
    tmp_path: Path, sample_path: Path, stdin_tty: bool
) -> None:
    code, out, err = run_without_terminal(
        str(sample_path), data_dir=tmp_path / "lib", stdin_tty=stdin_tty
    )
    assert code == 2 and out == ""
    assert "\x1b" not in err
    assert err.splitlines() == [
        "hf-papers-sample.txt: 65 papers (65 new), dated March 13, " + err[58:62],  # a year
        "paperdeck: the reader needs a terminal (stdin, stdout and stderr); "
        "imported what was given, `paperdeck list` shows it",
    ]
    code, out, err = run_without_terminal(data_dir=tmp_path / "lib", stdin_tty=stdin_tty)
    assert code == 2 and out == "" and "\x1b" not in err
    assert err == (
        "paperdeck: the reader needs a terminal (stdin, stdout and stderr); "
        "`paperdeck --help` lists the commands that do not\n"
    )


# -- 21.12: the small words ------------------------------------------------------------------------


def test_counts_are_said_in_good_plurals(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = listed(capsys, sample_dir, "list")[0]["id"]
    assert run(capsys, sample_dir, "bookmark", "add", paper)[1] == (
        "bookmarked 1 paper; 0 already were\n"
    )
    assert run(capsys, sample_dir, "bookmark", "remove", paper)[1] == "removed 1 bookmark\n"
    assert run(capsys, sample_dir, "bookmark", "remove", paper)[1] == "removed 0 bookmarks\n"
    assert run(capsys, sample_dir, "dismiss", paper)[1] == (
        "marked 1 paper not interested; 0 already were\n"
    )


def test_watch_list_has_the_readers_columns_and_plurals(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, sample_dir, "watch", "add", "mat", "matryoshka")
    run(capsys, sample_dir, "watch", "add", "deep-learning", "deep learning")
    code, out, _ = run(capsys, sample_dir, "watch", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["mat", "0", "new", "1", "match", "matryoshka"]
    assert lines[1].split()[:4] == ["deep-learning", "0", "new", lines[1].split()[3]]
    assert lines[1].split()[4] == "matches"
    assert lines[0].index("new") == lines[1].index("new")  # aligned
    assert lines[0].index("matryoshka") == lines[1].index("deep learning")


def test_import_summaries_say_dates_and_counts_one_way() -> None:
    import datetime as dt

    days = (dt.date(2026, 3, 11), dt.date(2026, 3, 13))
    assert ImportReport(name="d.json", papers=30_000, new=30_000, dates=days).summary() == (
        "d.json: 30,000 papers (30,000 new), dated March 11 to March 13, 2026"
    )
    over = (dt.date(2025, 12, 30), dt.date(2026, 1, 2))
    assert (
        ImportReport(name="d.json", papers=2, new=1, dates=over)
        .summary()
        .endswith("dated December 30, 2025 to January 2, 2026")
    )
    assert (
        ImportReport(name="d.json", papers=1, new=1, dates=days[:1])
        .summary()
        .endswith("dated March 11, 2026")
    )
    assert ImportReport(name="d.json", papers=1500, new=1500, already_imported=True).summary() == (
        "d.json: already imported (1,500 papers), nothing changed"
    )


def test_a_re_import_does_not_say_undated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "lib"
    again = tmp_path / "again.jsonl"
    again.write_bytes(SNAPSHOT.read_bytes().rstrip(b"\n"))  # the same records, another file
    code, first, _ = run(capsys, library, "import", str(SNAPSHOT))
    assert code == 0 and "dated March 31 to April 2, 2007" in first
    code, out, _ = run(capsys, library, "import", str(again))
    assert code == 0
    assert out == "again.jsonl: 150 papers (0 new, 150 unchanged)\n"


def test_a_link_split_by_spaces_is_flagged_once(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = listed(capsys, sample_dir, "search", "SSLH")[0]["id"]
    out = run(capsys, sample_dir, "show", paper)[1]
    assert out.count("split by spaces") == 1
    assert "https:// github. com/ Labbe ti/ SSLH  (split by spaces in the text; check it)" in out


def test_an_old_style_arxiv_id_gets_no_hugging_face_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert [link.label for link in canonical_links("t", "math/0704001")] == ["arXiv", "PDF"]
    assert "Hugging Face" in [link.label for link in canonical_links("t", "2405.17428")]
    library = tmp_path / "lib"
    assert run(capsys, library, "import", str(OLD_STYLE_ID))[0] == 0
    record = listed(capsys, library, "show", "astro-ph/0601001")[0]
    assert record["links"] == [
        "https://arxiv.org/abs/astro-ph/0601001",
        "https://arxiv.org/pdf/astro-ph/0601001",
    ]
    assert "huggingface.co" not in run(capsys, library, "show", "astro-ph/0601001")[1]


def test_digests_lists_in_columns_and_as_json(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, sample_dir, "import", str(OLD_STYLE_ID))[0] == 0
    code, out, _ = run(capsys, sample_dir, "digests")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    records = listed(capsys, sample_dir, "digests")
    for column in ("key", "imported_at"):  # each column starts at one place
        starts = {line.index(r[column][:10]) for line, r in zip(lines, records, strict=True)}
        assert len(starts) == 1, out
    assert {line.index(f"{r['papers']} paper") for line, r in zip(lines, records, strict=True)} == {
        lines[0].index("65 papers")
    }
    assert [(r["name"], r["papers"], r["new"]) for r in records] == [
        ("hf-papers-sample.txt", 65, 65),
        ("arxiv-api-2026-id-astro-ph-0601001.xml", 1, 1),
    ]
    assert {"key", "format", "imported_at", "selection"} <= set(records[0])


def test_a_data_dir_without_a_value_says_it_needs_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["--data-dir"], ["list", "--data-dir"], ["--data-dir", "--json", "list"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err == "paperdeck: --data-dir needs a value: DIR (see `paperdeck --help`)\n"


def test_list_without_a_library_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none"
    for args in (
        ["list"],
        ["search", "x"],
        ["export", "--format", "json"],
        ["show", "x"],
        ["similar", "x"],
        ["bookmark", "add", "x"],
        ["dismiss", "x"],
    ):
        code, _, err = run(capsys, missing, *args)
        assert code == 1 and "the library is empty" in err
    assert not missing.exists()
