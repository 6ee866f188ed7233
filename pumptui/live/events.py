"""The typed events of the live engine: one small frozen record per thing that happened.

Every event goes to the market store first (the source of truth) and then to the bus. The engine
never says *how* it learnt something (poll or push), only *what* it learnt.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pumptui.api.models import (
    BoardEntry,
    Callout,
    ChatMessage,
    Coin,
    HolderStats,
    MarketActivity,
    TopHolder,
    Trade,
)
from pumptui.live.health import FeedHealth


@dataclass(frozen=True, slots=True)
class NewCoin:
    """A coin seen for the first time (a launch, or a coin the engine had not listed before).

    `historical` marks the coins already listed when the feed started."""

    coin: Coin
    historical: bool = False


@dataclass(frozen=True, slots=True)
class CoinUpdated:
    """Fresh market data for a known coin (reserves, market cap, reply count...)."""

    coin: Coin


@dataclass(frozen=True, slots=True)
class NewTrade:
    """A trade delivered exactly once, in chain order per coin.

    `historical` marks trades from the first page read when a feed starts (the coin's recent past,
    not something that just happened); gap backfills after an outage are *not* historical.
    """

    trade: Trade
    historical: bool = False

    @property
    def is_buy(self) -> bool:
        return self.trade.is_buy

    @property
    def mint(self) -> str:
        return self.trade.mint


@dataclass(frozen=True, slots=True)
class TradeConfirmed:
    """The REST copy of a trade first delivered from a push message (`Trade.provisional`):
    the same signature, now with its block time, slot and the trader's name. Not a new trade."""

    trade: Trade

    @property
    def mint(self) -> str:
        return self.trade.mint


@dataclass(frozen=True, slots=True)
class CalloutsChanged:
    """The focused coin's top callouts, as the service ranks them (best multiple first), each
    time they change (a multiple moving is a change). `read_at`: when this version was read,
    Unix seconds."""

    mint: str
    callouts: tuple[Callout, ...]
    read_at: float = 0.0


@dataclass(frozen=True, slots=True)
class CoinNotFound:
    """The service has no coin with this mint (a typo, a pasted address of something else)."""

    mint: str


@dataclass(frozen=True, slots=True)
class CoinsDelisted:
    """Held coins the service's new-coins listing no longer shows where they belong (hidden or
    banned by its moderators, or marked NSFW): Home drops them, Watchlist marks them.
    `relisted`: coins so marked that the listing shows again."""

    mints: tuple[str, ...]
    relisted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LeaderChanged:
    """A different coin now leads the bonding curve: the highest market cap among the coins not
    yet graduated. (King of the Hill is gone from the API; this is what can be measured.)"""

    coin: Coin


@dataclass(frozen=True, slots=True)
class SolPriceChanged:
    """The SOL price in USD. `stale` is the server's own flag: it could not refresh its price."""

    usd: float
    stale: bool = False


@dataclass(frozen=True, slots=True)
class HoldersChanged:
    """Fresh holder figures of a coin: the summary and the largest holders (with their flags)."""

    mint: str
    stats: HolderStats
    top: tuple[TopHolder, ...] = ()
    read_at: float = 0.0  # Unix seconds: the panel shows the figures' age


@dataclass(frozen=True, slots=True)
class ActivityChanged:
    """Fresh market activity of a coin (volume, trades, buyers and sellers per window)."""

    mint: str
    activity: MarketActivity
    read_at: float = 0.0  # Unix seconds: it is read rarely, so its age is shown


@dataclass(frozen=True, slots=True)
class CreatorCoinsChanged:
    """The coins a wallet created, as `/coins?creator=` lists them (newest launch first, one
    page): for the Coin screen's creator line and the creator's view. `more`: the page was full,
    so the wallet created at least this many. `read_at`: Unix seconds (the age is shown)."""

    creator: str
    coins: tuple[Coin, ...]
    more: bool = False
    read_at: float = 0.0


@dataclass(frozen=True, slots=True)
class BoardChanged:
    """A trenches board as it stands now (new, graduating, graduated): per-coin aggregates in
    the board's order, pushed by the indexer's socket (or read over HTTP while it is down)."""

    board: str
    entries: tuple[BoardEntry, ...]
    # The socket's version of the board; None when it was read over HTTP (the socket is down).
    version: int | None = None
    # Unix seconds when it arrived: the trenches screen shows each board's age.
    read_at: float = 0.0


@dataclass(frozen=True, slots=True)
class ChatMessagesChanged:
    """A coin's chat as it stands now: its unexpired messages, oldest first, each once (the
    chat pane redraws from this; a newer one for the same coin supersedes a queued one)."""

    mint: str
    messages: tuple[ChatMessage, ...]


@dataclass(frozen=True, slots=True)
class NewChatMessage:
    """A chat message seen for the first time. `historical` marks those of the history read
    when a room is joined (its recent past); messages missed while the connection was down and
    read back after it are not historical."""

    message: ChatMessage
    historical: bool = False

    @property
    def mint(self) -> str:
        return self.message.mint


@dataclass(frozen=True, slots=True)
class ViewerCountChanged:
    """How many people the chat service says are in a coin's room."""

    mint: str
    count: int


@dataclass(frozen=True, slots=True)
class RouteMoved:
    """The service no longer answers a view's primary route; the fallback serves it from now on."""

    view: str
    description: str


