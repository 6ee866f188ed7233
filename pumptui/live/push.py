"""A push source: a PumpPortal-shaped WebSocket says *that* something happened, at once.

Push messages carry no timestamp, no slot and only part of a coin, so they are not turned into
events directly. A pushed trade (1) updates the coin's reserves and market cap in the store at
once (the message has them) and (2) wakes the feed that follows that coin, whose REST poll reads
the full trades — timestamps, slots, users — with the same no-gap, in-order guarantees as the
polling source. A pushed launch wakes the new-coins feed. While the socket is up those feeds
poll only when woken (and rarely, as a safety net); when it drops they go back to their polling
schedule at once, and the first poll fills whatever the outage hid. Either way the events are
the same, complete models.

The socket's own health is published as the "push" feed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import aiohttp
import orjson

from pumptui.api.models import LAMPORTS_PER_SOL, RAW_PER_TOKEN, as_float, as_ident
from pumptui.live.events import CoinUpdated, FeedHealthChanged
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.schedule import Backoff
from pumptui.live.sources import PollingSource

if TYPE_CHECKING:
    from pumptui.live.engine import LiveEngine

PUSHED_FEEDS = ("coins", "trades", "watchlist")
PUSH_FEED = "push"


def push_url_for(api_url: str) -> str:
    """The WebSocket on the same origin as the API: http → ws, https → wss, path /api/data."""
    parts = urlsplit(api_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, "/api/data", "", ""))


class PushSource(PollingSource):
    name = "push"

    def __init__(self, url: str, *, api_key: str = "pumptui", heartbeat: float = 20.0,
                 backoff: Backoff | None = None, candles: bool = True) -> None:
        super().__init__(candles=candles)
        self.url = url
        self.api_key = api_key
        self.heartbeat = heartbeat
        self.backoff = backoff or Backoff(base=1.0, cap=30.0)
        self._engine: LiveEngine | None = None
        self._task: asyncio.Task[None] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._wanted: frozenset[str] = frozenset()
        self._subscribed: frozenset[str] = frozenset()
        self._since = time.time()
        self._last_message_at: float | None = None
        self.messages = 0
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
        if self._ws is not None and not self._ws.closed:
            asyncio.get_running_loop().create_task(self._sync_subscriptions())

    # -- the socket ---------------------------------------------------------------------------

    def _socket_url(self) -> str:
        parts = urlsplit(self.url)
        query = "&".join(q for q in (parts.query, urlencode({"api-key": self.api_key})) if q)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))

    async def _run(self) -> None:
        while True:
            reason = "connection closed"
            try:
                async with aiohttp.ClientSession() as session, session.ws_connect(
                    self._socket_url(), heartbeat=self.heartbeat, timeout=aiohttp.ClientWSTimeout(
                        ws_close=5.0)
                ) as ws:
                    self._ws = ws
                    self._subscribed = frozenset()
                    await ws.send_str('{"method":"subscribeNewToken"}')
                    await self._sync_subscriptions()
                    self._set_connected(True)
                    self.backoff.reset()
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.TEXT:
                            self._on_message(message.data)
                        elif message.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSED):
                            break
            except asyncio.CancelledError:
                self._set_connected(False, reason="stopped")
                raise
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                reason = f"connection failed ({type(exc).__name__})"
            finally:
                self._ws = None
            self._set_connected(False, reason=reason)
            await asyncio.sleep(self.backoff.next())

    async def _sync_subscriptions(self) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            return
        wanted = self._wanted
        added = sorted(wanted - self._subscribed)
        gone = sorted(self._subscribed - wanted)
        self._subscribed = wanted
        with contextlib.suppress(ConnectionError, RuntimeError):
            if added:
                await ws.send_str(orjson.dumps(
                    {"method": "subscribeTokenTrade", "keys": added}).decode())
            if gone:
                await ws.send_str(orjson.dumps(
                    {"method": "unsubscribeTokenTrade", "keys": gone}).decode())

    def _set_connected(self, connected: bool, reason: str | None = None) -> None:
        engine = self._engine
        was = self.connected
        self.connected = connected
        if engine is None:
            return
        for name in PUSHED_FEEDS:
            feed = engine.feeds.get(name)
            if feed is not None:
                feed.pushed = connected
        engine.rebalance()
        if was and not connected:
            # Back to polling at once: the first poll fills what the socket missed.
            for name in PUSHED_FEEDS:
                engine.nudge(name)
        if connected != was:
            self._since = time.time()
        state = FeedState.LIVE if connected else FeedState.FAILING
        engine.emit(FeedHealthChanged(FeedHealth(
            PUSH_FEED, state, self._since, self._last_message_at,
            None if connected else reason, None, 0.0,
        )))

    # -- messages -----------------------------------------------------------------------------

    def _on_message(self, raw: str) -> None:
        engine = self._engine
        if engine is None or engine.paused:
            return
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return
        if not isinstance(message, dict):
            return
        kind = message.get("txType")
        if kind not in ("create", "buy", "sell"):
            return  # subscription acknowledgements and the like
        self.messages += 1
        self._last_message_at = time.time()
        mint = as_ident(message.get("mint"))
        if mint is None:
            return
        if kind == "create":
            engine.nudge("coins")
            return
        self._update_reserves(engine, mint, message)
        if mint == engine.focused:
            engine.nudge("trades")
        elif mint in engine.watched:
            engine.nudge("watchlist")

    def _update_reserves(self, engine: LiveEngine, mint: str, message: dict[str, Any]) -> None:
        """The pushed reserves are newer than any REST snapshot: apply them now."""
        coin = engine.store.coin(mint)
        vsol = as_float(message.get("vSolInBondingCurve"), None)
        vtok = as_float(message.get("vTokensInBondingCurve"), None)
        if coin is None or vsol is None or vtok is None or vsol <= 0 or vtok <= 0:
            return
        lamports = round(vsol * LAMPORTS_PER_SOL)
        raw = round(vtok * RAW_PER_TOKEN)
        market_cap = as_float(message.get("marketCapSol"), None)
        updated = replace(
            coin,
            virtual_sol_reserves=lamports,
            virtual_token_reserves=raw,
            # Real reserves move by the same amounts as the virtual ones.
            real_sol_reserves=max(0, coin.real_sol_reserves + lamports - coin.virtual_sol_reserves),
            real_token_reserves=max(
                0, coin.real_token_reserves + raw - coin.virtual_token_reserves),
            market_cap_sol=market_cap if market_cap is not None else coin.market_cap_sol,
        )
        if updated != coin:
            engine.emit(CoinUpdated(updated))
