"""A seeded, event-driven Pump.fun market: coins launch, traders buy and sell on real bonding
curves, people talk about coins (a reply count), follow and bookmark.

Every random process draws its next arrival time from one `random.Random(seed)`, and events are
processed strictly in time order, so the market depends only on the seed and on the times at which
it is advanced and written to — never on how often a ticker happens to wake up. Same seed, same
market.

The model (why it looks like pump.fun):
- launches are a Poisson process; each coin gets a latent "fate", an attention level that decays
  with a coin-specific half-life, and momentum: buys add short-lived attention, so trading is
  bursty and self-exciting. Most coins fade and die, a few pump, some graduate; a graduated
  coin goes on trading on its PumpSwap pool (`pumptui.sim.pool`, trades marked `pump_amm`);
- trade sizes are heavy-tailed (log-normal with occasional Pareto whales); sellers are actual
  holders selling part or all of what they hold, so supply is conserved;
- an optional "hot" coin trades at its own fixed rate and mean-reverts around a market cap, so a
  benchmark can ask for N trades/s on one coin for as long as it likes.

Memory stays bounded: dead coins are pruned past a horizon, and each coin keeps at most
`max_trades_per_coin` trades (older ones are forgotten; counts stay right).

Holders (what the holder routes and the trenches boards report) come from the trades themselves:
the model knows every wallet's balance. Two labels follow simple, documented rules:
- a **bundler** is a wallet other than the creator whose first buy landed in the coin's creation
  slot (a launch with a bundle has several such buys; `bundle_share` of launches get one);
- a **sniper** is any other wallet, not the creator, whose first buy came within
  `SNIPER_SECONDS` of the coin's creation.
A wallet keeps its label after it sells; the holder figures count only what it still holds.
"""

from __future__ import annotations

import heapq
import math
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

from pumptui.base58 import b58decode, b58encode
from pumptui.sim import text as simtext
from pumptui.sim.clock import ClockMode, SimClock
from pumptui.sim.curve import (
    INITIAL_REAL_TOKENS,
    LAMPORTS_PER_SOL,
    RAW_PER_TOKEN,
    BondingCurve,
    CurveComplete,
    Fill,
    graduation_market_cap_sol,
)
from pumptui.sim.pool import ConstantProductPool

GRADUATION_MC = graduation_market_cap_sol()
# The share of launches by serial launchers in the demo and `pumptui sim`.
DEMO_SERIAL_LAUNCH_SHARE = 0.3
SPIKE_HALF_LIFE = 20.0
DEAD_WEIGHT = 0.02
# A wallet whose first buy came this soon after the coin's creation is a sniper.
SNIPER_SECONDS = 5.0
# Slots are 400 ms; the simulator's slot numbers start low enough to keep 12 digits for ages.
SLOT_OFFSET = 4_070_000_000


@dataclass(frozen=True)
class MarketConfig:
    seed: int = 1
    clock: ClockMode = "real"
    speed: float = 1.0
    start_time: float | None = None
    # Market history generated instantly at start, so a fresh demo is not empty.
    warmup: float = 900.0
    # About 16 coins a minute launch on the service even in its quietest hour (the 2026 API
    # reference): Home's table fills to its 200 rows within minutes, as it does for users.
    launches_per_minute: float = 16.0
    trades_per_second: float = 8.0
    hot_trades_per_second: float = 0.0
    hot_market_cap_sol: float = 120.0
    # The coin's `reply_count`, which the 2026 Coin still carries: what it counts on the service
    # now that threaded replies are gone is unknown (unverified), so it simply grows here.
    replies_per_minute: float = 12.0
    follows_per_minute: float = 2.0
    users: int = 1500
    hostile_share: float = 0.0
    nsfw_share: float = 0.03
    history_horizon: float = 6 * 3600.0
    max_trades_per_coin: int = 100_000
    max_coins: int = 5000
    # Market seconds a wallet waits between two posts (a callout or a reply to one).
    reply_interval: float = 60.0
    initial_sol_price: float | None = None
    # Share of launches bought into by a bundle of wallets in the creation slot.
    bundle_share: float = 0.15
    # Callouts (pumptui.sim.callouts): holders' calls, replies to them and likes of them.
    callouts_per_minute: float = 2.0
    callout_replies_per_minute: float = 4.0
    callout_likes_per_minute: float = 10.0
    # Serial launchers: this share of launches comes from a few wallets that launch again and
    # again (the creator's other coins are a signal traders read); drawn from a random stream
    # of its own. Off by default, so a seed's market stays what tests know it as; the demo and
    # `pumptui sim` use `DEMO_SERIAL_LAUNCH_SHARE`.
    serial_launch_share: float = 0.0
    serial_launchers: int = 20


@dataclass(slots=True)
class SimUser:
    address: str
    username: str | None
    profile_image: str | None
    created: float


