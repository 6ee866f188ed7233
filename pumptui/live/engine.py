"""`LiveEngine`: runs the feeds, keeps the market store, publishes events. No Textual here.

Typical use (the TUI calls `start()` from its own event loop)::

    engine = LiveEngine(client)
    await engine.start()
    engine.focus(mint)                   # the coin screen: its trades, callouts, candles
    engine.set_visible({"trades", "callouts"})
    async for event in engine.bus.subscribe():
        ...
    await engine.stop()

`error_backoff` is (base, cap) in seconds for a failing feed's exponential backoff. `boards`
names the trenches boards to keep live over the indexer's keyless socket (`trenches.py`).
`chat` keeps the coin chat live over one Socket.IO connection (`chat.py`): the focused coin's
room is joined and the previous one left; `engine.chat` joins others and sends.

Feeds run as asyncio tasks in the caller's loop, one task per feed; a feed that is hidden
(`set_visible`), has nothing to do, or is paused does not poll. Every request goes through the
client's budget for its host (swap-api has one for everything; frontend-api-v3 one per route
group); the engine splits each host's budget between the running feeds that spend it, by weight
(`schedule.fair_shares`), so the coin on screen gets most of swap-api's few requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Sequence

from pumptui.api.routes import Host
from pumptui.config import RefreshSettings
from pumptui.live.bus import EventBus
from pumptui.live.chat import ChatConnection
from pumptui.live.client import MarketClient
from pumptui.live.events import (
    CoinUpdated,
    Event,
    FeedHealthChanged,
    NewCoin,
    NewTrade,
    RouteMoved,
    TradeConfirmed,
    TradesSkipped,
)
from pumptui.live.feeds import (
    FEED_NAMES,
    ActivityFeed,
    CalloutsFeed,
    CoinTradesFeed,
    CreatorFeed,
    Feed,
    FeedContext,
    HoldersFeed,
    MarketFeed,
    WatchlistFeed,
)
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.runner import FeedRunner
from pumptui.live.schedule import Backoff, fair_shares
from pumptui.live.screener import SCREENER_FEED, ScreenerActivityFeed
from pumptui.live.sources import PollingSource
from pumptui.live.store import MarketStore
from pumptui.live.trenches import TrenchesWatcher

# The share of each host's budget the feeds plan to spend: all of it. User actions need no room
# kept back: they are FOREGROUND requests, so they take the bucket's next token before any feed.
BUDGET_SHARE = 1.0
# How long each socket (push, trenches, chat) may take to close when the engine stops.
STOP_TIMEOUT = 8.0


class LiveEngine:
    def __init__(
        self,
        client: MarketClient,
        store: MarketStore | None = None,
        bus: EventBus | None = None,
        settings: RefreshSettings | None = None,
        source: PollingSource | None = None,
        clock: Callable[[], float] = time.time,
        *,
        include_nsfw: bool = False,
        visible: Iterable[str] | None = None,
        budget_share: float = BUDGET_SHARE,
        error_backoff: tuple[float, float] = (1.0, 60.0),
        boards: Iterable[str] = (),
        chat: bool = False,
    ) -> None:
        self.client = client
        self._store = store if store is not None else MarketStore()
        self._bus = bus if bus is not None else EventBus()
        self.settings = settings or RefreshSettings()
        self.source = source if source is not None else PollingSource()
        self._clock = clock
        self.budget_share = budget_share
        self._ctx = FeedContext(
            client=client,
            store=self._store,
            emit=self.emit,
            settings=self.settings,
            include_nsfw=include_nsfw,
            budget_wait=self._budget_wait,
            request_rate=self.request_rate,
            nudge=self.nudge,
            pushed_since=self.source.covered_since,
        )
        self.feeds: dict[str, Feed] = self.source.build_feeds(self._ctx)
        # A route the service stopped answering is news for the status bar and `watch`.
        client.on_route_moved = lambda view, description: self.emit(RouteMoved(view, description))
        base, cap = error_backoff
        self.runners: dict[str, FeedRunner] = {
            name: FeedRunner(
                feed, self, wall=clock, backoff=Backoff(base=base, cap=cap, floor=min(0.5, base))
            )
            for name, feed in self.feeds.items()
        }
        self._visible: frozenset[str] = frozenset(FEED_NAMES if visible is None else visible)
        self._paused = False
        self._focus: str | None = None
        self._watched: list[str] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._floors: dict[str, float] = {}
        self._started = False
        # The trenches boards over the indexer's keyless socket (none: not watched).
        boards = tuple(boards)
        self.trenches: TrenchesWatcher | None = (
            TrenchesWatcher(client.settings.indexer_url, boards) if boards else None
        )
        # The coins' live chat: one socket for the process (none: not followed).
        self.chat: ChatConnection | None = (
            ChatConnection(client.settings.chat_url) if chat else None
        )

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.rebalance()
        for name, runner in self.runners.items():
            self._tasks.append(asyncio.create_task(runner.run(), name=f"feed:{name}"))
        await self.source.start(self)
        if self.trenches is not None:
            await self.trenches.start(self)
        if self.chat is not None:
            await self.chat.start(self._publish_chat)
            if self._focus is not None:
                self.chat.join(self._focus)

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        # Each socket gets a bounded time to close: a peer that never answers a goodbye must
        # not keep Ctrl-C from ending the program.
        for closing in (self.source, self.trenches, self.chat):
            if closing is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(closing.stop(), STOP_TIMEOUT)
        pending = set(self._tasks)
        for _ in range(5):
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=1.0)
            if not pending:
                break
        self._tasks.clear()

    async def __aenter__(self) -> LiveEngine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- what the user looks at ---------------------------------------------------------------

    @property
    def store(self) -> MarketStore:
        return self._store

    @property
    def bus(self) -> EventBus:
        return self._bus

    @property
    def health(self) -> dict[str, FeedHealth]:
        return self._store.health

    @property
    def focused(self) -> str | None:
        return self._focus

    @property
    def watched(self) -> tuple[str, ...]:
        return tuple(self._watched)

    @property
    def followed(self) -> dict[str, str]:
        """Coins whose every trade the engine delivers, and the feed that reads each."""
        return self._ctx.followed

    @property
    def visible(self) -> frozenset[str]:
        return self._visible

    def focus(self, mint: str | None) -> None:
        """Open a coin (its trades and candle backfill at foreground priority, its holders,
        activity and callouts), or close it with None."""
        if mint == self._focus:
            return
        if self.chat is not None:
            if self._focus is not None:
                self.chat.leave(self._focus)
            if mint is not None:
                self.chat.join(mint)
        self._focus = mint
        trades = self.feeds.get("trades")
        if isinstance(trades, CoinTradesFeed) and trades.set_mint(mint):
            self.runners["trades"].restart()
        for name in ("callouts", "holders", "activity"):
            feed = self.feeds.get(name)
            if isinstance(feed, CalloutsFeed | HoldersFeed | ActivityFeed) and feed.set_mint(mint):
                self.runners[name].restart()
        creator = self.feeds.get("creator")
        if isinstance(creator, CreatorFeed) and creator.set_mint(mint):
            self.runners["creator"].restart()
        market = self.feeds.get("market")
        if isinstance(market, MarketFeed):
            market.focused = mint
            if mint is not None and self._store.coin(mint) is None:
                self.runners["market"].refresh()  # the coin's header wants its data now
        watchlist = self.feeds.get("watchlist")
        if isinstance(watchlist, WatchlistFeed):
            watchlist.excluded = mint
        self._subscriptions_changed()

    def show_creator(self, creator: str | None) -> None:
        """Keep a creator's coins live (their view is open), or stop with None."""
        feed = self.feeds.get("creator")
        if isinstance(feed, CreatorFeed) and feed.set_creator(creator):
            self.runners["creator"].restart()

    def watch(self, mints: Iterable[str]) -> None:
        """Add coins to the watchlist feed (their data in bulk, and their trades)."""
        added = [m for m in mints if m not in self._watched]
        if added:
            self._watched.extend(added)
            self._watchlist_changed()

    def unwatch(self, mints: Iterable[str]) -> None:
        gone = set(mints)
        if gone & set(self._watched):
            self._watched = [m for m in self._watched if m not in gone]
            self._watchlist_changed()

    def set_alerted(self, mints: Iterable[str]) -> None:
        """The followed coins (focused or watched) an alert rule waits on: their trades are read
        as often as their feed's share of the budget allows, however quiet the coin has been
        (a quiet coin is otherwise read rarely, and a dev selling it would be heard late)."""
        alerted = frozenset(mints)
        if alerted == self._ctx.alerted:
            return
        self._ctx.alerted = alerted
        for name in ("trades", "watchlist"):
            feed = self.feeds.get(name)
            if feed is not None:
                feed.reset()
        self.rebalance()
        for name in ("trades", "watchlist"):
            runner = self.runners.get(name)
            if runner is not None:
                runner.nudge()

    def _watchlist_changed(self) -> None:
        watchlist = self.feeds.get("watchlist")
        if isinstance(watchlist, WatchlistFeed):
            watchlist.set_mints(self._watched)
        market = self.feeds.get("market")
        if isinstance(market, MarketFeed):
            market.excluded = frozenset(self._watched)
        self._subscriptions_changed()
        self._wake("watchlist")

    def _subscriptions_changed(self) -> None:
        followed = dict.fromkeys(self._watched, "watchlist")
        if self._focus:
            followed[self._focus] = "trades"
        self._ctx.followed = followed
        mints = frozenset(followed)
        self._store.protect(mints)
        self.source.subscriptions_changed(mints)
        self.rebalance()
        self._wake_all()

    def show_rows(self, visible: Sequence[str], listed: Sequence[str] = ()) -> None:
        """The screener's rows: those on screen (read first) and every row the screen lists.
        A row on screen that was never read asks for a poll as soon as the budget allows."""
        feed = self.feeds.get(SCREENER_FEED)
        if not isinstance(feed, ScreenerActivityFeed):
            return
        idle = not feed.wanted()
        unread = feed.set_rows(visible, listed)
        runner = self.runners[SCREENER_FEED]
        if idle and feed.wanted():
            runner.wake()  # it had nothing to do: it waits to be told
        elif unread:
            runner.nudge()

    def set_visible(self, feeds: Iterable[str]) -> None:
        """The feeds whose data is on screen; the others stop polling until shown again."""
        visible = frozenset(feeds)
        if visible != self._visible:
            self._visible = visible
            self.rebalance()
            self._wake_all()

    def show_boards(self, boards: Iterable[str]) -> None:
        """Trenches boards on screen now, kept live beside the engine's own `boards` (whose
        sockets stay open all along); a board no longer shown has its socket closed."""
        if self.trenches is not None:
            self.trenches.show(boards)

    def pause(self) -> None:
        if not self._paused:
            self._paused = True
            self._wake_all()

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            self._wake_all()

    @property
    def paused(self) -> bool:
        return self._paused

    def refresh(self, feed: str | None = None) -> None:
        """Poll a feed (or every running feed) now."""
        for name, runner in self.runners.items():
            if feed is None or name == feed:
                runner.feed.reset()
                runner.refresh()

    def nudge(self, feed: str) -> None:
        """Pushed news for a feed: poll it as soon as its budget share allows."""
        runner = self.runners.get(feed)
        if runner is not None:
            runner.nudge()

    def _wake(self, feed: str) -> None:
        runner = self.runners.get(feed)
        if runner is not None:
            runner.wake()

    def _wake_all(self) -> None:
        for runner in self.runners.values():
            runner.wake()

    # -- the runners' host ----------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        """The store first (source of truth), then every subscriber — but only if it changed
        the store, so a trade seen by two feeds (the site tape and the coin's own) or a repeated
        state reaches readers once. The REST copy of a trade first delivered from a push message
        is published as `TradeConfirmed`, not as a second `NewTrade`."""
        if (
            isinstance(event, NewTrade)
            and not event.trade.provisional
            and self._store.is_provisional(event.trade)
        ):
            event = TradeConfirmed(event.trade)
        if isinstance(event, TradesSkipped):
            self._bus.publish(event)  # a note for readers, nothing the store keeps
        elif self._store.apply(event):
            self._bus.publish(event)
            if isinstance(event, NewCoin | CoinUpdated) and event.coin.mint == self._focus:
                # The focused coin's record names its creator: the creator feed can start.
                self._wake("creator")

    def _publish_chat(self, event: Event) -> None:
        """The chat's events: its health through the store like every feed's; its messages
        and viewer counts straight to the bus (the chat's own rooms already deduplicate)."""
        if isinstance(event, FeedHealthChanged):
            self.emit(event)
        else:
            self._bus.publish(event)

    def running(self, feed: Feed) -> bool:
        return self.blocked(feed) is None

    def blocked(self, feed: Feed) -> FeedState | None:
        if self._paused:
            return FeedState.PAUSED
        if feed.name not in self._visible or not feed.wanted():
            return FeedState.IDLE
        return None

    def floor(self, feed: Feed) -> float:
        return self._floors.get(feed.name, 0.0)

    def rebalance(self) -> None:
        """Split each host's request budget between the running feeds that spend it (requests
        a minute each): swap-api's few requests go mostly to the coin on screen."""
        running = [f for f in self.feeds.values() if self.running(f)]
        floors: dict[str, float] = {}
        for host in {f.host for f in running}:
            feeds = [f for f in running if f.host is host]
            capacity = self.requests_per_minute(host) * self.budget_share
            # A feed woken by pushed news may be woken at any moment: it asks for as much as
            # its weight gets.
            demand = {
                f.name: capacity
                if f.pushed and f.woken_by_push
                else 60.0 / max(0.05, f.interval.value)
                for f in feeds
            }
            shares = fair_shares(demand, {f.name: f.weight for f in feeds}, capacity)
            floors.update(
                (name, 60.0 / share if share > 0 else 60.0) for name, share in shares.items()
            )
        self._floors = floors

    def request_rate(self, feed: str) -> float | None:
        """Requests a second a feed can count on: its weight's share of its host's budget
        among the feeds running on that host, or its planned share when that is more."""
        mine = self.feeds.get(feed)
        if mine is None:
            return None
        weights = sum(
            f.weight for f in self.feeds.values() if f.host is mine.host and self.running(f)
        )
        capacity = self.requests_per_minute(mine.host) * self.budget_share / 60.0
        planned = self._floors.get(feed)
        return max(
            capacity * mine.weight / max(weights, mine.weight), 1.0 / planned if planned else 0.0
        )

    def requests_per_minute(self, host: Host = Host.SWAP) -> float:
        """The budget of a host (of one route group, on v3) in requests a minute."""
        return float(self.client.budget_for(host).requests_per_minute)

    def rate_limited_until(self, host: Host | None = None) -> float | None:
        """Wall time until which a host's budget (any host's, when None: the latest) is held
        back by the server, if it is."""
        hosts = list(Host) if host is None else [host]
        times = [t for t in (self.client.blocked_until(h) for h in hosts) if t is not None]
        return max(times) if times else None

    def _budget_wait(self, host: Host = Host.SWAP, group: str | None = None) -> float:
        return float(self.client.budget_for(host, group).wait_time())
