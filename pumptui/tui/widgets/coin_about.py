"""The Coin screen's about block: who launched the coin, and what the coin says it is.

Two things a trader reads before the chart. The creator line: the creator (username or short
address), how many other coins that wallet launched, how many of those graduated, how long ago
the newest of them launched, and how old these figures are (they come from `/coins?creator=`
through the engine's creator feed, read once per coin). Then the coin's description, as its
creator wrote it: sanitised at the API boundary and drawn as plain `Text`, never markup; wrapped
up to `EXPANDED_LINES` lines, or on one line. On a terminal shorter than `EXPAND_FROM_HEIGHT`
rows it starts on one line, so the chart keeps its rows; a key toggles it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from pumptui.api.models import Coin
from pumptui.live.events import CreatorCoinsChanged
from pumptui.tui import format as fmt
from pumptui.tui.widgets.repaint import update_text
from pumptui.words import plural

# The description's lines when expanded (a longer one ends with an ellipsis): fewer on a short
# terminal, so that the chart keeps its rows at 80x24.
EXPANDED_LINES = 6
SHORT_EXPANDED_LINES = 3
# Terminals at least this tall show the description expanded from the start.
EXPAND_FROM_HEIGHT = 40
NAME_CELLS = 20

Clock = Callable[[], float]
# Only measures text (wrapping); never prints.
_MEASURE = Console(width=1000, color_system=None, legacy_windows=False)


@dataclass(frozen=True, slots=True)
class CreatorRecord:
    """What a creator's coins say of them, seen from one of their coins: the others (how many,
    how many graduated, when the newest launched), and whether the page read was full (`more`:
    they launched at least that many)."""

    other_coins: int
    graduated: int
    last_launch_at: float | None
    more: bool = False

    @classmethod
    def of(cls, read: CreatorCoinsChanged, mint: str) -> CreatorRecord:
        others = [c for c in read.coins if c.mint != mint]
        launches = [c.created_at for c in others if c.created_at is not None]
        return cls(
            other_coins=len(others),
            graduated=sum(1 for c in others if c.complete),
            last_launch_at=max(launches, default=None),
            more=read.more,
        )


def creator_name(coin: Coin) -> str:
    return coin.creator_username or fmt.short_address(coin.creator) or "unknown"


def creator_line(coin: Coin, read: CreatorCoinsChanged | None, now: float, width: int) -> Text:
    """ "creator alice · 12 other coins · 3 graduated · last launch 2h ago · 20s ago": the last
    figure says how old the others are. Shortened ("12 other · 3 grad · last 2h") when `width`
    cells cannot hold it."""
    name = Text(creator_name(coin), style="bold", no_wrap=True, end="")
    name.truncate(NAME_CELLS, overflow="ellipsis")

    def build(short: bool) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append("creator ", style="dim")
        line.append_text(name)
        if coin.creator is None:
            return line
        line.append(" · ", style="dim")
        if read is None:
            line.append("their other coins …", style="dim")
            return line
        record = CreatorRecord.of(read, coin.mint)
        if record.other_coins == 0:
            line.append("no other coins" if not short else "no others")
        else:
            if short:
                line.append(f"{record.other_coins}{'+' if record.more else ''} other")
            elif record.more:  # a full page: at least this many
                line.append(f"{record.other_coins}+ other coins")
            else:
                line.append(plural(record.other_coins, "other coin"))
            line.append(" · ", style="dim")
            line.append(f"{record.graduated} grad" if short else f"{record.graduated} graduated")
            if record.last_launch_at is not None:
                ago = fmt.age(max(0.0, now - record.last_launch_at))
                line.append(" · ", style="dim")
                line.append("last " if short else "last launch ", style="dim")
                line.append(ago if short else f"{ago} ago")
        if read.read_at:
            line.append(f" · {fmt.age(max(0.0, now - read.read_at))} ago", style="dim")
        return line

    line = build(False)
    if line.cell_len > width:
        line = build(True)
    line.truncate(max(1, width), overflow="ellipsis")
    return line


def description_text(
    description: str, expanded: bool, *, width: int = 80, max_lines: int = EXPANDED_LINES
) -> Text:
    """The description on one line (its line breaks become spaces), or as written, wrapped to
    `width` cells and cut after `max_lines` with an ellipsis; "no description" when there is
    none."""
    text = description.strip()
    if not text:
        return Text("no description", style="dim italic", no_wrap=True, end="")
    if not expanded:
        return Text(" ".join(text.split()), no_wrap=True, overflow="ellipsis", end="")
    lines = Text(text, overflow="fold", end="").wrap(_MEASURE, max(1, width))
    shown = list(lines)[: max(1, max_lines)]
    for line in shown:
        line.rstrip()
    if len(lines) > len(shown):
        last = shown[-1]
        if last.cell_len >= width:
            last.truncate(max(1, width - 1))
        last.append("…")
    result = Text("\n", end="").join(shown)
    result.no_wrap = True
    return result


class CoinAbout(Vertical):
    """The creator line and the description of one coin; fed by `show()`."""

    DEFAULT_CSS = """
    CoinAbout {
        height: auto;
        padding: 0 1;
        #about-creator { height: 1; }
        #about-description { height: 1; color: $text-muted; }
        &.-expanded #about-description { height: auto; }
    }
    """

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        expanded: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        # None: decided from the terminal's height when mounted.
        self._expanded = expanded
        self.coin: Coin | None = None
        self.creator_coins: CreatorCoinsChanged | None = None
        self._shown: tuple[Text, Text] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="about-creator")
        yield Static(id="about-description")

    def on_mount(self) -> None:
        if self._expanded is None:
            self._expanded = self.app.size.height >= EXPAND_FROM_HEIGHT
        self.set_class(self._expanded, "-expanded")
        self._update()

    @property
    def expanded(self) -> bool:
        return bool(self._expanded)

    def toggle(self) -> None:
        """Whole description or one line."""
        self._expanded = not self.expanded
        self.set_class(self._expanded, "-expanded")
        self._update()

    def show(self, coin: Coin | None, creator_coins: CreatorCoinsChanged | None) -> None:
        """Show this coin and what its creator's coins say; repaints only what changed."""
        self.coin, self.creator_coins = coin, creator_coins
        self._update()

    def refresh_ages(self) -> None:
        self._update()

    def on_resize(self) -> None:
        self._shown = None
        self._update()

    def _update(self) -> None:
        if not self.is_mounted:
            return
        coin = self.coin
        if coin is None:
            shown = (Text("creator …", style="dim"), Text(""))
        else:
            width = self.content_region.width or self.app.size.width - 2
            tall = self.app.size.height >= EXPAND_FROM_HEIGHT
            shown = (
                creator_line(coin, self.creator_coins, self.clock(), width),
                description_text(
                    coin.description,
                    self.expanded,
                    width=width,
                    max_lines=EXPANDED_LINES if tall else SHORT_EXPANDED_LINES,
                ),
            )
        if shown == self._shown:
            return
        self._shown = shown
        update_text(self.query_one("#about-creator", Static), shown[0])
        update_text(self.query_one("#about-description", Static), shown[1])

    @property
    def creator_text(self) -> str:
        """The creator line as shown (for tests and screen readers)."""
        return self._shown[0].plain if self._shown else ""

    @property
    def description_shown(self) -> str:
        return self._shown[1].plain if self._shown else ""
