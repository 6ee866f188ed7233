"""The coin table redraws in proportion to what changed and what shows: a refresh of N rows is
O(N) work, not O(N²), only the rows on screen are built (each other row when it scrolls into
view), and a re-sort moves rendered rows instead of rendering their cells again."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from rich.style import Style
from textual._two_way_dict import TwoWayDict
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from pumptui.api.models import Coin
from pumptui.tui import format as fmt
from pumptui.tui.widgets import coin_table
from pumptui.tui.widgets.coin_table import LINE_VARIANTS_KEPT, CoinTable, RowContext
from tests.tui.conftest import FROZEN_NOW, curve_coin


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CoinTable(limit=400)


def coins(count: int) -> list[Coin]:
    return [curve_coin(i, f"Coin {i}", f"C{i}", 0.05 + i / (count * 2)) for i in range(count)]


def richer(coins: list[Coin]) -> list[Coin]:
    """The same coins, each worth more: every row's market-cap cells change, the order not."""
    return [replace(c, market_cap_sol=c.market_cap_sol * 2) for c in coins]


async def row_lookups_for_a_refresh(count: int, monkeypatch: object) -> tuple[int, int]:
    """(row-position lookups, cache invalidations) made by one refresh that rewrites every row."""
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(CoinTable)
        shown = coins(count)
        table.show(shown, RowContext(now=FROZEN_NOW))
        await pilot.pause()
        lookups = 0
        get_key = TwoWayDict.get_key

        def counted(self: TwoWayDict[object, object], value: object) -> object:
            nonlocal lookups
            lookups += 1
            return get_key(self, value)

        monkeypatch.setattr(TwoWayDict, "get_key", counted)  # type: ignore[attr-defined]
        updates_before = table._update_count
        table.show(richer(shown), RowContext(now=FROZEN_NOW))
        await pilot.pause()
        monkeypatch.undo()  # type: ignore[attr-defined]
        return lookups, table._update_count - updates_before


async def test_a_refresh_of_every_row_costs_in_proportion_to_the_rows(monkeypatch) -> None:
    small_lookups, small_clears = await row_lookups_for_a_refresh(100, monkeypatch)
    large_lookups, large_clears = await row_lookups_for_a_refresh(300, monkeypatch)
    # Each cell write used to invalidate the table's row list, rebuilt (N lookups) at the next
    # write: 3x the rows cost 9x the lookups. Batched, the caches are dropped once a refresh.
    assert small_clears == large_clears <= 2
    assert large_lookups <= 4 * max(small_lookups, 100)


async def showing(app: TableApp, pilot: Pilot[None], count: int) -> tuple[CoinTable, list[Coin]]:
    """The app's table showing `count` coins, drawn."""
    table = app.query_one(CoinTable)
    shown = coins(count)
    table.show(shown, RowContext(now=FROZEN_NOW))
    await pilot.pause()
    return table, shown


def shown_cap(coin: Coin) -> str:
    return fmt.compact(fmt.coin_caps(coin, None)[0])


