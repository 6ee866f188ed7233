"""`pumptui watch`: the live engine without a screen, streaming events to stdout.

One event a line. JSON lines (the default) carry a `type` and the model's fields in pumptui's
stable units (`Trade.to_json`, `Coin.to_json`): lamports and raw token units as integers, Unix
seconds for every time, market caps in SOL (`market_cap_sol`) and USD (`market_cap_usd`,
`ath_market_cap_usd`). Types: new_coin, coin_updated, new_trade, trade_confirmed,
leader_changed (the highest market cap still on the curve; King of the Hill is gone), sol_price,
holders, activity, callouts (the first --mint's top callouts, with --callouts: USD market cap when
called, the multiple since, the thesis), route_moved, and with `--chat` chat_message and viewers
(the live chat of the `--mint` coins, over one socket). Health changes and errors go to stderr, so
a pipe only ever sees events; a blocked host and a moved route are said there in words ("swap-api
blocked, retry in 48s", "route moved: candles /v2/… → /v1/…"). When what can be read turns (a
feed stops answering, none answers, all answer again) every feed's state is said on stderr, and
a `feeds` line carries them among the JSON events. Exit status: 0 at the end asked for (`--count`,
`--duration`), 1 when there is nothing to watch (the one coin named does not exist, or nothing
could be read at all: refused, every host blocking us; the reason on stderr), 2 bad usage, 130
Ctrl-C.

The table is for people: lines fit the terminal (COLUMNS, else its width), coins are named by
symbol where known, and figures are written as the app writes them (`pumptui.numbers`).

There is no site-wide trade feed any more (the 2026 API has no REST tape): trades are those of
the coins named with `--mint`, each followed on swap-api's cursor, complete and in chain order,
within swap-api's one budget (`--swap-rpm`, default 15 a minute). A coin trading faster than
that budget can read (about 25 trades a second) is not held back: each poll's trades are printed
at once, and a `trades_skipped` line says how many were skipped (`skipped`, an estimate) between
block times `after` and `before`; the feed's health on stderr says "~N skipped (budget)".

With push (`--push`, or `[push] url` in the config) a followed coin's trades arrive from the
WebSocket as soon as they happen, before their block time is known: such a trade is marked
`"provisional": true` (its `timestamp` is the receive time, `slot` and `tx_index` are null) and a
`trade_confirmed` line with the same signature follows once REST has the real record. The table
shows a provisional trade's time as `~12:00:01` and leaves confirmations out unless `--types` asks.

Examples::

    pumptui watch --coins                       # launches as they happen
    pumptui watch --mint MINT --format table    # one coin's trades, readable
    pumptui watch --push --mint MINT            # trades the moment the socket says so
    pumptui --api-url http://127.0.0.1:8787 watch --mint MINT --count 100 | jq .sol_amount
    pumptui watch --mint MINT --chat --types chat_message --history   # the coin's chat
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from pumptui.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE, run_stream

# asyncio, Rich's cell widths and the number formats are imported where they are used, so
# that `pumptui watch --help` costs little more than `pumptui --help`.
if TYPE_CHECKING:
    import asyncio

    from pumptui.api.models import Coin, Trade
    from pumptui.api.routes import Host
    from pumptui.config import Settings
    from pumptui.live.bus import Subscription
    from pumptui.live.events import Event
    from pumptui.live.health import FeedHealth

EVENT_TYPES = (
    "new_coin",
    "coin_updated",
    "new_trade",
    "trade_confirmed",
    "leader_changed",
    "sol_price",
    "holders",
    "activity",
    "callouts",
    "route_moved",
    "coin_not_found",
    "trades_skipped",
    "chat_message",
    "viewers",
    "feeds",
)
HOST_LABELS = {"frontend": "frontend-api-v3", "swap": "swap-api", "indexer": "advanced-indexer"}
# Printed in the table only when `--types` names them: corrections are for scripts, not eyes.
TABLE_HIDDEN_TYPES = frozenset({"trade_confirmed", "feeds"})  # feeds: said on stderr
EXIT_NOT_FOUND = EXIT_FAILED
EXIT_UNREADABLE = EXIT_FAILED  # like a coin that does not exist: there is nothing to watch
# Every feed has failed for this long (or is blocked for longer) before anything was read:
# watch says why and exits rather than retrying for ever (a first error may be a blip).
START_GRACE = 2.0
TICK = 0.5  # seconds between two looks at the feeds' states when no event comes
# Lines go out when the queue of events is drained, and at least this often (seconds) while
# a flood keeps it full: one flush (a write to the terminal or pipe) per batch, not per line.
FLUSH_EVERY = 0.1


def register(sub: argparse._SubParsersAction) -> None:
    from pumptui.cli.options import add_run_options  # as plain pumptui

    parser = sub.add_parser(
        "watch",
        help="stream live market events to stdout (JSON lines or a table)",
        description="Stream live events until interrupted: new coins, the trades of the coins "
        "named with --mint (complete and in chain order, followed on swap-api's cursor), their "
        "holders and market activity, callouts, the curve leader and the SOL price. There is no "
        "site-wide trade feed (the 2026 API has none). Events go to stdout, one a line; feed "
        'health, blocks ("swap-api blocked, retry in 48s"), moved routes and errors go to '
        "stderr. Exit status: 0 at the end asked for, 1 nothing to watch (no such coin, or "
        "nothing could be read: the reason on stderr), 2 bad usage, 130 interrupted.",
    )
    parser.add_argument(
        "--mint",
        action="append",
        default=[],
        metavar="MINT",
        help="follow this coin's trades, holders and market activity (repeat for several; the "
        "first also gets its callouts with --callouts)",
    )
    parser.add_argument("--coins", action="store_true", help="stream new coins")
    parser.add_argument(
        "--callouts",
        action="store_true",
        help="also stream the top callouts of the first --mint (read every 10 s or more)",
    )
    parser.add_argument(
        "--chat",
        action="store_true",
        help="also stream the live chat of the --mint coins (messages and "
        "viewer counts, over one socket; --history adds each room's recent past)",
    )
    parser.add_argument(
        "--format",
        choices=("jsonl", "table"),
        default="jsonl",
        help="output format (default: jsonl)",
    )
    parser.add_argument(
        "--types",
        metavar="LIST",
        help=f"comma-separated event types to print (of: {', '.join(EVENT_TYPES)}); default: "
        "everything except updates of coins you did not name (and, in the table, "
        "trade_confirmed: the REST copy of a trade first seen by push)",
    )
    parser.add_argument(
        "--history", action="store_true", help="also print the recent past read when a feed starts"
    )
    add_run_options(parser, counted="events printed")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pumptui.base58 import is_pubkey
    from pumptui.cli.options import settings_from_args
    from pumptui.config import ConfigError

    for mint in args.mint:
        if not is_pubkey(mint):
            print(f"pumptui watch: not a valid mint: {mint[:60]!r}", file=sys.stderr)
            return EXIT_USAGE
    types = _parse_types(args.types)
    if types is None:
        return EXIT_USAGE
    if args.count is not None and args.count <= 0:
        print("pumptui watch: --count must be positive", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = settings_from_args(args)  # the config's [push], then --push / --no-push
    except ConfigError as exc:
        print(f"pumptui watch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return run_stream(_watch(args, settings, types))


def _parse_types(raw: str | None) -> set[str] | frozenset[str] | None:
    if raw is None:
        return frozenset()  # the default rule, decided per event
    wanted = {t.strip() for t in raw.split(",") if t.strip()}
    unknown = wanted - set(EVENT_TYPES)
    if unknown or not wanted:
        print(
            f"pumptui watch: unknown event types: {', '.join(sorted(unknown)) or '(none)'}; "
            f"choose from {', '.join(EVENT_TYPES)}",
            file=sys.stderr,
        )
        return None
    return wanted


async def _watch(
    args: argparse.Namespace, settings: Settings, types: set[str] | frozenset[str]
) -> int:
    from pumptui.api import PumpClient
    from pumptui.cli.options import client_budgets
    from pumptui.heap import HeapTrimmer
    from pumptui.live import LiveEngine
    from pumptui.live.sources import source_for

    mints: list[str] = list(dict.fromkeys(args.mint))
    visible = _visible_feeds(mints, coins=args.coins, callouts=args.callouts)
    source = source_for(settings, candles=False)  # no chart here
    reporter = HealthReporter(None if args.quiet else sys.stderr)
    async with PumpClient(settings.api, budgets=client_budgets(settings)) as client:
        reporter.blocked_until = client.blocked_until
        engine = LiveEngine(
            client,
            settings=settings.refresh,
            source=source,
            visible=visible,
            include_nsfw=settings.api.include_nsfw,
            chat=args.chat and bool(mints),
        )
        subscription = engine.bus.subscribe(maxsize=50_000, coalesce=False)
        printer = EventPrinter(
            sys.stdout,
            args.format,
            types,
            named=set(mints),
            history=args.history,
            symbol_of=lambda mint: _symbol(engine.store.coin(mint)),
        )
        trimmer = HeapTrimmer()  # a stream that runs for days keeps a flat RSS as the app does
        trimmer.start()
        try:
            await engine.start()
            if mints:
                engine.focus(mints[0])  # its chat room too, with --chat
                engine.watch(mints[1:])
                if engine.chat is not None:
                    for mint in mints[1:]:
                        engine.chat.join(mint)
            reading = Reading(lambda: engine.health)
            return await _stream(subscription, printer, reporter, reading, args, mints)
        finally:
            trimmer.stop()  # first: nothing after it can keep it running
            # In this order: the reader stops reading, then the engine's tasks end and are
            # awaited, so Ctrl-C leaves no task whose exception nobody retrieves.
            subscription.close()
            await engine.stop()


async def _stream(
    subscription: Subscription,
    printer: EventPrinter,
    reporter: HealthReporter,
    reading: Reading,
    args: argparse.Namespace,
    mints: Sequence[str],
) -> int:
    """Print events until the count, the duration or the coin's absence ends the watch, or
    until it is clear that nothing can be read."""
    import asyncio

    from pumptui.live.bus import SubscriptionClosed

    deadline = None if args.duration is None else time.monotonic() + args.duration
    getter: asyncio.Future[Event] | None = None
    try:
        while True:
            if not subscription:
                printer.flush()  # the batch is printed: out it goes before waiting for more
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                final = reading.check(time.time(), final=True)
                return _feeds_said(final, printer, reporter, None) or EXIT_OK
            if getter is None:
                getter = asyncio.ensure_future(subscription.get())
            # Woken every TICK even when nothing comes: a dead server sends nothing.
            done, _ = await asyncio.wait(
                {getter}, timeout=TICK if left is None else min(left, TICK)
            )
            if not done:
                status = _feeds_said(reading.check(time.time()), printer, reporter, args.count)
                if status is not None:
                    return status
                continue
            try:
                event = getter.result()
            except SubscriptionClosed:
                return EXIT_OK
            finally:
                getter = None
            reading.saw(event)
            if reporter.report(event):
                status = _feeds_said(reading.check(time.time()), printer, reporter, args.count)
                if status is not None:
                    return status
                continue
            if printer.print(event) and args.count and printer.printed >= args.count:
                return EXIT_OK
            if _nothing_left(event, mints, coins=args.coins):
                return EXIT_NOT_FOUND  # said on stderr: "coin not found: …"
    finally:
        if getter is not None:  # interrupted while waiting (Ctrl-C cancels this task)
            await _settle(getter)
        printer.flush()


def _feeds_said(
    report: FeedsReport | None, printer: EventPrinter, reporter: HealthReporter, count: int | None
) -> int | None:
    """Say a turn in what can be read (stderr, and a `feeds` line on stdout). The exit status
    when the watch ends here (nothing can be read at all, or that line was the last one
    `--count` asked for), else None (go on)."""
    if report is None:
        return None
    printed = printer.print(report)
    if report.state == "unreadable":
        # An error, so said even with --quiet.
        print(f"pumptui watch: nothing can be read: {report.describe()}", file=sys.stderr)
        return EXIT_UNREADABLE
    reporter.say_feeds(report)
    if printed and count and printer.printed >= count:
        return EXIT_OK
    return None


async def _settle(future: asyncio.Future[Any]) -> None:
    """Cancel `future`, wait for it to end and retrieve its outcome, whatever it is."""
    import asyncio

    future.cancel()
    await asyncio.wait({future})
    if not future.cancelled():
        future.exception()


def _symbol(coin: Coin | None) -> str | None:
    return coin.symbol if coin is not None and coin.symbol else None


def _nothing_left(event: Event, mints: Sequence[str], *, coins: bool) -> bool:
    """The one coin named does not exist and nothing else was asked for: waiting is pointless."""
    from pumptui.live.events import CoinNotFound

    return isinstance(event, CoinNotFound) and list(mints) == [event.mint] and not coins


def _visible_feeds(mints: Sequence[str], *, coins: bool, callouts: bool) -> set[str]:
    visible: set[str] = set()
    if mints:
        visible |= {"trades", "market", "holders", "activity"}
        if len(mints) > 1:
            visible.add("watchlist")
        if callouts:
            visible.add("callouts")
    if coins:
        visible.add("coins")
    if not visible:
        visible = {"coins", "leader", "sol-price"}
    return visible


@dataclass(frozen=True, slots=True)
class FeedsReport:
    """Every feed this command uses, at a turn in what it can read. `state`: "degraded" (a feed
    stopped answering), "down" (none answers: the server is lost, watch keeps trying),
    "reading" (all answer again) or "unreadable" (nothing was ever read: watch exits)."""

    state: str
    feeds: tuple[FeedHealth, ...]
    at: float

    def describe(self) -> str:
        return "; ".join(f"{h.feed} {h.describe(self.at)}" for h in self.feeds)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "feeds",
            "state": self.state,
            "at": self.at,
            "feeds": [h.to_api() for h in self.feeds],
        }


class Reading:
    """Whether this command can read anything, from the states of the feeds it uses (those
    not idle): told apart so that a server that never answers ends the command with the
    reason, and a server lost later is said with every feed's state, once per turn."""

    def __init__(self, health: Callable[[], Mapping[str, FeedHealth]]) -> None:
        self._health = health
        self.read_something = False
        self.state = "starting"

    def saw(self, event: Event) -> None:
        from pumptui.live.events import CoinNotFound, EngineError, FeedHealthChanged, RouteMoved

        if not isinstance(event, FeedHealthChanged | EngineError | RouteMoved | CoinNotFound):
            self.read_something = True  # data: the server answered

    def used(self, now: float) -> tuple[FeedHealth, ...]:
        from pumptui.live.health import FeedState, stale

        return tuple(
            stale(health, now)
            for _, health in sorted(self._health().items())
            if health.state not in (FeedState.IDLE, FeedState.PAUSED)
        )

    def check(self, now: float, *, final: bool = False) -> FeedsReport | None:
        """A report when what can be read has turned, else None. `final`: the watch ends now,
        so a start where every feed failed is unreadable without waiting for the grace."""
        from pumptui.live.health import FeedState

        used = self.used(now)
        if not used:
            return None
        if any(h.state in (FeedState.LIVE, FeedState.SLOW) for h in used):
            self.read_something = True
        if not self.read_something:
            if _unreadable(used, now, 0.0 if final else START_GRACE):
                self.state = "unreadable"
                return FeedsReport("unreadable", used, now)
            return None
        down_states = (FeedState.FAILING, FeedState.RATE_LIMITED, FeedState.STALE)
        down = [h for h in used if h.state in down_states]
        state = "reading" if not down else "down" if len(down) == len(used) else "degraded"
        previous, self.state = self.state, state
        if state == previous or (state == "reading" and previous == "starting"):
            return None
        return FeedsReport(state, used, now)


