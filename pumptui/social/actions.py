"""Likes, follows, bookmarks and replies from the keyboard: optimistic, rolled back on refusal.

`SocialActions` joins the API client to the local cache and the drafts. Each action changes the
cache at once (so the UI shows the new state immediately), sends the request, and when the
server refuses or cannot be reached, rolls the cache back and returns an `ActionResult` whose
`message` is meant for a toast. Nothing here raises for a refusal: the UI gets a result to show.

Replies go through the draft store: the text is saved before sending, discarded only on the
server's confirmation, and on a 429 ("replying too fast"), a network failure or a 5xx it stays
with a reason and a `retry_at` for the countdown.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from pumptui.api.client import PumpClient
from pumptui.api.errors import (
    ApiError,
    AuthRequired,
    ClientError,
    ConnectionFailed,
    RateLimited,
    RequestTimeout,
    ServerError,
)
from pumptui.api.models import Reply
from pumptui.social.captcha import CaptchaError, CaptchaProvider, CaptchaUnavailable
from pumptui.social.drafts import INTERRUPTED, Draft, DraftStore
from pumptui.social.state import Bookmark, Change, Follow, Like, NotLoggedIn, SocialState

# The real service allows about one reply a minute per wallet.
REPLY_INTERVAL: Final = 60.0
LOGIN_NEEDED: Final = "Log in first: press the login key, run `pumptui login` or set PUMPTUI_TOKEN."
SESSION_EXPIRED: Final = "Your login expired or was refused: log in again."


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What happened, for the UI. `message` is a short sentence for a toast.

    `needs_login`: open the login screen. `needs_captcha`: ask for a captcha token and call again
    with it. `retry_at`: Unix time when trying again makes sense (rate limits, failed replies).
    """

    ok: bool
    message: str
    change: Change | None = None
    rolled_back: bool = False
    needs_login: bool = False
    needs_captcha: bool = False
    retry_at: float | None = None
    draft: Draft | None = None
    reply: Reply | None = None


