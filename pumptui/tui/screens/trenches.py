"""Trenches: new, graduating and graduated coins in three live columns, as pump.fun shows them.

The columns come from the indexer's trenches boards, which the engine keeps over one keyless
socket each (a snapshot, then about one delta a second; read over HTTP while a socket is down):
no REST budget is spent on them. `new` and `graduating` are live from start-up (Home uses their
holder figures); `graduated` is opened while this screen is open (`show_boards`) and closed
when it is closed. Each column's title says how fresh its board is and how it came: by socket,
or over HTTP while the socket is down.

Each coin shows once, in the column of its furthest stage (`board_stages`). A coin that crosses
into another column is marked there for a few seconds (▲ up a stage, ▼ back down, on a tinted
row); a fall back is believed only once it has lasted a few seconds, since the boards arrive
over separate sockets and may disagree for a moment.

The cursor is pinned to its coin: rows moving around it do not move it to another coin, and
when its coin moves to another column the cursor goes with it (the column in focus, or on a
narrow terminal the column shown, changes). Following the coin keeps the promise that Enter
opens the coin the user chose; a trader who put the cursor on a coin about to graduate wants
to watch it graduate, and the tinted row says why the view moved.

From 110 columns all three are side by side (each row on two lines); narrower, one column at a
time, switched with ←/→ or 1/2/3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from pumptui.live.health import FeedState
from pumptui.live.store import BoardRead
from pumptui.tui import format as fmt
from pumptui.tui.glyphs import current
from pumptui.tui.keys import BACK_BINDINGS, COIN_LIST_BINDINGS
from pumptui.tui.messages import StoreUpdated, WatchlistChanged
from pumptui.tui.screens.base import CursorCoinActions
from pumptui.tui.services import AppServices
from pumptui.tui.widgets.board_column import BoardColumn, BoardRowContext, label_lines
from pumptui.tui.widgets.board_stages import STAGE_TITLES, STAGES, StageMoves, stage_columns
from pumptui.tui.widgets.key_footer import KeyFooter
from pumptui.tui.widgets.repaint import update_text
from pumptui.tui.widgets.status_bar import StatusBar

# Feeds polled while this screen is on top: the boards are sockets, so only the SOL price.
TRENCHES_FEEDS: tuple[str, ...] = ("sol-price",)
# A board by socket with nothing new for this long is shown as quiet (deltas come each second
# while anything on it changes).
QUIET_AFTER = 30.0

# The coin-list keys that act on the coin under the cursor here too (same ids, same keys).
_COIN_KEYS = ("coins.watch", "coins.copy-mint", "coins.open-browser")

TRENCHES_BINDINGS: list[Binding] = [
    Binding(
        "right",
        "next_board(1)",
        "Column",
        key_display="→",
        id="trenches.next",
        tooltip="The next column (new, graduating, graduated)",
    ),
    Binding(
        "left",
        "next_board(-1)",
        "Previous column",
        key_display="←",
        id="trenches.previous",
        show=False,
        tooltip="The previous column",
    ),
    Binding("1", "board('new')", "New", id="trenches.new", show=False, tooltip="New coins"),
    Binding(
        "2",
        "board('graduating')",
        "Graduating",
        id="trenches.graduating",
        show=False,
        tooltip="Coins in the final stretch of the bonding curve",
    ),
    Binding(
        "3",
        "board('graduated')",
        "Graduated",
        id="trenches.graduated",
        show=False,
        tooltip="Coins that completed their curve lately",
    ),
]


class TrenchesScreen(CursorCoinActions):
    """Three live columns of coins by stage; one at a time on a narrow terminal."""

    TITLE = "Trenches"
    BINDINGS: ClassVar[list[BindingType]] = [
        *BACK_BINDINGS,
        *TRENCHES_BINDINGS,
        *(b for b in COIN_LIST_BINDINGS if b.id in _COIN_KEYS),
    ]
    DEFAULT_CSS = """
    TrenchesScreen #trenches-body { height: 1fr; }
    TrenchesScreen .board-box { width: 1fr; height: 1fr; }
    TrenchesScreen.-wide .board-box { border-left: vkey $panel-lighten-2; }
    TrenchesScreen.-wide .board-box.-first { border-left: none; }
    TrenchesScreen .board-title { height: 1; padding: 0 1; }
    TrenchesScreen .board-labels { height: auto; padding: 0 0 0 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.stage = STAGES[0]
        self.moves = StageMoves()

    @property
    def services(self) -> AppServices:
        return self.app.services

    def column(self, stage: str) -> BoardColumn:
        return self.query_one(f"#board-{stage}", BoardColumn)

    @property
    def focused_column(self) -> BoardColumn:
        return self.column(self.stage)

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        with Horizontal(id="trenches-body"):
            for n, stage in enumerate(STAGES):
                classes = "board-box" + (" -first" if n == 0 else "")
                with Vertical(id=f"box-{stage}", classes=classes):
                    yield Static(classes="board-title")
                    yield Static(classes="board-labels")
                    yield BoardColumn(stage, id=f"board-{stage}")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.services.show_boards(STAGES)
        self.set_interval(1.0, self._tick, name="ages")
        self._show_stage(self.stage)
        self.redraw()

    def on_unmount(self) -> None:
        # `N` from a coin opened here replaces this screen with a new one, which may mount
        # first: the boards stay open for it.
        if not any(
            isinstance(screen, TrenchesScreen) and screen is not self
            for screen in self.app.screen_stack
        ):
            self.services.show_boards(())

    def on_screen_resume(self) -> None:
        self.services.set_visible(TRENCHES_FEEDS)
        self.redraw()
        self.query_one(StatusBar).update_status()

    def on_store_updated(self, message: StoreUpdated) -> None:
        self.redraw()

    def on_watchlist_changed(self, message: WatchlistChanged) -> None:
        self.redraw()

    def on_resize(self) -> None:
        # After the resize: the screen's -narrow or -wide class is set by then.
        self.call_after_refresh(self._show_boxes)
        self.call_after_refresh(self.redraw)

    def _show_boxes(self) -> None:
        """All three columns on a wide terminal; on a narrow one only the one in focus (display
        is set only where it changes: a change lays the screen out again)."""
        narrow = self.has_class("-narrow")
        for name in STAGES:
            box = self.query_one(f"#box-{name}", Vertical)
            shown = not narrow or name == self.stage
            if box.display != shown:
                box.display = shown

    def _tick(self) -> None:
        if self.app.screen is self:
            self.redraw()

    # -- drawing -----------------------------------------------------------------------------

    def redraw(self) -> None:
        """Bring the columns up to date with the store's boards (cheap when nothing moved)."""
        if not self.is_mounted:
            return
        services = self.services
        store = services.store
        now = services.clock()
        moves = self.moves
        columns = moves.update(stage_columns({s: store.board(s) for s in STAGES}), now)
        context = BoardRowContext(
            now=now,
            watched=frozenset(services.watched()),
            trend=store.board_trend,
            moved=lambda mint: moves.recent(mint, now),
        )
        held = self.focused_column.cursor_mint
        for stage in STAGES:
            self.column(stage).show(columns[stage], context)
        if held is not None and held not in self.focused_column.mints:
            # The coin under the cursor changed column: the cursor goes with it.
            for stage in STAGES:
                if stage != self.stage and self.column(stage).move_to(held):
                    self._show_stage(stage)
                    break
        health = store.health.get("trenches")
        for stage in STAGES:
            box = self.query_one(f"#box-{stage}", Vertical)
            title = board_title(
                stage,
                len(columns[stage]),
                store.board_read(stage),
                now,
                failing=health is not None and health.state is FeedState.FAILING,
                focused=stage == self.stage,
            )
            update_text(box.query_one(".board-title", Static), title)
            width = self.column(stage).scrollable_content_region.width
            if width:
                labels = Text("\n").join(label_lines(width))
                update_text(box.query_one(".board-labels", Static), labels)
        update_text(self.query_one("#summary", Static), self._summary(columns))

    def _summary(self, columns: Mapping[str, Sequence[object]]) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Trenches", style="bold")
        for stage in STAGES:
            text.append(" │ " if stage == STAGES[0] else " · ", style="dim")
            style = "bold reverse" if stage == self.stage else ""
            text.append(f"{STAGES.index(stage) + 1} {STAGE_TITLES[stage]}", style=style)
            text.append(" ")
            text.append(str(len(columns[stage])), style="dim")
        if self.has_class("-narrow"):
            text.append("  ←/→ or 1 2 3 switch", style="dim")
        return text

    def _show_stage(self, stage: str) -> None:
        """Put `stage`'s column in focus (and, on a narrow terminal, on screen)."""
        self.stage = stage
        self._show_boxes()
        self.focused_column.focus()
        # A column just put on screen has its width only after the next layout.
        self.call_after_refresh(self.redraw)

    # -- actions -----------------------------------------------------------------------------

    def action_next_board(self, step: int) -> None:
        index = (STAGES.index(self.stage) + step) % len(STAGES)
        self._show_stage(STAGES[index])
        self.redraw()

    def action_board(self, stage: str) -> None:
        if stage in STAGES:
            self._show_stage(stage)
            self.redraw()

    def action_back(self) -> None:
        self.dismiss(None)

    @on(BoardColumn.Selected)
    def _open_selected(self, event: BoardColumn.Selected) -> None:
        event.stop()
        self.app.open_coin(event.mint)

    def on_descendant_focus(self) -> None:
        # A click in another column moves the focus there: that column is the one keys act on.
        focused = self.focused
        if isinstance(focused, BoardColumn) and focused.stage != self.stage:
            self.stage = focused.stage
            self.redraw()

    @property
    def cursor_mint(self) -> str | None:
        return self.focused_column.cursor_mint


def board_title(
    stage: str,
    count: int,
    read: BoardRead | None,
    now: float,
    *,
    failing: bool = False,
    focused: bool = False,
) -> Text:
    """ "New 37 · ● live 2s": the column, its coins, and how fresh its board is and how it
    came (socket, or HTTP while the socket is down)."""
    glyphs = current()
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(STAGE_TITLES[stage], style="bold reverse" if focused else "bold")
    text.append(" ")
    text.append(str(count), style="dim")
    text.append(" · ", style="dim")
    if read is None:
        if failing:
            text.append(f"{glyphs.feed_failing} no board yet", style="bold red")
        else:
            text.append(f"{glyphs.feed_starting} connecting", style="dim")
        return text
    age = fmt.age(now - read.read_at) if read.read_at else "?"
    if read.version is None:
        text.append(f"{glyphs.feed_slow} HTTP {age}", style="yellow")
    elif read.read_at and now - read.read_at > QUIET_AFTER:
        text.append(f"{glyphs.feed_stale} quiet {age}", style="yellow")
    else:
        text.append(f"{glyphs.feed_live} live {age}", style="green")
    return text
