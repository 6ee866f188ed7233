"""`pumptui doctor`: does the service still answer the way the app expects?

Probes each route the app reads ONCE, inside the budgets, and says per route: the HTTP status,
the latency, whether the answer has the documented shape (`routes.SHAPES`), the rate-limit
headers seen, and a verdict:

- ok: answered with the documented shape;
- moved → fallback works: the primary route has no handler any more ("Cannot GET"), its
  fallback answers (the app switches by itself; the service drifted all the same);
- dead: no handler, and no fallback that works;
- blocked: the host is blocking us (Cloudflare 1015 on swap-api, a challenge page, a redirect to
  the blocked page); nothing more is sent to that host, and its other routes are "not probed";
- shape drift: an answer without a documented key (a renamed field shows as missing + unexpected);
- rate limited / failed: a v3 429, another error status, a timeout;
- unverified: what the reference leaves open (§6): nothing is sent, no pass or fail;
- not available: an optional feature the service has dropped (bookmarks: "Cannot GET"); the app
  says "not available" for it. Not a failure.

Social routes are probed too: a coin's callouts, its creator's profile (which gives the UUID),
the creator's follow counts and one page of callouts, and whether bookmarks still answer (asked
without a session: 401 means they are there).

Login is probed without logging in: an unsigned POST to each login route says whether a handler
is there (it refuses the probe) or not (404 "Cannot POST"); whether a signed `/auth/login` still
works after 2026-09-25 stays unverified.

The live chat (`livechat.pump.fun`, Socket.IO) is checked on ONE socket: connect anonymously,
join the coin's room, read a few messages of its history by ack; its row says what worked, a
note the figures seen (messages, viewers, a message's lifetime). Posting and the rest of what
the reference leaves open about the chat are listed as unverified (`routes.CHAT_UNVERIFIED`).

swap-api gets at most `MAX_SWAP_PROBES` requests (its budget is 15 a minute, its rule ~20), and
nothing after its first 429. Also printed: the keyring backend (never a secret), the terminal, the
config in force (any push key redacted), and whether the server is pumptui's simulator.

Exit status: 0 every probed route answered as expected; 1 something drifted, was blocked or
failed (each moved or dead route named on its own line); 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import locale
import math
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pumptui.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    import httpx

    from pumptui.api.budget import HostBudgets
    from pumptui.api.routes import Probe, Route, ShapeCheck
    from pumptui.config import Settings

EXIT_DRIFT = EXIT_FAILED
MAX_SWAP_PROBES = 5
HOST_LABELS = {"frontend": "frontend-api-v3", "swap": "swap-api", "indexer": "advanced-indexer"}
RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after")
OK, MOVED, DEAD, BLOCKED, DRIFT = "ok", "moved → fallback works", "dead", "blocked", "shape drift"
LIMITED, FAILED, UNVERIFIED = "rate limited", "failed", "unverified"
NOT_AVAILABLE = "not available"
_SECRET_WORDS = ("key", "token", "secret", "auth", "password")


def register(sub: argparse._SubParsersAction) -> None:
    from pumptui.cli.options import add_api_options

    parser = sub.add_parser(
        "doctor",
        help="check that the service still answers every route the app uses",
        description="Probe each route the app reads once (swap-api: at most "
        f"{MAX_SWAP_PROBES} requests, none after a block), and show per route the HTTP status, "
        "latency, shape check against the documented 2026 shapes, rate-limit headers and a "
        "verdict (ok, moved → fallback works, dead, blocked, shape drift, unverified). Also shows "
        "the keyring backend, the terminal and the config in force. Exit status: 0 all as "
        "expected, 1 something drifted, was blocked or failed, 2 bad usage.",
    )
    parser.add_argument(
        "--mint",
        metavar="MINT",
        help="the coin to probe per-coin routes with (default: the newest coin)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    add_api_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pumptui.api.client import base_url_problem
    from pumptui.base58 import is_pubkey
    from pumptui.cli.options import settings_from_args
    from pumptui.config import ConfigError

    if args.mint is not None and not is_pubkey(args.mint):
        _error(f"not a valid mint: {args.mint[:60]!r}")
        return EXIT_USAGE
    try:
        settings = settings_from_args(args)
    except ConfigError as exc:
        _error(str(exc))
        return EXIT_USAGE
    api = settings.api
    for url in (api.frontend_url, api.swap_url, api.indexer_url):
        problem = base_url_problem(url)
        if problem:
            _error(f"bad server URL: {problem}")
            return EXIT_USAGE
    report = asyncio.run(diagnose(settings, mint=args.mint))
    report.environment = environment(settings)
    if args.json:
        import orjson

        sys.stdout.write(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode())
        sys.stdout.write("\n")
    else:
        print_report(report, sys.stdout)
    return report.exit_status


def _error(message: str) -> None:
    print(f"pumptui doctor: {message}", file=sys.stderr)


# -- probing ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Answer:
    """One request's outcome, raw: what the client deliberately hides from its callers."""

    route: Route
    status: int | None = None
    latency_ms: float | None = None
    headers: dict[str, str] = field(default_factory=dict)
    payload: Any = None
    unrouted: bool = False
    block: str | None = None  # why the host is blocking us
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.block is None


