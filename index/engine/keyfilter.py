"""Which ids and title keys a generation may hold: a sorted array of 64-bit hashes beside it
(`keys.bin`), so that a daily import knows its new papers are new without asking Whoosh.

A Whoosh lookup walks every segment, so at a million papers in many segments it was most of
adding a day's hundred papers to such a library (bench/README.md). The file is written by
every write (the base's hashes and the new papers'; a replaced paper's stay: a hash too many
only costs a lookup). A generation without the file (written before it existed) has no filter, and
neither have the generations derived from it until a rebuild: a missing hash must never mean
a missing paper. The file ends with the first 8 bytes of the SHA-256 of the hashes before
them: a damaged file (a flipped byte, a cut) fails that, or the check that the hashes are
sorted, and is no filter (every key may be there, asked of Whoosh) rather than a wrong one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from paperdeck.index.engine import whoosh_private as private
from paperdeck.index.fsutil import atomic_write_bytes
from paperdeck.index.links import title_key
from paperdeck.index.models import Paper

FILE_NAME = "keys.bin"


def key_hash(kind: str, key: str) -> int:
    """A hash stable across processes (Python's own str hash is salted per process)."""
    digest = hashlib.sha256(f"{kind}\x1f{key}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "little", signed=True)


class KeyFilter:
    """`may_hold(kind, key)`: False only when the generation surely has no such key."""

    def __init__(self, hashes: np.ndarray | None) -> None:
        self.hashes = hashes  # sorted int64; None: no filter, anything may be there

    @classmethod
    def load(cls, gen_dir: Path) -> KeyFilter:
        try:
            data = (gen_dir / FILE_NAME).read_bytes()
        except OSError:
            return cls(None)
        body, check = data[:-8], data[-8:]
        if len(data) < 8 or len(body) % 8 or hashlib.sha256(body).digest()[:8] != check:
            return cls(None)
        hashes = np.frombuffer(body, dtype=np.int64)
        if len(hashes) > 1 and not bool(np.all(hashes[1:] > hashes[:-1])):
            return cls(None)
        return cls(hashes)

    def may_hold(self, kind: str, key: str) -> bool:
        if self.hashes is None:
            return True
        wanted = key_hash(kind, key)
        at = int(np.searchsorted(self.hashes, wanted))
        return at < len(self.hashes) and int(self.hashes[at]) == wanted


class KeyNotes:
    """The keys of the papers a write streams past, saved with the new generation."""

    def __init__(self) -> None:
        self._hashes: list[int] = []

    def noted(self, papers: Iterable[Paper]) -> Iterator[Paper]:
        for paper in papers:
            self._hashes.append(key_hash("id", paper.id))
            self._hashes.append(key_hash("title", title_key(paper.title)))
            yield paper

    def save(self, gen_dir: Path, base: KeyFilter | None) -> None:
        """Write the new generation's file: the base's hashes and these (`base` None: a
        generation built from nothing). A base without a filter leaves none (the file
        linked from it, if any, is removed)."""
        target = gen_dir / FILE_NAME
        known = np.zeros(0, dtype=np.int64) if base is None else base.hashes
        if known is None:
            target.unlink(missing_ok=True)
            return
        body = _merged(known, np.array(self._hashes, dtype=np.int64))
        atomic_write_bytes(target, body + hashlib.sha256(body).digest()[:8])


def _merged(known: np.ndarray, fresh: np.ndarray) -> bytes:
    """The sorted union, by inserting the few new hashes into the many (np.union1d sorts
    everything again, for every write of a few papers)."""
    fresh = np.unique(fresh)
    if len(known) == 0:
        return fresh.astype(np.int64).tobytes()
    at = np.searchsorted(known, fresh)
    already = (at < len(known)) & (known[np.minimum(at, len(known) - 1)] == fresh)
    return np.insert(known, at[~already], fresh[~already]).astype(np.int64).tobytes()


# -- a segment's keys, by document: the table of a big import's lookups -----------------------
# Beside each segment its writer wrote: the hashes of its papers' ids and title keys, in
# document order, so that a table of the generation is read, not rebuilt from every paper's
# row (bench/README.md). A segment is never rewritten, so its file is linked into every
# generation that holds it; one of another size or checksum is not used (its keys are read
# from the segment's rows instead), and segments merged away take theirs with them (prune).
SEGMENT_PREFIX = "keys-"


def segment_keys_path(gen_dir: Path, segment_id: str) -> Path:
    return gen_dir / f"{SEGMENT_PREFIX}{segment_id}.bin"


def paper_keys(paper: Paper) -> tuple[int, int]:
    """A paper's (id hash, title-key hash)."""
    return key_hash("id", paper.id), key_hash("title", title_key(paper.title))


def save_segment_keys(gen_dir: Path, segment_id: str, keys: list[tuple[int, int]]) -> None:
    body = np.array(keys, dtype=np.int64).reshape(-1, 2).tobytes()
    atomic_write_bytes(segment_keys_path(gen_dir, segment_id), body + _check(body))


def has_segment_keys(gen_dir: Path, segment_id: str, documents: int) -> bool:
    """Whether the file is there with its size right (its checksum is checked on load)."""
    try:
        size = segment_keys_path(gen_dir, segment_id).stat().st_size
    except OSError:
        return False
    return size == 16 * documents + 8


def load_segment_keys(gen_dir: Path, segment_id: str, documents: int) -> np.ndarray | None:
    """A segment's (documents, 2) hashes; None when missing, of another size or damaged."""
    try:
        data = segment_keys_path(gen_dir, segment_id).read_bytes()
    except OSError:
        return None
    body, check = data[:-8], data[-8:]
    if len(data) != 16 * documents + 8 or _check(body) != check:
        return None
    return np.frombuffer(body, dtype=np.int64).reshape(-1, 2)


def prune_segment_keys(gen_dir: Path, segment_ids: Iterable[str]) -> None:
    """Remove the files of segments the generation no longer holds (merged away)."""
    kept = {segment_keys_path(gen_dir, segment_id).name for segment_id in segment_ids}
    for path in gen_dir.glob(f"{SEGMENT_PREFIX}*.bin"):
        if path.name not in kept:
            path.unlink(missing_ok=True)


def _check(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()[:8]


def saved_id_table(reader: Any, gen_dir: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """The live documents' id hashes, sorted, and their document numbers, from the
    segments' keys files; None when a segment has no sound file."""
    hashes, docs = [], []
    for leaf, base in reader.leaf_readers() if reader.doc_count_all() else []:
        documents = int(leaf.doc_count_all())
        saved = load_segment_keys(gen_dir, leaf.segment().segment_id(), documents)
        if saved is None:
            return None
        alive = np.ones(documents, dtype=bool)
        alive[private.deleted_docs(leaf)] = False
        hashes.append(saved[alive, 0])
        docs.append(np.flatnonzero(alive) + base)
    if not hashes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    joined, numbers = np.concatenate(hashes), np.concatenate(docs)
    order = np.argsort(joined, kind="stable")
    return joined[order], numbers[order]
