"""The reader follows the library on disk: another process imports a digest, adds a bookmark,
dismisses a paper or edits a watch, and within a poll or two the screen shows it.

A timer on the screen starts a thread worker every POLL_S that takes the library's change
token (a few stat calls: paperdeck.index.changes) and compares it with the last one; the UI
thread never touches the disk. Polling rather than a file watcher (inotify through
`watchfiles`): the files are few and always replaced by a rename, a stat of each is cheap,
and it works the same on every file system (NFS, a container's bind mount) with no thread or
dependency of its own. What changed comes back as a DiskChanged message; the screen then
searches again in place (the cursor stays on its paper, the search box is not touched) and
the status line says how many papers came.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.tui.screens.jobs import thread_job
from paperdeck.tui.screens.texts import Part, plural
from paperdeck.tui.widgets.paper_list import PaperList
from paperdeck.tui.widgets.status_line import StatusLine
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

if TYPE_CHECKING:  # (changes' module: at the first poll, after the first frame)
    from paperdeck.index.library import ChangeToken
    from paperdeck.tui.screens.main import MainScreen

POLL_S = 1.0  # how often the files are looked at: "within a couple of seconds"


class DiskChanged(Message):
    """Another process changed the library: `kinds` as paperdeck.index.changes names them,
    `added` the papers it brought (the count's growth)."""

    def __init__(self, kinds: frozenset[str], added: int) -> None:
        super().__init__()
        self.kinds, self.added = kinds, added


class FollowDisk:
    """Polls the library for `screen` while `busy()` is false (the reader's own import:
    what it brings is said by its own summary; see resync)."""

    def __init__(self, screen: MainScreen, library: Library, busy: Callable[[], bool]) -> None:
        self.screen, self.library, self.busy = screen, library, busy
        self._token: ChangeToken | None = None  # the last look's, and the count then
        self._count = 0
        self._epoch = 0  # moved on by resync: a look begun before it is dropped
        self._lock = threading.Lock()
        self._worker: Worker[None] | None = None
        self._timer: Timer | None = None

    def start(self) -> None:
        """Take the first token now, then look again every POLL_S."""
        if self._timer is None:
            self._worker = self.follow_worker()
            self._timer = self.screen.set_interval(POLL_S, self.tick)

    def resync(self) -> None:
        """The reader changed the library itself: the next look takes a new first token."""
        with self._lock:
            self._token, self._epoch = None, self._epoch + 1

    @property
    def synced(self) -> bool:
        """A first token is taken: changes from now on are seen."""
        return self._token is not None

    def tick(self) -> None:
        if self.busy() or (self._worker is not None and not self._worker.is_finished):
            return
        self._worker = self.follow_worker()

    @thread_job("follow-disk")
    def follow_worker(self) -> None:
        with self._lock:
            before, count, epoch = self._token, self._count, self._epoch
        token = self.library.change_token()
        kinds = token.changed_since(before)
        if "catalog" in kinds:  # (every kind, the first time)
            with contextlib.suppress(PaperdeckError):  # (said by the search that follows)
                # Papers marked not interested too: the growth is what imports brought.
                count = self.library.count(dismissed=True)  # (opens the catalog's generation)
        with self._lock:
            if epoch != self._epoch:
                return  # the reader changed the library meanwhile: look again from there
            added, self._token, self._count = count - self._count, token, count
        if before is not None and kinds:
            self.screen.post_message(DiskChanged(kinds, max(0, added)))

    @thread_job("seen")
    def seen_worker(self) -> None:
        """The reader quits: the imports it showed are seen (the app waits for this)."""
        with contextlib.suppress(PaperdeckError):  # (a read-only data dir: they stay new)
            self.library.end_session()

    def changed(self, message: DiskChanged) -> None:
        """Show what another process changed, the cursor and the search box left alone."""
        screen = self.screen
        if not screen.ready:
            return
        if message.added:
            said = Part(f"{plural(message.added, 'new paper')} (imported elsewhere)", keep=9)
            screen.query_one(StatusLine).show_activity([said], for_a_while=True)
        if screen.watch_open is not None:
            if message.kinds & {"catalog", "marks"}:  # (not watches.json: it marks them seen)
                current = screen.query_one(PaperList).current
                screen.watches.open(screen.watch_open, keep=current.id if current else None)
        elif not screen.in_list_mode():
            screen.run_search()  # the same query: the cursor stays on its paper
        if "catalog" in message.kinds:
            screen.watches.list_watches(True)  # what the import brought the watches
        if message.kinds & {"catalog", "marks", "watches"}:
            screen.watches.follow()  # (the watches screen, if shown: counts and rows)
