"""For you: a ranking learned from the user's marks, in the spirit of arxiv-sanity-lite.

Every paper is a tf-idf vector of its title, abstract and authors, read once per index
generation straight from the posting lists (no paper is unpickled). A logistic regression,
trained by a few hundred numpy iterations, separates the bookmarked papers (positives) from
the papers marked not interested (negatives) and a random sample of the rest (weak
negatives, as arxiv-sanity-lite trains against everything untagged). Scoring the library is
one sparse product. Only index.engine.ordering uses this module.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import os
import pickle
import shutil
import struct
import tempfile
import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.reading import IndexReader

from index.engine import whoosh_private as private

# (field, prefix of its features): a title's and an abstract's words are one feature (titles
# weigh their field boost), an author's name another.
FIELDS = (("title", ""), ("abstract", ""), ("author", "author:"))
MIN_DF = 2  # a term in one paper relates it to nothing
MAX_DF_SHARE = 0.1  # a term in many papers tells few apart (as arxiv-sanity-lite's max_df)
SMALL_LIBRARY = 50  # ... but in a small library, a topic's word can be in a tenth of it
TERMS_PER_PAPER = 24  # a paper's strongest terms are kept; the rest cost memory, not ranking
LOCAL_STATS_FROM = 5000  # papers in a segment for its own frequencies to choose their terms
WEAK_NEGATIVES = 1000  # unmarked papers sampled as negatives
ITERATIONS = 200
L2 = 1e-3
# Words that say nothing of a topic, beyond the index's own stop words (as they are stemmed).
_PLAIN = (
    "about abov after again against all also although among ani anoth becaus been befor "
    "being below between both but could did differ do doe doing down dure each even ever "
    "few further given had ha has here how howev into itself just like made make mani "
    "might more most much must new no nor now onli other our out over own per same sever "
    "should sinc so some such than their them then there these thei they those though "
    "through thu too under until up upon veri via wa was were what whether which while who "
    "whom whose why within without would"
)
PLAIN_WORDS = frozenset(_PLAIN.split())


class Terms:
    """The features' names, one a column, as one utf-8 blob and offsets: a million names as
    Python strings would cost ~60 MB; only a few are ever asked for (Library.why)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob = blob  # uint8: the names, one after the other
        self.offsets = offsets  # int64: where each starts, and one more for the end

    @classmethod
    def of(cls, names: Iterable[str]) -> Terms:
        encoded = [name.encode("utf-8") for name in names]
        lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, number: int) -> str:
        start, end = int(self.offsets[number]), int(self.offsets[number + 1])
        return bytes(self.blob[start:end]).decode("utf-8")

    def pick(self, numbers: np.ndarray) -> Terms:
        """Some of the names, in the order given, without making strings of them."""
        starts, ends = self.offsets[numbers], self.offsets[numbers + 1]
        lengths = ends - starts
        offsets = np.zeros(len(numbers) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        within = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(offsets[:-1], lengths)
        return Terms(self.blob[np.repeat(starts, lengths) + within], offsets)

    @staticmethod
    def join(parts: list[Terms]) -> Terms:
        if not parts:
            return Terms(np.zeros(0, np.uint8), np.zeros(1, np.int64))
        shifts = np.cumsum([0] + [len(part.blob) for part in parts[:-1]])
        offsets = [parts[0].offsets[:1]]
        offsets += [part.offsets[1:] + shift for part, shift in zip(parts, shifts, strict=True)]
        return Terms(np.concatenate([p.blob for p in parts]), np.concatenate(offsets))


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
    the process's own memory); None when missing, damaged or for another size."""
    saved = load_arrays(directory, ("indptr", "cols", "vals", "blob", "offsets"), mmap=True)
    if saved is None:
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
    consistent = len(features.cols) == len(features.vals) == int(features.indptr[-1])
    return features if consistent and size in (None, features.size) else None


def save_arrays(directory: Path, arrays: dict[str, np.ndarray]) -> None:
    """Arrays as `<name>.npy` files in a directory, which appears whole or not at all."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".tmp-"))
    try:
        for name, array in arrays.items():
            np.save(temp / f"{name}.npy", array, allow_pickle=False)
        shutil.rmtree(directory, ignore_errors=True)  # a damaged one (a sound one: the same)
        try:
            os.replace(temp, directory)
        except OSError:  # another process has just saved the same arrays there
            if not directory.is_dir():
                raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def load_arrays(
    directory: Path, names: tuple[str, ...], mmap: bool = False
) -> dict[str, np.ndarray] | None:
    """The arrays save_arrays kept; None when one is missing or damaged."""
    mode: Literal["r"] | None = "r" if mmap else None
    try:
        return {name: np.load(directory / f"{name}.npy", mode, False) for name in names}
    except (OSError, ValueError, EOFError):
        return None


# -- one segment's terms, read once ----------------------------------------------------------------
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


_ENTRIES = ("indptr", "cols", "tfs")
_VOCABULARY = ("hashes", "df", "blob", "offsets")


def term_hash(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little")


def read_segment(leaf: Any) -> SegmentTerms:
    """A segment's terms (title and abstract words, author names) and postings, straight from
    its lexicon and posting blocks."""
    size = leaf.doc_count_all()
    most = max(MIN_DF, int(size * MAX_DF_SHARE), SMALL_LIBRARY)
    common = size >= LOCAL_STATS_FROM  # a term in more than `most` of it is not read
    local: dict[str, int] = {}
    skipped: dict[int, int] = {}  # such terms' document frequencies
    found: list[int] = []
    numbers: list[int] = []
    counts: list[int] = []
    weights: list[float] = []
    fieldnames = leaf.indexed_field_names()
    for fieldname, prefix in FIELDS:
        if fieldname not in fieldnames:
            continue
        for term, info in leaf.iter_field(fieldname):
            text = term.decode("utf-8")
            if len(text) <= 2 or text in PLAIN_WORDS:
                continue
            number = local.setdefault(prefix + text, len(local))
            if common and info.doc_frequency() > most:
                skipped[number] = skipped.get(number, 0) + info.doc_frequency()
                continue
            raw = private.term_postings_bytes(leaf, info)
            if raw is None:  # a term in one document: its posting is in its term info
                ids, inlined, _ = info.inlined_postings()
                found.extend(ids)
                weights.extend(inlined)
                count = len(ids)
            else:
                count = _decode_into(raw, found, weights)
            numbers.append(number)
            counts.append(count)
    width = max(len(local), 1)
    summed: np.ndarray
    if found:
        docs = np.array(found, dtype=np.int64)
        cols = np.repeat(np.asarray(numbers, dtype=np.int64), counts)
        # A word in a title and in the abstract is one feature: its weights summed.
        keys, where = np.unique(docs * width + cols, return_inverse=True)
        summed = np.bincount(where, weights=np.array(weights, dtype=np.float64))
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
        strength = tfs * idf[cols] - 1e6 * (df[cols] < MIN_DF)
        order = np.lexsort((-strength, docs))  # by document, its strongest terms first
        docs, cols, tfs = docs[order], cols[order], tfs[order]
        per_doc = np.bincount(docs, minlength=size)
        starts = np.cumsum(per_doc) - per_doc
        keep = np.arange(len(docs)) - starts[docs] < TERMS_PER_PAPER
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


_BLOCK_LENGTH = struct.Struct("!i")


def _decode_into(raw: bytes, docs: list[int], weights: list[float]) -> int:
    """Whoosh 3 posting blocks (as index.engine.fastscore._decode_blocks reads them), their
    document numbers and weights appended to plain lists: most terms of a segment are in a
    few papers, and an array a term cost more than its decoding."""
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError("not a Whoosh 3 posting list")
    buffer = io.BytesIO(raw)
    position, last, total = 4, False, 0
    while not last:
        (length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        last, length = length < 0, abs(length)
        buffer.seek(position + _BLOCK_LENGTH.size)
        count, _, _, compression, _, _ = pickle.load(buffer)
        data = raw[buffer.tell() : position + _BLOCK_LENGTH.size + length]
        block_ids, block_weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
        docs.extend(itertools.accumulate(block_ids))  # delta-coded from 0 in each block
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([1.0 if block_weights is None else block_weights] * count)
        else:
            weights.extend(block_weights)
        total += count
        position += _BLOCK_LENGTH.size + length
    return total


def segment_path(directory: Path, leaf: Any) -> Path:
    segment = leaf.segment()
    return directory / f"{segment.segment_id()}-{segment.doc_count_all()}"


def cached_segment(directory: Path, leaf: Any) -> Path:
    """Where a segment's terms are saved: read and saved now if they are not there yet (or
    damaged)."""
    path = segment_path(directory, leaf)
    if load_arrays(path, _VOCABULARY + _ENTRIES, mmap=True) is None:
        terms = read_segment(leaf)
        arrays = {
            "hashes": terms.hashes,
            "df": terms.df,
            "blob": terms.names.blob,
            "offsets": terms.names.offsets,
            "indptr": terms.indptr,
            "cols": terms.cols,
            "tfs": terms.tfs,
        }
        save_arrays(path, arrays)
    return path


def prune_segments(directory: Path, keep: Collection[str]) -> None:
    """Remove the saved terms of segments no generation holds any longer (by segment id)."""
    for path in directory.glob("*-*"):
        if not path.name.startswith(".") and path.name.rsplit("-", 1)[0] not in keep:
            shutil.rmtree(path, ignore_errors=True)


def assemble(parts: list[Path], size: int) -> Features:
    """The library's features from its segments' saved terms, in document order. The whole
    library's document frequencies decide which terms are features (in at least MIN_DF and
    at most MAX_DF_SHARE of the papers) and weigh them (idf); a paper's terms its segment
    chose that are not features weigh 0. No sort: a few numpy passes over the entries."""
    vocabularies = []
    for path in parts:
        saved = load_arrays(path, _VOCABULARY)
        if saved is None:
            raise ValueError(f"{path}: damaged")
        vocabularies.append(saved)
    hashes = np.concatenate([v["hashes"] for v in vocabularies] or [np.zeros(0, np.uint64)])
    local_df = np.concatenate([v["df"] for v in vocabularies] or [np.zeros(0, np.int32)])
    unique, first, where = np.unique(hashes, return_index=True, return_inverse=True)
    df = np.bincount(where, weights=local_df, minlength=len(unique))
    most = max(MIN_DF, int(size * MAX_DF_SHARE), SMALL_LIBRARY)
    kept = (df >= MIN_DF) & (df <= most)
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
    saved = load_arrays(path, _ENTRIES)
    if saved is None:
        raise ValueError(f"{path}: damaged")
    local_cols, indptr = saved["cols"], saved["indptr"]
    vals = saved["tfs"].astype(np.float32) * idf[local_cols]
    counts = np.diff(indptr)
    if len(counts) and counts.max() > TERMS_PER_PAPER:  # a small segment's: choose
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
    keep = np.arange(len(docs)) - (np.cumsum(per_doc) - per_doc)[docs] < TERMS_PER_PAPER
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


@dataclass(frozen=True)
class Model:
    """A trained ranking: a weight per feature, and every document's score."""

    weights: np.ndarray  # float32, one per feature column
    scores: np.ndarray  # float32, one per document number
    positives: np.ndarray  # the bookmarked documents it learned from


