"""A push source: a PumpPortal-shaped WebSocket says what happened, at once.

A pushed trade of a followed coin (focused or watched) is delivered straight away as a
`NewTrade`: signature, side, amounts, trader and the curve's reserves are in the message. What a
message lacks — the block time and the slot — is stood in for by the receive time and the
arrival order (`Trade.provisional`); pushed trades arrive in chain order. The coin's REST feed
goes on reading the same trades, more slowly (`feeds.PUSH_CHECK_*`): each REST copy replaces the
pushed one (`TradeConfirmed`: block time, slot, username, candles corrected), and any trade the
socket dropped reaches subscribers from there. A pushed launch wakes the new-coins feed, whose REST
read brings the full coin.

A coin counts as pushed from the moment the server acknowledges its subscription until the socket
drops; only then do its feeds relax (a refused subscription — PumpPortal wants an API key for
trades — leaves them polling, and the reason shows in the "push" feed's health). When the socket
drops, the feeds go back to polling at once and their first read fills what the outage hid.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from pumptui.api import routes
from pumptui.api.client import is_loopback
from pumptui.api.models import PushAck, PushCreate, PushError, PushMigration, PushTrade
from pumptui.config import DEFAULT_PUSH_API_KEY
from pumptui.live.events import CoinUpdated, FeedHealthChanged, NewTrade
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.lazy_import import import_off_loop
from pumptui.live.schedule import Backoff
from pumptui.live.sources import PollingSource
from pumptui.secret import Secret

if TYPE_CHECKING:
    import aiohttp

    from pumptui.live.engine import LiveEngine

PUSH_FEED = "push"
# Acknowledgements we wait for, in the order the commands were sent.
_NEW_TOKENS = "new-tokens"
_MIGRATIONS = "migrations"
_SUBSCRIBE = "subscribe"
_UNSUBSCRIBE = "unsubscribe"
# What the simulator needs to serve trades; PumpPortal wants a real key (PUMPTUI_PUSH_API_KEY).
DEFAULT_KEY = Secret(DEFAULT_PUSH_API_KEY)


def push_url_for(api_url: str) -> str:
    """The WebSocket on the same origin as the API: http → ws, https → wss, path /api/data.

    Only the embedded simulator serves one there (`auto`); no pump.fun host does. Real push is
    PumpPortal, named by its own URL."""
    parts = urlsplit(api_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, "/api/data", "", ""))


class PushSource(PollingSource):
    name = "push"

    def __init__(
        self,
        url: str,
        *,
        api_key: Secret | None = DEFAULT_KEY,
        heartbeat: float = 20.0,
        backoff: Backoff | None = None,
        candles: bool = True,
    ) -> None:
        super().__init__(candles=candles)
        self.url = url
        # PumpPortal ties the key to a wallet: held as a Secret, revealed only in the connect URL.
        self.api_key = api_key
        self.heartbeat = heartbeat
        self.backoff = backoff or Backoff(base=1.0, cap=30.0)
        self._engine: LiveEngine | None = None
        self._task: asyncio.Task[None] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._wanted: frozenset[str] = frozenset()
        self._subscribed: frozenset[str] = frozenset()
        self._acks: deque[tuple[str, frozenset[str]]] = deque()
        # Mint -> wall time its subscription was acknowledged on the current connection.
        self._covered: dict[str, float] = {}
        self._new_tokens = False
        self._refused: str | None = None
        self._since = time.time()
        self._last_message_at: float | None = None
        self._seq = 0
        self._last_received = 0.0
        self.messages = 0
        self.trades = 0
        self.connected = False

    @classmethod
    def for_api(cls, api_url: str, url: str | None = None, **options: Any) -> PushSource:
        return cls(url or push_url_for(api_url), **options)

    # -- PollingSource hooks ------------------------------------------------------------------

    async def start(self, engine: LiveEngine) -> None:
        self._engine = engine
        self._task = asyncio.create_task(self._run(), name="push-source")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait({task}, timeout=6.0)

    def subscriptions_changed(self, mints: frozenset[str]) -> None:
        self._wanted = mints
        for mint in set(self._covered) - mints:
            del self._covered[mint]
        self._update_feeds()
        if self._ws is not None and not self._ws.closed:
            asyncio.get_running_loop().create_task(self._sync_subscriptions())

    def covered_since(self, mint: str) -> float | None:
        return self._covered.get(mint) if self.connected else None

    # -- the socket ---------------------------------------------------------------------------

    @property
    def key_withheld(self) -> bool:
        """The key is tied to the user's wallet: it never travels in clear (plain `ws://`) to
        a host off this machine. Without it the socket still pushes launches and migrations."""
        parts = urlsplit(self.url)
        return (
            self.api_key is not None
            and parts.scheme != "wss"
            and not is_loopback(parts.hostname or "")
        )

    def _socket_url(self) -> str:
        if self.api_key is None or self.key_withheld:
            return self.url
        return routes.pumpportal_url(self.url, self.api_key.reveal())

    async def _run(self) -> None:
        await import_off_loop("aiohttp")
        import aiohttp

        while True:
            reason = "connection closed"
            try:
                async with (
                    aiohttp.ClientSession() as session,
                    session.ws_connect(
                        self._socket_url(),
                        heartbeat=self.heartbeat,
                        timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
                    ) as ws,
                ):
                    self._ws = ws
                    self._subscribed = frozenset()
                    self._acks.clear()
                    self._acks.append((_NEW_TOKENS, frozenset()))
                    await ws.send_str(routes.pumpportal_subscribe(routes.PP_NEW_TOKENS))
                    self._acks.append((_MIGRATIONS, frozenset()))
                    await ws.send_str(routes.pumpportal_subscribe(routes.PP_MIGRATIONS))
                    await self._sync_subscriptions()
                    self._set_connected(True)
                    self.backoff.reset()
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.TEXT:
                            self._on_message(message.data)
                        elif message.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSED):
                            break
            except asyncio.CancelledError:
                self._ws = None
                self._set_connected(False, reason="stopped")
                raise
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                reason = f"connection failed ({type(exc).__name__})"
            self._ws = None
            self._set_connected(False, reason=reason)
            await asyncio.sleep(self.backoff.next())

    async def _sync_subscriptions(self) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            return
        wanted = self._wanted
        added = frozenset(wanted - self._subscribed)
        gone = frozenset(self._subscribed - wanted)
        self._subscribed = wanted
        with contextlib.suppress(ConnectionError, RuntimeError):
            if added:
                self._acks.append((_SUBSCRIBE, added))
                await ws.send_str(
                    routes.pumpportal_subscribe(routes.PP_TOKEN_TRADES, sorted(added))
                )
            if gone:
                self._acks.append((_UNSUBSCRIBE, gone))
                await ws.send_str(
                    routes.pumpportal_subscribe("unsubscribeTokenTrade", sorted(gone))
                )

    def _set_connected(self, connected: bool, reason: str | None = None) -> None:
        was = self.connected
        self.connected = connected
        if not connected:
            self._covered.clear()
            self._new_tokens = False
            self._refused = None
        if connected != was:
            self._since = time.time()
        engine = self._engine
        if engine is None:
            return
        self._update_feeds()
        if was and not connected:
            # Back to polling at once: the first poll fills what the socket missed.
            for name in ("coins", "trades", "watchlist"):
                engine.nudge(name)
        self._publish_health(None if connected else reason)

    def _update_feeds(self) -> None:
        """Tell each feed whether the socket serves it now (it then polls less)."""
        engine = self._engine
        if engine is None:
            return
        followed = engine.followed
        focused = engine.focused
        watched = [m for m, feed in followed.items() if feed == "watchlist"]
        served = {
            "coins": self.connected and self._new_tokens,
            "trades": self.connected and focused is not None and focused in self._covered,
            "watchlist": self.connected
            and bool(watched)
            and all(m in self._covered for m in watched),
        }
        changed = False
        for name, pushed in served.items():
            feed = engine.feeds.get(name)
            if feed is not None and feed.pushed != pushed:
                feed.pushed = pushed
                changed = True
        if changed:
            engine.rebalance()

    def _publish_health(self, reason: str | None) -> None:
        engine = self._engine
        if engine is None:
            return
        if not self.connected:
            state = FeedState.FAILING
        elif self._refused is not None:
            state, reason = FeedState.SLOW, self._refused
        else:
            state = FeedState.LIVE
        engine.emit(
            FeedHealthChanged(
                FeedHealth(
                    PUSH_FEED,
                    state,
                    self._since,
                    self._last_message_at,
                    reason,
                    None,
                    0.0,
                )
            )
        )

    # -- messages -----------------------------------------------------------------------------

    def _on_message(self, raw: str) -> None:
        engine = self._engine
        if engine is None:
            return
        message = routes.read_pumpportal(raw)
        if isinstance(message, PushAck | PushError):
            self._on_ack(message)
            return
        if message is None or engine.paused:
            return  # a paused engine delivers nothing; REST fills the gap on resume
        self.messages += 1
        self._last_message_at = time.time()
        if isinstance(message, PushCreate):
            engine.nudge("coins")
        elif isinstance(message, PushMigration):
            # The coin left its curve: its record (complete, pool) changed.
            engine.nudge("market")
            engine.nudge("leader")
        elif isinstance(message, PushTrade):
            self._update_reserves(engine, message)
            if message.mint in engine.followed:
                self._deliver_trade(engine, message)

    def _on_ack(self, message: PushAck | PushError) -> None:
        """The server answers each command in order: the oldest command waiting is this one."""
        if not self._acks:
            return
        command, mints = self._acks.popleft()
        if isinstance(message, PushError):
            if command == _SUBSCRIBE:
                reason = message.message
                if self.key_withheld:
                    reason = "key withheld (plain ws:// to a remote host): " + reason
                self._refused = "trades not pushed: " + reason
                self._publish_health(None)
            return
        now = time.time()
        if command == _NEW_TOKENS:
            self._new_tokens = True
        elif command == _SUBSCRIBE:
            for mint in mints & self._wanted:
                self._covered.setdefault(mint, now)
        self._update_feeds()

    def _deliver_trade(self, engine: LiveEngine, message: PushTrade) -> None:
        # Strictly increasing stand-in times, so the wall clock stepping back changes no order.
        received = max(time.time(), self._last_received + 1e-6)
        self._last_received = received
        self._seq += 1
        self.trades += 1
        engine.emit(NewTrade(message.to_trade(received_at=received, seq=self._seq)))

    def _update_reserves(self, engine: LiveEngine, message: PushTrade) -> None:
        """The pushed reserves are newer than any REST snapshot: apply them now."""
        coin = engine.store.coin(message.mint)
        lamports, raw = message.virtual_sol_reserves, message.virtual_token_reserves
        if coin is None or not lamports or not raw:
            return
        market_cap = message.market_cap_sol
        updated = replace(
            coin,
            virtual_sol_reserves=lamports,
            virtual_token_reserves=raw,
            # Real reserves move by the same amounts as the virtual ones.
            real_sol_reserves=max(0, coin.real_sol_reserves + lamports - coin.virtual_sol_reserves),
            real_token_reserves=max(
                0, coin.real_token_reserves + raw - coin.virtual_token_reserves
            ),
            market_cap_sol=market_cap if market_cap is not None else coin.market_cap_sol,
        )
        if updated != coin:
            engine.emit(CoinUpdated(updated))
