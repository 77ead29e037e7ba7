"""The reader's keys and actions: the one place a key is written.

MainScreen's, the paper list's and the detail pane's bindings, the footer, the help screen,
the command palette and the README's key list are all derived from `KEYS`; a test checks the
README says what this table says (`python -m paperdeck.tui.keymap` prints its paragraphs). Each
row's `id` names its binding, which a user's keys.toml rebinds (Textual's keymap). To add a key:
add a row here (and the `action_…` method it names), then paste the printed paragraphs into
the README's "The reader" section.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from textual.binding import Binding, BindingType

# How people write the keys Textual names otherwise.
KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "up": "↑",
    "down": "↓",
    "pageup": "pgup",
    "pagedown": "pgdn",
}


# Whose binding a key is: the screen, the list, the detail pane, the search box; "" Textual's own.
Scope = Literal["screen", "list", "detail", "search", ""]


@dataclass(frozen=True)
class KeyAction:
    """One action: the keys that run it, where, and how each place names it."""

    keys: str  # as Textual names them, comma separated ("b,ctrl+b"); "" for palette only
    action: str  # the action run (`bookmark` runs action_bookmark; `app.quit`)
    help: str  # the help screen's line; "" when another row's line covers it
    name: str = ""  # the binding's id (keys.toml rebinds it); "" when the action says it
    scope: Scope = "screen"
    readme: str = ""  # the README's few words; "" leaves it out of the README's list
    label: str = ""  # the footer's label; "" keeps it out of the footer
    rank: int = 99  # footer: the lowest ranks stay longest on a narrow terminal
    palette: str = ""  # the command palette's title; "" keeps it out of the palette
    palette_help: str = ""
    shown: str = ""  # how the help screen writes the keys, when not as `keys` says
    # Run as the key is read, before the keys after it are handed to the focused widget: the
    # keys of a burst typed after it (a paste, a lagging SSH link) go where it sends them.
    priority: bool = False

    @property
    def id(self) -> str:
        """The binding's id, which keys.toml names: `bookmark`, `quit`, `copy_link`."""
        return self.name or self.action.removeprefix("app.")

    @property
    def typed(self) -> list[str]:
        """The keys as people write them; ctrl and function keys, which also work in the
        search box, are listed apart (see in_search_box)."""
        names = [k for k in self.keys.split(",") if k and not _in_box(k)]
        return [KEY_NAMES.get(k, k) for k in names]

    @property
    def display(self) -> str:
        return self.shown or " ".join(self.typed)

    @property
    def box_keys(self) -> list[str]:
        return [k for k in self.keys.split(",") if k and _in_box(k)]


def _in_box(key: str) -> bool:
    """Letters typed in the search box are text; ctrl and function keys still act."""
    return key.startswith("ctrl+") or (key[0] == "f" and key[1:].isdigit())


