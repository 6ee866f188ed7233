"""Set an alert on one coin: pick what to watch for, type a value if it needs one, Enter.

The choices (`alert_recipes.COIN_ALERT_CHOICES`): the market cap crossing a value up or down
(typed with k / m), a move of N % within M minutes, the dev selling, a whale buying. The form
dismisses with the rule (the coin's screen saves it, live at once) or None; a value that does not
do is said under the boxes and the form stays. `A` here opens the alerts screen instead.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pumptui.alerts import AlertRule, AlertRuleError
from pumptui.config import DEFAULT_WHALE_SOL
from pumptui.numbers import usd
from pumptui.tui.alert_recipes import COIN_ALERT_CHOICES, CoinAlertChoice, coin_alert

# What the form's result means when the user asked for the alerts screen instead.
ALL_ALERTS = "all"


class CoinAlertForm(ModalScreen[AlertRule | str | None]):
    """An alert on `mint` (`label` is how the coin is named: its symbol)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="alert-form.cancel"),
        Binding(
            "A",
            "all_alerts",
            "All alerts",
            id="alert-form.all-alerts",
            tooltip="Open the alerts screen instead",
        ),
    ]

    DEFAULT_CSS = """
    CoinAlertForm { align: center middle; }
    CoinAlertForm > #alert-form {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    CoinAlertForm #alert-kinds { height: auto; max-height: 7; }
    CoinAlertForm .alert-value-row { height: auto; }
    CoinAlertForm .alert-value-row Input { width: 1fr; }
    CoinAlertForm #alert-minutes { width: 18; }
    CoinAlertForm #alert-form-error { height: auto; color: $error; }
    """

    def __init__(
        self,
        mint: str,
        label: str,
        market_cap_usd: float | None = None,
        *,
        whale_sol: float = DEFAULT_WHALE_SOL,
    ) -> None:
        super().__init__()
        self.mint = mint
        self.label = label
        self.market_cap_usd = market_cap_usd
        self.whale_sol = whale_sol

    def _choice_label(self, choice: CoinAlertChoice) -> str:
        if choice.kind == "whale-buys":  # the whale size is the user's ([ui] whale_sol)
            return f"{choice.label} ({self.whale_sol:g} SOL or more)"
        return choice.label

    def compose(self) -> ComposeResult:
        with Vertical(id="alert-form"):
            title = Text("Alert on ", style="bold")
            title.append(self.label, style="bold")
            if self.market_cap_usd is not None:
                title.append(f"  mc now {usd(self.market_cap_usd)}", style="dim")
            yield Static(title)
            yield OptionList(
                *(
                    Option(self._choice_label(choice), id=choice.kind)
                    for choice in COIN_ALERT_CHOICES
                ),
                id="alert-kinds",
            )
            with Horizontal(classes="alert-value-row"):
                yield Input(id="alert-value", compact=True)
                yield Input(placeholder="minutes: 5", id="alert-minutes", compact=True)
            yield Static(id="alert-form-error")
            yield Static(
                Text("enter: next / save · tab: move · esc: cancel · A: all alerts", style="dim")
            )

    @property
    def kinds(self) -> OptionList:
        return self.query_one("#alert-kinds", OptionList)

    @property
    def choice(self) -> CoinAlertChoice:
        index = self.kinds.highlighted or 0
        return COIN_ALERT_CHOICES[index]

    def on_mount(self) -> None:
        self.kinds.highlighted = 0
        self.kinds.focus()
        self._show_boxes()

    @on(OptionList.OptionHighlighted, "#alert-kinds")
    def _kind_changed(self, event: OptionList.OptionHighlighted) -> None:
        self._show_boxes()
        self._say("")

    def _show_boxes(self) -> None:
        choice = self.choice
        value = self.query_one("#alert-value", Input)
        value.display = bool(choice.value_hint)
        value.placeholder = choice.value_hint
        self.query_one("#alert-minutes", Input).display = choice.kind == "move"

    @on(OptionList.OptionSelected, "#alert-kinds")
    def _kind_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.choice.value_hint:
            self.query_one("#alert-value", Input).focus()
        else:
            self._save()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._save()

    def _save(self) -> None:
        try:
            rule = coin_alert(
                self.choice.kind,
                self.mint,
                self.label,
                self.query_one("#alert-value", Input).value,
                self.query_one("#alert-minutes", Input).value,
                self.market_cap_usd,
            )
        except AlertRuleError as exc:
            self._say(str(exc))
            return
        self.dismiss(rule)

    def _say(self, text: str) -> None:
        self.query_one("#alert-form-error", Static).update(Text(text))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_all_alerts(self) -> None:
        self.dismiss(ALL_ALERTS)
