"""One table of keys (paperdeck.tui.keymap): the bindings, the help screen, the palette and the
README
all say what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui import keymap
from paperdeck.tui.app import PaperDeckApp, make_reader
from paperdeck.tui.screens.help import HelpScreen
from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_detail import PaperDetail
from paperdeck.tui.widgets.paper_list import PaperList
from paperdeck.tui.widgets.search_box import SearchBox
from textual.app import App

from tests.support import ROOT
from tests.support.reader import ready, refreshed, screen_text, shown, until

README = ROOT / "README.md"
SCOPES = {
    "screen": MainScreen,
    "list": PaperList,
    "detail": PaperDetail,
    "search": SearchBox,
    "": App,
}


def readme_key_paragraph(start: str = "Keys:") -> str:
    """The paragraph that begins `start` in the README's "The reader" section."""
    section = README.read_text("utf-8").split("\n## The reader\n", 1)[1].split("\n## ", 1)[0]
    paragraph = next(p for p in section.split("\n\n") if p.startswith(start))
    return " ".join(paragraph.split())


def test_the_readme_lists_the_keys_the_table_has() -> None:
    """If this fails, paste the output of `python -m paperdeck.tui.keymap` into the README."""
    assert readme_key_paragraph() == keymap.readme_keys()
    assert readme_key_paragraph("Names:") == keymap.readme_key_names()  # keys.toml's names


def test_every_row_names_an_action_its_widget_has() -> None:
    for row in keymap.KEYS:
        name = row.action.split("(")[0]
        owner = App if name.startswith("app.") else SCOPES[row.scope]
        method = "action_" + name.removeprefix("app.")
        assert hasattr(owner, method), f"{row.keys or row.palette}: no {owner.__name__}.{method}"


@pytest.mark.parametrize(("scope", "owner"), [(s, o) for s, o in SCOPES.items() if s])
def test_no_key_of_ours_replaces_one_of_textuals_actions(scope: str, owner: type) -> None:
    """A key's action named like Textual's own (Screen.action_dismiss(result)) would replace it
    for whatever in Textual runs it, with other arguments."""
    textual_base = next(c for c in owner.__mro__ if c.__module__.startswith("textual."))
    for row in keymap.KEYS:
        method = "action_" + row.action.split("(")[0]
        if row.scope == scope and hasattr(textual_base, method):  # Textual's own, not replaced
            assert getattr(owner, method) is getattr(textual_base, method), f"{row.keys}: {method}"


@pytest.mark.parametrize(("scope", "owner"), [(s, o) for s, o in SCOPES.items() if s])
def test_the_bindings_are_the_tables(scope: str, owner: type) -> None:
    bound = {(b.key, b.action) for b in owner.BINDINGS}
    assert bound == {(r.keys, r.action) for r in keymap.KEYS if r.scope == scope and r.keys}


async def test_the_help_and_the_palette_show_every_row(sample_dir: Path) -> None:
    app = PaperDeckApp(Library(sample_dir))
    async with app.run_test(size=(120, 80)) as pilot:
        screen = await ready(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert all(row.palette in titles for row in keymap.palette())
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        text = " ".join(screen_text(app).split())
        for keys, meaning in keymap.help_rows():
            said = rf"{re.escape(' '.join(keys.split()))}\s*{re.escape(meaning[:30])}"
            assert re.search(said, text), f"the help does not say {keys}: {meaning}"


def _notices(app: PaperDeckApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_keys_toml_rebinds_a_key_by_its_id(sample_dir: Path, tmp_path: Path) -> None:
    """`bookmark = "m"` in keys.toml: m bookmarks, b no longer does; the rest stay."""
    keys_file = tmp_path / "keys.toml"
    keys_file.write_text('bookmark = "m"\nsimilar = ["z", "ctrl+r"]\n', "utf-8")
    app = make_reader(Library(sample_dir), keys_file=keys_file)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert {"m", "z"} <= set(screen.active_bindings) and "b" not in screen.active_bindings
        await pilot.press("m")
        await until(pilot, lambda: shown(screen).bookmark is not None, "m bookmarked the paper")
        await until(pilot, lambda: "Bookmarked." in _notices(app), "the bookmark said")
        assert _notices(app) == ["Bookmarked."]  # (nothing about keys.toml)
        await pilot.press("j", "j")  # a key not in keys.toml keeps its default
        assert screen.query_one(PaperList).cursor == 2
        assert "m Mark" in str(screen.query_one("#keys").render())  # the bottom line says it
    assert len(Library(sample_dir).bookmark_ids()) == 1


@pytest.mark.parametrize(
    "text",
    [
        'bookmark = "m"\nsimilar = "z',
        'bookmrk = "m"',
        'bookmark = "m"\nsimilar = 3',
        "bookmark = []",
        'bookmark = ["m", "s"]',
    ],
    ids=["not-toml", "unknown-name", "not-a-key", "no-key", "clash"],
)
async def test_a_bad_keys_toml_says_so_once_and_keeps_the_default_keys(
    sample_dir: Path, tmp_path: Path, text: str
) -> None:
    keys_file = tmp_path / "keys.toml"
    keys_file.write_text(text, "utf-8")
    app = make_reader(Library(sample_dir), keys_file=keys_file)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert "m" not in screen.active_bindings  # (not half the file either)
        await pilot.press("b")
        await until(pilot, lambda: shown(screen).bookmark is not None, "b bookmarked the paper")
        await until(pilot, lambda: "Bookmarked." in _notices(app), "the bookmark said")
        about_keys = [n for n in _notices(app) if n != "Bookmarked."]
        assert len(about_keys) == 1, about_keys
        assert str(keys_file) in about_keys[0] and "default keys" in about_keys[0]


def test_a_key_given_to_two_actions_is_refused_naming_both() -> None:
    """`bookmark = "s"` while similar keeps s: one of them would never run."""
    with pytest.raises(ValueError, match='"s" would be both bookmark and similar'):
        keymap.user_keymap({"bookmark": "s"})
    with pytest.raises(ValueError, match='"m" would be both'):
        keymap.user_keymap({"bookmark": "m", "similar": "m"})
    assert keymap.user_keymap({"bookmark": "s", "similar": "z"})  # a swap is fine
    assert keymap.first_clash(keymap.KEYS) == ""  # the defaults never clash


def _painted_cursor_rows(plist: PaperList) -> list[int]:
    """The list rows drawn with the cursor's background, from the lines the widget keeps
    painted (a row the cursor left but that was not repainted keeps its old look)."""
    from textual.geometry import Region

    background = plist.get_component_rich_style("paper-list--cursor").bgcolor
    strips = plist.render_lines(Region(0, 0, *plist.outer_size))
    top = round(plist.scroll_offset.y) - plist.gutter.top  # (the border above the rows)
    return [
        top + y
        for y, strip in enumerate(strips)
        if any(seg.style is not None and seg.style.bgcolor == background for seg in strip)
    ]


async def test_a_cursor_move_repaints_the_row_it_left_and_the_row_it_reached(
    app: PaperDeckApp,
) -> None:
    """A move repaints only the two rows it changed (not the pane): both must be redrawn,
    within the screen and when the move scrolls the list."""
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        plist = screen.query_one(PaperList)
        for key in ("down", "down", "j", "up", "G", "k", "g", "down"):
            await pilot.press(key)
            await refreshed(pilot)
            assert _painted_cursor_rows(plist) == [plist.cursor], key
