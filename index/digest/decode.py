"""Bytes to text for digest files: BOMs, Windows line ends, legacy 8-bit encodings, binaries."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass

from index.errors import DigestError

_GZIP_MAGIC = b"\x1f\x8b"
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:65536]:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def decode_digest(data: bytes, name: str) -> DecodedText:
    """Decode as UTF-8 (BOM allowed); else as cp1252 with a warning. Refuse binaries."""
    if data.startswith(_GZIP_MAGIC):  # a .json.gz snapshot, a gzipped digest
        data = _gunzip(data, name)
    if not data.strip():
        raise DigestError(f"{name}: the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DigestError(f"{name}: not a text file (broken UTF-16)") from exc
        return DecodedText(_unify_newlines(text), "utf-16")
    if _looks_binary(data):
        raise DigestError(f"{name}: not a text digest (binary data)")
    try:
        return DecodedText(_unify_newlines(data.decode("utf-8-sig")), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    warning = f"{name}: not UTF-8; decoded as {encoding} (Windows/legacy 8-bit text)"
    return DecodedText(_unify_newlines(text), encoding, (warning,))


def _gunzip(data: bytes, name: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise DigestError(f"{name}: a damaged gzip file ({exc})") from None


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
