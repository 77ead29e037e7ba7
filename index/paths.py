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
