"""The damage matrix (issue 25, `make fuzz`): every file the library writes × each kind of
damage × each command, run in-process through the CLI's `main`.

The files are every file under the Paths' data and cache dirs of a library that has done
everything a user does (imports, an interrupted big import's checkpoint, bookmarks with a
tag and a note, not interested, a watch, the reader's state, for you, a copied text, a
crash log), so a file a new feature writes is in the matrix by construction; a test checks
that every `*_file` of `Paths` is among them. Files of one role (every Whoosh segment of
every generation, say) are damaged together. After each command: exit 0, 1 or 2 as the
README documents, never an internal error or a traceback, no line that quotes a file, and
every paper and bookmark still there (or recovered) with none twice. What the library
cannot have back is allowed only with a trace: a damaged raw copy is the source of truth
(a rebuild says it skipped it), and a damaged user file is set aside, not lost.

The whole matrix is marked `fuzz` (`make fuzz`); `make test` runs a fixed sample of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from paperdeck.index import checkpoint
from paperdeck.index.library import Library
from paperdeck.index.paths import Paths, resolve_paths
from paperdeck.tui.cli import main

from tests.support import REAL

SNAPSHOT = REAL / "arxiv-snapshot-first-150.jsonl"
DAILY = REAL / "hf-daily-papers-2026-07-31.json"
ATOM = REAL / "arxiv-api-2026-query-testing.xml"
MARKED = ("0704.0001", "0704.0002")
DISMISSED = "0704.0003"
USER_FILES = ("bookmarks.json", "dismissed.json", "watches.json", "state.json")
EXITS = {0, 1, 2}  # success, nothing found, bad input (tui/cli/__init__.py)

COMMANDS: dict[str, list[str]] = {
    "list": ["list", "--limit", "5"],
    "search": ["search", "photon"],
    "show": ["show", MARKED[0]],
    "bookmarks": ["bookmarks"],
    "import": ["import", str(ATOM)],
    "export": ["export", "--format", "json", "-o", "{tmp}/out.json"],
    "watch list": ["watch", "list"],
    "rebuild": ["rebuild"],
}


# -- the library every case starts from ---------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Base:
    root: Path
    papers: frozenset[str]
    imported: frozenset[str]  # what the import command brings


def _build(root: Path) -> Base:
    library = Library(root)
    library.import_digest(SNAPSHOT)
    library.add_bookmarks(MARKED)
    library.annotate(MARKED[0], ["to read"], "a note")
    library.dismiss([DISMISSED])
    library.add_watch("photons", "photon")
    library.watch_seen("photons")
    library.mark_opened()
    library.keep_last_copy("copied text")
    library.crash_log("Traceback (most recent call last): a report")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["list", "--sort", "for-you", "--limit", "3", "--data-dir", str(root)]) == 0
    _interrupted_import(library)
    papers = frozenset(_ids(Library(root)))
    other = Library(root.parent / "atom-only")
    other.import_digest(ATOM)
    return Base(root, papers, frozenset(_ids(other)))


def _interrupted_import(library: Library) -> None:
    """The daily papers imported in parts of 10, stopped in the third: a checkpoint and
    its generation stay for the same import to continue from."""

    def stop(written: int, _total: int) -> None:
        if written >= 25:
            raise KeyboardInterrupt

    every = checkpoint.CHECKPOINT_EVERY
    checkpoint.CHECKPOINT_EVERY = 10
    try:
        with contextlib.suppress(KeyboardInterrupt):
            library.import_digest(DAILY, progress=stop)
    finally:
        checkpoint.CHECKPOINT_EVERY = every


def _ids(library: Library) -> list[str]:
    return [row.id for row in library.browse("", limit=None).rows] + sorted(library.dismissed_ids())


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    return _build(tmp_path_factory.mktemp("fuzz") / "lib")


# -- the files and how they are damaged -------------------------------------------------------
_ROLE_RULES = (
    (re.compile(r"g-\d+-[0-9a-f]+"), "g-*"),
    (re.compile(r"MAIN_[a-z0-9]+\.seg"), "MAIN_*.seg"),
    (re.compile(r"_MAIN_\d+\.toc"), "_MAIN_*.toc"),
    (re.compile(r"digests/[0-9a-f]{12}-"), "digests/*-"),
    (re.compile(r"segments/[^/]+/"), "segments/*/"),
)


def role(relative: str) -> str:
    """A file's part in the library, whatever generation or segment it belongs to."""
    for pattern, name in _ROLE_RULES:
        relative = pattern.sub(name, relative)
    return relative


