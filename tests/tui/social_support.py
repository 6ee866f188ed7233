"""Helpers for the social TUI tests: the real app on the simulator, with the social service
installed and a small screen whose keys act on one chosen coin or callout.

The app runs without the live engine (nothing polls), so every request a test sees is one the
social actions made. Keyrings are in-memory backends handed to the service, never the process's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from keyring.backend import KeyringBackend
from textual.app import ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Static

from pumptui.api.budget import RequestBudget
from pumptui.api.client import PumpClient
from pumptui.auth import InsecureTokenFile, TokenStore
from pumptui.config import Settings
from pumptui.secret import Secret
from pumptui.session import Session
from pumptui.sim import SimServer
from pumptui.tui.app import PumpApp
from pumptui.tui.messages import StoreUpdated
from pumptui.tui.services import AppServices, MemoryWatchlist
from pumptui.tui.social import SOCIAL_BINDINGS, SocialActions, SocialKeys, SocialTarget
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.pilot import toasts_shown, wait_for

SIZE = (100, 32)


class TargetScreen(SocialKeys, Screen[None]):
    """Stands in for Home or Coin until the wiring: the social keys act on `target`."""

    BINDINGS: ClassVar[list[Binding]] = SOCIAL_BINDINGS
    SHOWS_CALLOUTS = True

    def __init__(self, target: SocialTarget) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        yield Static(f"target {self.target.label}", markup=False)
        yield Footer()

    def social_target(self) -> SocialTarget | None:
        return self.target


def social_app(
    sim: SimServer,
    *,
    token: str | None = None,
    account: str | None = None,
    sim_mode: bool = True,
    keyring: KeyringBackend | None = None,
    keyring_timeout: float = 2.0,
    token_file: InsecureTokenFile | None = None,
    clock: Callable[[], float] | None = None,
) -> tuple[PumpApp, SocialActions]:
    """The app on `sim`, logged in with `token` (as `account`) or read-only, without the engine."""
    settings = Settings().with_api_urls(sim.base_url)
    settings = replace(settings, api=replace(settings.api, max_retries=0, timeout=2.0))
    session = Session(Secret(token), account) if token else Session()
    client = PumpClient(
        settings.api, session=session, budget=RequestBudget(60_000, burst=1000), timeout=2.0
    )
    services = AppServices(settings, client=client, watchlist=MemoryWatchlist(), sim_mode=sim_mode)
    app = PumpApp(services)
    options: dict[str, Any] = {
        "token_store": TokenStore(
            keyring if keyring is not None else MemoryKeyring(), timeout=keyring_timeout
        ),
        "token_file": token_file,
    }
    if clock is not None:
        options["clock"] = clock
    return app, SocialActions.install(app, **options)


def user_app(sim: SimServer, **options: Any) -> tuple[PumpApp, SocialActions]:
    return social_app(
        sim, token=sim.token_for(sim.user_address), account=sim.user_address, **options
    )


def admin_app(sim: SimServer, **options: Any) -> tuple[PumpApp, SocialActions]:
    return social_app(sim, token=sim.token_for(admin=True), account=sim.admin_address, **options)


async def open_target(pilot: Pilot[Any], social: SocialActions, target: SocialTarget) -> None:
    """Start the service (who am I, am I a moderator) and show a screen acting on `target`."""
    social.start()
    await settle(pilot)
    await pilot.app.push_screen(TargetScreen(target))
    await pilot.pause()


def social_workers(app: Any) -> list[Any]:
    return [w for w in app.workers if w.group.startswith("social-") and not w.is_finished]


async def settle(pilot: Pilot[Any], seconds: float = 10.0) -> None:
    """Let every social worker finish (and those it started), and their messages be handled.
    The app's own workers (the engine-event listener) run forever and are not waited for."""
    for _ in range(3):
        await pilot.pause()
        await wait_for(pilot, lambda: not social_workers(pilot.app), "social workers done", seconds)
    await pilot.pause()


async def shown(pilot: Pilot[Any]) -> str:
    """The terminal's text once pending messages and the next refresh have been handled."""
    from tests.tui.conftest import screen_text

    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    return screen_text(pilot.app)


async def shown_toasts(pilot: Pilot[Any]) -> list[str]:
    """The toasts on screen (title, then message) once pending messages and the next refresh
    have been handled. A toast wraps to its width, where a path in it decides the line breaks:
    a toast's words are asserted here, not in `shown`'s text."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    return toasts_shown(pilot.app)


def coin_target(sim: SimServer, mint: str | None = None) -> SocialTarget:
    """A coin of the simulator as the Home table would hand it to the keys."""
    from pumptui.api.models import Coin

    mint = mint or sim.mints()[0]
    record = sim.call(lambda: _coin_record(sim, mint))
    return SocialTarget.for_coin(Coin.from_api(record))


def _coin_record(sim: SimServer, mint: str) -> dict[str, Any]:
    from pumptui.sim import shapes

    return shapes.coin(sim.market, sim.market.coins[mint])


async def open_coin_with_callouts(
    pilot: Pilot[Any], social: SocialActions, sim: SimServer, mint: str
) -> Any:
    """The real coin screen on `mint`, its callouts read from the simulator into the store (the
    app runs without the engine here), with the callouts pane shown and focused (`v`)."""
    from pumptui.api.models import Coin
    from pumptui.live.events import NewCoin
    from pumptui.tui.screens.coin import CoinScreen

    social.start()
    await settle(pilot)
    app = pilot.app
    store = app.services.store  # type: ignore[attr-defined]
    store.apply(NewCoin(Coin.from_api(sim.call(lambda: _coin_record(sim, mint)))))
    await refresh_callouts(app, mint)
    app.open_coin(mint)  # type: ignore[attr-defined]
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CoinScreen)
    await pilot.press("v")
    await pilot.pause()
    assert screen.callouts_pane.has_focus
    return screen


async def refresh_callouts(app: Any, mint: str) -> None:
    """What the callouts feed does: read the coin's callouts and put them in the store."""
    import time

    from pumptui.live.events import CalloutsChanged

    page = await app.services.client.callouts(mint)
    app.services.store.apply(CalloutsChanged(mint, tuple(page.items), time.time()))
    app.screen.post_message(StoreUpdated(app.services.store.version))
