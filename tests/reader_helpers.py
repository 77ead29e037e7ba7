"""Helpers for driving the real reader with Textual's Pilot."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from tui.screens.main import MainScreen
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish (or be cancelled by newer ones) and their messages land."""
    for _ in range(rounds):
        for _ in range(500):
            if not any(worker.is_running for worker in pilot.app.workers):
                break
            await pilot.pause(0.01)
        await pilot.pause()


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


async def ready(pilot: Pilot) -> MainScreen:
    for _ in range(200):
        screen = pilot.app.screen
        if isinstance(screen, MainScreen) and screen.ready and screen.result is not None:
            break
        await pilot.pause(0.02)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


def list_titles(screen: MainScreen) -> list[str]:
    return [paper.title for paper in screen.query_one(PaperList).rows]


def shown(screen: MainScreen):
    return screen.query_one(PaperDetail).view


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status").render())


async def type_query(pilot: Pilot, text: str) -> None:
    await pilot.press("slash")
    for char in text:
        await pilot.press(char if char != " " else "space")
    await settle(pilot)


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
