"""The evaluator: which happenings fire which rules, once per cooldown, saying how sure it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from pumptui.alerts import CooldownLog, make_rule
from pumptui.alerts.evaluator import CALLOUT_COINS_KEPT
from pumptui.api.models import BoardEntry, Callout
from pumptui.live.events import (
    BoardChanged,
    CalloutsChanged,
    CoinUpdated,
    NewCoin,
    NewTrade,
    SolPriceChanged,
)
from tests.alerts.support import DEV, NOW, Clock, Fed, a_coin, a_trade
from tests.live.factories import mint

MINT = mint(1)
OTHER = mint(2)


def test_an_event_rule_fires_on_each_matching_trade_of_its_coin_only() -> None:
    rule = make_rule("event = trade and side = sell and sol >= 1", mint=MINT, cooldown=0)
    fed = Fed([rule])
    fed.send(CoinUpdated(a_coin(1)), CoinUpdated(a_coin(2)))
    fired = fed.send(
        NewTrade(a_trade(1, sol=2.0, buy=True)),
        NewTrade(a_trade(2, sol=0.5, buy=False)),
        NewTrade(a_trade(3, sol=2.0, buy=False)),
        NewTrade(a_trade(4, sol=3.0, buy=False, coin_n=2)),
        NewTrade(a_trade(5, sol=1.5, buy=False)),
    )
    assert [f.signature for f in fired] == [a_trade(3).signature, a_trade(5).signature]
    assert {f.mint for f in fired} == {MINT}
    assert fired[0].side == "sell"
    assert fired[0].sol == 2.0
    assert fired[0].event == "trade"


def test_the_dev_selling_is_told_from_anyone_else_selling() -> None:
    rule = make_rule("event = trade and side = sell and by = dev", mint=MINT, cooldown=0)
    fed = Fed([rule])
    fed.send(CoinUpdated(a_coin(1)))
    fired = fed.send(
        NewTrade(a_trade(1, buy=False)),
        NewTrade(a_trade(2, buy=False, user=DEV)),
        NewTrade(a_trade(3, buy=True, user=DEV)),
    )
    assert [f.signature for f in fired] == [a_trade(2).signature]
    assert fired[0].by_dev
    assert "dev sold" in fired[0].text


def test_a_cooldown_holds_a_rule_back_per_coin_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "fired.json"
    rule = make_rule("event = trade", scope="watchlist", cooldown=600)
    clock = Clock()
    first = Fed([rule], cooldowns=CooldownLog(path), watchlist=(MINT, OTHER), clock=clock)
    assert len(first.send(NewTrade(a_trade(1)))) == 1
    clock.now += 60
    assert first.send(NewTrade(a_trade(2))) == []  # cooling down on this coin...
    assert len(first.send(NewTrade(a_trade(3, coin_n=2)))) == 1  # ...not on another

    clock.now += 60  # a restart: a new evaluator reads the same file
    second = Fed([rule], cooldowns=CooldownLog(path), watchlist=(MINT,), clock=clock)
    assert second.send(NewTrade(a_trade(4))) == []
    clock.now = NOW + 600
    assert [f.signature for f in second.send(NewTrade(a_trade(5)))] == [a_trade(5).signature]


def test_a_state_rule_fires_when_its_condition_becomes_true_not_while_it_stays_true() -> None:
    rule = make_rule("replies >= 5", mint=MINT, cooldown=0)
    fed = Fed([rule])
    fired = [len(fed.send(CoinUpdated(a_coin(1, replies=replies)))) for replies in (3, 6, 7, 2, 8)]
    assert fired == [0, 1, 0, 0, 1]


def test_a_state_rule_added_while_running_fires_on_what_becomes_true_not_on_what_already_is() -> (
    None
):
    fed = Fed([], watchlist=(MINT, OTHER))
    fed.send(CoinUpdated(a_coin(1, replies=9)), CoinUpdated(a_coin(2, replies=1)))
    rule = make_rule("replies >= 5", scope="watchlist", cooldown=0)
    fed.evaluator.set_rules([rule])
    assert fed.send(CoinUpdated(a_coin(1, replies=10))) == []  # already true when it was made
    (fired,) = fed.send(CoinUpdated(a_coin(2, replies=6)))  # becomes true: news
    assert fired.mint == OTHER


def test_historical_events_fire_nothing_and_a_trade_read_back_late_says_so() -> None:
    rule = make_rule("event = trade", mint=MINT, cooldown=0)
    fed = Fed([rule])
    assert fed.send(NewTrade(a_trade(1), historical=True)) == []
    fired = fed.send(NewTrade(a_trade(2, at=NOW - 600)))  # a gap back-filled after an outage
    assert len(fired) == 1
    assert fired[0].late
    assert fired[0].late_by == pytest.approx(600)
    assert "late" in fired[0].text
    assert fired[0].to_json()["late"] is True
    (on_time,) = fed.send(NewTrade(a_trade(3, at=NOW - 2)))
    assert not on_time.late
    assert "late" not in on_time.text


def test_a_pushed_trade_not_yet_confirmed_fires_as_provisional() -> None:
    fed = Fed([make_rule("event = trade", mint=MINT, cooldown=0)])
    (fired,) = fed.send(NewTrade(a_trade(1, pushed=True)))
    assert fired.provisional
    assert "provisional" in fired.text


def test_a_stale_sol_price_is_named_when_a_rule_reads_usd() -> None:
    usd_rule = make_rule("event = trade and usd > 1", mint=MINT, cooldown=0)
    sol_rule = make_rule("event = trade and sol > 0.01", mint=MINT, cooldown=0)
    fed = Fed([usd_rule, sol_rule])
    fed.send(CoinUpdated(a_coin(1)), SolPriceChanged(150.0, stale=True))
    fired = {f.rule_id: f for f in fed.send(NewTrade(a_trade(1, sol=1.0)))}
    assert fired[usd_rule.id].stale == ("SOL price",)
    assert "stale: SOL price" in fired[usd_rule.id].text
    assert fired[sol_rule.id].stale == ()


def test_a_new_coin_rule_fires_on_launches_not_on_the_listing_read_at_start() -> None:
    rule = make_rule("event = new and name ~ pepe", scope="new", cooldown=0)
    fed = Fed([rule])
    assert fed.send(NewCoin(a_coin(1, name="Pepe Classic"), historical=True)) == []
    assert fed.send(NewCoin(a_coin(2, name="Doge"))) == []
    (fired,) = fed.send(NewCoin(a_coin(3, name="PEPE 2")))
    assert fired.mint == mint(3)
    assert fired.event == "new"


def test_final_stretch_graduation_reply_and_callout_are_events() -> None:
    rule = make_rule("event != trade", mint=MINT, cooldown=0)
    fed = Fed([rule])
    start = a_coin(1, real_tokens=700_000_000_000_000)  # about 12 % sold
    fed.send(CoinUpdated(start))
    kinds = []
    for update in (
        a_coin(1, real_tokens=100_000_000_000_000),  # 87 % sold: the final stretch
        a_coin(1, real_tokens=0, complete=True),
        a_coin(1, real_tokens=0, complete=True, replies=1),
    ):
        kinds += [f.event for f in fed.send(CoinUpdated(update))]
    callout = Callout(id="c1", mint=MINT, thesis="to the moon")
    fed.send(CalloutsChanged(MINT, ()))
    kinds += [f.event for f in fed.send(CalloutsChanged(MINT, (callout,)))]
    kinds += [f.event for f in fed.send(CalloutsChanged(MINT, (callout,)))]  # not new again
    assert kinds == ["graduating", "graduated", "reply", "callout"]


def test_callouts_are_remembered_for_the_coins_opened_lately_only() -> None:
    """One coin opened after another all day: the callout ids of each were kept for good."""
    last = mint(CALLOUT_COINS_KEPT + 35)
    fed = Fed([make_rule("event = callout", mint=last, cooldown=0)])
    for n in range(CALLOUT_COINS_KEPT + 36):
        fed.send(CalloutsChanged(mint(n), (Callout(id=f"old-{n}", mint=mint(n), thesis="x"),)))
    assert len(fed.evaluator._callouts) == CALLOUT_COINS_KEPT
    fresh = Callout(id="new", mint=last, thesis="y")
    (fired,) = fed.send(CalloutsChanged(last, (fresh,)))
    assert fired.event == "callout"


def test_last_figures_are_kept_for_the_coins_the_store_holds_and_no_more() -> None:
    """A day of launches: the figures of every coin updated were kept, up to 20,000 of them,
    well past the store's bound. A coin the store still holds (a watched one, quiet all along)
    must still be told graduating from merely updated."""
    watched = mint(1)
    fed = Fed([make_rule("event = graduated", mint=watched, cooldown=0)], max_coins=50)
    fed.store.protect([watched])
    fed.send(CoinUpdated(a_coin(1, real_tokens=100_000_000_000_000)))
    most = 0
    for n in range(2, 1_000):
        fed.send(NewCoin(a_coin(n)), CoinUpdated(a_coin(n, replies=1)))
        most = max(most, len(fed.evaluator._seen))
    assert most <= 2 * 50 + 1
    (fired,) = fed.send(CoinUpdated(a_coin(1, real_tokens=0, complete=True)))
    assert fired.event == "graduated"


def test_an_event_meets_only_the_rules_of_its_coin_and_kind() -> None:
    """Cost stays flat: 1,000 rules on other coins are not even looked at."""
    others = [
        make_rule("event = trade and sol > 1", mint=mint(1000 + n), cooldown=0) for n in range(1000)
    ]
    mine = make_rule("event = trade and sol > 1", mint=MINT, cooldown=0)
    holders_rule = make_rule("top10 > 50%", mint=MINT, cooldown=0)  # not changed by a trade
    fed = Fed([*others, mine, holders_rule])
    fed.send(NewTrade(a_trade(1, sol=2.0)))
    assert fed.evaluator.stats.evaluations == 1
    assert fed.evaluator.stats.firings == 1


def test_a_rule_can_be_tried_on_a_coin_as_it_stands() -> None:
    """The alerts screen's "test": now, whatever the scope and the cooldown."""
    rule = make_rule("replies >= 5", scope="new", cooldown=3600)
    fed = Fed([rule])
    fed.send(CoinUpdated(a_coin(1, replies=6)))
    tried = fed.evaluator.test(rule, MINT)
    assert tried is not None
    assert (tried.mint, tried.event) == (MINT, "change")
    assert fed.evaluator.test(make_rule("replies >= 50", mint=MINT), MINT) is None


def test_a_watchlist_rule_follows_the_watchlist_as_it_changes() -> None:
    rule = make_rule("event = trade", scope="watchlist", cooldown=0)
    fed = Fed([rule], watchlist=(OTHER,))
    assert fed.send(NewTrade(a_trade(1))) == []
    fed.evaluator.set_watchlist([MINT])
    assert [f.mint for f in fed.send(NewTrade(a_trade(2)))] == [MINT]


def test_a_coin_arriving_on_the_graduating_board_is_in_the_final_stretch_once() -> None:
    rule = make_rule("event = graduating", scope="new", cooldown=0)
    fed = Fed([rule])
    listed = BoardEntry(mint=MINT, name="One", market_cap_usd=50_000.0)
    fed.send(BoardChanged("new", (listed,)), BoardChanged("graduating", ()))
    (fired,) = fed.send(BoardChanged("graduating", (listed,)))
    assert (fired.mint, fired.event, fired.market_cap_usd) == (MINT, "graduating", 50_000.0)
    # Its curve crossing the line later is the same news: not told twice.
    fed.send(CoinUpdated(a_coin(1, real_tokens=700_000_000_000_000)))
    assert fed.send(CoinUpdated(a_coin(1, real_tokens=100_000_000_000_000))) == []
