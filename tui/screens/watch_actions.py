"""The main screen's watches: list them with their new counts, open one (its query in the
search box, marked seen), save the current search as one, and say what is new in them when
the reader opens. Library calls run in thread workers and come back as messages."""

from __future__ import annotations

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.tui import messages
from paperdeck.tui.screens.texts import plural
from textual import work
from textual.screen import Screen
from textual.widgets import Input


class WatchActions(Screen[None]):
    """A base of MainScreen, which sets `library` and `query_text` (the search box's text)."""

    library: Library
    query_text: str

    def action_watches(self) -> None:
        self.watches_worker(False)

    @work(thread=True, group="watches", exclusive=True, exit_on_error=False)
    def watches_worker(self, opening: bool) -> None:
        """The watches with their counts: for the watches screen, or (`opening`) to say
        what is new when the reader opens."""
        try:
            statuses = self.library.watches()
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        self.post_message(messages.WatchesListed(statuses, opening))

    def on_watches_listed(self, message: messages.WatchesListed) -> None:
        if message.opening:
            said = [f"{s.name}: {s.new} new" for s in message.statuses if s.new]
            if said:
                self.notify(
                    ", ".join(said) + " (w shows your watches)", title="Watches", timeout=10
                )
            return
        from paperdeck.tui.screens.watches import WatchesScreen

        statuses = {s.name: s for s in message.statuses}

        def chosen(name: str | None) -> None:
            if name is not None:
                self.open_watch(statuses[name].name, statuses[name].query)

        self.app.push_screen(WatchesScreen(message.statuses), chosen)

    def open_watch(self, name: str, query: str) -> None:
        """Search the watch's query (the search box says it) and mark what it finds seen."""
        self.query_one("#search", Input).value = query  # searches (Input.Changed)
        self.watch_seen_worker(name)

    @work(thread=True, group="watch-seen", exit_on_error=False)
    def watch_seen_worker(self, name: str) -> None:
        try:
            status = self.library.watch_seen(name)
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(str(exc)))
            return
        said = f"{status.name}: {plural(status.matches, 'paper')}, all seen now."
        self.post_message(messages.Done(said))

    def action_add_watch(self) -> None:
        from paperdeck.tui.screens.watches import WatchDialog

        if not self.query_text.strip():
            self.notify("Search for something first: W watches the current search.", timeout=4)
            return

        def named(got: tuple[str, str] | None) -> None:
            if got is not None:
                self.add_watch_worker(*got)

        self.app.push_screen(WatchDialog(self.query_text.strip()), named)

    @work(thread=True, group="watches", exit_on_error=False)
    def add_watch_worker(self, name: str, query: str) -> None:
        try:
            status = self.library.add_watch(name, query)
        except PaperdeckError as exc:
            self.post_message(messages.ActionFailed(f"Not watched: {exc}."))
            return
        matches = plural(status.matches, "paper")
        said = f"Watching {status.name} ({matches} so far): w lists your watches."
        self.post_message(messages.Done(said))
