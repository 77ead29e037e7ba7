"""Checkpoints of a big import, so that an interrupted one continues where it stopped.

A big digest is written in parts of CHECKPOINT_EVERY papers, each a generation on top of
the one before; none is published until the last part is done, so Ctrl-C (or a kill) leaves
the library as it was. After each part, `import-checkpoint.json` (beside the generations)
names the digest, the live generation it started from, the part's generation and how far
through the digest it got. Importing the same digest again, while the library is still at
that generation, skips the papers already written and goes on from there; anything else
(another digest, a commit in between, a damaged or missing generation) starts afresh.

A checkpoint is trusted only when it proves itself: every field of its type (a count is a
non-negative integer, a time an ISO time), its generation a plain name inside the index
dir, its version this one, and the papers it says were written the same ones, by count
and by the hash of their ids, as the digest's first papers read again (`Counted.prefix`).
One that does not is discarded with a notice, and the import starts over.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.models import Progress
from paperdeck.index.paths import plain_name

if TYPE_CHECKING:
    from paperdeck.index.merge import MergedStream

CHECKPOINT_EVERY = 100_000  # papers read between checkpoints: a few minutes of a big import
FILE_NAME = "import-checkpoint.json"
CONTINUE_NOTE = "run the same import again to continue where it stopped"
VERSION = 2  # 2: with the prefix's hash; a checkpoint of another version is not trusted
UNTRUSTED_NOTICE = "The interrupted import's checkpoint did not match its file ({}); started over."

T = TypeVar("T")


@dataclass
class Tally:
    """What the parts written so far add up to (an import's report counts all parts)."""

    consumed: int = 0  # papers read from the digest, whether kept or left out
    written: int = 0
    new: int = 0
    unchanged: int = 0
    late_new: int = 0
    left_out: int = 0
    dates: list[str] = field(default_factory=list)  # ISO days

    def day_set(self) -> set[dt.date]:
        return {dt.date.fromisoformat(day) for day in self.dates}

    def plus(self, merged: MergedStream, late_new: int, consumed: int, left_out: int) -> Tally:
        """The tally with one more part written."""
        return Tally(
            consumed, self.written + merged.written, self.new + merged.new,
            self.unchanged + merged.unchanged, self.late_new + late_new, left_out,
            sorted({*self.dates, *(day.isoformat() for day in merged.dates)}),
        )  # fmt: skip


@dataclass
class Checkpoint:
    """An interrupted import: its digest's key, the live generation it started from, the
    generation holding what it wrote, when it started, and its tally."""

    key: str
    base: str | None
    generation: str
    started: str  # ISO time the import began: its papers' `added`, its record's time
    tally: Tally
    prefix: str = ""  # the hash of the ids of the first `tally.consumed` papers read
    version: int = VERSION

    def save(self, root: Path) -> None:
        atomic_write_text(root / FILE_NAME, json.dumps(dataclasses.asdict(self)))


class Untrusted(Exception):
    """A checkpoint that does not prove itself against the digest it continues."""


def read_checkpoint(root: Path) -> Checkpoint | None:
    """The checkpoint left by an interrupted import, or None (none, or unreadable: what
    `why_untrusted` finds wrong with it is raised as Untrusted)."""
    try:
        data = json.loads((root / FILE_NAME).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        raise Untrusted(f"unreadable: {type(exc).__name__}") from None
    if why := why_untrusted(data):
        raise Untrusted(why)
    return Checkpoint(**{**data, "tally": Tally(**data["tally"])})


_TYPES: dict[str, tuple[type, ...]] = {
    "key": (str,), "base": (str, type(None)), "generation": (str,), "started": (str,),
    "tally": (dict,), "prefix": (str,), "version": (int,),
}  # fmt: skip


def why_untrusted(data: object) -> str:
    """What is wrong with a checkpoint's fields, or "" when nothing is."""
    if not isinstance(data, dict) or set(data) != set(_TYPES):
        return "not a checkpoint of this paperdeck"
    wrong = [name for name, types in _TYPES.items() if not isinstance(data[name], types)]
    if wrong or data["version"] != VERSION:
        return f"wrong {', '.join(wrong) or 'version'}"
    if not plain_name(data["generation"]) or not plain_name(data["base"] or "g"):
        return "its generation is not a name inside the index"
    try:
        started = dt.datetime.fromisoformat(data["started"])
        tally = Tally(**data["tally"])
        if not isinstance(tally.dates, list):
            raise TypeError
        for day in tally.dates:
            dt.date.fromisoformat(day)
    except (ValueError, TypeError):
        return "a bad time or tally"
    counts = [getattr(tally, f.name) for f in dataclasses.fields(Tally) if f.name != "dates"]
    if started.tzinfo is None or not all(type(n) is int and n >= 0 for n in counts):
        return "a bad time or count"
    return ""


def drop_checkpoint(root: Path) -> None:
    (root / FILE_NAME).unlink(missing_ok=True)


class Counted(Iterator[T]):
    """An iterator that counts what it gave, hashing the `key` of each (what a checkpoint
    proves itself with), and can skip ahead."""

    def __init__(self, items: Iterable[T], key: Callable[[T], str] = str) -> None:
        self._items, self.count, self._key = iter(items), 0, key
        self._hash = hashlib.sha256()

    def __next__(self) -> T:
        item = next(self._items)
        self.count += 1
        self._hash.update(self._key(item).encode("utf-8", "surrogatepass") + b"\x1f")
        return item

    @property
    def prefix(self) -> str:
        """The hash of the keys given so far."""
        return self._hash.hexdigest()

    def skip(self, count: int) -> None:
        """Pass over `count` items (a resumed import's papers already written)."""
        for _ in itertools.islice(self, count):
            pass


def parts(items: Iterator[T], size: int) -> Iterator[Iterator[T]]:
    """`items` in parts of `size`, each to be used up before the next is asked for; one
    empty part when there are no items (an empty digest still makes its generation)."""
    first = True
    while True:
        try:
            head = next(items)
        except StopIteration:
            if first:
                yield iter(())
            return
        first = False
        yield itertools.chain((head,), itertools.islice(items, size - 1))


def estimating(
    progress: Progress | None,
    merged: MergedStream,
    *,
    fraction: Callable[[], float],
    before: Tally,
) -> Callable[[int], None] | None:
    """`progress(written, total)` with the total estimated from how far through the file
    the reading is (a streamed digest's papers are not counted before they are read); the
    parts written before this one count too."""
    if progress is None:
        return None
    done = before.written + before.unchanged

    def report(written: int) -> None:
        read, through = done + merged.written + merged.unchanged, fraction()
        estimate = round(read / through) if through > 0 else read
        progress(before.written + written, max(before.written + written, read, estimate))

    return report
