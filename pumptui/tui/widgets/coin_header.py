"""The coin's header: who, what, how far and who holds it, in three lines that fit 80 columns.

Facts are laid out as fields in a fixed order; when the terminal is too narrow for all of them,
the least important fields are left out rather than wrapped or cut mid-number. Everything that
comes from the API (name, symbol, creator, links, addresses) is `Text`, never markup, and is
truncated by cell width.

Money: the market cap is shown in SOL and in USD (SOL × the current SOL price, the same price for
every coin on screen; the coin's own USD field when either is missing). A coin quoted in another
currency (USDC) is shown in USD only: its "SOL" figures are not SOL. The all-time high is USD, as
the API gives it. A graduated coin trades on PumpSwap, not on the curve, and says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from pumptui.api.models import Coin, MarketActivity
from pumptui.live.events import HoldersChanged
from pumptui.live.store import CreatorTally
from pumptui.tui import format as fmt
from pumptui.tui.format import age, coin_caps, compact, holder_percent, short_address, usd
from pumptui.tui.glyphs import current
from pumptui.tui.widgets.repaint import repaint_lines, text_look

USDC_MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
NAME_CELLS = 32
BAR_CELLS = 10

Clock = Callable[[], float]

# Where a coin trades, by the `program` of its trades (pumpfun-api-2026.md §3.2).
VENUES: dict[str, str] = {
    "pump": "the curve",
    "pump_amm": "PumpSwap",
    "pump-amm": "PumpSwap",  # PumpPortal's spelling
    "raydium_cpmm": "Raydium CPMM",
    "raydium_launchpad": "Raydium LaunchLab",
}


def venue_name(program: str) -> str:
    """ "PumpSwap" for `pump_amm`; an unknown program by its own (sanitised) name."""
    return VENUES.get(program, program)


def progress_bar(fraction: float, width: int = BAR_CELLS) -> str:
    """A bar `width` cells wide filled to `fraction` in eighths of a cell (no colour needed)."""
    fraction = max(0.0, min(1.0, fraction if math.isfinite(fraction) else 0.0))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    glyphs = current()
    bar = glyphs.full * full + (glyphs.eighths[part] if part and full < width else "")
    return bar.ljust(width, "·")


def social_label(url: str) -> str | None:
    """A short label for a social link ("x.com/handle", "t.me/group", "site.xyz"); None if unsafe.

    Only http(s) links are shown; anything else (javascript:, file:, junk) is dropped.
    """
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.removeprefix("www.")
    path = parts.path.strip("/")
    label = f"{host}/{path}" if path else host
    return label if len(label) <= 28 else label[:27] + "…"


@dataclass(slots=True)
class _Field:
    """One fact of the header. When a line is too long, the step with the highest rank goes
    first: either leaving a field out (`drop_rank`) or using its shorter form (`compact_rank`)."""

    text: Text
    drop_rank: int  # negative: never left out
    compact: Text | None = None
    compact_rank: int = 0


class CoinHeader(Widget):
    """Name, symbol, marks, market cap, progress, ATH, age; mint, creator and their follows, pool,
    socials; holders (count, top 10, dev, snipers, bundlers, age) and recent activity."""

    COMPONENT_CLASSES = {
        "coin-header--name",
        "coin-header--symbol",
        "coin-header--label",
        "coin-header--value",
        "coin-header--leader",
        "coin-header--stale",
        "coin-header--graduated",
        "coin-header--watched",
        "coin-header--liked",
        "coin-header--followed",
        "coin-header--progress",
        "coin-header--link",
        "coin-header--delisted",
        "coin-header--dev-sold",
    }

    DEFAULT_CSS = """
    CoinHeader {
        height: 3;
        padding: 0 1;
        background: $boost;
        & > .coin-header--name { text-style: bold; color: $text; }
        & > .coin-header--symbol { color: $accent; text-style: bold; }
        & > .coin-header--label { color: $text-muted; }
        & > .coin-header--value { color: $text; }
        & > .coin-header--leader { color: $warning; text-style: bold; }
        & > .coin-header--stale { color: $warning; text-style: bold; }
        & > .coin-header--graduated { color: $success; text-style: bold; }
        & > .coin-header--watched { color: $warning; }
        & > .coin-header--liked { color: $error; text-style: bold; }
        & > .coin-header--followed { color: $success; text-style: bold; }
        & > .coin-header--progress { color: $success; }
        & > .coin-header--link { color: $text-muted; text-style: underline; }
        & > .coin-header--delisted { color: $error; text-style: bold; }
        & > .coin-header--dev-sold { color: $error; text-style: bold; }
    }
    """

    def __init__(
        self,
        mint: str,
        *,
        clock: Clock = time.time,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.mint = mint
        self.missing = False
        self.delisted = False
        self.clock = clock
        self.coin: Coin | None = None
        self.is_leader = False
        self.watched = False
        self.liked = False
        self.creator_followed = False
        # The creator's (followers, following) on the service, once looked up.
        self.creator_counts: tuple[int | None, int | None] | None = None
        self.sol_price: float | None = None
        self.sol_stale = False
        self.holders: HoldersChanged | None = None
        self.activity: MarketActivity | None = None
        # The program of the coin's newest trade: where it trades now (None: no trade seen).
        self.venue: str | None = None
        self.dev_sold: CreatorTally | None = None
        self._text: Text | None = None

    def show_coin(
        self,
        coin: Coin | None,
        *,
        is_leader: bool = False,
        watched: bool = False,
        sol_price: float | None = None,
        sol_stale: bool = False,
        holders: HoldersChanged | None = None,
        activity: MarketActivity | None = None,
        missing: bool = False,
        liked: bool = False,
        creator_followed: bool = False,
        creator_counts: tuple[int | None, int | None] | None = None,
        delisted: bool = False,
    ) -> None:
        """Show this state of the coin; repaints only if the header's text changed. `missing`:
        the service has no such coin (shown instead of "Loading…" for ever). `liked` and
        `creator_followed` are the user's own marks; `creator_counts` the creator's followers
        and following; `delisted`: the service no longer lists the coin (hidden or banned)."""
        self.missing, self.delisted = missing, delisted
        self.liked, self.creator_followed = liked, creator_followed
        self.creator_counts = creator_counts
        self.coin, self.is_leader, self.watched = coin, is_leader, watched
        self.sol_price, self.sol_stale = sol_price, sol_stale
        self.holders, self.activity = holders, activity
        self._update()

    def show_venue(self, program: str | None) -> None:
        """The program of the coin's newest trade (`pump_amm`...): once it is off the curve, the
        header says where it trades, even before the coin's record says it graduated. Drawn
        at the next `show_coin`."""
        self.venue = program

    def show_dev_sold(self, tally: CreatorTally | None) -> None:
        """What the creator bought and sold of the coin (the store's tally): a badge once they
        sold."""
        if tally != self.dev_sold:
            self.dev_sold = tally
            self._update()

    def refresh_ages(self) -> None:
        self._update()

    def on_resize(self) -> None:
        self._text = None
        self._update()

    def _update(self) -> None:
        if not self.is_mounted:
            return
        text = self.header_text(self.content_region.width or self.size.width)
        before = self._text
        if before is None or text_look(text) != text_look(before):
            self._text = text
            # Under a flood the figures change every frame, the mint and creator line hardly.
            repaint_lines(
                self,
                None if before is None else list(before.split("\n", allow_blank=True)),
                list(text.split("\n", allow_blank=True)),
            )

    def render(self) -> Text:
        return self._text or Text("")

    # -- layout ----------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"coin-header--{name}", partial=True)

    def _labelled(self, label: str, value: str | Text) -> Text:
        text = Text(f"{label} ", self._style("label"), end="")
        text.append_text(value if isinstance(value, Text) else Text(value, self._style("value")))
        return text

    def header_text(self, width: int) -> Text:
        """The three lines for `width` cells (public for tests)."""
        coin = self.coin
        if coin is None:
            if self.missing:
                line = Text(f"Coin not found: {self.mint}", "bold", no_wrap=True, end="")
                hint = Text(
                    "pump.fun has no coin with this mint · esc goes back",
                    "dim",
                    no_wrap=True,
                    end="",
                )
                return Text("\n", end="").join([line, hint, Text("")])
            line = Text(f"Loading {self.mint}…", self._style("label"), no_wrap=True, end="")
            return Text("\n", end="").join([line, Text(""), Text("")])
        first = self._fit(self._first_line(coin), width)
        second = self._fit(self._second_line(coin), width)
        third = self._fit(self._holders_line(coin), width, gap=" · ")
        return Text("\n", no_wrap=True, overflow="ellipsis", end="").join([first, second, third])

    def _title(self, coin: Coin, name_cells: int, compact: bool) -> Text:
        title = Text(no_wrap=True, end="")
        glyphs = current()
        if self.watched:
            title.append(f"{glyphs.watched} ", self._style("watched"))
        if self.liked:
            title.append(f"{glyphs.liked} ", self._style("liked"))
        if self.is_leader:
            leader = glyphs.leader
            title.append(leader if compact else f"{leader} leader", self._style("leader"))
            title.append(" ")
        if coin.complete:
            done = glyphs.graduated
            title.append(done if compact else f"{done} graduated", self._style("graduated"))
            title.append(" ")
        name = Text(coin.name or "(no name)", self._style("name"), no_wrap=True, end="")
        name.truncate(name_cells, overflow="ellipsis")
        title.append_text(name)
        if coin.symbol:
            symbol = Text(coin.symbol, self._style("symbol"), no_wrap=True, end="")
            symbol.truncate(max(4, name_cells // 2), overflow="ellipsis")
            title.append(" ")
            title.append_text(symbol)
        return title

    def _first_line(self, coin: Coin) -> list[_Field]:
        fields = [
            _Field(
                self._title(coin, NAME_CELLS, False),
                -1,
                self._title(coin, NAME_CELLS // 2, True),
                4,
            )
        ]
        if self.delisted:
            mark = current().delisted
            fields.append(
                _Field(
                    Text(f"{mark} no longer listed (hidden or banned)", self._style("delisted")),
                    -1,
                    Text(f"{mark} delisted", self._style("delisted")),
                    10,
                )
            )
        if self.dev_sold is not None and self.dev_sold.sells:
            fields.append(self._dev_sold_field(self.dev_sold))
        fields.append(self._cap_field(coin))
        off_curve = self.venue is not None and self.venue != "pump"
        if coin.complete or off_curve:
            venue = venue_name(self.venue) if off_curve and self.venue else "PumpSwap"
            fields.append(_Field(Text(f"on {venue}", self._style("graduated"), end=""), 3))
        else:
            fields.append(
                _Field(self._progress(coin, BAR_CELLS), 3, self._progress(coin, BAR_CELLS // 2), 8)
            )
        if coin.ath_market_cap_usd:
            # The coin's ATH field lags its market cap: a cap above it is a new high, now.
            _, in_usd = coin_caps(coin, self.sol_price)
            at_high = in_usd is not None and in_usd >= coin.ath_market_cap_usd
            ath = "now" if at_high else usd(coin.ath_market_cap_usd)
            fields.append(_Field(self._labelled("ATH", ath), 7))
        if coin.created_at:
            fields.append(_Field(self._labelled("age", age(self.clock() - coin.created_at)), 9))
        return fields

    def _dev_sold_field(self, tally: CreatorTally) -> _Field:
        """ "dev sold 42% of their buy" (short: "dev sold 42%"): the creator is selling."""
        fraction = tally.sold_fraction
        style = self._style("dev-sold")
        if fraction is None:
            full = Text("dev sold (their buy not seen)", style, end="")
            short = Text("dev sold", style, end="")
        else:
            share = "<1%" if 0 < fraction < 0.005 else f"{fraction * 100:.0f}%"
            full = Text(f"dev sold {share} of their buy", style, end="")
            short = Text(f"dev sold {share}", style, end="")
        return _Field(full, 5, short, 10)

    def _cap_field(self, coin: Coin) -> _Field:
        """ "mcap 111.8 SOL $20.9k", "mcap $27k USDC-quoted"; a stale SOL price is marked
        where it is used."""
        in_sol, in_usd = coin_caps(coin, self.sol_price)
        value = Text(end="")
        if in_sol is not None:
            value.append(f"{compact(in_sol)} SOL", self._style("value"))
        short = value.copy()
        derived = in_sol is not None and bool(self.sol_price)
        if in_usd is not None:
            if in_sol is not None:
                value.append(f" {usd(in_usd)}", self._style("label"))
            else:
                value.append(usd(in_usd), self._style("value"))
                short = value.copy()
            if derived and self.sol_stale:
                value.append(" (SOL price stale)", self._style("stale"))
        elif in_sol is None:
            value.append("—", self._style("value"))
            short = value.copy()
        if not coin.is_sol_quoted:
            quote = "USDC" if coin.quote_mint == USDC_MINT else short_address(coin.quote_mint)
            tail = Text(f" {quote}-quoted", self._style("label"), end="")
            value.append_text(tail)
        return _Field(self._labelled("mcap", value), 2, self._labelled("mcap", short), 6)

    def _progress(self, coin: Coin, cells: int) -> Text:
        text = Text(progress_bar(coin.progress, cells), self._style("progress"), end="")
        text.append(f" {coin.progress * 100:.1f}%", self._style("value"))
        return text

    def _second_line(self, coin: Coin) -> list[_Field]:
        fields = [
            _Field(
                self._labelled("mint", coin.mint),
                -1,
                self._labelled("mint", short_address(coin.mint)),
                9,
            )
        ]
        if coin.creator or coin.creator_username:
            creator = Text(
                coin.creator_username or short_address(coin.creator) or "?",
                self._style("value"),
                no_wrap=True,
                end="",
            )
            creator.truncate(20, overflow="ellipsis")
            if self.creator_followed:
                creator.append(f" {current().followed} following", self._style("followed"))
            fields.append(_Field(self._labelled("by", creator), 5))
            if self.creator_counts is not None:
                followers, following = self.creator_counts
                counts = Text(end="")
                if followers is not None:
                    counts.append(compact(followers), self._style("value"))
                    counts.append(
                        " follower" if followers == 1 else " followers", self._style("label")
                    )
                if following is not None:
                    counts.append(" · " if followers is not None else "", self._style("label"))
                    counts.append(compact(following), self._style("value"))
                    counts.append(" following", self._style("label"))
                if counts.cell_len:
                    fields.append(_Field(counts, 7))
        if coin.complete and coin.pool:
            fields.append(_Field(self._labelled("pool", short_address(coin.pool)), 4))
        for rank, url in zip((6, 7, 8), (coin.twitter, coin.telegram, coin.website), strict=True):
            label = social_label(url) if url else None
            if label:
                link = self._style("link") + Style(link=_safe_link(url or ""))
                fields.append(_Field(Text(label, link, end=""), rank))
        return fields

    def _holders_line(self, coin: Coin) -> list[_Field]:
        """ "holders 812 · top10 31% · dev 4.2% · snipers 6% · bundlers 2% · 40s ago  1h $4.5k
        120 tx +3.1%": who holds the coin (with how old the figures are), then its last hour."""
        fields: list[_Field] = []
        read = self.holders
        if read is None:
            fields.append(_Field(Text("holders …", self._style("label"), end=""), -1))
        else:
            stats = read.stats
            total = stats.total_holders
            count = f"{total:,}" if total is not None else "—"
            fields.append(_Field(self._labelled("holders", count), -1))
            for label, value, rank in (
                ("top10", stats.top10_percent, 3),
                ("dev", stats.dev_percent, 4),
                ("snipers", stats.snipers_percent, 5),
                ("bundlers", stats.bundlers_percent, 6),
            ):
                fields.append(_Field(self._labelled(label, holder_percent(value)), rank))
            if read.read_at:
                ago = age(self.clock() - read.read_at)
                fields.append(_Field(Text(f"{ago} ago", self._style("label"), end=""), 2))
        activity = self.activity
        for name, rank in (("1h", 7), ("24h", 8)):
            window = activity.window(name) if activity is not None else None
            if window is None:
                continue
            text = Text(f"{name} ", self._style("label"), end="")
            text.append(f"{usd(window.volume_usd)} {window.num_txs} tx", self._style("value"))
            change = window.price_change_percent
            if change is not None:
                style = fmt.UP_STYLE if change >= 0 else fmt.DOWN_STYLE
                text.append(f" {change:+.1f}%", style)
            fields.append(_Field(text, rank))
        return fields

    @staticmethod
    def _fit(fields: list[_Field], width: int, gap: str = "  ") -> Text:
        """Join fields left to right, shortening or leaving out the least important until the
        line fits; whatever still overflows is cut with an ellipsis."""
        kept = [_Field(f.text, f.drop_rank, f.compact, f.compact_rank) for f in fields]

        def total() -> int:
            return sum(f.text.cell_len for f in kept) + len(gap) * (len(kept) - 1)

        while total() > width:
            steps = [(f.compact_rank, True, f) for f in kept if f.compact is not None]
            steps += [(f.drop_rank, False, f) for f in kept if f.drop_rank >= 0]
            if not steps:
                break
            _rank, shorten, field = max(steps, key=lambda step: step[0])
            if shorten:
                field.text, field.compact = field.compact or field.text, None
            else:
                kept.remove(field)
        line = Text(gap, end="").join(f.text for f in kept)
        line.no_wrap = True
        line.truncate(max(1, width), overflow="ellipsis")
        return line


def _safe_link(url: str) -> str:
    text = url.strip()
    return text if "://" in text else "https://" + text
