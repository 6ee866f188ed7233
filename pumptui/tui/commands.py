"""The command palette (`:`): every action of the current screen, and any coin by name, symbol
or mint.

Actions come from the bindings of the screen the palette was opened on, so the palette and the
Help screen can never disagree with the keys. Coins come first from what the app holds, then,
when those run out, from the server's search (through the services, inside the request budget,
once the typing pauses). Coin names are untrusted text: they are highlighted without being
parsed as markup (Textual's `Matcher.highlight` would parse them).
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from pumptui.base58 import is_pubkey
from pumptui.tui.screens.help import help_rows

if TYPE_CHECKING:
    from pumptui.tui.app import PumpApp

COIN_HITS = 20
# The server is asked only when the coins held give fewer hits than this...
SERVER_SEARCH_BELOW = 5
# ...for a query at least this long, once typing has paused this long (the palette cancels a
# search when the query changes, so a sleeping one never reaches the server).
SERVER_SEARCH_MIN_CHARS = 2
SERVER_SEARCH_DEBOUNCE = 0.3


def highlight_plain(matcher: Matcher, candidate: str) -> Content:
    """`candidate` with the fuzzy-matched characters highlighted, never parsed as markup."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ActionCommands(Provider):
    """The current screen's key actions: "Sort — Cycle the sort order (s)"."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        screen = self.screen
        bindings = screen.active_bindings
        rows = help_rows(bindings)
        by_id = {
            (active.binding.id or active.binding.action): active for active in bindings.values()
        }
        commands = []
        for keys, what, ident in rows:
            active = by_id.get(ident)
            if active is None or active.binding.action == "command_palette":
                continue
            name = f"{active.binding.description or what} ({keys})"
            run = partial(self.app.run_action, active.binding.action, active.node)
            commands.append((name, what, run))
        return commands

    async def discover(self) -> Hits:
        for name, what, run in self._commands():
            yield DiscoveryHit(Content(name), run, text=name, help=Content(what).markup)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, what, run in self._commands():
            score = matcher.match(f"{name} {what}")
            if score > 0:
                yield Hit(
                    score, highlight_plain(matcher, name), run, text=name, help=Content(what).markup
                )


class CoinCommands(Provider):
    """Open a coin by typing part of its symbol, name or mint: any coin the store knows, any
    coin seen trading on the followed tape, any mint pasted whole, and, when those give few
    hits, any coin the server's search finds."""

    @property
    def pump_app(self) -> PumpApp:
        # Textual's `Provider.app` is an `App[object]`, which a `PumpApp` (an `App[None]`) is not.
        return cast("PumpApp", self.app)

    async def search(self, query: str) -> Hits:
        services = self.pump_app.services
        if not query.strip():
            return
        store = services.store
        matcher = self.matcher(query)
        candidates = {
            coin.mint: f"{coin.symbol} {coin.name}".strip() for coin in store.new_coins(len(store))
        }
        for trade in store.site_trades(store.site_trade_capacity):
            candidates.setdefault(trade.mint, "")
        hits: list[tuple[float, str, str]] = []
        for mint, name in candidates.items():
            label = name or mint
            score = max(matcher.match(label), matcher.match(mint) * 0.5)
            if score > 0:
                hits.append((score, label, mint))
        pasted = query.strip()
        if is_pubkey(pasted) and pasted not in candidates:
            hits.append((1.0, pasted, pasted))  # not seen yet: the coin screen reads it
        hits.sort(key=lambda hit: hit[0], reverse=True)
        for score, label, mint in hits[:COIN_HITS]:
            yield self._open_hit(matcher, score, label, mint)
        if len(hits) >= SERVER_SEARCH_BELOW or len(pasted) < SERVER_SEARCH_MIN_CHARS:
            return
        await asyncio.sleep(SERVER_SEARCH_DEBOUNCE)
        shown = {mint for _, _, mint in hits}
        for coin in await services.search_coins(pasted, COIN_HITS):
            if coin.mint in shown:
                continue
            shown.add(coin.mint)
            label = f"{coin.symbol} {coin.name}".strip() or coin.mint
            # The server matched it, whatever the fuzzy matcher makes of the label.
            score = max(matcher.match(label), matcher.match(coin.mint) * 0.5, 0.1)
            yield self._open_hit(matcher, score, label, coin.mint, found="found by the server")

    def _open_hit(
        self, matcher: Matcher, score: float, label: str, mint: str, found: str = ""
    ) -> Hit:
        return Hit(
            score,
            highlight_plain(matcher, f"Open {label}"),
            partial(self.pump_app.open_coin, mint),
            text=f"Open {label}",
            help=f"coin {mint}" + (f" · {found}" if found else ""),
        )
