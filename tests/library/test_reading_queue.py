"""The reading queue and read/unread marks (issue 22.6): the user's order, kept with care."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from paperdeck.index.reading import ReadingError, ReadingQueue, ReadMarks


def test_the_queue_keeps_the_users_order(tmp_path: Path) -> None:
    queue = ReadingQueue(tmp_path)
    assert queue.add(["a", "b", "c", "b"]) == 3
    assert queue.add(["c", "d"]) == 1  # c stays where it was
    assert queue.ids() == ["a", "b", "c", "d"]
    assert queue.move("c", -1) == 2 and queue.ids() == ["a", "c", "b", "d"]
    assert queue.move("a", 10) == 4 and queue.ids() == ["c", "b", "d", "a"]
    assert queue.move("b", -10) == 1 and queue.ids() == ["b", "c", "d", "a"]
    assert queue.add(["z"], first=True) == 1 and queue.ids()[0] == "z"
    assert queue.remove(["c", "nope"]) == 1
    assert [(i.paper_id, i.position) for i in ReadingQueue(tmp_path).items()] == [
        ("z", 1), ("b", 2), ("d", 3), ("a", 4),
    ]  # fmt: skip
    assert all(item.added for item in queue.items())


def test_moving_a_paper_not_queued_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    queue = ReadingQueue(tmp_path)
    queue.add(["a", "b"])
    before = (tmp_path / "queue.json").read_bytes()
    with pytest.raises(ReadingError, match=r"^x is not in the reading queue$"):
        queue.move("x", 1)
    assert (tmp_path / "queue.json").read_bytes() == before


def test_read_marks(tmp_path: Path) -> None:
    marks = ReadMarks(tmp_path)
    assert marks.mark(["a", "b"]) == 2 and marks.mark(["a"]) == 0
    assert marks.toggle("a") is False and marks.toggle("c") is True
    assert ReadMarks(tmp_path).ids() == {"b", "c"}
    assert marks.mark(["b", "x"], read=False) == 1
    assert marks.is_read("c") and not marks.is_read("b")


def test_a_damaged_queue_file_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "queue.json").write_text("not json")
    queue = ReadingQueue(tmp_path)
    assert queue.ids() == [] and queue.notices
    queue.add(["a"])
    assert json.loads((tmp_path / "queue.json").read_text())["queue"].keys() == {"a"}
    assert list(tmp_path.glob("queue.json.unreadable-*"))


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from paperdeck.index.reading import ReadingQueue, ReadMarks
    queue, marks = ReadingQueue(Path(sys.argv[1])), ReadMarks(Path(sys.argv[1]))
    start, count = int(sys.argv[2]), int(sys.argv[3])
    for n in range(start, start + count):
        queue.add([f"p{n}"])
        if n % 3 == 0:
            queue.remove([f"p{n}"])
        if n % 2 == 0:
            marks.mark([f"p{n}"])
        if n % 5 == 0:
            queue.move(f"p{n}", -2) if n % 3 else None
    """
)


def test_two_processes_changing_the_queue_at_once_keep_both_changes(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(start), "120"])
        for start in (0, 1000)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    expected = {f"p{n}" for s in (0, 1000) for n in range(s, s + 120) if n % 3}
    queued = ReadingQueue(tmp_path).ids()
    assert set(queued) == expected and len(queued) == len(expected) == 160
    assert ReadMarks(tmp_path).ids() == {
        f"p{n}" for s in (0, 1000) for n in range(s, s + 120) if n % 2 == 0
    }