def train(
    features: Features,
    positives: Iterable[int],
    negatives: Iterable[int],
    alive: np.ndarray,
    seed: int = 0,
) -> Model:
    """Logistic regression, L2-regularised, by Nesterov-accelerated gradient descent over
    the marked papers and a sample of the others; each class weighs as much in all."""
    pos = np.unique(np.fromiter(positives, dtype=np.int64))
    neg = np.setdiff1d(np.unique(np.fromiter(negatives, dtype=np.int64)), pos)
    weak = _weak_negatives(alive, np.concatenate([pos, neg]), seed)
    docs = np.concatenate([pos, neg, weak])
    labels = np.concatenate([np.ones(len(pos)), -np.ones(len(neg) + len(weak))])
    cost = np.concatenate(
        [
            np.full(len(pos), 1 / max(len(pos), 1)),
            np.full(len(neg), 1 / max(len(pos), len(neg), 1)),
            np.full(len(weak), 1 / max(len(weak), 1)),
        ]
    )
    which, cols, vals = features.rows(docs)
    used, local = np.unique(cols, return_inverse=True)
    weights = _descend(which, local, vals.astype(np.float64), labels, cost, len(used))
    # A word most of the bookmarks share says more than one a single bookmark happens to use.
    in_positives = np.bincount(local[which < len(pos)], minlength=len(used))
    weights = np.where(weights > 0, weights * in_positives / max(len(pos), 1), weights)
    full = np.zeros(len(features.terms), dtype=np.float32)
    full[used] = weights
    return Model(full, features.dot(full), pos)


