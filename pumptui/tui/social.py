"""Likes, follows, bookmarks, replies, moderation and logging in: the app's social service.

`SocialActions` is what screens call when the user presses `l`, `f`, `b`, `r`, space or `!`. It
holds no widgets and draws nothing. Every network call runs in a Textual worker of its own group
(`social-<action>`, `exit_on_error=False`), and what came of it goes back as a message:
`SocialChanged` to the active screen (redraw like, follow, bookmark or mark state), or a result
message to the screen that asked (`ReplyFinished`, `LoginFinished`, `CoinsFetched`, ...).

The rules live in `pumptui.social` (no Textual there): the optimistic cache with rollback, the
drafts that are kept until the server confirms, the captcha sources. This module adds what only
an app can do: show the intent at once (a pending overlay, so `l` shows the heart before the
answer), serialise actions on one target (like then unlike reach the server in that order), toast
refusals, open the login screen on a 401 and carry on with the action once logged in, and ask for
a captcha in a modal when no automatic source gives one.

Wiring (three lines): `SocialActions.install(app)` in `PumpApp.__init__` (the service becomes
`app.social`), `app.social.start()` once the app runs, and `SocialKeys` + `SOCIAL_BINDINGS` on the
screens, each implementing `social_target()`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

from textual.binding import Binding
from textual.message import Message
from textual.message_pump import MessagePump

from pumptui import config
from pumptui.api.bulk import BulkResult, fetch_coins, moderate_ban, moderate_hide, moderate_nsfw
from pumptui.api.errors import ApiError, AuthRequired, Forbidden, InsecureTransport
from pumptui.api.models import BookmarkList, Coin, Reply
from pumptui.auth import (
    UNKNOWN_ACCOUNT,
    InsecureFileError,
    InsecureTokenFile,
    KeyringUnavailable,
    TokenStore,
    asave_login,
    check_token,
)
from pumptui.secret import Secret
from pumptui.social.actions import SESSION_EXPIRED, ActionResult
from pumptui.social.actions import SocialActions as CoreActions
from pumptui.social.captcha import CaptchaError, CaptchaProvider
from pumptui.social.db import LocalStateError
from pumptui.social.drafts import DRAFTS_FILE_NAME, Draft, DraftStore
from pumptui.social.state import STATE_FILE_NAME, SocialState
from pumptui.tui import format as fmt

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from pumptui.api.client import PumpClient

log = logging.getLogger(__name__)

# The simulator accepts 1000 characters; the real service's limit is not documented, and its
# validators count UTF-16 units as JavaScript does (an emoji is two), so the editor counts so too.
REPLY_MAX_CHARS: Final = 1000
# The demo keeps its local state apart from the real account's (simulated mints mean nothing
# to the real API); the social cache file is the one `pumptui demo` opens for its watchlist.
DEMO_STATE_FILE: Final = "demo-social.sqlite3"
DEMO_DRAFTS_FILE: Final = "demo-drafts.sqlite3"
NO_SERVER: Final = "Not connected to a server: this view shows frozen data."
MODERATION_ACTIONS: Final = ("nsfw", "hide", "ban")

Storage = Literal["keyring", "file", "session"]
ModerationAction = Literal["nsfw", "hide", "ban"]

# Screen bindings for the social keys; ids let the config's [keymap] remap them. Moderator keys
# are hidden (and do nothing) for everyone else: see `SocialKeys.check_action`.
SOCIAL_BINDINGS: list[Binding] = [
    Binding("l", "social_like", "Like", id="social.like",
            tooltip="Like or unlike the coin, or the reply in focus"),
    Binding("f", "social_follow", "Follow", id="social.follow",
            tooltip="Follow or unfollow the coin's creator, or the reply's author"),
    Binding("b", "social_bookmark", "Bookmark", id="social.bookmark",
            tooltip="Add the coin to or remove it from your bookmark lists"),
    Binding("r", "social_reply", "Reply", id="social.reply",
            tooltip="Write a reply to the coin (drafts are kept until the server confirms)"),
    Binding("B", "social_bookmarks", "Bookmarks", id="social.bookmarks", show=False,
            tooltip="Your bookmark lists with live market data"),
    Binding("L", "social_login", "Log in", id="social.login", show=False,
            tooltip="Log in with a token or a keypair file"),
    Binding("space", "social_mark", "Mark", id="moderation.mark",
            tooltip="Mark the row for a bulk moderation action (moderators)"),
    Binding("exclamation_mark", "social_moderate", "Moderate", key_display="!",
            id="moderation.open", tooltip="Mark NSFW, hide or ban the marked rows (moderators)"),
]
MODERATOR_ONLY: Final = frozenset({"social_mark", "social_moderate"})


# -- what the keys act on -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SocialTarget:
    """The coin or reply under the cursor. `author` is the coin's creator or the reply's author
    (whom `f` follows); `label` names it in toasts and titles."""

    mint: str
    reply_id: int | None = None
    author: str | None = None
    label: str = ""

    @classmethod
    def for_coin(cls, coin: Coin) -> SocialTarget:
        name = f"${coin.symbol}" if coin.symbol else fmt.short_address(coin.mint)
        return cls(coin.mint, None, coin.creator, name)

    @classmethod
    def for_reply(cls, reply: Reply) -> SocialTarget:
        who = reply.username or fmt.short_address(reply.user)
        return cls(reply.mint, reply.id, reply.user, f"reply by {who}")

    @property
    def key(self) -> str:
        """What likes and moderation address: the reply id as text, or the mint."""
        return str(self.reply_id) if self.reply_id is not None else self.mint

    @property
    def is_reply(self) -> bool:
        return self.reply_id is not None


@dataclass(frozen=True, slots=True)
class Marked:
    """A row marked for moderation: a coin (mint) or a reply (id as text)."""

    key: str
    label: str
    is_reply: bool = False


# -- messages -------------------------------------------------------------------------------------


@dataclass
class SocialChanged(Message, bubble=False):
    """Like, follow, bookmark, mark or login state changed: redraw what shows it.

    Sent to the active screen twice per action: when the intent is shown (`result` None) and when
    the server answered (`result` set; a refusal has been rolled back by then).
    """

    what: str  # "like" | "follow" | "bookmark" | "marks" | "login"
    key: str | None = None
    result: ActionResult | None = None


@dataclass
class ReplyFinished(Message, bubble=False):
    """The answer to a reply the editor sent; the draft is gone only if `result.ok`."""

    mint: str
    result: ActionResult


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """How logging in went. When `ok` but `keyring_problem` is set, the user is logged in for
    this session only and the problem says why the keyring could not keep the token (with the
    options); `stored_in` says where it was kept otherwise."""

    ok: bool
    message: str
    account: str | None = None
    username: str | None = None
    admin: bool = False
    stored_in: str | None = None
    keyring_problem: str | None = None
    warning: str | None = None


@dataclass
class LoginFinished(Message, bubble=False):
    outcome: LoginOutcome


@dataclass
class BookmarkListsLoaded(Message, bubble=False):
    """The cache now holds the server's lists (or `result` says why not)."""

    result: ActionResult


