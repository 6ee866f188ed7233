"""The live engine: feeds, scheduling, de-duplication, the market store, candles, the event bus.

Knows nothing of Textual: the TUI reads the store and subscribes to the bus.
"""

from pumptui.live.bus import EventBus, Subscription, SubscriptionClosed
from pumptui.live.candles import TIMEFRAMES, CandleSeries, candles_from_trades
from pumptui.live.chat import ChatConnection, ChatSendOutcome, SendStatus
from pumptui.live.client import MarketClient
from pumptui.live.engine import LiveEngine
from pumptui.live.events import (
    CalloutsChanged,
    ChatMessagesChanged,
    CoinUpdated,
    EngineError,
    Event,
    FeedHealthChanged,
    LeaderChanged,
    NewChatMessage,
    NewCoin,
    NewTrade,
    SolPriceChanged,
    TradeConfirmed,
    ViewerCountChanged,
    event_to_json,
)
from pumptui.live.feeds import FEED_NAMES
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.sources import PollingSource
from pumptui.live.store import MarketStore

__all__ = [
    "FEED_NAMES",
    "TIMEFRAMES",
    "CalloutsChanged",
    "CandleSeries",
    "ChatConnection",
    "ChatMessagesChanged",
    "ChatSendOutcome",
    "CoinUpdated",
    "EngineError",
    "Event",
    "EventBus",
    "FeedHealth",
    "FeedHealthChanged",
    "FeedState",
    "LeaderChanged",
    "LiveEngine",
    "MarketClient",
    "MarketStore",
    "NewChatMessage",
    "NewCoin",
    "NewTrade",
    "PollingSource",
    "SendStatus",
    "SolPriceChanged",
    "Subscription",
    "SubscriptionClosed",
    "TradeConfirmed",
    "ViewerCountChanged",
    "candles_from_trades",
    "event_to_json",
]
