"""The app's alerts: its rules (the config's and its own), the evaluator on the bus, the history.

`AppAlerts` is built by `AppServices` (`services.alerts`) and started by the app, which hands it
the delivery: a `Deliverer` whose `app` channel toasts and tells the screen (`AlertsChanged`),
whose terminal is `TerminalChannel` (the app's bell; OSC 9/777 through Textual's driver) and
whose problems toast once. It holds no widgets and opens no screen: the alerts screen and the
forms read and edit through it.

Rules come from two places. The config's `[[alerts]]` are the user's file, never rewritten: in
the app they can only be switched off or on (`RuleSwitches`, kept in the data dir). The app's own
(made on a coin's screen, or from Home's filter) are kept in `paths.alerts_file()`: they can be
switched and deleted too. Every change is written first and takes effect at once
(`AlertService.set_rules`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from pumptui import paths
from pumptui.alerts import (
    AlertEvaluator,
    AlertRule,
    AlertService,
    AppRules,
    CooldownLog,
    Deliverer,
    Firing,
)
from pumptui.alerts.switches import RuleSwitches
from pumptui.alerts.terminal import BELL
from pumptui.config import DEFAULT_WHALE_SOL
from pumptui.live.bus import EventBus
from pumptui.live.store import MarketStore

# The new coins a test of a "new coins" rule looks at (Home's table holds as many).
TEST_NEW_COINS: Final = 200
# The coins a test result names before "and N more".
TEST_NAMED: Final = 5


class TerminalChannel:
    """What the alert channels write to the terminal: the bell through the app's bell, the
    desktop notifications (OSC 9 / OSC 777) through the driver's `write`. A firing reaches here
    only for a rule whose `deliver` names the channel (`Deliverer`); with no `write` (a headless
    app, a test) nothing is written."""

    def __init__(self, write: Callable[[str], None] | None, bell: Callable[[], None]) -> None:
        self.write = write
        self.bell = bell

    def __call__(self, text: str) -> None:
        if text == BELL:
            self.bell()
        elif self.write is not None:
            self.write(text)


class AlertToastGate:
    """At most `at_once` alert toasts in any `window` seconds: a rule on new coins can match
    dozens at once, and a wall of toasts hides the screen. The rest are counted (`held`) and
    told in one toast when the window has passed; each is in the history all the same."""

    def __init__(self, at_once: int = 3, window: float = 3.0) -> None:
        self.at_once = at_once
        self.window = window
        self.held = 0
        self._shown: deque[float] = deque()

    def admit(self, now: float) -> bool:
        """True: toast this firing; False: it is held (the first held starts the count)."""
        while self._shown and now - self._shown[0] >= self.window:
            self._shown.popleft()
        if len(self._shown) >= self.at_once:
            self.held += 1
            return False
        self._shown.append(now)
        return True

    def take_held(self) -> int:
        held, self.held = self.held, 0
        return held


@dataclass(frozen=True, slots=True)
class TestResult:
    """What a rule would do now: the firings it would make on the coins in its scope (of
    `checked` coins), or `event_rule` when it waits for a happening, not a figure."""

    rule: AlertRule
    firings: tuple[Firing, ...]
    checked: int
    event_rule: bool = False

    def describe(self) -> str:
        """One line: "would fire on 2 of 150 new coins: PEPE, DOG (stale: SOL price)"."""
        if self.event_rule:
            return "fires when it happens (a trade, a launch…): nothing to test on figures"
        scope = {"new": "new coins", "watchlist": "watched coins", "mint": "coin"}[self.rule.scope]
        if self.checked == 0:
            return f"no {scope} to test against yet"
        if not self.firings:
            of = "it" if self.checked == 1 else f"any of {self.checked} {scope}"
            return f"would not fire on {of} now"
        names = [firing.coin for firing in self.firings[:TEST_NAMED]]
        more = len(self.firings) - len(names)
        line = f"would fire on {len(self.firings)} of {self.checked} {scope}: {', '.join(names)}"
        if more:
            line += f" and {more} more"
        caveats = sorted({note for firing in self.firings for note in firing.caveats})
        return line + "".join(f" ({note})" for note in caveats)


class AlertRuleProblem(Exception):
    """An edit that cannot be made (a config rule deleted, a file that cannot be written)."""


class AppAlerts:
    """The rules, their files and the running `AlertService` (module docstring)."""

    def __init__(
        self,
        bus: EventBus,
        store: MarketStore,
        config_rules: Iterable[AlertRule],
        *,
        clock: Callable[[], float],
        watchlist: Callable[[], Iterable[str]],
        rules_file: Path | None = None,
        switches_file: Path | None = None,
        fired_file: Path | None = None,
        demo: bool = False,
        whale_sol: float = DEFAULT_WHALE_SOL,
    ) -> None:
        self.bus = bus
        self.store = store
        self.clock = clock
        self._watchlist = watchlist
        self.app_file = AppRules(rules_file or paths.alerts_file(demo=demo))
        self.switches = RuleSwitches(switches_file or paths.alerts_switches_file(demo=demo))
        self.config_rules: tuple[AlertRule, ...] = tuple(config_rules)
        self.app_rules: list[AlertRule] = self.app_file.load()
        self.cooldowns = CooldownLog(fired_file or paths.alerts_fired_file(demo=demo))
        self.service: AlertService | None = None
        self.evaluator = AlertEvaluator(
            self.rules,
            store,
            cooldowns=self.cooldowns,
            watchlist=watchlist(),
            clock=clock,
            whale_sol=whale_sol,
        )

    @property
    def problems(self) -> list[str]:
        """What went wrong reading the files (said once when the app starts). Only for a file
        that is there: where the data dir itself cannot be reached, there is nothing to lose,
        and the app says why once for all its local state; a rule saved there later says it."""
        found = [
            (self.app_file.path, self.app_file.problem),
            (self.switches.path, self.switches.problem),
            (self.cooldowns.path, self.cooldowns.problem),
        ]
        return [problem for path, problem in found if problem and path and _is_there(path)]

    @property
    def rules(self) -> list[AlertRule]:
        """Every rule, the config's first, each enabled or not as the user left it."""
        return self.switches.apply(self.config_rules) + list(self.app_rules)

    def rule(self, rule_id: str) -> AlertRule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    @property
    def history(self) -> list[Firing]:
        """What fired since the app started, newest first."""
        return list(reversed(self.service.history)) if self.service is not None else []

    def last_fired(self, rule: AlertRule) -> float | None:
        """When `rule` last fired: this session's history, else (a coin's rule) the cooldown
        log, which outlives a restart."""
        for firing in self.history:
            if firing.rule_id == rule.id:
                return firing.at
        if rule.mint:
            return self.cooldowns.last_fired(rule.id, rule.mint)
        return None

    def mints(self) -> list[str]:
        """The coins enabled rules name: the engine follows them like watched coins."""
        return list(dict.fromkeys(r.mint for r in self.rules if r.enabled and r.mint))

    def scopes(self) -> frozenset[str]:
        return frozenset(rule.scope for rule in self.rules if rule.enabled)

    # -- life cycle --------------------------------------------------------------------------

    def start(
        self,
        deliverer: Deliverer,
        *,
        problem: Callable[[str, str], None],
        listener: Callable[[Firing], None],
    ) -> None:
        """Evaluate every event of the bus from now on (on the running loop)."""
        if self.service is not None:
            return
        service = AlertService(
            self.bus, self.store, (), deliverer, problem=problem, evaluator=self.evaluator
        )
        service.set_rules(self.rules)  # the command hooks too
        service.listeners.append(listener)
        service.start()
        self.service = service

    async def stop(self) -> None:
        service, self.service = self.service, None
        if service is not None:
            await service.stop()

    def set_watchlist(self, mints: Iterable[str]) -> None:
        self.evaluator.set_watchlist(mints)

    # -- edits (each written, then live) -----------------------------------------------------

    def add(self, rule: AlertRule) -> AlertRule:
        """Keep a rule made in the app (one doing the same replaces it) and watch with it."""
        rule = replace(rule, origin="app") if rule.origin != "app" else rule
        kept = [r for r in self.app_rules if r.id != rule.id] + [rule]
        self._save(kept)
        return rule

    def set_enabled(self, rule_id: str, enabled: bool) -> AlertRule:
        rule = self._find(rule_id)
        if rule.origin == "app":
            self._save(
                [replace(r, enabled=enabled) if r.id == rule_id else r for r in self.app_rules]
            )
        else:
            try:
                self.switches.switch(rule, enabled)
            except OSError as exc:
                raise AlertRuleProblem(f"cannot keep the switch: {exc}") from None
            self._changed()
        return replace(rule, enabled=enabled)

    def delete(self, rule_id: str) -> AlertRule:
        rule = self._find(rule_id)
        if rule.origin != "app":
            raise AlertRuleProblem("this rule is in the config file: switch it off instead")
        self._save([r for r in self.app_rules if r.id != rule_id])
        return rule

    def _find(self, rule_id: str) -> AlertRule:
        rule = self.rule(rule_id)
        if rule is None:
            raise AlertRuleProblem("no such rule any more")
        return rule

    def _save(self, rules: list[AlertRule]) -> None:
        try:
            self.app_file.save(rules)
        except OSError as exc:
            raise AlertRuleProblem(f"cannot save the alert rules: {exc}") from None
        self.app_rules = rules
        self._changed()

    def _changed(self) -> None:
        if self.service is not None:
            self.service.set_rules(self.rules)
        else:
            self.evaluator.set_rules(self.rules)

    # -- test --------------------------------------------------------------------------------

    def coins_in_scope(self, rule: AlertRule) -> list[str]:
        if rule.scope == "mint":
            return [rule.mint] if rule.mint else []
        if rule.scope == "watchlist":
            return list(self._watchlist())
        return [coin.mint for coin in self.store.new_coins(TEST_NEW_COINS)]

    def test(self, rule: AlertRule) -> TestResult:
        """What `rule` would fire now on the coins in its scope, as the store stands (its
        cooldown aside). A rule about happenings (a trade, a launch) has nothing to test."""
        if rule.is_event_rule:
            return TestResult(rule, (), 0, event_rule=True)
        mints = [m for m in self.coins_in_scope(rule) if self.store.coin(m) is not None]
        firings = [f for m in mints if (f := self.evaluator.test(rule, m)) is not None]
        return TestResult(rule, tuple(firings), len(mints))


def _is_there(path: Path) -> bool:
    """Whether `path` exists (a file that cannot even be looked at counts as there)."""
    try:
        return path.exists()
    except OSError:
        return True
