"""The app as its services see it: an `App` with `services` and `social`.

`PumpApp` is one. The services (`pumptui.tui.services`, `pumptui.tui.social`) name this class
rather than `PumpApp`, which imports every screen: a service never imports a screen, not even
for its types. Screens and widgets see the whole `PumpApp` (`pumptui.tui.screens.base`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from pumptui.tui.services import AppServices
    from pumptui.tui.social import SocialActions


class AppWithServices(App[None]):
    """An app that owns an `AppServices` and the social service built on it."""

    services: AppServices
    social: SocialActions