@dataclass(slots=True)
class Row:
    view: str
    route: str
    host: str
    verdict: str
    status: int | None = None
    latency_ms: float | None = None
    shape: str = ""
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    rate_headers: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "route": self.route,
            "host": self.host,
            "status": self.status,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 1),
            "shape": self.shape,
            "missing": list(self.missing),
            "unexpected": list(self.unexpected),
            "rate_limit_headers": self.rate_headers,
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass(slots=True)
class Report:
    rows: list[Row] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    simulator: bool = False
    mint: str | None = None
    requests: dict[str, int] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        bad = [r for r in self.rows if r.verdict not in (OK, UNVERIFIED, NOT_AVAILABLE)]
        return EXIT_DRIFT if bad else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "simulator": self.simulator,
            "mint": self.mint,
            "routes": [row.to_json() for row in self.rows],
            "moved": self.moved,
            "notes": self.notes,
            "requests": self.requests,
            "environment": self.environment,
            "exit_status": self.exit_status,
        }


class Prober:
    """Sends each probe through the app's budgets; never to a host that is blocking us."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient, budgets: HostBudgets) -> None:
        self.settings = settings
        self.http = http
        self.budgets = budgets
        self.blocked: dict[str, tuple[float, str]] = {}  # host → (wall end, why)
        self.sent: dict[str, int] = {}

    def base(self, route: Route) -> str:
        from pumptui.api.routes import Host

        api = self.settings.api
        return {Host.SWAP: api.swap_url, Host.INDEXER: api.indexer_url}.get(
            route.host, api.frontend_url
        ).rstrip("/")

    def refuses(self, route: Route) -> str | None:
        """Why nothing may go to this route's host now (None: it may)."""
        host = route.host.value
        if host in self.blocked:
            until, why = self.blocked[host]
            left = max(0, math.ceil(until - time.time()))
            return f"not probed: {HOST_LABELS[host]} blocked ({why}), retry in {left}s"
        if host == "swap" and self.sent.get(host, 0) >= MAX_SWAP_PROBES:
            return f"not probed: doctor sends swap-api at most {MAX_SWAP_PROBES} requests"
        return None

    async def send(self, route: Route) -> Answer:
        import httpx

        from pumptui.api import routes

        answer = Answer(route)
        host = route.host.value
        await self.budgets.bucket(host, route.group).acquire()
        self.sent[host] = self.sent.get(host, 0) + 1
        started = time.monotonic()
        try:
            response = await self.http.request(
                route.method,
                self.base(route) + route.path,
                params=dict(route.params) or None,
                json=route.json,
            )
        except httpx.TimeoutException:
            answer.error = "no answer in time"
            return answer
        except httpx.HTTPError as exc:
            answer.error = f"could not connect ({type(exc).__name__})"
            return answer
        answer.latency_ms = (time.monotonic() - started) * 1000
        answer.status = status = response.status_code
        answer.headers = {k: response.headers[k] for k in RATE_HEADERS if k in response.headers}
        body = response.content
        retry_after = _seconds(response.headers.get("retry-after"))
        answer.retry_after = retry_after
        html = "html" in response.headers.get("content-type", "") or body.lstrip()[:1] == b"<"
        text = body[:200].decode("utf-8", "replace")
        if 300 <= status < 400 and routes.is_block_redirect(response.headers.get("location")):
            answer.block = "redirected to the blocked page"
        elif status == 429 and (route.host.value == "swap" or routes.BLOCK_BODY_1015 in text):
            answer.block = "Cloudflare 1015"
        elif html and (200 <= status < 300 or status in (403, 429, 503)):
            answer.block = "a challenge page"
        if answer.block:
            # The client waits max(retry-after, 60 s) after a block; so does doctor's advice.
            wait = max(retry_after or 0.0, 60.0 if route.host.value == "swap" else 0.0)
            self.blocked[host] = (time.time() + wait, answer.block)
            return answer
        try:
            answer.payload = routes.decode_json(body) if body.strip() else None
        except ValueError:
            answer.payload = None
            if 200 <= status < 300:
                answer.error = "malformed JSON"
        if status == 404:
            answer.unrouted = routes.is_unrouted(answer.payload)
        return answer


