"""`pumptui login`, `pumptui logout`, `pumptui whoami`: the token, from the command line.

The token is never taken from argv (it would show in `ps` and shell history): it is pasted at a
hidden prompt, piped in with `--token-stdin`, or obtained by signing in with `--keypair FILE`.
No command ever prints it.

Offline policy for `login`: a pasted token is checked against `/auth/my-profile` first. If the
server refuses it, nothing is stored. If the server cannot be reached, the token is stored with a
warning that it is unverified (useful before a flight; the app checks it on first use, and a
refusal there leads to the login screen).
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, TextIO

from pumptui.cli.options import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_api_options,
    client_budgets,
    settings_from_args,
)
from pumptui.secret import Secret

# asyncio, the token store (keyring) and the settings are imported by the command that runs,
# so that `--help` costs little more than `pumptui --help`.
if TYPE_CHECKING:
    from pumptui.auth import AccountInfo
    from pumptui.config import Settings

# A JWT or similar: printable ASCII without spaces.
_TOKEN_SHAPE: Final = re.compile(r"^[\x21-\x7e]{8,8192}$")
_PREFIXES: Final = ("auth_token=", "Bearer ", "bearer ")


def register(sub: argparse._SubParsersAction) -> None:
    login = sub.add_parser(
        "login",
        help="log in: paste a token, or sign in with a Solana keypair file",
        description=(
            "Store a pump.fun auth token in the OS keyring. By default the token is pasted at a "
            "hidden prompt; it is never accepted as an argument."
        ),
    )
    source = login.add_mutually_exclusive_group()
    source.add_argument(
        "--token-stdin",
        action="store_true",
        help="read the token from standard input (e.g. piped from a password manager)",
    )
    source.add_argument(
        "--keypair",
        metavar="FILE",
        help="sign in with a Solana keypair file; the key is used once and never stored",
    )
    login.add_argument(
        "--insecure-storage",
        action="store_true",
        help="store the token in a plain file (mode 0600) instead of the OS keyring",
    )
    # Caught only to refuse them without echoing the value (argparse would print it back).
    login.add_argument("stray_arguments", nargs="*", help=argparse.SUPPRESS)
    login.add_argument("--token", dest="token_argument", help=argparse.SUPPRESS)
    add_api_options(login)  # the global server options, also accepted after the command
    login.set_defaults(handler=run_login)

    logout = sub.add_parser("logout", help="end the session on the server and forget the token")
    logout.add_argument(
        "--account", metavar="ADDRESS", help="the account to forget (default: the current one)"
    )
    logout.add_argument(
        "--local", action="store_true", help="only forget the token here; do not tell the server"
    )
    add_api_options(logout)
    logout.set_defaults(handler=run_logout)

    whoami = sub.add_parser("whoami", help="who you are logged in as, and where the token is from")
    add_api_options(whoami)
    whoami.set_defaults(handler=run_whoami)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


# -- login ---------------------------------------------------------------------------------------


def run_login(args: argparse.Namespace) -> int:
    import asyncio

    from pumptui.auth import TOKEN_ENV, InsecureFileError, KeyringUnavailable, save_login

    if args.stray_arguments or args.token_argument is not None:
        args.stray_arguments = args.token_argument = None
        _err(
            "pumptui: a token is never taken as an argument: it would show in `ps` and stay in "
            "your shell history. Paste it at the prompt, or pipe it with --token-stdin. If that "
            "was a real token, remove it from your shell history."
        )
        return EXIT_USAGE
    settings = settings_from_args(args)  # a ConfigError is one line and status 2 (cli.main)
    if args.keypair:
        secret = None
    else:
        secret = _read_token(sys.stdin, args.token_stdin)
        if secret is None:
            return EXIT_USAGE
    outcome = asyncio.run(_obtain_and_check(settings, secret, args.keypair))
    if isinstance(outcome, int):
        return outcome
    secret, info = outcome
    if not info.verified:
        _err(
            f"warning: could not check the token with {settings.api.frontend_url} "
            f"({info.problem}); storing it unverified."
        )
    try:
        saved = save_login(secret, info.address, insecure=args.insecure_storage)
    except (KeyringUnavailable, InsecureFileError) as exc:
        _err(f"Not logged in: {exc}")
        return EXIT_FAILED
    if saved.warning:
        _err(f"warning: {saved.warning}")
    for note in saved.notes:
        _err(f"note: {note}")
    print(f"Logged in as {_who(info)}. Token stored in {saved.source}.")
    if os.environ.get(TOKEN_ENV, "").strip():
        _err(f"note: {TOKEN_ENV} is set in this environment and takes precedence over it.")
    return EXIT_OK


def _read_token(stdin: TextIO, from_stdin: bool) -> Secret | None:
    """The pasted or piped token, as a Secret; None (after saying why) when there is none."""
    if not from_stdin and not stdin.isatty():
        _err(
            "pumptui: no terminal to ask for the token on; pipe it with --token-stdin "
            "or sign in with --keypair FILE"
        )
        return None
    try:
        secret = _clean_token(
            stdin.read() if from_stdin else getpass.getpass("pump.fun auth token (hidden): ")
        )
    except EOFError:
        secret = None
    if secret is None:
        _err(
            "pumptui: that does not look like a token (expected the auth_token cookie value, "
            "a JWT of printable characters without spaces)"
        )
    return secret


def _clean_token(raw: str) -> Secret | None:
    """The first non-empty line, without an `auth_token=` or `Bearer ` prefix."""
    line = next((part.strip() for part in raw.splitlines() if part.strip()), "")
    for prefix in _PREFIXES:
        line = line.removeprefix(prefix)
    line = line.split(";", 1)[0].strip()  # a pasted Cookie header may carry attributes
    return Secret(line) if _TOKEN_SHAPE.match(line) else None


async def _obtain_and_check(
    settings: Settings, secret: Secret | None, keypair: str | None
) -> tuple[Secret, AccountInfo] | int:
    from pumptui.api.client import PumpClient, RetryPolicy
    from pumptui.api.errors import ApiError, AuthRequired, Forbidden, InsecureTransport
    from pumptui.auth import check_token
    from pumptui.keypair import KeypairError, login_with_keypair

    async with PumpClient(
        settings.api, retry=RetryPolicy(max_retries=1), budgets=client_budgets(settings)
    ) as client:
        if secret is None:
            assert keypair is not None
            try:
                secret = await login_with_keypair(client, keypair)
            except KeypairError as exc:
                _err(f"pumptui: {exc}")
                return EXIT_USAGE
            except InsecureTransport as error:
                _err(f"pumptui: {error.message}")
                return EXIT_USAGE
            except ApiError as error:
                _err(f"Sign-in refused or failed: {error.message}")
                return EXIT_FAILED
        try:
            info = await check_token(client, secret)
        except InsecureTransport as error:
            _err(f"pumptui: {error.message}; use an https:// or loopback server URL")
            return EXIT_USAGE
        except (AuthRequired, Forbidden):
            _err("The server refused this token (expired, revoked or mistyped?). Nothing stored.")
            return EXIT_FAILED
    return secret, info


# Seconds `logout` waits for the server before forgetting the token anyway.
LOGOUT_TIMEOUT = 5.0


def _who(info: AccountInfo) -> str:
    address = info.address or "an unknown address"
    name = f"{info.username} ({address})" if info.username else address
    return f"{name}, admin" if info.admin else name


# -- logout --------------------------------------------------------------------------------------


def run_logout(args: argparse.Namespace) -> int:
    from pumptui.auth import TOKEN_ENV, InsecureTokenFile, KeyringUnavailable, TokenStore

    status = EXIT_OK
    if not args.local:
        _end_session(args)
    removed: list[str] = []
    keyring_problem: KeyringUnavailable | None = None
    try:
        account = TokenStore().delete(args.account)
    except KeyringUnavailable as exc:
        keyring_problem = exc
    else:
        if account is not None:
            removed.append(f"the token of {account} from the OS keyring")
    file = InsecureTokenFile()
    if file.delete():
        removed.append(f"the plain-text token file {file.path}")
    if keyring_problem is not None:
        if removed:
            # Nothing can be stored in an unusable keyring, so there is nothing left behind.
            _err("note: the OS keyring is not usable here, so it holds no pumptui token.")
        else:
            _err(f"Could not check the OS keyring: {keyring_problem}")
            status = EXIT_FAILED
    if removed:
        print("Logged out: removed " + " and ".join(removed) + ".")
    elif status == EXIT_OK:
        print("No stored token to remove.")
    if os.environ.get(TOKEN_ENV, "").strip():
        _err(f"note: {TOKEN_ENV} is still set in this environment; unset it to be logged out.")
    return status


def _end_session(args: argparse.Namespace) -> None:
    """Tell the server the stored session is over, so the token is useless even if it leaked
    before. Best effort: the local token is forgotten whatever the server says."""
    import asyncio

    from pumptui.config import ConfigError

    secret = _stored_secret(args.account)
    if secret is None:
        return
    try:
        settings = settings_from_args(args)
    except ConfigError as exc:
        _err(f"note: not telling the server ({exc})")
        return
    problem = asyncio.run(_log_out_on_server(settings, secret))
    if problem is None:
        print(f"Ended the session on {settings.api.frontend_url}.")
    else:
        _err(
            f"note: could not end the session on the server ({problem}); the token is "
            "forgotten here, but stays valid until it expires."
        )


def _stored_secret(account: str | None) -> Secret | None:
    """The token `logout` is about to forget: the keyring's, else the plain file's."""
    from pumptui.auth import InsecureFileError, InsecureTokenFile, KeyringUnavailable, TokenStore

    try:
        stored = TokenStore().load(account)
    except KeyringUnavailable:
        stored = None
    if stored is None and account is None:
        try:
            stored = InsecureTokenFile().load()
        except InsecureFileError:
            stored = None
    return stored.secret if stored is not None else None


async def _log_out_on_server(settings: Settings, secret: Secret) -> str | None:
    """None when the server ended the session; else why not, in a few words."""
    from pumptui.api.client import PumpClient, RetryPolicy
    from pumptui.api.errors import ApiError, AuthRequired

    async with PumpClient(
        settings.api,
        token=secret,
        retry=RetryPolicy(max_retries=1),
        budgets=client_budgets(settings),
        timeout=LOGOUT_TIMEOUT,
    ) as client:
        try:
            await client.logout()
        except AuthRequired:
            return None  # already expired or ended: nothing left to end
        except ApiError as error:
            return error.message
    return None


# -- whoami --------------------------------------------------------------------------------------


def run_whoami(args: argparse.Namespace) -> int:
    import asyncio

    from pumptui.auth import LOGIN_HELP, inspect_token, token_claims

    settings = settings_from_args(args)  # a ConfigError is one line and status 2 (cli.main)
    report = inspect_token()
    resolved = report.resolved
    if resolved is not None and resolved.warning:
        # The plain-text file the user chose, usually because the keyring is unusable: that is
        # the one thing to say, in one line (the keyring's notes would only repeat why).
        _err(f"warning: {resolved.warning}")
    else:
        for note in dict.fromkeys(report.notes):
            _err(f"note: {note}")
    if resolved is None:
        print("Not logged in: read-only mode (you can watch, but not like, follow or reply).")
        print(LOGIN_HELP)
        return EXIT_FAILED
    outcome = asyncio.run(_ask_server(settings, resolved.secret))
    claims = token_claims(resolved.secret)
    if outcome is None:
        print(f"The token from {resolved.source} was refused by the server (expired or revoked).")
        print(LOGIN_HELP)
        return EXIT_FAILED
    address = outcome.address or resolved.account or (claims.address if claims else None)
    lines = [
        ("Address", address or "unknown"),
        ("Username", outcome.username or ("-" if outcome.verified else "unknown")),
        ("Admin", {True: "yes", False: "no", None: "unknown"}[outcome.admin]),
        ("Token", f"from {resolved.source}"),
        ("Expires", _expiry(claims.expires_at if claims else None)),
        (
            "Server",
            f"confirmed by {settings.api.frontend_url}"
            if outcome.verified
            else f"not checked: {outcome.problem}",
        ),
    ]
    for label, value in lines:
        print(f"{label + ':':<10}{value}")
    return EXIT_OK


async def _ask_server(settings: Settings, secret: Secret) -> AccountInfo | None:
    """The account as the server sees it; None when the server refuses the token."""
    from pumptui.api.client import PumpClient, RetryPolicy
    from pumptui.api.errors import AuthRequired, Forbidden, InsecureTransport
    from pumptui.auth import AccountInfo, check_token, token_claims

    async with PumpClient(
        settings.api, retry=RetryPolicy(max_retries=1), budgets=client_budgets(settings)
    ) as client:
        try:
            return await check_token(client, secret)
        except (AuthRequired, Forbidden):
            return None
        except InsecureTransport as error:
            claims = token_claims(secret)
            return AccountInfo(claims.address if claims else None, problem=error.message)


def _expiry(expires_at: float | None, now: float | None = None) -> str:
    if expires_at is None:
        return "unknown"
    now = time.time() if now is None else now
    when = datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    left = expires_at - now
    if left <= 0:
        return f"{when} (expired)"
    if left >= 86400:
        return f"{when} (in {left / 86400:.0f} days)"
    return f"{when} (in {left / 3600:.1f} hours)"
