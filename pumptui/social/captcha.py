"""Captcha tokens for follows (and replies where the server wants one).

Two automatic sources, else the TUI asks in a modal:
- `ui.captcha_command` from the config: run without a shell (`shlex.split`), stdin closed, with a
  timeout; the first line of its stdout is the token. Failures say what went wrong (not found,
  exit status and a short stderr excerpt, timeout, empty output).
- a callable returning a token, e.g. one that fetches `GET /_sim/captcha` from the simulator in
  demo mode. It may be async (preferred) or sync; a sync one runs on the event loop, so it must
  not block.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import re
import shlex
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from pumptui.api.errors import ApiError
from pumptui.api.sanitize import clean_text

DEFAULT_TIMEOUT: Final = 60.0
_TOKEN: Final = re.compile(r"^[\x21-\x7e]{1,4096}$")  # printable ASCII, no spaces
_EXCERPT: Final = 200

CaptchaFetcher = Callable[[], str | Awaitable[str]]


class CaptchaError(Exception):
    """No captcha token could be obtained; the message says why and is safe to show."""


class CaptchaUnavailable(CaptchaError):
    """Neither a command nor a fetcher is configured: the UI has to ask the user."""


def parse_captcha_output(stdout: bytes | str) -> str:
    """The token on the first non-empty line of a command's output."""
    text = stdout.decode("utf-8", "replace") if isinstance(stdout, bytes) else stdout
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return validate_captcha_token(line)


def validate_captcha_token(token: str) -> str:
    token = token.strip() if isinstance(token, str) else ""
    if not token:
        raise CaptchaError("the captcha source gave no token")
    if not _TOKEN.match(token):
        raise CaptchaError("the captcha token is not a single word of printable ASCII")
    return token


def _argv(command: str) -> list[str]:
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise CaptchaError(f"captcha_command cannot be parsed: {exc}") from None
    if not argv:
        raise CaptchaUnavailable("no captcha_command is configured")
    return argv


def _failure(argv: list[str], returncode: int, stderr: bytes) -> CaptchaError:
    excerpt = clean_text(stderr.decode("utf-8", "replace"), _EXCERPT)
    detail = f": {excerpt}" if excerpt else ""
    return CaptchaError(f"captcha_command {argv[0]!r} exited with status {returncode}{detail}")


def run_captcha_command(command: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Run the command and return its token (blocking: for the CLI and worker threads)."""
    argv = _argv(command)
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        raise CaptchaError(f"captcha_command {argv[0]!r} was not found") from None
    except PermissionError:
        raise CaptchaError(f"captcha_command {argv[0]!r} cannot be run (permission)") from None
    except subprocess.TimeoutExpired:
        raise CaptchaError(f"captcha_command gave no token within {timeout:g} s") from None
    if done.returncode != 0:
        raise _failure(argv, done.returncode, done.stderr)
    return parse_captcha_output(done.stdout)


async def arun_captcha_command(command: str, *, limit_seconds: float = DEFAULT_TIMEOUT) -> str:
    """`run_captcha_command` on the event loop: the process is killed when time runs out."""
    argv = _argv(command)
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except FileNotFoundError:
        raise CaptchaError(f"captcha_command {argv[0]!r} was not found") from None
    except PermissionError:
        raise CaptchaError(f"captcha_command {argv[0]!r} cannot be run (permission)") from None
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), limit_seconds)
    except (TimeoutError, asyncio.CancelledError) as exc:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        if isinstance(exc, asyncio.CancelledError):
            raise
        raise CaptchaError(f"captcha_command gave no token within {limit_seconds:g} s") from None
    if process.returncode != 0:
        raise _failure(argv, process.returncode or 0, stderr)
    return parse_captcha_output(stdout)


@dataclass(frozen=True, slots=True)
class CaptchaProvider:
    """Where captcha tokens come from: a fetcher wins over a command; neither means "ask"."""

    command: str = ""
    fetch: CaptchaFetcher | None = None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def automatic(self) -> bool:
        """False when the UI must ask the user for a token."""
        return self.fetch is not None or bool(self.command.strip())

    async def get(self) -> str:
        """A fresh token. Raises CaptchaUnavailable (ask the user) or CaptchaError (say why)."""
        if self.fetch is not None:
            return await self._from_fetcher(self.fetch)
        if self.command.strip():
            return await arun_captcha_command(self.command, limit_seconds=self.timeout)
        raise CaptchaUnavailable(
            "a captcha token is needed: paste one, or set ui.captcha_command in the config"
        )

    async def _from_fetcher(self, fetch: CaptchaFetcher) -> str:
        try:
            async with asyncio.timeout(self.timeout):
                result = fetch()
                if inspect.isawaitable(result):
                    result = await result
        except TimeoutError:
            raise CaptchaError(f"no captcha token within {self.timeout:g} s") from None
        except CaptchaError:
            raise
        except ApiError as exc:
            raise CaptchaError(f"fetching a captcha token failed: {exc.message}") from None
        except Exception as exc:
            raise CaptchaError(f"fetching a captcha token failed: {type(exc).__name__}") from None
        return validate_captcha_token(result)  # type: ignore[arg-type]
