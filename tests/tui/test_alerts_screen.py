"""The alerts screen (`A`), the coin screen's alert form and Home's alert on the filter, on frozen
data: what the user sees of the rules, and that what they change is kept across a restart.

The data dir is each test's own (tests/conftest.py), so "a restart" is a second app reading the
same files; the config's rules are given as `Settings.alerts`, as `load_settings` makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.pilot import Pilot

from pumptui import paths
from pumptui.alerts import AlertRule, AppRules, make_rule, rule_from_table
from pumptui.api.models import Trade
from pumptui.config import Settings
from pumptui.live.events import NewTrade
from pumptui.live.store import MarketStore
from pumptui.tui.alerts import AlertToastGate
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.alert_form import CoinAlertForm
from pumptui.tui.screens.alerts import AlertsScreen
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.services import AppServices, MemoryWatchlist
from tests.helpers.pilot import record_toasts, wait_for
from tests.tui.conftest import FROZEN_NOW, NAMES, frozen_coins, frozen_store, make_mint, screen_text

SIZE = (80, 24)
DEV_DUMPS = {
    "name": "dev dumps",
    "when": "event = trade and side = sell and by = dev",
    "scope": "watchlist",
    "deliver": ["app", "osc"],
}
SAD_PEPE = frozen_coins()[NAMES.index(("Sad Pepe", "SPEPE"))]


def config_rule() -> AlertRule:
    return rule_from_table(DEV_DUMPS)


def app_rule() -> AlertRule:
    return make_rule('name ~ "pepe"', scope="new", name="pepes", origin="app")


def alerts_app(store: MarketStore | None = None, *, config: tuple[AlertRule, ...] = ()) -> PumpApp:
    services = AppServices(
        replace(Settings(), alerts=config),
        store=store if store is not None else frozen_store(),
        watchlist=MemoryWatchlist(),
        clock=lambda: FROZEN_NOW,
    )
    return PumpApp(services)


def saved_app_rules() -> list[AlertRule]:
    return AppRules(paths.alerts_file()).load()


async def open_alerts(pilot: Pilot[None]) -> AlertsScreen:
    await pilot.press("A")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AlertsScreen), "the alerts screen")
    screen = pilot.app.screen
    assert isinstance(screen, AlertsScreen)
    return screen


def row_of(app: PumpApp, name: str) -> str:
    """The rules table's line for the rule called `name`."""
    lines = [line for line in screen_text(app).splitlines() if f" {name} " in line]
    assert lines, f"no row for {name!r}"
    return lines[0]


async def test_the_alerts_screen_lists_the_config_rules_and_the_apps() -> None:
    AppRules(paths.alerts_file()).save([app_rule()])
    app = alerts_app(config=(config_rule(),))
    async with app.run_test(size=SIZE) as pilot:
        await open_alerts(pilot)
        dev = row_of(app, "dev dumps")
        assert dev.split()[0] == "on"
        assert "event = trade" in dev
        assert "watchlist" in dev
        assert "app,osc" in dev
        pepes = row_of(app, "pepes")
        assert 'name ~ "pepe"' in pepes
        assert "new coins" in pepes
        assert "5m" in pepes
        text = screen_text(app)
        assert "2 rules, 2 on" in text
        assert "from the config file · switch off only" in text  # the cursor is on the first
        await pilot.press("down")
        assert "made in the app · x deletes" in screen_text(app)


async def test_switching_a_rule_off_is_kept_across_a_restart() -> None:
    AppRules(paths.alerts_file()).save([app_rule()])
    app = alerts_app(config=(config_rule(),))
    async with app.run_test(size=SIZE) as pilot:
        await open_alerts(pilot)
        await pilot.press("space", "down", "space")  # the config's rule, then the app's
        assert row_of(app, "dev dumps").split()[0] == "off"
        assert row_of(app, "pepes").split()[0] == "off"
        assert not app.services.alerts.evaluator.rules  # neither is evaluated any more

    again = alerts_app(config=(config_rule(),))
    async with again.run_test(size=SIZE) as pilot:
        await open_alerts(pilot)
        assert row_of(again, "dev dumps").split()[0] == "off"
        assert row_of(again, "pepes").split()[0] == "off"
        assert "2 rules, 0 on" in screen_text(again)
        await pilot.press("e")  # on again: e does what space does
        assert row_of(again, "dev dumps").split()[0] == "on"

    third = alerts_app(config=(config_rule(),))
    async with third.run_test(size=SIZE) as pilot:
        await open_alerts(pilot)
        assert row_of(third, "dev dumps").split()[0] == "on"


