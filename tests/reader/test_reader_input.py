"""What the reader does with input that comes faster or bigger than a person types (a burst
of keys after `/`: a paste, a lagging SSH link; an abstract of megabytes), and with a bookmark
whose paper has left the library."""

from __future__ import annotations

from pathlib import Path

from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.widgets.paper_list import PaperList
from textual import events

from tests.support.reader import (
    idle,
    loaded,
    ready,
    screen_lines,
    screen_text,
    searched,
    shown,
    status,
    type_query,
    until,
)

KEY_NAMES = {"/": "slash", " ": "space"}


def burst(app: PaperDeckApp, text: str) -> None:
    """Every key of `text` queued at once, as a terminal delivers a paste or a lagging link
    (Pilot's press waits for the app to settle after each key, which hides the race)."""
    for char in text:
        key = events.Key(KEY_NAMES.get(char, char), char)
        key.set_sender(app)
        app.post_message(key)


async def test_keys_in_one_burst_after_slash_reach_the_search_box(sample_dir: Path) -> None:
    """`/mamba` in one burst left the query empty and its `b` bookmarked the highlighted
    paper (its `a`, `m` went to the list as well)."""
    library = Library(sample_dir)
    app = PaperDeckApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        burst(app, "/mamba")
        await until(pilot, lambda: searched(screen, "mamba"), "the burst searched for mamba")
        assert screen.query_one("#search").value == "mamba"
        burst(app, "/x")  # in the search box `/` is text
        await until(pilot, lambda: searched(screen, "mamba/x"), "a slash typed in the box")
        await until(pilot, lambda: idle(pilot), "every worker done")
    assert Library(sample_dir).bookmark_ids() == set()


async def test_keys_in_one_burst_after_down_reach_the_list(sample_dir: Path) -> None:
    """`↓jjb` in one burst from the search box: the cursor moves twice and `b` bookmarks the
    third paper (the keys behind ↓ were typed into the box as a query)."""
    library = Library(sample_dir)
    app = PaperDeckApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot, to_list=False)
        third = screen.query_one(PaperList).rows[2].id
        for key, char in (("down", None), ("j", "j"), ("j", "j"), ("b", "b")):
            event = events.Key(key, char)
            event.set_sender(app)
            app.post_message(event)
        await until(pilot, lambda: third in screen.marks, "the third paper bookmarked")
        assert screen.query_one("#search").value == ""
        await until(pilot, lambda: idle(pilot), "every worker done")
    assert Library(sample_dir).bookmark_ids() == {third}


async def test_keys_in_one_burst_after_t_are_the_tags(sample_dir: Path) -> None:
    """`tmlr` then enter in one burst: the tags dialog got "mlr" (its keys went to the list
    underneath while the dialog waited for a worker: `r` marked the paper read)."""
    library = Library(sample_dir)
    app = PaperDeckApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        first = screen.query_one(PaperList).current
        burst(app, "tmlr")
        enter = events.Key("enter", "\r")
        enter.set_sender(app)
        app.post_message(enter)
        await until(pilot, lambda: first.id in screen.marks, "saved as a bookmark")
        await until(pilot, lambda: screen.marks[first.id].tags == ("mlr",), "its tags")
        await until(pilot, lambda: idle(pilot), "every worker done")
        assert screen.query_one(PaperList).current == first
    assert Library(sample_dir).read_ids() == set()


async def test_keys_in_one_burst_after_W_name_the_watch(sample_dir: Path) -> None:
    """`Wgans` then enter in one burst, on a search for "gan": the watch is named "gans"
    (its `s` and `g` went to the list while the dialog mounted)."""
    library = Library(sample_dir)
    app = PaperDeckApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "gan")
        await pilot.press("down")
        await until(pilot, lambda: screen.focused is screen.query_one(PaperList), "the list")
        burst(app, "Wgans")
        enter = events.Key("enter", "\r")
        enter.set_sender(app)
        app.post_message(enter)
        await until(
            pilot, lambda: [w.name for w in Library(sample_dir).watches()] == ["gans"], "named"
        )
        await until(pilot, lambda: idle(pilot), "every worker done")
        assert screen.similar_to is None  # (its `s` did not ask for similar papers)


def huge_abstract_digest(sample_text: str, size: int) -> str:
    """A synthetic digest (made here, not a real file): the sample's header and one paper
    whose abstract is the sample's abstracts over and over, `size` characters in lines of
    1,000 (one paragraph, as a digest's abstract wraps)."""
    header, _, _ = sample_text.partition("Mar 13\n\n")
    words = " ".join(p for p in sample_text.split("\n\n") if len(p) > 600)
    body = (words + " ") * (size // len(words) + 1)
    lines = "\n".join(body[i : i + 1000].strip() for i in range(0, size, 1000))
    return f"{header}Mar 13\n\nA paper with a huge abstract\n\n{lines}\n\n"


async def test_a_huge_abstract_is_shown_cut_and_q_still_quits(
    sample_dir: Path, sample_path: Path, tmp_path: Path
) -> None:
    """A 14 MB abstract froze the reader for minutes, ignoring q (4 MB: 12 s)."""
    digest = tmp_path / "huge.txt"
    digest.write_text(huge_abstract_digest(sample_path.read_text(), 4_000_000))
    library = Library(sample_dir)
    library.import_digests([digest])
    app = PaperDeckApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await type_query(pilot, "huge abstract")
        assert shown(screen).paper.title == "A paper with a huge abstract"
        await pilot.press("escape", "tab", "end")  # to the pane, to its end: drawn at once

        def the_cut() -> bool:
            words = " ".join(screen_text(app).split())
            return "…, 3,9" in words and "more characters" in words

        await until(pilot, the_cut, "the end of the abstract shown, cut")
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "q quit the reader")


async def test_a_bookmark_whose_paper_left_the_library_is_listed_marked(
    sample_dir: Path, sample_path: Path, tmp_path: Path
) -> None:
    """`B` listed one row fewer than the status line's count of bookmarks: the bookmark of a
    paper whose digest was removed was left out."""
    digest = tmp_path / "one-more.txt"
    digest.write_text(huge_abstract_digest(sample_path.read_text(), 3_000))
    library = Library(sample_dir)
    library.import_digests([digest])
    kept = library.listing()[-1].id
    (gone,) = (h.paper.id for h in library.query('"huge abstract"').hits)
    library.add_bookmarks([kept, gone])
    library.remove_digest("one-more.txt")
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("B")
        await until(pilot, lambda: searched(screen, "") and screen.result.total == 2, "B")
        assert "2 bookmarked" in status(screen)
        assert {row.id for row in screen.query_one(PaperList).rows} == {kept, gone}
        lines = screen_lines(app)
        assert any("☆ A paper with a huge abstract" in line for line in lines), lines
        while screen.query_one(PaperList).current.id != gone:
            await pilot.press("j")
        await until(pilot, lambda: loaded(screen), "the gone paper shown from its bookmark")
        assert "no longer in the library" in " ".join(screen_text(app).split())
