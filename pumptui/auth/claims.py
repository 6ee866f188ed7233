"""What a JWT says about itself, read without verifying it: for display and expiry hints only."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any, Final

from pumptui.base58 import is_pubkey
from pumptui.secret import Secret


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a JWT says about itself. Unverified: for display (`whoami`) and expiry hints only."""

    address: str | None = None
    expires_at: float | None = None
    issued_at: float | None = None

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (
            time.time() if now is None else now
        )


_ADDRESS_CLAIMS: Final = ("address", "wallet", "publicKey", "sub", "user", "userId")


def token_claims(secret: Secret) -> TokenClaims | None:
    """Decode the payload of a JWT (no signature check); None when it is not a readable JWT."""
    if secret.reveal().count(".") != 2:
        return None
    # Only the payload segment is ever bound to a name; the signature segment never is.
    payload_b64 = secret.reveal().split(".")[1]
    try:
        padded = payload_b64 + "=" * (-len(payload_b64) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    address = next(
        (v for k in _ADDRESS_CLAIMS if isinstance(v := payload.get(k), str) and is_pubkey(v)),
        None,
    )
    return TokenClaims(address, _number(payload.get("exp")), _number(payload.get("iat")))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if value > 0 else None
