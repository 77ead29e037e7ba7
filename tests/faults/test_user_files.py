"""The user's own JSON files (bookmarks.json, dismissed.json, watches.json, state.json) damaged
every way a disk, an editor or a sync tool damages them: every command goes on with one notice
that names the file and where it went, nothing of it is lost, and no message quotes it."""

from __future__ import annotations

import errno
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from paperdeck.index import jsonstore
from paperdeck.index.library import Library
from paperdeck.tui import cli

Damage = Callable[[Path], None]


def bad_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] = 0xFF  # (a flipped byte: not UTF-8 any more)
    path.write_bytes(bytes(data))


def too_deep(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def a_list(path: Path) -> None:
    path.write_text("[1, 2]")


def text_version(path: Path) -> None:
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "version": "1"}))


def no_entries(path: Path) -> None:
    data = json.loads(path.read_text())
    path.write_text(json.dumps({key: [] if key != "version" else 1 for key in data}))


def a_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("the user's")


DAMAGES = [bad_byte, too_deep, a_list, text_version, no_entries, a_directory]
# file, the command that reads it, the command that changes it
FILES = [
    ("bookmarks.json", ["bookmarks"], ["bookmark", "add", "{id}"]),
    ("dismissed.json", ["list"], ["dismiss", "{id}"]),
    ("watches.json", ["watch", "list"], ["watch", "add", "later", "gan"]),
    ("state.json", ["list"], []),  # (written by the reader's opening: mark_opened)
]


@pytest.fixture
def marked(sample_dir: Path) -> Path:
    """The sample library with a bookmark, a paper not interested, a watch and an opening."""
    library = Library(sample_dir)
    first, second = (row.id for row in library.listing()[:2])
    library.add_bookmarks([first])
    library.dismiss([second])
    library.add_watch("mamba", "mamba")
    library.mark_opened()
    return sample_dir


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str]:
    code = cli.main(["--data-dir", str(data_dir), *args])
    return code, capsys.readouterr().err


def first_id(data_dir: Path) -> str:
    return Library(data_dir).listing()[0].id


def snapshot(path: Path) -> object:
    """What stands at `path`: its bytes, or a directory's files and theirs."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir()}
    return path.read_bytes()


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
@pytest.mark.parametrize(("name", "reads", "changes"), FILES, ids=[f[0] for f in FILES])
def test_a_damaged_file_is_set_aside_with_one_line_and_kept_whole(
    marked: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    reads: list[str],
    changes: list[str],
    damage: Damage,
) -> None:
    path = marked / name
    damage(path)
    before = snapshot(path)
    code, err = run(capsys, marked, *reads)
    assert "internal error" not in err and code in (0, 1), err
    notice = err.splitlines()[0]
    assert notice.startswith(f"paperdeck: {name} could not be read") and "moved aside" in notice
    assert len(notice) < 300, "a notice names the file; it never quotes it"
    (aside,) = marked.glob(f"{name}.unreadable-*")
    assert str(aside) in notice and snapshot(aside) == before  # nothing of it lost
    if changes:
        code, err = run(capsys, marked, *[a.format(id=first_id(marked)) for a in changes])
        assert code == 0 and "could not be read" not in err, err  # (set aside once)
    else:
        library = Library(marked)
        library.mark_opened()
        assert library.take_notices() == []
    assert path.is_file() and json.loads(path.read_text())  # written afresh


def test_a_directory_in_place_says_what_happens_then(
    marked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_directory(marked / "bookmarks.json")
    code, err = run(capsys, marked, "bookmark", "add", first_id(marked))
    assert code == 0 and err.count("\n") == 1, err
    assert "it is a directory, not a file" in err and "bookmarks start again empty" in err
    assert Library(marked).bookmark_ids() == {first_id(marked)}


def test_the_message_never_quotes_the_file(
    marked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 6 MB bookmarks file with one bad byte was printed whole in the error."""
    path = marked / "bookmarks.json"
    data = json.loads(path.read_text())
    entry = next(iter(data["bookmarks"].values()))
    entry["note"] = "secret words " * 400_000
    path.write_text(json.dumps(data))
    bad_byte(path)
    code, err = run(capsys, marked, "list")
    assert code == 0 and "secret" not in err and len(err) < 300, err[:500]


