"""The one-line status bar on every screen: is what I am looking at live, and why not?

Left: each active feed with a state glyph that reads without colour (● live, ◑ slow, ◔ rate
limited with a countdown, ✖ failing with the reason, ‖ paused); feeds in the same state for the
same reason are named together. Right: a host the server has blocked and for how long ("swap-api
blocked 42s"), routes that moved to their fallback ("↪ candles"), the age of the freshest data,
requests in the last minute, login state, and SIM when the data comes from the embedded
simulator. It re-reads its source once a second (countdowns and ages move with time) and
repaints only when its text changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from pumptui.live.health import FeedHealth, FeedState, stale
from pumptui.tui import format as fmt
from pumptui.tui.glyphs import current

# Each state's glyph (a field of `pumptui.tui.glyphs.Glyphs`) and colour.
STATE_GLYPHS: dict[FeedState, tuple[str, str]] = {
    FeedState.STARTING: ("feed_starting", "dim"),
    FeedState.LIVE: ("feed_live", "green"),
    FeedState.SLOW: ("feed_slow", "yellow"),
    FeedState.STALE: ("feed_stale", "yellow"),
    FeedState.RATE_LIMITED: ("feed_rate_limited", "magenta"),
    FeedState.FAILING: ("feed_failing", "bold red"),
    FeedState.PAUSED: ("feed_paused", "yellow"),
    FeedState.IDLE: ("feed_idle", "dim"),
}


def state_glyph(state: FeedState) -> tuple[str, str]:
    """(glyph, style) of a feed state in the current glyph set."""
    field, style = STATE_GLYPHS.get(state, ("", ""))
    return (getattr(current(), field) if field else "?"), style


# A feed still waiting for its first answer after this many seconds says how long it has waited.
STARTING_NOTE_AFTER = 5.0
# States whose reason is said next to the feed's name.
PROBLEMS = (FeedState.RATE_LIMITED, FeedState.FAILING, FeedState.SLOW, FeedState.STALE)
# Short names for the engine's feeds, in the order the bar lists them.
FEED_LABELS: dict[str, str] = {
    "coins": "coins",
    "leader": "leader",
    "sol-price": "sol",
    "market": "market",
    "trades": "trades",
    "holders": "holders",
    "activity": "activity",
    "callouts": "callouts",
    "creator": "creator",
    "chat": "chat",
    "watchlist": "watchlist",
    # The WebSocket, when push is on: listed last, since polling goes on without it.
    "push": "push",
}


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """Everything the status bar shows, read in one go from the app's services."""

    now: float
    feeds: tuple[FeedHealth, ...] = ()
    freshest_at: float | None = None
    requests_last_minute: int | None = None
    login: str = "read-only"
    sim_mode: bool = False
    paused: bool = False
    # View -> "primary → fallback" for each route the service no longer answers.
    moved_routes: tuple[tuple[str, str], ...] = ()
    # (host label, wall time the block ends) for each host the server blocks (swap-api's 1015).
    blocked_hosts: tuple[tuple[str, float], ...] = ()
    # Rows a moderator has marked for a bulk action (0: none, or not a moderator).
    marked: int = 0


def feed_text(health: FeedHealth, now: float, *, compact: bool = False) -> Text:
    """ "● coins", or with the detail of a feed that needs attention:
    "◔ trades rate limited · retry in 12s" (compact: "◔ trades 12s"), "✖ coins failing 40s:
    timeout" (compact: "✖ coins timeout")."""
    return _feeds_text([health], now, compact=compact)


def _feeds_text(group: list[FeedHealth], now: float, *, compact: bool) -> Text:
    """Feeds in the same state for the same reason, said once: "✖ coins trades: timeout"."""
    health = group[0]
    glyph, style = state_glyph(health.state)
    text = Text(no_wrap=True)
    text.append(glyph, style=style)
    text.append(" " + " ".join(FEED_LABELS.get(h.feed, h.feed) for h in group))
    if health.state in PROBLEMS:
        detail = _compact_problem(health, now) if compact else health.describe(now)
        separator = ":" if len(group) > 1 and health.state is not FeedState.RATE_LIMITED else ""
        text.append(separator + " " + detail, style=style)
    elif health.state is FeedState.STARTING and now - health.since >= STARTING_NOTE_AFTER:
        # A first answer that takes long (a slow or unreachable server): say for how long.
        waited = fmt.age(now - health.since)
        text.append(f" {waited}" if compact else f" connecting {waited}", style=style)
    return text


def _compact_problem(health: FeedHealth, now: float) -> str:
    if health.state is FeedState.RATE_LIMITED:
        return f"{max(0, math.ceil(health.retry_at - now))}s" if health.retry_at else "429"
    if health.state is FeedState.FAILING:
        return health.reason or "failing"
    if health.state is FeedState.STALE and health.last_good_at is not None:
        return f"stale {fmt.age(now - health.last_good_at)}"
    return "slow"


