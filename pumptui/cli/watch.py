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
blocked, retry in 48s", "route moved: candles /v2/… → /v1/…").

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
import asyncio
import contextlib
import dataclasses
import math
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pumptui.api.models import Coin, Trade
    from pumptui.api.routes import Host
    from pumptui.config import Settings
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
)
HOST_LABELS = {"frontend": "frontend-api-v3", "swap": "swap-api", "indexer": "advanced-indexer"}
# Printed in the table only when `--types` names them: corrections are for scripts, not eyes.
TABLE_HIDDEN_TYPES = frozenset({"trade_confirmed"})
EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def register(sub: argparse._SubParsersAction) -> None:
    from pumptui.cli import add_api_options, add_push_options  # as plain pumptui

    parser = sub.add_parser(
        "watch",
        help="stream live market events to stdout (JSON lines or a table)",
        description="Stream live events until interrupted: new coins, the trades of the coins "
        "named with --mint (complete and in chain order, followed on swap-api's cursor), their "
        "holders and market activity, callouts, the curve leader and the SOL price. There is no "
        "site-wide trade feed (the 2026 API has none). Events go to stdout, one a line; feed "
        'health, blocks ("swap-api blocked, retry in 48s"), moved routes and errors go to '
        "stderr.",
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
    parser.add_argument("--count", type=int, metavar="N", help="stop after printing N events")
    parser.add_argument(
        "--duration", type=float, metavar="SECONDS", help="stop after this many seconds"
    )
    add_push_options(parser)
    add_api_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no health lines on stderr")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pumptui.base58 import is_pubkey
    from pumptui.cli.app import settings_from_args
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
    try:
        return asyncio.run(_watch(args, settings, types))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Keep Python from complaining at exit.
        with contextlib.suppress(OSError):
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115
        return EXIT_OK


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
    from pumptui.cli.app import client_budgets
    from pumptui.live import LiveEngine
    from pumptui.live.sources import source_for

    mints: list[str] = list(dict.fromkeys(args.mint))
    visible = _visible_feeds(mints, coins=args.coins, callouts=args.callouts)
    source = source_for(settings, candles=False)  # no chart here
    printer = EventPrinter(sys.stdout, args.format, types, named=set(mints), history=args.history)
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
        await engine.start()
        if mints:
            engine.focus(mints[0])  # its chat room too, with --chat
            engine.watch(mints[1:])
            if engine.chat is not None:
                for mint in mints[1:]:
                    engine.chat.join(mint)
        deadline = None if args.duration is None else time.monotonic() + args.duration
        try:
            while True:
                timeout = None if deadline is None else deadline - time.monotonic()
                if timeout is not None and timeout <= 0:
                    break
                getter = asyncio.ensure_future(subscription.get())
                done, _ = await asyncio.wait({getter}, timeout=timeout)
                if not done:
                    getter.cancel()
                    break
                event = getter.result()
                if reporter.report(event):
                    continue
                if printer.print(event) and args.count and printer.printed >= args.count:
                    break
                if _nothing_left(event, mints, coins=args.coins):
                    return EXIT_NOT_FOUND  # said on stderr: "coin not found: …"
        finally:
            subscription.close()
            await engine.stop()
    return EXIT_OK


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
    """Turns events into lines: JSON with API units, or a readable table."""

    def __init__(
        self,
        out: TextIO,
        fmt: str,
        types: set[str] | frozenset[str],
        *,
        named: set[str],
        history: bool,
    ) -> None:
        self.out = out
        self.format = fmt
        self.types = types
        self.named = named
        self.history = history
        self.printed = 0

    def wanted(self, event: Event) -> bool:
        from pumptui.live.events import CoinUpdated, event_type

        kind = event_type(event)
        if getattr(event, "historical", False) and not self.history:
            return False
        if self.types:
            return kind in self.types
        if isinstance(event, CoinUpdated):
            return event.coin.mint in self.named
        if self.format == "table" and kind in TABLE_HIDDEN_TYPES:
            return False
        return kind in EVENT_TYPES

    def print(self, event: Event) -> bool:
        if not self.wanted(event):
            return False
        if self.format == "jsonl":
            import orjson

            line = orjson.dumps(event_json(event)).decode()
        else:
            line = table_line(event)
        self.out.write(line + "\n")
        self.out.flush()
        self.printed += 1
        return True


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


def table_line(event: Event) -> str:
    """A fixed-width, human line. Text fields are already sanitised by the models."""
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
        ViewerCountChanged,
    )

    match event:
        case NewTrade(trade=t):
            return _trade_line(t, "trade ")
        case TradeConfirmed(trade=t):
            return _trade_line(t, "trade✓")
        case NewCoin(coin=c):
            return (
                f"{_clock(c.created_at)}  coin   {c.symbol[:10]:<10} {c.name[:28]:<28} "
                f"{_cap(c)}  {c.mint}"
            )
        case CoinUpdated(coin=c):
            return (
                f"{_clock(time.time())}  update {c.symbol[:10]:<10} mc {_cap(c).strip()}  "
                f"progress {c.progress:.1%}  replies {c.reply_count}"
            )
        case LeaderChanged(coin=c):
            return (
                f"{_clock(time.time())}  leader {c.symbol[:10]:<10} {c.name[:28]:<28} "
                f"{_cap(c)}  {c.mint}"
            )
        case HoldersChanged(mint=mint, stats=s):
            total = "?" if s.total_holders is None else f"{s.total_holders:,}"
            return (
                f"{_clock(time.time())}  holder {mint[:8]}…  {total} holders  "
                f"top10 {_pct(s.top10_percent)}  dev {_pct(s.dev_percent)}  "
                f"snipers {_pct(s.snipers_percent)}"
            )
        case ActivityChanged(mint=mint, activity=a):
            w = a.window("5m") or a.window("1h")
            if w is None:
                return f"{_clock(time.time())}  activ  {mint[:8]}…  no recent trades"
            name = "5m" if a.window("5m") is not None else "1h"
            return (
                f"{_clock(time.time())}  activ  {mint[:8]}…  {name}: {w.num_txs} txs  "
                f"${w.volume_usd:,.0f}  {w.num_buyers} buyers / {w.num_sellers} sellers  "
                f"{_pct(w.price_change_percent, signed=True)}"
            )
        case RouteMoved(view=view, description=description):
            return f"{_clock(time.time())}  moved  {view}: {description}"
        case CoinNotFound(mint=mint):
            return f"{_clock(time.time())}  gone   no coin with mint {mint}"
        case CalloutsChanged(mint=mint, callouts=callouts):
            count = len(callouts)
            line = (
                f"{_clock(time.time())}  calls  {mint[:8]}…  {count} "
                f"callout{'' if count == 1 else 's'}"
            )
            if callouts:
                best = callouts[0]
                who = best.username or (best.author_wallet or "?")[:8]
                multiple = "?" if best.multiple is None else f"{best.multiple:.2f}×"
                called = "?" if best.market_cap_usd is None else f"${best.market_cap_usd:,.0f}"
                thesis = best.thesis.replace("\n", " ")[:60]
                line += f"  best {multiple} since {called} by {who[:16]}: {thesis}"
            return line
        case SolPriceChanged(usd=usd, stale=stale):
            return f"{_clock(time.time())}  sol    ${usd:,.2f}" + ("  (stale)" if stale else "")
        case NewChatMessage(message=m):
            who = m.username or m.author[:8]
            badge = "[dev] " if m.is_creator else "[mod] " if m.is_moderator else ""
            text = m.text.replace("\n", " ")[:80]
            return f"{_clock(m.at)}  chat   {m.mint[:8]}…  {who[:16]:<16} {badge}{text}"
        case ViewerCountChanged(mint=mint, count=count):
            return f"{_clock(time.time())}  chat   {mint[:8]}…  {count} watching"
    from pumptui.live.events import TradesSkipped

    if isinstance(event, TradesSkipped):
        return _skipped_line(event.mint, event.skipped, event.after, event.before)
    return f"{_clock(time.time())}  {type(event).__name__}"