async def diagnose(settings: Settings, *, mint: str | None = None) -> Report:
    import httpx

    from pumptui.api import routes
    from pumptui.api.client import USER_AGENT
    from pumptui.cli.options import client_budgets
    from pumptui.config import SITE_URL

    report = Report()
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json", "Origin": SITE_URL}
    timeout = httpx.Timeout(settings.api.timeout, connect=min(settings.api.timeout, 5.0))
    async with httpx.AsyncClient(
        headers=headers, timeout=timeout, follow_redirects=False, trust_env=False
    ) as http:
        prober = Prober(settings, http, client_budgets(settings))
        state = await prober.send(routes.sim_state())
        report.simulator = bool(
            state.ok and isinstance(state.payload, dict) and state.payload.get("simulator") is True
        )
        listing = routes.doctor_listing()
        first = await probe(prober, listing, report)
        term = "pump"
        if isinstance(first, list) and first and isinstance(first[0], dict):
            mint = mint or _text(first[0].get("mint"))
            term = _text(first[0].get("symbol")) or term
        report.mint = mint
        if mint is None:
            report.notes.append(
                "no coin to probe per-coin routes with (/coins gave none): pass --mint MINT"
            )
            for item in routes.doctor_probes("MINT"):
                report.rows.append(
                    Row(
                        item.view,
                        _template(item.routes[0]),
                        HOST_LABELS[item.host.value],
                        FAILED,
                        note="not probed: no coin",
                    )
                )
        else:
            answers = {}
            for item in routes.doctor_probes(mint, search_term=term):
                answers[item.view] = await probe(prober, item, report)
            coin = answers.get(routes.VIEW_COIN)
            await probe_people(
                prober, report, coin.get("creator") if isinstance(coin, dict) else None
            )
        await probe_login(prober, report)
        await probe_bookmarks(prober, report)
        for view, label, why in routes.UNVERIFIED_ROUTES:
            on_swap = " /v1/" in label or " /v2/" in label
            report.rows.append(
                Row(view, label, "swap-api" if on_swap else "frontend-api-v3", UNVERIFIED, note=why)
            )
        for host, (until, why) in prober.blocked.items():
            stopped = [
                r.view
                for r in report.rows
                if r.note.startswith("not probed") and r.host == HOST_LABELS[host]
            ]
            left = max(0, math.ceil(until - time.time()))
            line = f"{HOST_LABELS[host]} blocked ({why}), retry in {left}s: stopped probing it"
            if stopped:
                line += f"; not probed: {', '.join(stopped)}"
            report.notes.append(line)
        report.requests = {HOST_LABELS[h]: n for h, n in prober.sent.items()}
    # The chat last: its socket owes nothing to the HTTP budgets, and the blocks' countdowns
    # above are said as they stood when the HTTP probes ended.
    await probe_chat(settings, report, mint)
    for view, label, why in routes.CHAT_UNVERIFIED:
        report.rows.append(Row(view, label, CHAT_HOST, UNVERIFIED, note=why))
    return report