@dataclass(frozen=True, slots=True)
class FeedHealthChanged:
    health: FeedHealth


@dataclass(frozen=True, slots=True)
class EngineError:
    """Something went wrong that a user may want to know about; the feed carries on."""

    feed: str
    message: str


@dataclass(frozen=True, slots=True)
class TradesSkipped:
    """Trades of a coin that polling gave up on: they arrived faster than the request budget
    can read them, so the newest were delivered at once and those before them were not.
    `skipped` is an estimate (None: unknown); they lie between block times `after` (the newest
    trade delivered before them; None: none was) and `before` (the newest delivered with this
    note), Unix seconds. Not stored: a note for the reader (a JSON line, the feed's status)."""

    mint: str
    feed: str
    skipped: int | None
    after: float | None = None
    before: float | None = None


Event = (
    NewCoin
    | CoinUpdated
    | NewTrade
    | TradeConfirmed
    | CalloutsChanged
    | CoinNotFound
    | CoinsDelisted
    | LeaderChanged
    | SolPriceChanged
    | HoldersChanged
    | ActivityChanged
    | CreatorCoinsChanged
    | BoardChanged
    | ChatMessagesChanged
    | NewChatMessage
    | ViewerCountChanged
    | RouteMoved
    | FeedHealthChanged
    | EngineError
    | TradesSkipped
)

EVENT_TYPES: dict[type, str] = {
    NewCoin: "new_coin",
    CoinUpdated: "coin_updated",
    NewTrade: "new_trade",
    TradeConfirmed: "trade_confirmed",
    CalloutsChanged: "callouts",
    CoinNotFound: "coin_not_found",
    CoinsDelisted: "coins_delisted",
    LeaderChanged: "leader_changed",
    SolPriceChanged: "sol_price",
    HoldersChanged: "holders",
    ActivityChanged: "activity",
    CreatorCoinsChanged: "creator_coins",
    BoardChanged: "board",
    ChatMessagesChanged: "chat",
    NewChatMessage: "chat_message",
    ViewerCountChanged: "viewers",
    RouteMoved: "route_moved",
    FeedHealthChanged: "feed_health",
    EngineError: "error",
    TradesSkipped: "trades_skipped",
}


def event_type(event: Event) -> str:
    """The stable name of an event's kind, as used in JSON lines ("new_trade", ...)."""
    return EVENT_TYPES[type(event)]


def event_to_json(event: Event) -> dict[str, Any]:
    """A JSON-ready dict: `type` plus the model's fields (see `Coin.to_json`, `Trade.to_json`)."""
    data: dict[str, Any] = {"type": event_type(event)}
    match event:
        case NewCoin(coin=coin, historical=historical):
            data.update(coin.to_json())
            if historical:
                data["historical"] = True
        case CoinUpdated(coin=coin) | LeaderChanged(coin=coin):
            data.update(coin.to_json())
        case NewTrade(trade=trade, historical=historical):
            data.update(trade.to_json())
            if historical:
                data["historical"] = True
        case TradeConfirmed(trade=trade):
            data.update(trade.to_json())
        case CalloutsChanged(mint=mint, callouts=callouts, read_at=read_at):
            data["mint"] = mint
            data["read_at"] = read_at
            data["callouts"] = [callout.to_json() for callout in callouts]
        case SolPriceChanged(usd=usd, stale=stale):
            data["solPrice"] = usd
            data["stale"] = stale
        case HoldersChanged(mint=mint, stats=stats, top=top, read_at=read_at):
            data["mint"] = mint
            data.update(asdict(stats))
            data["top_holders"] = [asdict(holder) for holder in top]
            data["read_at"] = read_at
        case ActivityChanged(mint=mint, activity=activity):
            data["mint"] = mint
            data["windows"] = {name: asdict(window) for name, window in activity.windows.items()}
        case CreatorCoinsChanged(creator=creator, coins=coins, more=more, read_at=read_at):
            data.update(creator=creator, more=more, read_at=read_at)
            data["coins"] = [coin.to_json() for coin in coins]
        case BoardChanged(board=board, entries=entries, version=version):
            data["board"] = board
            data["version"] = version
            data["entries"] = [asdict(entry) for entry in entries]
        case ChatMessagesChanged(mint=mint, messages=messages):
            data["mint"] = mint
            data["messages"] = [message.to_json() for message in messages]
        case NewChatMessage(message=message, historical=historical):
            data.update(message.to_json())
            if historical:
                data["historical"] = True
        case ViewerCountChanged(mint=mint, count=count):
            data["mint"] = mint
            data["count"] = count
        case CoinNotFound(mint=mint):
            data["mint"] = mint
        case CoinsDelisted(mints=mints, relisted=relisted):
            data["mints"] = list(mints)
            data["relisted"] = list(relisted)
        case RouteMoved(view=view, description=description):
            data["view"] = view
            data["description"] = description
        case FeedHealthChanged(health=health):
            data.update(health.to_api())
        case EngineError(feed=feed, message=message):
            data["feed"] = feed
            data["message"] = message
        case TradesSkipped(mint=mint, feed=feed, skipped=skipped, after=after, before=before):
            data.update(mint=mint, feed=feed, skipped=skipped, after=after, before=before)
    return data
