"""Alert evaluation: the cost per event with 10 and with 1,000 rules, side by side.

The same stream of events (trades, coin updates and launches over 200 coins, in the proportions
a busy watchlist sees: 80 % trades, 15 % updates, 5 % launches) is evaluated by pumptui's
`AlertEvaluator` as shipped (rules indexed by scope and by what they read) and, as the baseline
measured in the same run, by the obvious loop: every rule's condition against every event, with
the coin's facts built once per event (so the baseline pays for conditions only). Only the
evaluation is timed (the store's `apply`, the engine's work, is not). The rules are
a mix a trader might keep: 60 % on one coin each (a trade size, the dev selling), 20 % on the
watchlist (market cap, replies), 20 % on new coins (a word in the name). Coins are spread over
2,000 mints, 25 of them watched. Figures are printed, nothing is asserted.

    .venv/bin/python benchmarks/alerts.py [--events 20000] [--rules 10,1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pumptui.alerts import AlertEvaluator, AlertRule, CooldownLog, make_rule
from pumptui.alerts.evaluator import Happening
from pumptui.api.models import Coin, Trade
from pumptui.base58 import b58encode
from pumptui.live.events import CoinUpdated, Event, NewCoin, NewTrade, SolPriceChanged
from pumptui.live.store import MarketStore

COINS = 200
MINTS = 2_000
WATCHED = 25
WORDS = ("pepe", "doge", "cat", "moon", "frog", "wif", "bonk", "trump", "ai", "sol")


def address(rng: random.Random) -> str:
    return b58encode(rng.randbytes(32))


def make_rules(count: int, mints: list[str], rng: random.Random) -> list[AlertRule]:
    rules: list[AlertRule] = []
    for n in range(count):
        kind = n % 10
        if kind < 6:
            mint = rng.choice(mints)
            when = (
                f"event = trade and side = buy and sol >= {rng.choice((0.5, 1, 2, 5))}"
                if kind % 2
                else "event = trade and side = sell and by = dev"
            )
            rules.append(make_rule(when, mint=mint, cooldown=0))
        elif kind < 8:
            when = f"mc > {rng.choice((10, 20, 50, 100))}k" if kind == 6 else "replies >= 20"
            rules.append(make_rule(when, scope="watchlist", cooldown=0))
        else:
            word = rng.choice(WORDS)
            rules.append(make_rule(f"event = new and name ~ {word}", scope="new", cooldown=0))
    return rules


def make_events(count: int, mints: list[str], rng: random.Random) -> list[Event]:
    now = time.time()
    coins = {
        mint: Coin(
            mint=mint,
            name=f"{rng.choice(WORDS)} {n}",
            symbol=f"C{n}",
            creator=address(rng),
            created_at=now - 600,
            virtual_sol_reserves=30_000_000_000 + n * 10_000_000,
            virtual_token_reserves=1_073_000_000_000_000,
            market_cap_sol=28.0 + n / 10,
            reply_count=n % 25,
        )
        for n, mint in enumerate(mints[:COINS])
    }
    events: list[Event] = [SolPriceChanged(150.0)]
    events += [CoinUpdated(coin) for coin in coins.values()]
    launched = COINS
    for n in range(count):
        roll = rng.random()
        if roll < 0.05 and launched < len(mints):
            mint = mints[launched]
            launched += 1
            coin = Coin(mint=mint, name=f"{rng.choice(WORDS)} launch", created_at=now)
            coins[mint] = coin
            events.append(NewCoin(coin))
            continue
        mint = rng.choice(list(coins)[:COINS])
        coin = coins[mint]
        if roll < 0.20:
            coin = replace(coin, reply_count=coin.reply_count + 1)
            coins[mint] = coin
            events.append(CoinUpdated(coin))
            continue
        dev = rng.random() < 0.05
        trade = Trade(
            signature=b58encode(rng.randbytes(64)),
            mint=mint,
            is_buy=rng.random() < 0.55,
            lamports=int(rng.lognormvariate(-1, 1.2) * 1e9),
            raw_tokens=3_000_000_000_000,
            timestamp=now,
            slot=1000 + n,
            user=coin.creator if dev else address(rng),
        )
        events.append(NewTrade(trade))
    return events


def indexed(
    rules: list[AlertRule], events: list[Event], watched: list[str]
) -> tuple[float, int, int]:
    store = MarketStore()
    evaluator = AlertEvaluator(rules, store, cooldowns=CooldownLog(), watchlist=watched)
    fired = 0
    spent = 0.0
    clock = time.perf_counter
    for event in events:
        store.apply(event)  # the engine's work, not the evaluator's: not timed
        started = clock()
        fired += len(evaluator.evaluate(event))
        spent += clock() - started
    return spent, evaluator.stats.evaluations, fired


def naive(
    rules: list[AlertRule], events: list[Event], watched: list[str]
) -> tuple[float, int, int]:
    """Every rule against every event; the evaluator's own facts, built once per event."""
    store = MarketStore()
    evaluator = AlertEvaluator([], store, cooldowns=CooldownLog(), watchlist=watched)
    evaluations = matched = 0
    spent = 0.0
    clock = time.perf_counter
    for event in events:
        store.apply(event)
        started = clock()
        happening: Happening | None = None
        if isinstance(event, NewTrade):
            coin = store.coin(event.mint)
            happening = Happening(event.mint, "trade", "trade", coin, trade=event.trade)
        elif isinstance(event, NewCoin | CoinUpdated):
            kind = "new" if isinstance(event, NewCoin) else None
            happening = Happening(event.coin.mint, kind, "coin", event.coin)
        if happening is not None:
            facts = evaluator._facts(happening, time.time())
            for rule in rules:
                evaluations += 1
                matched += rule.expr.evaluate(facts)
        spent += clock() - started
    return spent, evaluations, matched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rules", default="10,1000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    mints = [address(rng) for _ in range(MINTS)]
    watched = mints[:WATCHED]
    events = make_events(args.events, mints, rng)
    print(f"{len(events):,} events over {COINS} coins ({WATCHED} watched); best of {args.repeat}")
    print(f"{'rules':>6}  {'evaluator':>22}  {'every rule, every event':>26}  {'firings':>8}")
    for count in (int(x) for x in args.rules.split(",")):
        rules = make_rules(count, mints, random.Random(args.seed + count))
        ours = min(
            (indexed(rules, events, watched) for _ in range(args.repeat)), key=lambda r: r[0]
        )
        base = min((naive(rules, events, watched) for _ in range(args.repeat)), key=lambda r: r[0])
        print(
            f"{count:>6}  {ours[0] / len(events) * 1e6:8.1f} µs/event "
            f"{ours[1] / len(events):6.2f} ev.  "
            f"{base[0] / len(events) * 1e6:10.1f} µs/event {base[1] / len(events):7.1f} ev.  "
            f"{ours[2]:>8}"
        )
    print("(ev. = conditions evaluated per event)")


if __name__ == "__main__":
    main()
