"""The 2026 wire shapes (reference §3, §5) read into the app's units: one test per unit trap.

Fixtures in `fixtures/` are written by hand from the reference's documented shapes; every
expected value below is worked out from the reference (or the bonding-curve docs), never taken
from the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pumptui.api import models, routes
from pumptui.api.models import (
    Candle,
    Coin,
    HolderStats,
    MarketActivity,
    ModelError,
    TopHolder,
    Trade,
    parse_list,
)

FIXTURES = Path(__file__).parent / "fixtures"
MINT = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R"
# 2026-10-01T12:00:00Z as Unix seconds (date -u -d ... +%s).
NOON = 1_790_856_000


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def page_trades() -> list[Trade]:
    shape = routes.read_trade_page(load("trades_page.json"))
    return [Trade.from_swap(record, MINT) for record in shape.records]


# -- trades --------------------------------------------------------------------------------------


def test_amount_sol_is_exact_lamports() -> None:
    # "0.123456789" SOL is 123456789 lamports; a float would give 123456788 or 123456789.00001.
    assert page_trades()[0].lamports == 123_456_789
    assert page_trades()[1].lamports == 1_500_000_000


def test_base_amount_is_exact_raw_units() -> None:
    # "35000.123456" whole tokens at 6 decimals is 35000123456 raw units.
    assert page_trades()[0].raw_tokens == 35_000_123_456
    assert page_trades()[1].raw_tokens == 1_000_000_000_000


def test_iso_timestamps_are_unix_seconds() -> None:
    newest, oldest = page_trades()
    assert newest.timestamp == NOON + 5
    assert oldest.timestamp == NOON


def test_slot_index_id_splits_into_slot_and_position() -> None:
    newest, oldest = page_trades()
    # "000371234567" + "0000000042" (22 chars), "000371234560" + "00000000000007" (26 chars).
    assert (newest.slot, newest.tx_index) == (371_234_567, 42)
    assert (oldest.slot, oldest.tx_index) == (371_234_560, 7)
    assert sorted([newest, oldest], key=lambda t: t.chain_order) == [oldest, newest]


def test_each_trade_knows_the_cursor_a_page_ending_at_it_gives() -> None:
    payload = load("trades_page.json")
    oldest = page_trades()[-1]
    # The reference: nextCursor = "<slotIndexId of the oldest trade>-<its epoch ms>".
    assert oldest.cursor == payload["pagination"]["nextCursor"]
    assert oldest.cursor == "00037123456000000000000007-1790856000000"


@pytest.mark.parametrize(
    ("slot_index_id", "stamp", "cursor"),
    [
        # The id exactly as sent, whatever its length and leading zeros; the time in ms.
        ("000000000001", "2026-10-01T12:00:00.123Z", "000000000001-1790856000123"),
        (
            "0003712345670000000000",
            "2026-10-01T12:00:00.999Z",
            "0003712345670000000000-1790856000999",
        ),
        # Sent as a number (no leading zeros): 19 digits, the position in 7.
        (3712345670000000042, "2026-10-01T12:00:05Z", "3712345670000000042-1790856005000"),
    ],
)
def test_a_cursor_is_the_id_as_sent_and_the_time(
    slot_index_id: str | int, stamp: str, cursor: str
) -> None:
    record = {**load("trades_page.json")["trades"][0], "slotIndexId": slot_index_id}
    record["timestamp"] = stamp
    assert Trade.from_swap(record, MINT).cursor == cursor


def test_a_pushed_trade_has_no_cursor_yet() -> None:
    newest = page_trades()[0]
    pushed = Trade(
        signature=newest.signature,
        mint=MINT,
        is_buy=True,
        lamports=1,
        raw_tokens=1,
        timestamp=NOON,
        pushed_seq=3,
        id_digits=22,
    )
    assert pushed.cursor is None
    assert pushed.to_json()["cursor"] is None


def test_every_trade_of_a_program_shares_its_name() -> None:
    newest, oldest = page_trades()
    assert newest.program == oldest.program == "pump"
    assert newest.program is oldest.program, "one string for every trade of the program"
    hostile = {**load("trades_page.json")["trades"][0], "program": "\x1b[31m[red]pump"}
    assert Trade.from_swap(hostile, MINT).program == "[red]pump"
    for n in range(200):  # a service inventing names costs copies, not a growing table
        record = {**load("trades_page.json")["trades"][0], "program": f"p{n}"}
        assert Trade.from_swap(record, MINT).program == f"p{n}"
    assert len(models._PROGRAMS) <= models.PROGRAMS_KEPT


def test_the_rest_of_a_swap_row() -> None:
    newest, oldest = page_trades()
    assert newest.signature.startswith("5KtPn1")
    assert newest.mint == MINT
    assert newest.is_buy
    assert not oldest.is_buy
    assert newest.user == "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
    assert newest.program == "pump"
    assert newest.usd == pytest.approx(18.518518)


def test_a_page_with_more_and_the_end_of_history() -> None:
    more = routes.read_trade_page(load("trades_page.json"))
    end = routes.read_trade_page(load("trades_end.json"))
    assert (more.has_more, more.next_cursor) == (True, "00037123456000000000000007-1790856000000")
    assert (end.records, end.has_more, end.next_cursor) == ([], False, None)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("amountSol", "NaN"),
        ("amountSol", "Infinity"),
        ("amountSol", "-0.5"),
        ("amountSol", "1" + "0" * 399),
        ("baseAmount", "-1"),
        ("baseAmount", "1e400"),
        ("amountSol", None),
        ("slotIndexId", "12ab"),
        ("slotIndexId", "12345"),
        ("timestamp", "yesterday"),
        ("type", "create"),
        ("tx", "\x1b[2J"),
    ],
)
def test_a_trade_with_an_absurd_or_missing_field_is_refused_alone(key: str, value: Any) -> None:
    payload = load("trades_page.json")
    payload["trades"][0][key] = value
    parsed = parse_list(payload["trades"], lambda r: Trade.from_swap(r, MINT))
    assert parsed.skipped == 1
    assert [t.lamports for t in parsed.items] == [1_500_000_000]


def test_a_non_sol_pool_amount_with_28_decimals_rounds_to_the_nearest_lamport() -> None:
    payload = load("trades_page.json")
    payload["trades"][0]["amountSol"] = "0.1234567894999999999999999999"
    assert Trade.from_swap(payload["trades"][0], MINT).lamports == 123_456_789


# -- candles, activity, holders, price ---------------------------------------------------------


def test_sol_candles_are_per_whole_token_with_sol_volume_oldest_first() -> None:
    rows = load("candles_sol.json")
    candles = [Candle.from_swap(r, mint=MINT, seconds=60, currency="SOL") for r in rows]
    assert [c.start for c in candles] == [NOON, NOON + 120]  # ms → s
    assert candles[0].open == pytest.approx(2.8e-8)
    assert candles[0].high == pytest.approx(3.1e-8)
    assert candles[0].volume_sol == 12.5  # SOL now, not lamports
    assert candles[1].volume_sol == 0.75
    assert candles[0].currency == "SOL"


def test_usd_candles_keep_usd_volume_apart_from_sol() -> None:
    row = load("candles_sol.json")[0]
    candle = Candle.from_swap(row, mint=MINT, seconds=60, currency="USD")
    assert (candle.currency, candle.volume_usd, candle.volume_sol) == ("USD", 12.5, 0.0)


def test_market_activity_windows() -> None:
    activity = MarketActivity.from_api(load("market_activity.json"), MINT)
    five = activity.window("5m")
    assert five is not None
    assert (five.num_txs, five.num_buys, five.num_sells) == (12, 8, 4)
    assert five.volume_usd == 1520.5
    assert five.price_change_percent == -3.5
    assert set(activity.windows) == {"5m", "1h", "6h", "24h"}


def test_holders_and_holder_stats() -> None:
    records, total = routes.read_top_holders(load("top_holders.json"))
    holders = [TopHolder.from_api(r) for r in records]
    stats = HolderStats.from_api(load("holder_stats.json"), MINT)
    assert total == 312
    assert holders[0].tokens == 35_000_000.5
    assert holders[0].is_dev
    assert holders[1].is_sniper
    assert holders[1].is_bundler
    assert (stats.top10_percent, stats.dev_percent, stats.total_holders) == (27.5, 3.5, 312)
    assert stats.as_of == NOON
    assert routes.read_holder_count(load("holder_count.json")) == 318


def test_sol_price_carries_its_time_and_the_stale_flag() -> None:
    price = routes.read_sol_price(load("sol_price.json"))
    assert price is not None
    assert (price.usd, price.as_of, price.stale) == (150.25, NOON, True)


# -- coins ---------------------------------------------------------------------------------------


def test_a_live_coin_without_real_reserves_shows_its_true_progress() -> None:
    coin = Coin.from_api(load("coin_live_from_list.json"))
    # Tokens sold = initial virtual 1,073,000,000 − current virtual 900,000,000 = 173,000,000 of
    # the 793,100,000 the curve sells.
    assert coin.progress == pytest.approx(173_000_000 / 793_100_000)
    assert coin.real_token_reserves == (793_100_000 - 173_000_000) * 10**6
    assert not coin.complete


def test_2026_coin_fields_and_their_units() -> None:
    coin = Coin.from_api(load("coin_live_from_list.json"))
    assert coin.ath_market_cap_usd == 7200.5  # USD since 2026, not SOL
    assert coin.market_cap_usd == 5971.0
    assert coin.updated_at == 1_790_856_006  # seconds stay seconds
    assert coin.ath_at == 1_790_855_500
    assert coin.created_at == 1_790_855_000  # ms → s
    assert coin.quote_mint == "So11111111111111111111111111111111111111112"
    assert coin.quote_decimals == 9
    assert coin.program == "pump"
    assert coin.is_sol_quoted
    assert coin.pool is None


def test_a_coin_on_the_curve_is_priced_per_whole_token_of_6_decimals() -> None:
    """The reference's launch curve (pumpfun-api.md, bonding curve): 30 SOL (30e9 lamports)
    against 1,073,000,000 tokens (1.073e15 raw units, 6 decimals): about 2.796e-8 SOL a token,
    a market cap of about 27.96 SOL. Reading the tokens with SOL's 9 decimals is 1000x off."""
    launch = load("coin_live_from_list.json") | {
        "virtual_sol_reserves": 30_000_000_000,
        "virtual_token_reserves": 1_073_000_000_000_000,
    }
    assert Coin.from_api(launch).price_sol == pytest.approx(2.796e-8, rel=1e-3)
    # The fixture's own curve: 35.7667 SOL over 900,000,000 tokens; the server's market cap
    # for it is 39.74 SOL, the price times the 10^9 tokens of supply.
    coin = Coin.from_api(load("coin_live_from_list.json"))
    assert coin.price_sol == pytest.approx(3.974e-8, rel=1e-3)
    assert coin.price_sol * 1_000_000_000 == pytest.approx(coin.market_cap_sol, rel=1e-3)