def rows_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The mints of the rows whose cells are built from now on, in order."""
    built: list[str] = []
    row_cells = coin_table.row_cells

    def counted(coin: Coin, *args: Any, **kwargs: Any) -> Any:
        built.append(coin.mint)
        return row_cells(coin, *args, **kwargs)

    monkeypatch.setattr(coin_table, "row_cells", counted)
    return built


async def test_a_refresh_builds_the_rows_on_screen_and_each_other_row_when_it_comes_into_view(
    monkeypatch,
) -> None:
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 150)
        built = rows_built(monkeypatch)
        later = richer(shown)
        by_mint = {c.mint: c for c in later}
        table.show(later, RowContext(now=FROZEN_NOW + 60))
        await pilot.pause()
        # Every row changed; only those on screen were built (Home holds 200, shows about 30).
        visible = table.visible_mints
        assert 20 <= len(visible) < 30
        assert sorted(built) == sorted(visible)
        # Page by page to the bottom: each row shows its new values in the first frame it is in.
        height = len(visible)
        for first in range(0, len(later), height):
            table.scroll_to(y=first, animate=False, immediate=True)
            await pilot.pause()
            for line, mint in enumerate(table.visible_mints, start=1):
                coin = by_mint[mint]
                cap, age = table.get_cell(mint, "mc"), table.get_cell(mint, "age")
                assert cap.plain == shown_cap(coin)
                assert age.plain == fmt.age(FROZEN_NOW + 60 - (coin.created_at or 0))
                assert shown_cap(coin) in table.render_line(line).text
        assert sorted(built) == sorted(by_mint)
        assert shown_cap(later[0]) != shown_cap(shown[0])


async def test_rows_a_taller_table_uncovers_show_their_new_values() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 16)) as pilot:
        table, shown = await showing(app, pilot, 60)
        later = richer(shown)
        table.show(later, RowContext(now=FROZEN_NOW))
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert len(table.visible_mints) > 30
        for line, coin in enumerate(later[: len(table.visible_mints)], start=1):
            assert shown_cap(coin) in table.render_line(line).text


async def test_a_tick_of_the_clock_rewrites_the_ages_and_builds_no_row(monkeypatch) -> None:
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(CoinTable)
        # Seconds old: each age moves with every tick (Home's newest coins). (Clear of a step
        # of the trend column, which moves every row's cells.)
        now = FROZEN_NOW + 10
        young = [replace(c, created_at=now - 2 - i) for i, c in enumerate(coins(20))]
        table.show(young, RowContext(now=now))
        await pilot.pause()
        rest = [table.render_line(line).text[5:] for line in range(1, 21)]
        built = rows_built(monkeypatch)
        table.show(young, RowContext(now=now + 1))
        await pilot.pause()
        assert built == []
        by_mint = {c.mint: c for c in young}
        for line, mint in enumerate(table.visible_mints, start=1):
            age = fmt.age(now + 1 - (by_mint[mint].created_at or 0))
            assert table.get_cell(mint, "age").plain == age
            assert table.render_line(line).text[:5] == f" {age:>3} "
            assert table.render_line(line).text[5:] == rest[line - 1]
        # A real change still builds its row.
        table.show([replace(young[0], market_cap_sol=99.0), *young[1:]], table._row_context)
        await pilot.pause()
        assert built == [young[0].mint]


async def test_a_re_sort_moves_the_rows_on_screen_without_rendering_their_cells_again(
    monkeypatch,
) -> None:
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 20)  # all on screen
        fresh_renders = 0
        render_cell, draw_cell = DataTable._render_cell, CoinTable._draw_cell

        def counted(
            self: DataTable[object], row_index: int, *args: object, **kwargs: object
        ) -> object:
            nonlocal fresh_renders
            fresh_renders += row_index >= 0  # the header is not a coin's row
            return render_cell(self, row_index, *args, **kwargs)

        def drawn(self: CoinTable, *args: object) -> object:
            nonlocal fresh_renders
            fresh_renders += 1
            return draw_cell(self, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(DataTable, "_render_cell", counted)
        monkeypatch.setattr(CoinTable, "_draw_cell", drawn)
        rows_built = 0
        coin_line = CoinTable._coin_line

        def built(self: CoinTable, row_key: RowKey, *args: object) -> object:
            nonlocal rows_built
            rows_built += 1
            return coin_line(self, row_key, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(CoinTable, "_coin_line", built)
        table.reverse_sort()  # oldest first: the same rows, upside down
        await pilot.pause()
        # Every cell of every row used to go through Rich again (the re-sort bumped the table's
        # update count, the key of all its render caches): the frame that answers `s` on Home.
        assert fresh_renders == 0
        # Nor is a row that only moved assembled again from its cells (the cursor's row is: the
        # cursor stays on the top row, which now shows another coin).
        assert rows_built <= 2
        oldest = shown[-1]
        assert table.shown_mints[0] == oldest.mint
        assert (oldest.symbol or "") in table.render_line(1).text  # under the header
        # A click or the hover on a line drawn before the move finds the coin it shows now.
        await pilot.hover(CoinTable, offset=(20, 5))
        assert table.hover_coordinate.row == 4
        await pilot.click(CoinTable, offset=(20, 4))
        assert table.cursor_mint == shown[-4].mint
        # Past the last column too (the row's filler).
        await pilot.click(CoinTable, offset=(table.size.width - 3, 6))
        assert table.cursor_mint == shown[-6].mint


async def test_a_header_click_sorts_and_a_row_click_finds_its_coin_after_a_row_left() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 10)
        await pilot.click(CoinTable, offset=(1, 0))  # the Age header: newest is the order
        await pilot.pause()
        assert table.sort_label == "oldest"
        table.reverse_sort()
        await pilot.pause()
        # The third row's coin leaves; its line is gone with it, the row below moves up.
        table.show([c for c in shown if c.mint != table.shown_mints[2]], RowContext(now=FROZEN_NOW))
        await pilot.pause()
        await pilot.click(CoinTable, offset=(20, 3))
        assert table.cursor_mint == table.shown_mints[2]


async def test_rows_drawn_from_kept_cells_look_exactly_like_rows_drawn_afresh() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 60)
        for _ in range(4):  # newest, market cap, curve, replies: rows move and come on screen
            table.cycle_sort()
            await pilot.pause()
        table.show(richer(shown), RowContext(now=FROZEN_NOW + 60))
        await pilot.pause()
        kept = [list(table.render_line(y)) for y in range(table.size.height)]
        table._clear_caches()  # drops the kept cells too: everything through Rich again
        assert [list(table.render_line(y)) for y in range(table.size.height)] == kept
        # And as DataTable itself draws them, but for the mouse metadata (which names the coin).
        width, style = table.size.width, table.rich_style
        for y in range(table.size.height):
            table._clear_caches()
            as_datatable = DataTable._render_line(table, y, 0, width, style)
            assert looks(table.render_line(y)) == looks(as_datatable)


async def test_a_flood_of_changes_leaves_nothing_in_datatables_own_render_caches() -> None:
    """DataTable keeps every cell and row it renders under its update count, which moves on
    with each change: under a flood its caches filled to 10,000 cells of entries never read
    again, which every full garbage collection walked (pauses of 50-120 ms, growing). The
    coin rows' cells are kept by the table itself, by the cell (`_drawn_cells`)."""
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 60)
        cells, rows = len(table._cell_render_cache), len(table._row_renderable_cache)
        for _ in range(12):
            shown = richer(shown)
            table.show(shown, RowContext(now=FROZEN_NOW))
            await pilot.pause()
        assert str(table.get_cell(shown[0].mint, "mc")) == shown_cap(shown[0])
        # (What is there was put there as the rows were added, and the header's cells.)
        assert (len(table._cell_render_cache), len(table._row_renderable_cache)) == (cells, rows)
        # What the table keeps itself is bounded by its rows: one set of cells for each.
        assert len(table._drawn_cells) <= 60
        assert all(len(states) <= 2 for states in table._drawn_cells.values())