def files_of(root: Path) -> dict[str, list[str]]:
    """Every file under the data dir (the cache dir is in it here), by role."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        found.setdefault(role(relative), []).append(relative)
    return found


def _damage(path: Path, kind: str, rng: random.Random) -> bool:
    """Damage one file; False when the kind means nothing for it (an empty file)."""
    data = path.read_bytes()
    if kind == "directory":
        path.unlink()
        path.mkdir()
        (path / "inside").write_text("x")
        return True
    if kind == "wrong type":
        if not path.name.endswith(".json"):
            return False
        path.write_text(json.dumps(["not", "an", "object"]) if data[:1] == b"{" else '{"a": 1}')
        return True
    if not data and kind in ("truncate", "flip", "random", "empty"):
        return False
    if kind == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "random":
        path.write_bytes(rng.randbytes(len(data)))
    elif kind == "flip":
        at = len(data) // 2
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :])
    elif kind == "unreadable":
        if os.geteuid() == 0:
            return False
        path.chmod(0)
    return True


KINDS = ("truncate", "empty", "random", "flip", "directory", "wrong type", "unreadable")


# -- one case ---------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run(command: list[str], root: Path, tmp: Path) -> Outcome:
    argv = [part.format(tmp=tmp) for part in command] + ["--data-dir", str(root)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return Outcome(code, out.getvalue(), err.getvalue())


def _set_aside(root: Path, name: str) -> bool:
    return any(p.name.startswith(f"{name}.") and not p.name.endswith(".lock")
               for p in root.iterdir())  # fmt: skip


def problems(base: Base, target: str, kind: str, command: str, tmp: Path) -> list[str]:
    """Damage the files of one role of a copy of the base library, run one command and say
    what went wrong (nothing: an empty list)."""
    root = tmp / "lib"
    shutil.copytree(base.root, root, symlinks=True)
    rng = random.Random(f"{target}/{kind}")
    if not any(_damage(root / f, kind, rng) for f in files_of(root).get(target, [])):
        return []
    outcome = run(COMMANDS[command], root, tmp)
    said = f"{target} {kind}, {command}"
    found = []
    if outcome.code not in EXITS:
        found.append(f"{said}: exit {outcome.code}")
    for text in (outcome.out, outcome.err):
        if "internal error" in text or "Traceback" in text:
            found.append(f"{said}: {text.strip().splitlines()[-1][:300]}")
    if any(len(line) > 400 for line in outcome.err.splitlines()):
        found.append(f"{said}: a line of {max(map(len, outcome.err.splitlines()))} characters")
    found += [f"{said}: {p}" for p in _kept(base, root, target, command, outcome)]
    return found


def _kept(base: Base, root: Path, target: str, command: str, outcome: Outcome) -> Iterator[str]:
    """Every paper and bookmark still there (or a trace of why not), none twice."""
    try:
        library = Library(root)
        ids = _ids(library)
        marked = [pid for pid in MARKED if library.bookmark(pid) is not None]
    except Exception as exc:  # the library no longer opens at all: that is the finding
        yield f"the library does not open afterwards: {type(exc).__name__}: {exc}"[:300]
        return
    if len(ids) != len(set(ids)):
        yield f"{len(ids) - len(set(ids))} papers twice"
    raw_copy_lost = target.startswith("digests/") and command == "rebuild"
    missing = base.papers - set(ids)
    if missing and not (raw_copy_lost and "skipped" in outcome.err + outcome.out):
        yield f"{len(missing)} papers lost, {sorted(missing)[:3]}"
    if command == "import" and outcome.code == 0 and not base.imported <= set(ids):
        yield "the import said it worked but its papers are not there"
    if len(marked) < len(MARKED) and not _set_aside(root, "bookmarks.json"):
        yield f"bookmarks lost: {sorted(set(MARKED) - set(marked))}"


def _cases(base: Base) -> Iterator[str]:
    return iter(files_of(base.root))


# -- the tests ------------------------------------------------------------------------------
def test_every_file_paths_names_is_in_the_matrix(base: Base) -> None:
    """A file Paths names but the matrix's library never writes would escape the matrix."""
    paths = resolve_paths(base.root)
    named = [
        getattr(paths, name)
        for name in dir(Paths)
        if name.endswith("_file") and isinstance(getattr(Paths, name), property)
    ]
    written = {str(base.root / f) for files in files_of(base.root).values() for f in files}
    assert named and all(str(path) in written for path in named), named
    roles = files_of(base.root)
    for expected in ("library.json", "cache/index/import-checkpoint.json", "state.json"):
        assert expected in roles, sorted(roles)
    assert any(r.startswith("cache/index/for-you/") for r in roles), sorted(roles)
    assert any(r.endswith("keys.bin") for r in roles) and any(
        r.startswith("digests/") for r in roles
    )


