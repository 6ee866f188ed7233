"""Links to a Solana block explorer: a wallet's page and a transaction's page.

The explorer is the user's choice (`[ui] explorer_account_url` / `explorer_tx_url`), so links are
built from templates holding one placeholder each, `{address}` and `{signature}`; Solscan by
default. What goes into a link is checked to be base58 (what wallets and signatures are), so a
hostile value from the API can never change the link's host or path.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pumptui.base58 import ALPHABET

ACCOUNT_URL = "https://solscan.io/account/{address}"
TX_URL = "https://solscan.io/tx/{signature}"
ADDRESS = "{address}"
SIGNATURE = "{signature}"
_BASE58 = frozenset(ALPHABET)


def check_template(template: str, placeholder: str) -> str:
    """The template as stored: an http(s) URL holding `placeholder` once and no other braces;
    else ValueError saying what is wrong."""
    url = template.strip()
    parts = urlsplit(url.replace(placeholder, "x"))
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url[:80]!r}")
    if url.count(placeholder) != 1:
        raise ValueError(f"should hold {placeholder} once: {url[:80]!r}")
    if "{" in url.replace(placeholder, "") or "}" in url.replace(placeholder, ""):
        raise ValueError(f"holds braces other than {placeholder}: {url[:80]!r}")
    return url


def account_url(address: str, template: str = ACCOUNT_URL) -> str:
    """The explorer's page of a wallet (ValueError if `address` is not base58)."""
    return _fill(check_template(template, ADDRESS), ADDRESS, address)


def tx_url(signature: str, template: str = TX_URL) -> str:
    """The explorer's page of a transaction (ValueError if `signature` is not base58)."""
    return _fill(check_template(template, SIGNATURE), SIGNATURE, signature)


def _fill(template: str, placeholder: str, value: str) -> str:
    if not value or not set(value) <= _BASE58:
        raise ValueError(f"not a base58 value: {value[:90]!r}")
    return template.replace(placeholder, value)