def _unreadable(used: Sequence[FeedHealth], now: float, grace: float) -> bool:
    """Nothing was read and nothing will be soon: every feed that has asked has failed or been
    blocked for `grace` seconds (a block: with longer still to go), and the others have yet
    to ask (waiting for their budget behind the failed ones)."""
    from pumptui.live.health import FeedState

    tried = [h for h in used if h.state is not FeedState.STARTING]
    if not tried:
        return False
    for health in tried:
        if health.state not in (FeedState.FAILING, FeedState.RATE_LIMITED):
            return False
        if now - health.since < grace:
            return False  # the others may still answer: give them the grace
        soon = health.retry_at is not None and health.retry_at - now <= grace
        if health.state is FeedState.RATE_LIMITED and soon:
            return False
    return True


class HealthReporter:
    """Feed health and engine errors on stderr: one line per change of a feed's state, a line
    when a host starts blocking us (and when it stops), a line per moved route."""

    def __init__(
        self, out: TextIO | None, blocked_until: Callable[[Host], float | None] | None = None
    ) -> None:
        self.out = out
        self.blocked_until = blocked_until
        self._last: dict[str, tuple[str, str | None]] = {}
        self._blocks: dict[str, float] = {}

    def report(self, event: Event) -> bool:
        """True if the event was health or an error (and so is not for stdout). A moved route
        is both: said here, and printed as a `route_moved` event."""
        from pumptui.live.events import CoinNotFound, EngineError, FeedHealthChanged, RouteMoved

        if isinstance(event, FeedHealthChanged):
            self._check_blocks()
            self._health(event.health)
            return True
        if isinstance(event, EngineError):
            self._check_blocks()
            self._say(f"error: {event.message}")
            return True
        if isinstance(event, RouteMoved):
            self._say(f"route moved: {event.view} {event.description}")
        if isinstance(event, CoinNotFound):
            self._say(f"coin not found: {event.mint} (pump.fun has no coin with this mint)")
        return False

    def say_feeds(self, report: FeedsReport) -> None:
        """Every feed's state, on one line, when what can be read has turned."""
        heading = {
            "degraded": "some feeds do not answer",
            "down": "nothing can be read now (still trying)",
            "reading": "every feed answers again",
        }.get(report.state, report.state)
        self._say(f"{heading}: {report.describe()}")

    def _say(self, line: str) -> None:
        if self.out is not None:
            print(line, file=self.out, flush=True)

    def _check_blocks(self) -> None:
        """A host blocking us is said once per block (Cloudflare 1015 on swap-api, a challenge
        page...): the engine sends nothing to it until the time given."""
        if self.blocked_until is None:
            return
        from pumptui.api.routes import Host

        now = time.time()
        for host in Host:
            label = HOST_LABELS.get(host.value, host.value)
            until = self.blocked_until(host)
            if until is None:
                if self._blocks.pop(label, None) is not None:
                    self._say(f"{label} block over")
                continue
            known = self._blocks.get(label)
            if known is None or until > known + 5:  # a new block, or one the server extended
                self._blocks[label] = until
                self._say(f"{label} blocked, retry in {max(0, math.ceil(until - now))}s")

    def _health(self, health: FeedHealth) -> None:
        from pumptui.live.health import FeedState

        key = (health.state.value, health.reason)
        if self.out is None or self._last.get(health.feed) == key:
            return
        if health.feed not in self._last and health.state in (FeedState.STARTING, FeedState.IDLE):
            return  # a feed this command does not use
        self._last[health.feed] = key
        self._say(f"{health.feed}: {health.describe(time.time())}")