def _skipped_line(mint: str, skipped: int | None, after: float | None, before: float | None) -> str:
    """Trades polling gave up on (more than the request budget can read): how many, and since."""
    count = "?" if skipped is None else f"~{skipped:,}"
    return (
        f"{_clock(before)}  gap    {mint[:8]}…  {count} trades skipped since {_clock(after)} "
        "(request budget)"
    )


def _trade_line(trade: Trade, label: str) -> str:
    """A trade; a provisional one (known from push only) has an approximate time: `~12:00:01`."""
    side = "BUY " if trade.is_buy else "SELL"
    who = trade.username or (trade.user or "?")[:8]
    when = f"~{_clock(trade.timestamp)} " if trade.provisional else f"{_clock(trade.timestamp)}  "
    return (
        f"{when}{label} {side} {trade.mint[:8]}…  {trade.sol:>10.4f} SOL  "
        f"{trade.tokens:>16,.0f} tok  @ {trade.price_sol:.3e} SOL/tok  {who}"
    )


def _cap(coin: Coin) -> str:
    """Market cap in SOL, or in USD for a coin not quoted in SOL (its reserves are not SOL)."""
    if coin.is_sol_quoted:
        return f"{coin.market_cap_sol:>8.2f} SOL"
    usd = coin.market_cap_usd
    return f"{'$' + format(usd, ',.0f') if usd is not None else '?':>8} USD"


def _pct(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "?"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def _clock(timestamp: float | None) -> str:
    if not timestamp:
        return "--:--:--"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%H:%M:%S")
