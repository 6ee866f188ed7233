"""The app's link to the world: the client, the live engine, the store, local state.

Screens and widgets reach this through `app.services` and only *read* from it (the store, the
clock, watch marks); nothing here draws or touches a widget. The network is reached only by the
engine's feeds (asyncio tasks on the app's loop, each failure a feed state, never an exception)
and by `start()`, which the app runs in a worker of its own group with `exit_on_error=False`; the
social actions have their own service (`pumptui.tui.social`) built the same way.

The same object serves three set-ups: the real API, the demo (`sim_mode`; `pumptui.cli.demo`
builds it on the embedded simulator, which the TUI knows nothing of), and frozen data for
snapshots and tests (no client, no engine, a store filled by hand and a fixed clock). With
`[push] url` set, the engine also listens to a PumpPortal-style WebSocket (`PushSource`);
polling stays on, so push only ever makes the app faster, never less complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pumptui.api.models import ChatMessage, Coin
from pumptui.config import SITE_URL, Settings
from pumptui.live.bus import EventBus, Subscription, SubscriptionClosed
from pumptui.live.events import EngineError, Event, FeedHealthChanged
from pumptui.live.health import FeedState
from pumptui.live.store import MarketStore
from pumptui.session import Session
from pumptui.tui.alerts import AppAlerts
from pumptui.tui.widgets.status_bar import StatusInfo

if TYPE_CHECKING:
    from pumptui.api.budget import HostBudgets, RequestBudget
    from pumptui.api.client import PumpClient
    from pumptui.auth import ResolvedToken
    from pumptui.live.chat import ChatConnection
    from pumptui.tui.app_base import AppWithServices

log = logging.getLogger(__name__)

# The engine's feeds each screen needs polled; the rest sleep while it is on top.
# Watched coins are listed on Home too, and only the watchlist feed refreshes them.
# There is no site-wide trade feed in the 2026 API: Home's tape is the trades of the coins the
# user follows, which the watchlist feed (and push) brings.
TRENCHES_BOARDS: tuple[str, ...] = ("new", "graduating")
# "screener": the 5 m / 1 h activity of the listed rows, in batches (pumptui.live.screener).
HOME_FEEDS: tuple[str, ...] = ("coins", "leader", "sol-price", "market", "watchlist", "screener")
WATCHLIST_FEEDS: tuple[str, ...] = ("watchlist", "leader", "sol-price", "screener")
COIN_FEEDS: tuple[str, ...] = (
    "trades",
    "holders",
    "activity",
    "callouts",
    "market",
    "leader",
    "sol-price",
    "creator",
)
# The creator's view: their coins, read again while it is open.
CREATOR_FEEDS: tuple[str, ...] = ("creator", "sol-price", "leader", "screener")

# The token is looked up once the first market data is in and the app has had this long to draw
# it (seconds), or after LOGIN_LOOKUP_WAIT without data: the keyring's import and backend
# discovery (~0.2 s of Python, holding the GIL in its thread) would otherwise share the CPU with
# the first frame with data.
LOGIN_LOOKUP_GRACE = 0.3
LOGIN_LOOKUP_WAIT = 3.0

# How the status bar names a host the server has blocked (`routes.Host` values).
HOST_LABELS: dict[str, str] = {"swap": "swap-api", "frontend": "v3", "indexer": "indexer"}


@dataclass(frozen=True, slots=True)
class ChatView:
    """A coin's chat for the pane: messages oldest first, people in the room, and a word on the
    connection ("" while live)."""

    messages: tuple[ChatMessage, ...]
    viewers: int | None
    state: str


# How the chat pane names a connection that is not live (the status bar has the detail).
CHAT_STATES: dict[FeedState, str] = {
    FeedState.STARTING: "connecting…",
    FeedState.SLOW: "",
    FeedState.PAUSED: "",
    FeedState.RATE_LIMITED: "reconnecting…",
    FeedState.FAILING: "reconnecting…",
    FeedState.STALE: "reconnecting…",
    FeedState.IDLE: "",
}


class Engine(Protocol):
    """What the app needs of `pumptui.live.engine.LiveEngine`."""

    @property
    def paused(self) -> bool: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def focus(self, mint: str | None) -> None: ...

    def watch(self, mints: Iterable[str]) -> None: ...

    def show_creator(self, creator: str | None) -> None: ...

    def unwatch(self, mints: Iterable[str]) -> None: ...

    def set_alerted(self, mints: Iterable[str]) -> None: ...

    def set_visible(self, feeds: Iterable[str]) -> None: ...

    def show_rows(self, visible: Sequence[str], listed: Sequence[str] = ()) -> None: ...

    def show_boards(self, boards: Iterable[str]) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def refresh(self, feed: str | None = None) -> None: ...

    @property
    def chat(self) -> ChatConnection | None: ...


class Watchlist(Protocol):
    """The part of `pumptui.social.state.SocialState` the app uses (kept across runs)."""

    def watchlist(self) -> list[str]: ...

    def is_watched(self, mint: str) -> bool: ...

    def toggle_watch(self, mint: str) -> bool: ...


class MemoryWatchlist:
    """A watchlist that lives as long as the process (tests, snapshots, no writable data dir)."""

    def __init__(self, mints: Iterable[str] = ()) -> None:
        self._mints: dict[str, None] = dict.fromkeys(mints)

    def watchlist(self) -> list[str]:
        return list(self._mints)

    def is_watched(self, mint: str) -> bool:
        return mint in self._mints

    def toggle_watch(self, mint: str) -> bool:
        if mint in self._mints:
            del self._mints[mint]
            return False
        self._mints[mint] = None
        return True


class AppServices:
    """Owns the client, the engine and local state for the lifetime of the app."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: MarketStore | None = None,
        bus: EventBus | None = None,
        engine: Engine | None = None,
        client: PumpClient | None = None,
        watchlist: Watchlist | None = None,
        clock: Callable[[], float] = time.time,
        sim_mode: bool = False,
        session: Session | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.store = store if store is not None else MarketStore()
        self.bus = bus if bus is not None else EventBus()
        self.engine = engine
        self.client = client
        self.watchlist = watchlist if watchlist is not None else MemoryWatchlist()
        self.clock = clock
        self.sim_mode = sim_mode
        # One session for the client, local state, drafts and every screen.
        if session is None:
            session = client.session if client is not None else Session()
        self.session = session
        self._on_close = on_close
        self._app: AppWithServices | None = None
        self._paused = False
        self.resolve_login = False
        self._login_lookup: asyncio.Task[None] | None = None
        self._screen_feeds: tuple[str, ...] = HOME_FEEDS  # what the screen on top polls
        self._alert_mints: list[str] = []  # the coins followed for an alert rule
        # The alert rules (the config's and the app's) on this bus; the app starts them.
        self.alerts = AppAlerts(
            self.bus,
            self.store,
            self.settings.alerts,
            clock=clock,
            watchlist=self.watched,
            demo=sim_mode,
            whale_sol=self.settings.ui.whale_sol,
        )

    # -- construction ----------------------------------------------------------------------------

    @classmethod
    def connect(
        cls,
        settings: Settings,
        *,
        token: ResolvedToken | None = None,
        resolve_login: bool = False,
        sim_mode: bool = False,
        watchlist: Watchlist | None = None,
        on_close: Callable[[], None] | None = None,
        timeout: float | None = None,
        budget: RequestBudget | None = None,
        budgets: HostBudgets | None = None,
    ) -> AppServices:
        """Services talking to the server in `settings.api` through the live engine.

        `resolve_login` looks the user's token up (env, then keyring) when the app starts, off
        the event loop and with a timeout, so a slow or locked keyring never delays the first
        frame; until then, and without a token, the app is read-only. `budget` (one bucket for
        every host) or `budgets` (per host) replace the process-wide request budgets.
        """
        from pumptui.api.client import PumpClient
        from pumptui.live.engine import LiveEngine
        from pumptui.live.sources import source_for

        # Without `budgets` the client draws on the process-wide buckets (one for swap-api, one
        # per v3 route group, one for the indexer), sized from `settings.api`.
        session = Session(token.secret, token.account, source=token.source) if token else Session()
        client = PumpClient(
            settings.api,
            session=session,
            budget=budget,
            budgets=budgets,
            timeout=timeout,
        )
        store = MarketStore()
        bus = EventBus()
        engine = LiveEngine(
            client,
            store,
            bus,
            settings.refresh,
            source=source_for(settings, candles=True),  # the coin screen has a chart
            include_nsfw=settings.api.include_nsfw,
            visible=HOME_FEEDS,
            # Holders, top-10 % and dev % of the listed coins, pushed without any request budget.
            boards=TRENCHES_BOARDS,
            # The coin screen's live chat: one socket, the room of the coin on screen.
            chat=True,
        )
        if watchlist is None:
            watchlist = open_watchlist()
        services = cls(
            settings,
            store=store,
            bus=bus,
            engine=engine,
            client=client,
            watchlist=watchlist,
            sim_mode=sim_mode,
            session=session,
            on_close=on_close,
        )
        services.resolve_login = resolve_login and token is None
        chat = engine.chat
        if chat is not None:
            # The chat socket carries the session too: a logout must not leave it signed in.
            session.subscribe(lambda changed: chat.set_token(changed.token))
        return services

    def attach(self, app: AppWithServices) -> None:
        """Give the services the app whose workers run network actions."""
        self._app = app

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start polling; watched coins are followed from the first poll.

        The token is looked up after the first polls, not before them: a keyring can take
        seconds to answer (a locked collection up to its timeout), and reading the market needs
        no token. It is asked once the first market data is in (`LOGIN_LOOKUP_GRACE`), so that
        its import and discovery do not slow the first frame with data either. Until it answers
        the app is read-only.
        """
        if self.resolve_login:
            self.resolve_login = False
            first_data = self.bus.subscribe(maxsize=16, accept=_is_market_data)
            if self.engine is None:
                first_data.close()  # frozen data: nothing is coming
            self._login_lookup = asyncio.create_task(
                self._resolve_login(first_data), name="login-lookup"
            )
        if self.engine is None:
            return
        watched = self.watchlist.watchlist()
        if watched:
            self.engine.watch(watched)
        self.follow_alert_coins()
        await self.engine.start()

    async def stop(self) -> None:
        """Stop the engine and close the client; safe to call twice."""
        engine, self.engine = self.engine, None
        client, self.client = self.client, None
        lookup, self._login_lookup = self._login_lookup, None
        if lookup is not None:
            lookup.cancel()  # the keyring's own thread is a daemon: nothing waits for it
        try:
            if engine is not None:
                await engine.stop()
        finally:
            if client is not None:
                await client.aclose()
            close, self._on_close = self._on_close, None
            if close is not None:
                close()

    async def _resolve_login(self, first_data: Subscription) -> None:
        from pumptui.auth import ainspect_token

        self.resolve_login = False
        if not first_data.closed:
            with contextlib.suppress(TimeoutError, SubscriptionClosed):
                await asyncio.wait_for(first_data.get(), LOGIN_LOOKUP_WAIT)
            first_data.close()
            await asyncio.sleep(LOGIN_LOOKUP_GRACE)
        try:
            report = await ainspect_token()
        except Exception as exc:  # a task's exception would otherwise go unseen
            log.warning("token look-up failed: %s", exc)
            if self._app is not None:
                self._app.notify(
                    f"Could not look up your token: {exc}",
                    severity="warning",
                    title="Token",
                    markup=False,
                )
            return
        resolved = report.resolved
        if resolved is None or self.client is None:
            return
        self.session.log_in(resolved.secret, resolved.account, source=resolved.source)
        if resolved.warning and self._app is not None:
            self._app.notify(
                resolved.warning, severity="warning", title="Token", timeout=10, markup=False
            )
        if self._app is not None:
            self._app.social.identity_changed()

    # -- what the user does ------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        engine = self.engine
        return engine.paused if engine is not None else self._paused

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        if self.engine is not None:
            if paused:
                self.engine.pause()
            else:
                self.engine.resume()

    def refresh_now(self) -> None:
        if self.engine is not None:
            self.engine.refresh()

    def focus(self, mint: str | None) -> None:
        if self.engine is not None:
            self.engine.focus(mint)

    def set_visible(self, feeds: Iterable[str]) -> None:
        self._screen_feeds = tuple(feeds)
        if self.engine is not None:
            self.engine.set_visible([*self._screen_feeds, *self.alert_feeds()])

    # -- alerts ------------------------------------------------------------------------------------

    def alert_feeds(self) -> tuple[str, ...]:
        """The feeds the enabled alert rules need polled whatever the screen: new coins for
        "new" rules, the followed coins for the watchlist's and one coin's."""
        scopes = self.alerts.scopes()
        feeds: list[str] = []
        if "new" in scopes:
            feeds.append("coins")
        if scopes & {"watchlist", "mint"}:
            feeds.append("watchlist")
        return tuple(feeds)

    def follow_alert_coins(self) -> None:
        """After the rules changed: the engine follows each coin a rule names (like a watched
        coin) and polls what the rules need."""
        if self.engine is None:
            return
        mints = self.alerts.mints()
        if mints:
            self.engine.watch(mints)
        self.engine.set_alerted(mints)  # their trades at the budget's pace, however quiet
        # A coin no rule names any more is let go, unless the user watches it.
        gone = set(self._alert_mints) - set(mints) - set(self.watched())
        if gone:
            self.engine.unwatch(gone)
        self._alert_mints = mints
        self.set_visible(self._screen_feeds)

    def show_creator(self, creator: str | None) -> None:
        """A creator's view opened (their coins kept live) or closed (None)."""
        if self.engine is not None:
            self.engine.show_creator(creator)

    def show_rows(self, visible: Sequence[str], listed: Sequence[str] = ()) -> None:
        """The screener's rows on screen and listed: their market activity is read in that
        order (the engine's `screener` feed)."""
        if self.engine is not None:
            self.engine.show_rows(visible, listed)

    def show_boards(self, boards: Iterable[str]) -> None:
        """Trenches boards on screen, kept live beside `TRENCHES_BOARDS` while shown."""
        if self.engine is not None:
            self.engine.show_boards(boards)

    # -- watchlist ---------------------------------------------------------------------------------

    def watched(self) -> list[str]:
        return self.watchlist.watchlist()

    def is_watched(self, mint: str) -> bool:
        return self.watchlist.is_watched(mint)

    def toggle_watch(self, mint: str) -> bool:
        """Flip the mint's membership (kept across runs) and tell the engine; returns watched."""
        watched = self.watchlist.toggle_watch(mint)
        self.alerts.set_watchlist(self.watched())
        if self.engine is not None:
            if watched:
                self.engine.watch([mint])
            elif mint not in self.alerts.mints():  # an alert on it keeps it followed
                self.engine.unwatch([mint])
        return watched

    # -- facts for the status bar and links ------------------------------------------------------

    # -- the coin's conversation -------------------------------------------------------------

    def chat_view(self, mint: str) -> ChatView | None:
        """The coin's live chat as the engine's one chat connection holds it, or None when the
        app has no chat (frozen data)."""
        chat = self.engine.chat if self.engine is not None else None
        if chat is None:
            return None
        health = chat.health
        state = "" if health.state is FeedState.LIVE else CHAT_STATES.get(health.state, "")
        return ChatView(chat.messages(mint), chat.viewers(mint), state)

    def callouts_note(self, mint: str) -> str:
        """What the callouts pane says when it has none to show: why."""
        client = self.client
        if client is not None and "callouts" in client.unavailable_features:
            return "Callouts are not available on this service"
        if self.store.callouts(mint) is None:
            return "Loading callouts…"
        return ""

    # -- the server's coin search (the palette, when the coins held run out) ------------------

    async def search_coins(self, term: str, limit: int = 20) -> list[Coin]:
        """Coins whose name, symbol or mint match `term`, as the server's search answers (by
        market cap). Inside the request budget: when it is spent, or the server fails, the
        answer is empty at once rather than late. Frozen data has no server: empty."""
        client = self.client
        if client is None or not term.strip():
            return []
        from pumptui.api.budget import Priority
        from pumptui.api.errors import ApiError

        try:
            page = await client.search_coins(
                term.strip(),
                limit=limit,
                include_nsfw=self.settings.api.include_nsfw,
                priority=Priority.FOREGROUND,
                fail_fast=True,
            )
        except ApiError as exc:
            log.info("coin search for %r failed: %s", term, exc)
            return []
        return list(page.items)

    def coin_url(self, mint: str) -> str:
        return f"{SITE_URL}/coin/{mint}"

    # -- one trader's trades in a coin (the tape's trader view, the dev-sold tally) --------------

    async def load_trader_trades(self, mint: str, user: str) -> bool:
        """Read the newest page of `user`'s trades in the coin (`userAddress`) into the store
        (`store.trader_trades`); inside the request budget, failing fast. False when there is no
        server (frozen data) or the read failed."""
        client = self.client
        if client is None:
            return False
        from pumptui.api.budget import Priority
        from pumptui.api.errors import ApiError

        try:
            page = await client.trades(
                mint, user=user, priority=Priority.FOREGROUND, fail_fast=True
            )
        except ApiError as exc:
            log.info("trades of %s in %s failed: %s", user, mint, exc)
            return False
        self.store.put_trader_trades(mint, user, page.items)
        return True

    @property
    def logged_in(self) -> bool:
        return self.session.logged_in

    @property
    def account(self) -> str | None:
        return self.session.account

    @property
    def login_label(self) -> str:
        return self.session.label

    def status_info(self) -> StatusInfo:
        store = self.store
        health = store.health
        client = self.client
        requests = client.stats.requests_last_minute if client is not None else None
        blocked: list[tuple[str, float]] = []
        if client is not None:
            from pumptui.api.routes import Host

            for host, label in HOST_LABELS.items():
                until = client.blocked_until(Host(host))
                if until is not None:
                    blocked.append((label, until))
        return StatusInfo(
            now=self.clock(),
            feeds=tuple(health.values()),
            freshest_at=store.freshest_at,
            requests_last_minute=requests,
            login=self.login_label,
            sim_mode=self.sim_mode or (client is not None and client.server_is_simulator),
            paused=self.paused,
            moved_routes=tuple(store.moved_routes.items()),
            blocked_hosts=tuple(blocked),
        )


def _is_market_data(event: Event) -> bool:
    return not isinstance(event, FeedHealthChanged | EngineError)


def open_watchlist(*, demo: bool = False) -> Watchlist:
    """The persistent watchlist in the user's data dir; in memory if that cannot be opened (a
    read-only home must not stop the app), with the reason in its `notice`."""
    from pumptui import paths
    from pumptui.social.state import SocialState

    return SocialState(paths.state_file(demo=demo), memory_fallback=True)
