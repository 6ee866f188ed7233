"""Ask the user for a captcha token when no automatic source gives one.

Follows (and, on some servers, replies) need a captcha token. `ui.captcha_command` in the config
or the simulator's own source normally provides it; otherwise this modal asks, says why, and
checks that what was pasted has the shape of a token before anything is sent.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from pumptui.social.captcha import CaptchaError, validate_captcha_token

HINT = (
    "Solve the captcha on pump.fun and paste the token here, or set ui.captcha_command in the "
    "config to a command that prints one."
)


class CaptchaScreen(ModalScreen[str | None]):
    """Returns the pasted token, or None when the user gave up."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="captcha.cancel"),
    ]

    DEFAULT_CSS = """
    CaptchaScreen { align: center middle; }
    CaptchaScreen > #captcha-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    CaptchaScreen #captcha-reason { color: $warning; }
    CaptchaScreen #captcha-error { color: $error; height: auto; }
    CaptchaScreen Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="captcha-box"):
            yield Static(Text("A captcha token is needed", style="bold"))
            if self.reason:
                yield Static(Text(self.reason), id="captcha-reason")
            yield Static(Text(HINT, style="dim"))
            yield Input(placeholder="captcha token", id="captcha-token")
            yield Static(id="captcha-error")
            with Horizontal():
                yield Button("Use token", variant="primary", id="captcha-ok")
                yield Button("Cancel", id="captcha-cancel")

    def on_mount(self) -> None:
        self.query_one("#captcha-token", Input).focus()

    @on(Input.Submitted, "#captcha-token")
    @on(Button.Pressed, "#captcha-ok")
    def _submit(self) -> None:
        try:
            token = validate_captcha_token(self.query_one("#captcha-token", Input).value)
        except CaptchaError as exc:
            self.query_one("#captcha-error", Static).update(Text(str(exc)))
            return
        self.dismiss(token)

    @on(Button.Pressed, "#captcha-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