@dataclass
class BookmarkListCreated(Message, bubble=False):
    bookmark_list: BookmarkList | None
    message: str


@dataclass
class CoinsFetched(Message, bubble=False):
    """Live market data for bookmarked coins, fetched in bulk. `missing` were not found."""

    coins: dict[str, Coin]
    missing: tuple[str, ...] = ()
    problem: str | None = None


@dataclass
class ModerationFinished(Message, bubble=False):
    """One result per item (`result`), or `problem` when nothing could be sent."""

    action: str
    result: BulkResult[Any] | None
    problem: str | None = None


# -- the service ----------------------------------------------------------------------------------


SUCCESS: Final = {
    "like": "Liked",
    "unlike": "Like removed",
    "follow": "Following",
    "unfollow": "Unfollowed",
    "bookmark": "Bookmarked",
    "remove bookmark": "Bookmark removed",
}


@dataclass(slots=True)
class _Pending:
    serial: int
    on: bool


@dataclass(slots=True)
class _Retry:
    """What to do once the user has logged in (or given a captcha token)."""

    after_login: Callable[[], object] | None = None
    with_captcha: Callable[[str], object] | None = None


class SocialActions:
    """The app-level social service. One per app; screens reach it as `app.social`."""

    def __init__(
        self,
        app: App[Any],
        *,
        state: SocialState | None = None,
        drafts: DraftStore | None = None,
        captcha: CaptchaProvider | None = None,
        token_store: TokenStore | None = None,
        token_file: InsecureTokenFile | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.app = app
        self.services: Any = app.services  # type: ignore[attr-defined]
        self.clock: Callable[[], float] = clock or self.services.clock
        self.local_problem: str | None = None
        self.state = state if state is not None else self._open_state()
        self.drafts = drafts if drafts is not None else self._open_drafts()
        self.captcha = captcha if captcha is not None else self._captcha_provider()
        self.token_store = token_store
        self.token_file = token_file
        self.is_admin = False
        self.marked: dict[str, Marked] = {}
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._serials = itertools.count(1)
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._retry = _Retry()
        self._core: CoreActions | None = None
        self._sync_account()

    @classmethod
    def install(cls, app: App[Any], **options: Any) -> SocialActions:
        """Create the service for `app` and make it `app.social`."""
        social = cls(app, **options)
        app.social = social  # type: ignore[attr-defined]
        return social

    @staticmethod
    def bindings() -> list[Binding]:
        """The keys a screen adds to offer the social actions (with `SocialKeys`)."""
        return list(SOCIAL_BINDINGS)

    def start(self) -> None:
        """Once the app runs: learn who we are (admin?) and sync the bookmark cache."""
        if self.local_problem:
            self.app.notify(self.local_problem, severity="warning", title="Local state",
                            timeout=8, markup=False)
        if not getattr(self.services, "resolve_login", False):
            self.identity_changed()

    def close(self) -> None:
        """Close the local files this service opened (not a watchlist it shares)."""
        self.drafts.close()
        if self.state is not self.services.watchlist:
            self.state.close()

    # -- local state ---------------------------------------------------------------------------

    def _open_state(self) -> SocialState:
        watchlist = self.services.watchlist
        if isinstance(watchlist, SocialState):
            return watchlist  # one connection to the file the watchlist already uses
        name = DEMO_STATE_FILE if self.services.sim_mode else STATE_FILE_NAME
        try:
            return SocialState(config.data_dir() / name, clock=self.clock)
        except LocalStateError as exc:
            return SocialState(self._fallback_path(name, exc), clock=self.clock)

    def _open_drafts(self) -> DraftStore:
        name = DEMO_DRAFTS_FILE if self.services.sim_mode else DRAFTS_FILE_NAME
        try:
            return DraftStore(config.data_dir() / name, clock=self.clock)
        except LocalStateError as exc:
            return DraftStore(self._fallback_path(name, exc), clock=self.clock)

    def _fallback_path(self, name: str, problem: Exception) -> Path:
        """A private temporary file, so the app works, with a warning that nothing is kept."""
        self.local_problem = (
            f"{problem}. Likes, bookmarks and reply drafts are kept only until pumptui exits."
        )
        return Path(tempfile.mkdtemp(prefix="pumptui-")) / name

    def _captcha_provider(self) -> CaptchaProvider:
        command = self.services.settings.ui.captcha_command
        if self.services.sim_mode:
            return CaptchaProvider(command=command, fetch=self._sim_captcha)
        return CaptchaProvider(command=command)

    async def _sim_captcha(self) -> str:
        client = self.services.client
        if client is None:
            raise CaptchaError(NO_SERVER)
        return await client.sim_captcha()

    def _sync_account(self) -> None:
        """Local state follows the account the services are logged in as."""
        services = self.services
        account = (services.account or UNKNOWN_ACCOUNT) if services.logged_in else None
        if self.state.account != account or self.drafts.account != (account or ""):
            self.state.set_account(account)
            self.drafts.set_account(account)

    def _actions(self) -> CoreActions | None:
        """The textual-free actions, on the current client; None (with a toast) when offline."""
        client = self.services.client
        if client is None:
            self.app.notify(NO_SERVER, severity="warning", timeout=4)
            return None
        self._sync_account()
        if self._core is None or self._core.client is not client:
            self._core = CoreActions(client, self.state, self.drafts, self.captcha,
                                     clock=self.clock)
        return self._core

    @property
    def logged_in(self) -> bool:
        return bool(self.services.logged_in)

    # -- what the UI reads (cache plus intents not yet answered) --------------------------------

    def is_liked(self, key: str) -> bool:
        pending = self._pending.get(("like", key))
        return pending.on if pending is not None else self.state.is_liked(key)

    def is_following(self, wallet: str) -> bool:
        pending = self._pending.get(("follow", wallet))
        return pending.on if pending is not None else self.state.is_following(wallet)

    def _bookmark_intents(self) -> Iterator[tuple[str, str, bool]]:
        """(list id, mint, on) for each bookmark change not answered yet."""
        for (kind, key), pending in self._pending.items():
            if kind == "bookmark":
                list_id, _, mint = key.partition("\n")
                yield list_id, mint, pending.on

    def lists_containing(self, mint: str) -> set[str]:
        lists = self.state.lists_containing(mint)
        for list_id, pending_mint, on in self._bookmark_intents():
            if pending_mint == mint:
                (lists.add if on else lists.discard)(list_id)
        return lists

    def bookmark_lists(self) -> list[BookmarkList]:
        """The cached lists, with the changes not answered yet already in them."""
        lists = self.state.bookmark_lists()
        intents = list(self._bookmark_intents())
        if not intents:
            return lists
        shown = []
        for bookmark in lists:
            mints = list(bookmark.mints)
            for list_id, mint, on in intents:
                if list_id != bookmark.id:
                    continue
                if on and mint not in mints:
                    mints.append(mint)
                elif not on and mint in mints:
                    mints.remove(mint)
            shown.append(replace(bookmark, mints=tuple(mints)))
        return shown

    def bookmarks_synced(self) -> bool:
        return self.state.account is not None and self.state.synced_at("bookmarks") is not None

    # -- running work ----------------------------------------------------------------------------

    def _run(
        self,
        group: str,
        work: Callable[[], Awaitable[Any]],
        done: Callable[[Any], None],
        *,
        exclusive: bool = False,
        always: Callable[[], None] | None = None,
    ) -> Worker[None]:
        """Run `work` in a worker of group `social-<group>`; `done` gets its result on the event
        loop, and `always` runs however the worker ends. An unexpected error becomes a toast,
        never a crash (and never shows a token: only our own typed errors' messages are shown)."""

        async def runner() -> None:
            try:
                try:
                    outcome = await work()
                except (ApiError, LocalStateError, CaptchaError) as exc:
                    self.app.notify(f"{group}: {exc}", severity="error", markup=False)
                    return
                except Exception as exc:
                    log.exception("social action %s failed", group)
                    self.app.notify(f"{group} failed unexpectedly ({type(exc).__name__})",
                                    severity="error", markup=False)
                    return
                done(outcome)
            finally:
                if always is not None:
                    always()

        return self.app.run_worker(runner(), name=f"social-{group}", group=f"social-{group}",
                                   exit_on_error=False, exclusive=exclusive)

    def _lock(self, kind: str, key: str) -> asyncio.Lock:
        return self._locks.setdefault((kind, key), asyncio.Lock())

    def _post(self, message: Message, to: MessagePump | None = None) -> None:
        """To the screen that asked while it is up, else to whatever screen is on top."""
        if to is not None and to.is_attached:
            to.post_message(message)
        elif self.app.is_running and self.app.screen_stack:
            self.app.screen.post_message(message)

    def _changed(self, what: str, key: str | None, result: ActionResult | None = None) -> None:
        self._post(SocialChanged(what, key, result))

    # -- likes, follows, bookmarks -------------------------------------------------------------

    def toggle_like(self, target: SocialTarget) -> Worker[None] | None:
        return self.like(target, not self.is_liked(target.key))

    def like(self, target: SocialTarget, on: bool = True) -> Worker[None] | None:
        key = target.key
        return self._optimistic(
            "like", key, on,
            lambda core: core.like(key, on),
            retry=_Retry(after_login=lambda: self.like(target, on)),
        )

    def toggle_follow(self, target: SocialTarget) -> Worker[None] | None:
        wallet = target.author
        if not wallet:
            self.app.notify(f"No author known for {target.label or 'this'}: nothing to follow",
                            severity="warning", timeout=3, markup=False)
            return None
        return self.follow(wallet, not self.is_following(wallet))

    def follow(self, wallet: str, on: bool = True,
               captcha_token: str | None = None) -> Worker[None] | None:
        return self._optimistic(
            "follow", wallet, on,
            lambda core: core.follow(wallet, on, captcha_token=captcha_token),
            retry=_Retry(after_login=lambda: self.follow(wallet, on),
                         with_captcha=lambda token: self.follow(wallet, on, token)),
        )

    def set_bookmark(self, mint: str, list_id: str, on: bool) -> Worker[None] | None:
        return self._optimistic(
            "bookmark", f"{list_id}\n{mint}", on,
            lambda core: core.bookmark(mint, list_id, on),
            retry=_Retry(after_login=lambda: self.set_bookmark(mint, list_id, on)),
            changed_key=mint,
        )

    def _optimistic(
        self,
        kind: str,
        key: str,
        on: bool,
        send: Callable[[CoreActions], Awaitable[ActionResult]],
        *,
        retry: _Retry,
        changed_key: str | None = None,
    ) -> Worker[None] | None:
        """Show the intent now, send it (after any earlier action on the same target), then
        settle: the cache holds the server's verdict, and a refusal gets a toast."""
        core = self._actions()
        if core is None:
            return None
        shown = changed_key or key
        serial = next(self._serials)
        self._pending[(kind, key)] = _Pending(serial, on)
        self._changed(kind, shown)

        async def work() -> ActionResult:
            async with self._lock(kind, key):
                return await send(core)

        def forget_intent() -> bool:
            pending = self._pending.get((kind, key))
            if pending is not None and pending.serial == serial:
                del self._pending[(kind, key)]
                return True
            return False

        def done(result: ActionResult) -> None:
            forget_intent()
            self._settle(kind, shown, result, retry)

        def always() -> None:
            # After an unexpected failure or a cancellation, `done` never ran: stop showing
            # an intent that will not be answered.
            if forget_intent():
                self._changed(kind, shown)

        return self._run(kind, work, done, always=always)

    def _settle(self, kind: str, key: str | None, result: ActionResult, retry: _Retry) -> None:
        self._changed(kind, key, result)
        if result.ok:
            label = result.change.label if result.change is not None else ""
            self.app.notify(SUCCESS.get(label, result.message), timeout=2, markup=False)
            return
        if result.needs_login:
            if result.message == SESSION_EXPIRED:
                self._token_rejected()
            self.open_login(result.message, then=retry.after_login)
            return
        if result.needs_captcha and retry.with_captcha is not None:
            self.ask_captcha(result.message, then=retry.with_captcha)
            return
        severity = "warning" if result.retry_at is not None else "error"
        self.app.notify(result.message, severity=severity, title="Refused", timeout=6,
                        markup=False)

    def _token_rejected(self) -> None:
        """A 401: the token is no good. Read-only until the user logs in again."""
        client = self.services.client
        if client is not None:
            client.set_token(None)
        self.services.logged_in = False
        self.is_admin = False
        self.app.refresh_bindings()

    # -- bookmark lists --------------------------------------------------------------------------

    def refresh_bookmarks(self, reply_to: MessagePump | None = None) -> Worker[None] | None:
        """Replace the cached lists with the server's; `BookmarkListsLoaded` when done."""
        core = self._actions()
        if core is None:
            return None

        def done(result: ActionResult) -> None:
            self._post(BookmarkListsLoaded(result), reply_to)
            self._changed("bookmark", None, result)
            if result.needs_login and reply_to is not None:
                if result.message == SESSION_EXPIRED:
                    self._token_rejected()
                self.open_login(result.message)

        return self._run("bookmark-lists", core.refresh_bookmarks, done, exclusive=True)

    def create_bookmark_list(self, name: str, *, add_mint: str | None = None,
                             reply_to: MessagePump | None = None) -> Worker[None] | None:
        """Create a list on the server, cache it, and put `add_mint` in it."""
        core = self._actions()
        if core is None:
            return None
        client = core.client
        name = name.strip()

        async def work() -> BookmarkListCreated:
            if not self.state.account:
                return BookmarkListCreated(None, "Log in to create bookmark lists.")
            try:
                created = await client.create_bookmark(name)
                if created is None:  # the server said "success" only: find it by name
                    created = next((b for b in reversed(await client.bookmarks())
                                    if b.name == name), None)
            except AuthRequired:
                return BookmarkListCreated(None, SESSION_EXPIRED)
            except ApiError as error:
                return BookmarkListCreated(None, f"Could not create the list: {error.message}")
            if created is None:
                return BookmarkListCreated(None, "The server did not say which list it made.")
            self.state.save_bookmark_list(created)
            return BookmarkListCreated(created, f"Created the list {created.name!r}")

        def done(message: BookmarkListCreated) -> None:
            if message.bookmark_list is not None and add_mint is not None:
                self.set_bookmark(add_mint, message.bookmark_list.id, True)
            elif message.message == SESSION_EXPIRED:
                self._token_rejected()
                self.open_login(SESSION_EXPIRED)
            self._post(message, reply_to)

        return self._run("bookmark-create", work, done)

    def fetch_coins(self, mints: Iterable[str],
                    reply_to: MessagePump | None = None) -> Worker[None] | None:
        """Market data for `mints` through the bulk endpoint; `CoinsFetched` when done."""
        client = self.services.client
        wanted = list(dict.fromkeys(mints))
        if client is None or not wanted:
            self._post(CoinsFetched({}, (), None if client else NO_SERVER), reply_to)
            return None

        async def work() -> CoinsFetched:
            result = await fetch_coins(client, wanted)
            coins = {item.key: item.value for item in result.items if item.value is not None}
            missing = tuple(item.key for item in result.items if item.outcome == "not_found")
            failed = result.failed
            problem = (f"{len(failed)} coin(s) could not be fetched: {failed[0].reason}"
                       if failed else None)
            return CoinsFetched(coins, missing, problem)

        return self._run("bookmark-coins", work, lambda m: self._post(m, reply_to),
                         exclusive=True)

    # -- replies -------------------------------------------------------------------------------

    def load_draft(self, mint: str) -> Draft | None:
        self._sync_account()
        return self.drafts.load(mint)

    def save_draft(self, mint: str, text: str) -> None:
        """On every keystroke: one small SQLite write, cheap enough for the event loop."""
        self.drafts.save(mint, text)

    def post_reply(self, mint: str, text: str | None = None, *,
                   captcha_token: str | None = None,
                   reply_to: MessagePump | None = None) -> Worker[None] | None:
        """Send the draft of `mint` (saving `text` into it first); `ReplyFinished` when done."""
        core = self._actions()
        if core is None:
            return None

        async def work() -> ActionResult:
            async with self._lock("reply", mint):
                return await core.post_reply(mint, text, captcha_token=captcha_token)

        def done(result: ActionResult) -> None:
            self._post(ReplyFinished(mint, result), reply_to)
            if result.ok:
                self.app.notify("Reply posted", timeout=3)
            elif result.needs_login:
                if SESSION_EXPIRED in result.message:
                    self._token_rejected()
                self.open_login(result.message,
                                then=lambda: self.post_reply(mint, reply_to=reply_to))
            elif result.needs_captcha:
                self.ask_captcha(result.message, then=lambda token: self.post_reply(
                    mint, captcha_token=token, reply_to=reply_to))

        return self._run("reply", work, done)

    # -- moderation ----------------------------------------------------------------------------

    def toggle_mark(self, target: SocialTarget) -> bool:
        """Mark or unmark a row for moderation; returns whether it is marked now."""
        if not self.is_admin:
            return False
        key = target.key
        if key in self.marked:
            del self.marked[key]
        else:
            self.marked[key] = Marked(key, target.label or key, target.is_reply)
        self._changed("marks", key)
        return key in self.marked

    def clear_marks(self, keys: Iterable[str] | None = None) -> None:
        for key in list(self.marked) if keys is None else keys:
            self.marked.pop(key, None)
        self._changed("marks", None)

    def open_moderation(self, target: SocialTarget | None = None) -> None:
        """The confirmation screen for the marked rows (or the row under the cursor)."""
        if not self.is_admin:
            return
        items = list(self.marked.values())
        if not items and target is not None:
            items = [Marked(target.key, target.label or target.key, target.is_reply)]
        if not items:
            self.app.notify("Mark rows with space first", severity="warning", timeout=3)
            return
        from pumptui.tui.screens.moderation import ModerationScreen

        self.app.push_screen(ModerationScreen(items))

    def moderate(self, action: ModerationAction, items: list[Marked], reason: str = "",
                 reply_to: MessagePump | None = None) -> Worker[None] | None:
        """Run a bulk moderation action; `ModerationFinished` with one result per item."""
        client = self.services.client
        if client is None:
            self._post(ModerationFinished(action, None, NO_SERVER), reply_to)
            return None
        keys = [item.key for item in items]

        async def work() -> ModerationFinished:
            try:
                if action == "nsfw":
                    result = await moderate_nsfw(client, keys)
                elif action == "hide":
                    result = await moderate_hide(client, keys)
                else:
                    result = await moderate_ban(client, keys, reason)
            except ValueError as exc:
                return ModerationFinished(action, None, str(exc))
            return ModerationFinished(action, result)

        def done(message: ModerationFinished) -> None:
            if message.result is not None:
                done_keys = [i.key for i in message.result.items if i.outcome == "done"]
                self.clear_marks(done_keys)
                self.app.notify(f"{action}: {message.result.summary()}", timeout=5,
                                markup=False)
            self._post(message, reply_to)

        return self._run("moderation", work, done, exclusive=True)

    # -- login, identity, captcha --------------------------------------------------------------

    def open_login(self, reason: str | None = None,
                   then: Callable[[], object] | None = None) -> None:
        """The login screen (once); `then` runs after a successful login."""
        from pumptui.tui.screens.login import LoginScreen

        if then is not None:
            self._retry.after_login = then
        if any(isinstance(screen, LoginScreen) for screen in self.app.screen_stack):
            return
        self.app.push_screen(LoginScreen(reason), callback=self._login_closed)

    def _login_closed(self, outcome: LoginOutcome | None) -> None:
        then, self._retry.after_login = self._retry.after_login, None
        if outcome is not None and outcome.ok and then is not None:
            then()

    def login(self, *, token: Secret | None = None, keypair: str | None = None,
              storage: Storage = "keyring",
              reply_to: MessagePump | None = None) -> Worker[None] | None:
        """Check a pasted token (or sign in with a keypair file), then keep it in `storage`.

        Keyring calls run off the event loop with a timeout (`pumptui.auth`); when the keyring
        cannot keep the token the user is still logged in, for this session, and the outcome
        carries the explanation and the options.
        """
        client = self.services.client
        if client is None:
            self._post(LoginFinished(LoginOutcome(False, NO_SERVER)), reply_to)
            return None

        async def work() -> LoginOutcome:
            return await self._log_in(client, token, keypair, storage)

        def done(outcome: LoginOutcome) -> None:
            if outcome.ok:
                self.app.notify(outcome.message, title="Logged in", timeout=4, markup=False)
                if outcome.warning:
                    self.app.notify(outcome.warning, severity="warning", timeout=10,
                                    markup=False)
                self._changed("login", outcome.account)
                self.refresh_bookmarks()
            self._post(LoginFinished(outcome), reply_to)

        return self._run("login", work, done, exclusive=True)

    async def _log_in(self, client: PumpClient, token: Secret | None, keypair: str | None,
                      storage: Storage) -> LoginOutcome:
        from pumptui.keypair import KeypairError, login_with_keypair

        previous = client.token
        try:
            if token is None:
                if not keypair:
                    return LoginOutcome(False, "Paste a token, or give a keypair file.")
                token = await login_with_keypair(client, keypair)
            info = await check_token(client, token)
        except KeypairError as exc:
            return LoginOutcome(False, str(exc))
        except (AuthRequired, Forbidden):
            client.set_token(previous)
            return LoginOutcome(False, "The server refused this token (expired, revoked or "
                                       "mistyped?). Nothing was stored.")
        except InsecureTransport as error:
            client.set_token(previous)
            return LoginOutcome(False, f"{error.message}; use an https:// or loopback server.")
        except ApiError as error:
            client.set_token(previous)
            return LoginOutcome(False, f"Sign-in failed: {error.message}")
        services = self.services
        services.account = info.address
        services.logged_in = True
        self.is_admin = bool(info.admin)
        self._sync_account()
        self.app.refresh_bindings()
        who = info.username or (fmt.short_address(info.address) if info.address
                                 else "your account")
        unverified = "" if info.verified else f" (not checked: {info.problem})"
        outcome = LoginOutcome(True, f"Logged in as {who}{unverified}", info.address,
                               info.username, bool(info.admin))
        if storage == "session":
            return outcome
        return await self._keep(token, outcome, insecure=storage == "file")

    async def _keep(self, token: Secret, outcome: LoginOutcome, *, insecure: bool) -> LoginOutcome:
        try:
            saved = await asave_login(token, outcome.account, insecure=insecure,
                                      store=self.token_store or TokenStore(),
                                      file=self.token_file or InsecureTokenFile())
        except (KeyringUnavailable, InsecureFileError) as exc:
            return LoginOutcome(True, outcome.message + " for this session only",
                                outcome.account, outcome.username, outcome.admin,
                                keyring_problem=str(exc))
        return LoginOutcome(True, outcome.message, outcome.account, outcome.username,
                            outcome.admin, stored_in=saved.source, warning=saved.warning)

    def keep_login_in_file(self, reply_to: MessagePump | None = None) -> Worker[None] | None:
        """After the keyring failed: keep the current token in the 0600 file, as asked."""
        client = self.services.client
        token = client.token if client is not None else None
        if token is None:
            self._post(LoginFinished(LoginOutcome(False, "Not logged in.")), reply_to)
            return None
        base = LoginOutcome(True, "Logged in", self.services.account,
                            admin=self.is_admin)

        async def work() -> LoginOutcome:
            return await self._keep(token, base, insecure=True)

        def done(outcome: LoginOutcome) -> None:
            if outcome.warning:
                self.app.notify(outcome.warning, severity="warning", timeout=10, markup=False)
            self._post(LoginFinished(outcome), reply_to)

        return self._run("login-store", work, done, exclusive=True)

    def identity_changed(self) -> Worker[None] | None:
        """After the token changed outside this service (resolved at start-up): learn the
        account and whether it may moderate, then sync the bookmark cache."""
        client = self.services.client
        if client is None or not client.has_token:
            self.is_admin = False
            return None

        async def work() -> bool:
            services = self.services
            if services.account is None:
                try:
                    services.account = (await client.my_profile()).address
                except ApiError:
                    pass
            try:
                return await client.is_admin()
            except ApiError:
                return False

        def done(admin: bool) -> None:
            self.is_admin = admin
            self._sync_account()
            self.app.refresh_bindings()
            self._changed("login", self.services.account)
            self.refresh_bookmarks()

        return self._run("identity", work, done, exclusive=True)

    def ask_captcha(self, reason: str, then: Callable[[str], object]) -> None:
        """Ask the user for a captcha token in a modal; `then(token)` when one is given."""
        from pumptui.tui.screens.captcha import CaptchaScreen

        def given(token: str | None) -> None:
            if token:
                then(token)

        self.app.push_screen(CaptchaScreen(reason), callback=given)

    # -- screens -------------------------------------------------------------------------------

    def open_reply_editor(self, target: SocialTarget) -> None:
        """Replies go to the coin's thread, also when `r` is pressed on a reply."""
        from pumptui.tui.screens.reply_editor import ReplyEditor

        coin = self.services.store.coin(target.mint)
        title = SocialTarget.for_coin(coin).label if coin is not None else target.label
        if coin is not None and coin.name and coin.name != coin.symbol:
            title = f"{title} {coin.name}"
        self.app.push_screen(ReplyEditor(target.mint, title))

    def open_bookmark_picker(self, target: SocialTarget) -> None:
        if not self.logged_in:
            self.open_login("Log in to bookmark coins.",
                            then=lambda: self.open_bookmark_picker(target))
            return
        from pumptui.tui.screens.bookmark_picker import BookmarkPicker

        self.app.push_screen(BookmarkPicker(target.mint, target.label))

    def open_bookmarks(self) -> None:
        if not self.logged_in:
            self.open_login("Log in to see your bookmarks.", then=self.open_bookmarks)
            return
        from pumptui.tui.screens.bookmarks import BookmarksScreen

        self.app.push_screen(BookmarksScreen())


def social_of(node: MessagePump) -> SocialActions | None:
    """The app's social service, or None where it is not installed (frozen-data tests)."""
    social = getattr(node.app, "social", None)
    return social if isinstance(social, SocialActions) else None


class SocialKeys:
    """Screen mixin: the social keys act on whatever `social_target()` returns.

    Use as `class HomeScreen(SocialKeys, CoinListScreen)` with `SOCIAL_BINDINGS` in `BINDINGS`.
    Moderator keys are hidden and inert unless the account may moderate.
    """

    SOCIAL_BINDINGS: ClassVar[list[Binding]] = SOCIAL_BINDINGS

    def social_target(self) -> SocialTarget | None:
        """The coin or reply the keys act on now (None: nothing under the cursor)."""
        raise NotImplementedError

    def _social(self) -> SocialActions | None:
        return social_of(self)  # type: ignore[arg-type]

    def _social_and_target(self) -> tuple[SocialActions, SocialTarget] | None:
        social = self._social()
        if social is None:
            return None
        target = self.social_target()
        if target is None:
            self.notify("Nothing selected", severity="warning", timeout=2)  # type: ignore[attr-defined]
            return None
        return social, target

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MODERATOR_ONLY:
            social = self._social()
            return social is not None and social.is_admin
        return super().check_action(action, parameters)  # type: ignore[misc, no-any-return]

    def action_social_like(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            social.toggle_like(target)

    def action_social_follow(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            social.toggle_follow(target)

    def action_social_bookmark(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            if target.is_reply:  # bookmarks hold coins: a reply's coin
                target = SocialTarget(target.mint, label=fmt.short_address(target.mint))
            social.open_bookmark_picker(target)

    def action_social_reply(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            social.open_reply_editor(target)

    def action_social_bookmarks(self) -> None:
        if (social := self._social()) is not None:
            social.open_bookmarks()

    def action_social_login(self) -> None:
        if (social := self._social()) is not None:
            social.open_login()

    def action_social_mark(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            marked = social.toggle_mark(target)
            count = len(social.marked)
            self.notify(  # type: ignore[attr-defined]
                f"{'Marked' if marked else 'Unmarked'} {target.label or target.key} · "
                f"{count} marked (! to moderate)",
                timeout=2, markup=False,
            )

    def action_social_moderate(self) -> None:
        social = self._social()
        if social is not None:
            social.open_moderation(self.social_target() if not social.marked else None)

