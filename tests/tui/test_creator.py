"""The Coin screen's about block and the creator's view.

What a trader relies on: the coin's description is shown as its creator wrote it (never as
markup, never with terminal escapes), on one line on a small terminal and whole on a key; the
creator line says how many other coins that wallet launched, how many graduated and when it last
launched, as the simulator's `/coins?creator=` says; `C` opens the creator's view, a live table
of every coin they launched.
"""

from __future__ import annotations

from collections.abc import Callable

from pumptui.api.models import Coin
from pumptui.base58 import b58encode
from pumptui.live.events import CreatorCoinsChanged
from pumptui.sim import SimServer
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.screens.creator import CreatorScreen
from pumptui.tui.widgets.coin_about import CreatorRecord, creator_line, description_text
from tests.helpers.pilot import wait_for
from tests.sim.test_pool import graduate_on_server
from tests.tui.test_coin_live import live_app, open_coin

SERIAL_DEV = b58encode(bytes(range(1, 33)))
MINT = "Mint1111111111111111111111111111111111pump"
HOSTILE = "Moon [bold]soon[/bold]\x1b[31m red\nsecond line of the story"


def coin(mint: str, created_at: float, *, complete: bool = False) -> Coin:
    return Coin(mint=mint, creator=SERIAL_DEV, created_at=created_at, complete=complete)


def test_the_creator_record_counts_the_other_coins_the_graduated_and_the_newest_launch() -> None:
    read = CreatorCoinsChanged(
        SERIAL_DEV,
        (
            coin("A" * 43, 900.0),
            coin(MINT, 1000.0),
            coin("B" * 43, 500.0, complete=True),
            coin("C" * 43, 100.0, complete=True),
        ),
    )
    record = CreatorRecord.of(read, MINT)
    assert record == CreatorRecord(other_coins=3, graduated=2, last_launch_at=900.0)


def test_the_creator_line_says_it_all_and_shortens_when_narrow() -> None:
    this = Coin(mint=MINT, creator=SERIAL_DEV, creator_username="serialdev")
    read = CreatorCoinsChanged(
        SERIAL_DEV, (this, coin("A" * 43, 900.0, complete=True)), more=True, read_at=1190.0
    )
    wide = creator_line(this, read, 1200.0, 100).plain
    assert wide == "creator serialdev · 1+ other coins · 1 graduated · last launch 5m ago · 10s ago"
    narrow = creator_line(this, read, 1200.0, 60).plain
    assert narrow == "creator serialdev · 1+ other · 1 grad · last 5m · 10s ago"
    assert creator_line(this, None, 1200.0, 80).plain == "creator serialdev · their other coins …"


def test_the_description_is_plain_text_on_one_line_or_whole() -> None:
    one = description_text("first line\nsecond [b]line[/b]", expanded=False)
    assert one.plain == "first line second [b]line[/b]"
    assert one.no_wrap
    assert description_text("first\nsecond", expanded=True).plain == "first\nsecond"
    assert description_text("  ", expanded=False).plain == "no description"
    # Whole, but never more than it may take: wrapped, cut after max_lines with an ellipsis.
    long = description_text("word " * 60, expanded=True, width=30, max_lines=3).plain
    assert long.split("\n") == ["word " * 5 + "word"] * 2 + ["word " * 5 + "word…"]


async def test_description_creator_line_and_the_creators_view(
    sim_factory: Callable[..., SimServer],
) -> None:
    sim = sim_factory(trades_per_second=0.0, launches_per_minute=0.0, nsfw_share=0.0)
    earlier = [
        sim.create_coin(name=f"Old {n}", symbol=f"OLD{n}", creator=SERIAL_DEV) for n in range(3)
    ]
    graduate_on_server(sim, earlier[1])
    mint = sim.create_coin(name="Fresh", symbol="FRSH", description=HOSTILE, creator=SERIAL_DEV)
    app = live_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_coin(pilot, mint)
        about = screen.about
        await wait_for(pilot, lambda: "grad" in about.creator_text, "the creator line")
        line = about.creator_text
        assert line.startswith(f"creator {SERIAL_DEV[:4]}")
        # 80 columns: the short form.
        assert "· 3 other · 1 grad · last " in line
        # Sanitised at the API boundary: the markup is text, the escape is gone; one line here.
        assert not about.expanded
        assert about.description_shown == "Moon [bold]soon[/bold] red second line of the story"
        await pilot.press("D")
        await wait_for(pilot, lambda: "\n" in about.description_shown, "the whole description")
        assert about.description_shown.splitlines()[1] == "second line of the story"
        await pilot.press("D")

        # Read once for this coin: the feed rests until the creator's view asks for more.
        engine = app.services.engine
        assert engine is not None
        await wait_for(pilot, lambda: not engine.feeds["creator"].wanted(), "the feed at rest")

        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, CreatorScreen), "the creator's view")
        view = app.screen
        assert isinstance(view, CreatorScreen)
        everything = {mint, *earlier}
        await wait_for(pilot, lambda: set(view.table.shown_mints) == everything, "their coins")
        assert view.table.shown_mints[0] == mint, "newest first"

        # Live: a coin they launch now appears on the next read (R: poll now).
        newer = sim.create_coin(name="Newer", symbol="NEW", creator=SERIAL_DEV)
        await pilot.press("R")
        await wait_for(pilot, lambda: newer in view.table.shown_mints, "the new launch")

        # Back on the coin we came from, which the engine still follows.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back on the coin")
        assert isinstance(app.screen, CoinScreen)
        assert engine.focused == mint
