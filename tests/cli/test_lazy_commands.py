"""`pumptui --version` and `pumptui --help` answer at once: they import no subcommand and none
of the heavy libraries (Textual, httpx, Rich, keyring, asyncio…), which are loaded only by the
command that needs them. Checked on what a fresh interpreter has imported, never on time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pumptui.cli import COMMANDS, CommandParsers, build_parser

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "textual",
    "httpx",
    "rich",
    "keyring",
    "cryptography",
    "orjson",
    "aiohttp",
    "socketio",
    "asyncio",
    "ssl",
)
# Run the command line as `python -m pumptui` does, then list what it imported.
IMPORTED = """
import json, runpy, sys
sys.argv = ["pumptui", *sys.argv[1:]]
try:
    runpy.run_module("pumptui", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*argv: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def heavy(modules: set[str], libraries: tuple[str, ...] = HEAVY) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in libraries)


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_no_command_and_no_heavy_library(argv: list[str]) -> None:
    modules = imported_by(*argv)

    assert heavy(modules) == []
    assert sorted(m for m in modules if m.startswith("pumptui.")) == [
        "pumptui.cli",
        "pumptui.cli.options",
    ]


def test_a_commands_help_imports_that_command_alone() -> None:
    modules = imported_by("watch", "--help")

    assert "pumptui.cli.watch" in modules
    assert (
        not {f"pumptui.cli.{module}" for module, _ in COMMANDS.values()} - {"pumptui.cli.watch"}
        & modules
    )
    assert heavy(modules, ("textual", "httpx", "keyring", "aiohttp", "socketio")) == []


@pytest.mark.parametrize("command", ["watch", "login", "logout", "whoami", "demo"])
def test_a_commands_help_imports_no_heavy_library(command: str) -> None:
    """The libraries a command works with (asyncio, the keyring, Rich...) are imported when it
    runs, not to describe it."""
    modules = imported_by(command, "--help")

    assert heavy(modules) == []


# The TUI's start as `pumptui` makes it (services with the engine, the chat and the trenches
# boards; the app), up to the point where it would take the terminal.
TUI_START = """
import json, sys
from pumptui.config import Settings
from pumptui.tui.app import PumpApp
from pumptui.tui.services import AppServices

services = AppServices.connect(Settings().with_api_urls("http://127.0.0.1:9"), resolve_login=True)
PumpApp(services)
print(json.dumps(sorted(name for name, module in sys.modules.items() if module)), file=sys.stderr)
"""


def tui_start_modules() -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", TUI_START],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_tuis_start_imports_no_socket_library() -> None:
    """aiohttp and python-socketio are imported when a socket first connects (the chat when a
    coin opens, the trenches boards once the first frame is up), not on the way to it."""
    modules = tui_start_modules()

    assert "pumptui.live.chat" in modules
    assert heavy(modules, ("aiohttp", "socketio", "engineio")) == []


def test_the_tuis_start_imports_no_command_line_tool_of_httpx() -> None:
    """httpx's CLI (click, pygments) is never run by pumptui, so never imported either."""
    modules = tui_start_modules()

    assert "httpx" in modules
    assert "httpx._main" not in modules
    assert heavy(modules, ("click", "pygments")) == []


def test_the_summary_in_help_is_the_one_each_command_registers() -> None:
    parser = build_parser()
    (commands,) = (a for a in parser._actions if isinstance(a, CommandParsers))
    for name in COMMANDS:
        commands.load(name)
    registered = {choice.dest: choice.help for choice in commands._choices_actions}

    assert registered == {name: summary for name, (_, summary) in COMMANDS.items()}


def test_a_chosen_command_gets_its_real_parser() -> None:
    args = build_parser().parse_args(["watch", "--mint", "x", "--format", "table"])

    assert args.command == "watch"
    assert args.format == "table"
    assert callable(args.handler)
