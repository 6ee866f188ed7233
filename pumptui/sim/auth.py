"""Sign-in and sessions like the real service: an ed25519 signature of
`Sign in to pump.fun: <ms>` buys a signed session token (JWT, HS256), sent back as the
`auth_token` cookie (`POST /auth/login`) or in the body (`POST /auth/login/token`, which also
wants `authType: "non_custodial"`); later requests present it as that cookie or as
`Authorization: Bearer`. Whether the real `/auth/login` still signs in after the web site moved
to Privy (2026-09-25) is unknown, so either route can be switched off or made to refuse.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pumptui.base58 import b58decode

LOGIN_MESSAGE = "Sign in to pump.fun: {timestamp}"
LOGIN_MAX_SKEW_MS = 5 * 60 * 1000
TOKEN_LIFETIME = 30 * 24 * 3600
TOKEN_LOGIN_AUTH_TYPE = "non_custodial"
# What a login route does (`ServerConfig.cookie_login`, `token_login`): signs in; answers 404
# "Cannot POST" as if it had no handler; or refuses every signature with 401.
LOGIN_OPEN, LOGIN_UNROUTED, LOGIN_REFUSED = "open", "unrouted", "refused"
LOGIN_MODES = (LOGIN_OPEN, LOGIN_UNROUTED, LOGIN_REFUSED)


class AuthError(Exception):
    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class Session:
    address: str
    admin: bool
    expires: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authority:
    def __init__(self, admin_wallets: tuple[str, ...] = (), secret: bytes | None = None) -> None:
        self.admin_wallets = frozenset(admin_wallets)
        self._secret = secret or secrets.token_bytes(32)
        # Signature of a logged-out token -> its expiry (after which it is refused anyway).
        self._revoked: dict[str, float] = {}

    # -- login ----------------------------------------------------------------------------

    def verify_login(
        self, address: object, signature: object, timestamp: object, now_ms: int | None = None
    ) -> str:
        """Check a login and return a session token, or raise AuthError."""
        if not isinstance(address, str) or not isinstance(signature, str):
            raise AuthError("address and signature are required", 400)
        if isinstance(timestamp, bool) or not isinstance(timestamp, (int, str)):
            raise AuthError("timestamp is required", 400)
        try:
            ts = int(timestamp)
            key = b58decode(address)
            sig = b58decode(signature)
        except ValueError:
            raise AuthError("malformed address, signature or timestamp", 400) from None
        if len(key) != 32 or len(sig) != 64:
            raise AuthError("malformed address or signature", 400)
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        if abs(now_ms - ts) > LOGIN_MAX_SKEW_MS:
            raise AuthError("Login timestamp is too old or in the future", 401)
        message = LOGIN_MESSAGE.format(timestamp=ts).encode()
        try:
            Ed25519PublicKey.from_public_bytes(key).verify(sig, message)
        except (InvalidSignature, ValueError):
            raise AuthError("Invalid signature", 401) from None
        return self.issue(address)

    def issue(self, address: str, lifetime: float = TOKEN_LIFETIME) -> str:
        now = int(time.time())
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = _b64(
            json.dumps(
                {
                    "address": address,
                    "roles": ["admin"] if address in self.admin_wallets else [],
                    "iat": now,
                    "exp": int(now + lifetime),
                },
                separators=(",", ":"),
            ).encode()
        )
        signing_input = f"{header}.{payload}".encode()
        signature = _b64(hmac.new(self._secret, signing_input, hashlib.sha256).digest())
        return f"{header}.{payload}.{signature}"

    def session(self, token: str | None) -> Session | None:
        """The session a token proves, or None for a missing, forged or expired one."""
        if not token:
            return None
        parts = token.split(".")
        if len(parts) != 3:
            return None
        expected = _b64(
            hmac.new(self._secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        )
        if not hmac.compare_digest(expected, parts[2]):
            return None
        try:
            payload = json.loads(_unb64(parts[1]))
            address = str(payload["address"])
            expires = float(payload["exp"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires < time.time() or parts[2] in self._revoked:
            return None
        return Session(address, address in self.admin_wallets, expires)

    def revoke(self, token: str) -> None:
        """Log a session out. Expired entries are forgotten, so the set stays small."""
        session = self.session(token)
        if session is None:
            return
        now = time.time()
        for signature in [s for s, expires in self._revoked.items() if expires < now]:
            del self._revoked[signature]
        self._revoked[token.rsplit(".", 1)[1]] = session.expires
