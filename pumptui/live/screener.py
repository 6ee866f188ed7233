"""The screener's market activity: 5 m / 1 h volume and price change of the coins listed on Home
and Watchlist, read in batches of 50 from swap-api.

swap-api has one small budget for everything (15 requests a minute by default), and one request
of `POST /v1/coins/market-activity/batch` buys the figures of 50 coins. So each poll is one
request: the rows on screen that are due come first, in the order they are shown, and the
batch is filled with the other listed rows whose figures are oldest (never read first). A row
read within the feed's shortest interval is not asked again, so a screen that does not move
costs one request a round and a hundred listed coins are all covered within a few rounds.
Every answer is published as `ActivityChanged` with the time it was read, which the screens
show as the figures' age. The screens say which rows they show (`set_rows`); this module never
looks at a widget.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from pumptui.api.budget import Priority
from pumptui.api.models import ActivityWindow, MarketActivity
from pumptui.api.routes import ACTIVITY_BATCH_LIMIT, Host
from pumptui.live.events import ActivityChanged
from pumptui.live.feeds import Feed, FeedContext, PollOutcome

SCREENER_FEED = "screener"
# The windows the screener shows and filters by (`change 6h` and `vol 24h` are the coin
# screen's; the batch route answers only what it is asked for).
SCREENER_WINDOWS = ("5m", "1h")
# Mints whose last read is remembered: more than any screen lists.
MAX_REMEMBERED = 2000


class ScreenerActivityFeed(Feed):
    """Market activity of the coins in the screener's rows, one batch of <= 50 a poll."""

    name = SCREENER_FEED
    host = Host.SWAP
    priority = Priority.BACKGROUND
    weight = 1.0

    def __init__(self, ctx: FeedContext, *, wall: Callable[[], float] = time.time) -> None:
        super().__init__(ctx, ctx.settings.market_min, ctx.settings.market_max)
        self.wall = wall
        # The rows on screen (display order), and every row the screen lists (filtered, sorted).
        self.visible: tuple[str, ...] = ()
        self.listed: tuple[str, ...] = ()
        # When each mint was last asked for (monotonic seconds), oldest first.
        self._asked_at: OrderedDict[str, float] = OrderedDict()

    def set_rows(self, visible: Sequence[str], listed: Sequence[str] = ()) -> bool:
        """The rows the screen shows now and all it lists; True when a row on screen has never
        been read (the caller then asks for a poll soon)."""
        self.visible = tuple(dict.fromkeys(visible))
        on_screen = set(self.visible)
        self.listed = tuple(m for m in dict.fromkeys(listed) if m not in on_screen)
        return any(m not in self._asked_at for m in self.visible)

    def wanted(self) -> bool:
        return bool(self.visible or self.listed)

    def next_batch(self) -> list[str]:
        """The mints the next poll asks for: the due rows on screen in their order, then the
        listed rows read longest ago (never read first), at most `ACTIVITY_BATCH_LIMIT`."""
        now = self.ctx.monotonic()
        fresh_for = self.interval.low

        def last(mint: str) -> float:
            return self._asked_at.get(mint, float("-inf"))

        due = [m for m in self.visible if now - last(m) >= fresh_for]
        if len(due) >= ACTIVITY_BATCH_LIMIT:
            return due[:ACTIVITY_BATCH_LIMIT]
        rest = sorted(
            (m for m in self.listed if now - last(m) >= fresh_for),
            key=last,
        )
        return [*due, *rest][:ACTIVITY_BATCH_LIMIT]

    async def poll(self) -> PollOutcome:
        batch = self.next_batch()
        if not batch:
            return PollOutcome(unchanged=True)
        ctx = self.ctx
        answer = await ctx.client.market_activity_batch(
            batch, intervals=SCREENER_WINDOWS, priority=self.priority
        )
        now, read_at = ctx.monotonic(), self.wall()
        changed = 0
        for mint in batch:
            activity = with_quiet_windows(answer.get(mint) or MarketActivity(mint))
            changed += ctx.store.market_activity(mint) != activity
            ctx.emit(ActivityChanged(mint, activity, read_at=read_at))  # always: its age shows
            self._asked_at[mint] = now
            self._asked_at.move_to_end(mint)
        while len(self._asked_at) > MAX_REMEMBERED:
            self._asked_at.popitem(last=False)
        unread = any(m not in self._asked_at for m in (*self.visible, *self.listed))
        return PollOutcome(news=changed, unchanged=not changed, requests=1, more=unread)


def with_quiet_windows(activity: MarketActivity) -> MarketActivity:
    """The batch route sends null for a window without trades: that is no volume and no
    trades (a filter `vol 5m < 1k` keeps such a coin), and no price change known."""
    missing = [w for w in SCREENER_WINDOWS if activity.window(w) is None]
    if not missing:
        return activity
    windows = dict(activity.windows)
    windows.update((w, ActivityWindow(price_change_percent=None)) for w in missing)
    return MarketActivity(activity.mint, windows)