async def test_coins_launching_and_leaving_leave_nothing_in_datatables_row_cache() -> None:
    """DataTable measures each new row and kept what it measured under its update count: as
    coins launched and left Home's 200 rows, it filled toward 1,000 rows of cells never read
    again (live objects that every full garbage collection walked)."""
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 60)
        kept = len(table._row_renderable_cache)
        launched = coins(200)
        for step in range(12):
            # Five new coins each time, the five oldest gone: a table of 60 at its limit.
            shown = launched[60 + 5 * step : 65 + 5 * step] + shown[:-5]
            table.show(shown, RowContext(now=FROZEN_NOW))
            await pilot.pause()
        assert table.row_count == 60
        assert str(table.get_cell(shown[0].mint, "mc")) == shown_cap(shown[0])
        assert len(table._row_renderable_cache) <= kept
        assert len(table._drawn_cells) <= 60


async def test_the_lines_kept_are_those_of_the_rows_held() -> None:
    """Lines were kept in a cache of 1,000 by row: as coins launched and left, it filled with
    the lines of coins long gone (a Strip, its segments and their styles each), and memory
    grew with every coin seen until it was full."""
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(CoinTable)
        table.reverse_sort()  # oldest first: the coins that leave are those on screen
        launched = coins(200)
        for step in range(12):
            # Sixty coins, five newer each time and the five oldest gone.
            shown = launched[100 - 5 * step : 160 - 5 * step]
            table.show(shown, RowContext(now=FROZEN_NOW))
            table.move_cursor(row=step % 20)
            await pilot.pause()
        held = {RowKey(c.mint) for c in shown} | {table._header_row_key}
        assert table._lines.keys() <= held
        assert len(table._lines) > 20  # (the rows on screen are kept)
        assert all(len(ways) <= LINE_VARIANTS_KEPT for ways in table._lines.values())
        assert shown_cap(shown[-1]) in table.render_line(1).text


