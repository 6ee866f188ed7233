"""The token in a file readable only by its owner: only when the user asked (`--insecure-storage`).

Written atomically with mode 0600 from the first byte; read only if it exists, with a one-line
warning once per run (whoami, logout, a small toast in the app); refused when others can read
it, as ssh refuses such keys.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Final

from pumptui import paths
from pumptui.auth.errors import InsecureFileError
from pumptui.auth.keyring_store import UNKNOWN_ACCOUNT, StoredToken
from pumptui.secret import Secret

INSECURE_FILE_NAME: Final = paths.INSECURE_TOKEN_FILE_NAME


def insecure_file_path() -> Path:
    return paths.insecure_token_file()


def insecure_warning(path: Path) -> str:
    """One short line (no "warning:" prefix: a toast has its own severity, the CLI adds one)."""
    return f"the token is in plain text in {_shown(path)} (--insecure-storage)"


def _shown(path: Path) -> str:
    """`path` with the home directory written `~`, to keep the line short."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except (ValueError, RuntimeError):
        return str(path)


class InsecureTokenFile:
    """The explicit `--insecure-storage` store: a JSON file with mode 0600.

    Used only when the user asked for it at login; read later only if it exists, and every run
    that uses it says so once. A file that others can read is refused, as ssh refuses such keys.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or insecure_file_path()

    def exists(self) -> bool:
        return self.path.is_file()

    def load(self) -> StoredToken | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise InsecureFileError(f"cannot read {self.path}: {exc.strerror}") from None
        if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InsecureFileError(
                f"{self.path} can be read by other users (mode {stat.S_IMODE(info.st_mode):o}); "
                f"refusing to use it. Run `chmod 600 {self.path}` or `pumptui logout`."
            )
        stored = _read_token_file(self.path)
        if stored is None:
            raise InsecureFileError(f"{self.path} is not a token file written by `pumptui login`")
        return stored

    def save(self, secret: Secret, account: str) -> Path:
        """Write atomically, created 0600 (never briefly readable by others).

        The encoded payload is a bytearray wiped before returning, so no frame keeps the token
        as a plain value if the write fails.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InsecureFileError(f"cannot create {self.path.parent}: {exc.strerror}") from None
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        payload = bytearray(json.dumps({"account": account, "token": secret.reveal()}).encode())
        problem: str | None = None
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                if hasattr(os, "fchmod"):  # POSIX: in case the file existed with a looser mode
                    os.fchmod(fd, 0o600)
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
        except OSError as exc:
            problem = exc.strerror or type(exc).__name__
        finally:
            payload[:] = bytes(len(payload))
        if problem is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise InsecureFileError(f"cannot write {self.path}: {problem}")
        return self.path

    def delete(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


def _read_token_file(path: Path) -> StoredToken | None:
    """Parse the file; None when it is not ours. A separate frame, so the caller's error has no
    local holding the raw token."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        secret = Secret(data["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    account = data.get("account")
    account = account if isinstance(account, str) and account else UNKNOWN_ACCOUNT
    return StoredToken(secret, account, "insecure file")