def test_malformed_entries_are_set_aside_and_the_rest_kept(
    marked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = marked / "watches.json"
    data = json.loads(path.read_text())
    good = data["watches"]["mamba"]
    bad = {
        "a number for a query": {"query": 5},
        "seen not a list": {**good, "seen": "t-1"},
        "not an object": "gan",
        "a time that is a number": {**good, "created": 20260101},
    }
    data["watches"].update(bad)
    path.write_text(json.dumps(data))
    code, err = run(capsys, marked, "watch", "list")
    assert code == 0 and "internal error" not in err
    (aside,) = marked.glob("watches.json.malformed-*")
    assert err.count("\n") == 1 and "4 entries of watches.json" in err and str(aside) in err
    assert json.loads(aside.read_text())["watches"] == bad  # each kept as it was
    assert json.loads(path.read_text())["watches"] == {"mamba": good}
    code, err = run(capsys, marked, "watch", "list")
    assert code == 0 and err == ""  # set aside once


def test_a_bookmark_of_the_wrong_shape_is_set_aside(
    marked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = marked / "bookmarks.json"
    data = json.loads(path.read_text())
    (good_id, good), paper = next(iter(data["bookmarks"].items())), {"id": "t-x", "title": "X"}
    bad = {
        "t-authors": {"paper": {**paper, "authors": 5}},
        "t-date": {"paper": {**paper, "date": "not a date"}},
        "t-tags": {**good, "tags": "gan"},
        "t-paper": {"paper": "a title"},
    }
    data["bookmarks"].update(bad)
    path.write_text(json.dumps(data))
    code, err = run(capsys, marked, "bookmarks")
    assert code == 0 and "internal error" not in err and "4 entries" in err, err
    (aside,) = marked.glob("bookmarks.json.malformed-*")
    assert json.loads(aside.read_text())["bookmarks"] == bad
    assert Library(marked).bookmark_ids() == {good_id}


def test_what_cannot_be_moved_aside_is_left_as_it_was(
    marked: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only data dir (as root ignores chmod, the rename's refusal is injected): the
    file stays as it was, the notice says so, and a change is refused in one line."""

    def read_only(path: Path, suffix: str = "") -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(jsonstore, "set_aside", read_only)
    path = marked / "bookmarks.json"
    bad_byte(path)
    before = path.read_bytes()
    code, err = run(capsys, marked, "list")
    assert code == 0 and "nor moved aside (Read-only file system)" in err, err
    code, err = run(capsys, marked, "bookmark", "add", first_id(marked))
    assert code == 2 and "internal error" not in err and "Read-only file system" in err, err
    assert err.strip().splitlines()[-1].startswith("paperdeck: cannot save bookmarks")
    assert path.read_bytes() == before


def test_an_internal_error_is_one_short_line(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error that carries a whole file (a UnicodeDecodeError holds every byte it decoded)
    is cut to its start."""
    huge = b'{"bookmarks": "' + b"x" * 1_000_000 + b'"}'

    def broken(*args: object, **kwargs: object) -> None:
        raise UnicodeDecodeError("utf-8", huge, 5, 6, "invalid start byte")

    monkeypatch.setattr(Library, "bookmark_ids", broken)
    monkeypatch.delenv("PAPERDECK_DEBUG", raising=False)
    code, err = run(capsys, sample_dir, "list")
    assert code == 2 and err.count("\n") == 1 and len(err) < 400, err[:500]
    assert "internal error: UnicodeDecodeError" in err and "xxxxxxxxxx" not in err


def test_an_emptied_data_dir_is_not_a_damaged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No files at all: nothing is set aside and nothing is said."""
    shutil.rmtree(tmp_path, ignore_errors=True)
    code, err = run(capsys, tmp_path, "bookmarks")
    assert code in (0, 1)
    assert "could not be read" not in err and "internal error" not in err
    assert not list(tmp_path.glob("*.unreadable-*"))