@pytest.mark.fuzz
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_damage_matrix(base: Base, tmp_path: Path, command: str, kind: str) -> None:
    found: list[str] = []
    for n, target in enumerate(_cases(base)):
        found += problems(base, target, kind, command, tmp_path / f"case{n}")
    assert not found, "\n".join(found)


SAMPLE: tuple[tuple[str, str, str], ...] = (
    ("library.json", "random", "list"),
    ("bookmarks.json", "truncate", "bookmarks"),
    ("watches.json", "directory", "watch list"),
    ("cache/index/g-*/keys.bin", "flip", "import"),
    ("cache/index/import-checkpoint.json", "wrong type", "import"),
    ("cache/index/g-*/meta.json", "empty", "search"),
    # what the matrix found (each failed before its fix)
    ("cache/index/g-*/listing.txt", "truncate", "list"),
    ("digests/*-arxiv-snapshot-first-150.jsonl", "truncate", "rebuild"),
    ("library.json", "flip", "rebuild"),
    ("library.json", "directory", "bookmarks"),
    ("library.json", "directory", "list"),
)


@pytest.mark.parametrize(("target", "kind", "command"), SAMPLE)
def test_a_sample_of_the_damage_matrix(
    base: Base, tmp_path: Path, target: str, kind: str, command: str
) -> None:
    assert target in files_of(base.root)
    assert problems(base, target, kind, command, tmp_path) == []


def test_a_rebuild_asked_for_refuses_a_damaged_raw_copy_and_keeps_the_index(
    base: Base, tmp_path: Path
) -> None:
    """A cut raw copy was rebuilt into 72 of 150 papers, exit 0, without a word."""
    root = tmp_path / "lib"
    shutil.copytree(base.root, root, symlinks=True)
    (raw,) = files_of(root)["digests/*-arxiv-snapshot-first-150.jsonl"]
    _damage(root / raw, "truncate", random.Random(0))
    outcome = run(COMMANDS["rebuild"], root, tmp_path)
    assert outcome.code == 2 and len(outcome.err.splitlines()) == 1
    assert "raw copy of arxiv-snapshot-first-150.jsonl is damaged" in outcome.err
    assert "nothing changed" in outcome.err
    assert base.papers <= set(_ids(Library(root)))
