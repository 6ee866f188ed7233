"""Local social state: the likes/follows/bookmarks cache, the watchlist, post drafts.

Knows nothing of Textual. `SocialActions` (in `actions`) joins these to the API client for
optimistic updates; import it from there (it pulls in the HTTP client).
"""

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
]
