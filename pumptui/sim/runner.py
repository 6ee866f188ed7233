"""Start the simulator: in a background thread (tests, the demo) or in the current loop (CLI).

`SimServer` is the Python API the tests and benchmarks use. Its methods are safe to call from any
thread: each runs on the simulator's own event loop and waits for the result.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pumptui.base58 import b58encode
from pumptui.sim import swap
from pumptui.sim.chat import SimChat
from pumptui.sim.faults import FaultPlan
from pumptui.sim.market import Market, MarketConfig
from pumptui.sim.server import ServerConfig, SimState, build_app, make_state, run_ticker

T = TypeVar("T")


def keypair_from_seed(seed: bytes) -> tuple[bytes, str]:
    """A Solana-style 64-byte keypair (secret seed + public key) and its base58 address."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return seed + public, b58encode(public)


# Fixed keypairs, so tests and the demo can sign in as an admin or as a plain user.
ADMIN_KEYPAIR, ADMIN_ADDRESS = keypair_from_seed(bytes(range(1, 33)))
USER_KEYPAIR, USER_ADDRESS = keypair_from_seed(bytes(range(101, 133)))


class SimServer:
    def __init__(
        self,
        market: MarketConfig | None = None,
        server: ServerConfig | None = None,
        *,
        built: Market | None = None,
    ) -> None:
        """`built`: the market of `market` already built and warmed up, served instead of a new
        one (the tests start hundreds of identical simulators: they build one market per
        configuration and hand each a copy, in a tenth of the warm-up's time)."""
        self.market_config = market or MarketConfig()
        self._built = built
        config = server or ServerConfig()
        if ADMIN_ADDRESS not in config.admin_wallets:
            from dataclasses import replace

            config = replace(config, admin_wallets=(*config.admin_wallets, ADMIN_ADDRESS))
        self.server_config = config
        self.admin_keypair, self.admin_address = ADMIN_KEYPAIR, ADMIN_ADDRESS
        self.user_keypair, self.user_address = USER_KEYPAIR, USER_ADDRESS
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self.state: SimState | None = None
        self.port: int | None = None
        self._closing: set[asyncio.Future[Any]] = set()

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the simulator is not running")
        host = self.server_config.host
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{self.port}"

    def start(self) -> SimServer:
        """Serve in a background thread; returns once the port is bound."""
        self._thread = threading.Thread(target=self._thread_main, name="pumptui-sim", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return self

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self.serve())
        except BaseException as exc:  # surfaced to start()
            self._error = exc
            self._ready.set()
        finally:
            # Handlers whose client went away (e.g. held by a "timeout" fault) still sleep:
            # cancel them, as asyncio.run() would, instead of destroying them pending.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

    async def serve(self, on_ready: Callable[[SimServer], None] | None = None) -> None:
        """Run until `stop()`; usable directly in the caller's loop."""
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        market = self._built if self._built is not None else Market(self.market_config)
        self._built = None  # served once: a restart builds its own
        self.state = make_state(market, self.server_config)
        app = build_app(self.state)
        # A short shutdown: requests held open by a "timeout" fault must not stall stop().
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(
            runner, self.server_config.host, self.server_config.port, reuse_address=True
        )
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        assert server.sockets
        self.port = server.sockets[0].getsockname()[1]
        ticker = asyncio.create_task(run_ticker(self.state, self._stop))
        self._ready.set()
        if on_ready:
            on_ready(self)
        try:
            await self._stop.wait()
        finally:
            ticker.cancel()
            for conn in list(self.state.sockets):
                await conn.ws.close()
            await runner.cleanup()

    def stop_soon(self) -> None:
        """Ask `serve()` to finish (from its own loop)."""
        if self._stop is not None:
            self._stop.set()

    def stop(self) -> None:
        if self._loop is None or self._stop is None:
            return
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control (thread-safe) ------------------------------------------------------------

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the simulator's loop (after bringing the market up to date)."""
        assert self._loop is not None
        assert self.state is not None
        state = self.state

        def wrapped() -> T:
            state.advance()
            return fn()

        if threading.current_thread() is self._thread or (
            self._thread is None and _running_loop() is self._loop
        ):
            return wrapped()
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(wrapped())
            except BaseException as exc:
                future.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return future.result(timeout=30)

    @property
    def market(self) -> Market:
        assert self.state is not None
        return self.state.market

    @property
    def _started(self) -> SimState:
        """The state of a started simulator (for the control calls below)."""
        assert self.state is not None
        return self.state

    @property
    def _chat(self) -> SimChat:
        chat = self._started.chat
        assert chat is not None
        return chat

    def advance(self, seconds: float) -> float:
        return self.call(
            lambda: (
                self.market.clock.advance(seconds),
                self.market.advance_to(self.market.clock.now()),
            )[0]
        )

    def set_faults(self, plan: FaultPlan | str | None) -> None:
        if isinstance(plan, str):
            plan = FaultPlan.parse(plan)
        self.call(lambda: self._started.faults.set(plan or FaultPlan()))

    def clear_faults(self) -> None:
        self.set_faults(None)

    def set_rates(self, **rates: float) -> None:
        names = {
            "launches_per_minute": ("launch", 1 / 60),
            "trades_per_second": ("trade", 1.0),
            "hot_trades_per_second": ("hot", 1.0),
            "replies_per_minute": ("reply", 1 / 60),
            "follows_per_minute": ("follow", 1 / 60),
        }
        converted = {names[k][0]: v * names[k][1] for k, v in rates.items()}
        self.call(lambda: self.market.set_rates(**converted))

    def set_speed(self, speed: float) -> None:
        self.call(lambda: self.market.clock.set_speed(speed))

    @property
    def hot_mint(self) -> str:
        return self.call(lambda: self.market.ensure_hot_coin().mint)

    def inject_trades(self, mint: str, count: int) -> list[str]:
        return self.call(lambda: [t.signature for t in self.market.inject_trades(mint, count)])

    def create_coin(
        self, *, name: str, symbol: str, description: str = "", creator: str | None = None
    ) -> str:
        return self.call(
            lambda: (
                self.market.create_coin(
                    name=name, symbol=symbol, description=description, creator=creator
                ).mint
            )
        )

    def post_callout(self, mint: str, thesis: str, user: str | None = None) -> str:
        """A callout by `user` (else a holder of the coin), past the holder rule and the pace;
        returns its id."""

        def post() -> str:
            coin = self.market.coins[mint]
            author = user or coin.holders.choice(self.market.callouts.rng) or coin.creator
            return self.market.callouts.create(author, mint, thesis, vetted=False).id

        return self.call(post)

    def reply_to_callout(self, callout_id: str, text: str, user: str | None = None) -> str:
        """A reply by `user` (else a random one), past the pace; returns its id."""
        return self.call(
            lambda: (
                self.market.callouts.reply(
                    user or self.market.user_drawn_by(self.market.callouts.rng).address,
                    callout_id,
                    text,
                    vetted=False,
                ).id
            )
        )

    def buy(self, mint: str, wallet: str | None = None, sol: float = 0.1) -> str:
        """A buy by `wallet` (default: the plain user), so that it holds the coin; returns the
        trade's signature."""
        return self.call(
            lambda: (
                self.market.buy_as(
                    self.market.coins[mint], wallet or self.user_address, round(sol * 1e9)
                ).signature
            )
        )

    def sell(self, mint: str, wallet: str | None = None, fraction: float = 1.0) -> str:
        """A sell of `fraction` of what `wallet` (default: the coin's creator) holds; returns
        the trade's signature."""

        def sell() -> str:
            coin = self.market.coins[mint]
            return self.market.sell_as(coin, wallet or coin.creator, fraction).signature

        return self.call(sell)

    def set_feature(self, name: str, on: bool) -> None:
        """Switch a feature's routes on or off (off: unrouted, "Cannot GET"): `bookmarks`."""
        assert self.state is not None
        features = self.state.features
        if name not in features:
            raise ValueError(f"unknown feature {name!r}")
        self.call(lambda: features.__setitem__(name, on))

    @staticmethod
    def user_uuid(wallet: str) -> str:
        """The UUID the simulator gives the user of `wallet` (`GET /users/{wallet}` → userId)."""
        from pumptui.sim.people import user_uuid

        return user_uuid(wallet)

    def token_for(
        self, address: str | None = None, *, admin: bool = False, lifetime: float = 3600
    ) -> str:
        address = address or (self.admin_address if admin else self.user_address)
        return self.call(lambda: self._started.authority.issue(address, lifetime))

    def trades_of(self, mint: str) -> list[dict[str, Any]]:
        """Every remembered trade of a coin in the swap-api row shape (`GET /v2/coins/{mint}/
        trades`), in chain order: oldest first, newest LAST (the reverse of the API's pages)."""
        return self.call(lambda: [swap.trade_record(t) for t in self.market.coins[mint].trades])

    def mints(self) -> list[str]:
        return self.call(lambda: [c.mint for c in reversed(self.market.coins.values()) if c.listed])

    def snapshot(self) -> dict[str, Any]:
        return self.call(self.market.snapshot)

    def drop_push_connections(self) -> int:
        """Close every push WebSocket from the server side (a PumpPortal restart); returns how
        many there were. Clients must reconnect and resubscribe."""

        def close() -> int:
            assert self.state is not None
            sockets = list(self.state.sockets)
            self.state.sockets.difference_update(sockets)  # no more messages for them
            closing = asyncio.ensure_future(asyncio.gather(*(c.ws.close() for c in sockets)))
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)
            return len(sockets)

        return self.call(close)

    def push_dropped(self) -> int:
        """Messages the push sockets dropped because a client read too slowly (queue full)."""
        return self.call(lambda: sum(c.dropped for c in self._started.sockets))

    # -- the live chat (pumptui.sim.chat) ---------------------------------------------------

    def post_chat(
        self,
        mint: str,
        text: str,
        user: str | None = None,
        *,
        is_creator: bool | None = None,
        is_moderator: bool | None = None,
        expires_in: float | None = None,
        reply_to: str | None = None,
    ) -> dict[str, Any]:
        """A chat message in a coin's room, as `user` (default: the plain test user), sent to
        the room's members; returns the message object as the service sends it."""
        from pumptui.sim.chat import message_shape

        def post() -> dict[str, Any]:
            assert self.state is not None
            assert self.state.chat is not None
            return message_shape(
                self.state.chat.post(
                    self.market.coins[mint],
                    user or self.user_address,
                    text,
                    creator=is_creator,
                    moderator=is_moderator,
                    expires_in=expires_in,
                    reply_to=reply_to,
                )
            )

        return self.call(post)

    def drop_chat(self) -> int:
        """Disconnect every chat socket from the server side; returns how many there were."""
        assert self._loop is not None
        assert self.state is not None
        assert self.state.chat is not None
        chat = self.state.chat
        return asyncio.run_coroutine_threadsafe(chat.drop(), self._loop).result(timeout=30)

    def refuse_chat(self, count: int, reason: str = "Too many connections") -> None:
        """Refuse the next `count` chat connection attempts."""
        self.call(lambda: self._chat.refuse(count, reason))

    def chat_stats(self) -> dict[str, Any]:
        """Chat sockets now and at most, connection attempts, refusals, rooms and viewers."""
        return self.call(lambda: self._chat.stats())


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
