"""Alert latency end to end: `pumptui alerts` on the simulator, polling at the default budgets
beside push (the baseline to beat), the same scripted market for both in one run.

One simulator on a real clock, quiet but for the script and a few untagged launches. For each
mode a fresh coin (its dev is the simulator's user) and a config of four rules: the dev sells,
a whale buys (`[ui] whale_sol`), a buy of at least `BIG_SOL`, and a new coin whose name has the
mode's tag. Then
`pumptui alerts --config … --no-push` (the budgets a user has: no --swap-rpm) or `--push`
runs as a child process while the script, for `--minutes`, every 2 to 6 seconds does one of: a
burst of 10 to 40 trades (`SimServer.inject_trades`, what `/_sim/burst` does), the dev buying
and selling it all (`/_sim/sell`), a whale buying 5 to 8 SOL, a launch of a tagged coin, or
the coin going quiet for `--quiet` seconds (45) before the dev sells (the rug an alert is for).

The firings expected are the simulator's ground truth, computed as tests/alerts/test_headless.py
computes them (the trades the script made, from `trades_of`). Latency of a firing = when its
JSON line was read minus when the simulator made the trade or coin (its own record, finer than
the whole-second block times on the wire). Printed: expected vs fired, missed, duplicates,
p50 / p95 / max latency, per rule and in all. Nothing is asserted.

    .venv/bin/python benchmarks/alerts_latency.py [--minutes 2] [--modes polling,push] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pumptui.base58 import b58encode  # noqa: E402
from pumptui.config import ApiSettings, RefreshSettings, UiSettings  # noqa: E402
from pumptui.live.schedule import FOCUSED_TRADE_POLL_COST  # noqa: E402
from pumptui.sim import MarketConfig, SimServer  # noqa: E402

BIG_SOL = Decimal("1")
QUIET = 45.0  # seconds without a trade before the script's "quiet, dev sell" (--quiet)
# Untagged launches a minute beside the script's: /coins keeps news, as on the real site (where a
# coin launches every few seconds), so the new-coins feed keeps its active pace.
LAUNCHES = 6.0
STARTUP = 90.0  # a loaded 2-core machine starts Python and the engine slowly
RULES = """
[[alerts]]
name = "dev sells"
when = "event = trade and side = sell and by = dev"
mint = "{mint}"
cooldown = 0

[[alerts]]
name = "whale buys"
when = "event = trade and side = buy and whale = yes"
mint = "{mint}"
cooldown = 0

[[alerts]]
name = "big buy"
when = "event = trade and side = buy and sol >= {big}"
mint = "{mint}"
cooldown = 0

