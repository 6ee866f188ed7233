"""Local social state: the likes/follows/bookmarks cache, the watchlist, reply drafts, captcha.

Knows nothing of Textual. `SocialActions` (in `actions`) joins these to the API client for
optimistic updates; import it from there (it pulls in the HTTP client).
"""

from pumptui.social.captcha import (
    CaptchaError,
    CaptchaProvider,
    CaptchaUnavailable,
    run_captcha_command,
)
from pumptui.social.db import LocalStateError
from pumptui.social.drafts import Draft, DraftStatus, DraftStore
from pumptui.social.state import (
    Bookmark,
    Change,
    Follow,
    Like,
    NotLoggedIn,
    SocialState,
    Undo,
    Watch,
)

__all__ = [
    "Bookmark",
    "CaptchaError",
    "CaptchaProvider",
    "CaptchaUnavailable",
    "Change",
    "Draft",
    "DraftStatus",
    "DraftStore",
    "Follow",
    "Like",
    "LocalStateError",
    "NotLoggedIn",
    "SocialState",
    "Undo",
    "Watch",
    "run_captcha_command",
]
