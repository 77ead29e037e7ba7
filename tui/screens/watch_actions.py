"""The main screen's watches: list them with their new counts, open one (its papers listed,
new ones first and marked; only the papers then on the screen become seen), save the current
search as one, and say what is new in them when the reader opens.

`Watches` is a helper the screen holds: it is given the library, the query typed, and what
opening a watch's query does; its library calls run in thread workers of the screen and come
back as messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.tui import messages
from paperdeck.tui.screens.jobs import thread_job
from paperdeck.tui.screens.texts import Part, about_title, plural
from paperdeck.tui.widgets.paper_list import PaperList
from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:  # the watches' modules: at the first watch listed
    from paperdeck.index.library import WatchRows


class WatchOpened(Message):
    """A watch's papers as they are now, for the list (Watches.show)."""

    def __init__(self, watched: WatchRows, keep: str | None) -> None:
        super().__init__()
        self.watched, self.keep = watched, keep  # keep: the paper the cursor stays on


def rows_on_screen(paper_list: PaperList) -> list[str]:
    """The ids of the rows the list draws now (not those scrolled out of it)."""
    top = round(paper_list.scroll_offset.y)
    height = paper_list.scrollable_content_region.height
    return [row.id for row in paper_list.rows[top : top + height]]


class Watches:
    """Watches for `screen`: `query()` is the search box's text (what W watches), `open()`
    the name of the watch the list shows, if it shows one."""

    def __init__(
        self,
        screen: Screen[Any],
        library: Library,
        query: Callable[[], str],
        listing: Callable[[], str | None],
    ) -> None:
        self.screen, self.library, self.query, self.listing = screen, library, query, listing
        self._followed: PaperList | None = None  # the list whose scrolling is followed
        self._listed: WatchRows | None = None  # the watch the list shows (show)
        self._marked: set[str] = set()  # its new papers marked seen since

    def follow(self) -> None:
        """The watches changed on disk: the watches screen, if it is shown, shows them anew."""
        from paperdeck.tui.screens.watches import WatchesScreen

        if isinstance(self.screen.app.screen, WatchesScreen):
            self.watches_worker(False)

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

        if isinstance(shown := self.screen.app.screen, WatchesScreen):
            shown.follow(message.statuses)
            return  # (the watches changed on disk while they were shown)
        statuses = {s.name: s for s in message.statuses}

        def chosen(name: str | None) -> None:
            if name is not None:
                self.open(statuses[name].name)

        self.screen.app.push_screen(WatchesScreen(message.statuses), chosen)

    def open(self, name: str, keep: str | None = None) -> None:
        """List the watch's papers as they are now (show), new ones first; the cursor on
        `keep` if it is among them (the list followed a change on disk)."""
        self.watch_rows_worker(name, keep)

    @thread_job("watch-rows", exclusive=True)
    def watch_rows_worker(self, name: str, keep: str | None) -> None:
        try:
            watched = self.library.watch_rows(name)
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        self.screen.post_message(WatchOpened(watched, keep))

    def show(self, paper_list: PaperList, watched: WatchRows, keep: str | None) -> list[Part]:
        """The watch's papers in the list, its new ones marked; once drawn, the papers on
        the screen become seen (WatchesScreen's promise), the others stay new. Returns
        what the status line says."""
        paper_list.new_ids = set(watched.new_ids)
        paper_list.set_rows(watched.rows, keep)
        paper_list.focus()
        new = f", {len(watched.new_ids) or 'none'} new"
        about = f"{plural(len(watched.rows), 'paper')}{new} ({watched.query})"
        again = self._listed is not None and self._listed.name == watched.name
        self._listed, self._marked = watched, self._marked if again else set()
        if self._followed is not paper_list:  # (scrolled: more rows on the screen)
            self._followed = paper_list
            self.screen.watch(
                paper_list, "scroll_y", lambda: self._scrolled(paper_list), init=False
            )
        if watched.new_ids:
            self.screen.call_after_refresh(lambda: self._seen(paper_list, watched))
        return about_title("Watch ", watched.name, f": {about} — escape to go back")

    def _scrolled(self, paper_list: PaperList) -> None:
        """A watch's list scrolled: the new papers it brought onto the screen become seen
        too (said once, when the watch was opened)."""
        listed = self._listed
        if listed is not None and self.listing() == listed.name:
            self.screen.call_after_refresh(lambda: self._seen(paper_list, listed))

    def _seen(self, paper_list: PaperList, watched: WatchRows) -> None:
        if watched is not self._listed:
            return  # (another list since)
        on_screen = rows_on_screen(paper_list)
        shown = [i for i in on_screen if i in watched.new_ids and i not in self._marked]
        if shown:
            self.watch_seen_worker(watched.name, shown, not self._marked)
            self._marked.update(shown)

    @thread_job("watch-seen")
    def watch_seen_worker(self, name: str, shown: list[str], say: bool) -> None:
        try:
            status = self.library.watch_seen(name, shown)
        except PaperdeckError as exc:
            self.screen.post_message(messages.ActionFailed(str(exc)))
            return
        if not say:
            return
        still = f", {status.new} still new below" if status.new else ""
        said = f"{status.name}: {plural(len(shown), 'new paper')} seen now{still}."
        self.screen.post_message(messages.Done(said))

    async def add(self) -> None:
        """The dialog that names the current search as a watch, mounted and focused before
        the key's action returns: the keys queued behind `W` are the name."""
        from paperdeck.tui.screens.watches import WatchDialog

        if not self.query().strip():
            self.screen.notify(
                "Search for something first: W watches the current search.", timeout=4
            )
            return

        def named(got: tuple[str, str] | None) -> None:
            if got is not None:
                self.add_watch_worker(*got)

        dialog = WatchDialog(self.query().strip())
        await self.screen.app.push_screen(dialog, named)
        dialog.set_focus(dialog.query_one("#watch-name"))  # at once, not after the queued keys

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