async def probe(prober: Prober, item: Probe, report: Report) -> Any:
    """Probe one view (primary, then its fallback when the primary has no handler); add its
    row; return the payload of any 2xx answer (None otherwise)."""
    from pumptui.api import routes

    host = HOST_LABELS[item.host.value]
    primary = item.routes[0]
    refusal = prober.refuses(primary)
    if refusal:
        verdict = BLOCKED if "blocked" in refusal else FAILED
        report.rows.append(Row(item.view, _template(primary), host, verdict, note=refusal))
        return None
    answer = await prober.send(primary)
    used = primary
    moved_from: Route | None = None
    if answer.unrouted and len(item.routes) > 1:
        for fallback in item.routes[1:]:
            if prober.refuses(fallback):
                break
            moved_from, used = primary, fallback
            answer = await prober.send(fallback)
            if not answer.unrouted:
                break
    row = Row(
        item.view,
        _template(used),
        host,
        OK,
        answer.status,
        answer.latency_ms,
        rate_headers=answer.headers,
    )
    report.rows.append(row)
    if answer.block:
        row.verdict = BLOCKED
        left = "" if answer.retry_after is None else f", retry in {answer.retry_after:.0f}s"
        row.note = f"{answer.block}{left}"
    elif answer.error and not answer.ok:
        row.verdict, row.note = FAILED, answer.error
    elif answer.unrouted:
        row.verdict = DEAD
        tried = " and ".join(_template(r) for r in item.routes)
        row.note = f"no handler ({_message(answer.payload)}); tried {tried}"
        if moved_from is not None:
            row.route = _template(primary)
        report.moved.append(f"dead: {item.view} {_template(primary)}")
    elif answer.status == 429:
        row.verdict, row.note = LIMITED, "v3 route group spent"
    elif not answer.ok:
        row.verdict = FAILED
        row.note = _message(answer.payload) or answer.error or f"HTTP {answer.status}"
    else:
        check = routes.check_shape(item.shape, answer.payload)
        row.missing, row.unexpected = check.missing, check.unexpected
        row.shape = _shape_text(check)
        if check.drifted:
            row.verdict = DRIFT
        elif moved_from is not None:
            row.verdict = MOVED
            row.note = f"{_template(moved_from)} has no handler"
            report.moved.append(f"moved: {item.view} {_template(moved_from)} → {_template(used)}")
        if check.drifted and moved_from is not None:
            report.moved.append(f"moved: {item.view} {_template(moved_from)} → {_template(used)}")
        if check.drifted:
            report.moved.append(
                f"shape drift: {item.view} {_template(used)} "
                f"(missing {', '.join(check.missing) or check.problem})"
            )
        return answer.payload  # drifted or not: doctor still needs a mint from the listing
    return None


