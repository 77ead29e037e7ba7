"""One segment's terms, read once from its posting lists and kept in the cache dir."""

from __future__ import annotations

import array
import hashlib
import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from paperdeck.index.engine import foryou, whoosh_postings
from paperdeck.index.engine import whoosh_private as private
from paperdeck.index.engine.foryou.arrays import Terms, load_arrays, save_arrays

LOCAL_STATS_FROM = 5000  # papers in a segment for its own frequencies to choose their terms


@dataclass(frozen=True)
class SegmentTerms:
    """A segment's candidate features, read once from its posting lists and kept in the cache
    dir by segment id: a segment is never written again, and each generation shares its
    parent's (hard links), so after an import only the new segments are read. Its documents'
    strongest terms are chosen with the segment's own document frequencies (TERMS_PER_PAPER,
    more than are kept); `assemble` weighs them again with the whole library's."""

    hashes: np.ndarray  # uint64, one per local term: its name's hash (same in every segment)
    df: np.ndarray  # int32: in how many of the segment's documents each term is
    names: Terms
    indptr: np.ndarray  # int64, one more than the segment's documents
    cols: np.ndarray  # int32 local term numbers, each document's strongest first
    tfs: np.ndarray  # float16: 1 + log(term weight), titles weighing their field boost

    @property
    def size(self) -> int:
        return len(self.indptr) - 1


ENTRIES = ("indptr", "cols", "tfs")
VOCABULARY = ("hashes", "df", "blob", "offsets")


def settings_stamp() -> np.ndarray:
    """What saved terms and features were made with (the constants that choose and weigh
    them): a cache of other settings, or of a paperdeck before the stamp, is read again."""
    made_with = (
        foryou.FIELDS,
        foryou.MIN_DF,
        foryou.MAX_DF_SHARE,
        foryou.SMALL_LIBRARY,
        foryou.TERMS_PER_PAPER,
        sorted(foryou.PLAIN_WORDS),
        LOCAL_STATS_FROM,
    )
    digest = hashlib.blake2b(repr(made_with).encode("utf-8"), digest_size=8).digest()
    return np.frombuffer(digest, dtype=np.uint64).copy()


def stamped(directory: Path) -> bool:
    """Whether saved arrays were made with the settings of now (settings_stamp)."""
    saved = load_arrays(directory, ("settings",))
    return saved is not None and np.array_equal(saved["settings"], settings_stamp())