@dataclass(slots=True)
class SimTrade:
    signature: str
    mint: str
    user: str
    is_buy: bool
    sol_amount: int
    token_amount: int
    time: float
    slot: int
    tx_index: int
    virtual_sol: int
    virtual_tokens: int
    market_cap: float
    fee: int = 0
    sol_price: float = 0.0  # USD per SOL when the trade landed
    program: str = "pump"

    @property
    def timestamp(self) -> int:
        return int(self.time)

    @property
    def epoch_ms(self) -> int:
        """The trade's time as the swap API reports it: whole seconds, in milliseconds."""
        return int(self.time) * 1000

    @property
    def order_key(self) -> tuple[int, int]:
        """Chain order: slot, then position in the slot."""
        return (self.slot, self.tx_index)

    @property
    def trader_sol(self) -> int:
        """Lamports leaving (buy) or reaching (sell) the trader's wallet, fee included."""
        return self.sol_amount + self.fee if self.is_buy else self.sol_amount - self.fee

    @property
    def price(self) -> float:
        """The pool price after the trade, SOL per whole token."""
        return (self.virtual_sol / LAMPORTS_PER_SOL) / (self.virtual_tokens / RAW_PER_TOKEN)


@dataclass(frozen=True, slots=True)
class HolderFigures:
    """A coin's holder figures; amounts in raw token units."""

    holders: int
    top10: int
    dev: int
    snipers: int
    bundlers: int
    sniper_count: int


class Holdings:
    """Token balances of a coin's holders, with O(1) random choice of a holder."""

    __slots__ = ("_index", "_order", "balances")

    def __init__(self) -> None:
        self.balances: dict[str, int] = {}
        self._order: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, who: str, amount: int) -> None:
        if who not in self.balances:
            self._index[who] = len(self._order)
            self._order.append(who)
            self.balances[who] = 0
        self.balances[who] += amount

    def remove(self, who: str, amount: int) -> None:
        left = self.balances[who] - amount
        if left < 0:
            raise ValueError("cannot sell more than held")
        if left:
            self.balances[who] = left
            return
        del self.balances[who]
        i = self._index.pop(who)
        last = self._order.pop()
        if last != who:
            self._order[i] = last
            self._index[last] = i

    def choice(self, rng: random.Random) -> str | None:
        return self._order[int(rng.random() * len(self._order))] if self._order else None

    def total(self) -> int:
        return sum(self.balances.values())

    def __len__(self) -> int:
        return len(self._order)


@dataclass(slots=True)
class SimCoin:
    mint: str
    name: str
    symbol: str
    description: str
    creator: str
    created: float
    image_uri: str
    metadata_uri: str
    bonding_curve: str
    associated_bonding_curve: str
    twitter: str | None
    telegram: str | None
    website: str | None
    fate: float
    base_attention: float
    half_life: float
    curve: BondingCurve = field(default_factory=BondingCurve)
    trades: list[SimTrade] = field(default_factory=list)
    forgotten_trades: int = 0
    holders: Holdings = field(default_factory=Holdings)
    reply_count: int = 0
    last_reply: float | None = None
    last_trade: float | None = None
    ath_market_cap: float = 0.0
    ath_at: float | None = None
    spike: float = 0.0
    spike_at: float = 0.0
    nsfw: bool = False
    hidden: bool = False
    banned: bool = False
    live: bool = False
    pool: str | None = None
    hot: bool = False
    alive: bool = True
    create_signature: str = ""
    version: int = 0
    created_slot: int = 0
    buys: int = 0
    sells: int = 0
    fees: int = 0  # lamports paid in fees on every trade
    first_buy: set[str] = field(default_factory=set)  # wallets that ever bought
    snipers: set[str] = field(default_factory=set)
    bundlers: set[str] = field(default_factory=set)
    ath_usd: float = 0.0
    graduated_at: float | None = None
    migrate_signature: str | None = None
    # After graduation: the PumpSwap pool the coin trades on (its curve is frozen).
    amm: ConstantProductPool | None = None

    def attention(self, now: float) -> float:
        age = max(0.0, now - self.created)
        base: float = self.base_attention * 2.0 ** (-age / self.half_life)
        spike: float = self.spike * 2.0 ** (-max(0.0, now - self.spike_at) / SPIKE_HALF_LIFE)
        return base + spike

    def bump(self, now: float, amount: float) -> None:
        current = self.spike * 2.0 ** (-max(0.0, now - self.spike_at) / SPIKE_HALF_LIFE)
        self.spike = min(60.0, current + amount)
        self.spike_at = now

    @property
    def listed(self) -> bool:
        return not (self.hidden or self.banned)

    @property
    def market_cap_sol(self) -> float:
        """Where the coin trades now prices it: the pool once graduated, else the curve."""
        return self.amm.market_cap_sol if self.amm is not None else self.curve.market_cap_sol

    @property
    def price_sol(self) -> float:
        """SOL per whole token where the coin trades now."""
        return self.amm.price_sol if self.amm is not None else self.curve.price_sol

    @property
    def last_activity(self) -> float:
        return max(self.created, self.last_trade or 0.0, self.last_reply or 0.0)


