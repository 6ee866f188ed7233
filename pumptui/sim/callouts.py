"""Callouts: a holder's call on a coin, with a thesis, that others reply to and like (2026).

The successor of threaded replies (pumpfun-api-2026.md §3.7). What the simulator models:
- only a wallet holding the coin may post a callout on it (the eligibility rule);
- a wallet may post (a callout or a reply to one) about once a minute of market time; sooner is
  429 "You're replying too fast", with Retry-After (whether the service sends one is unverified);
- a like is idempotent and cannot be taken back (no unlike route was found);
- a callout remembers the coin's USD price and market cap when it was made, and the highest price
  since (from the trades, as they happen); `multiple` is the price now over the price then.

The book keeps a random stream of its own: adding callouts to the market leaves every other
seeded draw (launches, trades, replies) exactly as it was. Now and then a holder posts a callout,
someone replies to one, someone likes one — the demo always has a few; theses may be hostile
when the market's `hostile_share` says so.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from pumptui.sim import text as simtext
from pumptui.sim.curve import RAW_PER_TOKEN, TOTAL_SUPPLY
from pumptui.sim.market import MarketError
from pumptui.sim.people import user_uuid

if TYPE_CHECKING:
    from pumptui.sim.market import Market, SimCoin, SimTrade

PROCESS: Final = "callouts"
THESIS_LIMIT = 1000  # characters; the service's own bound is unknown
REPLY_LIMIT = 1000
TOP_LIMIT = 50  # callouts `/callout/top/{mint}` answers at most (unverified)
LIST_PAGE_DEFAULT, LIST_PAGE_MAX = 20, 50
PER_COIN_CAP = 200  # the oldest of a coin's callouts are forgotten beyond this
BOOK_CAP = 20_000  # and the oldest of all, so that memory stays bounded however long it runs
RECENT = 300  # callouts the seeded process replies to and likes
TOO_FAST = "You're replying too fast. Please wait a moment."
NOT_HOLDER = "You must hold this coin to post a callout"


@dataclass(slots=True)
class SimCalloutReply:
    id: str
    callout_id: str
    author: str
    content: str
    created: float


@dataclass(slots=True)
class SimCallout:
    id: str
    mint: str
    author: str
    thesis: str
    created: float
    price_usd: float  # USD per whole token when called
    market_cap_usd: float  # USD when called
    peak_usd: float  # the highest USD price per token since
    peak_at: float
    likes: set[str] = field(default_factory=set)
    replies: list[SimCalloutReply] = field(default_factory=list)


class TooFast(MarketError):
    """A second post within the interval; `retry_after` is the whole seconds left."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(TOO_FAST, 429)
        self.retry_after = retry_after


def usd_price(market: Market, coin: SimCoin) -> float:
    """The coin's price now, USD per whole token."""
    return coin.price_sol * market.sol_price  # on the pool once graduated


