"""Sign in with a Solana keypair file, the way the pump.fun web site does.

The wallet signs the UTF-8 text `Sign in to pump.fun: <ms timestamp>` with ed25519; the address,
the base58 signature and the timestamp go to the client's `login`, which tries `/auth/login` (the
`auth_token` cookie) and then `/auth/login/token` (a bearer token). The private key is read, used
once and forgotten:

- the file is read into a `bytearray` and parsed by hand (JSON array of numbers, or a base58
  secret key as wallets export it) into another `bytearray`; both are overwritten with zeros
  before returning, whatever happens. This is best effort: `cryptography` needs an immutable
  `bytes` seed, which Python cannot wipe;
- nothing derived from the key except the public address and the signature leaves this module;
- error messages name the file and what is wrong with its shape, never its content, and are
  raised after the buffers are wiped (crash tracebacks print locals).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pumptui.base58 import ALPHABET, b58encode
from pumptui.secret import Secret

LOGIN_MESSAGE_PREFIX: Final = "Sign in to pump.fun: "
# A keypair file is well under 1 KB; anything much larger is not one.
_MAX_FILE_BYTES: Final = 16 * 1024
_SEED_LEN: Final = 32
_KEYPAIR_LEN: Final = 64
_B58_INDEX: Final = {ord(c): i for i, c in enumerate(ALPHABET)}
_WHITESPACE: Final = frozenset(b" \t\r\n")


class KeypairError(ValueError):
    """The keypair file cannot be used. The message never contains key material."""


@dataclass(frozen=True, slots=True)
class LoginSignature:
    """What the login routes need: nothing secret."""

    address: str
    signature: str
    timestamp_ms: int


def login_message(timestamp_ms: int) -> bytes:
    return f"{LOGIN_MESSAGE_PREFIX}{timestamp_ms}".encode()


def now_ms() -> int:
    return int(time.time() * 1000)


def sign_login(path: str | Path, *, timestamp_ms: int | None = None) -> LoginSignature:
    """Read the keypair at `path`, sign the login message, and forget the key.

    Accepts a Solana CLI keypair file (a JSON array of 64 numbers: secret seed then public key;
    32 numbers is taken as the seed alone) or a base58 secret key (64 or 32 bytes). When the file
    holds the public half, it must match the key derived from the secret half.
    """
    path = Path(path)
    stamp = now_ms() if timestamp_ms is None else timestamp_ms
    raw = bytearray(_MAX_FILE_BYTES + 1)
    key = bytearray(_KEYPAIR_LEN)
    problem: str | None = None
    result: LoginSignature | None = None
    try:
        size = _read_into(path, raw)
        if size is None:
            problem = "cannot be read"
        elif size > _MAX_FILE_BYTES:
            problem = "is too large to be a keypair file"
        else:
            problem, key_len = _parse_key(memoryview(raw)[:size], key)
            if problem is None:
                problem, result = _sign(key, key_len, stamp)
    finally:
        raw[:] = bytes(len(raw))
        key[:] = bytes(len(key))
    if problem is not None or result is None:
        raise KeypairError(f"keypair file {path}: {problem or 'unusable'}")
    return result


class LoginClient(Protocol):
    async def login(self, address: str, signature_b58: str, timestamp_ms: int) -> Secret: ...


async def login_with_keypair(
    client: LoginClient, path: str | Path, *, timestamp_ms: int | None = None
) -> Secret:
    """Sign in with the keypair at `path` through `client` (`PumpClient.login`: either login
    route); the new token.

    Raises `KeypairError` for a bad file, and the client's typed errors (`pumptui.api.errors`)
    when the server refuses (`LoginRefused`: both routes did) or cannot be reached.
    """
    signed = sign_login(path, timestamp_ms=timestamp_ms)
    return await client.login(signed.address, signed.signature, signed.timestamp_ms)


# -- internals: every buffer that may hold key material is a caller-owned bytearray ------------


def _read_into(path: Path, buffer: bytearray) -> int | None:
    """Read the file into `buffer` (no immutable copy); its size, or None if unreadable."""
    try:
        with path.open("rb", buffering=0) as handle:
            total = 0
            view = memoryview(buffer)
            while total < len(buffer):
                count = handle.readinto(view[total:])
                if not count:
                    break
                total += count
            return total
    except OSError:
        return None


def _parse_key(text: memoryview, out: bytearray) -> tuple[str | None, int]:
    """Parse the file's content into `out`; (problem or None, number of key bytes)."""
    start, end = 0, len(text)
    while start < end and text[start] in _WHITESPACE:
        start += 1
    while end > start and text[end - 1] in _WHITESPACE:
        end -= 1
    if start == end:
        return "is empty", 0
    body = text[start:end]
    if body[0] == ord("["):
        return _parse_json_array(body, out)
    return _parse_base58(body, out)


def _parse_json_array(body: memoryview, out: bytearray) -> tuple[str | None, int]:
    shape = "should be a JSON array of 64 numbers from 0 to 255"
    if body[-1] != ord("]"):
        return shape, 0
    count = 0
    value = -1  # -1: no digit seen since the last separator
    for byte in body[1:-1]:
        if 0x30 <= byte <= 0x39:
            value = (0 if value < 0 else value) * 10 + (byte - 0x30)
            if value > 255:
                return shape, 0
        elif byte == ord(","):
            if value < 0 or count >= _KEYPAIR_LEN:
                return shape, 0
            out[count] = value
            count += 1
            value = -1
        elif byte not in _WHITESPACE:
            return shape, 0
    if value < 0:
        return shape, 0  # `[]` or a trailing comma: not JSON
    if count >= _KEYPAIR_LEN:
        return shape, 0
    out[count] = value
    count += 1
    if count not in (_SEED_LEN, _KEYPAIR_LEN):
        return f"holds {count} numbers; {shape}", 0
    return None, count


def _parse_base58(body: memoryview, out: bytearray) -> tuple[str | None, int]:
    """Base58 decoded digit by digit into `out` (big-endian), so no big int holds the key."""
    shape = "should be a JSON array of 64 numbers or a base58 secret key"
    work = bytearray(_KEYPAIR_LEN + 1)  # one spare byte detects overflow
    try:
        leading_ones = 0
        seen_other = False
        for byte in body:
            digit = _B58_INDEX.get(byte)
            if digit is None:
                return shape, 0
            if digit == 0 and not seen_other:
                leading_ones += 1
            else:
                seen_other = True
            carry = digit
            for i in range(len(work) - 1, -1, -1):
                carry += work[i] * 58
                work[i] = carry & 0xFF
                carry >>= 8
            if carry:
                return "is too long to be a secret key", 0
        first = next((i for i, b in enumerate(work) if b), len(work))
        length = len(work) - first + leading_ones
        if length not in (_SEED_LEN, _KEYPAIR_LEN):
            return f"decodes to {length} bytes; a secret key has 64 (or a seed 32)", 0
        out[leading_ones:length] = memoryview(work)[first:]
        return None, length
    finally:
        work[:] = bytes(len(work))


def _sign(key: bytearray, key_len: int, stamp: int) -> tuple[str | None, LoginSignature | None]:
    private = Ed25519PrivateKey.from_private_bytes(bytes(memoryview(key)[:_SEED_LEN]))
    public = private.public_key().public_bytes_raw()
    if key_len == _KEYPAIR_LEN and key[_SEED_LEN:_KEYPAIR_LEN] != public:
        return "its public half does not match its secret half (corrupt or edited file?)", None
    signature = private.sign(login_message(stamp))
    return None, LoginSignature(b58encode(public), b58encode(signature), stamp)
