"""The main screen's watches: list them with their new counts, open one (its query in the
search box, marked seen), save the current search as one, and say what is new in them when
the reader opens.

`Watches` is a helper the screen holds: it is given the library, the query typed, and what
opening a watch's query does; its library calls run in thread workers of the screen and come
back as messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.tui import messages
from paperdeck.tui.screens.jobs import thread_job
from paperdeck.tui.screens.texts import plural
from textual.screen import Screen


class Watches:
    """Watches for `screen`: `query()` is the search box's text, `search(query)` puts a
    watch's query in it (which searches)."""

    def __init__(
        self,
        screen: Screen[Any],
        library: Library,
        query: Callable[[], str],
        search: Callable[[str], None],
    ) -> None:
        self.screen, self.library, self.query, self.search = screen, library, query, search

    def list_watches(self, opening: bool) -> None:
        """The watches with their counts: for the watches screen, or (`opening`) to say
        what is new when the reader opens."""
        self.watches_worker(opening)

    @thread_job("watches", exclusive=True)
    def watches_worker(self, opening: bool) -> None:
        try:
            statuses = self.library.watches()
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        self.screen.post_message(messages.WatchesListed(statuses, opening))

    def listed(self, message: messages.WatchesListed) -> None:
        if message.opening:
            said = [f"{s.name}: {s.new} new" for s in message.statuses if s.new]
            if said:
                self.screen.notify(
                    ", ".join(said) + " (w shows your watches)", title="Watches", timeout=10
                )
            return
        from paperdeck.tui.screens.watches import WatchesScreen

        statuses = {s.name: s for s in message.statuses}

        def chosen(name: str | None) -> None:
            if name is not None:
                self.open(statuses[name].name, statuses[name].query)

        self.screen.app.push_screen(WatchesScreen(message.statuses), chosen)

    def open(self, name: str, query: str) -> None:
        """Search the watch's query (the search box says it) and mark what it finds seen."""
        self.search(query)
        self.watch_seen_worker(name)

    @thread_job("watch-seen")
    def watch_seen_worker(self, name: str) -> None:
        try:
            status = self.library.watch_seen(name)
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        said = f"{status.name}: {plural(status.matches, 'paper')}, all seen now."
        self.screen.post_message(messages.Done(said))

    def add(self) -> None:
        from paperdeck.tui.screens.watches import WatchDialog

        if not self.query().strip():
            self.screen.notify(
                "Search for something first: W watches the current search.", timeout=4
            )
            return

        def named(got: tuple[str, str] | None) -> None:
            if got is not None:
                self.add_watch_worker(*got)

        self.screen.app.push_screen(WatchDialog(self.query().strip()), named)

    @thread_job("watches")
    def add_watch_worker(self, name: str, query: str) -> None:
        try:
            status = self.library.add_watch(name, query)
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(f"Not watched: {exc}."))
            return
        matches = plural(status.matches, "paper")
        said = f"Watching {status.name} ({matches} so far): w lists your watches."
        self.screen.post_message(messages.Done(said))