class CalloutBook:
    """Every callout of the market, by id, by coin and by author."""

    def __init__(
        self,
        market: Market,
        *,
        per_minute: float,
        replies_per_minute: float,
        likes_per_minute: float,
    ) -> None:
        self.market = market
        self.rng = random.Random(market.config.seed ^ 0xCA110)
        self.callouts: dict[str, SimCallout] = {}
        self.by_mint: dict[str, list[str]] = {}
        self.by_author: dict[str, list[str]] = {}
        self.replies: dict[str, SimCalloutReply] = {}
        self.last_post: dict[str, float] = {}
        self.recent: deque[str] = deque(maxlen=RECENT)
        self.version = 0
        market.listeners.append(self._on_market_event)
        self.rates = {
            "callout": per_minute / 60,
            "reply": replies_per_minute / 60,
            "like": likes_per_minute / 60,
        }
        self._reschedule()

    # -- the seeded process ---------------------------------------------------------------

    def set_rates(self, **rates: float) -> None:
        """Events per market second: `callout`, `reply`, `like`; 0 stops one."""
        for kind, rate in rates.items():
            if kind not in self.rates:
                raise ValueError(f"unknown callout process {kind!r}")
            self.rates[kind] = max(0.0, float(rate))
        self._reschedule()

    def _reschedule(self) -> None:
        total = sum(self.rates.values())
        self.market.schedule_process(
            PROCESS, self._step, self.rng.expovariate(total) if total > 0 else None
        )

    def _step(self) -> float | None:
        total = sum(self.rates.values())
        if total <= 0:
            return None
        kinds = list(self.rates)
        kind = self.rng.choices(kinds, [self.rates[k] for k in kinds])[0]
        try:
            if kind == "callout":
                self._random_callout()
            elif kind == "reply":
                self._random_reply()
            else:
                self._random_like()
        except MarketError:
            pass  # a pick that broke a rule (too soon after its last post): nothing happens
        return self.rng.expovariate(total)

    def _random_callout(self) -> None:
        market = self.market
        pool = market.active + ([market.hot_coin] if market.hot_coin else [])
        if not pool:
            return
        weights = [max(c.attention(market.now), 0.5 if c.hot else 0.0) + 1e-6 for c in pool]
        coin = self.rng.choices(pool, weights)[0]
        author = coin.holders.choice(self.rng)
        if author is None or not coin.listed:
            return
        self.create(
            author, coin.mint, self._text(lambda: simtext.callout_thesis(self.rng, coin.symbol))
        )

    def _random_reply(self) -> None:
        if not self.recent:
            return
        callout = self.callouts.get(self.recent[int(self.rng.random() * len(self.recent))])
        if callout is None:
            return
        author = self.market.user_drawn_by(self.rng).address
        coin = self.market.coins.get(callout.mint)
        symbol = coin.symbol if coin else "it"
        self.reply(author, callout.id, self._text(lambda: simtext.callout_reply(self.rng, symbol)))

    def _random_like(self) -> None:
        if self.recent:
            target = self.recent[int(self.rng.random() * len(self.recent))]
            self.like(self.market.user_drawn_by(self.rng).address, target)

    def _text(self, generate: Any) -> str:
        share = self.market.config.hostile_share
        if share > 0 and self.rng.random() < share:
            return simtext.hostile(self.rng)
        return str(generate())

    def _new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _on_market_event(self, kind: str, payload: Any) -> None:
        """A trade may set a new peak for the coin's callouts."""
        if kind != "trade":
            return
        trade: SimTrade = payload
        ids = self.by_mint.get(trade.mint)
        if not ids:
            return
        price = trade.price * trade.sol_price
        for callout_id in ids:
            callout = self.callouts[callout_id]
            if price > callout.peak_usd:
                callout.peak_usd, callout.peak_at = price, trade.time
                self.version += 1

    # -- writes ---------------------------------------------------------------------------

    def eligible(self, wallet: str, mint: str) -> bool:
        """Whether `wallet` may post a callout on the coin: it holds some of it now."""
        coin = self.market.coins.get(mint)
        return coin is not None and coin.holders.balances.get(wallet, 0) > 0

    def _check_pace(self, wallet: str) -> None:
        """One post (callout or reply) per wallet per `reply_interval` of market time."""
        last = self.last_post.get(wallet)
        interval = self.market.config.reply_interval
        if last is not None and self.market.now - last < interval:
            raise TooFast(max(1, math.ceil(interval - (self.market.now - last))))

    def create(self, wallet: str, mint: str, thesis: str, *, vetted: bool = True) -> SimCallout:
        """Post a callout. `vetted=False` (the admin's) skips the holder rule and the pace."""
        market = self.market
        coin = market.coins.get(mint)
        if coin is None or not coin.listed:
            raise MarketError(f"Coin not found for mint: {mint}", 404)
        if not thesis.strip():
            raise MarketError("thesis should not be empty", 400)
        if len(thesis) > THESIS_LIMIT:
            raise MarketError(
                f"thesis must be shorter than or equal to {THESIS_LIMIT} characters", 400
            )
        if vetted:
            if not self.eligible(wallet, mint):
                raise MarketError(NOT_HOLDER, 403)
            self._check_pace(wallet)
            self.last_post[wallet] = market.now
        market.ensure_user(wallet)
        price = usd_price(market, coin)
        callout = SimCallout(
            id=self._new_id(),
            mint=mint,
            author=wallet,
            thesis=thesis,
            created=market.now,
            price_usd=price,
            market_cap_usd=price * TOTAL_SUPPLY / RAW_PER_TOKEN,
            peak_usd=price,
            peak_at=market.now,
        )
        self.callouts[callout.id] = callout
        of_coin = self.by_mint.setdefault(mint, [])
        of_coin.append(callout.id)
        if len(of_coin) > PER_COIN_CAP:
            self._forget(of_coin[0])
        while len(self.callouts) > BOOK_CAP:
            self._forget(next(iter(self.callouts)))
        self.by_author.setdefault(wallet, []).append(callout.id)
        self.recent.append(callout.id)
        self.version += 1
        return callout

    def _forget(self, callout_id: str) -> None:
        callout = self.callouts.pop(callout_id)
        for reply in callout.replies:
            self.replies.pop(reply.id, None)
        for index, key in ((self.by_mint, callout.mint), (self.by_author, callout.author)):
            ids = index.get(key, [])
            if callout_id in ids:
                ids.remove(callout_id)
            if not ids:
                index.pop(key, None)

    def callout(self, callout_id: str) -> SimCallout:
        callout = self.callouts.get(callout_id)
        if callout is None:
            raise MarketError("Callout not found", 404)
        return callout

    def reply(
        self, wallet: str, callout_id: str, content: str, *, vetted: bool = True
    ) -> SimCalloutReply:
        """Reply to a callout (anyone signed in; the pace is shared with posting callouts)."""
        callout = self.callout(callout_id)
        if not content.strip():
            raise MarketError("content should not be empty", 400)
        if len(content) > REPLY_LIMIT:
            raise MarketError(
                f"content must be shorter than or equal to {REPLY_LIMIT} characters", 400
            )
        if vetted:
            self._check_pace(wallet)
            self.last_post[wallet] = self.market.now
        self.market.ensure_user(wallet)
        reply = SimCalloutReply(self._new_id(), callout.id, wallet, content, self.market.now)
        callout.replies.append(reply)
        self.replies[reply.id] = reply
        self.version += 1
        return reply

    def like(self, wallet: str, callout_id: str) -> SimCallout:
        """Idempotent: a second like by the same wallet changes nothing."""
        callout = self.callout(callout_id)
        if wallet not in callout.likes:
            callout.likes.add(wallet)
            self.version += 1
        return callout

    # -- reads ----------------------------------------------------------------------------

    def top(self, mint: str) -> list[SimCallout]:
        """A coin's callouts, best multiple first (newest first among equals)."""
        coin = self.market.coins.get(mint)
        found = [self.callouts[i] for i in self.by_mint.get(mint, ())]
        if coin is None or not found:
            return []
        now = usd_price(self.market, coin)
        found.sort(key=lambda c: (-(now / c.price_usd if c.price_usd else 0.0), -c.created))
        return found[:TOP_LIMIT]

    def of_author(self, wallet: str, *, newest_first: bool) -> list[SimCallout]:
        found = [self.callouts[i] for i in self.by_author.get(wallet, ()) if i in self.callouts]
        found.sort(key=lambda c: c.created, reverse=newest_first)
        return found