KEYS: tuple[KeyAction, ...] = (
    # The reader starts in the search box (a word typed at once is searched): these take it
    # to the list, where letters are the keys below.
    KeyAction("down", "to_list", "from the search box (where the reader starts) to the list, "
              "where letters are keys; enter and tab go there too", scope="search",
              shown="↓ enter tab", readme="from the search box to the list", label="List",
              rank=0, priority=True),  # (at once: the keys behind ↓ reach the list)
    KeyAction("slash", "focus_search", "search; type to search as you go", readme="search",
              label="Search", rank=2, palette="Search", palette_help="Focus the search box",
              priority=True),
    KeyAction("escape", "back", "back to the list (from the search box, the detail pane, "
              "similar papers, references, the queue); in the list, back to all papers: the "
              "search and the filters (B n X) cleared", readme="back"),
    KeyAction("up,k", "move(-1)", "", scope="list", name="up"),
    KeyAction("down,j", "move(1)", "previous / next paper", scope="list", shown="↑ ↓  k j",
              readme="move", name="down"),
    KeyAction("home,g", "jump(0)", "", scope="list", name="first"),
    KeyAction("end,G", "jump(-1)", "first / last paper", scope="list", shown="g G  home end",
              readme="first/last", name="last"),
    KeyAction("pageup", "page(-1)", "", scope="list", name="page_up"),
    KeyAction("pagedown,space", "page(1)", "page up / down", scope="list",
              shown="pgup pgdn space", name="page_down"),
    KeyAction("enter", "select", "read the paper: focus its detail pane", scope="list",
              readme="read"),
    KeyAction("k", "scroll_up", "", scope="detail"),
    KeyAction("j", "scroll_down", "in the detail pane: scroll the paper", scope="detail",
              shown="k j"),
    KeyAction("tab", "app.focus_next", "next pane", scope=""),
    KeyAction("b,ctrl+b", "bookmark", "bookmark / remove the bookmark", readme="bookmark",
              label="Mark", rank=3, palette="Bookmark",
              palette_help="Bookmark or un-bookmark the selected paper"),
    KeyAction("B", "toggle_filter('bookmarks_only')", "bookmarks only / all papers",
              readme="bookmarks only", label="Marked", rank=7, palette="Bookmarks only",
              palette_help="Show only bookmarked papers, or all again", name="bookmarks_only"),
    KeyAction("n", "toggle_filter('new_only')", "new papers only (• marks papers added since "
              "you last opened paperdeck)", readme="new only", palette="New papers only",
              palette_help="Show papers added since you last opened paperdeck", name="new_only"),
    KeyAction("S", "cycle_order", "sort: newest, upvotes, for you (learned from your bookmarks), "
              "most cited (the counts fetched before), and relevance for a query",
              readme="sort order", label="Sort", rank=6, palette="Sort order",
              palette_help="Sort by newest, upvotes, for you, citations or relevance"),
    KeyAction("x", "not_interested", "not interested: hide the paper, rank its like lower for you "
              "(in X's list, x takes the mark off)", readme="not interested",
              palette="Not interested",
              palette_help="Hide the selected paper; for you learns from it"),
    KeyAction("X", "toggle_filter('dismissed_only')", "papers marked not interested only / all",
              name="dismissed_only", readme="not interested only", palette="Not interested only",
              palette_help="Show only the papers marked not interested, or all again"),
    KeyAction("t", "edit_bookmark", "tags and a note for a bookmarked paper",
              readme="tags and note", palette="Tags and note",
              palette_help="Edit the selected bookmark's tags and note",
              priority=True),  # (at once: the keys behind t are the dialog's text)
    KeyAction("y,ctrl+y", "copy('link')", "copy the paper's link", readme="copy link",
              label="Copy", rank=4, palette="Copy link",
              palette_help="Copy the selected paper's link", name="copy_link"),
    KeyAction("a", "copy('abstract')", "copy the abstract", name="copy_abstract",
              readme="copy abstract",
              palette="Copy abstract", palette_help="Copy the selected paper's abstract"),
    KeyAction("c", "copy('citation')", "copy a BibTeX citation", name="copy_citation",
              readme="copy BibTeX",
              palette="Copy citation", palette_help="Copy a BibTeX entry for the selected paper"),
    KeyAction("", "copy('markdown')", "", name="copy_markdown", palette="Copy Markdown link",
              palette_help="Copy a Markdown link (title and URL) for the paper"),
    KeyAction("o,ctrl+o", "open_link", "open the link in the browser", readme="open",
              label="Open", rank=5, palette="Open in browser",
              palette_help="Open the selected paper's link"),
    KeyAction("s,ctrl+r", "similar", "papers similar to this one (escape goes back)",
              readme="similar papers", label="Similar", rank=6, palette="Similar papers",
              palette_help="List papers similar to the selected one"),
    # -- citations, the reading queue, read marks (tui/screens/citation_actions.py)
    KeyAction("R", "citation_list('references')", "the paper's references, from Semantic "
              "Scholar or OpenAlex (S: newest / most cited first; escape goes back)",
              name="references", readme="references", palette="References",
              palette_help="List the papers the selected paper cites"),
    KeyAction("C", "citation_list('citations')", "the papers citing it (cited by), as R lists",
              name="cited_by", readme="cited by", palette="Cited by",
              palette_help="List the papers that cite the selected paper"),
    KeyAction("A", "add_cited", "in those lists: add a paper the library does not hold "
              "(b adds and bookmarks it)", readme="add to the library",
              palette="Add to the library",
              palette_help="Add the listed paper from Semantic Scholar or OpenAlex"),
    KeyAction("r", "toggle_read", "mark read / unread (✓, dimmed; opening a paper never "
              "marks it)", readme="read / unread", palette="Read / unread",
              palette_help="Mark the selected paper read, or unread again"),
    KeyAction("L", "queue_toggle", "read later: add to / take off the reading queue",
              readme="read later", palette="Read later",
              palette_help="Add the selected paper to the reading queue, or take it off"),
    KeyAction("Q", "reading_queue", "the reading queue in its order (escape goes back)",
              name="queue", readme="reading queue", palette="Reading queue",
              palette_help="List the reading queue"),
    KeyAction("K,shift+up", "queue_move(-1)", "", name="queue_up"),
    KeyAction("J,shift+down", "queue_move(1)", "in the queue: move the paper up / down",
              shown="K J", name="queue_down", readme="move in the queue"),
    KeyAction("F", "fetch", "fetch today's papers from Hugging Face",
              readme="fetch today's papers", palette="Fetch today's papers",
              palette_help="Download today's Hugging Face daily papers and import them"),
    # -- watches (tui/screens/watch_actions.py)
    KeyAction("w", "watches", "your watches (saved searches) and their new papers; enter "
              "searches one and marks it seen", readme="watches", palette="Watches",
              palette_help="Saved searches with their new papers; open one to search it"),
    KeyAction("W", "add_watch", "watch this search: a saved search that says what is new",
              readme="watch this search", palette="Watch this search",
              palette_help="Save the current search as a watch",
              priority=True),
    KeyAction("ctrl+n", "apply_suggestion", "apply the “did you mean” suggestion",
              shown="ctrl+n", palette="Apply suggestion",
              palette_help="Search for the 'did you mean' suggestion"),
    KeyAction("ctrl+p", "app.command_palette", "command palette: every action, Markdown "
              "links, exports", scope="", shown="ctrl+p", readme="every action",
              label="Actions", rank=8),
    KeyAction("question_mark,f1", "help", "this help", readme="all keys", label="Help",
              rank=0, palette="Help", palette_help="All keys and the query syntax"),
    KeyAction("q", "app.quit", "quit", readme="quit", label="Quit", rank=0),
)  # fmt: skip