async def probe_login(prober: Prober, report: Report) -> None:
    """Which login route the service answers, without logging in: an unsigned POST to each.
    A handler refuses it (400/401/403: the route is there); no handler answers 404 "Cannot
    POST", and 410 says the route is gone. Whether a SIGNED sign-in still works on
    `/auth/login` after 2026-09-25 cannot be seen this way: that stays unverified (§6.1)."""
    from pumptui.api import routes

    cookie, token = routes.login_probes()
    host = HOST_LABELS[cookie.host.value]
    answers: list[Answer] = []
    for route in (cookie, token):
        refusal = prober.refuses(route)
        if refusal:
            verdict = BLOCKED if "blocked" in refusal else FAILED
            report.rows.append(Row("login route", _template(route), host, verdict, note=refusal))
            return
        answers.append(await prober.send(route))
    first, second = answers
    described = "; ".join(
        f"{_template(r)}: {_login_answer(a)}" for r, a in zip((cookie, token), answers, strict=True)
    )
    row = Row(
        "login route",
        _template(cookie),
        host,
        OK,
        first.status,
        first.latency_ms,
        rate_headers=first.headers,
        note=described,
    )
    report.rows.append(row)
    if first.block or second.block:
        row.verdict = BLOCKED
    elif first.status == 429 or second.status == 429:
        row.verdict = LIMITED
    elif _login_present(first):
        pass
    elif _login_gone(first) and _login_present(second):
        row.verdict, row.route = MOVED, _template(token)
        row.status, row.latency_ms = second.status, second.latency_ms
        row.note = f"{_template(cookie)}: {_login_answer(first)}"
        report.moved.append(f"moved: login {_template(cookie)} → {_template(token)}")
    elif _login_gone(first) and _login_gone(second):
        row.verdict = DEAD
        report.moved.append(f"dead: login {_template(cookie)} and {_template(token)}")
    else:
        row.verdict = FAILED
    report.notes.append(
        f"login: {described}. The app signs in on {_template(cookie)}, then on "
        f"{_template(token)} when the first refuses or is gone; whether {_template(cookie)} still "
        "signs a wallet in after 2026-09-25 (the web site moved to Privy) is unverified on the "
        "real service."
    )


def _login_present(answer: Answer) -> bool:
    """A handler looked at the unsigned probe and refused it (not 404 "Cannot POST", not 410)."""
    status = answer.status
    return (
        status is not None
        and 400 <= status < 500
        and status not in (410, 429)
        and not answer.unrouted
        and answer.block is None
    )


def _login_gone(answer: Answer) -> bool:
    return answer.unrouted or answer.status == 410


def _login_answer(answer: Answer) -> str:
    if answer.block:
        return f"blocked ({answer.block})"
    if answer.status is None:
        return answer.error or "no answer"
    message = _message(answer.payload)
    detail = f": {message}" if message else ""
    if answer.unrouted:
        return f"no handler (404{detail})"
    if answer.status == 410:
        return f"gone (410{detail})"
    if _login_present(answer):
        return f"answers (a handler refused the unsigned probe with {answer.status}{detail})"
    if 200 <= answer.status < 300:
        return f"accepted an unsigned sign-in ({answer.status})?"
    return f"HTTP {answer.status}{detail}"


async def probe_people(prober: Prober, report: Report, creator: object) -> None:
    """The creator's profile, then (by the UUID it gives) follow counts and callouts."""
    from pumptui.api import routes
    from pumptui.base58 import is_pubkey

    if not isinstance(creator, str) or not is_pubkey(creator):
        report.notes.append("no creator to probe the user and follow routes with")
        return
    profile = await probe(prober, routes.doctor_user_probe(creator), report)
    user_id = routes.read_user_uuid(profile)
    if user_id is None:
        report.notes.append("no UUID from /users/{wallet}: follow counts probed by wallet")
    for item in routes.doctor_people_probes(user_id or creator):
        await probe(prober, item, report)