# -- shapes ---------------------------------------------------------------------------------


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


def callout_json(market: Market, callout: SimCallout, viewer: str | None) -> dict[str, Any]:
    """A callout as `/callout/top` and `/callout/list` send it (§3.7). `marketCap` is USD when
    called; the SOL prices are recomputed at read time from the USD ones (as the reference says
    the service does), so they move with SOL; `multiple` is the price now over the price then.
    `likeCount`, `replyCount` and `likedByUser` are the simulator's own (unverified)."""
    user = market.users.get(callout.author)
    coin = market.coins.get(callout.mint)
    sol = market.sol_price
    now = usd_price(market, coin) if coin is not None else callout.price_usd
    return {
        "calloutId": callout.id,
        # Which of the two is the wallet is unverified: here userId is, user_uuid the UUID.
        "userId": callout.author,
        "user_uuid": user_uuid(callout.author),
        "coinMint": callout.mint,
        "marketCap": callout.market_cap_usd,
        "calloutPrice": callout.price_usd / sol,
        "multiple": now / callout.price_usd if callout.price_usd else None,
        "createdAt": _ms(callout.created),
        "maxPriceSol": callout.peak_usd / sol,
        "thesis": callout.thesis,
        "peakTimestamp": _ms(callout.peak_at),
        "username": user.username if user else None,
        "profileImage": user.profile_image if user else None,
        "xUsername": f"{user.username}_x" if user and user.username else None,
        "likeCount": len(callout.likes),
        "replyCount": len(callout.replies),
        "likedByUser": viewer is not None and viewer in callout.likes,
    }


def reply_json(market: Market, reply: SimCalloutReply) -> dict[str, Any]:
    """A reply as `POST /callout/{id}/replies` answers (§3.7: replyId, createdAt, mediaUrl,
    rootMessageId), plus what the simulator's `GET` of the replies needs to show one."""
    user = market.users.get(reply.author)
    return {
        "replyId": reply.id,
        "createdAt": _ms(reply.created),
        "mediaUrl": None,
        "rootMessageId": reply.callout_id,
        "content": reply.content,
        "userId": reply.author,
        "user_uuid": user_uuid(reply.author),
        "username": user.username if user else None,
    }


def eligibility_json(eligible: bool) -> dict[str, Any]:
    """`GET /callout/eligibility/{mint}`: the shape is the simulator's choice (unverified)."""
    return {"eligible": eligible, "reason": None if eligible else NOT_HOLDER}
