"""`pumptui alerts`: the alert rules on the live market without a screen, one JSON line a firing.

The rules are those given with `--rule` (each watching the `--mint` coins, the watchlist with
`--watchlist`, else every new coin), or without `--rule` the saved ones: the config's
`[[alerts]]` and those made in the app. They are evaluated exactly as in the app
(`pumptui.alerts`), and their cooldowns are the app's, kept in the data dir: a restart does not
fire again what fired within the cooldown.

Each firing, whatever its rule's channels, is a JSON line on stdout (`Firing.to_json`): `type`
"alert", `rule`, `name`, `when`, `mint`, `symbol`, `event` (new, trade, graduating, graduated,
callout, reply, or "change" when a state became true), `at`, `event_at`, `late` / `late_by` (a
trade read back after a gap), `provisional` (from push, not confirmed yet), `stale` (figures
that were old), the trade's `signature`, `side`, `sol`, `usd`, `trader`, `by_dev`,
`market_cap_usd` and a `text` for people. The other channels of a rule (`--deliver
bell,osc,notify-send`, `--command CMD`) are used as well; the bell and OSC 9 / OSC 777
notifications go to the terminal (stderr, else stdout, when either is one). Feed health,
delivery problems (each once) and errors go to stderr, as with `watch`.

There is no site-wide trade feed (the 2026 API has none): trades are those of the coins the
rules name and of the watchlist; rules on new coins see launches, coin updates and the trenches
boards. Exit status: 0 at the end asked for (`--count` firings, `--duration`), 1 nothing to
watch (no such coin, or nothing can be read), 2 bad usage (a rule that does not parse is named
with the problem and its column), 130 Ctrl-C.

Examples::

    pumptui alerts --rule "mc > 30k and age < 10m"                 # new coins
    pumptui alerts --mint MINT --rule "event = trade and by = dev" --deliver osc --cooldown 0
    pumptui alerts --command ~/bin/telegram-send                     # the saved rules, and a hook
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from pumptui.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE, run_stream

if TYPE_CHECKING:
    from pumptui.alerts import AlertRule, AlertService, Firing
    from pumptui.cli.watch import HealthReporter, Reading
    from pumptui.config import Settings
    from pumptui.live.bus import Subscription
    from pumptui.live.events import Event


def register(sub: argparse._SubParsersAction) -> None:
    from pumptui.cli.options import add_run_options

    parser = sub.add_parser(
        "alerts",
        help="run the alert rules without the UI: one JSON line per firing",
        description="Evaluate alert rules on the live market and print one JSON line per "
        "firing. The rules: those given with --rule (watching the --mint coins, the watchlist "
        "with --watchlist, else every new coin), or without --rule the config's [[alerts]] and "
        "those made in the app. Cooldowns are kept in the data dir and survive a restart. "
        "Health and delivery problems go to stderr. Exit status: 0 at the end asked for, 1 "
        "nothing to watch, 2 bad usage, 130 interrupted.",
    )
    parser.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="EXPR",
        help='a condition, e.g. "mc > 20k and age < 10m" or "event = trade and by = dev" '
        "(repeat for several)",
    )
    parser.add_argument(
        "--mint",
        action="append",
        default=[],
        metavar="MINT",
        help="the --rule rules watch this coin (repeat for several)",
    )
    parser.add_argument(
        "--watchlist", action="store_true", help="the --rule rules watch the app's watchlist"
    )
    parser.add_argument(
        "--window", metavar="DURATION", help="the --rule rules' window for change, vol… (5m)"
    )
    parser.add_argument(
        "--cooldown",
        metavar="DURATION",
        help="the --rule rules fire at most once per coin in this time (default 5m; 0: every "
        "match)",
    )
    parser.add_argument(
        "--deliver",
        metavar="LIST",
        default="",
        help="also deliver the --rule rules' firings by: bell, osc (desktop notification "
        "through the terminal), notify-send, desktop (both)",
    )
    parser.add_argument(
        "--command",
        metavar="CMD",
        help="run CMD for each firing (of the --rule rules, or of every rule without --rule), "
        "with the firing as JSON on stdin",
    )
    parser.add_argument(
        "--command-timeout", type=float, default=10.0, metavar="SECONDS", help="(default 10)"
    )
    add_run_options(parser, counted="firings")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pumptui.alerts import AlertRuleError
    from pumptui.cli.options import settings_from_args
    from pumptui.config import ConfigError

    if args.count is not None and args.count <= 0:
        print("pumptui alerts: --count must be positive", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = settings_from_args(args)
        rules = _rules(args, settings)
    except (ConfigError, AlertRuleError) as exc:
        print(f"pumptui alerts: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not rules:
        print(
            "pumptui alerts: no rules: give --rule EXPR, or add [[alerts]] to the config",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return run_stream(_run(args, settings, rules))


def _rules(args: argparse.Namespace, settings: Settings) -> list[AlertRule]:
    """The --rule rules, or the saved ones; AlertRuleError names a bad option or rule."""
    from dataclasses import replace

    from pumptui import paths
    from pumptui.alerts import AlertRuleError, AppRules, make_rule, parse_duration
    from pumptui.alerts.rules import DEFAULT_COOLDOWN, Scope
    from pumptui.alerts.switches import RuleSwitches
    from pumptui.base58 import is_pubkey

    for mint in args.mint:
        if not is_pubkey(mint):
            raise AlertRuleError(f"not a valid mint: {mint[:60]!r}")
    if not 0 < args.command_timeout < float("inf"):
        raise AlertRuleError("--command-timeout must be a positive number")
    command = args.command.strip() if args.command else None
    if not args.rule:
        if args.mint or args.watchlist or args.window or args.cooldown or args.deliver:
            raise AlertRuleError(
                "--mint, --watchlist, --window, --cooldown and --deliver are for --rule rules"
            )
        # The config's rules as switched in the app (alerts screen), then the app's own.
        switched = RuleSwitches(paths.alerts_switches_file()).apply(settings.alerts)
        saved = switched + AppRules(paths.alerts_file()).load()
        enabled = [rule for rule in saved if rule.enabled]
        if command:
            enabled = [
                replace(
                    rule,
                    command=command,
                    command_timeout=args.command_timeout,
                    channels=(*(c for c in rule.channels if c != "command"), "command"),
                )
                for rule in enabled
            ]
        return enabled
    window = None if args.window is None else parse_duration(args.window, "--window")
    cooldown = (
        DEFAULT_COOLDOWN if args.cooldown is None else parse_duration(args.cooldown, "--cooldown")
    )
    channels = ("app", *(c.strip() for c in args.deliver.split(",") if c.strip()))
    targets: list[tuple[Scope, str | None]]
    if args.mint:
        targets = [("mint", mint) for mint in dict.fromkeys(args.mint)]
    else:
        targets = [("watchlist" if args.watchlist else "new", None)]
    rules: list[AlertRule] = []
    for text in args.rule:
        for scope, mint in targets:
            try:
                rules.append(
                    make_rule(
                        text,
                        scope=scope,
                        mint=mint,
                        window=window,
                        cooldown=cooldown,
                        channels=channels,
                        command=command,
                        command_timeout=args.command_timeout,
                        origin="command-line",
                    )
                )
            except AlertRuleError as exc:
                raise AlertRuleError(f"--rule: {exc}") from None
    return rules


def _watchlist() -> list[str]:
    """The app's watchlist (empty when its file cannot be read: said by the caller)."""
    from pumptui.social.state import SocialState

    state = SocialState(memory_fallback=True)
    try:
        return state.watchlist()
    finally:
        state.close()


