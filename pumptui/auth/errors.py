"""The errors of `pumptui.auth`: messages safe to show, never holding a token or a chained
exception whose frames could hold one (Textual prints locals in crash tracebacks)."""

from __future__ import annotations


class AuthError(Exception):
    """Base of the errors of this package; messages are safe to show and never hold a token."""


class KeyringUnavailable(AuthError):
    """The keyring cannot be used right now (no backend, locked, timed out, insecure, failed).

    `str()` is a full explanation with the options the user has.
    """


class InsecureFileError(AuthError):
    """The `--insecure-storage` file exists but cannot be used (bad permissions, unreadable)."""
