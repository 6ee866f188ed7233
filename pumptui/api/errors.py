"""Typed errors of the API layer. Every failure a caller can see is one of these.

Messages are short and safe to show a user: they never hold a token, a cookie or a request
header, and bodies are cut to a short, sanitised excerpt.
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of every error raised by `pumptui.api`."""

    retryable: bool = False

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return self.message


class RateLimited(ApiError):
    """429: the service wants us to wait `retry_after` seconds (None when it did not say)."""

    retryable = True

    def __init__(
        self,
        message: str = "rate limited",
        *,
        retry_after: float | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.retry_after = retry_after


class Blocked(RateLimited):
    """The host blocked us, openly or in disguise: Cloudflare's `error code: 1015` on swap, an
    HTML challenge page where JSON was due, a redirect to `static.pump.fun/blocked`, a 403 or 503
    challenge. Nothing goes to that host until `retry_after` seconds have passed; the body is
    never read as data. A `RateLimited`, so code that waits out rate limits waits this out too."""

    def __init__(
        self,
        message: str = "blocked",
        *,
        retry_after: float | None = None,
        host: str = "",
        url: str | None = None,
    ) -> None:
        super().__init__(message, retry_after=retry_after, url=url)
        self.host = host


class AuthRequired(ApiError):
    """401: no token, or the token was rejected or expired."""


class LoginRefused(AuthRequired):
    """No login route would sign this wallet in: each refused it (401/403) or is gone (404
    "Cannot POST", 410). `tried` names each route with what it answered; the message says so,
    and that a token from the web site's own sign-in provider (Privy) is not accepted either."""

    def __init__(
        self, message: str, *, tried: tuple[str, ...] = (), url: str | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.tried = tried


class Forbidden(ApiError):
    """403: logged in, but not allowed (e.g. moderation without admin rights)."""


class NotFound(ApiError):
    """404. `unrouted` is True for the server's own "Cannot GET /path" (no handler: the route
    itself is gone), False when a handler looked and found nothing ("Coin not found for mint")."""

    def __init__(self, message: str, *, unrouted: bool = False, url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.unrouted = unrouted


class ServerError(ApiError):
    """5xx, or an HTML error page from a CDN."""

    retryable = True

    def __init__(self, message: str, *, status: int = 500, url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status


class RequestTimeout(ApiError):
    """No answer within the timeout."""

    retryable = True


class ConnectionFailed(ApiError):
    """Could not connect, or the connection dropped mid-answer.

    `never_sent` is True when the connection was refused, so the server cannot have acted on the
    request and even an unsafe POST may be sent again."""

    retryable = True

    def __init__(self, message: str, *, never_sent: bool = False, url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.never_sent = never_sent


class BadResponse(ApiError):
    """An answer we cannot use: malformed or truncated JSON, a wrong shape, a database error
    returned with status 200. `excerpt` is a short sanitised piece of the body."""

    retryable = True

    def __init__(self, message: str, *, excerpt: str = "", url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.excerpt = excerpt


class ClientError(ApiError):
    """Another 4xx the caller got wrong (bad request, conflict, ...); retrying will not help."""

    def __init__(self, message: str, *, status: int = 400, url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status


class InsecureTransport(ApiError):
    """Refused to send a token over plain http to a host that is not loopback."""


class NotAvailable(NotFound):
    """The service has no handler for a route of an optional feature ("Cannot GET": bookmarks
    dropped, callouts not served): the feature is not available on this service. The UI says
    "not available" instead of failing; the client sends nothing more to `feature` this session."""

    def __init__(self, message: str, *, feature: str, url: str | None = None) -> None:
        super().__init__(message, unrouted=True, url=url)
        self.feature = feature


class RouteGone(NotAvailable):
    """A route the service dropped for good (reference §4: `/replies`, `/likes`, follows by
    wallet). Raised without sending anything; the message names what replaced it."""


class PostingTooFast(RateLimited):
    """About one post (a callout, or a reply to one) per wallet per minute: "You're replying too
    fast". `retry_after` is the seconds until the next post may go (for a countdown). A post is
    never retried: nothing typed is sent twice."""


class NotEligible(Forbidden):
    """The wallet may not post a callout on this coin: it must hold some of it."""


class ChatRefused(ApiError):
    """The live chat refused a message; the message is the server's reason (sanitised)."""
