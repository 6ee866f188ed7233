"""Where the engine's knowledge comes from. The rest of the engine cannot tell which one it is.

`PollingSource` builds the polling feeds. A push source (`pumptui.live.push.PushSource`) builds
the same feeds; while its socket is up it delivers the followed coins' trades itself, at once,
and the feeds' REST reads turn into a slower check that confirms them (block time, slot) and
catches any the socket dropped. Either way each trade is delivered once, as a `NewTrade`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pumptui.live.feeds import (
    ActivityFeed,
    CalloutsFeed,
    CoinTradesFeed,
    CreatorFeed,
    Feed,
    FeedContext,
    HoldersFeed,
    LeaderFeed,
    MarketFeed,
    NewCoinsFeed,
    SolPriceFeed,
    WatchlistFeed,
)
from pumptui.live.screener import ScreenerActivityFeed

if TYPE_CHECKING:
    from pumptui.config import Settings
    from pumptui.live.engine import LiveEngine


class PollingSource:
    """Every feed polls the REST API on its own adaptive schedule."""

    name = "poll"

    def __init__(self, *, candles: bool = True) -> None:
        # Backfill candles when a coin is focused (a chart shows them; a headless stream not).
        self.candles = candles

    def build_feeds(self, ctx: FeedContext) -> dict[str, Feed]:
        feeds: list[Feed] = [
            NewCoinsFeed(ctx),
            LeaderFeed(ctx),
            SolPriceFeed(ctx),
            MarketFeed(ctx),
            CoinTradesFeed(ctx, candles=self.candles),
            HoldersFeed(ctx),
            ActivityFeed(ctx),
            CalloutsFeed(ctx),
            WatchlistFeed(ctx),
            ScreenerActivityFeed(ctx),
            CreatorFeed(ctx),
        ]
        return {feed.name: feed for feed in feeds}

    async def start(self, engine: LiveEngine) -> None:
        """Called once the feeds run."""

    async def stop(self) -> None:
        """Called when the engine stops."""

    def subscriptions_changed(self, mints: frozenset[str]) -> None:
        """The coins whose trades the engine follows (focused + watched) changed."""

    def covered_since(self, mint: str) -> float | None:
        """Since when (wall time) every trade of `mint` has been pushed to us; None if not."""
        return None


def source_for(settings: Settings, *, candles: bool) -> PollingSource:
    """The source the settings ask for: polling alone, or polling plus the `[push]` socket.

    Polling stays on under push, so push can only make the engine faster, never less complete.
    """
    push = settings.push
    if not push.enabled:
        return PollingSource(candles=candles)
    from pumptui.live.push import PushSource  # aiohttp only when push is on

    return PushSource.for_api(
        settings.api.frontend_url, push.socket_url, api_key=push.key(), candles=candles
    )