def test_a_graduated_coin_takes_its_price_from_its_market_cap_not_the_frozen_curve() -> None:
    coin = Coin.from_api(load("coin_graduated.json"))
    # 820 SOL market cap over 1,000,000,000 tokens (the curve would say 115.005 / 279.9 M).
    assert coin.price_sol == pytest.approx(820.0 / 1_000_000_000)
    assert coin.progress == 1.0
    assert coin.pool == "Bx9uN2XnLBxykJHwvFYH3DfwbDFqjhJ6ym5bzuT8rEbn"
    assert coin.real_sol_reserves == 0


def test_a_usdc_quoted_coin_is_not_read_in_sol() -> None:
    coin = Coin.from_api(load("coin_usdc.json"))
    assert not coin.is_sol_quoted
    assert coin.market_cap_sol == 0.0
    assert coin.price_sol == 0.0
    assert coin.virtual_sol_reserves == 0
    assert coin.market_cap_usd == 4000.0
    assert coin.price_usd == pytest.approx(4000.0 / 1_000_000_000)
    assert coin.quote_decimals == 6
    assert coin.to_json()["market_cap_sol"] is None


def test_absurd_numbers_cost_only_their_own_record() -> None:
    # A 400-digit integer and NaN/Infinity literals are beyond orjson: the body is still read,
    # and each absurd record is refused on its own.
    records = routes.decode_json((FIXTURES / "coins_with_absurd_numbers.json").read_bytes())
    parsed = parse_list(records, Coin.from_api)
    assert [c.name for c in parsed.items] == ["Fine"]
    assert parsed.skipped == 4


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("virtual_token_reserves", 10**399),
        ("market_cap", float("nan")),
        ("virtual_sol_reserves", float("inf")),
        ("real_sol_reserves", -5),
        ("real_token_reserves", "-1"),
        ("usd_market_cap", "Infinity"),
    ],
)
def test_each_absurd_number_is_a_model_error(key: str, value: Any) -> None:
    record = load("coin_live_from_list.json")
    record[key] = value
    with pytest.raises(ModelError):
        Coin.from_api(record)


def test_coin_json_is_in_the_app_units() -> None:
    data = Coin.from_api(load("coin_live_from_list.json")).to_json()
    assert data["created_at"] == 1_790_855_000
    assert data["virtual_token_reserves"] == 900_000_000_000_000
    assert data["ath_market_cap_usd"] == 7200.5
    assert "king_of_the_hill_timestamp" not in data
    json.dumps(data)  # plain JSON types only


def test_trade_json_keeps_its_documented_keys() -> None:
    data = page_trades()[0].to_json()
    assert data["sol_amount"] == 123_456_789
    assert data["token_amount"] == 35_000_123_456
    assert data["timestamp"] == NOON + 5
    assert (data["slot"], data["tx_index"]) == (371_234_567, 42)
    assert data["cursor"] == "0003712345670000000042-1790856005000"
