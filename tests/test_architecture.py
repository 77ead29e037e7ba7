"""The data side never imports the UI: `index` must load without textual or rich."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_core_loads_neither_textual_nor_rich() -> None:
    code = (
        "import sys, index, index.library, index.export, index.bookmarks, tui.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_module_under_index_imports_the_ui() -> None:
    for path in (ROOT / "index").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"textual", "rich", "tui"}, f"{path}: {name}"


def test_the_reader_draws_its_first_rows_before_loading_whoosh_or_numpy(
    sample_dir: Path,
) -> None:
    """Start-up promise: the first screenful comes from the listing file; Whoosh (~0.1 s to
    import) and numpy load after it is drawn."""
    code = (
        "import sys\n"
        "from index.library import Library\n"
        "from tui.app import make_reader\n"
        f"app = make_reader(Library({str(sample_dir)!r}))\n"
        "assert app.first_screen is not None and len(app.first_screen.result.rows) == 65\n"
        "heavy = {'whoosh', 'numpy', 'filelock', 'pyperclip'}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
