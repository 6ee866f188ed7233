"""`AlertEvaluator`: every event of the live bus against every rule that could care, in flat time.

`evaluate(event)` turns one bus event into the happenings it stands for (a launch, a trade, a
coin reaching the final stretch or graduating, a reply, a callout, or a mere change of figures)
and returns the firings, in order. It is synchronous and does no I/O except the cooldown log's
write on a firing; the caller delivers (`pumptui.alerts.service` runs it on the bus).

What fires, and when:
- An *event rule* (its condition reads `event` or a trade's fields) fires on every matching
  happening, at most once per cooldown per coin.
- A *state rule* (`mc > 20k`, `change 5m > 30%`) fires when its condition becomes true on a
  coin (first true, or false then true), at most once per cooldown per coin.
- Historical events (the past read when a feed starts) fire nothing; a trade read back by
  back-fill fires, marked `late` (learnt of `LATE_AFTER` seconds or more after its block
  time); a pushed trade not yet confirmed marks the firing `provisional`; a figure that is old
  or flagged stale is named in `stale`.

Why the cost stays flat: rules are indexed by scope (a dict per mint, the watchlist's, the new
coins') and, within a scope, by what they read: an event rule is listed under the happenings it
can match (a trade-only rule under `trade`), a state rule under the kinds of update that can
change a field it reads (holder figures, market activity, coin data, a board). An event meets
only the rules listed under its coin's scopes and its kind; the coin's facts are built once per
happening, and only when some rule is there to read them.
"""

from __future__ import annotations

import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from pumptui.alerts.fields import ALERT_FIELDS, EVENT_FIELDS, EVENT_KINDS
from pumptui.alerts.files import CooldownLog
from pumptui.alerts.firing import Firing
from pumptui.alerts.rules import AlertRule
from pumptui.api.models import BoardEntry, Callout, Coin, Trade
from pumptui.config import DEFAULT_WHALE_SOL
from pumptui.live.events import (
    ActivityChanged,
    BoardChanged,
    CalloutsChanged,
    CoinUpdated,
    Event,
    FeedHealthChanged,
    HoldersChanged,
    LeaderChanged,
    NewCoin,
    NewTrade,
    SolPriceChanged,
)
from pumptui.live.health import FeedState
from pumptui.live.store import MarketStore
from pumptui.rules import GRADUATING_CURVE_PERCENT, Facts, coin_facts

# A trade learnt of this long (seconds) after its block time is late (read back after a gap).
LATE_AFTER: Final = 60.0
# Bonding-curve progress from which a coin is in the final stretch ("graduating"), as the
# screener's `stage` says it.
GRADUATING_PROGRESS: Final = GRADUATING_CURVE_PERCENT / 100
# Figures read longer ago than this (seconds) are named stale in a firing.
STALE_AFTER: Final = 300.0
# Bounds on what is remembered per coin (coins seen as new, announcements, last truths); the
# last figures are kept for the coins the store holds.
NEW_COINS_KEPT: Final = 5_000
COINS_KEPT: Final = 20_000
TRUTHS_KEPT: Final = 100_000
# Coins whose callouts are remembered (those opened lately: callouts are read for the coin shown).
CALLOUT_COINS_KEPT: Final = 64

HOLDER_FIELDS: Final = frozenset({"holders", "top10", "dev", "snipers"})
ACTIVITY_FIELDS: Final = frozenset(
    {"vol", "change", "trades", "buys", "sells", "buyers", "sellers"}
)
# The kinds of update that change figures, as state rules are indexed by them.
UPDATES: Final = ("new", "coin", "trade", "holders", "activity", "board")
# Feeds whose trouble makes the coin figures stale.
MARKET_FEEDS: Final = frozenset({"market", "watchlist", "coins", "trades"})


def updates_changing(fields: Iterable[str]) -> tuple[str, ...]:
    """The kinds of update that can change one of `fields` (a launch and a board: any)."""
    wanted = frozenset(fields) - EVENT_FIELDS.keys()
    kinds = ["new", "board"]
    if wanted - HOLDER_FIELDS - (ACTIVITY_FIELDS - {"change"}):
        kinds.append("coin")
    if wanted - HOLDER_FIELDS:
        kinds.append("trade")
    if wanted & HOLDER_FIELDS:
        kinds.append("holders")
    if wanted & ACTIVITY_FIELDS:
        kinds.append("activity")
    return tuple(kinds)


