"""Captcha tokens from a configured command or a callable; failures explained, never a hang."""

from __future__ import annotations

import shlex
import sys

import pytest

from pumptui.api.errors import ServerError
from pumptui.sim import SimServer
from pumptui.social.captcha import (
    CaptchaError,
    CaptchaProvider,
    CaptchaUnavailable,
    arun_captcha_command,
    run_captcha_command,
)

PYTHON = shlex.quote(sys.executable)


def command(code: str) -> str:
    return f"{PYTHON} -c {shlex.quote(code)}"


async def test_the_first_line_a_command_prints_is_the_token() -> None:
    printer = command("print(); print('  tok-123.abc  '); print('ignored second line')")

    assert await arun_captcha_command(printer) == "tok-123.abc"
    assert run_captcha_command(printer) == "tok-123.abc"


async def test_the_command_runs_without_a_shell() -> None:
    echo_argument = command("import sys; print('token-' + sys.argv[1].replace(' ', '_'))")

    token = await arun_captcha_command(echo_argument + " '$HOME; echo injected'")

    assert token == "token-$HOME;_echo_injected"  # one literal argument: nothing expanded


async def test_a_failing_command_reports_its_status_and_a_clean_excerpt_of_stderr() -> None:
    failing = command("import sys; sys.stderr.write('\\x1b[31mno captcha today\\x1b[0m'); exit(4)")

    with pytest.raises(CaptchaError) as failed:
        await arun_captcha_command(failing)

    assert "exited with status 4" in str(failed.value)
    assert "no captcha today" in str(failed.value)
    assert "\x1b" not in str(failed.value)


async def test_a_command_that_hangs_is_stopped() -> None:
    hanging = command("import time; time.sleep(30)")

    with pytest.raises(CaptchaError, match=r"no token within 0\.3 s"):
        await arun_captcha_command(hanging, limit_seconds=0.3)
    with pytest.raises(CaptchaError, match=r"no token within 0\.3 s"):
        run_captcha_command(hanging, timeout=0.3)


@pytest.mark.parametrize(
    ("cmd", "reason"),
    [
        ("/nonexistent/captcha-helper --fast", "was not found"),
        (command("print('two words')"), "single word"),
        (command("pass"), "no token"),
        ("helper 'unbalanced", "cannot be parsed"),
    ],
    ids=["missing", "junk", "silent", "bad-quoting"],
)
async def test_unusable_commands_are_explained(cmd: str, reason: str) -> None:
    with pytest.raises(CaptchaError, match=reason):
        await arun_captcha_command(cmd)


async def test_without_a_source_the_ui_must_ask() -> None:
    provider = CaptchaProvider(command="   ")

    assert not provider.automatic
    with pytest.raises(CaptchaUnavailable, match="captcha_command"):
        await provider.get()


async def test_a_fetcher_wins_and_may_be_sync_or_async() -> None:
    async def fetch_async() -> str:
        return "async-token"

    assert await CaptchaProvider(command="false", fetch=lambda: "sync-token").get() == "sync-token"
    assert await CaptchaProvider(fetch=fetch_async).get() == "async-token"


async def test_a_failing_fetcher_is_reported_not_raised_raw() -> None:
    async def broken() -> str:
        raise ServerError("GET /_sim/captcha: server error 503", status=503)

    with pytest.raises(CaptchaError, match="server error 503"):
        await CaptchaProvider(fetch=broken).get()


async def test_the_simulators_captcha_can_be_the_source_in_demo_mode(sim: SimServer) -> None:
    token = await CaptchaProvider(fetch=sim.captcha_token).get()

    assert token.startswith("sim-captcha.")
