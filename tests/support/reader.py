"""Helpers for driving the real reader with Textual's Pilot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_detail import PaperDetail
from paperdeck.tui.widgets.paper_list import PaperList
from textual.pilot import Pilot


def idle(pilot: Pilot) -> bool:
    """No worker is running (a finished one's message may still be on its way)."""
    return not any(worker.is_running for worker in pilot.app.workers)


async def until(
    pilot: Pilot,
    condition: Callable[[], object],
    what: str,
    seconds: float = 10.0,
    since: float | None = None,
) -> None:
    """Wait until `condition()` holds; fail with `what` if it does not within `seconds` of
    wall-clock time (counted from `since`, a time.monotonic(), when given). A condition met
    only after the deadline fails too: an event loop that was blocked (the UI thread stuck
    on the disk or a lock) must not pass for a responsive one."""
    start = time.monotonic() if since is None else since
    while True:
        met = bool(condition())
        took = time.monotonic() - start
        if met and took <= seconds:
            return
        if took > seconds:
            when = f"only after {took:.2f} s" if met else f"not within {seconds} s"
            raise AssertionError(f"never happened in time: {what} ({when})")
        await pilot.pause(0.01)


def searched(screen: MainScreen, text: str) -> bool:
    """The list shows the answer to `text` (with the filters that are on) and nothing newer
    is on its way."""
    result = screen.result
    suffix = " is:bookmarked" if screen.filters.bookmarks_only else ""
    suffix += " is:new" if screen.filters.new_only else ""
    busy = any(w.group == "search" and not w.is_finished for w in screen.workers)
    return result is not None and result.query == text + suffix and not busy


def loaded(screen: MainScreen) -> bool:
    """The detail pane shows the whole paper under the cursor (or there is none)."""
    row, view = screen.query_one(PaperList).current, shown(screen)
    if row is None:
        return True
    return view.paper is not None and view.paper.id == row.id and not view.loading


async def ready(pilot: Pilot, to_list: bool = True) -> MainScreen:
    """The library open, its papers listed and the first one loaded; then (`to_list`) the
    focus taken from the search box, where the reader starts, to the list with ↓, as a
    user does before using the one-letter keys."""

    def opened() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, MainScreen) and screen.ready and screen.serial > 0

    await until(pilot, opened, "the library opened", seconds=30)
    screen = pilot.app.screen
    await until(pilot, lambda: searched(screen, "") and loaded(screen), "the first paper shown")
    if to_list:
        await pilot.press("down")
        await until(pilot, lambda: screen.query_one(PaperList).has_focus, "the list focused")
    return screen


def list_titles(screen: MainScreen) -> list[str]:
    return [paper.title for paper in screen.query_one(PaperList).rows]


def shown(screen: MainScreen):
    return screen.query_one(PaperDetail).view


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status").render())


async def type_query(pilot: Pilot, text: str) -> None:
    """Type in the search box; return once the list and the detail show the answer."""
    await pilot.press("slash")
    for char in text:
        await pilot.press(char if char != " " else "space")
    screen = pilot.app.screen
    typed = screen.query_one("#search").value
    await until(pilot, lambda: searched(screen, typed) and loaded(screen), f"results for {typed}")


async def refreshed(pilot: Pilot) -> None:
    """Wait for the screen's next repaint: scrolls asked for before it (scroll_home and
    scroll_end wait for one) have happened by then."""
    done = asyncio.Event()
    pilot.app.screen.call_after_refresh(done.set)
    await until(pilot, done.is_set, "a repaint")


def screen_text(app) -> str:
    """What the terminal shows, as plain text (from Textual's own screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    pieces = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(pieces)).replace("\xa0", " ")


def fake_program(bin_dir, name: str, script: str) -> None:
    """An executable shell script `name` in `bin_dir` (put that first on PATH)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)


def screen_lines(app) -> list[str]:
    """What the terminal shows, line by line as plain text (spaces kept, unlike the SVG)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


async def wheel(pilot: Pilot, widget, down: bool = True, times: int = 1) -> None:
    """Turn the mouse wheel over `widget`, as the terminal reports it (through the screen)."""
    from textual.events import MouseScrollDown, MouseScrollUp

    event = MouseScrollDown if down else MouseScrollUp
    for _ in range(times):
        await pilot._post_mouse_events([event], widget, offset=(3, 2))


def notices(app: PaperDeckApp) -> list[str]:
    """The messages of the notifications the reader has shown, oldest first."""
    return [n.message for n in app._notifications]
