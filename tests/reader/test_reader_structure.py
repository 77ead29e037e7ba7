"""The reader's screen is composed, not mixed in (issue 24.3): MainScreen's base is Textual's
Screen alone, and no part of the reader stands in for another's method with a placeholder."""

from __future__ import annotations

import ast

from paperdeck.tui.screens.main import MainScreen
from paperdeck.tui.widgets.paper_detail import DetailView, PaperDetail
from textual.screen import Screen

from tests.support import ROOT

TUI = ROOT / "tui"


def test_main_screen_is_a_screen_that_holds_its_helpers() -> None:
    assert MainScreen.__bases__ == (Screen,)


def test_no_placeholder_methods_in_the_reader() -> None:
    placeholders = []
    for path in [*TUI.glob("screens/*.py"), *TUI.glob("widgets/*.py"), TUI / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Raise) and "NotImplementedError" in ast.unparse(node):
                placeholders.append(f"{path.name}:{node.lineno}")
    assert placeholders == []


def test_each_detail_pane_has_a_view_of_its_own() -> None:
    """`view` was one DetailView shared by every pane as a class default."""
    one, other = PaperDetail(), PaperDetail()
    assert isinstance(one.view, DetailView) and one.view is not other.view
