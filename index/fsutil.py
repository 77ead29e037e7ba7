"""Durable file writes: temp file in the same dir, fsync, os.replace, fsync of the dir."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
from collections.abc import Iterator
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never a torn one, even if we are killed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_replace(path, data)
    fsync_dir(path.parent)


def _write_replace(path: Path, data: bytes) -> None:
    """The step that meets the disk (tests make it fail as a full disk would)."""
    import tempfile  # (shutil, random: a command that writes nothing needs neither)

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _FdText:
    """A text file over a raw descriptor whose every write goes through `os.write` (the
    boundary where a full disk shows, and where tests make it fail)."""

    BUFFER = 1 << 20

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self._pending.append(data)
        self._size += len(data)
        if self._size >= self.BUFFER:
            self.flush()
        return len(text)

    def flush(self) -> None:
        view = memoryview(b"".join(self._pending))
        self._pending, self._size = [], 0
        while view:
            view = view[os.write(self.fd, view) :]


@contextlib.contextmanager
def atomic_writer(path: Path, *, overwrite: bool = True) -> Iterator[_FdText]:
    """Write a big file a piece at a time, atomically: readers (and a kill, or a full
    disk) see the old file or the whole new one. With `overwrite` false a file already at
    `path` raises FileExistsError, and the new one is linked in only if none appeared."""
    if not overwrite and path.exists():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    prune_dead_writers(path)
    prefix = f".{path.name}.{os.getpid()}."
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as an open() would make it, not mkstemp's 0600
        out = _FdText(fd)
        yield out
        out.flush()
        os.fsync(fd)
        _put_in_place(tmp_name, path, overwrite)
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
    fsync_dir(path.parent)


def _put_in_place(tmp_name: str, path: Path, overwrite: bool) -> None:
    """Rename over the target, or (not overwriting) link it: fails if a file came."""
    if overwrite:
        os.replace(tmp_name, path)
        return
    try:
        os.link(tmp_name, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the check above stands
        os.replace(tmp_name, path)


def _umask() -> int:
    """The process's umask, read without setting it (os.umask would, racing threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def prune_dead_writers(path: Path) -> None:
    """Remove the temp files a killed atomic_writer left for `path` (its name carries the
    writer's pid): a kill mid-export leaves no copy behind past the next write. A temp file
    of a live process (another export of the same file) is left alone."""
    with contextlib.suppress(OSError):
        for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            pid = tmp.name[len(path.name) + 2 :].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True
