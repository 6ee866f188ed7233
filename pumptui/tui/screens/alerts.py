"""Alerts: every rule (the config's and the app's) and the history of what fired.

The rules table says what each rule watches for and where, and when it last fired; under it, the
highlighted rule in full, where it comes from, and the last test's answer. Keys act on the
highlighted rule: space switches it on or off, x deletes one made in the app (a config rule can
only be switched off: the config file is the user's), t tests it on the market as it stands.
The history lists the firings of this run, newest first, with their caveats (late, provisional,
stale). Everything is read from `services.alerts`; it redraws when an alert fires or a rule
changes (`AlertsChanged`) and once a second for the ages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, Final

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Static

from pumptui.alerts import AlertRule, Firing
from pumptui.rules.units import format_duration
from pumptui.tui import format as fmt
from pumptui.tui.alerts import AlertRuleProblem, AppAlerts
from pumptui.tui.keys import ALERTS_BINDINGS, BACK_BINDINGS, TABLE_BINDINGS
from pumptui.tui.messages import AlertsChanged
from pumptui.tui.screens.ask import ConfirmScreen
from pumptui.tui.screens.base import PumpScreen
from pumptui.tui.widgets.key_footer import KeyFooter
from pumptui.tui.widgets.repaint import update_text
from pumptui.tui.widgets.status_bar import StatusBar
from pumptui.words import plural

# Column widths (cells) of the rules table; the condition takes what is left.
ON_WIDTH: Final = 3
NAME_WIDTH: Final = 16
SCOPE_WIDTH: Final = 9
COOL_WIDTH: Final = 5
DELIVER_WIDTH: Final = 8
LAST_WIDTH: Final = 5
MIN_CONDITION_WIDTH: Final = 12
# The history table's fixed columns.
TIME_WIDTH: Final = 8
RULE_WIDTH: Final = 15
RULE_COLUMNS: Final = ("on", "name", "condition", "scope", "cool", "to", "last")
CHANNEL_NAMES: Final = {"notify-send": "notify", "command": "cmd"}


class AlertTable(DataTable[Text]):
    """A table moved through with the coin tables' keys (their ids), no other bindings."""

    inherit_bindings = False
    BINDINGS: ClassVar[list[BindingType]] = [
        binding for binding in TABLE_BINDINGS if binding.id not in ("table.open",)
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=1)


def scope_text(rule: AlertRule, symbol: str | None) -> str:
    if rule.scope == "new":
        return "new coins"
    if rule.scope == "watchlist":
        return "watchlist"
    return symbol or fmt.short_address(rule.mint or "", 3)


def cooldown_text(seconds: float) -> str:
    return format_duration(seconds) if seconds > 0 else "none"


def channels_text(rule: AlertRule) -> str:
    return ",".join(CHANNEL_NAMES.get(channel, channel) for channel in rule.channels)