class EventPrinter:
    """Turns events into lines: JSON with API units, or a readable table.

    Lines are written as they come and flushed per batch: by `flush` (when the caller has
    nothing more queued), or here once `FLUSH_EVERY` has passed since the last flush, so a live
    tail stays live under a flood that never drains the queue.
    """

    def __init__(
        self,
        out: TextIO,
        fmt: str,
        types: set[str] | frozenset[str],
        *,
        named: set[str],
        history: bool,
        width: int | None = None,
        symbol_of: Callable[[str], str | None] | None = None,
    ) -> None:
        from pumptui.cli.table import terminal_width

        self.out = out
        self.format = fmt
        self.types = types
        self.named = named
        self.history = history
        # The table's lines fit the terminal as it was when watch started.
        self.width = terminal_width() if width is None else width
        self.symbol_of = symbol_of
        self.printed = 0
        self._unflushed = False
        self._flushed_at = time.monotonic()

    def wanted(self, event: Event | FeedsReport) -> bool:
        from pumptui.live.events import CoinUpdated, event_type

        kind = "feeds" if isinstance(event, FeedsReport) else event_type(event)
        if getattr(event, "historical", False) and not self.history:
            return False
        if self.types:
            return kind in self.types
        if isinstance(event, CoinUpdated):
            return event.coin.mint in self.named
        if self.format == "table" and kind in TABLE_HIDDEN_TYPES:
            return False
        return kind in EVENT_TYPES

    def print(self, event: Event | FeedsReport) -> bool:
        if not self.wanted(event):
            return False
        if isinstance(event, FeedsReport):
            report = event
            if self.format == "jsonl":
                import orjson

                line = orjson.dumps(report.to_json()).decode()
            else:
                from pumptui.cli.table import fit

                line = fit(
                    f"{_clock(report.at)}  feeds  {report.state}: {report.describe()}", self.width
                )
        elif self.format == "jsonl":
            import orjson

            line = orjson.dumps(event_json(event)).decode()
        else:
            line = table_line(event, width=self.width, symbol_of=self.symbol_of)
        self.out.write(line + "\n")
        self.printed += 1
        self._unflushed = True
        if time.monotonic() - self._flushed_at >= FLUSH_EVERY:
            self.flush()
        return True

    def flush(self) -> None:
        """Send the lines written since the last flush (nothing when there are none)."""
        if self._unflushed:
            self._unflushed = False
            self.out.flush()
        self._flushed_at = time.monotonic()


