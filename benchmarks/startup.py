"""Start-up as a user meets it: the command line's answers and the TUI's first frame with data.

Each figure is the median wall time of `--runs` fresh processes (after one unmeasured run that
warms the OS's file cache), beside its baseline from the same run:
- `python -c pass`: what any Python command costs before it does anything;
- `pumptui --version`, `pumptui --help`, `pumptui watch --help`: from spawning the process until
  it exits;
- the TUI's first frame with data: `pumptui --api-url URL` on a real pseudo-terminal of 120×36
  cells (TERM=xterm-256color), against a simulator already running in this process (limits off:
  start-up is measured, not the server's rate rules; the app keeps its default budgets), from
  spawning the process until the terminal shows coin rows (two of the simulator's symbols). Its
  baseline is a one-widget Textual app, from spawning it until its one line is on the terminal.

The app looks the user's token up at start as `pumptui` does (env, then the OS keyring of this
machine, whatever it is): its cost is part of the figure, as it is of the user's wait.

Several checkouts can be measured side by side in one run (`--code DIR`, repeatable; default:
this one), e.g. `main` as it was before a change beside the working tree after it:

    .venv/bin/python benchmarks/startup.py [--runs 7] [--code /path/to/main --code .]
"""

from __future__ import annotations

import argparse
import fcntl
import functools
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ROWS, COLUMNS = 36, 120
FRAME_DEADLINE = 30.0  # seconds: a start that takes longer is reported as failed
COIN_ROWS_SEEN = 2  # distinct symbols on screen: coin rows, not a word of the chrome
ESCAPES = re.compile(
    rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)"
)

ONE_WIDGET_APP = """
from textual.app import App, ComposeResult
from textual.widgets import Static

class OneWidget(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("one-widget-app-ready")

OneWidget().run()
"""


def clean_env(code: Path, tmp: str) -> dict[str, str]:
    """The checkout's code first on the path; no user config or data; a plain xterm."""
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "PUMPTUI_DATA_DIR": tmp,
        "PUMPTUI_CONFIG": str(Path(tmp) / "none.toml"),
        "TERM": "xterm-256color",
    }
    for name in ("COLORTERM", "NO_COLOR", "PUMPTUI_TOKEN", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def command_seconds(argv: Sequence[str], code: Path) -> float:
    """Wall time of one process, from spawning it until it has exited."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            argv, cwd=code, env=clean_env(code, tmp), stdout=subprocess.DEVNULL, check=True
        )
        return time.perf_counter() - started


def first_frame_seconds(argv: Sequence[str], code: Path, shown: Callable[[str], bool]) -> float:
    """Wall time from spawning `argv` on a pty until what it wrote satisfies `shown`."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv,
            cwd=code,
            env=clean_env(code, tmp),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        text = bytearray()
        try:
            while time.perf_counter() - started < FRAME_DEADLINE:
                readable, _, _ = select.select([master], [], [], 0.05)
                if not readable:
                    continue
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break  # the child exited
                text += ESCAPES.sub(b"", data)
                if shown(text.decode("utf-8", "replace")):
                    return time.perf_counter() - started
            raise RuntimeError(f"no frame with data within {FRAME_DEADLINE:g} s: {argv}")
        finally:
            _end(child, master)


def _end(child: subprocess.Popen[bytes], master: int) -> None:
    """SIGTERM (the app exits through Textual), reading the pty meanwhile so it never blocks."""
    os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10.0
    while child.poll() is None and time.monotonic() < deadline:
        readable, _, _ = select.select([master], [], [], 0.05)
        if readable:
            try:
                os.read(master, 65536)
            except OSError:
                break
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    os.close(master)


def _pumptui_command(python: str, tail: Sequence[str], code: Path) -> float:
    return command_seconds([python, "-m", "pumptui", *tail], code)


def median_of(runs: int, measure: Callable[[], float]) -> float:
    measure()  # warms the file cache; not counted
    return statistics.median(measure() for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="processes per figure (median)")
    parser.add_argument(
        "--code",
        action="append",
        type=Path,
        help="a pumptui checkout to measure (repeatable; default: this one)",
    )
    args = parser.parse_args()
    codes = [path.resolve() for path in args.code or [HERE]]

    sys.path.insert(0, str(HERE))
    from pumptui.sim import MarketConfig, ServerConfig, SimServer

    python = sys.executable
    sim = SimServer(
        MarketConfig(seed=7, clock="real", warmup=120.0),
        ServerConfig(rate_limit=100_000),  # start-up is measured here, not the server's rules
    ).start()
    try:
        market = sim.market
        symbols = {
            s
            for s in sim.call(lambda: [coin.symbol for coin in market.coins.values()])
            if len(s) >= 3
        }

        def coin_rows(text: str) -> bool:
            return sum(symbol in text for symbol in symbols) >= COIN_ROWS_SEEN

        rows: list[tuple[str, list[float], str, Callable[[Path], float]]] = [
            (
                "`python -c pass`",
                [],
                "",
                lambda code: command_seconds([python, "-c", "pass"], code),
            ),
        ]
        for label, tail in (
            ("`pumptui --version`", ["--version"]),
            ("`pumptui --help`", ["--help"]),
            ("`pumptui watch --help`", ["watch", "--help"]),
        ):
            rows.append(
                (
                    label,
                    [],
                    "`python -c pass`",
                    functools.partial(_pumptui_command, python, tail),
                )
            )
        rows.append(
            (
                "one-widget Textual app, first frame",
                [],
                "",
                lambda code: first_frame_seconds(
                    [python, "-c", ONE_WIDGET_APP],
                    code,
                    lambda text: "one-widget-app-ready" in text,
                ),
            )
        )
        rows.append(
            (
                "`pumptui --api-url` (sim), first frame with data",
                [],
                "one-widget Textual app",
                lambda code: first_frame_seconds(
                    [python, "-m", "pumptui", "--api-url", sim.base_url], code, coin_rows
                ),
            )
        )
        for label, figures, _, measure in rows:
            for code in codes:
                print(f"measuring {label} ({code})…", file=sys.stderr, flush=True)
                figures.append(median_of(args.runs, functools.partial(measure, code)))
    finally:
        sim.stop()

    print(f"start-up, median of {args.runs} runs, wall seconds ({os.cpu_count()} CPUs)")
    width = max(len(label) for label, *_ in rows)
    print(f"{'':{width}}  " + "  ".join(f"{str(code)[-24:]:>24}" for code in codes) + "  baseline")
    for label, figures, baseline, _ in rows:
        cells = "  ".join(f"{figure:>24.3f}" for figure in figures)
        print(f"{label:{width}}  {cells}  {baseline}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