@dataclass(slots=True)
class BookmarkList:
    id: str
    name: str
    created_at: str
    items: list[str] = field(default_factory=list)


class MarketError(Exception):
    """A write the market refuses; `status` is the HTTP status the server should answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


Listener = Callable[[str, Any], None]
Process = Literal["launch", "trade", "hot", "reply", "follow", "sol", "raid", "prune", "callouts"]
# The sort keys `GET /coins` accepts (any other is a 400).
_SORTS: dict[str, Callable[[SimCoin], Any]] = {
    "created_timestamp": lambda c: c.created,
    "market_cap": lambda c: c.market_cap_sol,
    "ath_market_cap": lambda c: c.ath_usd,
    "reply_count": lambda c: c.reply_count,
    "last_reply": lambda c: c.last_reply or 0.0,
    "last_trade_timestamp": lambda c: c.last_trade or 0.0,
}
SORT_KEYS = tuple(_SORTS)


class Market:
    """The whole simulated world. Not thread-safe: the server owns it on one event loop."""

    def __init__(self, config: MarketConfig | None = None, clock: SimClock | None = None) -> None:
        self.config = config or MarketConfig()
        self.clock = clock or SimClock(
            self.config.clock, speed=self.config.speed, start=self.config.start_time
        )
        self.rng = random.Random(self.config.seed)
        self.rates: dict[Process, float] = {}
        self._generation: dict[Process, int] = {}
        self._heap: list[tuple[float, int, Process, int]] = []
        self._seq = 0
        self.version = 0
        self.listeners: list[Listener] = []
        self.users: dict[str, SimUser] = {}
        self._user_list: list[SimUser] = []
        self.coins: dict[str, SimCoin] = {}
        self.active: list[SimCoin] = []
        self.hot_coin: SimCoin | None = None
        self.follows: dict[str, dict[str, float]] = {}
        self.bookmarks: dict[str, list[BookmarkList]] = {}
        self.latest_trade: SimTrade | None = None
        self.trades_total = 0
        self._slot = -1
        self._tx_index = 0
        self.sol_price = round(self.config.initial_sol_price or self.rng.uniform(120, 250), 2)
        start = self.clock.now()
        self.now = start - self.config.warmup
        self.sol_price_at = self.now
        for _ in range(self.config.users):
            self._new_user(self.now)
        self._launcher_rng = random.Random(self.config.seed ^ 0x1A7C4)
        self._serial_launchers = self._launcher_rng.sample(
            self._user_list, min(self.config.serial_launchers, len(self._user_list))
        )
        self.set_rates(
            launch=self.config.launches_per_minute / 60.0,
            trade=self.config.trades_per_second,
            hot=self.config.hot_trades_per_second,
            reply=self.config.replies_per_minute / 60.0,
            follow=self.config.follows_per_minute / 60.0,
        )
        self._schedule_fixed("sol", 10.0)
        self._schedule_fixed("raid", 180.0)
        self._schedule_fixed("prune", 60.0)
        # Imported here: the book reads the market's types, the market owns a book.
        from pumptui.sim.callouts import CalloutBook

        self._own_stream: dict[Process, Callable[[], float | None]] = {}
        self.callouts = CalloutBook(
            self,
            per_minute=self.config.callouts_per_minute,
            replies_per_minute=self.config.callout_replies_per_minute,
            likes_per_minute=self.config.callout_likes_per_minute,
        )
        # A market that starts with no coins looks broken; seed a few launches at warm-up start.
        for _ in range(3):
            self._launch()
        self.advance_to(start)

    # -- time -----------------------------------------------------------------------------

    def advance_to(self, t: float) -> int:
        """Process every event due up to market time `t`; returns how many ran."""
        ran = 0
        heap = self._heap
        while heap and heap[0][0] <= t:
            when, _, process, generation = heapq.heappop(heap)
            if generation != self._generation.get(process):
                continue
            self.now = when
            self._run(process)
            ran += 1
        if t > self.now:
            self.now = t
        return ran

    def next_event_time(self) -> float:
        return self._heap[0][0] if self._heap else math.inf

    def set_rates(self, **rates: float) -> None:
        """Change process rates (events per market second); 0 stops a process."""
        for name, rate in rates.items():
            if name not in ("launch", "trade", "hot", "reply", "follow"):
                raise ValueError(f"unknown process {name!r}")
            process = cast(Process, name)  # checked against the names just above
            self.rates[process] = max(0.0, float(rate))
            self._generation[process] = self._generation.get(process, 0) + 1
            if process == "hot" and rate > 0:
                self.ensure_hot_coin()
            self._schedule(process)

    def _schedule(self, process: Process) -> None:
        rate = self.rates.get(process, 0.0)
        if rate <= 0:
            return
        self._push(self.now + self.rng.expovariate(rate), process)

    def _schedule_fixed(self, process: Process, every: float) -> None:
        self._generation.setdefault(process, 1)
        self._push(self.now + every, process)

    def _push(self, when: float, process: Process) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (when, self._seq, process, self._generation[process]))

    def schedule_process(
        self, process: Process, step: Callable[[], float | None], delay: float | None
    ) -> None:
        """(Re)start a process that draws from a random stream of its own (so adding it leaves
        every other seeded draw as it was): `step` runs at each of its times and returns the
        delay until the next one (None: no more). The run already pending is dropped."""
        self._own_stream[process] = step
        self._generation[process] = self._generation.get(process, 0) + 1
        if delay is not None:
            self._push(self.now + delay, process)

    def _run(self, process: Process) -> None:
        own = self._own_stream.get(process)
        if own is not None:
            delay = own()
            if delay is not None:
                self._push(self.now + delay, process)
            return
        if process == "launch":
            self._launch()
        elif process == "trade":
            self._random_trade()
        elif process == "hot":
            if self.hot_coin is not None:
                self._trade(self.hot_coin)
        elif process == "reply":
            self._random_reply()
        elif process == "follow":
            self._random_follow()
        elif process == "sol":
            drift = math.exp(self.rng.gauss(0, 0.002))
            self.sol_price = round(max(20.0, self.sol_price * drift), 4)
            self.sol_price_at = self.now
            self.version += 1
            self._schedule_fixed("sol", 10.0)
            return
        elif process == "raid":
            if self.active:
                coin = self.rng.choice(self.active)
                coin.bump(self.now, self.rng.uniform(5, 30))
            self._schedule_fixed("raid", self.rng.expovariate(1 / 180.0))
            return
        elif process == "prune":
            self.prune()
            self._schedule_fixed("prune", 60.0)
            return
        self._schedule(process)

    # -- identities -----------------------------------------------------------------------

    def _address(self) -> str:
        return b58encode(self.rng.getrandbits(256).to_bytes(32, "big"))

    def _mint(self) -> str:
        while True:
            text = self._address()
            if len(text) < 43:
                continue
            candidate = text[:-4] + "pump"
            try:
                if len(b58decode(candidate)) == 32 and candidate not in self.coins:
                    return candidate
            except ValueError:
                continue

    def _signature(self) -> str:
        return b58encode(self.rng.getrandbits(512).to_bytes(64, "big"))

    def _ipfs(self) -> str:
        return "https://ipfs.io/ipfs/Qm" + b58encode(self.rng.getrandbits(256).to_bytes(32, "big"))

    def _new_user(self, now: float, address: str | None = None) -> SimUser:
        address = address or self._address()
        name = simtext.username(self.rng) if self.rng.random() < 0.35 else None
        image = self._ipfs() if name and self.rng.random() < 0.7 else None
        user = SimUser(address, name, image, now)
        self.users[address] = user
        self._user_list.append(user)
        return user

    def ensure_user(self, address: str) -> SimUser:
        """The user behind a wallet, created on first sight (e.g. at login)."""
        user = self.users.get(address)
        if user is None:
            user = SimUser(address, None, None, self.now)
            self.users[address] = user
        return user

    def user_drawn_by(self, rng: random.Random) -> SimUser:
        """A random known user, drawn from the caller's own random stream."""
        return self._user_list[int(rng.random() * len(self._user_list))]

    def _random_user(self) -> SimUser:
        return self._user_list[int(self.rng.random() * len(self._user_list))]

    def _text(self, generate: Callable[[], str]) -> str:
        share = self.config.hostile_share
        if share > 0 and self.rng.random() < share:
            return simtext.hostile(self.rng)
        return generate()

    # -- coins ----------------------------------------------------------------------------

    def _launch(self) -> SimCoin:
        creator = self._random_user()
        serial = self._serial_launchers
        if serial and self._launcher_rng.random() < self.config.serial_launch_share:
            creator = serial[int(self._launcher_rng.random() * len(serial))]
        name, symbol, description = simtext.coin_identity(self.rng)
        name = self._text(lambda: name)
        fate = self.rng.gauss(0.0, 1.0)
        half_life = self.rng.uniform(60, 600) * (6.0 if fate > 1.4 else 1.0)
        coin = self.create_coin(
            name=name,
            symbol=symbol,
            description=self._text(lambda: description),
            creator=creator.address,
            fate=fate,
            base_attention=self.rng.lognormvariate(0.0, 1.0),
            half_life=half_life,
        )
        if self.rng.random() < 0.85:
            self._buy(
                coin,
                creator.address,
                int(self.rng.lognormvariate(math.log(0.6), 0.9) * LAMPORTS_PER_SOL),
            )
        if self.rng.random() < self.config.bundle_share:
            for _ in range(self.rng.randint(2, 5)):  # a bundle: buys in the creation slot
                self._buy(
                    coin,
                    self._random_user().address,
                    int(self.rng.uniform(0.3, 2.0) * LAMPORTS_PER_SOL),
                )
        return coin

    def create_coin(
        self,
        *,
        name: str,
        symbol: str,
        description: str = "",
        creator: str | None = None,
        fate: float = 0.0,
        base_attention: float = 1.0,
        half_life: float = 600.0,
        hot: bool = False,
    ) -> SimCoin:
        rng = self.rng
        has_socials = rng.random() < 0.5
        coin = SimCoin(
            mint=self._mint(),
            name=name,
            symbol=symbol,
            description=description,
            creator=creator or self._random_user().address,
            created=self.now,
            image_uri=self._ipfs(),
            metadata_uri=self._ipfs(),
            bonding_curve=self._address(),
            associated_bonding_curve=self._address(),
            twitter=f"https://x.com/{symbol.lower()}coin" if has_socials else None,
            telegram=f"https://t.me/{symbol.lower()}portal"
            if has_socials and rng.random() < 0.6
            else None,
            website=f"https://{symbol.lower()}.fun" if has_socials and rng.random() < 0.3 else None,
            fate=fate,
            base_attention=base_attention,
            half_life=half_life,
            nsfw=rng.random() < self.config.nsfw_share,
            live=rng.random() < 0.02,
            hot=hot,
        )
        coin.create_signature = self._signature()
        coin.created_slot = max(self._slot_at(self.now), self._slot)
        coin.ath_market_cap = coin.curve.market_cap_sol
        coin.ath_usd = coin.ath_market_cap * self.sol_price
        coin.ath_at = self.now
        self.coins[coin.mint] = coin
        if not hot:
            self.active.append(coin)
        self.version += 1
        self._emit("coin", coin)
        return coin

    def ensure_hot_coin(self) -> SimCoin:
        if self.hot_coin is None:
            self.hot_coin = self.create_coin(
                name="Hot Potato",
                symbol="HOT",
                description="the busiest coin on the curve",
                fate=0.0,
                base_attention=0.0,
                half_life=1e9,
                hot=True,
            )
            self.hot_coin.nsfw = False
        return self.hot_coin

    # -- trading --------------------------------------------------------------------------

    def _random_trade(self) -> None:
        now = self.now
        weights: list[float] = []
        survivors: list[SimCoin] = []
        for coin in self.active:
            w = coin.attention(now)
            if w < DEAD_WEIGHT and now - coin.created > 120:
                coin.alive = False
                continue
            survivors.append(coin)
            weights.append(w)
        self.active = survivors
        if not survivors:
            return
        coin = self.rng.choices(survivors, weights)[0]
        self._trade(coin)

    def _trade(self, coin: SimCoin) -> SimTrade | None:
        """One trade by a plausible trader on `coin`; None when nobody can trade it."""
        rng = self.rng
        curve = coin.curve
        if coin.amm is not None:
            # Graduated: holders and newcomers trade on the pool, about evenly, leaning with
            # the coin's fate (no curve to take profit before).
            spike = coin.spike * 2.0 ** (-(self.now - coin.spike_at) / SPIKE_HALF_LIFE)
            p_buy = 0.5 + 0.1 * coin.fate + (0.08 if spike > 1 else 0.0)
            p_buy = min(0.9, max(0.1, p_buy))
        elif coin.hot:
            target = self.config.hot_market_cap_sol
            p_buy = 0.5 + 0.35 * math.tanh(3 * (target - curve.market_cap_sol) / target)
        else:
            spike = coin.spike * 2.0 ** (-(self.now - coin.spike_at) / SPIKE_HALF_LIFE)
            p_buy = 0.52 + 0.12 * coin.fate + (0.08 if spike > 1 else 0.0)
            if coin.fate < 1.4:
                p_buy -= 0.35 * curve.progress**2  # holders take profit near graduation
            p_buy = min(0.9, max(0.1, p_buy))
        if len(coin.holders) == 0 or rng.random() < p_buy:
            size = rng.lognormvariate(math.log(0.35), 1.1)
            if rng.random() < 0.03:
                size += rng.paretovariate(1.5) * 2
            lamports = max(10_000_000, int(min(size, 40.0) * LAMPORTS_PER_SOL))
            if coin.hot and coin.amm is None:
                tokens, _ = curve.tokens_for_sol(lamports)
                if tokens >= curve.real_tokens and len(coin.holders):
                    return self._sell(coin)
            return self._buy(coin, self._random_user().address, lamports)
        return self._sell(coin)

    def _buy(self, coin: SimCoin, trader: str, lamports: int) -> SimTrade | None:
        try:
            fill = coin.amm.buy(lamports) if coin.amm is not None else coin.curve.buy(lamports)
        except (ValueError, CurveComplete):
            return None
        coin.holders.add(trader, fill.token_amount)
        coin.bump(self.now, 0.02 * fill.sol_amount / LAMPORTS_PER_SOL)
        return self._record(coin, trader, fill)

    def _sell(self, coin: SimCoin) -> SimTrade | None:
        holder = coin.holders.choice(self.rng)
        if holder is None:
            return None
        held = coin.holders.balances[holder]
        fraction = 1.0 if self.rng.random() < 0.35 else self.rng.uniform(0.2, 0.9)
        amount = max(1, int(held * fraction))
        sol, tokens = self._reserves(coin)
        if amount * sol < tokens + amount:
            # A part too small to move a lamport: sell it all, or nothing if even that is dust
            # (a 0-lamport trade would put a price of 0 in every chart).
            if held * sol < tokens + held:
                return None
            amount = held
        try:
            fill = coin.amm.sell(amount) if coin.amm is not None else coin.curve.sell(amount)
        except (ValueError, CurveComplete):
            return None
        coin.holders.remove(holder, amount)
        return self._record(coin, holder, fill)

    @staticmethod
    def _reserves(coin: SimCoin) -> tuple[int, int]:
        """(SOL lamports, raw tokens) that price the coin where it trades now: the pool's real
        reserves once graduated, else the curve's virtual ones."""
        if coin.amm is not None:
            return coin.amm.sol, coin.amm.tokens
        return coin.curve.virtual_sol, coin.curve.virtual_tokens

    @staticmethod
    def _slot_at(t: float) -> int:
        return int(t * 2.5) - SLOT_OFFSET

    def _record(self, coin: SimCoin, trader: str, fill: Fill) -> SimTrade:
        now = self.now
        slot = self._slot_at(now)
        if slot <= self._slot:
            slot = self._slot
            self._tx_index += 1
        else:
            self._slot = slot
            self._tx_index = 0
        curve = coin.curve
        on_pool = coin.amm is not None
        reserve_sol, reserve_tokens = self._reserves(coin)
        mc = coin.market_cap_sol
        trade = SimTrade(
            signature=self._signature(),
            mint=coin.mint,
            user=trader,
            is_buy=fill.is_buy,
            sol_amount=fill.sol_amount,
            token_amount=fill.token_amount,
            time=now,
            slot=slot,
            tx_index=self._tx_index,
            virtual_sol=reserve_sol,
            virtual_tokens=reserve_tokens,
            market_cap=mc,
            fee=fill.fee,
            sol_price=self.sol_price,
            program="pump_amm" if on_pool else "pump",
        )
        coin.trades.append(trade)
        coin.fees += fill.fee
        if fill.is_buy:
            coin.buys += 1
            if trader not in coin.first_buy:
                coin.first_buy.add(trader)
                if trader != coin.creator:
                    if slot == coin.created_slot:
                        coin.bundlers.add(trader)
                    elif now - coin.created <= SNIPER_SECONDS:
                        coin.snipers.add(trader)
        else:
            coin.sells += 1
        cap = self.config.max_trades_per_coin
        if len(coin.trades) > cap + cap // 10:
            drop = len(coin.trades) - cap
            del coin.trades[:drop]
            coin.forgotten_trades += drop
        coin.last_trade = now
        coin.version += 1
        self.version += 1
        self.trades_total += 1
        self.latest_trade = trade
        if mc > coin.ath_market_cap:
            coin.ath_market_cap = mc
        if mc * self.sol_price > coin.ath_usd:
            coin.ath_usd, coin.ath_at = mc * self.sol_price, now
        graduated = curve.complete and not on_pool
        if graduated:
            # The curve's reserves move to a PumpSwap pool, where the coin keeps trading.
            coin.pool = self._address()
            coin.graduated_at = now
            coin.migrate_signature = self._signature()
            coin.amm = ConstantProductPool.from_curve(curve)
        self._emit("trade", trade)
        if graduated:
            self._emit("migrate", coin)
        return trade

    def inject_trades(self, mint: str, count: int) -> list[SimTrade]:
        """A burst of `count` trades on one coin at the current instant (tests, benchmarks)."""
        coin = self.coins.get(mint)
        if coin is None:
            raise MarketError("coin not found", 404)
        made: list[SimTrade] = []
        for _ in range(count):
            trade = self._trade(coin)
            if trade is None:
                trade = self._buy(coin, self._random_user().address, LAMPORTS_PER_SOL // 10)
                if trade is None:
                    break
            made.append(trade)
        return made

    def buy_as(self, coin: SimCoin, trader: str, lamports: int) -> SimTrade:
        """A buy by a chosen wallet, now (tests and the demo: so that it holds the coin)."""
        trade = self._buy(coin, trader, lamports)
        if trade is None:
            raise MarketError("the curve cannot fill this buy", 400)
        self.ensure_user(trader)
        return trade

    def sell_as(self, coin: SimCoin, trader: str, fraction: float = 1.0) -> SimTrade:
        """A sell of `fraction` of what a chosen wallet holds, now (tests and the demo: the
        creator dumping, a whale taking profit)."""
        held = coin.holders.balances.get(trader, 0)
        if held <= 0:
            raise MarketError("the wallet holds none of this coin", 400)
        amount = min(held, max(1, round(held * fraction)))
        curve = coin.curve
        if amount * curve.virtual_sol < curve.virtual_tokens + amount:
            raise MarketError("too small a sell to move a lamport", 400)  # a price of 0
        try:
            fill = coin.curve.sell(amount)
        except (ValueError, CurveComplete):
            raise MarketError("the curve cannot fill this sell", 400) from None
        coin.holders.remove(trader, amount)
        return self._record(coin, trader, fill)

    # -- social ---------------------------------------------------------------------------

    def _weighted_coin(self) -> SimCoin | None:
        pool = self.active + ([self.hot_coin] if self.hot_coin else [])
        if not pool:
            return None
        weights = [max(c.attention(self.now), 0.5 if c.hot else 0.0) + 1e-6 for c in pool]
        return self.rng.choices(pool, weights)[0]

    def _random_reply(self) -> None:
        """Someone talks about a coin: its reply count grows (nothing else is kept)."""
        coin = self._weighted_coin()
        if coin is None:
            return
        coin.reply_count += 1
        coin.last_reply = self.now
        coin.version += 1
        self.version += 1

    def _random_follow(self) -> None:
        coin = self._weighted_coin()
        if coin is not None:
            follower = self._random_user().address
            if follower != coin.creator:
                self.follows.setdefault(follower, {})[coin.creator] = self.now

    # -- writes from the API --------------------------------------------------------------

    def follow(self, who: str, address: str) -> None:
        if who == address:
            raise MarketError("You cannot follow yourself", 400)
        self.ensure_user(address)
        self.follows.setdefault(who, {})[address] = self.now
        self.version += 1

    def unfollow(self, who: str, address: str) -> bool:
        removed = self.follows.get(who, {}).pop(address, None) is not None
        self.version += 1
        return removed

    def followers(self, address: str) -> list[tuple[SimUser, float]]:
        out = [
            (self.ensure_user(follower), followed[address])
            for follower, followed in self.follows.items()
            if address in followed
        ]
        out.sort(key=lambda pair: (-pair[1], pair[0].address))
        return out

    def follower_count(self, address: str) -> int:
        return sum(1 for followed in self.follows.values() if address in followed)

    def bookmark_lists(self, who: str) -> list[BookmarkList]:
        lists = self.bookmarks.get(who)
        if not lists:  # every user has a default list, even after deleting the last one
            lists = [self._new_bookmark_list("default")]
            self.bookmarks[who] = lists
        return lists

    def _new_bookmark_list(self, name: str) -> BookmarkList:
        created = datetime.fromtimestamp(self.now, UTC).isoformat(timespec="milliseconds")
        list_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        return BookmarkList(list_id, name, created.replace("+00:00", "Z"))

    def bookmark_list(self, who: str, list_id: str) -> BookmarkList:
        lists = self.bookmark_lists(who)
        if list_id == "default":
            return lists[0]
        for lst in lists:
            if lst.id == list_id:
                return lst
        raise MarketError("Bookmark not found", 404)

    def create_bookmark_list(self, who: str, name: str) -> BookmarkList:
        if not name.strip() or len(name) > 64:
            raise MarketError("A bookmark name has 1 to 64 characters", 400)
        lst = self._new_bookmark_list(name.strip())
        self.bookmark_lists(who).append(lst)
        self.version += 1
        return lst

    def delete_bookmark_list(self, who: str, list_id: str) -> None:
        lists = self.bookmark_lists(who)
        lst = self.bookmark_list(who, list_id)
        lists.remove(lst)
        self.version += 1

    def bookmark_items(self, who: str, mint: str, list_ids: Iterable[str], add: bool) -> None:
        if mint not in self.coins:
            raise MarketError("Coin not found", 404)
        targets = [self.bookmark_list(who, list_id) for list_id in list_ids]
        for lst in targets:
            if add and mint not in lst.items:
                lst.items.append(mint)
            elif not add and mint in lst.items:
                lst.items.remove(mint)
        self.version += 1

    # -- moderation -----------------------------------------------------------------------

    def moderate(
        self, action: Literal["nsfw", "hide", "ban"], items: Iterable[Any]
    ) -> tuple[list[Any], list[Any]]:
        """Apply a moderation action to coins; returns (updated, not_found) in input order. An
        id that is not a mint is not found: the replies that ids named are gone (2026)."""
        updated: list[Any] = []
        missing: list[Any] = []
        for item in items:
            coin = self.coins.get(str(item))
            if coin is None:
                missing.append(item)
                continue
            if action == "nsfw":
                coin.nsfw = True
            elif action == "hide":
                coin.hidden = True
            else:
                coin.banned = True
            coin.version += 1
            updated.append(item)
        self.version += 1
        return updated, missing

    # -- reads ----------------------------------------------------------------------------

    def list_coins(
        self,
        *,
        sort: str = "created_timestamp",
        order: str = "DESC",
        offset: int = 0,
        limit: int = 50,
        include_nsfw: bool = False,
        search: str | None = None,
        creator: str | None = None,
        complete: bool | None = None,
    ) -> list[SimCoin]:
        key = _SORTS.get(sort)
        if key is None:
            raise MarketError(f"sort must be one of {', '.join(_SORTS)}", 400)
        needle = search.lower() if search else None
        coins: Iterable[SimCoin] = self.coins.values()
        picked = [
            c
            for c in coins
            if c.listed
            and (include_nsfw or not c.nsfw)
            and (creator is None or c.creator == creator)
            and (complete is None or c.curve.complete == complete)
            and (
                needle is None
                or needle in c.name.lower()
                or needle in c.symbol.lower()
                or needle == c.mint.lower()
            )
        ]
        descending = order.upper() != "ASC"
        if sort == "created_timestamp":
            # dict order is creation order: no sort needed.
            if descending:
                picked.reverse()
        else:
            picked.sort(key=lambda c: (key(c), c.created), reverse=descending)
        return picked[offset : offset + limit]

    def trade_count(self, coin: SimCoin, minimum_size: int = 0) -> int:
        if minimum_size <= 0:
            return len(coin.trades) + coin.forgotten_trades
        return sum(1 for t in coin.trades if t.sol_amount >= minimum_size)

    def holder_figures(self, coin: SimCoin) -> HolderFigures:
        """What the holder routes report, from the balances the trades left (raw units)."""
        balances = coin.holders.balances
        top = heapq.nlargest(10, balances.values())
        return HolderFigures(
            holders=len(balances),
            top10=sum(top),
            dev=balances.get(coin.creator, 0),
            snipers=sum(balances.get(w, 0) for w in coin.snipers),
            bundlers=sum(balances.get(w, 0) for w in coin.bundlers),
            sniper_count=sum(1 for w in coin.snipers if w in balances),
        )

    def top_holders(self, coin: SimCoin, n: int) -> list[tuple[str, int]]:
        """The `n` largest holders, largest first (ties by address, so the order is stable)."""
        return heapq.nsmallest(n, coin.holders.balances.items(), key=lambda kv: (-kv[1], kv[0]))

    # -- housekeeping ---------------------------------------------------------------------

    def prune(self) -> int:
        """Forget dead coins past the horizon (unless bookmarked); returns how many went."""
        horizon = self.now - self.config.history_horizon
        bookmarked = {m for lists in self.bookmarks.values() for lst in lists for m in lst.items}
        overflow = len(self.coins) - self.config.max_coins
        doomed: list[str] = []
        for mint, coin in self.coins.items():
            if coin.alive or coin.hot or mint in bookmarked:
                continue
            if coin.last_activity < horizon or overflow > len(doomed):
                doomed.append(mint)
        for mint in doomed:
            del self.coins[mint]
        if doomed:
            self.version += 1
        return len(doomed)

    def _emit(self, kind: str, payload: Any) -> None:
        for listener in self.listeners:
            listener(kind, payload)

    def snapshot(self) -> dict[str, Any]:
        return {
            "now": self.now,
            "version": self.version,
            "coins": len(self.coins),
            "active": len(self.active),
            "trades_total": self.trades_total,
            "callouts": len(self.callouts.callouts),
            "sol_price": self.sol_price,
            "hot_mint": self.hot_coin.mint if self.hot_coin else None,
            "rates": dict(self.rates),
        }


def supply_is_conserved(coin: SimCoin) -> bool:
    """Holders' balances plus the curve's real tokens equal the tokens the curve started with
    (after graduation, less what traders took out of the pool, or plus what they put back)."""
    from_pool = coin.amm.initial_tokens - coin.amm.tokens if coin.amm is not None else 0
    return coin.holders.total() + coin.curve.real_tokens - from_pool == INITIAL_REAL_TOKENS


__all__ = [
    "DEMO_SERIAL_LAUNCH_SHARE",
    "GRADUATION_MC",
    "SORT_KEYS",
    "BookmarkList",
    "HolderFigures",
    "Market",
    "MarketConfig",
    "MarketError",
    "SimCoin",
    "SimTrade",
    "SimUser",
    "supply_is_conserved",
]
