"""What the market store holds at its bounds: the memory a session levels off at, however long.

A long session fills the store up to its bounds and no further; this fills a fresh `MarketStore`
(the default bounds) to them directly, in three steps, and prints the memory Python holds for it
after each (tracemalloc, after a collection), beside the same store from another checkout
(`--code DIR`) run the same way in its own process:

1. coins: 2,000 coins listed (`max_coins`), none traded;
2. price steps: each of them trading once in each 15 s step for 12 minutes (48 steps: the trend
   column and the price-change filters read these for every coin);
3. trade rings: 64 coins (`max_trade_coins`) with 2,000 trades each (`trades_per_coin`) and
   their candles at every timeframe, the hot coin at 200 trades a second.

Hand-made records (mints, signatures, wallets and names of the real lengths; trades as rows of
the swap API's trades route, parsed as the app parses them), not the simulator's: the figure is
the store's, not a market's.

    .venv/bin/python benchmarks/store_memory.py [--code DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = 1_780_000_020.0  # a 15 s step boundary


def fill(code: Path) -> dict[str, float]:
    """Fill a store step by step; the MiB Python holds after each (the child's side)."""
    sys.path.insert(0, str(code))
    import gc
    import tracemalloc

    from pumptui.api.models import Coin, Trade
    from pumptui.base58 import b58encode
    from pumptui.live.events import NewCoin, NewTrade
    from pumptui.live.store import MarketStore

    def mint(n: int) -> str:
        return format(n, "x").rjust(44, "M")

    serial = iter(range(10**9))

    def trade(coin: str, at: float, lamports: int) -> Trade:
        """A row of the swap API's trades route, read as the app reads one off the wire (each
        string its own object, as a JSON parser makes them)."""
        n = next(serial)
        raw = 3_000_000_000_000 + n
        row = {
            "slotIndexId": f"{300_000_000 + n:012d}{n % 7:010d}",
            "tx": b58encode(n.to_bytes(64, "big")).rjust(88, "S"),
            "timestamp": datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
            + "Z",
            "userAddress": b58encode((n % 5_000).to_bytes(32, "big")).rjust(44, "U"),
            "type": "buy" if n % 3 else "sell",
            "program": "pump",
            "amountSol": f"{lamports / 1e9:.9f}",
            "amountUsd": f"{lamports / 1e9 * 150:.6f}",
            "baseAmount": f"{raw / 1e6:.6f}",
            "priceSol": f"{lamports / raw * 1e-3:.12f}",
        }
        return Trade.from_swap(json.loads(json.dumps(row)), coin)

    def held() -> float:
        gc.collect()
        return tracemalloc.get_traced_memory()[0] / 2**20

    store = MarketStore()
    tracemalloc.start()
    base = held()
    figures: dict[str, float] = {}
    coins = store.max_coins
    for n in range(coins):
        store.apply(
            NewCoin(
                Coin(
                    mint=mint(n),
                    name=f"Coin number {n}",
                    symbol=f"C{n}",
                    created_at=START - 3600 + n,
                    virtual_sol_reserves=30_000_000_000 + n,
                    virtual_token_reserves=1_073_000_000_000_000,
                    market_cap_sol=28.0,
                )
            )
        )
    figures["coins"] = held() - base
    steps = store.price_point_capacity
    for step in range(steps):
        for n in range(coins):
            at = START + step * store.price_step + n % 15
            store.apply(NewTrade(trade(mint(n), at, 10_000_000 + n)))
    figures["price steps"] = held() - base
    for n in range(store.max_trade_coins):
        hot = n == 0
        for k in range(store.trades_per_coin):
            at = START + steps * store.price_step + (k / 200 if hot else k * 3.0)
            store.apply(NewTrade(trade(mint(n), at, 50_000_000 + k)))
    figures["trade rings"] = held() - base
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", help="another checkout's store beside this one (its root)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(fill(Path(args.child))))
        return 0
    contenders = [("pumptui", ROOT)] + ([("before", Path(args.code))] if args.code else [])
    results = {}
    for name, code in contenders:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(code.resolve())],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(out.stdout)
    steps = list(next(iter(results.values())))
    print("Python's memory held by a fresh store (MiB), after each step of filling it to bounds")
    print()
    print(f"{'':10}" + "".join(f"{step:>14}" for step in steps))
    for name, figures in results.items():
        print(f"{name:10}" + "".join(f"{figures[step]:>14.1f}" for step in steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
