"""Where the auth token lives, and which one is used: env var, OS keyring, or an opted-in file.

Precedence (first wins): `PUMPTUI_TOKEN`, then the OS keyring (service `pumptui`, one entry per
account address plus a small index entry naming the current account), then the
`--insecure-storage` file (only when it exists, with a warning every time), then none: read-only
mode.

One module per concern; import from here (the public names are re-exported):
- `keyring_store`: `TokenStore`, `probe_backend`, and the thread machinery (`call_with_timeout`,
  `run_off_loop`): keyring calls can block for ever on a headless machine, so each runs in its
  own daemon thread with a timeout, and never on the event loop;
- `insecure_file`: `InsecureTokenFile`, the 0600 file the user opted into;
- `resolution`: `inspect_token` / `resolve_token`, the precedence above;
- `claims`: `token_claims`, what a JWT says about itself (unverified);
- `login`: `check_token` (whose token is this?) and `save_login` (keep it).

Each operation has one implementation, the blocking one; its `a*` twin runs that same call off
the event loop. Tokens are held as `Secret` everywhere; `reveal()` happens only inside the thread
that hands the value to the keyring, or when writing the opted-in file. Errors raised here carry
no token and no chained exception whose frames could hold one (Textual prints locals in crash
tracebacks).
"""

from __future__ import annotations

from pumptui.auth.claims import TokenClaims, token_claims
from pumptui.auth.errors import AuthError, InsecureFileError, KeyringUnavailable
from pumptui.auth.insecure_file import (
    INSECURE_FILE_NAME,
    InsecureTokenFile,
    insecure_file_path,
    insecure_warning,
)
from pumptui.auth.keyring_store import (
    CURRENT_ACCOUNT_KEY,
    DEFAULT_KEYRING_TIMEOUT,
    KEYRING_OPTIONS,
    KEYRING_TIMEOUT_ENV,
    SERVICE,
    UNKNOWN_ACCOUNT,
    BackendStatus,
    StoredToken,
    TokenStore,
    backend_name,
    call_with_timeout,
    keyring_timeout,
    probe_backend,
    run_off_loop,
)
from pumptui.auth.login import (
    LOGIN_HELP,
    AccountInfo,
    SavedToken,
    asave_login,
    check_token,
    save_login,
)
from pumptui.auth.resolution import (
    TOKEN_ENV,
    ResolvedToken,
    TokenReport,
    ainspect_token,
    aresolve_token,
    inspect_token,
    resolve_token,
)

__all__ = [
    "CURRENT_ACCOUNT_KEY",
    "DEFAULT_KEYRING_TIMEOUT",
    "INSECURE_FILE_NAME",
    "KEYRING_OPTIONS",
    "KEYRING_TIMEOUT_ENV",
    "LOGIN_HELP",
    "SERVICE",
    "TOKEN_ENV",
    "UNKNOWN_ACCOUNT",
    "AccountInfo",
    "AuthError",
    "BackendStatus",
    "InsecureFileError",
    "InsecureTokenFile",
    "KeyringUnavailable",
    "ResolvedToken",
    "SavedToken",
    "StoredToken",
    "TokenClaims",
    "TokenReport",
    "TokenStore",
    "ainspect_token",
    "aresolve_token",
    "asave_login",
    "backend_name",
    "call_with_timeout",
    "check_token",
    "insecure_file_path",
    "insecure_warning",
    "inspect_token",
    "keyring_timeout",
    "probe_backend",
    "resolve_token",
    "run_off_loop",
    "save_login",
    "token_claims",
]
