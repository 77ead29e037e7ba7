"""Issue 21.14: commands that need no index search answer without importing the engine
(Whoosh, numpy), with the engine's output byte for byte; any file the quick path reads that
does not prove itself (stale, damaged, missing) leaves the answer to the engine."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paperdeck.index.library import Library

from tests.support import REAL

DIGESTS = [
    REAL / "arxiv-snapshot-first-150.jsonl",
    REAL / "arxiv-rss-2026-09-24-cs.LG+cs.AI+cs.CL+stat.ML.xml",
    REAL / "hf-daily-papers-2026-07-31.json",
    REAL / "arxiv-api-2016-au-del-maestro.xml",
]

# Runs the CLI's main in a fresh interpreter, then says whether the engine was imported.
PROBE = """
import json, sys
from paperdeck.tui.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
engine = sorted(m for m in ("numpy", "whoosh") if m in sys.modules)
print(json.dumps({"code": code, "engine": engine}), file=sys.stderr)
"""


def run(data_dir: Path, *args: str) -> tuple[int, str, str, list[str]]:
    """(exit code, stdout, stderr less the probe's line, engine modules imported)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    *said, probe = done.stderr.splitlines()
    found = json.loads(probe)
    return found["code"], done.stdout, "\n".join(said), found["engine"]


@pytest.fixture(scope="module")
def real_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The real fixtures imported, two bookmarks (one with tags and a note), one paper
    marked not interested; returns the data dir and three ids (bookmarked, plain, dismissed)."""
    root = tmp_path_factory.mktemp("real-library")
    library = Library(root)
    library.import_digests(DIGESTS)
    ids = [hit.paper.id for hit in library.query("", limit=None).hits]
    library.add_bookmarks([ids[0], ids[40]])
    library.annotate(ids[40], ["Graph Nets"], "read the appendix")
    library.dismiss([ids[3]])
    library.close()
    return root, [ids[40], ids[7], ids[3]]


def commands(ids: list[str]) -> list[list[str]]:
    marked, plain, dismissed = ids
    return [
        ["list"],
        ["list", "--limit", "5"],
        ["list", "--json"],
        ["show", marked],
        ["show", plain],
        ["show", "--json", marked],
        ["show", dismissed],
        ["show", plain[:-2]],  # an id typed short (it may begin several: the same answer)
        ["show", "no-such-paper"],
        ["bookmarks"],
        ["bookmarks", "--json"],
        ["digests"],
    ]


def without_quick_files(data_dir: Path, target: Path) -> Path:
    """A copy of the library as it was before any quick file was written."""
    shutil.copytree(data_dir, target)
    shutil.rmtree(target / "cache" / "quick", ignore_errors=True)
    return target


def test_quick_answers_equal_the_engines_without_importing_it(
    real_library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    data_dir, ids = real_library
    for n, command in enumerate(commands(ids)):
        fresh = without_quick_files(data_dir, tmp_path / f"lib-{n}")
        *slow, _ = run(fresh, *command)  # the engine answers, and keeps the papers file
        *quick, engine = run(fresh, *command)
        assert quick == slow, command
        assert engine == [], f"{command} imported {engine}"
    code, out, _, _ = run(data_dir, "list")
    assert code == 0 and len(out.splitlines()) > 150  # the library is the whole fixtures'


def test_the_engine_answers_when_the_papers_file_is_damaged(
    real_library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    data_dir, ids = real_library
    fresh = without_quick_files(data_dir, tmp_path / "lib")
    slow = run(fresh, "show", ids[1])
    (papers_file,) = (fresh / "cache" / "quick").glob("*.jsonl")
    data = papers_file.read_bytes()
    assert ids[1].encode() in data
    papers_file.write_bytes(data.replace(b'"abstract": "', b'"abstract": "X', 1))  # one byte off
    again = run(fresh, "show", ids[1])
    assert again[:3] == slow[:3]
    assert again[3] == ["numpy", "whoosh"]  # the checksum failed: asked the engine


def test_a_short_listing_is_not_trusted(
    real_library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    data_dir, _ = real_library
    fresh = without_quick_files(data_dir, tmp_path / "lib")
    slow = run(fresh, "list")
    generation = json.loads((fresh / "library.json").read_text())["index"]["generation"]
    listing = fresh / "cache" / "index" / generation / "listing.txt"
    lines = listing.read_text("utf-8").splitlines(keepends=True)
    listing.unlink()  # a link to the generation before's: never written in place
    listing.write_text("".join(lines[:-1]), "utf-8")
    again = run(fresh, "list")
    assert again[:3] == slow[:3]
    assert again[3] == ["numpy", "whoosh"]


def test_after_an_import_the_old_papers_file_is_not_used(tmp_path: Path) -> None:
    """A new generation: the papers file of the one before is stale, whatever it holds."""
    data_dir = tmp_path / "lib"
    assert run(data_dir, "import", str(DIGESTS[0]))[0] == 0
    run(data_dir, "list")  # writes the papers file
    assert run(data_dir, "list")[3] == []
    assert run(data_dir, "import", str(DIGESTS[2]))[0] == 0
    code, out, _, engine = run(data_dir, "list")
    assert engine == ["numpy", "whoosh"]
    library = Library(data_dir)
    assert code == 0 and len(out.splitlines()) == library.count()
    assert all(hit.paper.title in out for hit in library.query("", limit=None).hits)
    assert run(data_dir, "list")[1:] == (out, "", [])


def test_a_read_command_imports_no_write_side_and_no_citations(
    real_library: tuple[Path, list[str]],
) -> None:
    """Start-up: what `list` and `search` never use is not imported (each a cost of every
    command before it ran: the writer, the citation clients with urllib's and email's
    modules, the for-you model)."""
    data_dir, _ = real_library
    unused = (
        "paperdeck.index.importing",
        "paperdeck.index.citations.service",
        "paperdeck.index.engine.writer",
        "paperdeck.index.engine.foryou.model",
        "email.utils",
        "tempfile",
        # made at first use since: the parts and modules no read command needs
        "paperdeck.index.library_exchange",
        "paperdeck.index.watching",
        "paperdeck.index.fetch",
        "paperdeck.index.reading",
        "paperdeck.index.bibliography",
        "paperdeck.index.citations.models",
        "paperdeck.index.digest.decode",
        "paperdeck.index.digest.selection",
        "csv",
        "gzip",
    )
    probe = PROBE.replace('("numpy", "whoosh")', repr(unused))
    run(data_dir, "list")  # the first command after an import writes the papers file
    for command in (["list"], ["search", "graph"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, "--data-dir", str(data_dir), *command],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert json.loads(done.stderr.splitlines()[-1]) == {"code": 0, "engine": []}, command


def test_version_and_help_make_no_part_of_the_library() -> None:
    """`--version` and `--help` only parse: no part of the Library (index, catalog, marks,
    reads) is imported, so they answer at once; `--version` not even the library or the
    table of commands."""
    parts = (
        "paperdeck.index.library",
        "paperdeck.tui.cli.commands",
        "paperdeck.index.catalog",
        "paperdeck.index.library_index",
        "paperdeck.index.library_marks",
        "paperdeck.index.library_reads",
        "paperdeck.index.library_quick",
        "paperdeck.index.library_citations",
        "paperdeck.index.bookmarks",
    )
    probe = (
        "import sys\n"
        "from paperdeck.tui.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {parts!r} if m in sys.modules), file=sys.stderr)\n"
    )
    said = {}
    for flag in ("--version", "--help"):
        done = subprocess.run(
            [sys.executable, "-c", probe, flag], capture_output=True, text=True, timeout=120
        )
        assert done.stdout.startswith(("paperdeck ", "usage: paperdeck")), flag
        said[flag] = done.stderr.splitlines()[-1]
    assert said == {
        "--version": "[]",
        "--help": "['paperdeck.index.library', 'paperdeck.tui.cli.commands']",
    }


def test_papers_of_one_day_at_the_same_places_list_in_the_engines_order(tmp_path: Path) -> None:
    """Two digests of one day tie on the listing's order key at every place: the listing
    keeps them as the engine sorts them, after the imports and after a rebuild. (The two
    digests are synthetic, written here: what matters is only their shared day.)"""
    data_dir = tmp_path / "lib"
    for name in ("a", "b"):
        parts = ["Mar 13"]
        for n in range(6):
            parts += [f"Synthetic {name} paper {n} on sparse retrieval", f"About {name}{n}. " * 4]
        digest = tmp_path / f"synthetic-{name}.txt"
        digest.write_text("\n\n".join(parts) + "\n", "utf-8")
        assert run(data_dir, "import", str(digest))[0] == 0
    for step in ("imported", "rebuilt"):
        if step == "rebuilt":
            assert run(data_dir, "rebuild")[0] == 0
        shutil.rmtree(data_dir / "cache" / "quick", ignore_errors=True)
        *slow, engine = run(data_dir, "list")
        assert engine == ["numpy", "whoosh"]
        *quick, engine = run(data_dir, "list")
        assert quick == slow and engine == [], step
        assert len(slow[1].splitlines()) == 12


THREADS = """
import os, sys
from paperdeck.tui.cli import main
main(sys.argv[1:])
print(len(os.listdir("/proc/self/task")), file=sys.stderr)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_a_search_starts_no_blas_threads_it_never_uses(
    real_library: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """numpy's OpenBLAS would start a thread a core as it loads (CPU spent at every search);
    a value the user sets stays theirs."""
    data_dir, _ = real_library
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    args = [sys.executable, "-c", THREADS, "--data-dir", str(data_dir), "search", "neural"]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    assert done.stderr.splitlines()[-1] == "1"  # the main thread alone
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    assert done.stderr.splitlines()[-1] == "2"
