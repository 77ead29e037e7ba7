"""Where paperdeck keeps things.

Precious data (bookmarks, raw digests, the list of imports) goes in the data dir; the Whoosh
index is derived and goes in the cache dir. `--data-dir` / PAPERDECK_DATA_DIR keeps both under
one directory, which is also how tests and benchmarks stay out of the user's library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "paperdeck"
ENV_DATA_DIR = "PAPERDECK_DATA_DIR"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    cache_dir: Path

    @property
    def library_file(self) -> Path:
        return self.data_dir / "library.json"

    @property
    def bookmarks_file(self) -> Path:
        return self.data_dir / "bookmarks.json"

    @property
    def watches_file(self) -> Path:
        return self.data_dir / "watches.json"

    @property
    def dismissed_file(self) -> Path:
        return self.data_dir / "dismissed.json"

    @property
    def index_dir(self) -> Path:
        return self.cache_dir / "index"

    @property
    def last_copy_file(self) -> Path:
        return self.cache_dir / "last-copied.txt"

    @property
    def crash_log_file(self) -> Path:
        return self.cache_dir / "crash.log"


def plain_name(name: str) -> bool:
    """A stored name that is one entry of its directory: no separator, no `..`, not
    hidden (a crafted `g-1/../../digests` must never reach a removal)."""
    return bool(name) and name not in (".", "..") and not name.startswith(".") and (
        os.sep not in name and "/" not in name and "\x00" not in name
        and (os.altsep is None or os.altsep not in name)
    )  # fmt: skip


def inside(directory: Path, relative: str) -> Path | None:
    """`directory / relative` when that stays inside `directory` (every part a plain name),
    else None."""
    parts = relative.split("/")
    return directory.joinpath(*parts) if all(plain_name(part) for part in parts) else None


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """An explicit dir wins, then PAPERDECK_DATA_DIR, then the platform's user dirs."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return Paths(data_dir=root, cache_dir=root / "cache")
    import platformdirs  # only here: a dir given on the command line needs none of it

    return Paths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )


def config_dir() -> Path:
    """The user's settings (the reader's keys.toml): the platform's config dir, whichever
    library is open (`--data-dir` moves the library, not the user's keys)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