def event_json(event: Event) -> dict[str, Any]:
    """`event_to_json`, plus the figures of the 2026 events it leaves bare: holders (counts
    and percentages 0-100, top holders in whole tokens), activity (per window: counts, USD
    volumes, price change in percent), a moved route, and the SOL price's `stale` flag."""
    from pumptui.live.events import (
        ActivityChanged,
        HoldersChanged,
        RouteMoved,
        SolPriceChanged,
        event_to_json,
    )

    data = event_to_json(event)
    match event:
        case HoldersChanged(mint=mint, stats=stats, top=top, read_at=read_at):
            data.update(
                mint=mint,
                stats=dataclasses.asdict(stats),
                top=[dataclasses.asdict(holder) for holder in top],
                read_at=read_at,
            )
        case ActivityChanged(mint=mint, activity=activity):
            data.update(
                mint=mint,
                windows={
                    name: dataclasses.asdict(window) for name, window in activity.windows.items()
                },
            )
        case RouteMoved(view=view, description=description):
            data.update(view=view, description=description)
        case SolPriceChanged(stale=stale):
            data["stale"] = stale
    return data


def table_line(
    event: Event, *, width: int = 80, symbol_of: Callable[[str], str | None] | None = None
) -> str:
    """One human line of at most `width` terminal cells: fixed fields first, so columns line up
    from line to line, then free text cut with "…". Figures are formatted as the app shows
    them (`pumptui.numbers`: a tiny price is `0.0₇936`); a coin is named by its symbol where
    `symbol_of` knows it, else by its short mint. Text is already sanitised by the models."""
    from pumptui.cli.table import fit, pad
    from pumptui.live.events import (
        ActivityChanged,
        CalloutsChanged,
        CoinNotFound,
        CoinUpdated,
        HoldersChanged,
        LeaderChanged,
        NewChatMessage,
        NewCoin,
        NewTrade,
        RouteMoved,
        SolPriceChanged,
        TradeConfirmed,
        TradesSkipped,
        ViewerCountChanged,
    )
    from pumptui.numbers import holder_percent, percent, short_address, usd

    def coin_of(mint: str) -> str:
        symbol = symbol_of(mint) if symbol_of is not None else None
        return pad(symbol or short_address(mint), SYMBOL_CELLS)

    now = _clock(time.time())
    match event:
        case NewTrade(trade=t):
            line = _trade_line(t, "trade ", coin_of(t.mint))
        case TradeConfirmed(trade=t):
            line = _trade_line(t, "trade✓", coin_of(t.mint))
        case NewCoin(coin=c):
            line = _coin_line(_clock(c.created_at), "coin  ", c, width)
        case LeaderChanged(coin=c):
            line = _coin_line(now, "leader", c, width)
        case CoinUpdated(coin=c):
            line = (
                f"{now}  update {pad(c.symbol, SYMBOL_CELLS)}  mc {_cap(c)}  "
                f"curve {percent(c.progress)}  replies {c.reply_count}"
            )
        case HoldersChanged(mint=mint, stats=s):
            total = "?" if s.total_holders is None else f"{s.total_holders:,}"
            line = (
                f"{now}  holder {coin_of(mint)}  {total} holders  "
                f"top10 {holder_percent(s.top10_percent)}  dev {holder_percent(s.dev_percent)}  "
                f"snipers {holder_percent(s.snipers_percent)}"
            )
        case ActivityChanged(mint=mint, activity=a):
            w = a.window("5m") or a.window("1h")
            if w is None:
                line = f"{now}  activ  {coin_of(mint)}  no recent trades"
            else:
                name = "5m" if a.window("5m") is not None else "1h"
                line = (
                    f"{now}  activ  {coin_of(mint)}  {name}: {w.num_txs} txs  "
                    f"{usd(w.volume_usd)}  {w.num_buyers} buyers / {w.num_sellers} sellers  "
                    f"{_pct(w.price_change_percent, signed=True)}"
                )
        case RouteMoved(view=view, description=description):
            line = f"{now}  moved  {view}: {description}"
        case CoinNotFound(mint=mint):
            line = f"{now}  gone   no coin with mint {mint}"
        case CalloutsChanged(mint=mint, callouts=callouts):
            count = len(callouts)
            line = f"{now}  calls  {coin_of(mint)}  {count} callout{'' if count == 1 else 's'}"
            if callouts:
                best = callouts[0]
                who = best.username or short_address(best.author_wallet) or "?"
                multiple = "?" if best.multiple is None else f"{best.multiple:.2f}×"
                called = "?" if best.market_cap_usd is None else usd(best.market_cap_usd)
                thesis = best.thesis.replace("\n", " ")
                line += f"  best {multiple} since {called} by {fit(who, 16)}: {thesis}"
        case SolPriceChanged(usd=price_usd, stale=stale):
            line = f"{now}  sol    ${price_usd:,.2f}" + ("  (stale)" if stale else "")
        case NewChatMessage(message=m):
            who = m.username or short_address(m.author)
            badge = "[dev] " if m.is_creator else "[mod] " if m.is_moderator else ""
            text = m.text.replace("\n", " ")
            line = f"{_clock(m.at)}  chat   {coin_of(m.mint)}  {pad(who, 16)} {badge}{text}"
        case ViewerCountChanged(mint=mint, count=count):
            line = f"{now}  chat   {coin_of(mint)}  {count} watching"
        case TradesSkipped(mint=mint, skipped=skipped, after=after, before=before):
            line = _skipped_line(coin_of(mint), skipped, after, before)
        case _:
            line = f"{now}  {type(event).__name__}"
    return fit(line, width)