def _right_side(
    info: StatusInfo, *, data_age: bool, requests: bool, routes_in_full: bool = True
) -> Text:
    right = Text(no_wrap=True)
    if info.paused:
        right.append(" PAUSED ", style="bold reverse yellow")
        right.append(" ")
    for host, until in info.blocked_hosts:
        wait = max(0, math.ceil(until - info.now))
        if wait:
            right.append(f"{host} blocked {wait}s", style=STATE_GLYPHS[FeedState.RATE_LIMITED][1])
            right.append(" │ ", style="dim")
    if info.moved_routes:
        if routes_in_full:
            moved = ", ".join(f"{view}: {how}" for view, how in info.moved_routes)
        else:
            moved = ", ".join(view for view, _ in info.moved_routes)
        right.append(f"↪ {moved}", style="yellow")
        right.append(" │ ", style="dim")
    if data_age and info.freshest_at is not None:
        right.append(f"data {fmt.age(info.now - info.freshest_at)}", style="dim")
        right.append(" │ ", style="dim")
    if requests and info.requests_last_minute is not None:
        right.append(f"{info.requests_last_minute} req/min", style="dim")
        right.append(" │ ", style="dim")
    if info.marked:
        right.append(f"{current().marked} {info.marked} marked", style="bold magenta")
        right.append(" │ ", style="dim")
    right.append(info.login)
    if info.sim_mode:
        right.append(" │ ", style="dim")
        right.append("SIM", style="bold reverse cyan")
    return right


def _left_side(
    shown: list[FeedHealth], now: float, *, name_live: bool, compact: bool = False
) -> Text:
    left = Text(no_wrap=True, overflow="ellipsis")
    if not shown:
        left.append("connecting…", style="dim")
        return left
    live = [h for h in shown if h.state is FeedState.LIVE]
    others = [h for h in shown if name_live or h.state is not FeedState.LIVE]
    if compact:
        # Feeds with the same problem are named together; the problem is said once.
        groups: dict[tuple[FeedState, str], list[FeedHealth]] = {}
        for health in others:
            key = (health.state, _compact_problem(health, now))
            groups.setdefault(key, []).append(health)
        parts = [_feeds_text(group, now, compact=True) for group in groups.values()]
    else:
        full: dict[tuple[FeedState, str], list[FeedHealth]] = {}
        for health in others:
            problem = health.state in PROBLEMS
            key = (health.state, health.describe(now) if problem else health.feed)
            full.setdefault(key, []).append(health)
        parts = [_feeds_text(group, now, compact=False) for group in full.values()]
    if live and not name_live:
        glyph, style = state_glyph(FeedState.LIVE)
        parts.insert(0, Text.assemble((glyph, style), f" {len(live)} live"))
    for index, part in enumerate(parts):
        if index:
            left.append("  ")
        left.append_text(part)
    return left


def render_status(info: StatusInfo, width: int) -> Text:
    """The bar's text for a terminal `width` cells wide.

    When everything does not fit, the least useful facts go first: healthy feeds are counted
    instead of named, problems are said in short ("◔ trades 12s"), moved routes are named without
    their routes, then the request rate and the data age are dropped; a feed's problem and its
    countdown are the last things to be cut.
    """
    order = {name: index for index, name in enumerate(FEED_LABELS)}
    shown = sorted(
        (stale(h, info.now) for h in info.feeds if h.state is not FeedState.IDLE),
        key=lambda h: (order.get(h.feed, len(order)), h.feed),
    )
    attempts = [
        (True, True, True, False, True),
        (False, True, True, False, True),
        (False, True, True, True, True),
        (False, True, True, True, False),
        (False, True, False, True, False),
        (False, False, False, True, False),
    ]
    for name_live, data_age, requests, compact, routes_in_full in attempts:
        left = _left_side(shown, info.now, name_live=name_live, compact=compact)
        right = _right_side(
            info, data_age=data_age, requests=requests, routes_in_full=routes_in_full
        )
        if left.cell_len + 1 + right.cell_len <= width:
            break
    room = max(0, width - right.cell_len - 1)
    left.truncate(room, overflow="ellipsis")
    left.pad_right(room - left.cell_len)
    return Text.assemble(left, " ", right, no_wrap=True)


class StatusBar(Widget):
    """Feed health and connection facts, from `source()` (default: the app's services)."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    """

    def __init__(
        self, source: Callable[[], StatusInfo] | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._source = source
        self._text = Text()
        self._info: StatusInfo | None = None

    def on_mount(self) -> None:
        self.update_status()
        self.set_interval(1.0, self.update_status)

    def update_status(self) -> None:
        """Re-read the source; repaint only if what the bar says changed.

        A bar on a screen that is not on top waits: it catches up when its screen comes back.
        """
        if not self.screen.is_current:
            return
        source = self._source or getattr(self.app, "status_info", None)
        if source is None:
            return
        info = source()
        self._info = info
        text = render_status(info, self.size.width or 80)
        if text != self._text:
            self._text = text
            self.refresh()

    def on_resize(self) -> None:
        if self._info is not None:
            self._text = render_status(self._info, self.size.width)
            self.refresh()

    def render(self) -> Text:
        return self._text