def _terminal() -> TextIO | None:
    """Where the bell and desktop notifications are written: a terminal, if stderr or stdout
    is one (a pipe would carry them to a program, not to the user)."""
    for stream in (sys.stderr, sys.stdout):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            if stream.isatty():
                return stream
    return None


async def _run(args: argparse.Namespace, settings: Settings, rules: list[AlertRule]) -> int:
    import orjson

    from pumptui import paths
    from pumptui.alerts import AlertService, CooldownLog, Deliverer
    from pumptui.api import PumpClient
    from pumptui.cli.options import client_budgets
    from pumptui.cli.watch import HealthReporter, Reading, _visible_feeds
    from pumptui.live import LiveEngine
    from pumptui.live.sources import source_for
    from pumptui.live.trenches import DEFAULT_BOARDS

    reporter = HealthReporter(None if args.quiet else sys.stderr)
    mints = list(dict.fromkeys(rule.mint for rule in rules if rule.mint))
    watchlist = _watchlist() if any(rule.scope == "watchlist" for rule in rules) else []
    new_coins = any(rule.scope == "new" for rule in rules)
    followed = list(dict.fromkeys([*mints, *watchlist]))
    visible = _visible_feeds(followed, coins=new_coins, callouts=bool(followed))
    visible |= {"sol-price"}
    printed = 0

    def print_firing(firing: Firing) -> None:
        nonlocal printed
        sys.stdout.write(orjson.dumps(firing.to_json()).decode() + "\n")
        sys.stdout.flush()
        printed += 1

    def say_problem(_what: str, message: str) -> None:
        print(f"pumptui alerts: {message}", file=sys.stderr, flush=True)

    terminal = _terminal()

    def write_terminal(text: str) -> None:
        assert terminal is not None
        terminal.write(text)
        terminal.flush()

    deliverer = Deliverer(
        terminal=write_terminal if terminal is not None else None,
        problem=say_problem,
    )
    cooldowns = CooldownLog(paths.alerts_fired_file())
    async with PumpClient(settings.api, budgets=client_budgets(settings)) as client:
        reporter.blocked_until = client.blocked_until
        engine = LiveEngine(
            client,
            settings=settings.refresh,
            source=source_for(settings, candles=False),
            visible=visible,
            include_nsfw=settings.api.include_nsfw,
            boards=DEFAULT_BOARDS if new_coins else (),
        )
        service = AlertService(
            engine.bus,
            engine.store,
            rules,
            deliverer,
            cooldowns=cooldowns,
            watchlist=watchlist,
            problem=say_problem,
            whale_sol=settings.ui.whale_sol,
        )
        service.listeners.append(print_firing)  # every firing, whatever its channels
        subscription = engine.bus.subscribe(maxsize=100_000, coalesce=False)
        try:
            await engine.start()
            if followed:
                engine.focus(followed[0])
                engine.watch(followed[1:])
                engine.set_alerted(mints)  # read at the budget's pace, however quiet
            reading = Reading(lambda: engine.health)
            return await _evaluate(
                subscription, service, reporter, reading, args, mints, lambda: printed
            )
        finally:
            subscription.close()
            await engine.stop()
            await deliverer.aclose()