def _skipped_line(coin: str, skipped: int | None, after: float | None, before: float | None) -> str:
    """Trades polling gave up on (more than the request budget can read): how many, and since."""
    count = "?" if skipped is None else f"~{skipped:,}"
    return (
        f"{_clock(before)}  gap    {coin}  {count} trades skipped since {_clock(after)} "
        "(request budget)"
    )


# A coin's symbol (or short mint, `EpNi…pump`) takes this many cells in every line.
SYMBOL_CELLS = 9


def _trade_line(trade: Trade, label: str, coin: str) -> str:
    """A trade; a provisional one (known from push only) has an approximate time: `~12:00:01`.
    The price is in SOL per token."""
    from pumptui.cli.table import pad
    from pumptui.numbers import compact, price, short_address, sol

    side = "BUY " if trade.is_buy else "SELL"
    who = trade.username or short_address(trade.user) or "?"
    when = f"~{_clock(trade.timestamp)} " if trade.provisional else f"{_clock(trade.timestamp)}  "
    return (
        f"{when}{label} {side}  {coin}  {pad(sol(trade.sol), 6, right=True)} SOL  "
        f"{pad(compact(trade.tokens), 6, right=True)} tok  @ {pad(price(trade.price_sol), 9)}  "
        f"{who}"
    )