async def test_rows_far_from_the_view_keep_no_drawings() -> None:
    """Each re-sort or scroll brings other rows into view, and each row drawn kept its lines
    and cells: over ten minutes of `s` on Home every one of the 200 rows kept them, and the
    app's memory grew all that while. Now at most three screenfuls of rows keep them."""
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 200)
        height = table.scrollable_content_region.height - table.header_height
        for top in (0, 40, 80, 120, 160, 100, 20):
            table.scroll_to(y=top, animate=False, immediate=True)
            await pilot.pause()
            table.reverse_sort()  # a re-sort: the other end comes to the top
            await pilot.pause()
        first = round(table.scroll_y)
        kept = [table.get_row_index(mint) for mint in table._drawn_cells]
        assert len(kept) <= 3 * height
        assert set(range(first, first + height)) <= set(kept)  # (those on screen are kept)
        assert table._lines.keys() <= {RowKey(m) for m in table._drawn_cells} | {
            table._header_row_key
        }
        # A row drawn again after its drawings went is drawn whole and right.
        table.scroll_to(y=90, animate=False, immediate=True)
        await pilot.pause()
        row = table._row_locations.get_key(90)
        assert row is not None
        coin = next(c for c in shown if c.mint == row.value)
        assert shown_cap(coin) in table.render_line(1).text


class HomeHeightApp(TableApp):
    """The table as on Home: its height is the screen's, not its rows'."""

    CSS = "CoinTable { height: 1fr; }"


async def test_a_coin_leaving_as_another_arrives_lays_nothing_out(monkeypatch) -> None:
    """DataTable's `remove_row` asks for a layout of the whole screen: on Home, full of coins,
    each launch took one out and re-arranged every widget. Only a new scrollable size needs
    one, and the table's own measuring asks for that."""
    app = HomeHeightApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 60)
        size = table.virtual_size
        layouts: list[Widget] = []
        refresh = Widget.refresh

        def recorded(self: Widget, *regions: Region, **kwargs: Any) -> Any:
            if kwargs.get("layout"):
                layouts.append(self)
            return refresh(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", recorded)
        newcomer = coins(61)[60]
        table.show([newcomer, *shown[:-1]], RowContext(now=FROZEN_NOW))
        await pilot.pause()
        assert newcomer.mint in table.shown_mints
        assert shown[-1].mint not in table.shown_mints
        assert table.virtual_size == size
        assert table not in layouts
        # Fewer rows: a smaller scrollable size, and so a layout.
        table.show(shown[:30], RowContext(now=FROZEN_NOW))
        await pilot.pause()
        assert table.row_count == 30
        assert table.virtual_size.height < size.height
        assert table in layouts


def looks(strip: Strip) -> list[tuple[str, Style | None]]:
    """Each cell's character and style, without mouse metadata."""
    return [
        (char, segment.style.clear_meta_and_links() if segment.style else None)
        for segment in strip
        for char in segment.text
    ]


async def test_a_change_of_style_alone_is_drawn() -> None:
    """A coin the service stops listing keeps its name, struck through: the cell's text is the
    same, only its style changed (`Text.__eq__` does not compare styles)."""
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table, shown = await showing(app, pilot, 5)
        gone = shown[2].mint
        table.show(shown, RowContext(now=FROZEN_NOW, delisted=lambda mint: mint == gone))
        await pilot.pause()
        assert "strike" in str(table.get_cell(gone, "coin").style)
        line = table.render_line(1 + table.get_row_index(gone))
        name = next(s for s in line if s.text.startswith(shown[2].symbol or "?"))
        assert name.style is not None
        assert name.style.strike
