"""Delivery: each channel does its job, and a channel that fails is reported once, never a crash."""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pumptui.alerts import Deliverer, Firing

FIRING = Firing(
    rule_id="r1",
    rule_name="dev dumps",
    condition="event = trade and by = dev",
    mint="MintMint",
    symbol="PEPE",
    name="Pepe",
    event="trade",
    at=1.0,
    side="sell",
    sol=2.0,
    by_dev=True,
    channels=("app", "bell", "osc", "command"),
)


async def test_every_channel_gets_the_firing(tmp_path: Path) -> None:
    out = tmp_path / "hook.json"
    shown: list[Firing] = []
    written: list[str] = []
    deliverer = Deliverer(
        app=shown.append,
        terminal=written.append,
        notify_send=None,
        commands={"r1": (f"cat > {shlex.quote(str(out))}", 10.0)},
    )
    deliverer.deliver(FIRING)
    await deliverer.aclose()
    assert shown == [FIRING]
    assert written[0] == "\a"
    assert written[1].startswith("\x1b]9;pumptui: dev dumps: PEPE: dev sold 2")
    assert "\x1b]777;notify;pumptui: dev dumps;PEPE: dev sold 2" in written[1]
    sent = json.loads(out.read_text())
    assert (sent["type"], sent["mint"], sent["side"], sent["by_dev"]) == (
        "alert",
        "MintMint",
        "sell",
        True,
    )


async def test_a_failing_command_hook_is_reported_once() -> None:
    problems: list[tuple[str, str]] = []
    command = f"{shlex.quote(sys.executable)} -c 'import sys; sys.exit(\"no bot token\")'"
    deliverer = Deliverer(
        problem=lambda channel, message: problems.append((channel, message)),
        notify_send=None,
        commands={"r1": (command, 10.0)},
    )
    firing = _fields(FIRING, channels=("command",))
    for _ in range(3):
        deliverer.deliver(firing)
        await deliverer.aclose()
    assert len(problems) == 1
    channel, message = problems[0]
    assert channel == "command"
    assert "exit status 1: no bot token" in message
    assert deliverer.failures["command"] == 3


async def test_a_hook_that_hangs_is_killed_at_its_timeout() -> None:
    problems: list[str] = []
    deliverer = Deliverer(
        problem=lambda _, message: problems.append(message),
        notify_send=None,
        commands={"r1": ("sleep 30", 0.2)},
    )
    deliverer.deliver(_fields(FIRING, channels=("command",)))
    await deliverer.aclose(grace=20)
    assert len(problems) == 1
    assert "timed out after 0.2s" in problems[0]


async def test_a_terminal_channel_without_a_terminal_is_reported_once() -> None:
    problems: list[str] = []
    deliverer = Deliverer(problem=lambda _, message: problems.append(message), notify_send=None)
    for _ in range(2):
        deliverer.deliver(_fields(FIRING, channels=("bell", "notify-send")))
    assert problems == [
        "bell: no terminal to write to",
        "notify-send: notify-send is not installed",
    ]


def _fields(firing: Firing, *, channels: tuple[str, ...]) -> Firing:
    return replace(firing, channels=channels)


async def test_a_hook_never_sees_the_users_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUMPTUI_TOKEN", "eyJ.secret.token")
    monkeypatch.setenv("PUMPTUI_PUSH_API_KEY", "push-secret")
    monkeypatch.setenv("HOOK_SEES_THIS", "yes")
    out = tmp_path / "env.txt"
    deliverer = Deliverer(
        notify_send=None, commands={"r1": (f"env > {shlex.quote(str(out))}", 10.0)}
    )
    deliverer.deliver(replace(FIRING, channels=("command",)))
    await deliverer.aclose()
    seen = out.read_text()
    assert "HOOK_SEES_THIS=yes" in seen
    assert "secret" not in seen