def _coin_line(when: str, label: str, coin: Coin, width: int) -> str:
    """A coin with its name and market cap; its whole mint when the line has room for it (to
    copy into `watch --mint`), else the short one."""
    from rich.cells import cell_len

    from pumptui.cli.table import pad
    from pumptui.numbers import short_address

    head = f"{when}  {label} {pad(coin.symbol, SYMBOL_CELLS)}  "
    cap = pad(_cap(coin), 12, right=True)
    mint = coin.mint
    room = width - cell_len(head) - len(cap) - 4 - len(mint)
    if room < NAME_CELLS:
        mint = short_address(mint)
        room = width - cell_len(head) - len(cap) - 4 - len(mint)
    return f"{head}{pad(coin.name, max(NAME_CELLS, room))}  {cap}  {mint}"


NAME_CELLS = 20


def _cap(coin: Coin) -> str:
    """Market cap in SOL, or in USD for a coin not quoted in SOL (its reserves are not SOL)."""
    from pumptui.numbers import sol, usd

    if coin.is_sol_quoted:
        return f"{sol(coin.market_cap_sol)} SOL"
    return usd(coin.market_cap_usd)


def _pct(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "?"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def _clock(timestamp: float | None) -> str:
    if not timestamp:
        return "--:--:--"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%H:%M:%S")