async def test_delete_removes_an_app_rule_but_not_a_config_rule() -> None:
    AppRules(paths.alerts_file()).save([app_rule()])
    app = alerts_app(config=(config_rule(),))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        toasts = record_toasts(app)
        await open_alerts(pilot)
        await pilot.press("x")  # on the config's rule
        await wait_for(pilot, lambda: toasts, "a toast")
        assert "config file" in toasts[-1]
        assert "dev dumps" in screen_text(app)
        await pilot.press("down", "x")
        await wait_for(pilot, lambda: "Delete the alert" in screen_text(app), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: " pepes " not in screen_text(app), "the row gone")
        assert "1 rule, 1 on" in screen_text(app)
    assert saved_app_rules() == []


async def test_test_says_which_coins_the_rule_would_fire_on_now() -> None:
    AppRules(paths.alerts_file()).save([app_rule()])
    app = alerts_app(config=(config_rule(),))
    async with app.run_test(size=SIZE) as pilot:
        await open_alerts(pilot)
        await pilot.press("t")  # a rule about trades: nothing to test on figures
        assert "fires when it happens" in screen_text(app)
        await pilot.press("down", "t")
        # One of the 25 new coins is called Pepe: "Sad Pepe" (SPEPE).
        assert "test: would fire on 1 of 25 new coins: SPEPE" in screen_text(app)


async def test_home_turns_the_filter_into_a_new_coin_alert() -> None:
    app = alerts_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        toasts = record_toasts(app)
        await pilot.press("F")  # no filter yet
        await wait_for(pilot, lambda: toasts, "a toast")
        assert "no filter" in toasts[-1]
        await pilot.press("slash", *"frog", "enter", "F")
        await wait_for(pilot, lambda: len(toasts) == 2, "the rule saved")
        (rule,) = saved_app_rules()
        assert (rule.when, rule.scope) == ('name ~ "frog" or symbol ~ "frog"', "new")
        assert rule in app.services.alerts.evaluator.rules  # live at once
        await open_alerts(pilot)
        assert 'new: "frog"' in row_of(app, 'new: "frog"')


async def test_an_expression_filter_on_home_is_the_alerts_condition() -> None:
    app = alerts_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"mc>5k", "enter", "F")
        await wait_for(pilot, lambda: saved_app_rules(), "the rule saved")
        (rule,) = saved_app_rules()
        assert (rule.when, rule.scope) == ("mc>5k", "new")