def firing_text(firing: Firing) -> Text:
    """What happened, then its caveats in warning colours, short ("late by 70s",
    "provisional", "stale: SOL price")."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(replace(firing, late=False, provisional=False, stale=()).text)
    for note in firing.caveats:
        short = note if note.startswith("stale") else note.split(":")[0]
        line.append(f" ({short})", style="bold yellow")
    return line


class AlertsScreen(PumpScreen[None]):
    """The alert rules, switched, deleted and tested here, and what fired."""

    TITLE = "Alerts"
    BINDINGS: ClassVar[list[BindingType]] = [*BACK_BINDINGS, *ALERTS_BINDINGS]

    DEFAULT_CSS = """
    AlertsScreen { layout: vertical; }
    AlertsScreen #alerts-summary { height: 1; padding: 0 1; background: $boost; }
    AlertsScreen #alert-rules { height: 1fr; min-height: 4; }
    AlertsScreen .alert-detail {
        height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    AlertsScreen #alert-history-title { height: 1; padding: 0 1; background: $boost; }
    AlertsScreen #alert-history { height: 1fr; min-height: 3; }
    AlertsScreen #alerts-empty { height: auto; padding: 0 1; display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.tested: dict[str, str] = {}  # rule id -> the last test's answer
        self._rule_ids: list[str] = []
        self._history_shown: tuple[tuple[str, float, str], ...] = ()
        self._width = 0

    @property
    def alerts(self) -> AppAlerts:
        return self.app.services.alerts

    def compose(self) -> ComposeResult:
        yield Static(id="alerts-summary")
        yield AlertTable(id="alert-rules")
        yield Static(
            Text(
                "No alert rules yet: A on a coin's screen, F on Home (the filter), or "
                "[[alerts]] in the config file.",
                style="dim",
            ),
            id="alerts-empty",
        )
        yield Static(id="alert-origin", classes="alert-detail")
        yield Static(id="alert-test", classes="alert-detail")
        yield Static(Text("What fired, newest first", style="bold"), id="alert-history-title")
        yield AlertTable(id="alert-history")
        yield StatusBar()
        yield KeyFooter()

    @property
    def rules_table(self) -> AlertTable:
        return self.query_one("#alert-rules", AlertTable)

    @property
    def history_table(self) -> AlertTable:
        return self.query_one("#alert-history", AlertTable)

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick, name="alerts-ages")
        self.rules_table.focus()
        self.redraw()

    def on_screen_resume(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def on_alerts_changed(self, message: AlertsChanged) -> None:
        self.redraw()

    def _tick(self) -> None:
        if self.app.screen is self:
            self.redraw()

    # -- drawing ---------------------------------------------------------------------------

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        alerts = self.alerts
        rules = alerts.rules
        history = alerts.history
        summary = Text(no_wrap=True, overflow="ellipsis")
        summary.append("Alerts", style="bold")
        summary.append(" │ ", style="dim")
        summary.append(plural(len(rules), "rule"))
        summary.append(f", {sum(rule.enabled for rule in rules)} on", style="dim")
        summary.append(" │ ", style="dim")
        summary.append(f"{len(history)} fired this run", style="dim")
        update_text(self.query_one("#alerts-summary", Static), summary)
        self.query_one("#alerts-empty").display = not rules
        self._show_rules(rules)
        self._show_detail()
        self._show_history(history)

    def _show_rules(self, rules: list[AlertRule]) -> None:
        table = self.rules_table
        width = table.size.width or self.app.size.width
        if width != self._width or not table.columns:
            self._width = width
            fixed = ON_WIDTH + NAME_WIDTH + SCOPE_WIDTH + COOL_WIDTH + DELIVER_WIDTH + LAST_WIDTH
            condition = max(MIN_CONDITION_WIDTH, width - fixed - 2 * 7 - 2)
            table.clear(columns=True)
            table.add_column("on", width=ON_WIDTH, key="on")
            table.add_column("name", width=NAME_WIDTH, key="name")
            table.add_column("condition", width=condition, key="condition")
            table.add_column("watches", width=SCOPE_WIDTH, key="scope")
            table.add_column("cool", width=COOL_WIDTH, key="cool")
            table.add_column("to", width=DELIVER_WIDTH, key="to")
            table.add_column("last", width=LAST_WIDTH, key="last")
            self._rule_ids = []
        ids = [rule.id for rule in rules]
        rows = [self._rule_row(rule) for rule in rules]
        if ids != self._rule_ids:
            cursor = table.cursor_row
            table.clear()
            for rule_id, row in zip(ids, rows, strict=True):
                table.add_row(*row, key=rule_id)
            self._rule_ids = ids
            if ids:
                table.move_cursor(row=min(cursor, len(ids) - 1), animate=False)
            return
        for rule_id, row in zip(ids, rows, strict=True):  # only the cells that changed
            for column, cell in zip(RULE_COLUMNS, row, strict=True):
                if table.get_cell(rule_id, column) != cell:
                    table.update_cell(rule_id, column, cell)

    def _rule_row(self, rule: AlertRule) -> tuple[Text, ...]:
        store = self.app.services.store
        coin = store.coin(rule.mint) if rule.mint else None
        dim = "" if rule.enabled else "dim"
        last = self.alerts.last_fired(rule)
        now = self.app.services.clock()
        on = Text("on", style="bold green") if rule.enabled else Text("off", style="dim")
        return (
            on,
            Text(rule.name or "—", style=dim, no_wrap=True, overflow="ellipsis"),
            Text(rule.when, style=dim, no_wrap=True, overflow="ellipsis"),
            Text(scope_text(rule, coin.symbol if coin is not None else None), style=dim),
            Text(cooldown_text(rule.cooldown), style=dim),
            Text(channels_text(rule), style=dim, no_wrap=True, overflow="ellipsis"),
            Text(fmt.age(now - last) if last is not None else "—", style=dim),
        )

    def _show_detail(self) -> None:
        rule = self.current_rule
        origin, tested = Text(), Text()
        if rule is not None:
            if rule.origin == "app":
                origin.append("made in the app", style="dim")
                origin.append(" · x deletes · ", style="dim")
            else:
                origin.append("from the config file", style="bold")
                origin.append(" · switch off only · ", style="dim")
            origin.append(f"when {rule.when}")
            answer = self.tested.get(rule.id)
            if answer is not None:
                tested.append("test: ", style="bold")
                tested.append(answer)
            else:
                tested.append("t tests it on the market now · space switches it", style="dim")
        self.query_one("#alert-origin", Static).update(origin)
        self.query_one("#alert-test", Static).update(tested)

    def _show_history(self, history: list[Firing]) -> None:
        table = self.history_table
        shown = tuple((f.rule_id, f.at, f.mint) for f in history)
        if table.columns and shown == self._history_shown:
            return
        self._history_shown = shown
        width = table.size.width or self.app.size.width
        table.clear(columns=True)
        table.add_column("at", width=TIME_WIDTH, key="at")
        table.add_column("rule", width=RULE_WIDTH, key="rule")
        table.add_column("what", width=max(20, width - TIME_WIDTH - RULE_WIDTH - 6 - 2))
        for firing in history:
            table.add_row(
                Text(fmt.clock_time(firing.at), style="dim"),
                Text(firing.rule_name or firing.condition, no_wrap=True, overflow="ellipsis"),
                firing_text(firing),
            )
        if not history:
            table.add_row(Text(""), Text("nothing yet", style="dim"), Text(""))

    # -- the rule under the cursor -----------------------------------------------------------

    @property
    def current_rule(self) -> AlertRule | None:
        table = self.rules_table
        if not self._rule_ids or table.cursor_row < 0:
            return None
        index = min(table.cursor_row, len(self._rule_ids) - 1)
        return self.alerts.rule(self._rule_ids[index])

    @on(DataTable.RowHighlighted, "#alert-rules")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _rule_or_say(self) -> AlertRule | None:
        rule = self.current_rule
        if rule is None:
            self.notify("No rule here", severity="warning", timeout=2)
        return rule

    def action_toggle_rule(self) -> None:
        rule = self._rule_or_say()
        if rule is None:
            return
        try:
            self.alerts.set_enabled(rule.id, not rule.enabled)
        except AlertRuleProblem as exc:
            self.notify(str(exc), severity="error", title="Alerts", markup=False)
            return
        self.app.alerts_changed()
        self.redraw()

    def action_delete_rule(self) -> None:
        rule = self._rule_or_say()
        if rule is None:
            return
        if rule.origin != "app":
            self.notify(
                "This rule is in the config file: space switches it off",
                severity="warning",
                title="Alerts",
                timeout=4,
            )
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.alerts.delete(rule.id)
            except AlertRuleProblem as exc:
                self.notify(str(exc), severity="error", title="Alerts", markup=False)
                return
            self.tested.pop(rule.id, None)
            self.app.alerts_changed()
            self.redraw()

        self.app.push_screen(ConfirmScreen(f"Delete the alert {rule.title!r}?"), confirmed)

    def action_test_rule(self) -> None:
        rule = self._rule_or_say()
        if rule is None:
            return
        self.tested[rule.id] = self.alerts.test(rule).describe()
        self._show_detail()

    def action_back(self) -> None:
        self.dismiss(None)