def bindings(scope: Scope) -> list[BindingType]:
    """The bindings of one scope (MainScreen's, the list's, the detail pane's), each with its
    row's id, so that Textual's keymap (App.set_keymap) can rebind it."""
    return [
        Binding(
            row.keys,
            row.action,
            row.label or row.help,
            show=bool(row.label),
            priority=row.priority,
            id=row.id,  # keys.toml rebinds it (read_user_keys)
        )
        for row in KEYS
        if row.scope == scope and row.keys
    ]


def text_in_the_box() -> frozenset[str]:
    """The screen's priority actions: run as their key is read (before the keys queued
    behind it), so in the search box, where the key is text, they must not run."""
    return frozenset(row.action for row in KEYS if row.priority and row.scope == "screen")


def help_rows(rows: Sequence[KeyAction] = KEYS) -> list[tuple[str, str]]:
    """(keys, what they do) for the help screen."""
    return [(row.display, row.help) for row in rows if row.help]


def in_search_box(rows: Sequence[KeyAction] = KEYS) -> str:
    """How typing reaches the search box, and the keys that still act while it has the focus."""
    to_list = next((row.display for row in rows if row.scope == "search"), "")
    said = [f"{key} ({row.readme or row.palette.lower()})" for row in rows for key in row.box_keys]
    return (
        "The reader starts in the search box: typing searches at once. There letters are "
        f"text: {to_list.replace(' ', ', ')} or escape go to the list, where they are keys; "
        f"in the box, {', '.join(said)} still act."
    )


def palette() -> list[KeyAction]:
    """The command palette's entries, in the table's order."""
    return [row for row in KEYS if row.palette]


def footer(rows: Sequence[KeyAction] = KEYS) -> list[KeyAction]:
    """The footer's keys while the list or the detail has the focus, in the table's order
    (KeyBar fits them to the width by rank)."""
    return [row for row in rows if row.label and row.scope != "search"]


def box_footer(rows: Sequence[KeyAction] = KEYS) -> list[KeyAction]:
    """The footer's keys while the search box has the focus: the way to the list first,
    then the keys that act there too (ctrl+b, f1), written as typed there."""
    to_list = [row for row in rows if row.label and row.scope == "search"]
    acting = [replace(row, shown=" ".join(row.box_keys)) for row in rows if row.label]
    return to_list + [row for row in acting if row.box_keys]


