"""Where a firing goes: the app, the terminal's bell, a desktop notification (by escape
sequence through the terminal, and `notify-send` where there is one), a command.

`Deliverer.deliver(firing)` sends a firing down each channel its rule names. It never raises and
never blocks: the bell and the escape sequences are a write to the terminal (the `terminal`
callable: the TUI passes its driver's writer, the headless command its tty); `notify-send` and
the command hook run as subprocesses in tasks of the running loop (at most `MAX_RUNNING` at a
time; the command reads the firing's JSON on stdin and is killed after its timeout). A channel
that fails is reported once through `problem(channel, message)`, not once per firing, and the
firings go on (`failures` counts them all).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
from collections import Counter
from collections.abc import Callable
from typing import Final

import orjson

from pumptui.alerts.firing import Firing
from pumptui.alerts.terminal import BELL, desktop_notification, terminal_safe

MAX_RUNNING: Final = 4  # subprocesses (notify-send, commands) at once
# The user's secrets, never handed to a hook: a Telegram bot script has no business with them.
SECRET_ENV: Final = ("PUMPTUI_TOKEN", "PUMPTUI_PUSH_API_KEY")


def hook_environment() -> dict[str, str]:
    """The environment a hook or `notify-send` runs in: ours, without the secrets in it."""
    return {name: value for name, value in os.environ.items() if name not in SECRET_ENV}


NOTIFY_SEND_TIMEOUT: Final = 5.0


class Deliverer:
    def __init__(
        self,
        *,
        app: Callable[[Firing], None] | None = None,
        terminal: Callable[[str], None] | None = None,
        problem: Callable[[str, str], None] | None = None,
        notify_send: str | bool | None = True,
        commands: dict[str, tuple[str, float]] | None = None,
    ) -> None:
        """`app`: the in-app channel (the TUI's toast and history; the headless JSON line).
        `terminal`: writes text to the user's terminal (None: there is none). `notify_send`:
        its path, True to look for it on PATH, None/False for none. `commands`: rule id ->
        (command, timeout) for the rules with a command hook."""
        self.app = app
        self.terminal = terminal
        self.problem = problem
        if notify_send is True:
            notify_send = shutil.which("notify-send")
        self.notify_send = notify_send or None
        self.commands = dict(commands or {})
        self.failures: Counter[str] = Counter()
        self._reported: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(MAX_RUNNING)

    def deliver(self, firing: Firing) -> None:
        for channel in firing.channels:
            try:
                self._send(channel, firing)
            except Exception as exc:  # a channel must never stop the others
                self._failed(channel, channel, f"{type(exc).__name__}: {exc}")

    def _send(self, channel: str, firing: Firing) -> None:
        match channel:
            case "app":
                if self.app is not None:
                    self.app(firing)
            case "bell":
                self._write(channel, BELL)
            case "osc":
                self._write(channel, desktop_notification(firing.title, firing.text))
            case "notify-send":
                if self.notify_send is None:
                    self._failed(channel, channel, "notify-send is not installed")
                    return
                argv = (
                    self.notify_send,
                    "--app-name=pumptui",
                    terminal_safe(firing.title, 80),
                    terminal_safe(firing.text, 200),
                )
                self._spawn(channel, channel, argv, None, NOTIFY_SEND_TIMEOUT, shell=False)
            case "command":
                entry = self.commands.get(firing.rule_id)
                if entry is None:
                    self._failed(channel, channel, "no command is set for this rule")
                    return
                command, timeout = entry
                payload = orjson.dumps(firing.to_json()) + b"\n"
                self._spawn(channel, f"command {command}", (command,), payload, timeout, shell=True)

    def _write(self, channel: str, text: str) -> None:
        if self.terminal is None:
            self._failed(channel, channel, "no terminal to write to")
            return
        self.terminal(text)

    def _spawn(
        self,
        channel: str,
        key: str,
        argv: tuple[str, ...],
        stdin: bytes | None,
        timeout: float,
        *,
        shell: bool,
    ) -> None:
        task = asyncio.get_running_loop().create_task(
            self._run(channel, key, argv, stdin, timeout, shell)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(
        self,
        channel: str,
        key: str,
        argv: tuple[str, ...],
        stdin: bytes | None,
        seconds: float,
        shell: bool,
    ) -> None:
        async with self._slots:
            try:
                if shell:
                    process = await asyncio.create_subprocess_shell(
                        argv[0],
                        stdin=asyncio.subprocess.PIPE,
                        stdout=asyncio.subprocess.DEVNULL,
                        stderr=asyncio.subprocess.PIPE,
                        start_new_session=True,
                        env=hook_environment(),
                    )
                else:
                    process = await asyncio.create_subprocess_exec(
                        *argv,
                        stdin=asyncio.subprocess.DEVNULL,
                        stdout=asyncio.subprocess.DEVNULL,
                        stderr=asyncio.subprocess.PIPE,
                        env=hook_environment(),
                    )
            except OSError as exc:
                self._failed(channel, key, f"cannot start: {exc.strerror or exc}")
                return
            try:
                _, err = await asyncio.wait_for(process.communicate(stdin), seconds)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    if shell:  # the shell and whatever it started: its own session
                        os.killpg(process.pid, signal.SIGKILL)
                    else:
                        process.kill()
                with contextlib.suppress(Exception):
                    await process.wait()
                self._failed(channel, key, f"timed out after {seconds:g}s (killed)")
                return
            except (BrokenPipeError, ConnectionResetError):
                err = b""
                await process.wait()
            if process.returncode:
                first = err.decode("utf-8", "replace").strip().splitlines()[:1]
                said = f": {terminal_safe(first[0], 120)}" if first else ""
                self._failed(channel, key, f"exit status {process.returncode}{said}")

    def _failed(self, channel: str, key: str, message: str) -> None:
        self.failures[channel] += 1
        if key in self._reported:
            return
        self._reported.add(key)
        if self.problem is not None:
            self.problem(channel, f"{key}: {message}")

    async def aclose(self, grace: float = 10.0) -> None:
        """Wait (up to `grace` seconds) for the subprocesses still running, then cancel."""
        pending = set(self._tasks)
        if not pending:
            return
        _, late = await asyncio.wait(pending, timeout=grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
