"""The library's features: every paper's tf-idf vector, assembled from its segments' saved
terms or extended from another generation's, and kept for the next process."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from paperdeck.index.engine import foryou
from paperdeck.index.engine.foryou.arrays import Terms, load_arrays, save_arrays
from paperdeck.index.engine.foryou.segments import (
    ENTRIES,
    VOCABULARY,
    cached_segment,
    settings_stamp,
    stamped,
)
from whoosh.reading import IndexReader


@dataclass(frozen=True)
class Basis:
    """What an assembly decided, for the next generations to reuse: the features (their
    names' hashes, sorted: a column's number is its place) and their idf, for a library of
    `size` papers; and the segments its documents came from, in order, with their sizes."""

    hashes: np.ndarray  # uint64, one per column
    idf: np.ndarray  # float32, one per column
    size: int
    segments: Terms  # a segment's saved terms' directory name
    counts: np.ndarray  # int64: its documents


@dataclass(frozen=True)
class Features:
    """Every document's tf-idf vector (unit length), as CSR arrays over `terms`."""

    indptr: np.ndarray  # int64, one more than documents
    cols: np.ndarray  # int32
    vals: np.ndarray  # float16 (half the memory; a ranking needs no more)
    terms: Terms  # a column's feature: "stem" (title and abstract), "author:x"
    basis: Basis | None = None
    extended: bool = False  # another generation's, extended (see extend)

    CHUNK = 1 << 20  # entries multiplied at a time: no temporary as large as the arrays

    @property
    def size(self) -> int:
        return len(self.indptr) - 1

    def row(self, docnum: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[docnum], self.indptr[docnum + 1]
        return self.cols[start:end], self.vals[start:end].astype(np.float32)

    def rows(self, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows of some documents as COO arrays: (row position, column, value)."""
        starts, ends = self.indptr[docnums], self.indptr[docnums + 1]
        counts = ends - starts
        which = np.repeat(np.arange(len(docnums)), counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        picked = np.repeat(starts, counts) + offsets
        return which, self.cols[picked], self.vals[picked].astype(np.float32)

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Every document's vector times `weights` (one per column), a chunk at a time."""
        out = np.zeros(self.size, dtype=np.float32)
        weights = weights.astype(np.float32, copy=False)
        per_doc = max(1, len(self.vals) // max(self.size, 1))
        step = max(1, self.CHUNK // per_doc)
        for first in range(0, self.size, step):
            last = min(self.size, first + step)
            lo, hi = int(self.indptr[first]), int(self.indptr[last])
            if hi == lo:
                continue
            products = self.vals[lo:hi] * weights[self.cols[lo:hi]]
            starts = self.indptr[first:last] - lo
            filled = self.indptr[first + 1 : last + 1] - lo > starts
            out[first:last][filled] = np.add.reduceat(products, starts[filled])
        return out


def save_features(features: Features, directory: Path) -> None:
    """Keep a generation's features for the next process (a directory of .npy files, read
    memory-mapped): written atomically; the other generations' are removed."""
    arrays = {
        "indptr": features.indptr,
        "cols": features.cols,
        "vals": features.vals,
        "blob": features.terms.blob,
        "offsets": features.terms.offsets,
        "settings": settings_stamp(),
    }
    if (basis := features.basis) is not None:
        arrays["basis_hashes"], arrays["basis_idf"] = basis.hashes, basis.idf
        arrays["basis_size"] = np.array([basis.size], dtype=np.int64)
        arrays["segments_blob"], arrays["segments_offsets"] = (
            basis.segments.blob,
            basis.segments.offsets,
        )
        arrays["segments_counts"] = basis.counts
    save_arrays(directory, arrays)
    for other in directory.parent.glob("g-*"):
        if _number(other.name) < _number(directory.name):  # (a newer one may be another's)
            shutil.rmtree(other, ignore_errors=True)


def latest_features(directory: Path, generation: str) -> Features | None:
    """The features saved for the newest generation before this one, if any."""
    older = [p for p in directory.glob("g-*") if 0 <= _number(p.name) < _number(generation)]
    newest = max(older, key=lambda p: _number(p.name), default=None)
    return load_features(newest, None) if newest is not None else None


def _number(generation: str) -> int:
    """A generation's serial number (`g-000007-1a2b3c`: 7), -1 for another name."""
    parts = generation.split("-")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1


def load_features(directory: Path, size: int | None) -> Features | None:
    """A generation's saved features, memory-mapped (the kernel keeps them as file pages, not
    the process's own memory); None when missing, damaged, for another size or made with
    other settings."""
    saved = load_arrays(directory, ("indptr", "cols", "vals", "blob", "offsets"), mmap=True)
    if saved is None or not stamped(directory):
        return None
    terms = Terms(saved["blob"], saved["offsets"])
    names = ("basis_hashes", "basis_idf", "basis_size", "segments_blob", "segments_offsets")
    more = load_arrays(directory, (*names, "segments_counts"))
    basis = None
    if more is not None:
        segments = Terms(more["segments_blob"], more["segments_offsets"])
        size_then = int(more["basis_size"][0])
        basis = Basis(
            more["basis_hashes"], more["basis_idf"], size_then, segments, more["segments_counts"]
        )
    features = Features(saved["indptr"], saved["cols"], saved["vals"], terms, basis)
    return features if sound(features) and size in (None, features.size) else None


def sound(features: Features) -> bool:
    """Whether saved arrays hold together (a flipped byte, a torn copy: read them again): one
    dimension each, offsets that start at 0 and never go back, every column a feature."""
    arrays = (features.indptr, features.cols, features.vals, *_names(features.terms))
    if any(array.ndim != 1 for array in arrays) or not len(features.indptr):
        return False
    if not (_offsets(features.indptr, len(features.cols)) and _names_sound(features.terms)):
        return False
    if len(features.vals) != len(features.cols):
        return False
    if len(features.cols) and not 0 <= int(features.cols.min()) <= int(features.cols.max()):
        return False
    if len(features.cols) and int(features.cols.max()) >= len(features.terms):
        return False
    basis = features.basis
    if basis is None:
        return True
    return (
        len(basis.hashes) == len(basis.idf)
        and _names_sound(basis.segments)
        and len(basis.counts) == len(basis.segments)
        and int(basis.counts.sum()) == features.size
        and bool((basis.counts >= 0).all())
    )


def _names(terms: Terms) -> tuple[np.ndarray, np.ndarray]:
    return terms.blob, terms.offsets


def _names_sound(terms: Terms) -> bool:
    return terms.blob.ndim == terms.offsets.ndim == 1 and _offsets(terms.offsets, len(terms.blob))


def _offsets(offsets: np.ndarray, end: int) -> bool:
    """Offsets into an array of `end` entries: from 0 to `end`, never going back."""
    if not len(offsets) or int(offsets[0]) != 0 or int(offsets[-1]) != end:
        return False
    return bool((np.diff(offsets) >= 0).all())


def assemble(parts: list[Path], size: int) -> Features:
    """The library's features from its segments' saved terms, in document order. The whole
    library's document frequencies decide which terms are features (in at least MIN_DF and
    at most MAX_DF_SHARE of the papers) and weigh them (idf); a paper's terms its segment
    chose that are not features weigh 0. No sort: a few numpy passes over the entries."""
    vocabularies = []
    for path in parts:
        saved = load_arrays(path, VOCABULARY)
        if saved is None:
            raise ValueError(f"{path}: damaged")
        vocabularies.append(saved)
    hashes = np.concatenate([v["hashes"] for v in vocabularies] or [np.zeros(0, np.uint64)])
    local_df = np.concatenate([v["df"] for v in vocabularies] or [np.zeros(0, np.int32)])
    unique, first, where = np.unique(hashes, return_index=True, return_inverse=True)
    df = np.bincount(where, weights=local_df, minlength=len(unique))
    most = max(foryou.MIN_DF, int(size * foryou.MAX_DF_SHARE), foryou.SMALL_LIBRARY)
    kept = (df >= foryou.MIN_DF) & (df <= most)
    column = np.maximum(np.cumsum(kept) - 1, 0).astype(np.int32)  # (hash order)
    idf = np.where(kept, np.log((1 + size) / (1 + df)) + 1, 0).astype(np.float32)
    names = Terms.join([Terms(v["blob"], v["offsets"]) for v in vocabularies])
    terms = names.pick(first[kept])
    blocks = []
    shift = 0
    for path, vocabulary in zip(parts, vocabularies, strict=True):
        width = len(vocabulary["hashes"])
        to_global = where[shift : shift + width]
        shift += width
        blocks.append(_block(path, column[to_global], idf[to_global]))
    segments = Terms.of([path.name for path in parts])
    counts = np.array([len(block[0]) - 1 for block in blocks], dtype=np.int64)
    basis = Basis(unique[kept], idf[kept], size, segments, counts)
    return _joined(blocks, size, terms, basis)


Block = tuple[np.ndarray, np.ndarray, np.ndarray]  # one segment's (indptr, cols, vals)


def _block(path: Path, columns: np.ndarray, idf: np.ndarray) -> Block:
    """A segment's documents' vectors, given its terms' columns and idf (0: not a feature;
    small tables, gathered per entry)."""
    saved = load_arrays(path, ENTRIES)
    if saved is None:
        raise ValueError(f"{path}: damaged")
    local_cols, indptr = saved["cols"], saved["indptr"]
    vals = saved["tfs"].astype(np.float32) * idf[local_cols]
    counts = np.diff(indptr)
    if len(counts) and counts.max() > foryou.TERMS_PER_PAPER:  # a small segment's: choose
        local_cols, vals, counts = _strongest(local_cols, vals, counts)
        indptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
    filled = counts > 0
    norms = np.zeros(len(counts), dtype=np.float32)
    if len(vals):
        norms[filled] = np.sqrt(np.add.reduceat(vals * vals, indptr[:-1][filled]))
    vals /= np.repeat(np.maximum(norms, 1e-12), counts)
    return indptr, columns[local_cols].astype(np.int32), vals.astype(np.float16)


def _joined(blocks: list[Block], size: int, terms: Terms, basis: Basis) -> Features:
    indptrs, done = [np.zeros(1, np.int64)], 0
    for indptr, _, _ in blocks:
        indptrs.append(done + indptr[1:] - indptr[0])
        done += int(indptr[-1] - indptr[0])
    indptr = np.concatenate(indptrs)
    if len(indptr) - 1 != size:
        raise ValueError(f"segments hold {len(indptr) - 1} documents, not {size}")
    cols = np.concatenate([b[1] for b in blocks]) if blocks else np.zeros(0, np.int32)
    vals = np.concatenate([b[2] for b in blocks]) if blocks else np.zeros(0, np.float16)
    return Features(indptr, cols, vals, terms, basis)


REUSE_SHARE = 0.05  # papers added or gone since an assembly for its terms and idf to serve


def extend(previous: Features, parts: list[Path], size: int) -> Features | None:
    """The features of a generation that shares most of its segments with the one of
    `previous`: their documents' vectors copied, the new segments' weighed with the same
    features and idf (a term no paper had then is not one yet). None when more than
    REUSE_SHARE of the library is new or gone since the last assembly: assemble again."""
    basis = previous.basis
    if basis is None or abs(size - basis.size) > REUSE_SHARE * basis.size:
        return None
    starts = np.concatenate(([0], np.cumsum(basis.counts)))
    known = {
        basis.segments[i]: (int(starts[i]), int(starts[i + 1])) for i in range(len(basis.counts))
    }
    if sum(1 for path in parts if path.name not in known) == len(parts) and parts:
        return None
    new = 0
    blocks: list[Block] = []
    for path in parts:
        if path.name in known:
            first, last = known[path.name]
            lo, hi = int(previous.indptr[first]), int(previous.indptr[last])
            indptr = np.asarray(previous.indptr[first : last + 1])
            blocks.append((indptr, previous.cols[lo:hi], previous.vals[lo:hi]))
            continue
        vocabulary = load_arrays(path, ("hashes",))
        if vocabulary is None:
            raise ValueError(f"{path}: damaged")
        hashes = vocabulary["hashes"]
        place = np.minimum(np.searchsorted(basis.hashes, hashes), max(len(basis.hashes) - 1, 0))
        found = basis.hashes[place] == hashes if len(basis.hashes) else np.zeros(len(hashes), bool)
        idf = np.where(found, basis.idf[place] if len(basis.idf) else 0, 0).astype(np.float32)
        block = _block(path, np.where(found, place, 0).astype(np.int32), idf)
        new += len(block[0]) - 1
        blocks.append(block)
    if new > REUSE_SHARE * size:
        return None
    segments = Terms.of([path.name for path in parts])
    counts = np.array([len(block[0]) - 1 for block in blocks], dtype=np.int64)
    kept = Basis(basis.hashes, basis.idf, basis.size, segments, counts)
    return dataclasses.replace(_joined(blocks, size, previous.terms, kept), extended=True)


def _strongest(
    cols: np.ndarray, vals: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each document's TERMS_PER_PAPER strongest terms of weight above 0, strongest first."""
    docs = np.repeat(np.arange(len(counts)), counts)
    useful = vals > 0
    docs, cols, vals = docs[useful], cols[useful], vals[useful]
    order = np.lexsort((-vals, docs))
    docs, cols, vals = docs[order], cols[order], vals[order]
    per_doc = np.bincount(docs, minlength=len(counts))
    keep = np.arange(len(docs)) - (np.cumsum(per_doc) - per_doc)[docs] < foryou.TERMS_PER_PAPER
    return cols[keep], vals[keep], np.bincount(docs[keep], minlength=len(counts))


def read_features(
    reader: IndexReader, directory: Path | None = None, previous: Features | None = None
) -> Features:
    """The tf-idf vectors of every document of a reader: each segment's terms read (or found
    saved in `directory`), then assembled, or `previous`'s (another generation's) extended
    with the new segments when most of the library is as it was (see extend)."""
    with tempfile.TemporaryDirectory() as temporary:
        where = directory if directory is not None else Path(temporary)
        parts = [cached_segment(where, leaf) for leaf, _ in reader.leaf_readers()]
        size = reader.doc_count_all()
        extended = extend(previous, parts, size) if previous is not None else None
        return extended if extended is not None else assemble(parts, size)
