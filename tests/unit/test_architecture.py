"""The data side never imports the UI: `index` must load without textual or rich."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT


def test_importing_the_core_loads_neither_textual_nor_rich() -> None:
    code = (
        "import sys, paperdeck.index, paperdeck.index.library, paperdeck.index.export\n"
        "import paperdeck.index.bookmarks, paperdeck.tui.cli\n"
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
        "from paperdeck.index.library import Library\n"
        "from paperdeck.tui.app import make_reader\n"
        f"app = make_reader(Library({str(sample_dir)!r}))\n"
        "assert app.first_screen is not None and len(app.first_screen.result.rows) == 65\n"
        "heavy = {'whoosh', 'numpy', 'filelock', 'pyperclip'}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_another_whoosh_release_fails_loudly_naming_the_supported_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import whoosh
    from paperdeck.index.engine import whoosh_private

    monkeypatch.setattr(whoosh, "__version__", (3, 55, 0))
    with pytest.raises(whoosh_private.UnsupportedWhoosh, match=r"needs whoosh3 3\.54\.0"):
        whoosh_private._check_version()


def imports_of(path: Path) -> list[str]:
    """Every module a file imports (absolute names; relative imports are not used here)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def in_engine(path: Path) -> bool:
    """A module of index/engine, or of a package inside it (index/engine/foryou)."""
    return path.is_relative_to(ROOT / "index" / "engine")


def test_the_engine_is_reached_only_through_the_library() -> None:
    """index/engine is the Whoosh engine: outside it, only the facade (library.py and its
    parts library_*.py, and importing.py, its write side) imports it."""
    for path in [*modules("index"), *modules("tui")]:
        facade = path.name.startswith("library") or path.name == "importing.py"
        if in_engine(path) or (path.parent.name == "index" and facade):
            continue
        bad = [n for n in imports_of(path) if n.startswith("paperdeck.index.engine")]
        assert not bad, (
            f"{path.relative_to(ROOT)} imports {bad}: go through paperdeck.index.library"
        )


