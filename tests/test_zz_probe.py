from pathlib import Path
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.widgets.paper_list import PaperList
from tests.reader_helpers import (
    ready,
    type_query,
    until,
    shown,
    status,
    idle,
    searched,
    screen_lines,
    refreshed,
)


async def test_probe(sample_dir: Path) -> None:
    app = PaperDeckApp(Library(sample_dir))
    for size in [(120, 40), (80, 24), (60, 20)]:
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot, to_list=False)
            for text in ["retrieval", "r", "retrieval", ""]:
                screen.query_one("#search").value = text
                await until(pilot, lambda: searched(screen, text), "s")
                await refreshed(pilot)
                lines = [l for l in screen_lines(app) if "Mar" in l]
                print(size, repr(text), sum("Mar 13" in l for l in lines), len(lines), lines[:1])
        app = PaperDeckApp(Library(sample_dir))
