"""Likes, follows, bookmarks, posts, moderation and logging in: the app's social service.

`SocialActions` is what screens call when the user presses `l`, `f`, `b`, `r`, `c`, space or
`!`. It holds no widgets, draws nothing and opens no screen. The optimistic rules live in
`pumptui.social` (no Textual there): `intend` puts a change in the local cache at once and `send`
asks the server, in per-target order, undoing a refusal. This module runs `send` in a Textual
worker of its own group (`social-<action>`, `exit_on_error=False`) and says what came of it with
messages: `SocialChanged` to the active screen (redraw hearts, follow marks, bookmarks, marks),
a result message to the screen that asked (`PostFinished`, `LoginFinished`, ...), and requests
to the app (`LoginNeeded`, `EditorWanted`, ...), which opens the screens.

Who the user is comes from the app's one `Session` (`app.services.session`); the client, the
local cache, the drafts and the status bar read the same object.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, TextIO

from textual.binding import Binding
from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.screen import Screen

from pumptui import paths
from pumptui.api.bulk import BulkResult, fetch_coins, moderate_ban, moderate_hide, moderate_nsfw
from pumptui.api.errors import ApiError, AuthRequired, Forbidden, InsecureTransport, LoginRefused
from pumptui.api.models import BookmarkList, Coin
from pumptui.auth import (
    InsecureFileError,
    InsecureTokenFile,
    KeyringUnavailable,
    TokenStore,
    asave_login,
    check_token,
)
from pumptui.secret import Secret
from pumptui.session import Session
from pumptui.social.actions import (
    COIN_LIKES_GONE,
    SESSION_EXPIRED,
    ActionResult,
    callout_key,
    callout_reply_draft,
    chat_draft,
    file_under,
    new_callout_draft,
)
from pumptui.social.actions import SocialActions as CoreActions
from pumptui.social.db import LocalStateError
from pumptui.social.drafts import Draft, DraftNotSaved, DraftStore
from pumptui.social.state import (
    Bookmark,
    CachedUser,
    Change,
    Follow,
    Like,
    NotLoggedIn,
    SocialState,
)
from pumptui.tui import format as fmt
from pumptui.tui.app_base import AppWithServices
from pumptui.tui.messages import (
    BookmarkPickerWanted,
    BookmarksWanted,
    EditorWanted,
    LoginNeeded,
    ModerationWanted,
)
from pumptui.words import plural

if TYPE_CHECKING:
    from textual.worker import Worker

    from pumptui.api.client import PumpClient
    from pumptui.tui.services import AppServices

log = logging.getLogger(__name__)

# The simulator accepts 1000 characters; the real service's limit is not documented, and its
# validators count UTF-16 units as JavaScript does (an emoji is two), so the editor counts so too.
REPLY_MAX_CHARS: Final = 1000
NO_SERVER: Final = "Not connected to a server: this view shows frozen data."
MODERATION_ACTIONS: Final = ("nsfw", "hide", "ban")

Storage = Literal["keyring", "file", "session"]
ModerationAction = Literal["nsfw", "hide", "ban"]

# Screen bindings for the social keys; ids let the config's [keymap] remap them. Moderator keys
# are hidden (and do nothing) for everyone else: see `SocialKeys.check_action`.
SOCIAL_BINDINGS: list[Binding] = [
    Binding(
        "l",
        "social_like",
        "Like",
        id="social.like",
        tooltip="Like the callout in focus (coins have no likes any more)",
    ),
    Binding(
        "f",
        "social_follow",
        "Follow",
        id="social.follow",
        tooltip="Follow or unfollow the coin's creator, or the callout's author",
    ),
    Binding(
        "b",
        "social_bookmark",
        "Bookmark",
        id="social.bookmark",
        tooltip="Add the coin to or remove it from your bookmark lists",
    ),
    Binding(
        "r",
        "social_reply",
        "Reply",
        id="social.reply",
        tooltip="Reply to the callout in focus (drafts are kept until the server confirms)",
    ),
    Binding(
        "n",
        "social_callout",
        "Call out",
        id="social.callout",
        tooltip="Post a callout on the coin (you must hold it)",
    ),
    Binding(
        "a",
        "social_chat",
        "Chat",
        id="social.chat",
        tooltip="Say something in the coin's live chat",
    ),
    Binding(
        "B",
        "social_bookmarks",
        "Bookmarks",
        id="social.bookmarks",
        show=False,
        tooltip="Your bookmark lists with live market data",
    ),
    Binding(
        "L",
        "social_login",
        "Log in",
        id="social.login",
        show=False,
        tooltip="Log in with a token or a keypair file",
    ),
    Binding(
        "space",
        "social_mark",
        "Mark",
        id="moderation.mark",
        tooltip="Mark the row for a bulk moderation action (moderators)",
    ),
    Binding(
        "exclamation_mark",
        "social_moderate",
        "Moderate",
        key_display="!",
        id="moderation.open",
        tooltip="Mark NSFW, hide or ban the marked rows (moderators)",
    ),
]
MODERATOR_ONLY: Final = frozenset({"social_mark", "social_moderate"})
# Keys about callouts: shown only on screens that show callouts (`SocialKeys.SHOWS_CALLOUTS`).
CALLOUT_ONLY: Final = frozenset({"social_like", "social_reply"})


# -- what the keys act on -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SocialTarget:
    """The coin or callout under the cursor. `author` is the coin's creator or the callout's
    author (whom `f` follows); `label` names it in toasts and titles; `text` is what a moderator
    sees in the `!` dialog."""

    mint: str
    callout_id: str | None = None
    author: str | None = None
    label: str = ""
    text: str = ""

    @classmethod
    def for_coin(cls, coin: Coin) -> SocialTarget:
        name = f"${coin.symbol}" if coin.symbol else fmt.short_address(coin.mint)
        return cls(coin.mint, None, coin.creator, name, coin.name or "")

    @property
    def key(self) -> str:
        """What a like or a moderation mark is filed under: the callout, or the coin's mint."""
        return callout_key(self.callout_id) if self.callout_id is not None else self.mint

    @property
    def is_callout(self) -> bool:
        return self.callout_id is not None