@dataclass(slots=True)
class Happening:
    """What one bus event means for one coin. `kind`: an event kind (`EVENT_KINDS`) or None
    for a mere change of figures; `update`: which figures changed (`UPDATES`), None for none."""

    mint: str
    kind: str | None
    update: str | None
    coin: Coin | None = None
    trade: Trade | None = None
    board: BoardEntry | None = None
    callout: Callout | None = None
    late_by: float | None = None


class _Bucket:
    """The rules of one scope, listed by what can make them match."""

    __slots__ = ("lists",)

    def __init__(self) -> None:
        self.lists: defaultdict[str, list[AlertRule]] = defaultdict(list)

    def add(self, rule: AlertRule) -> None:
        if rule.is_event_rule:
            for kind in ("trade",) if rule.trade_only else EVENT_KINDS:
                self.lists[f"kind:{kind}"].append(rule)
        else:
            for update in updates_changing(rule.reads):
                self.lists[update].append(rule)

    def collect(self, happening: Happening, into: dict[int, AlertRule]) -> None:
        if happening.kind is not None:
            for rule in self.lists.get(f"kind:{happening.kind}", ()):
                into[id(rule)] = rule
        if happening.update is not None:
            for rule in self.lists.get(happening.update, ()):
                into[id(rule)] = rule


class RuleIndex:
    """Enabled rules by scope: one bucket per mint, one for the watchlist, one for new coins."""

    def __init__(self, rules: Iterable[AlertRule] = ()) -> None:
        self.by_mint: dict[str, _Bucket] = {}
        self.watchlist = _Bucket()
        self.new = _Bucket()
        self.rules: tuple[AlertRule, ...] = tuple(r for r in rules if r.enabled)
        for rule in self.rules:
            if rule.scope == "mint" and rule.mint:
                self.by_mint.setdefault(rule.mint, _Bucket()).add(rule)
            elif rule.scope == "watchlist":
                self.watchlist.add(rule)
            else:
                self.new.add(rule)

    @property
    def mints(self) -> tuple[str, ...]:
        """The coins named by a rule (a live engine follows them)."""
        return tuple(self.by_mint)


class _HappeningFacts:
    """The event fields of one happening over the coin's facts, built on first need."""

    __slots__ = ("_coin_facts", "_make", "values")

    def __init__(self, values: dict[str, float | str | None], make: Callable[[], Facts | None]):
        self.values = values
        self._make = make
        self._coin_facts: Facts | bool | None = False

    def value(self, name: str, window: float | None) -> float | str | None:
        if name in EVENT_FIELDS:
            return self.values.get(name)
        if self._coin_facts is False:
            self._coin_facts = self._make()
        facts = self._coin_facts
        return None if facts is None or isinstance(facts, bool) else facts.value(name, window)


@dataclass(frozen=True, slots=True)
class _Seen:
    """A coin's figures as last seen, to tell a graduation or a reply from a mere update."""

    complete: bool
    progress: float
    replies: int


@dataclass
class EvaluatorStats:
    events: int = 0
    happenings: int = 0
    evaluations: int = 0
    firings: int = 0
    suppressed: int = 0  # matches held back by a cooldown
    errors: int = 0  # conditions that raised (counted, never fatal)
    last_error: str | None = None
    fired_by_rule: dict[str, int] = field(default_factory=dict)


