"""The rules the app's forms make, the terminal the app's alerts write to, and the switches kept
for the config's rules: plain functions and objects, no app.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pumptui.alerts import AlertRuleError, Deliverer, Firing, make_rule, rule_from_table
from pumptui.alerts.switches import RuleSwitches
from pumptui.tui.alert_recipes import CoinAlertKind, coin_alert, filter_alert
from pumptui.tui.alerts import AlertToastGate, TerminalChannel
from tests.tui.conftest import make_mint

MINT = make_mint("recipe-coin")


# -- the terminal channel -----------------------------------------------------------------------


class Terminal:
    """Stands in for Textual's driver (`write`) and the app's bell."""

    def __init__(self) -> None:
        self.written: list[str] = []
        self.bells = 0

    def write(self, text: str) -> None:
        self.written.append(text)

    def bell(self) -> None:
        self.bells += 1


def a_firing(*channels: str) -> Firing:
    return Firing(
        rule_id="r1",
        rule_name="dev dumps",
        condition="event = trade and by = dev",
        mint=MINT,
        symbol="PEPE\x1b]0;owned\x07",
        name="Pepe",
        event="trade",
        at=1_780_000_000.0,
        side="sell",
        sol=2.0,
        by_dev=True,
        channels=channels,
    )


def test_desktop_notifications_are_written_only_for_a_rule_that_asks_for_them() -> None:
    terminal = Terminal()
    deliverer = Deliverer(
        app=lambda firing: None,
        terminal=TerminalChannel(terminal.write, terminal.bell),
        notify_send=None,
    )
    deliverer.deliver(a_firing("app"))
    assert terminal.written == []
    assert terminal.bells == 0

    deliverer.deliver(a_firing("app", "osc"))
    (written,) = terminal.written
    assert written.startswith("\x1b]9;pumptui: dev dumps: PEPE ]0;owned")
    assert "\x1b]777;notify;pumptui: dev dumps;PEPE ]0;owned" in written
    # The coin's hostile name cannot end the sequence early: ESC only opens and ends each one.
    assert written.count("\x1b") == 4
    assert "\x07" not in written


def test_the_bell_rings_through_the_apps_bell_not_the_driver() -> None:
    terminal = Terminal()
    deliverer = Deliverer(terminal=TerminalChannel(terminal.write, terminal.bell))
    deliverer.deliver(a_firing("bell"))
    assert terminal.bells == 1
    assert terminal.written == []


def test_a_headless_app_writes_nothing_to_the_terminal() -> None:
    terminal = Terminal()
    deliverer = Deliverer(terminal=TerminalChannel(None, terminal.bell))
    deliverer.deliver(a_firing("osc"))
    assert terminal.written == []


# -- an alert on a coin -------------------------------------------------------------------------


def test_a_market_cap_cross_is_typed_with_k_and_m() -> None:
    above = coin_alert("above", MINT, "PEPE", "1.5m", market_cap_usd=40_000)
    assert (above.when, above.scope, above.mint, above.origin) == (
        "mc >= 1.5m",
        "mint",
        MINT,
        "app",
    )
    assert above.name == "PEPE mc above $1.5M"
    below = coin_alert("below", MINT, "PEPE", " 20k ", market_cap_usd=40_000)
    assert below.when == "mc <= 20k"


@pytest.mark.parametrize(
    ("kind", "value", "said"),
    [
        ("above", "30k", "already above $30k"),
        ("below", "50k", "already below $50k"),
        ("above", "", "type the market cap"),
        ("above", "30%", "not a percentage"),
        ("above", "0", "more than 0"),
    ],
)
def test_a_cross_that_cannot_happen_is_refused_with_a_reason(
    kind: CoinAlertKind, value: str, said: str
) -> None:
    with pytest.raises(AlertRuleError, match=re.escape(said)):
        coin_alert(kind, MINT, "PEPE", value, market_cap_usd=40_000)


def test_a_move_watches_both_ways_within_its_minutes() -> None:
    rule = coin_alert("move", MINT, "PEPE", "20", "3")
    assert rule.when == "change 3m >= 20% or change 3m <= -20%"
    assert rule.cooldown == 180
    assert coin_alert("move", MINT, "PEPE", "15%").when.startswith("change 5m >= 15%")
    with pytest.raises(AlertRuleError, match="whole number"):
        coin_alert("move", MINT, "PEPE", "20", "2.5")


def test_the_dev_selling_and_a_whale_buying_are_trade_rules_on_the_coin() -> None:
    dev = coin_alert("dev-sells", MINT, "PEPE")
    assert dev.when == "event = trade and side = sell and by = dev"
    whale = coin_alert("whale-buys", MINT, "PEPE")
    assert whale.when == "event = trade and side = buy and whale = yes"
    assert dev.is_event_rule
    assert whale.is_event_rule
    assert dev.mint == whale.mint == MINT


# -- an alert from Home's filter ----------------------------------------------------------------


def test_plain_words_become_a_name_or_symbol_match_on_new_coins() -> None:
    rule = filter_alert("  dog   wif ")
    assert (rule.when, rule.scope) == ('name ~ "dog wif" or symbol ~ "dog wif"', "new")
    quoted = filter_alert('say "hi" \\o/')
    assert quoted.when == 'name ~ "say \\"hi\\" \\\\o/" or symbol ~ "say \\"hi\\" \\\\o/"'


def test_an_expression_filter_is_the_rule_itself() -> None:
    rule = filter_alert("@fresh", "age < 15m and dev < 5%")
    assert (rule.when, rule.scope, rule.name) == ("age < 15m and dev < 5%", "new", "new: @fresh")


def test_no_filter_makes_no_rule() -> None:
    with pytest.raises(AlertRuleError, match="no filter"):
        filter_alert("   ")


# -- the config's rules switched in the app -----------------------------------------------------


def test_a_config_rule_switched_off_stays_off_for_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "switched.json"
    rule = rule_from_table({"when": "mc > 20k"})
    other = make_rule("mc > 50k")
    RuleSwitches(path).switch(rule, False)
    assert [r.enabled for r in RuleSwitches(path).apply([rule, other])] == [False, True]
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    switches = RuleSwitches(broken)
    assert switches.problem is not None
    assert switches.apply([rule]) == [rule]


def test_the_toast_gate_lets_a_few_through_in_each_window_and_counts_the_rest() -> None:
    gate = AlertToastGate(at_once=2, window=3.0)
    assert [gate.admit(at) for at in (0.0, 0.5, 1.0, 2.9)] == [True, True, False, False]
    assert gate.take_held() == 2
    assert gate.take_held() == 0
    assert gate.admit(3.0)  # the first toast left the window
    assert not gate.admit(3.1)