def readme_keys() -> str:
    """The README's key list (its "The reader" section), as one paragraph."""
    said = [f"`{'` `'.join(_readme_words(row))}` {row.readme}" for row in KEYS if row.readme]
    return "Keys: " + ", ".join(said) + "."


def _readme_words(row: KeyAction) -> list[str]:
    """The keys of a README entry: `k/j` for the letters of a pair a row's help covers."""
    groups = row.shown.split("  ") if row.shown else [" ".join(row.typed)]
    letters = [g for g in groups if all(len(w) == 1 and w.isascii() for w in g.split())]
    return [(letters or groups)[0].replace(" ", "/")]


# -- keys.toml: the user's own keys ------------------------------------------------------------
KEYS_FILE = "keys.toml"  # in the config dir (paperdeck.index.paths.config_dir)


@dataclass(frozen=True, kw_only=True)
class UserKeys:
    """keys.toml as read: binding id → keys, as Textual's App.set_keymap takes them; or, for
    a file that cannot be used, the one line that says why (the default keys stay)."""

    keymap: dict[str, str] = field(default_factory=dict)
    problem: str = ""


def rebindable() -> dict[str, KeyAction]:
    """The rows keys.toml can rebind, by binding id: ours (Textual's own have no id here)."""
    return {row.id: row for row in KEYS if row.scope and row.keys}


def read_user_keys(path: Path) -> UserKeys:
    """The rebindings in keys.toml; none when there is no file; none either for a file that
    is not valid, whose problem is said (all or nothing: a half-read file would leave keys
    the user did not expect)."""
    try:
        text = path.read_text("utf-8")
        import tomllib  # only with a file, which most readers have not: not at every start-up

        return UserKeys(keymap=user_keymap(tomllib.loads(text)))
    except FileNotFoundError:
        return UserKeys()
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # (TOMLDecodeError is a ValueError)
        why = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        return UserKeys(problem=f"{path} not used ({why}): the default keys are on.")


def rebound(keymap: Mapping[str, str]) -> tuple[KeyAction, ...]:
    """The table with keys.toml's keys in place of the defaults: what the help screen and the
    bottom line show (the bindings themselves are rebound by Textual's keymap)."""
    ours = rebindable() if keymap else {}  # (most readers have no keys.toml)
    return tuple(
        replace(row, keys=keymap[row.id], shown="") if row.id in ours and row.id in keymap
        else row
        for row in KEYS
    )  # fmt: skip


def user_keymap(table: dict[str, object]) -> dict[str, str]:
    """`bookmark = "m"` or `bookmark = ["m", "ctrl+b"]` per binding id, checked; raises
    ValueError naming the first entry that is not one."""
    known, keymap = rebindable(), {}
    for name, keys in table.items():
        if name not in known:
            raise ValueError(f"no key named {name!r}; the README lists the names")
        listed = keys.split(",") if isinstance(keys, str) else keys
        if not (isinstance(listed, list) and listed):
            raise ValueError(f'{name} must be a key or a list of keys, such as "m"')
        if not all(isinstance(key, str) and key.strip() for key in listed):
            raise ValueError(f'{name} must be a key or a list of keys, such as "m"')
        keymap[name] = ",".join(key.strip() for key in listed)
    if clash := first_clash(rebound(keymap)):
        raise ValueError(clash)
    return keymap


def _overlap(one: Scope, other: Scope) -> bool:
    """Whether two scopes' bindings can meet: the same one, or the screen's and a widget's
    (the focused widget's binding hides the screen's)."""
    return one == other or "screen" in (one, other)


def first_clash(rows: Sequence[KeyAction]) -> str:
    """The first key two rows would both answer (a keys.toml that gives `s` to bookmark
    while similar keeps it), said in one line; "" when there is none."""
    owners: dict[str, list[KeyAction]] = {}
    for row in rows:
        for key in filter(None, row.keys.split(",") if row.scope else ()):
            for other in owners.get(key, []):
                if _overlap(row.scope, other.scope):
                    return f'"{key}" would be both {other.id} and {row.id}; give one another key'
            owners.setdefault(key, []).append(row)
    return ""


def readme_key_names() -> str:
    """The README's list of the names keys.toml rebinds, in the table's order."""
    return "Names: " + ", ".join(f"`{name}`" for name in rebindable()) + "."


if __name__ == "__main__":
    for paragraph in (readme_keys(), readme_key_names()):
        print(textwrap.fill(paragraph, width=96, break_on_hyphens=False), end="\n\n")
