"""Likes, follows, bookmarks and posts from the keyboard: the one optimistic layer.

Every change goes in two steps, so a UI can show it the moment the key is pressed:

    intent = actions.intend(Like("callout:42"))   # the cache changes now; the UI redraws
    result = await actions.send(intent)           # the server is asked; a refusal is undone

`send` keeps changes to one target in the order they were intended (like then unlike reach the
server in that order), and never raises for a refusal: the `ActionResult` says what happened, in a
sentence that names the target, for a toast. `act` does both steps for callers with nothing to
draw (the CLI, tests).

Posts (a callout, a reply to a callout, a chat message) go through the draft store: the text is
saved before sending and discarded only on the server's confirmation; a 429 ("replying too
fast"), a network failure or a 5xx leaves it with a reason and a `retry_at` for the countdown. The
service allows about one post a minute per wallet; `post_wait()` counts it down.

Who the user is comes from the `Session` (shared with the client and the UI): the cache and the
drafts follow it. Nothing here knows Textual.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final

from pumptui.api.client import PumpClient
from pumptui.api.errors import (
    ApiError,
    AuthRequired,
    ConnectionFailed,
    NotFound,
    RateLimited,
    RequestTimeout,
    RouteGone,
    ServerError,
)
from pumptui.session import Session
from pumptui.social.drafts import INTERRUPTED, Draft, DraftStore
from pumptui.social.state import (
    Bookmark,
    CachedUser,
    Change,
    Follow,
    Like,
    NotLoggedIn,
    SocialState,
    Undo,
    Watch,
)
from pumptui.words import plural

# The real service allows about one post (callout or reply) a minute per wallet.
POST_INTERVAL: Final = 60.0
# A user's UUID never changes; counts are refreshed when older than this.
USER_MAX_AGE: Final = 600.0
LOGIN_NEEDED: Final = "Log in first: press L, run `pumptui login` or set PUMPTUI_TOKEN."
SESSION_EXPIRED: Final = "Your login expired or was refused: log in again."
CALLOUT_PREFIX: Final = "callout:"
COIN_LIKES_GONE: Final = (
    "Pump.fun has no likes for coins any more (2026): like one of the coin's callouts instead"
)


def callout_key(callout_id: str | int) -> str:
    """The like target of a callout (coins are liked by mint)."""
    return f"{CALLOUT_PREFIX}{callout_id}"


def new_callout_draft(mint: str) -> str:
    """The draft key of a callout being written about `mint`."""
    return f"callout:{mint}"


def callout_reply_draft(callout_id: str | int) -> str:
    return f"reply:{callout_id}"


def chat_draft(mint: str) -> str:
    return f"chat:{mint}"


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What happened, for the UI. `message` is a short sentence for a toast, naming the target.

    `needs_login`: ask the user to log in. `retry_at`: Unix time when trying again makes sense.
    `unavailable`: the service has no such route any more (the UI says "not available").
    """

    ok: bool
    message: str
    change: Change | None = None
    rolled_back: bool = False
    needs_login: bool = False
    unavailable: bool = False
    retry_at: float | None = None
    draft: Draft | None = None
    posted: Any = None


@dataclass(frozen=True, slots=True)
class Intent:
    """A change already in the cache, not yet confirmed by the server. `after` is set once the
    previous intent on the same target has been sent; `sent` once this one has."""

    change: Change
    undo: Undo
    label: str
    after: asyncio.Event | None = None
    sent: asyncio.Event = field(default_factory=asyncio.Event)