async def probe_bookmarks(prober: Prober, report: Report) -> None:
    """Bookmarks' liveness (reference §4: no 2026 evidence): asked without a session, a live
    route answers 401 (or 200); a dropped one has no handler ("Cannot GET")."""
    from pumptui.api import routes

    route = routes.doctor_bookmarks()
    host = HOST_LABELS[route.host.value]
    refusal = prober.refuses(route)
    if refusal:
        verdict = BLOCKED if "blocked" in refusal else FAILED
        report.rows.append(Row("bookmarks", _template(route), host, verdict, note=refusal))
        return
    answer = await prober.send(route)
    row = Row(
        "bookmarks",
        _template(route),
        host,
        OK,
        answer.status,
        answer.latency_ms,
        rate_headers=answer.headers,
    )
    report.rows.append(row)
    if answer.block:
        row.verdict, row.note = BLOCKED, answer.block
    elif answer.unrouted:
        row.verdict, row.note = NOT_AVAILABLE, f"no handler ({_message(answer.payload)})"
        report.notes.append("bookmarks: not available on this service")
    elif answer.status in (401, 403):
        row.note = "answers (needs a session)"
    elif not answer.ok:
        row.verdict = FAILED
        row.note = _message(answer.payload) or answer.error or f"HTTP {answer.status}"


CHAT_HOST = "livechat"
# Messages of history doctor asks for: enough to see the shape and a lifetime.
CHAT_PROBE_LIMIT = 5


async def probe_chat(settings: Settings, report: Report, mint: str | None) -> None:
    """The live chat on one socket: connect (anonymous), join `mint`'s room, read its history
    by ack. Adds the "chat" row, and a note of what was seen."""
    import socketio

    from pumptui.api import routes
    from pumptui.live.chat import socket_log

    row = Row("chat", f"socket.io {routes.CHAT_JOIN} + {routes.CHAT_HISTORY}", CHAT_HOST, OK)
    report.rows.append(row)
    if mint is None:
        row.verdict, row.note = FAILED, "not probed: no coin"
        return
    timeout = settings.api.timeout
    sio = socketio.AsyncClient(
        reconnection=False, handle_sigint=False, logger=socket_log, engineio_logger=socket_log
    )
    viewers: list[int | None] = []
    refusals: list[str] = []
    sio.on(
        routes.CHAT_VIEWER_COUNT, lambda data=None: viewers.append(routes.read_viewer_count(data))
    )
    sio.on(
        "connect_error",
        lambda data=None: (
            refusals.append(routes.read_chat_error(data)) if isinstance(data, dict) else None
        ),
    )
    started = time.monotonic()
    try:
        await asyncio.wait_for(
            sio.connect(
                routes.chat_endpoint(settings.api.chat_url),
                headers=routes.chat_headers(),
                auth=routes.chat_auth(None, now_ms=int(time.time() * 1000)),
                transports=["websocket"],
                socketio_path=routes.CHAT_SOCKETIO_PATH,
                wait_timeout=timeout,
            ),
            timeout + 1.0,
        )
    except Exception as exc:
        row.verdict = FAILED
        row.note = (
            f"refused: {refusals[0]}"
            if refusals
            else f"could not connect to {routes.chat_url(settings.api.chat_url)} "
            f"({type(exc).__name__})"
        )
        with contextlib.suppress(Exception):
            await sio.eio.disconnect(abort=True)
        return
    try:
        await sio.emit(routes.CHAT_JOIN, routes.chat_join(mint))
        ack = await sio.call(
            routes.CHAT_HISTORY, routes.chat_history(mint, limit=CHAT_PROBE_LIMIT), timeout=timeout
        )
    except socketio.exceptions.TimeoutError:
        row.verdict = FAILED
        row.note = f"connected and joined; no {routes.CHAT_HISTORY} ack in {timeout:g}s"
        return
    except socketio.exceptions.SocketIOError as exc:
        row.verdict, row.note = FAILED, f"connected, then {type(exc).__name__}"
        return
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sio.disconnect(), 5.0)
    row.latency_ms = (time.monotonic() - started) * 1000
    check = routes.check_shape(routes.SHAPES["chat"], routes.read_chat_records(ack))
    row.missing, row.unexpected = check.missing, check.unexpected
    row.shape = _shape_text(check)
    if check.drifted:
        row.verdict = DRIFT
        report.moved.append(
            f"shape drift: chat history (missing {', '.join(check.missing) or check.problem})"
        )
    messages = routes.read_chat_history(ack, room=mint)
    seen = [f"connected, joined the room, history ack with {len(messages)} message(s)"]
    counts = [v for v in viewers if v is not None]
    if counts:
        seen.append(f"viewers {counts[-1]}")
    lifetimes = [m.expires_at - m.at for m in messages if m.expires_at and m.at]
    if lifetimes:
        seen.append(f"a message lives about {_lifetime(max(lifetimes))} (expiresAt − timestamp)")
    row.note = "; ".join(seen)
    report.notes.append(f"livechat: {row.note}")