class SocialActions:
    def __init__(
        self,
        client: PumpClient,
        state: SocialState,
        drafts: DraftStore,
        captcha: CaptchaProvider | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.state = state
        self.drafts = drafts
        self.captcha = captcha or CaptchaProvider()
        self._clock = clock

    def set_account(self, account: str | None) -> None:
        """After login or logout: the cache and the drafts follow the account."""
        self.state.set_account(account)
        self.drafts.set_account(account)

    # -- likes, follows, bookmarks ----------------------------------------------------------

    async def like(self, target: str | int, on: bool = True) -> ActionResult:
        """Like (or unlike) a coin by mint or a reply by id."""
        key = str(target)
        send = self.client.like if on else self.client.unlike
        return await self._optimistic(Like(key, on), lambda: send(key))

    async def toggle_like(self, target: str | int) -> ActionResult:
        return await self.like(target, not self.state.is_liked(str(target)))

    async def follow(
        self, wallet: str, on: bool = True, *, captcha_token: str | None = None
    ) -> ActionResult:
        """Follow (needs a captcha token: given, or from the provider) or unfollow a wallet."""
        change = Follow(wallet, on)
        if not on:
            return await self._optimistic(change, lambda: self.client.unfollow(wallet))
        if not self.state.account:
            return ActionResult(False, LOGIN_NEEDED, change, needs_login=True)
        token = captcha_token
        if token is None:
            try:
                token = await self.captcha.get()
            except CaptchaUnavailable as exc:
                return ActionResult(False, str(exc), change, needs_captcha=True)
            except CaptchaError as exc:
                return ActionResult(False, f"follow: {exc}", change, needs_captcha=True)
        given: str = token
        return await self._optimistic(
            change, lambda: self.client.follow(wallet, captcha_token=given)
        )

    async def toggle_follow(self, wallet: str, *, captcha_token: str | None = None) -> ActionResult:
        return await self.follow(
            wallet, not self.state.is_following(wallet), captcha_token=captcha_token
        )

    async def bookmark(self, mint: str, list_id: str = "default", on: bool = True) -> ActionResult:
        send = self.client.add_bookmark_item if on else self.client.remove_bookmark_item
        return await self._optimistic(Bookmark(mint, list_id, on), lambda: send(mint, [list_id]))

    async def toggle_bookmark(self, mint: str, list_id: str = "default") -> ActionResult:
        return await self.bookmark(mint, list_id, not self.state.is_bookmarked(mint, list_id))

    async def refresh_bookmarks(self) -> ActionResult:
        """Replace the cached lists with the server's (at start-up, and now and then)."""
        if not self.state.account:
            return ActionResult(False, LOGIN_NEEDED, needs_login=True)
        try:
            lists = await self.client.bookmarks()
        except ApiError as error:
            return self._failure(None, error, rolled_back=False)
        self.state.replace_bookmarks(lists)
        return ActionResult(True, f"{len(lists)} bookmark list(s)")

    async def _optimistic(
        self, change: Change, send: Callable[[], Awaitable[None]]
    ) -> ActionResult:
        try:
            undo = self.state.apply(change)
        except NotLoggedIn:
            return ActionResult(False, LOGIN_NEEDED, change, needs_login=True)
        try:
            await send()
        except ApiError as error:
            rolled_back = self.state.rollback(undo)
            return self._failure(change, error, rolled_back=rolled_back)
        return ActionResult(True, f"{change.label}: done", change)

    def _failure(
        self, change: Change | None, error: ApiError, *, rolled_back: bool
    ) -> ActionResult:
        what = change.label if change is not None else "request"
        undone = " (undone)" if rolled_back else ""
        if isinstance(error, AuthRequired):
            return ActionResult(False, SESSION_EXPIRED, change, rolled_back, needs_login=True)
        if isinstance(error, RateLimited):
            wait = error.retry_after if error.retry_after is not None else 10.0
            return ActionResult(
                False,
                f"{what}: too many requests, try again in {wait:.0f} s{undone}",
                change,
                rolled_back,
                retry_at=self._clock() + wait,
            )
        needs_captcha = _is_captcha_refusal(error)
        return ActionResult(
            False,
            f"{what} failed: {error.message}{undone}",
            change,
            rolled_back,
            needs_captcha=needs_captcha,
        )

    # -- replies ---------------------------------------------------------------------------------

    def save_draft(self, mint: str, text: str) -> None:
        """Call on every keystroke in the reply box."""
        self.drafts.save(mint, text)

    async def post_reply(
        self,
        mint: str,
        text: str | None = None,
        *,
        captcha_token: str | None = None,
        force: bool = False,
    ) -> ActionResult:
        """Send the draft for `mint` (saving `text` into it first when given).

        The draft is discarded only when the server confirms; every failure leaves it with a
        reason and `retry_at`. Before `retry_at` nothing is sent unless `force`. When the server
        asks for a captcha and the provider can make one, it is fetched and the post tried once
        more.
        """
        if text is not None:
            self.drafts.save(mint, text)
        draft = self.drafts.load(mint)
        if draft is None:
            return ActionResult(False, "nothing to send: the reply is empty")
        if not self.client.has_token:
            return ActionResult(False, LOGIN_NEEDED, needs_login=True, draft=draft)
        wait = draft.retry_in(self._clock())
        if wait and not force:
            return ActionResult(
                False,
                f"reply kept as a draft: retry in {wait:.0f} s",
                retry_at=draft.retry_at,
                draft=draft,
            )
        self.drafts.mark_sending(mint)
        try:
            reply = await self._send_reply(mint, draft.text, captcha_token)
        except ApiError as error:
            return self._reply_failed(mint, error)
        except CaptchaError as exc:
            failed = self.drafts.mark_failed(mint, f"needs a captcha token: {exc}")
            return ActionResult(
                False, f"reply kept as a draft: {exc}", needs_captcha=True, draft=failed
            )
        except BaseException:
            self.drafts.mark_failed(mint, INTERRUPTED)
            raise
        self.drafts.discard(mint)
        return ActionResult(True, "reply posted", reply=reply)

    async def _send_reply(self, mint: str, text: str, captcha_token: str | None) -> Reply | None:
        try:
            return await self.client.post_reply(mint, text, captcha_token=captcha_token)
        except ClientError as error:
            if captcha_token is not None or not _is_captcha_refusal(error):
                raise
            if not self.captcha.automatic:
                raise CaptchaUnavailable("the server wants a captcha token for replies") from None
        token = await self.captcha.get()
        return await self.client.post_reply(mint, text, captcha_token=token)

    def _reply_failed(self, mint: str, error: ApiError) -> ActionResult:
        now = self._clock()
        if isinstance(error, RateLimited):
            wait = error.retry_after if error.retry_after is not None else REPLY_INTERVAL
            reason = "replying too fast"
        elif isinstance(error, (ConnectionFailed, RequestTimeout, ServerError)):
            previous = self.drafts.load(mint)
            attempts = previous.attempts if previous else 1
            wait = min(REPLY_INTERVAL, 5.0 * 2 ** max(0, attempts - 1))
            reason = f"not sent: {error.message}"
        else:
            wait = 0.0
            reason = f"refused: {error.message}"
        retry_at = now + wait if wait else None
        draft = self.drafts.mark_failed(mint, reason, retry_at)
        if isinstance(error, AuthRequired):
            message = f"reply kept as a draft. {SESSION_EXPIRED}"
        elif retry_at is not None:
            message = f"reply kept as a draft ({reason}): retry in {wait:.0f} s"
        else:
            message = f"reply kept as a draft ({reason})"
        return ActionResult(
            False,
            message,
            needs_login=isinstance(error, AuthRequired),
            needs_captcha=_is_captcha_refusal(error),
            retry_at=retry_at,
            draft=draft,
        )


def _is_captcha_refusal(error: ApiError) -> bool:
    return isinstance(error, ClientError) and "captcha" in error.message.lower()