class AlertEvaluator:
    """Rules against the live bus's events (module docstring). Feed it with `evaluate(event)`
    in bus order; tell it the watchlist with `set_watchlist`, new rules with `set_rules`."""

    def __init__(
        self,
        rules: Iterable[AlertRule],
        store: MarketStore,
        *,
        cooldowns: CooldownLog | None = None,
        watchlist: Iterable[str] = (),
        clock: Callable[[], float] = time.time,
        late_after: float = LATE_AFTER,
        whale_sol: float = DEFAULT_WHALE_SOL,
    ) -> None:
        self.store = store
        self.cooldowns = cooldowns if cooldowns is not None else CooldownLog()
        self.clock = clock
        self.late_after = late_after
        self.whale_sol = whale_sol
        self.index = RuleIndex(rules)
        self.watchlist: frozenset[str] = frozenset(watchlist)
        self.stats = EvaluatorStats()
        self._new: OrderedDict[str, None] = OrderedDict()
        self._seen: dict[str, _Seen] = {}
        # When `_seen` is next swept of the coins the store has let go (see `_look_at`).
        self._sweep_seen_at = 2 * store.max_coins
        self._truth: dict[tuple[str, str], bool] = {}
        self._announced: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._boards: dict[str, frozenset[str]] = {}
        self._callouts: OrderedDict[str, set[str]] = OrderedDict()
        self._sol_stale = False
        self._troubled_feeds: dict[str, str] = {}

    # -- configuration --------------------------------------------------------------------

    @property
    def rules(self) -> tuple[AlertRule, ...]:
        return self.index.rules

    def set_rules(self, rules: Iterable[AlertRule]) -> None:
        """Replace the rules (the app added, edited, enabled or deleted one); what each rule
        last saw is kept for the rules that did not change (same id)."""
        before = {rule.id for rule in self.index.rules}
        self.index = RuleIndex(rules)
        ids = {rule.id for rule in self.index.rules}
        self._truth = {key: value for key, value in self._truth.items() if key[0] in ids}
        for rule in self.index.rules:
            if rule.id not in before and not rule.is_event_rule:
                self._baseline(rule)

    def _baseline(self, rule: AlertRule) -> None:
        """A state rule added while running learns where the coins it watches stand, without
        firing: the coins the user is looking at when they make it are not news, and it fires
        when its condition becomes true from now on (as for coins of a feed's first read)."""
        if rule.scope == "mint":
            mints: Iterable[str] = (rule.mint,) if rule.mint else ()
        elif rule.scope == "watchlist":
            mints = self.watchlist
        else:
            mints = tuple(self._new)
        now = self.clock()
        for mint in mints:
            happening = Happening(mint, None, None, coin=self.store.coin(mint))
            try:
                truth = rule.expr.evaluate(self._facts(happening, now))
            except Exception:
                continue
            self._remember_truth((rule.id, mint), truth)

    def set_watchlist(self, mints: Iterable[str]) -> None:
        self.watchlist = frozenset(mints)

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, event: Event) -> list[Firing]:
        """The firings `event` causes, in order (empty for most events)."""
        self.stats.events += 1
        now = self.clock()
        firings: list[Firing] = []
        for happening in self._happenings(event, now):
            self.stats.happenings += 1
            rules = self._candidates(happening)
            if rules:
                firings.extend(self._check(happening, rules, now))
        return firings

    def test(self, rule: AlertRule, mint: str) -> Firing | None:
        """`rule` against `mint`'s figures as they stand, ignoring its cooldown and scope (the
        alerts screen's "test"): the firing it would make now, or None if it does not match."""
        happening = Happening(mint, None, None, coin=self.store.coin(mint))
        facts = self._facts(happening, self.clock())
        if not rule.expr.evaluate(facts):
            return None
        return self._firing(rule, happening, self.clock())

    def _candidates(self, happening: Happening) -> list[AlertRule]:
        found: dict[int, AlertRule] = {}
        mint = happening.mint
        bucket = self.index.by_mint.get(mint)
        if bucket is not None:
            bucket.collect(happening, found)
        if mint in self.watchlist:
            self.index.watchlist.collect(happening, found)
        if mint in self._new:
            self.index.new.collect(happening, found)
        return list(found.values())

    def _check(self, happening: Happening, rules: Sequence[AlertRule], now: float) -> list[Firing]:
        facts = self._facts(happening, now)
        mint = happening.mint
        firings: list[Firing] = []
        for rule in rules:
            self.stats.evaluations += 1
            try:
                matched = rule.expr.evaluate(facts)
            except Exception as exc:  # a rule must never stop the others, nor the app
                self.stats.errors += 1
                self.stats.last_error = f"{rule.title}: {exc}"
                continue
            if not rule.is_event_rule:
                key = (rule.id, mint)
                was = self._truth.get(key)
                self._remember_truth(key, matched)
                if was:
                    continue  # still true: it fired (or was held back) when it became true
            if not matched:
                continue
            if self.cooldowns.cooling(rule, mint, now):
                self.stats.suppressed += 1
                continue
            self.cooldowns.record(rule, mint, now)
            firings.append(self._firing(rule, happening, now))
        return firings

    def _remember_truth(self, key: tuple[str, str], value: bool) -> None:
        truths = self._truth
        truths[key] = value
        if len(truths) > TRUTHS_KEPT:
            for old in list(truths)[: TRUTHS_KEPT // 10]:
                del truths[old]

    def _facts(self, happening: Happening, now: float) -> _HappeningFacts:
        values: dict[str, float | str | None] = {"event": happening.kind}
        trade = happening.trade
        if trade is not None:
            coin = happening.coin
            values["side"] = "buy" if trade.is_buy else "sell"
            values["sol"] = trade.sol
            usd = trade.usd
            if usd is None:
                sol_usd = self.store.sol_price
                usd = trade.sol * sol_usd if sol_usd else None
            values["usd"] = usd
            values["trader"] = trade.username or trade.user
            creator = coin.creator if coin is not None else None
            values["by"] = None if creator is None else "dev" if trade.user == creator else "trader"
            values["whale"] = "yes" if trade.sol >= self.whale_sol else "no"

        def make() -> Facts | None:
            coin = happening.coin
            if coin is None:
                return None
            mint = happening.mint
            holders = self.store.holders(mint)
            return coin_facts(
                coin,
                now=now,
                sol_usd=self.store.sol_price,
                board=happening.board or self.store.board_entry(mint),
                activity=self.store.market_activity(mint),
                price_points=self.store.price_history(mint),
                holder_stats=holders.stats if holders is not None else None,
            )

        return _HappeningFacts(values, make)

    def _firing(self, rule: AlertRule, happening: Happening, now: float) -> Firing:
        coin = happening.coin
        trade = happening.trade
        late_by = happening.late_by
        self.stats.firings += 1
        self.stats.fired_by_rule[rule.id] = self.stats.fired_by_rule.get(rule.id, 0) + 1
        callout = happening.callout
        creator = coin.creator if coin is not None else None
        cap = coin.market_cap_usd if coin is not None else None
        if cap is None and happening.board is not None:
            cap = happening.board.market_cap_usd
        return Firing(
            rule_id=rule.id,
            rule_name=rule.name,
            condition=rule.when,
            mint=happening.mint,
            symbol=coin.symbol if coin is not None else "",
            name=coin.name if coin is not None else "",
            event=happening.kind or "change",
            at=now,
            event_at=trade.timestamp if trade is not None else None,
            late=late_by is not None and late_by >= self.late_after,
            late_by=late_by,
            provisional=trade is not None and trade.provisional,
            stale=self._stale(rule, happening.mint, now),
            signature=trade.signature if trade is not None else None,
            side=None if trade is None else "buy" if trade.is_buy else "sell",
            sol=trade.sol if trade is not None else None,
            usd=trade.usd if trade is not None else None,
            trader=(trade.username or trade.user) if trade is not None else None,
            by_dev=trade is not None and creator is not None and trade.user == creator,
            market_cap_usd=cap,
            callout_id=callout.id if callout is not None else None,
            channels=rule.channels,
        )

    def _stale(self, rule: AlertRule, mint: str, now: float) -> tuple[str, ...]:
        """The figures this rule read that were flagged stale or are old."""
        reads = rule.reads - EVENT_FIELDS.keys()
        notes: list[str] = []
        if self._sol_stale and any(
            ALERT_FIELDS[name].kind == "usd" for name in rule.reads if name in ALERT_FIELDS
        ):
            notes.append("SOL price")
        if reads & ACTIVITY_FIELDS - {"change"}:
            read_at = self.store.market_activity_read_at(mint)
            if read_at is not None and now - read_at > STALE_AFTER:
                notes.append(f"activity {round(now - read_at)}s old")
        if reads & HOLDER_FIELDS:
            holders = self.store.holders(mint)
            if holders is not None and holders.read_at and now - holders.read_at > STALE_AFTER:
                notes.append(f"holders {round(now - holders.read_at)}s old")
        if reads:
            notes.extend(f"{feed} feed {state}" for feed, state in self._troubled_feeds.items())
        return tuple(notes)

    # -- what an event means ---------------------------------------------------------------

    def _happenings(self, event: Event, now: float) -> Iterator[Happening]:
        match event:
            case NewTrade(trade=trade, historical=historical):
                if historical:
                    return
                late_by = None if trade.provisional else max(0.0, now - trade.timestamp)
                yield Happening(
                    trade.mint,
                    "trade",
                    "trade",
                    self.store.coin(trade.mint),
                    trade=trade,
                    late_by=late_by,
                )
            case NewCoin(coin=coin, historical=historical):
                self._remember_new(coin.mint)
                first = self._look_at(coin)
                if not historical:
                    yield Happening(coin.mint, "new", "new", coin)
                elif first:
                    self._note_truths(coin)
            case CoinUpdated(coin=coin) | LeaderChanged(coin=coin):
                yield from self._coin_changed(coin)
            case HoldersChanged(mint=mint):
                yield Happening(mint, None, "holders", self.store.coin(mint))
            case ActivityChanged(mint=mint):
                yield Happening(mint, None, "activity", self.store.coin(mint))
            case BoardChanged(board=board, entries=entries):
                yield from self._board_changed(board, entries)
            case CalloutsChanged(mint=mint, callouts=callouts):
                known = self._callouts.get(mint)
                ids = {c.id for c in callouts}
                self._callouts[mint] = ids if known is None else known | ids
                self._callouts.move_to_end(mint)
                if len(self._callouts) > CALLOUT_COINS_KEPT:
                    # Forgotten, a coin's next read is a first one again: nothing announced.
                    self._callouts.popitem(last=False)
                if known is not None:
                    called = self.store.coin(mint)
                    for callout in callouts:
                        if callout.id not in known:
                            yield Happening(mint, "callout", None, called, callout=callout)
            case SolPriceChanged(stale=stale):
                self._sol_stale = stale
            case FeedHealthChanged(health=health):
                if health.feed in MARKET_FEEDS:
                    if health.state in (FeedState.STALE, FeedState.FAILING):
                        self._troubled_feeds[health.feed] = health.state.value
                    else:
                        self._troubled_feeds.pop(health.feed, None)
            case _:
                return

    def _note_truths(self, coin: Coin) -> None:
        """A coin from a feed's first read: state rules learn where it stands without firing
        (its past is not news), so they fire when a condition becomes true from now on."""
        found: dict[int, AlertRule] = {}
        happening = Happening(coin.mint, None, "new", coin)
        self.index.new.collect(happening, found)
        if not found:
            return
        facts = self._facts(happening, self.clock())
        for rule in found.values():
            if not rule.is_event_rule:
                try:
                    self._remember_truth((rule.id, coin.mint), rule.expr.evaluate(facts))
                except Exception:
                    continue

    def _remember_new(self, mint: str) -> None:
        self._new[mint] = None
        self._new.move_to_end(mint)
        if len(self._new) > NEW_COINS_KEPT:
            self._new.popitem(last=False)

    def _look_at(self, coin: Coin) -> bool:
        """Record the coin's figures; True if it was not seen before."""
        seen = self._seen
        before = seen.get(coin.mint)
        seen[coin.mint] = _Seen(coin.complete, coin.progress, coin.reply_count)
        if len(seen) > self._sweep_seen_at:
            # The figures of a coin the store let go are let go too, so this memory is bounded
            # by the store's (a sweep every `max_coins` new coins: constant time per coin).
            store = self.store
            self._seen = seen = {mint: last for mint, last in seen.items() if mint in store}
            self._sweep_seen_at = 2 * max(store.max_coins, len(seen))
        return before is None

    def _coin_changed(self, coin: Coin) -> Iterator[Happening]:
        before = self._seen.get(coin.mint)
        self._look_at(coin)
        yield Happening(coin.mint, None, "coin", coin)
        if before is None:
            return
        if coin.complete and not before.complete:
            yield from self._announce("graduated", coin.mint, coin)
        elif before.progress < GRADUATING_PROGRESS <= coin.progress and not coin.complete:
            yield from self._announce("graduating", coin.mint, coin)
        if coin.reply_count > before.replies:
            yield Happening(coin.mint, "reply", None, coin)

    def _announce(
        self, kind: str, mint: str, coin: Coin | None, board: BoardEntry | None = None
    ) -> Iterator[Happening]:
        """A graduation (or the final stretch) once per coin, whichever source saw it first."""
        key = (kind, mint)
        if key in self._announced:
            return
        self._announced[key] = None
        if len(self._announced) > COINS_KEPT:
            self._announced.popitem(last=False)
        yield Happening(mint, kind, None, coin, board=board)

    def _board_changed(self, board: str, entries: Sequence[BoardEntry]) -> Iterator[Happening]:
        before = self._boards.get(board)
        self._boards[board] = frozenset(entry.mint for entry in entries)
        for entry in entries:
            mint = entry.mint
            if board == "new":
                self._remember_new(mint)
            coin = self.store.coin(mint)
            yield Happening(mint, None, "board", coin, board=entry)
            if before is not None and mint not in before and board in ("graduating", "graduated"):
                yield from self._announce(board, mint, coin, entry)
