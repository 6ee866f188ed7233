"""Help (`?`): every key of the screen underneath, as the user's keymap has them now.

The rows come from Textual's own binding table of that screen (`active_bindings`), so a remapped
key shows its new key and a binding added to a screen appears here without touching this file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from pumptui.tui.keys import TABLE_BINDINGS

# Shown with the key names users type, not Textual's internal names.
KEY_NAMES = {
    "question_mark": "?",
    "colon": ":",
    "slash": "/",
    "escape": "esc",
    "backspace": "bksp",
    "pagedown": "pgdn",
    "pageup": "pgup",
    "enter": "enter",
    "tab": "tab",
    "shift+tab": "shift+tab",
}


def key_label(key: str) -> str:
    return KEY_NAMES.get(key, key)


def help_rows(bindings: Mapping[str, ActiveBinding]) -> list[tuple[str, str, str]]:
    """(keys, what it does, id) per binding, keys of one binding joined: "down, j".

    Only bindings with an id are listed: those are pumptui's own (and remappable); Textual's
    internal ones (focus cycling, scrolling by page sideways) would only add noise.
    """
    grouped: dict[tuple[str, str], list[str]] = {}
    for key, active in bindings.items():
        binding = active.binding
        if not binding.id or binding.system:
            continue
        what = binding.tooltip or binding.description or binding.action
        group = (binding.id or binding.action, what)
        grouped.setdefault(group, [])
        label = key_label(key)
        if label not in grouped[group]:
            grouped[group].append(label)
    rows = [(", ".join(keys), what, ident) for (ident, what), keys in grouped.items()]
    return rows


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; any of esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, bindings: Mapping[str, ActiveBinding], title: str) -> None:
        super().__init__()
        self._listed_bindings = dict(bindings)
        self._screen_name = title

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text(f"Keys · {self._screen_name}", style="bold"), id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                Text(
                    'Remap any key in config.toml: [keymap] "<id>" = "<keys>" · '
                    ": opens the command palette · esc closes",
                    style="dim",
                ),
                id="help-hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        rows = help_rows(self._listed_bindings)
        # The box is 90% of the screen, at most 100 cells, less border, padding and scrollbar.
        room = int(min(self.app.size.width * 0.9, 100)) - 6
        keys_width = min(16, max(len(keys) for keys, _, _ in rows)) if rows else 8
        # Ids only where they fit: at 80 columns the action text matters more.
        id_width = max(len(ident) for _, _, ident in rows) if rows and room >= 88 else 0
        columns = 3 if id_width else 2
        action_width = max(10, room - keys_width - id_width - 2 * columns)
        table.add_column(Text("Keys"), key="keys", width=keys_width)
        table.add_column(Text("Action"), key="action", width=action_width)
        if id_width:
            table.add_column(Text("Id (for [keymap])"), key="id", width=id_width)
        table_ids = {b.id for b in TABLE_BINDINGS}
        # Moving around the table last: the screen's own actions are what people look for.
        rows.sort(key=lambda row: row[2] in table_ids)
        for keys, what, ident in rows:
            cells = [Text(keys, style="bold"), Text(what)]
            if id_width:
                cells.append(Text(ident, style="dim"))
            table.add_row(*cells, height=None)  # as many lines as the description needs
        table.focus()
