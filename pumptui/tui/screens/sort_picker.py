"""Pick the coin table's sort order from a list of every order (`O` on Home and Watchlist).

`s` still steps through the orders one by one and `S` reverses; this list is for going straight
to one ("change 5m") the way a trader clicks a column header. Picking the order already in use
reverses it, as a second click on a header does. Answers with the order's label (None: kept).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pumptui.tui.widgets.coin_table import SORT_ORDERS


class SortPicker(ModalScreen[str | None]):
    """Every sort order; enter picks one (the current one again: reversed), esc keeps it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_picker", "Close", id="sort-picker.close"),
    ]

    DEFAULT_CSS = """
    SortPicker { align: center middle; }
    SortPicker > #sort-box {
        width: 40; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    SortPicker #sort-orders { height: auto; max-height: 14; }
    """

    def __init__(self, current: str, reversed_now: bool) -> None:
        super().__init__()
        self.current = current
        self.reversed_now = reversed_now

    def compose(self) -> ComposeResult:
        options = []
        for order in SORT_ORDERS:
            label = Text(order.label)
            if order.label == self.current:
                label.append(f"  (now: {'reversed' if self.reversed_now else 'largest first'})")
                label.stylize("bold")
            options.append(Option(label, id=order.label))
        with Vertical(id="sort-box"):
            yield Static(Text("Sort by", style="bold"))
            yield OptionList(*options, id="sort-orders")
            yield Static(Text("enter: sort (again: reverse) · esc: keep", style="dim"))

    def on_mount(self) -> None:
        orders = self.query_one(OptionList)
        labels = [o.label for o in SORT_ORDERS]
        orders.highlighted = labels.index(self.current) if self.current in labels else 0
        orders.focus()

    @on(OptionList.OptionSelected, "#sort-orders")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
