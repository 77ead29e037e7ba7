"""The lines of a one-paper-a-line digest (the arXiv snapshot) the library already holds,
so that importing a newer snapshot costs only what changed.

Each import of such a digest keeps, beside its raw copy, the 64-bit hashes of the lines it
kept (`<raw copy>.lines`, sorted). Importing another one, the lines whose hash a digest of
the library with the same selection kept are blanked before they are parsed: their papers
are in the library exactly so already (counted unchanged, nothing written). A line changed
by one character hashes otherwise and is read, merged and written as before.
"""

from __future__ import annotations

import bisect
import hashlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

from paperdeck.index.fsutil import atomic_write_bytes
from paperdeck.index.models import Paper

SUFFIX = ".lines"


def memo_path(raw_copy: Path) -> Path:
    return raw_copy.with_name(raw_copy.name + SUFFIX)


class LineMemo:
    """Blanks the lines already held (see paperdeck.index.digest.LineFilter) and notes the hashes of
    the lines this import keeps, to be saved with its raw copy."""

    def __init__(self, known: array[int] | Iterable[Path], salt: str) -> None:
        self._known_or_files, self._salt = known, salt.encode()
        self._known: array[int] | None = known if isinstance(known, array) else None
        self.blanked = 0
        self._kept = array("Q")
        self._last: int | None = None  # the hash of the last line given out

    @classmethod
    def load(cls, memo_files: Iterable[Path], salt: str) -> LineMemo:
        """The lines kept by these digests (one memo file each; a missing or damaged one
        only means its lines are read again), read when a line first asks: a daily digest
        of another format never reads a million-line memo (a second at 1,000,000 papers)."""
        return cls(list(memo_files), salt)

    def _known_lines(self) -> array[int]:
        if self._known is None:
            files = [] if isinstance(self._known_or_files, array) else self._known_or_files
            self._known = _read_sorted(list(files))
        return self._known

    def _hash(self, line: str) -> int:
        digest = hashlib.sha256(line.encode("utf-8", "surrogatepass"))  # SHA-NI: the fastest
        digest.update(self._salt)
        return int.from_bytes(digest.digest()[:8], "little")

    def __call__(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            text = line.strip()
            if not text:
                yield line
                continue
            self._last = found = self._hash(text)
            if self._holds(found):
                self.blanked += 1
                self._kept.append(found)
                yield ""
            else:
                yield line

    def _holds(self, found: int) -> bool:
        known = self._known_lines()
        at = bisect.bisect_left(known, found)
        return at < len(known) and known[at] == found

    def noting(self, papers: Iterable[Paper]) -> Iterator[Paper]:
        """The papers an import keeps, noting the line each came from (the line just read:
        papers are pulled one at a time, straight from the reader)."""
        for paper in papers:
            if self._last is not None:
                self._kept.append(self._last)
            yield paper

    @property
    def noted(self) -> bool:
        return bool(self._kept)

    def save(self, raw_copy: Path) -> None:
        atomic_write_bytes(memo_path(raw_copy), array("Q", sorted(set(self._kept))).tobytes())


def _read_sorted(memo_files: list[Path]) -> array[int]:
    """The hashes of these memo files, sorted: one file as it was saved (sorted), several
    merged."""
    known = array("Q")
    for path in memo_files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if len(data) % known.itemsize == 0:
            known.frombytes(data)
    return known if len(memo_files) == 1 else array("Q", sorted(set(known)))