def term_hash(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little")


def read_segment(leaf: Any) -> SegmentTerms:
    """A segment's terms (title and abstract words, author names) and postings, straight from
    its lexicon and posting blocks."""
    size = leaf.doc_count_all()
    most = max(foryou.MIN_DF, int(size * foryou.MAX_DF_SHARE), foryou.SMALL_LIBRARY)
    common = size >= LOCAL_STATS_FROM  # a term in more than `most` of it is not read
    local: dict[str, int] = {}
    skipped: dict[int, int] = {}  # such terms' document frequencies
    found = array.array("q")  # (8 bytes an entry, where a list's int costs ~36)
    numbers: list[int] = []
    counts: list[int] = []
    weights = array.array("d")
    fieldnames = leaf.indexed_field_names()
    for fieldname, prefix in foryou.FIELDS:
        if fieldname not in fieldnames:
            continue
        for term, info in leaf.iter_field(fieldname):
            text = term.decode("utf-8")
            if len(text) <= 2 or text in foryou.PLAIN_WORDS:
                continue
            number = local.setdefault(prefix + text, len(local))
            if common and info.doc_frequency() > most:
                skipped[number] = skipped.get(number, 0) + info.doc_frequency()
                continue
            raw = private.term_postings_bytes(leaf, info)
            if raw is None:  # a term in one document: its posting is in its term info
                ids, inlined, _ = info.inlined_postings()
                found.extend(ids)
                weights.extend(iter(inlined))
                count = len(ids)
            else:
                count = _decode_into(raw, found, weights)
            numbers.append(number)
            counts.append(count)
    width = max(len(local), 1)
    summed: np.ndarray
    if found:
        # A word in a title and in the abstract is one feature: its weights summed. (Each
        # array let go once used: a reader process holds one segment's at a time.)
        pairs = np.frombuffer(found, dtype=np.int64) * width
        del found
        pairs += np.repeat(np.asarray(numbers, dtype=np.int64), counts)
        keys, where = np.unique(pairs, return_inverse=True)
        del pairs
        summed = np.bincount(where, weights=np.frombuffer(weights, dtype=np.float64))
        del where, weights
        docs, cols = keys // width, keys % width
    else:
        docs = cols = np.zeros(0, np.int64)
        summed = np.zeros(0)
    df = np.bincount(cols, minlength=len(local)).astype(np.int32)
    for number, frequency in skipped.items():
        df[number] += frequency
    tfs = 1 + np.log(np.maximum(summed, 1.0))
    idf = np.log((1 + size) / (1 + df.astype(np.float64))) + 1
    if size >= LOCAL_STATS_FROM:
        # Its own frequencies tell a paper's strongest terms well enough: the others are
        # not kept. A term in a tenth of a large segment is in many papers of any library;
        # one in a single paper of it likely in few of the library, so it comes last.
        useful = df[cols] <= most
        docs, cols, tfs = docs[useful], cols[useful], tfs[useful]
        strength = tfs * idf[cols] - 1e6 * (df[cols] < foryou.MIN_DF)
        order = np.lexsort((-strength, docs))  # by document, its strongest terms first
        docs, cols, tfs = docs[order], cols[order], tfs[order]
        per_doc = np.bincount(docs, minlength=size)
        starts = np.cumsum(per_doc) - per_doc
        keep = np.arange(len(docs)) - starts[docs] < foryou.TERMS_PER_PAPER
        docs, cols, tfs = docs[keep], cols[keep], tfs[keep]
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=size), out=indptr[1:])
    names = list(local)
    hashes = np.fromiter((term_hash(n) for n in names), dtype=np.uint64, count=len(names))
    return SegmentTerms(
        hashes,
        df,
        Terms.of(names),
        indptr,
        cols.astype(np.int32),
        tfs.astype(np.float16),
    )


def _decode_into(raw: bytes, docs: array.array[int], weights: array.array[float]) -> int:
    """A term's posting blocks, their document numbers and weights appended to the
    segment's: most terms of a segment are in a few papers, and a numpy array a term cost
    more than its decoding."""
    total = 0
    for ids, block_weights in whoosh_postings.blocks(raw):
        docs.extend(itertools.accumulate(ids))  # delta-coded from 0 in each block
        weights.extend(iter(block_weights))  # (a block's may be an array of floats)
        total += len(ids)
    return total


def segment_path(directory: Path, leaf: Any) -> Path:
    segment = leaf.segment()
    return directory / f"{segment.segment_id()}-{segment.doc_count_all()}"


def segments_dir(root: Path) -> Path:
    """Where segments' terms are kept, beside the index's generations in `root`."""
    return root / "for-you" / "segments"


def cached_segment(directory: Path, leaf: Any, scratch: Path | None = None) -> Path:
    """Where a segment's terms are saved: read and saved now if they are not there yet (or
    damaged, or saved with other settings). `scratch`: where they are written before they
    appear (the import's generation: a write killed with it leaves nothing in the cache)."""
    path = segment_path(directory, leaf)
    if load_arrays(path, VOCABULARY + ENTRIES, mmap=True) is None or not stamped(path):
        terms = read_segment(leaf)
        arrays = {
            "hashes": terms.hashes,
            "df": terms.df,
            "blob": terms.names.blob,
            "offsets": terms.names.offsets,
            "indptr": terms.indptr,
            "cols": terms.cols,
            "tfs": terms.tfs,
            "settings": settings_stamp(),
        }
        save_arrays(path, arrays, scratch)
    return path


def prune_segments(root: Path) -> None:
    """Remove the saved terms of segments no generation in `root` holds any longer (by
    segment id): imports keep every segment's, used for you or not."""
    keep = {path.name.split(".")[0] for path in root.glob("g-*/*.seg")}
    for path in segments_dir(root).glob("*-*"):
        if not path.name.startswith(".") and path.name.rsplit("-", 1)[0] not in keep:
            shutil.rmtree(path, ignore_errors=True)