def _lifetime(seconds: float) -> str:
    if seconds >= 5400:
        return f"{seconds / 3600:.0f} h"
    if seconds >= 90:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def _template(route: Route) -> str:
    """A route as a template without its method: "/coins-v3/{mint}"."""
    return route.name.split(" ", 1)[-1]


def _shape_text(check: ShapeCheck) -> str:
    if check.problem:
        return check.problem
    parts = []
    if check.missing:
        parts.append("missing " + ", ".join(check.missing))
    if check.unexpected:
        shown = ", ".join(check.unexpected[:4])
        more = len(check.unexpected) - 4
        parts.append("unexpected " + shown + (f" (+{more})" if more > 0 else ""))
    if not parts:
        return "no records to check" if check.empty else "ok"
    return "; ".join(parts)


def _message(payload: Any) -> str:
    from pumptui.api.routes import error_message
    from pumptui.api.sanitize import clean_text

    message = error_message(payload)
    return clean_text(message, 120) if message else ""


def _text(value: Any) -> str | None:
    from pumptui.api.sanitize import clean_text

    return clean_text(value, 64) or None if isinstance(value, str) else None


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds == seconds and seconds >= 0 else None


# -- the environment ---------------------------------------------------------------------------


def environment(settings: Settings) -> dict[str, Any]:
    return {"keyring": keyring_info(), "terminal": terminal_info(), "config": config_info(settings)}


def keyring_info() -> dict[str, Any]:
    """The backend and where a token would come from; never the token."""
    from pumptui.auth import AuthError, TokenStore, inspect_token

    store = TokenStore(timeout=3.0)
    try:
        status = store.status()
        info: dict[str, Any] = {
            "backend": status.name,
            "usable": status.usable,
            "problem": status.problem,
        }
    except AuthError as exc:
        info = {"backend": None, "usable": False, "problem": str(exc).splitlines()[0]}
    try:
        resolved = inspect_token(store=store).resolved
        info["token"] = resolved.source if resolved is not None else "none (read-only)"
    except AuthError as exc:
        info["token"] = f"unknown ({str(exc).splitlines()[0]})"
    return info


def terminal_info() -> dict[str, Any]:
    from rich.console import Console

    console = Console(file=sys.stdout)
    size = shutil.get_terminal_size(fallback=(0, 0))
    encoding = getattr(sys.stdout, "encoding", None) or locale.getpreferredencoding(False) or ""
    colours = {"standard": 16, "256": 256, "truecolor": 16_777_216, "windows": 16}.get(
        console.color_system or "", 0
    )
    return {
        "TERM": os.environ.get("TERM"),
        "COLORTERM": os.environ.get("COLORTERM"),
        "NO_COLOR": "NO_COLOR" in os.environ,
        "colours": colours,
        "size": f"{size.columns}x{size.lines}" if size.columns else "unknown",
        "is_terminal": sys.stdout.isatty(),
        "utf8": encoding.lower().replace("-", "") in ("utf8", "utf8sig"),
    }