async def _evaluate(
    subscription: Subscription,
    service: AlertService,
    reporter: HealthReporter,
    reading: Reading,
    args: argparse.Namespace,
    mints: list[str],
    printed: Callable[[], int],
) -> int:
    """Evaluate every event until the count or the duration ends the run, or nothing can be
    read (then the reason is on stderr)."""
    from pumptui.cli.watch import TICK  # the same pace as watch's
    from pumptui.live.bus import SubscriptionClosed
    from pumptui.live.events import CoinNotFound

    deadline = None if args.duration is None else time.monotonic() + args.duration
    missing: set[str] = set()
    getter: asyncio.Future[Event] | None = None
    try:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return EXIT_OK
            if getter is None:
                getter = asyncio.ensure_future(subscription.get())
            done, _ = await asyncio.wait(
                {getter}, timeout=TICK if left is None else min(left, TICK)
            )
            if done:
                try:
                    event = getter.result()
                except SubscriptionClosed:
                    return EXIT_OK
                finally:
                    getter = None
                reading.saw(event)
                reporter.report(event)
                service.handle(event)
                if args.count and printed() >= args.count:
                    return EXIT_OK
                if isinstance(event, CoinNotFound) and event.mint in mints:
                    missing.add(event.mint)
                    if missing >= set(mints) and not _other_scopes(service):
                        return EXIT_FAILED  # said on stderr: "coin not found: …"
            report = reading.check(time.time())
            if report is not None:
                if report.state == "unreadable":
                    print(
                        f"pumptui alerts: nothing can be read: {report.describe()}",
                        file=sys.stderr,
                    )
                    return EXIT_FAILED
                reporter.say_feeds(report)
    finally:
        if getter is not None:
            getter.cancel()
            await asyncio.wait({getter})
            if not getter.cancelled():
                getter.exception()


def _other_scopes(service: AlertService) -> bool:
    return any(rule.scope != "mint" for rule in service.rules)
