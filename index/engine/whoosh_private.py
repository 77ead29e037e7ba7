"""Every use of Whoosh's private internals, for the one whoosh3 release that has them.

paperdeck reads posting lists and columns straight from Whoosh's segment files
(paperdeck.index.engine.fastscore) and commits segments written by its own worker processes
(paperdeck.index.engine.writer); both need attributes Whoosh does not promise to keep. They are
reached
here only (and in paperdeck.index.engine.codec, whose classes subclass Whoosh's format writers),
behind
a version check made at import: another whoosh3 release fails loudly, naming the one
supported, instead of falling back to slow paths that would hide paperdeck's own bugs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any, cast

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import W3LeafMatcher, _lenfield
from whoosh.columns import VarBytesColumn
from whoosh.filedb.compound import SubFile

SUPPORTED = (3, 54, 0)  # pyproject.toml pins whoosh3 to this release


class UnsupportedWhoosh(ImportError):
    """The installed Whoosh is not the release whose internals this module knows."""


def _check_version() -> None:
    found = tuple(whoosh.__version__)
    if found != SUPPORTED:
        wanted, have = ".".join(map(str, SUPPORTED)), ".".join(map(str, found))
        raise UnsupportedWhoosh(
            f"paperdeck needs whoosh3 {wanted} (found {have}): pip install 'whoosh3=={wanted}'"
        )


_check_version()


# -- writing: committing segments written elsewhere ----------------------------------------------
def finalize_segment(writer: Any) -> Any:
    """Flush and close a SegmentWriter's segment without committing; returns the segment."""
    return writer._finalize_segment()


@contextlib.contextmanager
def segment_reader(target: Any, segment: Any) -> Iterator[Any]:
    """A reader of one segment a writer has just finalized (before any commit names it)."""
    from whoosh.reading import SegmentReader

    reader = SegmentReader(target.storage, target.schema, segment)
    try:
        yield reader
    finally:
        reader.close()


def close_segment(writer: Any) -> None:
    """Close a segment writer's files, leaving the temporary directory it shares."""
    writer._close_segment()


SMALL_SEGMENT = 2000  # documents: a segment a daily digest wrote, not a bulk import's
MERGE_AT = 4  # small segments gathered before they are merged into one


def segments_to_merge(segments: list[Any]) -> list[Any]:
    """The small segments, once there are MERGE_AT of them; never a large one. Whoosh's own
    rule (MERGE_SMALL) also rewrote large ones: after a 1,000,000-paper import (~70 segments)
    adding 100 papers merged 25 of them, rewriting a third of the library (bench/README.md)."""
    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT]
    return small if len(small) >= MERGE_AT else []


def _merge_small_only(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: the small segments merged into the writer's own."""
    from whoosh.reading import SegmentReader

    merged = segments_to_merge(segments)
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merged]


def commit_segments(writer: Any, extra_segments: Iterable[Any]) -> None:
    """Commit `writer` (its deletions, a merge of the small segments, its own segment if
    it added documents) together with segments other writers wrote into the same index."""
    kept = writer._merge_segments(_merge_small_only, False, True)
    if writer._added:
        kept.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc([*kept, *extra_segments])
    writer._finish()


# -- reading: posting lists, lengths and deletions as raw bytes -----------------------------------
def deleted_docs(leaf: Any) -> list[int]:
    """A segment reader's deleted document numbers."""
    return list(leaf._perdoc.deleted_docs()) if leaf.has_deletions() else []


def term_matcher(leaf: Any, fieldname: str, text: bytes, fmt: Any) -> Any:
    """A segment's matcher for one term, without Whoosh's per-searcher wrapping."""
    return leaf._terms.matcher(fieldname, text, fmt)


def length_bytes(leaf: Any, fieldname: str) -> bytes | None:
    """A segment's raw field-length column (one byte per document), or None."""
    perdoc = leaf._perdoc
    column = _lenfield(fieldname)
    if not perdoc.has_column(column):
        return None
    dbfile, offset, length = perdoc._get_column_file(column)
    return bytes(dbfile.get(offset, length))


def column_bytes(leaf: Any, fieldname: str) -> bytes | None:
    """A segment's raw column of a field (fixed-width values, big-endian; documents past its
    end have the column's default), or None when the segment has none."""
    perdoc = leaf._perdoc
    if not perdoc.has_column(fieldname):
        return None
    dbfile, offset, length = perdoc._get_column_file(fieldname)
    return bytes(dbfile.get(offset, length))


def term_postings_bytes(leaf: Any, terminfo: Any) -> bytes | None:
    """The raw posting blocks of a term, found from its TermInfo as the lexicon gives it
    (no lookup, no matcher); None when its postings are inlined in the TermInfo."""
    if terminfo.is_inlined():
        return None
    offset, length = terminfo.extent()
    length = length[0] if isinstance(length, tuple) else length  # (as the matcher keeps it)
    return cast(bytes, leaf._terms._postfile.get(offset, length))


def posting_blocks(matcher: Any) -> bytes | None:
    """The raw bytes of a term's posting blocks, or None when the matcher keeps them
    otherwise (an inlined single posting, a matcher of another kind)."""
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        return None
    length = matcher._length  # whoosh3 keeps it as a 1-tuple
    length = length[0] if isinstance(length, tuple) else length
    return cast(bytes, matcher._postfile.get(matcher._startoffset, length))


def expanded_terms(node: Any, reader: Any) -> Iterator[bytes]:
    """The index terms a fuzzy, wildcard or regex query stands for."""
    return cast(Iterator[bytes], node._btexts(reader))


# -- reading: a variable-bytes column's values straight from the segment's file ------------------
def var_column(leaf: Any, fieldname: str) -> tuple[int, np.ndarray, np.ndarray] | None:
    """Where each document's value of a segment's variable-bytes column lies: the file
    descriptor holding it, and each document's absolute offset and length in it, so that a
    value is one positioned read (`os.pread`) instead of Whoosh's seek and read through the
    compound file's wrappers, most of a search's time when it lists 1,000 rows. Valid while
    the segment's reader (which keeps the file open) is. None when the column is not of that
    kind or not in a real file: Whoosh's own reader serves then."""
    reader = leaf.column_reader(fieldname, translate=False)
    if type(reader) is not VarBytesColumn.Reader:  # (a subclass may transform its values)
        return None
    subfile = getattr(reader._dbfile, "file", None)
    if not isinstance(subfile, SubFile):
        return None
    try:
        fileno = int(subfile._file.fileno())
    except (AttributeError, OSError, ValueError):  # a file in memory
        return None
    base = subfile._offset + reader._basepos
    starts = np.array(reader._offsets, dtype=np.int64) + base
    return fileno, starts, np.array(reader._lengths, dtype=np.int64)
