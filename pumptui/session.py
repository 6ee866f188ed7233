"""Who the user is, in one place: the token, the account it belongs to, what it may do.

The client reads the token from here on every request; the local social cache and the drafts file
their rows under `account`; the TUI shows `label` and hides moderator keys unless `is_admin`. Each
of them used to keep its own copy, and the copies drifted (a 401 cleared one, a login set
another). Now there is one `Session` per app (or per command) and everyone holds the same object.

Listeners registered with `subscribe` are called after every change, synchronously, on the thread
that made it (the event loop in the app): they must be quick and must not raise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pumptui.secret import Secret

# Local state needs an account name; a token whose account is not known yet files under this.
UNKNOWN_ACCOUNT: Final = "default"  # the keyring entry of a token whose owner is unknown

Listener = Callable[["Session"], None]


class Session:
    """The user's session. `logged_in` means a token is held; `account` may still be None until
    the server (or the token's claims) said whose it is."""

    def __init__(
        self,
        token: Secret | None = None,
        account: str | None = None,
        *,
        username: str | None = None,
        is_admin: bool = False,
        source: str | None = None,
    ) -> None:
        self._token = token
        self.account = account
        self.username = username
        self.is_admin = is_admin
        self.source = source
        self._listeners: list[Listener] = []

    def __repr__(self) -> str:
        # Never the token: a Session shows up in tracebacks and logs.
        state = "logged in" if self.logged_in else "read-only"
        return f"Session({state}, account={self.account!r}, admin={self.is_admin})"

    # -- reading -------------------------------------------------------------------------------

    @property
    def token(self) -> Secret | None:
        return self._token

    @property
    def logged_in(self) -> bool:
        return self._token is not None

    @property
    def local_account(self) -> str | None:
        """The name local state is filed under: the account, or `UNKNOWN_ACCOUNT` while a
        token's owner is not known; None when read-only."""
        if not self.logged_in:
            return None
        return self.account or UNKNOWN_ACCOUNT

    @property
    def label(self) -> str:
        """Who, for the status bar: `@name`, `@abcd…wxyz`, `logged in`, or `read-only`."""
        if not self.logged_in:
            return "read-only"
        if self.username:
            return f"@{self.username}"
        if self.account:
            return f"@{self.account[:4]}…{self.account[-4:]}"
        return "logged in"

    # -- changing --------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(session)` after each change; returns a function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def set_token(self, token: Secret | None) -> None:
        """Swap the token only (trying a new one, or putting the old one back); the account is
        unchanged. Use `log_in`/`log_out` when who the user is changes."""
        if token is self._token:
            return
        self._token = token
        if token is None:
            self.is_admin = False
        self._changed()

    def log_in(
        self,
        token: Secret,
        account: str | None = None,
        *,
        username: str | None = None,
        is_admin: bool = False,
        source: str | None = None,
    ) -> None:
        self._token = token
        self.account = account
        self.username = username
        self.is_admin = is_admin
        self.source = source
        self._changed()

    def learned(
        self,
        *,
        account: str | None = None,
        username: str | None = None,
        is_admin: bool | None = None,
    ) -> None:
        """What the server said about the token held now (given fields only)."""
        if account is not None:
            self.account = account
        if username is not None:
            self.username = username
        if is_admin is not None:
            self.is_admin = is_admin
        self._changed()

    def log_out(self) -> None:
        """Read-only from now on (a logout, or the server refusing the token)."""
        self._token = None
        self.account = None
        self.username = None
        self.is_admin = False
        self.source = None
        self._changed()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)