class SocialActions:
    """The API client, the local cache and the drafts, joined. One per app or command."""

    def __init__(
        self,
        client: PumpClient,
        state: SocialState,
        drafts: DraftStore,
        *,
        session: Session | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.state = state
        self.drafts = drafts
        self.session = session if session is not None else client.session
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}
        # Per target, the last intent's `sent` event: the next intent waits for it.
        self._last_sent: dict[str, asyncio.Event] = {}
        self._next_post_at: dict[str, float] = {}
        self._follow_session(self.session)
        self._unsubscribe = self.session.subscribe(self._follow_session)

    def close(self) -> None:
        self._unsubscribe()

    def _follow_session(self, session: Session) -> None:
        file_under(session, self.state, self.drafts)

    # -- reading (the cache already holds every intent) ----------------------------------------

    def is_liked(self, target: str) -> bool:
        return self.state.is_liked(target)

    def is_following(self, wallet: str) -> bool:
        return self.state.is_following(wallet)

    # -- the two steps ----------------------------------------------------------------------------

    def intend(self, change: Change, label: str = "") -> Intent:
        """Put `change` in the cache now. Raises `NotLoggedIn` in read-only mode (a watch is
        local and always allowed). Every intent must then be `send`-ed: later intents on the
        same target wait for it."""
        undo = self.state.apply(change)
        target = _target_of(change)
        intent = Intent(change, undo, label or _target_name(change), self._last_sent.get(target))
        self._last_sent[target] = intent.sent
        return intent

    async def send(self, intent: Intent) -> ActionResult:
        """Ask the server for an intended change, once every earlier intent on the same target
        has been sent: like then unlike reach the server in that order, however the sends are
        scheduled.

        On refusal the cache goes back (unless a newer intent changed it since) and the result
        says why; it never raises for what the server or the network did.
        """
        change = intent.change
        try:
            if intent.after is not None:
                await intent.after.wait()
            try:
                await self._deliver(change)
            except ApiError as error:
                return self._refused(intent, error, rolled_back=self.state.rollback(intent.undo))
            except BaseException:
                self.state.rollback(intent.undo)
                raise
        finally:
            intent.sent.set()
            target = _target_of(change)
            if self._last_sent.get(target) is intent.sent:
                del self._last_sent[target]
        return ActionResult(True, f"{_done(change)} {intent.label}", change)

    async def act(self, change: Change, label: str = "") -> ActionResult:
        """`intend` then `send`, for callers that draw nothing in between."""
        try:
            intent = self.intend(change, label)
        except NotLoggedIn:
            return ActionResult(False, LOGIN_NEEDED, change, needs_login=True)
        return await self.send(intent)

    def _lock(self, target: str) -> asyncio.Lock:
        return self._locks.setdefault(target, asyncio.Lock())

    async def _deliver(self, change: Change) -> None:
        match change:
            case Like(target=target, on=on):
                if not target.startswith(CALLOUT_PREFIX):
                    raise RouteGone(COIN_LIKES_GONE, feature="likes")
                if on:  # the service has no unlike for callouts (reference §3.7)
                    await self.client.like_callout(target.removeprefix(CALLOUT_PREFIX))
            case Follow(wallet=wallet, on=on):
                user = await self.user(wallet)
                if on:
                    await self.client.follow_uuid(user.user_id)
                else:
                    await self.client.unfollow_uuid(user.user_id)
            case Bookmark(mint=mint, list_id=list_id, on=on):
                if on:
                    await self.client.add_bookmark_item(mint, [list_id])
                else:
                    await self.client.remove_bookmark_item(mint, [list_id])
            case Watch():
                pass  # local only

    # -- users ------------------------------------------------------------------------------------

    async def user(self, wallet: str, *, max_age: float | None = None) -> CachedUser:
        """The wallet's account (UUID, name, counts): asked once, then from the cache.

        With `max_age`, a cached entry older than that is asked again (for fresh counts)."""
        cached = self.state.user(wallet)
        now = self._clock()
        if cached is not None and (max_age is None or now - cached.updated_at <= max_age):
            return cached
        profile = await self.client.user(wallet)
        user = CachedUser(
            wallet, profile.uuid, profile.username, profile.followers, profile.following, now
        )
        self.state.remember_user(user)
        return user

    # -- bookmarks --------------------------------------------------------------------------------

    async def refresh_bookmarks(self) -> ActionResult:
        """Replace the cached lists with the server's (at start-up, and now and then)."""
        if not self.state.account:
            return ActionResult(False, LOGIN_NEEDED, needs_login=True)
        try:
            lists = await self.client.bookmarks()
        except ApiError as error:
            return self._failure("load bookmarks", None, error, rolled_back=False)
        self.state.replace_bookmarks(lists)
        return ActionResult(True, plural(len(lists), "bookmark list"))

    # -- posts ------------------------------------------------------------------------------------

    def save_draft(self, key: str, text: str) -> None:
        """Call on every keystroke in an editor."""
        self.drafts.save(key, text)

    def post_wait(self) -> float:
        """Seconds until the service will take another post from this wallet (0: now)."""
        account = self.session.local_account or ""
        return max(0.0, self._next_post_at.get(account, 0.0) - self._clock())

    async def post_callout(
        self, mint: str, text: str | None = None, *, force: bool = False
    ) -> ActionResult:
        """Post a callout on `mint` from its draft (saving `text` into it first)."""
        return await self._post(
            new_callout_draft(mint),
            text,
            "callout",
            lambda body: self.client.create_callout(mint, body),
            force,
        )

    async def reply_to_callout(
        self, callout_id: str | int, text: str | None = None, *, force: bool = False
    ) -> ActionResult:
        return await self._post(
            callout_reply_draft(callout_id),
            text,
            "reply",
            lambda body: self.client.reply_to_callout(str(callout_id), body),
            force,
        )

    async def send_chat(
        self, mint: str, send: Callable[[str], Awaitable[object]], text: str | None = None
    ) -> ActionResult:
        """A chat message through `send` (the live chat connection), kept as a draft until
        the socket confirms. Chat has no minute limit of its own."""
        return await self._post(chat_draft(mint), text, "message", send, force=True, limited=False)

    async def _post(
        self,
        key: str,
        text: str | None,
        what: str,
        send: Callable[[str], Awaitable[object]],
        force: bool,
        *,
        limited: bool = True,
    ) -> ActionResult:
        if text is not None:
            self.drafts.save(key, text)
        draft = self.drafts.load(key)
        if draft is None:
            return ActionResult(False, f"nothing to send: the {what} is empty")
        if not self.session.logged_in:
            return ActionResult(False, LOGIN_NEEDED, needs_login=True, draft=draft)
        now = self._clock()
        wait = max(draft.retry_in(now) or 0.0, self.post_wait() if limited else 0.0)
        if wait and not force:
            return ActionResult(
                False,
                f"{what} kept as a draft: the service takes one post a "
                f"minute, next in {wait:.0f} s",
                retry_at=now + wait,
                draft=draft,
            )
        async with self._lock(key):
            self.drafts.mark_sending(key)
            try:
                posted = await send(draft.text)
            except ApiError as error:
                return self._post_failed(key, what, error)
            except BaseException:
                self.drafts.mark_failed(key, INTERRUPTED)
                raise
            self.drafts.discard(key)
        if limited:
            self._next_post_at[self.session.local_account or ""] = self._clock() + POST_INTERVAL
        return ActionResult(True, f"{what} posted", draft=draft, posted=posted)

    def _post_failed(self, key: str, what: str, error: ApiError) -> ActionResult:
        now = self._clock()
        if isinstance(error, RateLimited):
            wait = error.retry_after if error.retry_after is not None else POST_INTERVAL
            reason = "posting too fast"
            self._next_post_at[self.session.local_account or ""] = now + wait
        elif isinstance(error, (ConnectionFailed, RequestTimeout, ServerError)):
            previous = self.drafts.load(key)
            attempts = previous.attempts if previous else 1
            wait = min(POST_INTERVAL, 5.0 * 2 ** max(0, attempts - 1))
            reason = f"not sent: {error.message}"
        else:
            wait = 0.0
            reason = f"refused: {error.message}"
        retry_at = now + wait if wait else None
        draft = self.drafts.mark_failed(key, reason, retry_at)
        expired = isinstance(error, AuthRequired)
        if expired:
            message = f"{what} kept as a draft. {SESSION_EXPIRED}"
        elif retry_at is not None:
            message = f"{what} kept as a draft ({reason}): retry in {wait:.0f} s"
        else:
            message = f"{what} kept as a draft ({reason})"
        return ActionResult(
            False,
            message,
            needs_login=expired,
            retry_at=retry_at,
            draft=draft,
            unavailable=_is_unrouted(error),
        )

    # -- failures ---------------------------------------------------------------------------------

    def _refused(self, intent: Intent, error: ApiError, *, rolled_back: bool) -> ActionResult:
        return self._failure(
            f"{_verb(intent.change)} {intent.label}", intent.change, error, rolled_back=rolled_back
        )

    def _failure(
        self, what: str, change: Change | None, error: ApiError, *, rolled_back: bool
    ) -> ActionResult:
        undone = " (undone)" if rolled_back else ""
        if isinstance(error, AuthRequired):
            return ActionResult(False, SESSION_EXPIRED, change, rolled_back, needs_login=True)
        if isinstance(error, RouteGone):
            return ActionResult(
                False, f"{error.message}{undone}", change, rolled_back, unavailable=True
            )
        if _is_unrouted(error):
            return ActionResult(
                False,
                f"{what}: not available on this service{undone}",
                change,
                rolled_back,
                unavailable=True,
            )
        if isinstance(error, RateLimited):
            wait = error.retry_after if error.retry_after is not None else 10.0
            return ActionResult(
                False,
                f"{what}: too many requests, try again in {wait:.0f} s{undone}",
                change,
                rolled_back,
                retry_at=self._clock() + wait,
            )
        return ActionResult(False, f"{what} failed: {error.message}{undone}", change, rolled_back)


