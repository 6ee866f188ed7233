"""`pumptui moderate nsfw|hide|ban`: bulk moderation for admin accounts.

Asks for confirmation unless `--yes` (and refuses to guess when there is no terminal to ask on),
checks that the token has admin rights before sending anything, then runs through the same
batching, retries and per-item accounting as `pumptui coins`, with the same exit statuses.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from pumptui.cli.coins import (
    add_bulk_options,
    error,
    load_cli_settings,
    read_items,
    render_moderation,
    run_bulk,
)
from pumptui.cli.options import EXIT_FAILED, EXIT_USAGE
from pumptui.words import plural

if TYPE_CHECKING:
    from pumptui.api.client import PumpClient

ACTIONS = {
    # action: (verb, noun counted)
    "nsfw": ("mark {n} as NSFW", "coin"),
    "hide": ("hide {n}", "item"),
    "ban": ("ban {n}", "item"),
}


def _what(action: str, count: int) -> str:
    """ "ban 1 item", "mark 3 coins as NSFW": the action as the confirmation question says it."""
    verb, noun = ACTIONS[action]
    return verb.format(n=plural(count, noun))


def register(sub: argparse._SubParsersAction) -> None:
    from pumptui.cli.options import add_api_options

    parser = sub.add_parser(
        "moderate",
        help="bulk moderation: mark NSFW, hide, ban (admin token needed)",
        description="Moderate in bulk. nsfw takes mints; hide and ban take mints (or "
        "numeric ids). Needs a token with admin rights (`pumptui login`, or PUMPTUI_TOKEN). Exit "
        "status: 0 all done or missing, 1 some failed or invalid, 2 bad usage, no valid input "
        "or no admin rights, 130 interrupted.",
    )
    parser.add_argument("action", choices=tuple(ACTIONS), help="what to do")
    parser.add_argument("items", nargs="*", metavar="ITEM", help="mints or ids ('-': stdin)")
    add_bulk_options(parser, item_name="items")
    parser.add_argument("--reason", metavar="TEXT", help="why (required for ban)")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    add_api_options(parser)
    parser.set_defaults(handler=run)


def resolve_token() -> Any:
    """The token to act with (env, keyring or opted-in file; see `pumptui.auth`), or None."""
    from pumptui.auth import resolve_token as resolve

    return resolve()


def confirm(question: str) -> bool | None:
    """Ask on the terminal; None when there is no terminal to ask on."""
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        return None
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    from pumptui.api.bulk import Moderation

    reason = (args.reason or "").strip()
    if args.action == "ban" and not reason:
        error("ban needs --reason TEXT")
        return EXIT_USAGE
    settings = load_cli_settings(args)
    if settings is None:
        return EXIT_USAGE
    items = read_items(args.items, args.file)
    if items is None:
        return EXIT_USAGE
    if not items:
        error("nothing to moderate: pass items as arguments, or use --file PATH (or -)")
        return EXIT_USAGE
    operation = Moderation(args.action, reason)
    valid = {key for key in map(operation.normalise, items) if key is not None}
    resolved = resolve_token()
    if resolved is None:
        error("moderation needs an admin token: run `pumptui login`, or set PUMPTUI_TOKEN")
        return EXIT_USAGE
    if valid and not args.yes:
        reading_stdin = args.file == "-" or "-" in args.items
        question = (
            f"About to {_what(args.action, len(valid))} on "
            f"{settings.api.frontend_url}"
            + (f" (reason: {reason})" if reason else "")
            + ". Continue?"
        )
        answer = None if reading_stdin else confirm(question)
        if answer is None:
            error("no terminal to confirm on: add --yes to go ahead")
            return EXIT_USAGE
        if not answer:
            error("cancelled; nothing was changed")
            return EXIT_USAGE
    return asyncio.run(
        run_bulk(
            args,
            settings,
            operation,
            items,
            render=render_moderation,
            token=resolved.secret,
            before=check_admin,
        )
    )


async def check_admin(client: PumpClient) -> int | None:
    """Refuse early, with a clear message, unless the token has admin rights."""
    from pumptui.api.errors import ApiError, AuthRequired, InsecureTransport

    try:
        admin = await client.is_admin()
    except AuthRequired:
        error("the server rejected the token (expired or revoked?): run `pumptui login` again")
        return EXIT_USAGE
    except InsecureTransport as exc:
        error(f"{exc} (use https, or a loopback address)")
        return EXIT_USAGE
    except ApiError as exc:
        error(f"could not check admin rights: {exc}")
        return EXIT_FAILED
    if not admin:
        error("this token has no admin rights: moderation needs an admin account")
        return EXIT_USAGE
    return None
