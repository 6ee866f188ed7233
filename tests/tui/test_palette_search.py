"""The palette finds any coin by name, symbol or mint: the coins held first, then the server's
search once the typing pauses, through the services and inside the request budget."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette

from pumptui.sim import SimServer
from pumptui.tui import commands
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.services import AppServices
from tests.helpers.pilot import wait_for
from tests.tui.social_support import SIZE, social_app


def _coin_named(sim: SimServer) -> tuple[str, str]:
    """(mint, name) of a listed simulator coin whose name no other coin contains."""

    def pick() -> tuple[str, str]:
        coins = [c for c in sim.market.coins.values() if c.listed and not c.nsfw]
        for coin in coins:
            needle = coin.name.lower()
            if sum(needle in other.name.lower() for other in coins) == 1:
                return coin.mint, coin.name
        raise AssertionError("no uniquely named coin")

    return sim.call(pick)


def _palette_hits(app: Any) -> list[str]:
    from textual.command import CommandList

    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return []
    lists = palette.query(CommandList)
    if not lists:
        return []  # pushed, not composed yet (a loaded machine shows that moment)
    options = lists.first()
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_palette_opens_a_coin_the_app_has_never_seen(sim: SimServer) -> None:
    mint, name = _coin_named(sim)
    app, _social = social_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.services.store.coin(mint) is None  # nothing polls: the store holds nothing
        await pilot.press("colon", *name)
        await wait_for(
            pilot, lambda: any(name in hit for hit in _palette_hits(app)), "the server's hit"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CoinScreen), "the coin screen")
        assert app.screen.mint == mint  # type: ignore[attr-defined]


async def test_the_server_is_asked_once_the_typing_pauses_not_per_key(
    sim: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pause longer than any loaded machine needs between keys sent at once.
    monkeypatch.setattr(commands, "SERVER_SEARCH_DEBOUNCE", 1.0)
    _mint, name = _coin_named(sim)
    app, _social = social_app(sim)
    services: AppServices = app.services  # type: ignore[attr-defined]
    asked: list[str] = []
    search = services.search_coins

    async def recording(term: str, limit: int = 20) -> Any:
        asked.append(term)
        return await search(term, limit)

    services.search_coins = recording  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # As fast as a paste: every key queued before the palette has opened.
        app.post_message(events.Key("colon", ":"))
        for typed in name:
            app.post_message(events.Key(typed, typed))
        await wait_for(
            pilot, lambda: any(name in hit for hit in _palette_hits(app)), "the server's hit"
        )
        # One ask for the whole name; a machine slow enough to stall between two queued keys
        # may ask once more, never once a key.
        assert asked[-1] == name
        assert len(asked) <= max(2, len(name) // 3), asked
