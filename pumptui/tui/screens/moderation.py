"""Bulk moderation: confirm what will change, give a reason for bans, see each result.

The screen lists every marked row and what the chosen action will do to it before anything is
sent. A ban needs a reason. The run goes through `pumptui.api.bulk` (batches, retries, every item
accounted for exactly once), and the screen then shows one line per item: done, not found, or
failed with the reason (a 403 says the account may not moderate).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, RadioSet, Static

from pumptui.api.bulk import BulkResult, Outcome
from pumptui.tui.social import Marked, ModerationAction, ModerationFinished, social_of
from pumptui.tui.widgets.ticks import TickRadioButton
from pumptui.words import plural

ACTIONS: dict[str, tuple[str, str]] = {
    # action: (button label, what happens to each item)
    "nsfw": ("Mark NSFW", "marked NSFW"),
    "hide": ("Hide", "hidden"),
    "ban": ("Ban", "banned"),
}
OUTCOME_STYLES: dict[Outcome, str] = {
    Outcome.DONE: "green",
    Outcome.NOT_FOUND: "yellow",
    Outcome.INVALID: "red",
    Outcome.FAILED: "bold red",
}


def allowed_actions(items: list[Marked]) -> list[str]:
    """NSFW applies to coins only; hiding and banning to coins and callouts."""
    if any(item.is_callout for item in items):
        return ["hide", "ban"]
    return ["nsfw", "hide", "ban"]


class ModerationScreen(ModalScreen[BulkResult[Any] | None]):
    """Confirm, run and report one bulk moderation action on the marked rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="moderation.close"),
    ]

    DEFAULT_CSS = """
    ModerationScreen { align: center middle; }
    ModerationScreen > #moderation-box {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ModerationScreen #moderation-form { height: auto; }
    ModerationScreen RadioSet { width: 100%; height: auto; layout: horizontal; }
    ModerationScreen #moderation-plan { height: auto; max-height: 10; }
    ModerationScreen #moderation-reason { display: none; }
    ModerationScreen.-ban #moderation-reason { display: block; }
    ModerationScreen #moderation-status { height: auto; }
    ModerationScreen #moderation-status.-error { color: $error; }
    ModerationScreen #moderation-results { display: none; height: auto; max-height: 12; }
    ModerationScreen.-done #moderation-results { display: block; }
    ModerationScreen.-done #moderation-form { display: none; }
    ModerationScreen Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, items: list[Marked]) -> None:
        super().__init__()
        self.items = items
        self.actions = allowed_actions(items)
        self.action_name: str = self.actions[0]
        self.running = False
        self.result: BulkResult[Any] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="moderation-box"):
            yield Static(Text(f"Moderate {plural(len(self.items), 'item')}", style="bold"))
            with Vertical(id="moderation-form"):
                with RadioSet(id="moderation-action"):
                    for index, action in enumerate(self.actions):
                        yield TickRadioButton(ACTIONS[action][0], value=index == 0, name=action)
                # Scrolled by the wheel only: a focus stop here would be invisible, and Tab
                # from the choice must reach the reason.
                with VerticalScroll(id="moderation-plan", can_focus=False):
                    yield Static(id="moderation-plan-text")
                yield Input(
                    placeholder="reason for the ban (required)",
                    id="moderation-reason",
                    max_length=500,
                )
            yield DataTable(id="moderation-results", cursor_type="row")
            yield Static(id="moderation-status")
            with Horizontal():
                yield Button("Confirm", variant="error", id="moderation-confirm")
                yield Button("Cancel", id="moderation-cancel")

    def on_mount(self) -> None:
        table = self.query_one("#moderation-results", DataTable)
        table.add_column("Item", width=40)
        table.add_column("Result", width=10)
        table.add_column("Detail", width=28)
        self._show_plan()
        self.query_one("#moderation-action", RadioSet).focus()

    # -- the plan --------------------------------------------------------------------------------

    def plan(self) -> Text:
        """What will change, one line per item: the confirmation the moderator reads."""
        verb = ACTIONS[self.action_name][1]
        text = Text()
        count = len(self.items)
        these = "This item" if count == 1 else f"These {plural(count, 'item')}"
        text.append(f"{these} will be {verb}:\n", style="bold")
        for item in self.items:
            text.append("  • ")
            text.append("callout " if item.is_callout else "coin ", style="dim")
            text.append(item.label)
            if item.label != item.key:
                text.append(f"  {item.key}", style="dim")
            text.append("\n")
            if item.text:  # what the moderator is about to act on, literally, one line
                excerpt = " ".join(item.text.split())
                if len(excerpt) > 72:
                    excerpt = excerpt[:71] + "…"
                text.append(f"      “{excerpt}”\n", style="italic")
        return text

    def _show_plan(self) -> None:
        self.query_one("#moderation-plan-text", Static).update(self.plan())
        self.set_class(self.action_name == "ban", "-ban")

    @on(RadioSet.Changed, "#moderation-action")
    def _action_chosen(self, event: RadioSet.Changed) -> None:
        self.action_name = event.pressed.name or self.actions[0]
        self._show_plan()

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#moderation-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    # -- running -----------------------------------------------------------------------------------

    @on(Input.Submitted, "#moderation-reason")
    @on(Button.Pressed, "#moderation-confirm")
    def confirm(self) -> None:
        if self.result is not None:
            self.dismiss(self.result)
            return
        social = social_of(self)
        if self.running or social is None:
            return
        reason = self.query_one("#moderation-reason", Input).value.strip()
        if self.action_name == "ban" and not reason:
            self._say("A ban needs a reason.", error=True)
            self.query_one("#moderation-reason", Input).focus()
            return
        self.running = True
        self.query_one("#moderation-confirm", Button).disabled = True
        self._say(f"{ACTIONS[self.action_name][0]}: sending…")
        # A radio button's name, always one of `ACTIONS` (`allowed_actions`).
        action = cast(ModerationAction, self.action_name)
        social.moderate(action, self.items, reason, reply_to=self)

    def on_moderation_finished(self, message: ModerationFinished) -> None:
        self.running = False
        confirm = self.query_one("#moderation-confirm", Button)
        confirm.disabled = False
        if message.result is None:
            self._say(message.problem or "Nothing was sent.", error=True)
            return
        self.result = message.result
        labels = {item.key: item.label for item in self.items}
        table = self.query_one("#moderation-results", DataTable)
        table.clear()
        for item in message.result.items:
            outcome = item.outcome or Outcome.FAILED
            label = Text(labels.get(item.key, item.key), no_wrap=True, overflow="ellipsis")
            table.add_row(
                label,
                Text(outcome.value.replace("_", " "), style=OUTCOME_STYLES[outcome]),
                Text(item.reason or "", no_wrap=True, overflow="ellipsis"),
                key=item.key,
            )
        self.add_class("-done")
        failed = message.result.count(Outcome.FAILED)
        self._say(message.result.summary(), error=bool(failed))
        confirm.label = "Close"
        self.query_one("#moderation-cancel", Button).display = False
        table.focus()

    @on(DataTable.RowSelected, "#moderation-results")
    def _result_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on the results (which have the focus once they are in) closes the dialog."""
        event.stop()
        self.dismiss(self.result)

    @on(Button.Pressed, "#moderation-cancel")
    def action_close(self) -> None:
        self.dismiss(self.result)