async def test_the_coin_screen_sets_an_alert_on_its_coin() -> None:
    app = alerts_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_coin(SAD_PEPE.mint)
        await wait_for(pilot, lambda: isinstance(app.screen, CoinScreen), "the coin screen")
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, CoinAlertForm), "the form")
        await pilot.press("enter", *"5k", "enter")  # rises above $5k: it is at $6.5k
        assert "already above $5k" in screen_text(app)
        await pilot.press("ctrl+u", *"50k", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CoinScreen), "the form closed")
        (rule,) = saved_app_rules()
        assert (rule.when, rule.scope, rule.mint) == ("mc >= 50k", "mint", SAD_PEPE.mint)
        assert rule.name == "SPEPE mc above $50k"
        assert rule in app.services.alerts.evaluator.rules
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, CoinAlertForm), "the form")
        await pilot.press("down", "down", "down", "enter")  # the dev sells: no value
        await wait_for(pilot, lambda: len(saved_app_rules()) == 2, "the second rule")
        await pilot.press("A", "A")  # the form, then all alerts
        await wait_for(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts screen")
        assert "SPEPE dev sells" in screen_text(app)


def a_sell_by_the_dev(at: float) -> Trade:
    return Trade(
        signature=make_mint("dev-sell"),
        mint=SAD_PEPE.mint,
        is_buy=False,
        lamports=1_250_000_000,
        raw_tokens=40_000_000_000_000,
        timestamp=at,
        slot=5000,
        user=SAD_PEPE.creator or "",
    )


def fired_app() -> tuple[PumpApp, Callable[[], None]]:
    """An app with a config rule and an app rule, and a dev sell (70 s late) to fire one."""
    AppRules(paths.alerts_file()).save([app_rule()])
    dev_sells = make_rule(
        "event = trade and side = sell and by = dev",
        mint=SAD_PEPE.mint,
        name="SPEPE dev sells",
        cooldown=60,
        channels=("app", "bell"),
        origin="app",
    )
    AppRules(paths.alerts_file()).save([app_rule(), dev_sells])
    app = alerts_app(config=(config_rule(),))

    def sell() -> None:
        event = NewTrade(a_sell_by_the_dev(FROZEN_NOW - 70))
        app.services.store.apply(event)
        service = app.services.alerts.service
        assert service is not None
        service.handle(event)
        app.alerts_changed()

    return app, sell


async def test_the_history_lists_what_fired_with_its_caveats() -> None:
    app, sell = fired_app()
    async with app.run_test(size=SIZE) as pilot:
        sell()
        await open_alerts(pilot)
        line = next(line for line in screen_text(app).splitlines() if "dev sold" in line)
        assert "SPEPE dev sells" in line
        assert "SPEPE: dev sold 1.25 SOL" in line
        assert "late by 70s" in line
        assert "1 fired this run" in screen_text(app)


def test_the_alerts_screen_at_80x24(snap_compare: Callable[..., bool]) -> None:
    app, sell = fired_app()

    async def fire(pilot: Pilot[None]) -> None:
        sell()
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts screen")
        await pilot.press("down", "down", "t")
        app.clear_notifications()  # the alert's toast would hide the rules

    assert snap_compare(app, run_before=fire, terminal_size=SIZE)


async def test_a_delivery_problem_is_toasted_once() -> None:
    hook = make_rule(
        "event = trade and side = sell and by = dev",
        mint=SAD_PEPE.mint,
        name="to a script",
        cooldown=0,
        channels=("app",),
        command="echo broken >&2; exit 3",
        origin="app",
    )
    AppRules(paths.alerts_file()).save([hook])
    app = alerts_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        toasts = record_toasts(app)
        service = app.services.alerts.service
        assert service is not None
        for n in range(3):
            trade = replace(a_sell_by_the_dev(FROZEN_NOW), signature=make_mint(f"sell-{n}"))
            app.services.store.apply(NewTrade(trade))
            service.handle(NewTrade(trade))
        deliverer = service.deliverer
        await wait_for(pilot, lambda: deliverer.failures["command"] == 3, "three failed hooks")
        await pilot.pause()
        assert len([toast for toast in toasts if "dev sold" in toast]) == 3
        failed = [toast for toast in toasts if "exit status" in toast]
        assert failed == ["command echo broken >&2; exit 3: exit status 3: broken"]


async def test_a_broken_rules_file_is_said_once_and_the_config_rules_still_run() -> None:
    paths.alerts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.alerts_file().write_text("{ not json", encoding="utf-8")
    app = alerts_app(config=(config_rule(),))
    toasts = record_toasts(app)  # from start-up on
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: toasts, "a toast")
        assert len([text for text in toasts if "cannot read the alert rules" in text]) == 1
        assert [rule.name for rule in app.services.alerts.evaluator.rules] == ["dev dumps"]


async def test_a_burst_of_alerts_toasts_a_few_and_counts_the_rest() -> None:
    every_sell = make_rule(
        "event = trade and side = sell",
        mint=SAD_PEPE.mint,
        name="any sell",
        cooldown=0,
        origin="app",
    )
    AppRules(paths.alerts_file()).save([every_sell])
    app = alerts_app()
    app.alert_toasts = AlertToastGate(at_once=3, window=0.2)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        toasts = record_toasts(app)
        service = app.services.alerts.service
        assert service is not None
        for n in range(8):
            trade = replace(a_sell_by_the_dev(FROZEN_NOW), signature=make_mint(f"burst-{n}"))
            app.services.store.apply(NewTrade(trade))
            service.handle(NewTrade(trade))
        await wait_for(pilot, lambda: len(toasts) == 4, "the count of the rest")
        assert len([toast for toast in toasts if "dev sold" in toast]) == 3
        assert toasts[-1] == "5 more alerts fired: A lists them"
        assert len(app.services.alerts.history) == 8


def test_the_coin_alert_form_at_80x24(snap_compare: Callable[..., bool]) -> None:
    app = alerts_app()

    async def open_form(pilot: Pilot[None]) -> None:
        app.open_coin(SAD_PEPE.mint)
        await wait_for(pilot, lambda: isinstance(app.screen, CoinScreen), "the coin screen")
        await pilot.press("A", "down", "down")  # a move: percent and minutes
        await wait_for(pilot, lambda: isinstance(app.screen, CoinAlertForm), "the form")

    assert snap_compare(app, run_before=open_form, terminal_size=SIZE)
