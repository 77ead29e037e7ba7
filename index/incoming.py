"""The digest an import brings in: its identity (the file's hash, with its selection), its
raw copy made while hashing, and the file opened with one clear error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import stat
import sys
import tempfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from paperdeck.index.catalog import Catalog, DigestRecord, safe_file_name
from paperdeck.index.digest.decode import refuse_head
from paperdeck.index.digest.selection import Selection
from paperdeck.index.errors import DigestError
from paperdeck.index.linememo import LineMemo
from paperdeck.index.models import local_now

COPY_CHUNK = 1 << 20
TICK_CHUNKS = 64
COPY_PREFIX, COPY_SUFFIX = ".incoming-", ".tmp"
STDIN = "-"


@dataclass
class Incoming:
    """The digest being imported: its name, its file's hash and what is kept of it."""

    name: str
    file_sha: str
    selection: Selection
    now: dt.datetime = dataclasses.field(default_factory=local_now)
    memo: LineMemo = dataclasses.field(default_factory=lambda: LineMemo(array("Q"), ""))

    @property
    def key(self) -> str:
        """The digest's identity in the catalog: the file's hash, or with a selection the
        hash of both (the same file with another selection is another digest)."""
        if not self.selection.text:
            return self.file_sha
        return hashlib.sha256(f"{self.file_sha}\n{self.selection.text}".encode()).hexdigest()

    @property
    def relative(self) -> str:
        return f"digests/{self.key[:12]}-{safe_file_name(self.name)}"

    def record(self, fmt: str, papers: int, new: int) -> DigestRecord:
        return DigestRecord(
            self.name, self.key, self.relative, self.now.isoformat(), fmt, papers, new,
            self.selection.text,
        )  # fmt: skip


def copy_hashing(
    raw: BinaryIO, copy_dir: Path, name: str, tick: Callable[[], None] | None = None
) -> tuple[str, Path]:
    """Copy the digest into the library's raw copies under a temporary name, hashing it on
    the way: one read of the file for both, and the only one (the import parses the copy,
    so what is indexed is exactly what is kept). Its head is checked before anything is
    written (`/dev/zero` behind a pipe is refused, not copied until the disk is full).
    Returns its SHA-256 and the copy. `tick` is called every TICK_CHUNKS chunks (a
    big file takes a while: the reader shows it and can stop it)."""
    copy_dir.mkdir(parents=True, exist_ok=True)
    sha = hashlib.sha256()
    fd, temp = tempfile.mkstemp(prefix=COPY_PREFIX, suffix=COPY_SUFFIX, dir=copy_dir)
    try:
        with os.fdopen(fd, "wb") as copy:
            for number, chunk in enumerate(iter(lambda: raw.read(COPY_CHUNK), b""), 1):
                if number == 1:
                    refuse_head(chunk, name)
                sha.update(chunk)
                copy.write(chunk)
                if tick is not None and number % TICK_CHUNKS == 0:
                    tick()
            copy.flush()
            os.fsync(copy.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return sha.hexdigest(), Path(temp)


def prune_copies(copy_dir: Path) -> None:
    """Remove the temporary copies that imports killed while copying left (called under
    the write lock: no other import is copying)."""
    for path in copy_dir.glob(f"{COPY_PREFIX}*{COPY_SUFFIX}"):
        path.unlink(missing_ok=True)


def record_of(catalog: Catalog, sha: str) -> DigestRecord | None:
    return next((record for record in catalog.records if record.sha256 == sha), None)


def size_of(raw: BinaryIO) -> int:
    try:
        return os.fstat(raw.fileno()).st_size
    except (AttributeError, OSError, ValueError):  # in memory
        position = raw.seek(0, os.SEEK_END)
        raw.seek(0)
        return position


def open_digest_file(path: Path) -> BinaryIO:
    """A digest file opened for reading (`-`: standard input; a pipe is read as it comes),
    or one clear DigestError. A device is refused: `/dev/zero` never ends."""
    if str(path) == STDIN:
        return os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise DigestError(f"{path}: is a directory, not a digest file")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise DigestError(f"{path}: a device, not a digest file")
        return open(path, "rb")
    except OSError as exc:
        raise DigestError(f"{path}: cannot read ({exc.strerror or exc})") from None
