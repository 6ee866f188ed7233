"""Users as the 2026 service names them: by a UUID (`userId`) as well as by wallet.

`GET /users/{wallet}` is how a client turns a wallet into the UUID that follows take
(pumpfun-api-2026.md §3.7). Here a user's UUID is derived from the wallet (a name-based UUID), so
it costs no draw from the market's random stream and the seeded market stays as it was; the
index maps UUIDs back to wallets for the routes that take one.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from pumptui.base58 import is_pubkey
from pumptui.sim import shapes
from pumptui.sim.market import Market, SimUser

# Any fixed namespace will do: it only has to give every wallet one UUID, always the same.
_NAMESPACE = uuid.UUID("5f1f4a57-2a52-4a0b-9c4e-70756d707475")
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# `GET /following/followers/{id}` stops here (reference §3.7).
FOLLOWERS_CAP = 1000


def user_uuid(wallet: str) -> str:
    """The UUID the service gives the user of `wallet`."""
    return str(uuid.uuid5(_NAMESPACE, wallet))


def is_uuid(text: str) -> bool:
    return bool(UUID_PATTERN.match(text))


class UserIndex:
    """UUID → wallet for every user the market knows. Users are only ever added, so the index
    is rebuilt when their number changed (rarely: at login, or when a wallet is first seen)."""

    def __init__(self) -> None:
        self._wallets: dict[str, str] = {}
        self._indexed = -1

    def wallet(self, market: Market, user_id: str) -> str | None:
        """The wallet behind a UUID, or None when no known user has it."""
        if len(market.users) != self._indexed:
            self._wallets = {user_uuid(w): w for w in market.users}
            self._indexed = len(market.users)
        return self._wallets.get(user_id.lower())

    def resolve(self, market: Market, ident: str) -> str | None:
        """A wallet from a UUID or a wallet (routes whose `{id}` may be either)."""
        if is_uuid(ident):
            return self.wallet(market, ident)
        return ident if is_pubkey(ident) else None


def known_user(market: Market, wallet: str) -> SimUser | None:
    """The user of a wallet the service has seen: one of the market's users, or a coin's
    creator (created on first sight). A wallet that never used the site has no profile."""
    user = market.users.get(wallet)
    if user is None and any(c.creator == wallet for c in market.coins.values()):
        user = market.ensure_user(wallet)
    return user


def profile(market: Market, user: SimUser) -> dict[str, Any]:
    """`GET /users/{wallet}`: the profile with its UUID (`userId`), followers and following."""
    return {"userId": user_uuid(user.address), **shapes.profile(market, user)}


def follow_entry(market: Market, user: SimUser, followed_at: float) -> dict[str, Any]:
    """A row of a follow list: the follower shape the 2025 route had, plus the UUID."""
    return {"userId": user_uuid(user.address), **shapes.follower(market, user, followed_at)}


def following(market: Market, wallet: str) -> list[tuple[SimUser, float]]:
    """Whom `wallet` follows, newest follow first."""
    followed = market.follows.get(wallet, {})
    rows = [(market.ensure_user(w), at) for w, at in followed.items()]
    rows.sort(key=lambda pair: (-pair[1], pair[0].address))
    return rows
