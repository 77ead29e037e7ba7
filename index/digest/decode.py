"""Bytes to text for digest files: BOMs, Windows line ends, legacy 8-bit encodings, gzip,
binaries refused. Streamed a line at a time, so a file of gigabytes is never held whole."""

from __future__ import annotations

import contextlib
import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from paperdeck.index.errors import DigestError

_GZIP_MAGIC = b"\x1f\x8b"
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
HEAD_BYTES = 1 << 16  # what sniffing and the binary check look at
# The longest line read (characters): arXiv's longest records (thousands of authors) are a
# small part of it; a longer one (a gzip bomb of one line) is passed over, never held.
MAX_LINE = 1 << 22


@dataclass(frozen=True, kw_only=True)
class DecodedText:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass
class TextLines:
    """A digest's text as lines (newline kept, line ends unified), with the head for
    sniffing and how far through the file the reading is. It never closes the file it
    reads: whoever opened it does."""

    name: str
    head: str
    encoding: str
    _buffered: io.BufferedReader[Any]
    _raw: BinaryIO
    _size: int
    warnings: list[str] = field(default_factory=list)
    _text: io.TextIOWrapper[Any] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._text is not None:
            raise ValueError("a digest's lines are read once")
        errors = "strict" if self.encoding == "utf-16" else "surrogateescape"
        encoding = "utf-16" if self.encoding == "utf-16" else "utf-8-sig"
        self._text = io.TextIOWrapper(self._buffered, encoding, errors, newline=None)
        try:
            for number, line in enumerate(_checked(self._text, self.name, self.encoding), 1):
                if len(line) >= MAX_LINE and not line.endswith("\n"):
                    line = self._pass_over(number, line)
                yield line if line.isascii() or errors == "strict" else self._legacy(line)
        finally:
            self.close()

    def _pass_over(self, number: int, start: str) -> str:
        """Read past a line too long to hold, a piece at a time, and say so; it is given as
        an empty line (line numbers stay true)."""
        assert self._text is not None
        length = len(start)
        for piece in _pieces(self._text, self.name, self.encoding):
            length += len(piece)
            if piece.endswith("\n"):
                length -= 1  # (the line end)
                break
        self.warnings.append(
            f"{self.name}: line {number} skipped: {length:,} characters long, more than a "
            f"line may hold ({MAX_LINE:,})"
        )
        return "\n"

    def _legacy(self, line: str) -> str:
        """UTF-8 where it is; a line that is not is read as Windows/legacy 8-bit text."""
        try:
            line.encode("utf-8")
            return line
        except UnicodeEncodeError:  # surrogate escapes: bytes that are not UTF-8
            pass
        if self.encoding == "utf-8":
            self.encoding = "cp1252"
            self.warnings.append(
                f"{self.name}: not UTF-8; decoded as cp1252 (Windows/legacy 8-bit text)"
            )
        data = line.encode("utf-8", "surrogateescape")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")

    def fraction(self) -> float:
        """How much of the file (compressed, if it is) has been read: 0.0 to 1.0."""
        try:
            return min(1.0, self._raw.tell() / self._size) if self._size else 1.0
        except (OSError, ValueError):  # closed
            return 1.0

    def close(self) -> None:
        """Let go of the file without closing it (the wrappers would close it)."""
        with contextlib.suppress(ValueError):  # already let go
            if self._text is not None:
                self._text.detach()
            _let_go(self._buffered, self._raw)


def open_lines(raw: BinaryIO, size: int, name: str) -> TextLines:
    """The text of a digest file opened for reading in binary; refuses what is not text."""
    stream: BinaryIO = raw
    if _peek(raw, 2) == _GZIP_MAGIC:  # a .json.gz snapshot, a gzipped digest
        stream = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    buffered = io.BufferedReader(stream, buffer_size=HEAD_BYTES)  # type: ignore[type-var]
    try:
        head = _read_head(buffered, name)
        if not head.strip():
            raise DigestError(f"{name}: the file is empty")
        refuse_head(head, name)
        if head.startswith(_UTF16_BOMS):
            return TextLines(name, head.decode("utf-16", "replace"), "utf-16", buffered, raw, size)
    except BaseException:
        _let_go(buffered, raw)
        raise
    return TextLines(name, head.decode("utf-8-sig", "replace"), "utf-8", buffered, raw, size)


def refuse_head(head: bytes, name: str) -> None:
    """Refuse what is surely not a text digest from its first bytes (decompressed, or a
    gzip file's own: those are checked once unzipped)."""
    if head.startswith((_GZIP_MAGIC, *_UTF16_BOMS)):
        return
    if _looks_binary(head[:HEAD_BYTES]):
        raise DigestError(f"{name}: not a text digest (binary data)")


def decode_digest(data: bytes, name: str) -> DecodedText:
    """A whole digest held in memory, as text (a fetched page, the tests)."""
    lines = open_lines(io.BytesIO(data), len(data), name)
    text = "".join(lines)
    return DecodedText(text=text, encoding=lines.encoding, warnings=tuple(lines.warnings))


def _let_go(buffered: io.BufferedReader[Any], raw: BinaryIO) -> None:
    """Detach the buffer from the file; a gunzipping layer between them is closed (which
    leaves the file open)."""
    inner = buffered.detach()
    if inner is not raw:  # type: ignore[comparison-overlap]
        inner.close()


def _peek(raw: BinaryIO, count: int) -> bytes:
    position = raw.tell()
    data = raw.read(count)
    raw.seek(position)
    return data


def _read_head(buffered: io.BufferedReader[Any], name: str) -> bytes:
    try:
        return buffered.peek(HEAD_BYTES)[:HEAD_BYTES]
    except (OSError, EOFError, zlib.error) as exc:
        raise DigestError(f"{name}: a damaged gzip file ({exc})") from None


def _checked(text: io.TextIOWrapper[Any], name: str, encoding: str) -> Iterator[str]:
    """The lines, none longer than MAX_LINE (a longer one comes in pieces of it); damage
    found on the way (a truncated gzip, broken UTF-16) as a DigestError."""
    return _pieces(text, name, encoding)


def _pieces(text: io.TextIOWrapper[Any], name: str, encoding: str) -> Iterator[str]:
    try:
        while line := text.readline(MAX_LINE):
            yield line
    except UnicodeDecodeError:
        raise DigestError(f"{name}: not a text file (broken {encoding.upper()})") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DigestError(f"{name}: a damaged gzip file ({exc or 'truncated'})") from None


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        return True
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(data) // 100)