[[alerts]]
name = "new coins"
when = "event = new and name ~ {tag}"
scope = "new"
cooldown = 0
"""
RULE_NAMES = ("dev sells", "whale buys", "big buy", "new coins")


class Headless:
    """`pumptui alerts` in a child process; each stdout line with the wall time it was read."""

    def __init__(self, args: list[str], data_dir: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PUMPTUI_DATA_DIR": str(data_dir)}
        env["XDG_DATA_HOME"] = str(data_dir / "xdg")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pumptui", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.lines: list[tuple[float, dict[str, Any]]] = []
        self.errors: list[str] = []
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._threads = [
            threading.Thread(target=self._read_lines, args=(self.process.stdout,), daemon=True),
            threading.Thread(target=self._read_errors, args=(self.process.stderr,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read_lines(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append((time.time(), json.loads(line)))

    def _read_errors(self, stream: IO[str]) -> None:
        for line in stream:
            self.errors.append(line.rstrip("\n"))

    def wait_for(self, text: str, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end and self.process.poll() is None:
            if any(text in line for line in self.errors):
                return True
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for thread in self._threads:
            thread.join(10)


@dataclass
class Script:
    """What the script did: the trades' signatures and the tagged coins' mints."""

    signatures: set[str] = field(default_factory=set)
    launches: set[str] = field(default_factory=set)
    quiet_sells: set[str] = field(default_factory=set)  # the dev's sells after a quiet spell
    actions: dict[str, int] = field(default_factory=dict)


def run_script(
    sim: SimServer, mint: str, tag: str, seconds: float, seed: int, quiet: float
) -> Script:
    rng = random.Random(seed)
    whale = b58encode(random.Random(seed + 1).randbytes(32))
    dev = sim.user_address
    script = Script()
    end = time.monotonic() + seconds
    launched = 0
    while True:
        time.sleep(rng.uniform(2.0, 6.0))
        if time.monotonic() >= end:
            return script
        action = rng.choices(
            ("burst", "dev sell", "whale", "launch", "quiet, dev sell"), (3, 2, 2, 1, 1)
        )[0]
        script.actions[action] = script.actions.get(action, 0) + 1
        if action == "burst":
            script.signatures |= set(sim.inject_trades(mint, rng.randint(10, 40)))
        elif action in ("dev sell", "quiet, dev sell"):
            if action != "dev sell":
                time.sleep(quiet)  # a coin gone quiet, then the dev dumps
            script.signatures.add(sim.buy(mint, wallet=dev, sol=0.3))
            sold = sim.sell(mint, wallet=dev)
            script.signatures.add(sold)
            if action != "dev sell":
                script.quiet_sells.add(sold)
        elif action == "whale":
            script.signatures.add(sim.buy(mint, wallet=whale, sol=round(rng.uniform(5, 8), 2)))
        else:
            launched += 1
            script.launches.add(sim.create_coin(name=f"{tag} {launched}", symbol=f"L{launched}"))


def ground_truth(sim: SimServer, mint: str, script: Script) -> dict[tuple[str, str], float]:
    """(rule name, signature or mint) → when the simulator made it, for every firing due."""
    whale = Decimal(str(UiSettings().whale_sol))
    made = sim.call(lambda: {t.signature: t.time for t in sim.market.coins[mint].trades})
    creator = sim.call(lambda: sim.market.coins[mint].creator)
    due: dict[tuple[str, str], float] = {}
    for row in sim.trades_of(mint):
        sig = row["tx"]
        if sig not in script.signatures:
            continue
        sol = Decimal(row["amountSol"])
        buy = row["type"] == "buy"
        if not buy and row["userAddress"] == creator:
            due["dev sells", sig] = made[sig]
        if buy and sol >= whale:
            due["whale buys", sig] = made[sig]
        if buy and sol >= BIG_SOL:
            due["big buy", sig] = made[sig]
    launched = sim.call(lambda: {m: sim.market.coins[m].created for m in script.launches})
    for launch, created in launched.items():
        due["new coins", launch] = created
    return due


@dataclass
class Result:
    mode: str
    due: dict[tuple[str, str], float]
    fired: list[tuple[str, str, float, bool]]  # rule, key, latency, provisional
    extra: int
    actions: dict[str, int]
    quiet_sells: set[str]
    quiet: float

    def latencies(self, rule: str | None = None) -> list[float]:
        seen: set[tuple[str, str]] = set()
        out = []
        for name, key, latency, _ in self.fired:
            if (name, key) in self.due and (name, key) not in seen and rule in (None, name):
                seen.add((name, key))
                out.append(latency)
        return out

    def counts(self, rule: str | None = None) -> tuple[int, int, int, int]:
        due = {k for k in self.due if rule in (None, k[0])}
        keys = [(n, k) for n, k, _, _ in self.fired if rule in (None, n)]
        fired = set(keys) & due
        return len(due), len(fired), len(due - fired), len(keys) - len(set(keys))


def run_mode(sim: SimServer, mode: str, args: argparse.Namespace, scratch: Path) -> Result:
    minutes, drain, seed = args.minutes, args.drain, args.seed
    tag = f"zq{mode[:4]}{seed}"
    mint = sim.create_coin(name=f"Latency {mode}", symbol="LAT", creator=sim.user_address)
    folder = scratch / mode
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text(RULES.format(mint=mint, tag=tag, big=BIG_SOL), encoding="utf-8")
    push = ["--push"] if mode == "push" else ["--no-push"]
    run = Headless(
        ["--api-url", sim.base_url, "alerts", "--config", str(config), *push], folder / "data"
    )
    try:
        ready = run.wait_for("trades: live", STARTUP)
        if mode == "push":
            ready = ready and run.wait_for("push: live", STARTUP)
        if not ready:
            raise SystemExit(f"{mode}: pumptui alerts did not start: {run.errors[-5:]}")
        script = run_script(sim, mint, tag, minutes * 60, seed, args.quiet)
        due = ground_truth(sim, mint, script)
        end = time.monotonic() + drain
        while time.monotonic() < end:
            got = {(line["name"], line["signature"] or line["mint"]) for _, line in run.lines}
            if set(due) <= got:
                break
            time.sleep(0.5)
    finally:
        run.stop()
    fired = []
    extra = 0
    for read_at, line in run.lines:
        key = (line["name"], line["signature"] or line["mint"])
        if key in due:
            fired.append((key[0], key[1], read_at - due[key], bool(line["provisional"])))
        else:
            extra += 1
    return Result(mode, due, fired, extra, script.actions, script.quiet_sells, args.quiet)


def figures(values: list[float]) -> str:
    if not values:
        return f"{'-':>6} {'-':>6} {'-':>6}"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):6.2f} {p95:6.2f} {ordered[-1]:6.2f}"


def print_result(result: Result) -> None:
    print(f"\n{result.mode}: script did {dict(sorted(result.actions.items()))}")
    print(
        f"  {'rule':<11} {'expected':>8} {'fired':>6} {'missed':>6} {'dup':>4} "
        f"{'p50 s':>6} {'p95 s':>6} {'max s':>6} {'<= 1 s':>7}"
    )
    for rule in (*RULE_NAMES, None):
        due, fired, missed, dup = result.counts(rule)
        latencies = result.latencies(rule)
        within = sum(1 for x in latencies if x <= 1.0)
        share = f"{within / len(latencies):6.0%}" if latencies else f"{'-':>6}"
        print(
            f"  {rule or 'all':<11} {due:>8} {fired:>6} {missed:>6} {dup:>4} "
            f"{figures(latencies)} {share:>7}"
        )
    quiet = [
        x for name, key, x, _ in result.fired if name == "dev sells" and key in result.quiet_sells
    ]
    if result.quiet_sells:
        print(
            f"  of the dev's sells, {len(result.quiet_sells)} came after {result.quiet:g} s "
            f"without a trade: fired {len(quiet)}, latency {', '.join(f'{x:.2f}' for x in quiet)} s"
        )
    if result.extra:
        print(f"  {result.extra} firing(s) the ground truth does not expect")


def explain_polling() -> None:
    api, refresh = ApiSettings(), RefreshSettings()
    rpm = api.swap_requests_per_minute
    text = (
        f"Where polling's time goes: swap-api's budget is {rpm:g} requests a minute, shared by "
        f"every trade read, so one followed coin's trades are read at best every {60 / rpm:.1f} "
        "s (the coin's activity and the other feeds on swap-api take a little of that): a trade "
        "waits on average half that interval, at worst all of it, plus the request. Within a "
        "second would need about 60 requests a minute for this one coin, three times swap-api's "
        "Cloudflare rule (about 20 a minute per IP): polling at the default budget cannot fire "
        "within a second; push delivers the trade as it is made. The trade feed's interval "
        f"lies between [refresh] trades_min = {refresh.trades_min:g} s and trades_max = "
        f"{refresh.trades_max:g} s, set by the coin's trade rate (cost "
        f"{FOCUSED_TRADE_POLL_COST:g} trade-seconds a request), never under the budget's floor; "
        "a coin an alert names is read at the floor however quiet. New coins are read from the "
        "frontend's /coins on the coins group's budget "
        f"({api.frontend_requests_per_minute:g} a minute, shared with the market and leader "
        f"feeds), every {refresh.coins_min:g} s while launches come, up to "
        f"{refresh.coins_max:g} s when none do; with push, a launch message wakes that feed "
        "(the record is read from REST) within its share of that budget."
    )
    print("\n" + textwrap.fill(text, 100))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="of script, per mode")
    parser.add_argument("--modes", default="polling,push")
    parser.add_argument("--drain", type=float, default=40.0, help="seconds to wait at the end")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quiet", type=float, default=QUIET, help="seconds of quiet before a quiet dev sell"
    )
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    sim = SimServer(
        MarketConfig(
            seed=args.seed,
            clock="real",
            warmup=0.0,
            launches_per_minute=LAUNCHES,
            trades_per_second=0.0,
            hot_trades_per_second=0.0,
        )
    ).start()
    print(
        f"alert latency: `pumptui alerts` on the simulator (real clock, real rate limits), "
        f"{args.minutes:g} min of script per mode, the same script (seed {args.seed}) for each;"
        "\nlatency = JSON line read - trade (or launch) made, by the simulator's record; "
        "default budgets (no --swap-rpm)"
    )
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="pumptui-alerts-latency-") as scratch:
            for mode in modes:
                result = run_mode(sim, mode, args, Path(scratch))
                print_result(result)
                results.append(result)
    finally:
        sim.stop()
    if "polling" in modes:
        explain_polling()


if __name__ == "__main__":
    main()