def config_info(settings: Settings) -> dict[str, Any]:
    from pumptui.config import PUSH_API_KEY_ENV

    api, push = settings.api, settings.push
    path = settings.path
    return {
        "file": str(path) if path else None,
        "file_exists": bool(path and path.is_file()),
        "hosts": {
            "frontend": api.frontend_url,
            "swap": api.swap_url,
            "indexer": api.indexer_url,
            "chat": api.chat_url,
        },
        "budgets_per_minute": {
            "swap": api.swap_requests_per_minute,
            "frontend_per_group": api.frontend_requests_per_minute,
            "indexer": api.indexer_requests_per_minute,
            "burst": api.burst,
        },
        "push": redact_url(push.url) if push.url else "off",
        "push_api_key": f"set ({PUSH_API_KEY_ENV})" if push.api_key is not None else "not set",
    }


def redact_url(url: str) -> str:
    """A URL with its credentials and any key-like query value replaced by `***`."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = [
        (k, "***" if any(w in k.lower() for w in _SECRET_WORDS) else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="*")))


# -- output ------------------------------------------------------------------------------------


def print_report(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, width=None if out.isatty() else 200, highlight=False)
    if report.simulator:
        console.print(
            "server: pumptui's simulator (/_sim/state says simulator: true)", markup=False
        )
    if report.mint:
        console.print(f"per-coin routes probed with {report.mint}", markup=False)
    table = Table(header_style="bold")
    for column in ("view", "route", "host", "status", "latency", "shape", "rate limit", "verdict"):
        table.add_column(column, overflow="fold")
    for row in report.rows:
        latency = "" if row.latency_ms is None else f"{row.latency_ms:.0f} ms"
        verdict = row.verdict + (f" ({row.note})" if row.note and row.verdict != OK else "")
        table.add_row(
            *(
                Text(cell)
                for cell in (
                    row.view,
                    row.route,
                    row.host,
                    "" if row.status is None else str(row.status),
                    latency,
                    row.shape,
                    _rate_text(row.rate_headers),
                    verdict,
                )
            )
        )
    console.print(table)
    for line in report.moved + report.notes:
        console.print(line, markup=False, soft_wrap=True)
    sent = ", ".join(f"{host} {n}" for host, n in report.requests.items())
    console.print(f"requests sent: {sent or 'none'}", markup=False)
    env = report.environment
    if env:
        ring, term, config = env["keyring"], env["terminal"], env["config"]
        console.print(
            f"keyring: {ring.get('backend') or 'none'} · "
            f"{'usable' if ring.get('usable') else 'not usable: ' + str(ring.get('problem'))}"
            f" · token from {ring.get('token')}",
            markup=False,
            soft_wrap=True,
        )
        console.print(
            f"terminal: TERM={term['TERM']} COLORTERM={term['COLORTERM']} "
            f"NO_COLOR={'set' if term['NO_COLOR'] else 'unset'} colours={term['colours']} "
            f"size={term['size']} utf-8={'yes' if term['utf8'] else 'no'}",
            markup=False,
        )
        hosts = config["hosts"]
        budgets = config["budgets_per_minute"]
        console.print(
            f"config: {config['file']}{'' if config['file_exists'] else ' (absent: defaults)'}"
            f"\n  hosts: frontend {hosts['frontend']} · swap {hosts['swap']} · indexer "
            f"{hosts['indexer']} · chat {hosts['chat']}\n  budgets a minute: swap "
            f"{budgets['swap']:g} · frontend "
            f"{budgets['frontend_per_group']:g} per route group · indexer "
            f"{budgets['indexer']:g} · burst {budgets['burst']}\n  push: {config['push']} · "
            f"push api key {config['push_api_key']}",
            markup=False,
            soft_wrap=True,
        )
    verdict = (
        "every route answered as expected"
        if report.exit_status == EXIT_OK
        else "something drifted: see above"
    )
    console.print(verdict, markup=False)


def _rate_text(headers: dict[str, str]) -> str:
    names = {
        "x-ratelimit-limit": "limit",
        "x-ratelimit-remaining": "left",
        "x-ratelimit-reset": "reset",
        "retry-after": "retry-after",
    }
    return " ".join(f"{names[k]} {v}" for k, v in headers.items())