@dataclass(frozen=True, slots=True)
class Marked:
    """A row marked for moderation: a coin (mint) or a callout, with the text to show."""

    key: str
    label: str
    is_callout: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class OwnMarks:
    """The user's own marks, for rows to draw: liked coins and callouts (keys), followed
    wallets, and keys marked for moderation."""

    liked: frozenset[str] = frozenset()
    followed: frozenset[str] = frozenset()
    marked: frozenset[str] = frozenset()


NO_MARKS: Final = OwnMarks()

PostKind = Literal["callout", "reply", "chat"]


@dataclass(frozen=True, slots=True)
class PostTarget:
    """What an editor writes: a new callout on a coin, a reply to a callout, or a chat line."""

    kind: PostKind
    mint: str
    title: str
    callout_id: str | None = None

    @property
    def draft_key(self) -> str:
        if self.kind == "reply" and self.callout_id is not None:
            return callout_reply_draft(self.callout_id)
        if self.kind == "chat":
            return chat_draft(self.mint)
        return new_callout_draft(self.mint)

    @property
    def noun(self) -> str:
        """What the editor and the toasts call it."""
        return "message" if self.kind == "chat" else self.kind

    @property
    def limited(self) -> bool:
        """Callouts and replies share the service's one-post-a-minute limit; chat does not."""
        return self.kind != "chat"


# -- messages -------------------------------------------------------------------------------------


@dataclass
class SocialChanged(Message, bubble=False):
    """Like, follow, bookmark, mark or login state changed: redraw what shows it.

    Sent to the active screen twice per action: when the intent is shown (`result` None) and when
    the server answered (`result` set; a refusal has been rolled back by then).
    """

    what: str  # "like" | "follow" | "bookmark" | "marks" | "login" | "post"
    key: str | None = None
    result: ActionResult | None = None


@dataclass
class PostFinished(Message, bubble=False):
    """The answer to a post an editor sent; the draft is gone only if `result.ok`."""

    target: PostTarget
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

# How a local store says it lives in memory only (`pumptui.social.db.open_or_memory`).
_IN_MEMORY: Final = re.compile(
    r"(?P<reason>.+): (?P<what>.+) are kept in memory only, until pumptui exits\.", re.DOTALL
)