def _weak_negatives(alive: np.ndarray, marked: np.ndarray, seed: int) -> np.ndarray:
    """A fixed random sample of the unmarked papers (the same marks, the same ranking)."""
    unmarked = alive.copy()
    unmarked[marked] = False
    candidates = np.flatnonzero(unmarked)
    if len(candidates) <= WEAK_NEGATIVES:
        return candidates
    return np.sort(np.random.default_rng(seed).choice(candidates, WEAK_NEGATIVES, replace=False))


def _descend(
    which: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    labels: np.ndarray,
    cost: np.ndarray,
    width: int,
) -> np.ndarray:
    """Minimise sum(cost * log(1 + exp(-label * (x.w + b)))) + L2/2 |w|^2; returns w."""
    rows = len(labels)
    step = 1 / (0.25 * float(cost.sum()) * 2 + L2)  # 1/L: unit rows, plus the bias
    w, b = np.zeros(width), 0.0
    w_prev, b_prev = w, b
    for k in range(1, ITERATIONS + 1):
        momentum = (k - 1) / (k + 2)
        v = w + momentum * (w - w_prev)
        c = b + momentum * (b - b_prev)
        margin = labels * (np.bincount(which, vals * v[cols], minlength=rows) + c)
        slope = -cost * labels / (1 + np.exp(np.minimum(margin, 50)))  # d loss / d output
        grad = np.bincount(cols, vals * slope[which], minlength=width) + L2 * v
        w_prev, b_prev = w, b
        w, b = v - step * grad, c - step * float(slope.sum())
    return w


def nearest(features: Features, docnum: int, among: np.ndarray, count: int) -> list[int]:
    """The `count` documents of `among` whose vectors are closest to one document's."""
    if not len(among):
        return []
    cols, vals = features.row(docnum)
    dense = np.zeros(len(features.terms), dtype=np.float32)
    dense[cols] = vals
    which, other_cols, other_vals = features.rows(among)
    similarity = np.bincount(which, other_vals * dense[other_cols], minlength=len(among))
    best = np.argsort(-similarity, kind="stable")[:count]
    return [int(among[i]) for i in best if similarity[i] > 0]


def strongest_terms(features: Features, model: Model, docnum: int, count: int) -> list[str]:
    """The features that raise a document's score most (its terms the model likes)."""
    cols, vals = features.row(docnum)
    lift = vals * model.weights[cols]
    best = np.argsort(-lift, kind="stable")[:count]
    return [features.terms[int(cols[i])] for i in best if lift[i] > 0]
