"""A long run of the app: is its memory (RSS) flat, beside a baseline from the same run?

Each contender is the real app (client, live engine, store, Textual screens) in a child process on
a real pseudo-terminal of 120×36 cells, at the default settings (the default budgets, polling;
`--push` adds the simulator's WebSocket as `pumptui demo` does), against its own simulator in this
process (same seed, started together, the real rate limits). Both contenders run side by side
through the same phases, which split the run:

1. quiet (first 30 %): Home, at the simulator's default rates (8 trades/s over the market);
2. flood (next 30 %): one hot coin trading at `--trades-per-second` (200), its screen open
   (with `--flood-on home`, Home stays open instead: the table, its re-sorts and the tape);
3. browse (last 40 %): default rates again, a different coin's screen opened every
   `BROWSE_EVERY` seconds and closed again (what a long session does to screens and caches).

The contenders:
- `pumptui`: the app as shipped;
- `bounds ÷10`: the same app whose market store keeps a tenth of everything (coins, trade rings,
  candles, details). What the store legitimately holds at its bounds is the difference between
  the two; a slope that both show is not the store's.

RSS (VmRSS) is sampled every `--every` seconds. Printed per contender: RSS at the start of the
window (after `WARMUP` seconds), at the end of each phase, the peak (VmHWM) and the end, and the
slope (MB/minute, least squares) over the window and over its second half. Flat means a slope
near 0 once the store has filled (a growth that keeps its pace in the second half is a leak).

`--tracemalloc` makes the `pumptui` contender trace its allocations (slower, more memory: for
finding what grows, not for the figures) and print the 15 places whose allocations grew most
between the end of the warm-up and the end of the run.

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--every 5] [--push]
                                        [--trades-per-second 200] [--flood-on coin|home]
                                        [--tracemalloc]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COLUMNS, ROWS = 120, 36
WARMUP = 30.0  # seconds before the window opens: imports, the first polls, the first frames
BROWSE_EVERY = 15.0  # seconds on each coin's screen in the browse phase
PHASES = (("quiet", 0.3), ("flood", 0.3), ("browse", 0.4))
CONTENDERS = ("pumptui", "bounds ÷10")
TRACE_TOP = 15


# -- the child: one contender on the pty ---------------------------------------------------------


def run_child(variant: str, url: str, control: str, out: str, push: bool, trace: bool) -> None:
    """Run the app on this process's terminal; on SIGUSR1 do what the control file says
    ("coin MINT" or "home"); on exit write the tracemalloc growth to `out` (with `trace`)."""
    import asyncio
    import tracemalloc

    # Until the app's handler is in place a command is ignored, not fatal (SIGUSR1's default).
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    if trace:
        tracemalloc.start(1)
    from pumptui.config import Settings
    from pumptui.live.store import MarketStore
    from pumptui.tui import services as services_module
    from pumptui.tui.app import PumpApp
    from pumptui.tui.screens.coin import CoinScreen
    from pumptui.tui.services import AppServices, MemoryWatchlist

    if variant != "pumptui":
        full = MarketStore()

        class TenthStore(MarketStore):
            """A tenth of every bound of the store as shipped."""

            def __init__(self) -> None:
                super().__init__(
                    max_coins=full.max_coins // 10,
                    max_trade_coins=max(1, full.max_trade_coins // 10),
                    trades_per_coin=full.trades_per_coin // 10,
                    site_trades=full.site_trade_capacity // 10,
                    max_detail_coins=max(1, full.max_detail_coins // 10),
                    candle_capacity=full.candle_capacity // 10,
                    price_points=max(2, full.price_point_capacity // 10),
                )

        # The one store `AppServices.connect` makes is then this one.
        vars(services_module)["MarketStore"] = TenthStore

    settings = Settings().with_api_urls(url)
    if push:
        settings = settings.with_push_url("auto")
    services = AppServices.connect(settings, watchlist=MemoryWatchlist())
    snapshots: list[Any] = []

    class SoakApp(PumpApp):
        def on_mount(self) -> None:
            super().on_mount()
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGUSR1, self._follow_control)
            if trace:
                self.set_timer(WARMUP, lambda: snapshots.append(tracemalloc.take_snapshot()))

        def _follow_control(self) -> None:
            command = Path(control).read_text().split()
            while isinstance(self.screen, CoinScreen):
                self.pop_screen()
            if command[0] == "coin":
                self.open_coin(command[1])

    app = SoakApp(services)
    app.run()
    if trace and snapshots:
        growth = tracemalloc.take_snapshot().compare_to(snapshots[0], "lineno")
        lines = [
            f"{stat.size_diff / 1024:+10.1f} KiB {stat.count_diff:+8d}  {stat.traceback}"
            for stat in growth[:TRACE_TOP]
        ]
        Path(out).write_text(json.dumps(lines))


# -- the parent: run the contenders and sample them ------------------------------------------------


@dataclass
class Contender:
    name: str
    child: subprocess.Popen[bytes]
    master: int
    control: Path
    out: Path
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds, MB)
    phase_end_mb: dict[str, float] = field(default_factory=dict)
    peak_mb: float = 0.0
    tail: bytearray = field(default_factory=bytearray)
    trace: list[str] = field(default_factory=list)  # with --tracemalloc: what grew most

    def command(self, text: str) -> None:
        if self.child.poll() is None:  # one that died is reported when it is stopped
            self.control.write_text(text)
            os.kill(self.child.pid, signal.SIGUSR1)

    def drain(self) -> None:
        """Read what the app wrote (the terminal must never fill up and block it)."""
        while True:
            readable, _, _ = select.select([self.master], [], [], 0)
            if not readable:
                return
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.tail.extend(data)
            del self.tail[:-4000]


def status_mb(pid: int, name: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def slope_mb_per_minute(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 2:
        return 0.0
    xs = [t / 60 for t, _ in samples]
    ys = [mb for _, mb in samples]
    return statistics.linear_regression(xs, ys).slope


def spawn(name: str, url: str, tmp: Path, push: bool, trace: bool, index: int) -> Contender:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    home = tmp / f"c{index}"
    home.mkdir()
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PUMPTUI_DATA_DIR": str(home),
        "PUMPTUI_CONFIG": str(home / "none.toml"),
    }
    for name_ in ("COLORTERM", "NO_COLOR", "PUMPTUI_TOKEN"):
        env.pop(name_, None)
    control, out = home / "control", home / "trace.json"
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            name,
            "--url",
            url,
            "--control",
            str(control),
            "--out",
            str(out),
            *(["--push"] if push else []),
            *(["--tracemalloc"] if trace and name == "pumptui" else []),
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    return Contender(name, child, master, control, out)


def run(args: argparse.Namespace) -> list[Contender]:
    from pumptui.sim import MarketConfig, ServerConfig, SimServer

    seconds = args.minutes * 60
    sims = [
        SimServer(
            MarketConfig(seed=7, clock="real", warmup=120.0),
            ServerConfig(push_queue=50_000),  # the real limits, as users meet them
        ).start()
        for _ in CONTENDERS
    ]
    try:
        hot = [sim.hot_mint for sim in sims]
        browse = [
            [m for m in sim.mints() if m != mint][:50] for sim, mint in zip(sims, hot, strict=True)
        ]
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            contenders = [
                spawn(name, sim.base_url, tmp, args.push, args.tracemalloc, i)
                for i, (name, sim) in enumerate(zip(CONTENDERS, sims, strict=True))
            ]
            try:
                drive(contenders, sims, hot, browse, seconds, args)
            finally:
                for contender in contenders:
                    stop(contender)
        return contenders
    finally:
        for sim in sims:
            sim.stop()


def drive(
    contenders: list[Contender],
    sims: list[Any],
    hot: list[str],
    browse: list[list[str]],
    seconds: float,
    args: argparse.Namespace,
) -> None:
    started = time.monotonic()
    window_start = started + WARMUP
    bounds, at = [], window_start
    for name, share in PHASES:
        at += share * seconds
        bounds.append((name, at))
    phase = "warm-up"
    next_sample = window_start
    next_browse = 0.0
    browsed = 0
    while (now := time.monotonic()) < bounds[-1][1]:
        current = "warm-up" if now < window_start else next(n for n, end in bounds if now < end)
        if current != phase:
            for contender in contenders:
                if phase != "warm-up":
                    contender.phase_end_mb[phase] = status_mb(contender.child.pid, "VmRSS")
            print(f"{now - window_start:6.0f} s: {current}", file=sys.stderr, flush=True)
            phase = current
            for contender, sim, mint in zip(contenders, sims, hot, strict=True):
                if phase == "flood":
                    sim.set_rates(hot_trades_per_second=args.trades_per_second)
                    if args.flood_on == "coin":
                        contender.command(f"coin {mint}")
                elif phase == "browse":
                    sim.set_rates(hot_trades_per_second=0.0)
                    contender.command("home")
        if phase == "browse" and now >= next_browse:
            browsed += 1
            for contender, mints in zip(contenders, browse, strict=True):
                mint = mints[(browsed // 2) % len(mints)]
                contender.command(f"coin {mint}" if browsed % 2 else "home")
            next_browse = now + BROWSE_EVERY / 2
        if now >= next_sample:
            for contender in contenders:
                if contender.child.poll() is None:
                    rss = status_mb(contender.child.pid, "VmRSS")
                    contender.samples.append((now - window_start, rss))
            next_sample += args.every
        for contender in contenders:
            contender.drain()
        time.sleep(0.05)
    for contender in contenders:
        contender.phase_end_mb[phase] = status_mb(contender.child.pid, "VmRSS")
        contender.peak_mb = status_mb(contender.child.pid, "VmHWM")


def stop(contender: Contender) -> None:
    """SIGTERM: the app exits through Textual (and writes its allocation trace)."""
    child = contender.child
    if child.poll() is None:
        os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 60.0
    while child.poll() is None and time.monotonic() < deadline:
        contender.drain()
        time.sleep(0.05)
    if child.poll() is None:
        print(f"{contender.name} did not exit; killed", file=sys.stderr)
        child.kill()
        child.wait()
    elif child.returncode:
        text = contender.tail.decode(errors="replace")
        print(f"{contender.name} exited with {child.returncode}:\n{text[-1500:]}", file=sys.stderr)
    try:
        contender.trace = json.loads(contender.out.read_text())
    except (OSError, ValueError):
        contender.trace = []
    os.close(contender.master)


def report(contenders: list[Contender], args: argparse.Namespace) -> None:
    mode = "pushed" if args.push else "polled"
    print(
        f"\nRSS over {args.minutes:g} min after {WARMUP:g} s warm-up, {mode}, flood "
        f"{args.trades_per_second:g} trades/s on the {args.flood_on} screen, "
        f"sampled every {args.every:g} s "
        f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)\n"
    )
    phases = [name for name, _ in PHASES]
    header = f"{'':12} {'start':>7} " + " ".join(f"{'end ' + p:>11}" for p in phases)
    print(header + f" {'peak':>7} {'MB/min':>7} {'2nd half':>9}")
    for c in contenders:
        if not c.samples:
            print(f"{c.name:12} no samples (the app did not run)")
            continue
        half = c.samples[len(c.samples) // 2 :]
        cells = " ".join(f"{c.phase_end_mb.get(p, 0.0):>11.1f}" for p in phases)
        print(
            f"{c.name:12} {c.samples[0][1]:>7.1f} {cells} {c.peak_mb:>7.1f} "
            f"{slope_mb_per_minute(c.samples):>+7.2f} {slope_mb_per_minute(half):>+9.2f}"
        )
    print("\nRSS (MB) at each minute of the window")
    for c in contenders:
        by_minute: dict[int, float] = {}
        for at, mb in c.samples:
            by_minute.setdefault(int(at // 60), mb)
        print(f"{c.name:12} " + " ".join(f"{mb:.0f}" for mb in by_minute.values()))
    for c in contenders:
        if c.trace:
            print(f"\n{c.name}: allocations that grew most from the warm-up's end to the end")
            print("\n".join(c.trace))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="the window (default 10)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--trades-per-second", type=float, default=200.0, help="the flood's rate")
    parser.add_argument("--push", action="store_true", help="also listen to the WebSocket")
    parser.add_argument(
        "--flood-on",
        choices=("coin", "home"),
        default="coin",
        help="the screen open during the flood (default: the hot coin's)",
    )
    parser.add_argument("--tracemalloc", action="store_true", help="trace what grows (slower)")
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--control", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.url, args.control, args.out, args.push, args.tracemalloc)
        return 0
    contenders = run(args)
    report(contenders, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