class SocialActions:
    """The app-level social service. One per app; screens reach it as `app.social`."""

    def __init__(
        self,
        app: AppWithServices,
        *,
        state: SocialState | None = None,
        drafts: DraftStore | None = None,
        token_store: TokenStore | None = None,
        token_file: InsecureTokenFile | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.app = app
        self.services: AppServices = app.services
        self.session: Session = self.services.session
        self.clock: Callable[[], float] = clock or self.services.clock
        self.state = state if state is not None else self._open_state()
        self.drafts = drafts if drafts is not None else self._open_drafts()
        self.local_problem = self._local_notices()
        self.state.on_memory_fallback = self._state_moved_to_memory
        self.token_store = token_store
        self.token_file = token_file
        self.marked: dict[str, Marked] = {}
        self._after_login: Callable[[], object] | None = None
        self._core: CoreActions | None = None
        self._unsubscribe = self.session.subscribe(self._session_changed)
        self._session_changed(self.session)

    @classmethod
    def install(cls, app: AppWithServices, **options: Any) -> SocialActions:
        """Create the service for `app` and make it `app.social`."""
        social = cls(app, **options)
        app.social = social
        return social

    def start(self) -> None:
        """Once the app runs: learn who we are (admin?) and sync the bookmark cache."""
        if self.local_problem:
            self._say_local_problem(self.local_problem)
        if not self.services.resolve_login:
            self.identity_changed()

    def close(self) -> None:
        """Close the local files this service opened (not a watchlist it shares)."""
        self._unsubscribe()
        if self._core is not None:
            self._core.close()
        self.drafts.close()
        if self.state is not self.services.watchlist:
            self.state.close()

    # -- local state ---------------------------------------------------------------------------

    def _open_state(self) -> SocialState:
        watchlist = self.services.watchlist
        if isinstance(watchlist, SocialState):
            return watchlist  # one connection to the file the watchlist already uses
        return SocialState(
            paths.state_file(demo=self.services.sim_mode), clock=self.clock, memory_fallback=True
        )

    def _open_drafts(self) -> DraftStore:
        return DraftStore(
            paths.drafts_file(demo=self.services.sim_mode), clock=self.clock, memory_fallback=True
        )

    def _local_notices(self) -> str | None:
        """What the user must know about the local files: moved aside, or in memory only (one
        line for both stores when they are in memory for the same reason)."""
        notices = [store.notice for store in (self.state, self.drafts) if store.notice]
        in_memory = [_IN_MEMORY.fullmatch(notice) for notice in notices]
        if len(notices) > 1 and all(in_memory):
            reasons = {match["reason"] for match in in_memory if match}
            if len(reasons) == 1:
                kept = ", and ".join(match["what"] for match in in_memory if match)
                notices = [f"{reasons.pop()}: {kept} are kept in memory only, until pumptui exits."]
        return "\n".join(notices) or None

    def print_local_problem(self, file: TextIO) -> None:
        """The same notice on the terminal before the TUI takes it (`pumptui`, `pumptui
        demo`): it is still there to read after the app exits, when the toast is long gone."""
        if self.local_problem:
            print(f"pumptui: {self.local_problem}", file=file)

    def _say_local_problem(self, problem: str) -> None:
        self.app.notify(problem, severity="warning", title="Local state", timeout=8, markup=False)

    def _state_moved_to_memory(self, notice: str) -> None:
        """A write the disk refused moved the cache into memory mid-run: said once, on screen
        (the state says it once: it moves only once). Writes may run in a worker thread."""
        self.local_problem = self._local_notices()
        try:
            self.app.call_from_thread(self._say_local_problem, notice)
        except RuntimeError:  # on the app's own thread (or before it runs)
            self._say_local_problem(notice)

    def _session_changed(self, session: Session) -> None:
        """Local state follows the session (the core does too once it exists); screens redraw
        what depends on who is logged in, and moderator keys appear or hide."""
        file_under(session, self.state, self.drafts)
        if not session.is_admin and self.marked:
            self.marked.clear()
        if self.app.is_running:
            self.app.refresh_bindings()
            self._changed("login", session.account)

    def _actions(self) -> CoreActions | None:
        """The Textual-free actions, on the current client; None (with a toast) when offline."""
        client = self.services.client
        if client is None:
            self.app.notify(NO_SERVER, severity="warning", timeout=4)
            return None
        if self._core is None or self._core.client is not client:
            if self._core is not None:
                self._core.close()
            self._core = CoreActions(
                client, self.state, self.drafts, session=self.session, clock=self.clock
            )
        return self._core

    @property
    def logged_in(self) -> bool:
        return self.session.logged_in

    @property
    def is_admin(self) -> bool:
        return self.session.is_admin

    # -- what the UI reads (the cache holds every intent already) --------------------------------

    def is_liked(self, key: str) -> bool:
        return self.state.is_liked(key)

    def is_following(self, wallet: str) -> bool:
        return self.state.is_following(wallet)

    def own_marks(self) -> OwnMarks:
        if not self.logged_in:
            return OwnMarks(marked=frozenset(self.marked))
        return OwnMarks(
            frozenset(self.state.liked()), frozenset(self.state.following()), frozenset(self.marked)
        )

    def lists_containing(self, mint: str) -> set[str]:
        return self.state.lists_containing(mint)

    def bookmark_lists(self) -> list[BookmarkList]:
        return self.state.bookmark_lists()

    def bookmarks_synced(self) -> bool:
        return self.state.account is not None and self.state.synced_at("bookmarks") is not None

    def post_wait(self) -> float:
        """Seconds before the service takes another callout or reply from this wallet."""
        core = self._core
        return core.post_wait() if core is not None else 0.0

    def user(self, wallet: str) -> CachedUser | None:
        """The cached account of `wallet` (UUID, name, counts) or None: see `load_user`."""
        return self.state.user(wallet)

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
                except (ApiError, LocalStateError) as exc:
                    self.app.notify(f"{group}: {exc}", severity="error", markup=False)
                    return
                except Exception as exc:
                    log.exception("social action %s failed", group)
                    self.app.notify(
                        f"{group} failed unexpectedly ({type(exc).__name__})",
                        severity="error",
                        markup=False,
                    )
                    return
                done(outcome)
            finally:
                if always is not None:
                    always()

        return self.app.run_worker(
            runner(),
            name=f"social-{group}",
            group=f"social-{group}",
            exit_on_error=False,
            exclusive=exclusive,
        )

    def _post(self, message: Message, to: MessagePump | None = None) -> None:
        """To the screen that asked while it is up, else to whatever screen is on top."""
        if to is not None and to.is_attached:
            to.post_message(message)
        elif self.app.is_running and self.app.screen_stack:
            self.app.screen.post_message(message)

    def _changed(self, what: str, key: str | None, result: ActionResult | None = None) -> None:
        self._post(SocialChanged(what, key, result))

    def _need_login(self, reason: str | None, then: Callable[[], object] | None = None) -> None:
        self.app.post_message(LoginNeeded(reason, then))

    # -- likes, follows, bookmarks -------------------------------------------------------------

    def toggle_like(self, target: SocialTarget) -> Worker[None] | None:
        if not target.is_callout:  # no heart that flashes and goes: say so at once
            self.app.notify(
                COIN_LIKES_GONE, severity="warning", title="Not available", timeout=5, markup=False
            )
            return None
        liked = self.is_liked(target.key)
        if liked and target.is_callout:
            self.app.notify(
                f"{target.label}: Pump.fun has no way to take back a like on a callout",
                severity="warning",
                timeout=4,
                markup=False,
            )
            return None
        return self.like(target, not liked)

    def like(self, target: SocialTarget, on: bool = True) -> Worker[None] | None:
        return self._change(
            Like(target.key, on), target.label or target.key, then=lambda: self.like(target, on)
        )

    def toggle_follow(self, target: SocialTarget) -> Worker[None] | None:
        wallet = target.author
        if not wallet:
            self.app.notify(
                f"No author known for {target.label or 'this'}: nothing to follow",
                severity="warning",
                timeout=3,
                markup=False,
            )
            return None
        return self.follow(wallet, not self.is_following(wallet))

    def follow(self, wallet: str, on: bool = True) -> Worker[None] | None:
        user = self.state.user(wallet)
        name = (
            f"@{user.username}"
            if user is not None and user.username
            else (fmt.short_address(wallet))
        )
        return self._change(Follow(wallet, on), name, then=lambda: self.follow(wallet, on))

    def set_bookmark(self, mint: str, list_id: str, on: bool) -> Worker[None] | None:
        coin = self.services.store.coin(mint)
        name = SocialTarget.for_coin(coin).label if coin is not None else fmt.short_address(mint)
        return self._change(
            Bookmark(mint, list_id, on),
            name,
            changed_key=mint,
            then=lambda: self.set_bookmark(mint, list_id, on),
        )

    def _change(
        self,
        change: Change,
        label: str,
        *,
        then: Callable[[], object],
        changed_key: str | None = None,
    ) -> Worker[None] | None:
        """Show the change now (the cache holds it), send it in a worker, then settle: the cache
        holds the server's verdict, and the toast names the target either way."""
        core = self._actions()
        if core is None:
            return None
        kind = _kind(change)
        try:
            intent = core.intend(change, label)
        except NotLoggedIn:
            self._need_login(f"Log in to {_kind(change)} {label}.", then)
            return None
        shown = changed_key or _key(change)
        self._changed(kind, shown)

        async def work() -> ActionResult:
            return await core.send(intent)

        def done(result: ActionResult) -> None:
            self._settle(kind, shown, result, then)
            if result.ok and isinstance(change, Follow):
                self.load_user(change.wallet, max_age=0.0)  # the counts moved

        def always() -> None:
            # After an unexpected failure or a cancellation `done` never ran; the cache may
            # still show the intent, so redraw from whatever it holds now.
            self._changed(kind, shown)

        return self._run(kind, work, done, always=always)

    def _settle(
        self, kind: str, key: str | None, result: ActionResult, then: Callable[[], object]
    ) -> None:
        self._changed(kind, key, result)
        if result.ok:
            self.app.notify(result.message, timeout=2, markup=False)
            return
        if result.needs_login:
            if result.message == SESSION_EXPIRED:
                self._token_rejected()
            self._need_login(result.message, then)
            return
        refused = result.retry_at is None and not result.unavailable
        severity: SeverityLevel = "error" if refused else "warning"
        title = "Not available" if result.unavailable else "Refused"
        self.app.notify(result.message, severity=severity, title=title, timeout=6, markup=False)

    def _token_rejected(self) -> None:
        """A 401: the token is no good. Read-only until the user logs in again."""
        self.session.log_out()

    def load_user(self, wallet: str, *, max_age: float = 600.0) -> Worker[None] | None:
        """Ask the service for `wallet`'s account (UUID, follower counts) unless cached and
        fresh; `SocialChanged("user", wallet)` when it is known."""
        core = self._actions() if self.services.client is not None else None
        if core is None:
            return None

        async def work() -> object:
            return await core.user(wallet, max_age=max_age)

        return self._run("user", work, lambda _user: self._changed("user", wallet))

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
                self._need_login(result.message)
            elif result.unavailable and reply_to is not None:
                self.app.notify(
                    "Bookmarks are not available on this service.",
                    severity="warning",
                    title="Not available",
                    timeout=6,
                )

        return self._run("bookmark-lists", core.refresh_bookmarks, done, exclusive=True)

    def create_bookmark_list(
        self, name: str, *, add_mint: str | None = None, reply_to: MessagePump | None = None
    ) -> Worker[None] | None:
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
                    created = next(
                        (b for b in reversed(await client.bookmarks()) if b.name == name), None
                    )
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
                self._need_login(SESSION_EXPIRED)
            self._post(message, reply_to)

        return self._run("bookmark-create", work, done)

    def change_bookmark_list(
        self, list_id: str, *, rename_to: str | None = None, reply_to: MessagePump | None = None
    ) -> Worker[None] | None:
        """Delete a list, or rename it (`rename_to`). The service has no rename route, so a
        renamed list is a new list holding the same coins, the old one deleted once they are
        in. The cache is then the server's lists again; `BookmarkListsLoaded` when done."""
        core = self._actions()
        if core is None:
            return None
        client = core.client
        old = next((b for b in self.state.bookmark_lists() if b.id == list_id), None)
        doing = "rename" if rename_to is not None else "delete"

        async def work() -> ActionResult:
            try:
                if rename_to is not None:
                    created = await client.create_bookmark(rename_to)
                    if created is None:  # the server said "success" only: find it by name
                        made = [b for b in await client.bookmarks() if b.name == rename_to]
                        created = made[-1] if made else None
                    if created is None:
                        return ActionResult(False, "The server did not say which list it made.")
                    for mint in old.mints if old is not None else ():
                        await client.add_bookmark_item(mint, [created.id])
                await client.delete_bookmark(list_id)
            except AuthRequired:
                return ActionResult(False, SESSION_EXPIRED, needs_login=True)
            except ApiError as error:
                return ActionResult(False, f"Could not {doing} the list: {error.message}")
            loaded = await core.refresh_bookmarks()
            if not loaded.ok:
                return loaded
            name = old.name if old is not None else "the list"
            if rename_to is not None:
                return ActionResult(True, f"Renamed {name!r} to {rename_to!r}")
            return ActionResult(True, f"Deleted {name!r}")

        def done(result: ActionResult) -> None:
            self._post(BookmarkListsLoaded(result), reply_to)
            self._changed("bookmark", None, result)
            if result.needs_login:
                self._token_rejected()
                self._need_login(result.message)
            self.app.notify(
                result.message,
                severity="information" if result.ok else "error",
                title="Bookmarks",
                timeout=4,
                markup=False,
            )

        return self._run("bookmark-change", work, done)

    def fetch_coins(
        self, mints: Iterable[str], reply_to: MessagePump | None = None
    ) -> Worker[None] | None:
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
            problem = (
                f"{plural(len(failed), 'coin')} could not be fetched: {failed[0].reason}"
                if failed
                else None
            )
            return CoinsFetched(coins, missing, problem)

        return self._run("bookmark-coins", work, lambda m: self._post(m, reply_to), exclusive=True)

    # -- posts: callouts, replies to callouts, chat ------------------------------------------------

    def load_draft(self, target: PostTarget) -> Draft | None:
        return self.drafts.load(target.draft_key)

    def save_draft(self, target: PostTarget, text: str) -> str | None:
        """On every keystroke: one small SQLite write, cheap enough for the event loop. Returns
        why the draft could not be written (then it is kept in memory), or None."""
        try:
            self.drafts.save(target.draft_key, text)
        except DraftNotSaved:
            return self.drafts.save_problem
        return None

    def retry_unsaved_drafts(self) -> str | None:
        """Try again to write drafts a full or read-only disk refused; what still stops it."""
        return self.drafts.retry_unsaved()

    def post(
        self, target: PostTarget, text: str | None = None, *, reply_to: MessagePump | None = None
    ) -> Worker[None] | None:
        """Send the draft of `target` (saving `text` into it first); `PostFinished` when done."""
        core = self._actions()
        if core is None:
            return None

        async def work() -> ActionResult:
            try:
                if target.kind == "callout":
                    return await core.post_callout(target.mint, text)
                if target.kind == "reply" and target.callout_id is not None:
                    return await core.reply_to_callout(target.callout_id, text)
                return await core.send_chat(target.mint, self._chat_sender(target.mint), text)
            except DraftNotSaved as exc:  # the editor hears of it, so it stops saying "Sending"
                return ActionResult(False, f"not sent: {exc}")

        def done(result: ActionResult) -> None:
            self._post(PostFinished(target, result), reply_to)
            if result.ok:
                self.app.notify(
                    f"{target.noun.capitalize()} posted: {target.title}", timeout=3, markup=False
                )
                if target.kind != "chat":  # the chat shows its own echo; callouts are polled
                    self.services.refresh_now()
                self._changed("post", target.mint, result)
            elif result.needs_login:
                if SESSION_EXPIRED in result.message:
                    self._token_rejected()
                self._need_login(result.message, lambda: self.post(target, reply_to=reply_to))

        return self._run(f"post-{target.kind}", work, done)

    def _chat_sender(self, mint: str) -> Callable[[str], Awaitable[object]]:
        engine = self.services.engine
        chat = engine.chat if engine is not None else None

        async def send(text: str) -> object:
            if chat is None:
                raise ApiError("the live chat is not connected")
            return await chat.send(mint, text, self.session.token)

        return send

    def check_eligibility(
        self, mint: str, label: str, then: Callable[[], object]
    ) -> Worker[None] | None:
        """Before the callout editor opens: may this wallet post on `mint`? (It must hold the
        coin.) `then()` runs when it may; otherwise a toast says why, before anything is typed."""
        if not self.logged_in:
            self._need_login(
                f"Log in to post a callout on {label}.",
                lambda: self.check_eligibility(mint, label, then),
            )
            return None
        client = self.services.client
        if client is None:
            self.app.notify(NO_SERVER, severity="warning", timeout=4)
            return None

        async def work() -> tuple[bool, str]:
            try:
                eligibility = await client.callout_eligibility(mint)
            except AuthRequired:
                return False, SESSION_EXPIRED
            except ApiError as error:
                return False, f"Could not check whether you may post on {label}: {error.message}"
            if eligibility.eligible:
                return True, ""
            reason = eligibility.reason or "your wallet must hold the coin"
            return False, f"You cannot post a callout on {label}: {reason}"

        def done(answer: tuple[bool, str]) -> None:
            ok, message = answer
            if ok:
                then()
            elif message == SESSION_EXPIRED:
                self._token_rejected()
                self._need_login(message, lambda: self.check_eligibility(mint, label, then))
            else:
                self.app.notify(
                    message, severity="warning", title="Callout", timeout=6, markup=False
                )

        return self._run("eligibility", work, done, exclusive=True)

    # -- moderation ----------------------------------------------------------------------------

    def toggle_mark(self, target: SocialTarget) -> bool:
        """Mark or unmark a row for moderation; returns whether it is marked now."""
        if not self.is_admin:
            return False
        key = target.key
        if key in self.marked:
            del self.marked[key]
        else:
            self.marked[key] = Marked(key, target.label or key, target.is_callout, target.text)
        self._changed("marks", key)
        return key in self.marked

    def clear_marks(self, keys: Iterable[str] | None = None) -> None:
        for key in list(self.marked) if keys is None else keys:
            self.marked.pop(key, None)
        self._changed("marks", None)

    def open_moderation(self, target: SocialTarget | None = None) -> None:
        """Ask the app for the confirmation screen (the marked rows, or the row in focus)."""
        if not self.is_admin:
            return
        items = list(self.marked.values())
        if not items and target is not None:
            items = [Marked(target.key, target.label or target.key, target.is_callout, target.text)]
        if not items:
            self.app.notify("Mark rows with space first", severity="warning", timeout=3)
            return
        self.app.post_message(ModerationWanted(items))

    def moderate(
        self,
        action: ModerationAction,
        items: list[Marked],
        reason: str = "",
        reply_to: MessagePump | None = None,
    ) -> Worker[None] | None:
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
                self.app.notify(f"{action}: {message.result.summary()}", timeout=5, markup=False)
            self._post(message, reply_to)

        return self._run("moderation", work, done, exclusive=True)

    # -- login, identity ------------------------------------------------------------------------

    def open_login(
        self, reason: str | None = None, then: Callable[[], object] | None = None
    ) -> None:
        self._need_login(reason, then)

    def login(
        self,
        *,
        token: Secret | None = None,
        keypair: str | None = None,
        storage: Storage = "keyring",
        reply_to: MessagePump | None = None,
    ) -> Worker[None] | None:
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
                    self.app.notify(outcome.warning, severity="warning", timeout=10, markup=False)
                self.refresh_bookmarks()
            self._post(LoginFinished(outcome), reply_to)

        return self._run("login", work, done, exclusive=True)

    async def _log_in(
        self, client: PumpClient, token: Secret | None, keypair: str | None, storage: Storage
    ) -> LoginOutcome:
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
        except LoginRefused as refused:  # both login routes: the message names each, and Privy
            client.set_token(previous)
            return LoginOutcome(False, refused.message)
        except (AuthRequired, Forbidden):
            client.set_token(previous)
            return LoginOutcome(
                False,
                "The server refused this token (expired, revoked or "
                "mistyped?). Nothing was stored.",
            )
        except InsecureTransport as error:
            client.set_token(previous)
            return LoginOutcome(False, f"{error.message}; use an https:// or loopback server.")
        except ApiError as error:
            client.set_token(previous)
            return LoginOutcome(False, f"Sign-in failed: {error.message}")
        self.session.log_in(
            token, info.address, username=info.username, is_admin=bool(info.admin), source="login"
        )
        who = info.username or (fmt.short_address(info.address) if info.address else "your account")
        unverified = "" if info.verified else f" (not checked: {info.problem})"
        outcome = LoginOutcome(
            True, f"Logged in as {who}{unverified}", info.address, info.username, bool(info.admin)
        )
        if storage == "session":
            return outcome
        return await self._keep(token, outcome, insecure=storage == "file")

    async def _keep(self, token: Secret, outcome: LoginOutcome, *, insecure: bool) -> LoginOutcome:
        try:
            saved = await asave_login(
                token,
                outcome.account,
                insecure=insecure,
                store=self.token_store or TokenStore(),
                file=self.token_file or InsecureTokenFile(),
            )
        except (KeyringUnavailable, InsecureFileError) as exc:
            return LoginOutcome(
                True,
                outcome.message + " for this session only",
                outcome.account,
                outcome.username,
                outcome.admin,
                keyring_problem=str(exc),
            )
        return LoginOutcome(
            True,
            outcome.message,
            outcome.account,
            outcome.username,
            outcome.admin,
            stored_in=saved.source,
            warning=saved.warning,
        )

    def keep_login_in_file(self, reply_to: MessagePump | None = None) -> Worker[None] | None:
        """After the keyring failed: keep the current token in the 0600 file, as asked."""
        client = self.services.client
        token = client.token if client is not None else None
        if token is None:
            self._post(LoginFinished(LoginOutcome(False, "Not logged in.")), reply_to)
            return None
        base = LoginOutcome(True, "Logged in", self.session.account, admin=self.is_admin)

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
        session = self.session
        if client is None or not session.logged_in:
            return None

        async def work() -> tuple[str | None, str | None, bool]:
            address, username = session.account, session.username
            if address is None:
                try:
                    profile = await client.my_profile()
                    address, username = profile.address, profile.username
                except ApiError:
                    pass
            try:
                admin = await client.is_admin()
            except ApiError:
                admin = False
            return address, username, admin

        def done(found: tuple[str | None, str | None, bool]) -> None:
            address, username, admin = found
            session.learned(account=address, username=username, is_admin=admin)
            self.refresh_bookmarks()

        return self._run("identity", work, done, exclusive=True)

    def after_login(self, then: Callable[[], object] | None) -> None:
        """Remember what to do once the login screen closes with a login (the app calls this)."""
        self._after_login = then

    def login_closed(self, logged_in: bool) -> None:
        then, self._after_login = self._after_login, None
        if logged_in and then is not None:
            then()

    # -- asking the app for screens --------------------------------------------------------------

    def open_editor(self, target: PostTarget) -> None:
        if not self.logged_in:
            self._need_login(f"Log in to write a {target.noun}.", lambda: self.open_editor(target))
            return
        self.app.post_message(EditorWanted(target))

    def open_callout_editor(self, mint: str, label: str) -> None:
        """The eligibility check first, then the editor: nobody types a thesis for nothing."""
        target = PostTarget("callout", mint, label)
        self.check_eligibility(mint, label, lambda: self.app.post_message(EditorWanted(target)))

    def open_bookmark_picker(self, target: SocialTarget) -> None:
        if not self.logged_in:
            self._need_login("Log in to bookmark coins.", lambda: self.open_bookmark_picker(target))
            return
        self.app.post_message(BookmarkPickerWanted(target.mint, target.label))

    def open_bookmarks(self) -> None:
        if not self.logged_in:
            self._need_login("Log in to see your bookmarks.", self.open_bookmarks)
            return
        self.app.post_message(BookmarksWanted())


def _kind(change: Change) -> str:
    return {Like: "like", Follow: "follow", Bookmark: "bookmark"}.get(type(change), "change")


def _key(change: Change) -> str:
    match change:
        case Like(target=target):
            return target
        case Follow(wallet=wallet):
            return wallet
        case Bookmark(mint=mint):
            return mint
    return ""


def social_of(node: MessagePump) -> SocialActions | None:
    """The app's social service, or None in an app without one (a lone widget's test app)."""
    app = node.app
    return app.social if isinstance(app, AppWithServices) else None


class SocialKeys(Screen[None]):
    """Screen base: the social keys act on whatever `social_target()` returns.

    Use as `class CoinScreen(SocialKeys, PumpScreen[None])`, with `SOCIAL_BINDINGS` in
    `BINDINGS`. Moderator keys are hidden and inert unless the account may moderate.
    """

    SOCIAL_BINDINGS: ClassVar[list[Binding]] = SOCIAL_BINDINGS
    # Whether the screen shows callouts (which `l` likes and `r` replies to): on screens that
    # list coins only, those keys are hidden, as likes and replies no longer target coins.
    SHOWS_CALLOUTS: ClassVar[bool] = False

    def social_target(self) -> SocialTarget | None:
        """The coin or callout the keys act on now (None: nothing under the cursor)."""
        raise NotImplementedError

    def _social(self) -> SocialActions | None:
        return social_of(self)

    def own_marks(self) -> OwnMarks:
        social = self._social()
        return social.own_marks() if social is not None else NO_MARKS

    def _social_and_target(self) -> tuple[SocialActions, SocialTarget] | None:
        social = self._social()
        if social is None:
            return None
        target = self.social_target()
        if target is None:
            self.notify("Nothing selected", severity="warning", timeout=2)
            return None
        return social, target

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MODERATOR_ONLY:
            social = self._social()
            return social is not None and social.is_admin
        if action in CALLOUT_ONLY and not self.SHOWS_CALLOUTS:
            return False
        return super().check_action(action, parameters)

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
            if target.is_callout:  # bookmarks hold coins: the callout's coin
                target = SocialTarget(target.mint, label=fmt.short_address(target.mint))
            social.open_bookmark_picker(target)

    def action_social_reply(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            if target.callout_id is None:
                self.notify(
                    "Replies go to a callout: pick one in the callouts pane (n posts a new one)",
                    severity="warning",
                    timeout=4,
                )
                return
            social.open_editor(
                PostTarget("reply", target.mint, f"{target.label}'s callout", target.callout_id)
            )

    def action_social_callout(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            fallback = fmt.short_address(target.mint) if target.is_callout else target.label
            social.open_callout_editor(target.mint, self._coin_label(target.mint, fallback))

    def action_social_chat(self) -> None:
        if (found := self._social_and_target()) is not None:
            social, target = found
            social.open_editor(
                PostTarget("chat", target.mint, self._coin_label(target.mint, target.label))
            )

    def _coin_label(self, mint: str, fallback: str) -> str:
        social = self._social()
        coin = social.services.store.coin(mint) if social is not None else None
        return SocialTarget.for_coin(coin).label if coin is not None else fallback

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
            self.notify(
                f"{'Marked' if marked else 'Unmarked'} {target.label or target.key} · "
                f"{count} marked (! to moderate)",
                timeout=2,
                markup=False,
            )

    def action_social_moderate(self) -> None:
        social = self._social()
        if social is not None:
            social.open_moderation(self.social_target() if not social.marked else None)
