"""Who holds a coin and how it traded lately: the Coin screen's holders pane (`i`).

Top: market activity per window (5m, 1h, 6h, 24h: USD volume, trades, buys/sells, price change).
Below: the largest holders, each with its share of the supply and its flags (DEV, SNIPER,
BUNDLER, read without colour). The title says how old the holder figures are. Addresses come from
the API, so everything is `Text` (never markup). It draws what fits and repaints only when what
it shows changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.widget import Widget

from pumptui.api.models import TOTAL_SUPPLY_RAW, MarketActivity, TopHolder
from pumptui.live.events import HoldersChanged
from pumptui.tui import format as fmt

WINDOWS = ("5m", "1h", "6h", "24h")
ADDRESS_CELLS = 11

Clock = Callable[[], float]


def holder_flags(holder: TopHolder) -> str:
    flags = [
        name
        for name, on in (
            ("DEV", holder.is_dev),
            ("SNIPER", holder.is_sniper),
            ("BUNDLER", holder.is_bundler),
        )
        if on
    ]
    return " ".join(flags)


def activity_lines(activity: MarketActivity | None, age: str | None = None) -> list[Text]:
    """A header and one line per window the server had: "1h   $4.51k   120  70/50  +3.1%".

    `age` ("40s") says how long ago this activity was read: it is read far less often than
    trades (swap-api's budget), so it can lag the tape."""
    header = "".join(
        ("".ljust(4), "volume".rjust(8), "txs".rjust(6), "buy/sell".rjust(10), "price".rjust(8))
    )
    if age is not None:
        header += f"  {age} ago"
    lines = [Text(header, style="dim", no_wrap=True)]
    if activity is None:
        lines.append(Text("activity …", style="dim"))
        return lines
    for name in WINDOWS:
        window = activity.window(name)
        if window is None:
            continue
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(name.ljust(4), style="dim")
        line.append(fmt.usd(window.volume_usd).rjust(8))
        line.append(str(window.num_txs).rjust(6))
        line.append(f"{window.num_buys}/{window.num_sells}".rjust(10))
        change = window.price_change_percent
        if change is None:
            line.append("—".rjust(8), style="dim")
        else:
            style = fmt.UP_STYLE if change >= 0 else fmt.DOWN_STYLE
            line.append(f"{change:+.1f}%".rjust(8), style=style)
        lines.append(line)
    if len(lines) == 1:
        lines.append(Text("no trades in these windows", style="dim"))
    return lines


def holder_lines(read: HoldersChanged | None, supply_tokens: float) -> list[Text]:
    """One line per top holder: " 1 7xKX…9pQe  41.2M  4.1% DEV"."""
    if read is None:
        return [Text("holders …", style="dim")]
    if not read.top:
        return [Text("no holder list", style="dim")]
    lines = []
    for rank, holder in enumerate(read.top, start=1):
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{rank:>2} ", style="dim")
        line.append(fmt.short_address(holder.address).ljust(ADDRESS_CELLS))
        line.append(fmt.compact(holder.tokens).rjust(6))
        share = holder.tokens / supply_tokens * 100 if supply_tokens > 0 else None
        line.append(fmt.holder_percent(share).rjust(6))
        flags = holder_flags(holder)
        if flags:
            line.append(" ")
            line.append(flags, style="bold yellow")
        lines.append(line)
    return lines


class HoldersPanel(Widget):
    """Market activity and the top holders of one coin; fed by `show()`."""

    DEFAULT_CSS = """
    HoldersPanel {
        height: 1fr;
        overflow: hidden;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-align: left;
    }
    """

    def __init__(self, *, clock: Clock = time.time, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.holders: HoldersChanged | None = None
        self.activity: MarketActivity | None = None
        self.supply_tokens = TOTAL_SUPPLY_RAW / 1e6
        self._shown: object = None
        # When the activity shown was read.
        self._activity_at: float | None = None

    def show(
        self,
        holders: HoldersChanged | None,
        activity: MarketActivity | None,
        supply_tokens: float | None = None,
        activity_read_at: float | None = None,
    ) -> None:
        self._activity_at = activity_read_at if activity is not None else None
        self.holders, self.activity = holders, activity
        if supply_tokens:
            self.supply_tokens = supply_tokens
        self.refresh_ages()
        key = (holders, activity, self.supply_tokens, self._activity_at)
        if key != self._shown:
            self._shown = key
            self.refresh()

    def refresh_ages(self) -> None:
        """The title: "Holders 812 · 40s ago" (the age moves with the clock)."""
        read = self.holders
        if read is None:
            title = "Holders"
        else:
            total = read.stats.total_holders
            title = f"Holders {total:,}" if total is not None else "Holders"
            if read.read_at:
                title += f" · {fmt.age(self.clock() - read.read_at)} ago"
        if title != self.border_title:
            self.border_title = title
        if self._activity_at is not None:
            self.refresh()  # the activity's age moves too

    def render(self) -> Text:
        since = self._activity_at
        lines = activity_lines(
            self.activity, fmt.age(self.clock() - since) if since is not None else None
        )
        lines.append(Text(""))
        header = f" # {'holder'.ljust(ADDRESS_CELLS)}{'tokens'.rjust(6)}{'share'.rjust(6)}"
        lines.append(Text(header, style="dim", no_wrap=True))
        lines.extend(holder_lines(self.holders, self.supply_tokens))
        height = max(1, self.size.height)
        return Text("\n", no_wrap=True).join(lines[:height])
