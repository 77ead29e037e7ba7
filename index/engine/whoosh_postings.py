"""Whoosh 3's posting-block format, decoded in one place.

paperdeck.index.engine.fastscore (scoring) and paperdeck.index.engine.foryou_segments (for-you
features) read a
term's posting list straight from the segment's bytes (whoosh_private.term_postings_bytes)
instead of through Whoosh's matchers, one small file read and unpickle at a time. The format
is Whoosh's private one, for the release whoosh_private checks: a magic header, then blocks of
[length][pickled info][data], the length negative on the last block; the info holds the
block's posting count and whether its data is zlib-compressed; the data pickles the ids
(delta-coded from 0 in each block), the weights (a list, one float for all, or None for 1.0)
and the values. No other module of paperdeck unpickles Whoosh's files.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections.abc import Iterator, Sequence

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

_BLOCK_LENGTH = struct.Struct("!i")  # a posting block's byte length (whoosh.system's int)


class NotWhoosh3(ValueError):
    """The bytes are not a Whoosh 3 posting list (another codec wrote the segment)."""


def blocks(raw: bytes) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """Each block of a posting list: its ids as stored (deltas from 0 within the block) and
    its weights, one per posting."""
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise NotWhoosh3("not a Whoosh 3 posting list")
    buffer = io.BytesIO(raw)
    position, last = 4, False
    while not last:
        (length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        last, length = length < 0, abs(length)
        buffer.seek(position + _BLOCK_LENGTH.size)
        count, _, _, compression, _, _ = pickle.load(buffer)
        data = raw[buffer.tell() : position + _BLOCK_LENGTH.size + length]
        ids, weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
        if weights is None or isinstance(weights, float):
            weights = [1.0 if weights is None else weights] * count
        yield ids, weights
        position += _BLOCK_LENGTH.size + length
