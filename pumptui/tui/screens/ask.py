"""Two small questions a screen can ask before it acts: yes or no, and a name.

Each dismisses with the answer (`True`/`False`, or the name / `None`), so the caller acts in the
callback of `push_screen` and nothing is sent unless the user said so.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

_BOX_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 60; max-width: 100%; height: auto;
    border: thick $warning; background: $surface; padding: 0 1;
}}
{name} Static {{ height: auto; }}
"""


class ConfirmScreen(ModalScreen[bool]):
    """`question`, answered with y (or Enter) or n (or Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="ask.yes"),
        Binding("n,escape", "answer(False)", "No", id="ask.no"),
    ]
    DEFAULT_CSS = _BOX_CSS.format(name="ConfirmScreen")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question, style="bold"))
            yield Static(Text("y: yes · n or esc: no", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NameScreen(ModalScreen[str | None]):
    """A name typed in a box (starting as `name`); Enter keeps it, Esc gives up."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ask.cancel"),
    ]
    DEFAULT_CSS = _BOX_CSS.format(name="NameScreen")

    def __init__(self, title: str, name: str = "", max_length: int = 64) -> None:
        super().__init__()
        self.title_text = title
        self.start_name = name
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield Input(value=self.start_name, max_length=self.max_length, id="ask-name")
            yield Static(Text("enter: save · esc: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#ask-name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        self.dismiss(name or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