def test_whoosh_and_numpy_are_the_engines_alone() -> None:
    for path in [*modules("index"), *modules("tui")]:
        if in_engine(path):
            continue
        bad = [n for n in imports_of(path) if n.split(".")[0] in {"whoosh", "numpy"}]
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_whooshs_private_attributes_are_reached_in_one_module() -> None:
    """Outside whoosh_private (and the codec, which subclasses Whoosh's writers), the engine
    touches no underscore attribute of anything but its own objects."""
    allowed = {"whoosh_private.py", "codec.py"}
    for path in modules("index/engine"):
        if path.name in allowed:
            continue
        tree = ast.parse(path.read_text())
        own = {"self", "cls", "os", "sys"} | {
            n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")):
                continue
            if node.attr.startswith("__") or (
                isinstance(node.value, ast.Name) and node.value.id in own
            ):
                continue
            raise AssertionError(f"{path.name}:{node.lineno} reaches .{node.attr}")


def test_digest_readers_only_parse() -> None:
    """index/digest turns bytes into papers: no storage, no index, no network."""
    allowed = (
        "paperdeck.index.digest",
        "paperdeck.index.models",
        "paperdeck.index.errors",
        "paperdeck.index.clean",
        "paperdeck.index.links",
    )
    for path in modules("index/digest"):
        for name in imports_of(path):
            if name.startswith("index"):
                assert name.startswith(allowed), f"{path.name} imports {name}"


FACADE = ("paperdeck.index.library", "paperdeck.index.models", "paperdeck.index.errors")
# Parts of a Library that are its own business: the reader and the CLI ask it instead.
LIBRARY_INSIDES = {"bookmarks", "paths", "new_since", "engine", "notices"}


def library_reaches(path: Path) -> list[str]:
    """`library._bookmarks`, `self.library._paths`…: uses of a Library's insides in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        named = (isinstance(owner, ast.Name) and owner.id == "library") or (
            isinstance(owner, ast.Attribute) and owner.attr == "library"
        )
        if named and (node.attr in LIBRARY_INSIDES or node.attr.startswith("_")):
            found.append(f"{path.name}:{node.lineno} library.{node.attr}")
    return found


def test_the_reader_and_the_cli_use_only_the_facade() -> None:
    """tui/ imports nothing from index/ but the facade (paperdeck.index.library) and the types and
    errors it hands out, and asks the library rather than reaching into it; so the data side
    can change behind Library without touching the reader or the CLI."""
    for path in modules("tui"):
        names = [n for n in imports_of(path) if n == "index" or n.startswith("index.")]
        bad = [n for n in names if not n.startswith(FACADE)]
        assert not bad, (
            f"{path.relative_to(ROOT)} imports {bad}: ask paperdeck.index.library instead"
        )
        assert library_reaches(path) == [], "ask the Library; do not reach into it"


WHOOSH_FORMAT = {"whoosh_postings.py", "whoosh_private.py", "codec.py"}  # index/engine/


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_whoosh_files_are_decoded_in_one_place() -> None:
    """Whoosh's private posting format is read by paperdeck.index.engine.whoosh_postings alone: no
    other
    module unpickles or unpacks bytes (a second decoder drifts from the first)."""
    for path in (ROOT / "index").rglob("*.py"):
        if path.parent.name == "engine" and path.name in WHOOSH_FORMAT:
            continue
        found = _imported_modules(path) & {"pickle", "struct"}
        assert not found, f"{path.relative_to(ROOT)} imports {sorted(found)}"
        assert "WHOOSH3_HEADER_MAGIC" not in path.read_text(), path


def test_paperdecks_own_modules_are_imported_by_their_installed_names() -> None:
    """`index` and `tui` are folders; the packages are paperdeck.index and paperdeck.tui, so
    no other `index` on the path (a local index.py, Whoosh's `index`) can stand in for them."""
    for folder in ("index", "tui", "tests", "bench"):
        for path in modules(folder):
            bare = [n for n in imports_of(path) if n.split(".")[0] in {"index", "tui"}]
            assert not bare, f"{path.relative_to(ROOT)} imports {bare}: say paperdeck.{bare[0]}"


def test_the_installed_packages_are_paperdecks_alone() -> None:
    """The wheel installs paperdeck.* only: tests, bench and bare index/tui stay out."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert all(name.startswith("paperdeck.") for name in project["packages"])
    folders = {str(p.parent.relative_to(ROOT)).replace("/", ".") for p in modules("index")}
    folders |= {str(p.parent.relative_to(ROOT)).replace("/", ".") for p in modules("tui")}
    assert {f"paperdeck.{f}" for f in folders} <= set(project["packages"])


def test_the_library_is_one_class_holding_its_parts() -> None:
    """Library is composed, not chained: no paperdeck base class spreads it across files,
    and no part is built by inheritance either (each is read and tested alone)."""
    import importlib

    from paperdeck.index.library import Library

    assert Library.__bases__ == (object,)
    for path in sorted((ROOT / "index").glob("library_*.py")):
        module = importlib.import_module(f"paperdeck.index.{path.stem}")
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                assert value.__bases__ == (object,), f"{path.name}: {name}{value.__bases__}"


def _forwards_to_store(method: ast.FunctionDef) -> bool:
    """Whether a method's whole body (past its docstring) is `[return] self.store.<same>(...)`."""
    body = [
        node
        for node in method.body
        if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Constant)
    ]
    if len(body) != 1 or not isinstance(body[0], ast.Return | ast.Expr):
        return False
    call = body[0].value
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    owner = call.func.value
    return (
        call.func.attr == method.name
        and isinstance(owner, ast.Attribute)
        and owner.attr in {"store", "_store"}
    )


def test_the_engine_has_no_method_that_only_hands_a_call_to_the_store() -> None:
    """The library's writes go to `engine.store` itself: a method that only forwards is a
    second name for one thing (issue 24)."""
    tree = ast.parse((ROOT / "index" / "engine" / "engine.py").read_text())
    engine = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Engine")
    methods = [n for n in engine.body if isinstance(n, ast.FunctionDef)]
    assert methods, "no Engine methods found"
    assert [m.name for m in methods if _forwards_to_store(m)] == []


def test_a_message_of_more_than_two_fields_is_keyword_only() -> None:
    """`SearchDone(serial=…, result=…, …)`, not seven values in an order to remember."""
    import dataclasses

    from paperdeck.tui import messages, messages_later  # (the first frame's; the others)
    from textual.message import Message

    defined = [*vars(messages).values(), *vars(messages_later).values()]
    kinds = [v for v in defined if isinstance(v, type) and issubclass(v, Message)]
    loose = [
        kind.__name__
        for kind in kinds
        if dataclasses.is_dataclass(kind) and len(fields := dataclasses.fields(kind)) > 2
        and not all(field.kw_only for field in fields)
    ]  # fmt: skip
    assert loose == []


# Underscore attributes of something not its own that a module under index/ may read, and why.
FOREIGN_PRIVATES = {
    # every use of Whoosh's internals lives here, behind the whoosh3 version check
    "engine/whoosh_private.py": {"*"},
    # a forked writer worker leaves at once, without the parent's exit handlers
    "engine/writer.py": {"os._exit"},
}


def test_no_module_reaches_into_anothers_private_attributes() -> None:
    """`other._name` only on self, cls or a class of the same module: a part asks another
    part through its public calls (the layers of the old chained Library read and wrote
    each other's `_new_since`, `_bookmarks`, `_paths`)."""
    for path in modules("index"):
        where = str(path.relative_to(ROOT / "index"))
        allowed = FOREIGN_PRIVATES.get(where, set())
        tree = ast.parse(path.read_text())
        own = {"self", "cls"} | {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")):
                continue
            if node.attr.startswith("__") or "*" in allowed:
                continue
            if isinstance(node.value, ast.Name) and node.value.id in own:
                continue
            if ast.unparse(node) not in allowed:
                raise AssertionError(f"{where}:{node.lineno} reaches {ast.unparse(node)}")


def _set_or_defined_here(tree: ast.Module) -> set[str]:
    """Names a module itself gives its objects: defs, classes, `self._x = …` targets."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute):
                    names.add(part.attr)
                elif isinstance(part, ast.Name):
                    names.add(part.id)
    return names


# Modules whose classes subclass a library's classes and use the privates they inherit.
INHERITS_PRIVATES = {
    "engine/codec.py": "subclasses Whoosh's posting writer and reader (its block format)",
}


def test_a_private_attribute_is_set_in_the_module_that_reads_it() -> None:
    """`self._x` is read only in the module that sets or defines it: a class chained across
    files (the old Library(Extras(Marks(Core))), whose Marks read Core's `_bookmarks`) fails."""
    for path in modules("index"):
        where = str(path.relative_to(ROOT / "index"))
        if where in INHERITS_PRIVATES:
            continue
        tree = ast.parse(path.read_text())
        here = _set_or_defined_here(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
                continue
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            if node.value.id in {"self", "cls"} and private and node.attr not in here:
                raise AssertionError(f"{where}:{node.lineno} reads self.{node.attr} set elsewhere")


def test_the_architecture_map_names_every_module() -> None:
    """docs/ARCHITECTURE.md maps the code: a module added without a line there is missing."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text("utf-8")
    modules = [p for package in ("index", "tui") for p in (ROOT / package).rglob("*.py")]
    unmapped = [
        str(path.relative_to(ROOT))
        for path in modules
        if path.name != "__init__.py" and path.name not in text and path.stem not in text
    ]
    assert len(modules) > 50 and unmapped == []
