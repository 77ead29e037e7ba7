"""The for-you cache's files: arrays saved as a directory of .npy files that appears whole or
not at all, and feature names kept as one blob."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np


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


def save_arrays(
    directory: Path, arrays: dict[str, np.ndarray], scratch: Path | None = None
) -> None:
    """Arrays as `<name>.npy` files in a directory, which appears whole or not at all; they
    are written in `scratch` (by default beside it; on the same file system) first."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=scratch or directory.parent, prefix=".tmp-"))
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
