"""Log in from inside the app: paste a token, or sign in with a Solana keypair file.

The token field is a password input (never drawn), its value is wrapped in a `Secret` at once and
the field is cleared, so no screen, toast, log line or crash report shows it. The check with the
server and the keyring run in the social service's workers; the keyring is called off the event
loop with a timeout. When the keyring cannot keep the token (no D-Bus over SSH, a locked
collection, a plain-text backend), the user is logged in for this session and sees why, with the
options: keep it in a private file (0600), or stay logged in only until pumptui exits.
"""

from __future__ import annotations

import re
from typing import ClassVar, Final

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from pumptui.secret import Secret
from pumptui.tui.social import LoginFinished, LoginOutcome, social_of

# A JWT or similar: printable ASCII without spaces.
_TOKEN_SHAPE: Final = re.compile(r"^[\x21-\x7e]{8,8192}$")
_PREFIXES: Final = ("auth_token=", "Bearer ", "bearer ")


def pasted_token(text: str) -> Secret | None:
    """The token in what was pasted: the first line, without an `auth_token=` or `Bearer `
    prefix or cookie attributes; None when it cannot be a token."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    for prefix in _PREFIXES:
        line = line.removeprefix(prefix)
    line = line.split(";", 1)[0].strip()
    return Secret(line) if _TOKEN_SHAPE.match(line) else None


class LoginScreen(ModalScreen[LoginOutcome | None]):
    """Returns the outcome of a successful login, or None when the user cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="login.cancel"),
    ]

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen > #login-box {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    LoginScreen #login-reason { color: $warning; }
    LoginScreen .login-label { margin-top: 1; }
    LoginScreen #login-status { height: auto; margin-top: 1; }
    LoginScreen #login-status.-error { color: $error; }
    LoginScreen Horizontal { height: auto; align-horizontal: right; }
    LoginScreen #login-form { height: auto; }
    LoginScreen #login-keyring-options { display: none; }
    LoginScreen.-keyring-problem #login-form { display: none; }
    LoginScreen.-keyring-problem #login-keyring-options { display: block; }
    LoginScreen.-keyring-problem #login-buttons { display: none; }
    """

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.busy = False
        self.outcome: LoginOutcome | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="login-box"):
            yield Static(Text("Log in to pump.fun", style="bold"))
            if self.reason:
                yield Static(Text(self.reason), id="login-reason")
            with Vertical(id="login-form"):
                yield Static(
                    "Paste your auth token (the auth_token cookie of pump.fun):",
                    classes="login-label",
                    markup=False,
                )
                yield Input(password=True, placeholder="token (hidden)", id="login-token")
                yield Static(
                    "…or sign in with a Solana keypair file (used once, never stored):",
                    classes="login-label",
                    markup=False,
                )
                yield Input(placeholder="~/.config/solana/id.json", id="login-keypair")
                yield Checkbox(
                    "Remember the token in the OS keyring", value=True, id="login-remember"
                )
            yield Static(id="login-status")
            with Horizontal(id="login-buttons"):
                yield Button("Log in", variant="primary", id="login-submit")
                yield Button("Cancel", id="login-cancel")
            with Horizontal(id="login-keyring-options"):
                yield Button("Keep it in a private file (0600)", id="login-save-file")
                yield Button("Only for this session", variant="primary", id="login-session-only")

    def on_mount(self) -> None:
        self.query_one("#login-token", Input).focus()

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#login-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    @on(Input.Submitted)
    @on(Button.Pressed, "#login-submit")
    def submit(self) -> None:
        if self.busy:
            return
        social = social_of(self)
        if social is None:
            self._say("Logging in is not available here.", error=True)
            return
        token_input = self.query_one("#login-token", Input)
        # Wrapped at once and the field emptied: nothing else holds the plain value.
        token = pasted_token(token_input.value) if token_input.value.strip() else None
        had_token = bool(token_input.value.strip())
        token_input.value = ""
        keypair = self.query_one("#login-keypair", Input).value.strip()
        if had_token and token is None:
            self._say(
                "That does not look like a token (the auth_token cookie value: printable "
                "characters without spaces).",
                error=True,
            )
            return
        if token is None and not keypair:
            self._say("Paste a token, or give the path of a keypair file.", error=True)
            return
        remember = self.query_one("#login-remember", Checkbox).value
        self.busy = True
        self.query_one("#login-submit", Button).disabled = True
        self._say(
            "Signing in with the keypair…"
            if token is None
            else "Checking the token with the server…"
        )
        social.login(
            token=token,
            keypair=None if token is not None else keypair,
            storage="keyring" if remember else "session",
            reply_to=self,
        )

    def on_login_finished(self, message: LoginFinished) -> None:
        self.busy = False
        self.query_one("#login-submit", Button).disabled = False
        outcome = message.outcome
        if not outcome.ok:
            self._say(outcome.message, error=True)
            return
        self.outcome = outcome
        if outcome.keyring_problem:
            self.add_class("-keyring-problem")
            self._say(f"{outcome.message}.\n\n{outcome.keyring_problem}", error=True)
            self.query_one("#login-session-only", Button).focus()
            return
        self.dismiss(outcome)

    @on(Button.Pressed, "#login-save-file")
    def _save_file(self) -> None:
        social = social_of(self)
        if social is None or self.busy:
            return
        self.busy = True
        self._say("Writing the token file…")
        self.remove_class("-keyring-problem")
        social.keep_login_in_file(reply_to=self)

    @on(Button.Pressed, "#login-session-only")
    def _session_only(self) -> None:
        self.dismiss(self.outcome)

    @on(Button.Pressed, "#login-cancel")
    def action_cancel(self) -> None:
        # Logged in already (the keyring step failed)? Then leaving is "this session only".
        self.dismiss(self.outcome)
