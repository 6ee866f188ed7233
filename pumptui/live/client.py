"""What the live engine and its feeds ask of the API client.

`pumptui.api.client.PumpClient` is the one implementation; the engine is typed against this
protocol so that it names every call it makes on the network (and a stand-in for a test or a
benchmark knows what it must answer), without the live layer reaching into the client's
internals. Parameters the engine never passes are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from pumptui.api.budget import Priority, RequestBudget
from pumptui.api.client import Page
from pumptui.api.models import (
    BoardEntry,
    Callout,
    Candle,
    Coin,
    HolderStats,
    MarketActivity,
    SolPrice,
    TopHolder,
    TradePage,
)
from pumptui.api.routes import Host
from pumptui.config import ApiSettings


class MarketClient(Protocol):
    """The reads the feeds make, the budgets the engine plans with, and the hook by which the
    client reports a route the service no longer answers."""

    settings: ApiSettings
    on_route_moved: Callable[[str, str], None] | None

    def budget_for(self, host: Host, group: str | None = None) -> RequestBudget: ...

    def blocked_until(self, host: Host) -> float | None: ...

    async def coins(
        self,
        *,
        offset: int = ...,
        limit: int = ...,
        sort: str = ...,
        order: str = ...,
        include_nsfw: bool = ...,
        complete: bool | None = ...,
        creator: str | None = ...,
        conditional: bool = ...,
        priority: Priority = ...,
    ) -> Page[Coin]: ...

    async def coin(self, mint: str, *, priority: Priority = ...) -> Coin | None: ...

    async def coins_by_mints(
        self, mints: Sequence[str], *, priority: Priority = ...
    ) -> Page[Coin]: ...

    async def trades(
        self,
        mint: str,
        *,
        cursor: str | None = ...,
        limit: int = ...,
        conditional: bool = ...,
        priority: Priority = ...,
    ) -> TradePage: ...

    async def candles(
        self,
        mint: str,
        *,
        interval: str = ...,
        limit: int = ...,
        currency: str = ...,
        created_ms: int | None = ...,
        priority: Priority = ...,
        fail_fast: bool = ...,
    ) -> list[Candle]: ...

    async def sol_price(
        self, *, conditional: bool = ..., priority: Priority = ...
    ) -> SolPrice | None: ...

    async def holder_stats(self, mint: str, *, priority: Priority = ...) -> HolderStats: ...

    async def top_holders(
        self, mint: str, *, priority: Priority = ...
    ) -> tuple[list[TopHolder], int | None]: ...

    async def market_activity(self, mint: str, *, priority: Priority = ...) -> MarketActivity: ...

    async def market_activity_batch(
        self, mints: Sequence[str], *, intervals: Sequence[str] = ..., priority: Priority = ...
    ) -> dict[str, MarketActivity]: ...

    async def callouts(
        self, mint: str, *, conditional: bool = ..., priority: Priority = ...
    ) -> Page[Callout]: ...

    async def board(self, name: str) -> list[BoardEntry]: ...