def file_under(session: Session, state: SocialState, drafts: DraftStore) -> None:
    """Point the cache and the drafts at the session's account (None: read-only)."""
    account = session.local_account
    if state.account != account:
        state.set_account(account)
    if drafts.account != (account or ""):
        drafts.set_account(account)


def _target_of(change: Change) -> str:
    match change:
        case Like(target=target):
            return f"like\n{target}"
        case Follow(wallet=wallet):
            return f"follow\n{wallet}"
        case Bookmark(mint=mint, list_id=list_id):
            return f"bookmark\n{list_id}\n{mint}"
        case Watch(mint=mint):
            return f"watch\n{mint}"
    raise TypeError(f"not a change: {change!r}")


def _target_name(change: Change) -> str:
    match change:
        case Like(target=target):
            return "this callout" if target.startswith(CALLOUT_PREFIX) else target[:8]
        case Follow(wallet=wallet):
            return wallet[:8]
        case Bookmark(mint=mint) | Watch(mint=mint):
            return mint[:8]
    return ""


# Per kind of change, (on, off) words: what failed ("like $FOO failed") and what a toast says on
# success, before the target's name ("Liked $FOO").
_VERBS: Final[dict[type, tuple[str, str]]] = {
    Like: ("like", "unlike"),
    Follow: ("follow", "unfollow"),
    Bookmark: ("bookmark", "remove bookmark of"),
    Watch: ("watch", "unwatch"),
}
_DONE: Final[dict[type, tuple[str, str]]] = {
    Like: ("Liked", "Like removed from"),
    Follow: ("Following", "Unfollowed"),
    Bookmark: ("Bookmarked", "Bookmark removed from"),
    Watch: ("Watching", "Stopped watching"),
}


def _verb(change: Change) -> str:
    on, off = _VERBS[type(change)]
    return on if change.on else off


def _done(change: Change) -> str:
    on, off = _DONE[type(change)]
    return on if change.on else off


def _is_unrouted(error: ApiError) -> bool:
    return isinstance(error, NotFound) and error.unrouted
