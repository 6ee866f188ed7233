"""Trades built from PumpPortal push messages: exact amounts, stand-in time and order."""

from __future__ import annotations

import pytest

from pumptui.api.models import ModelError, Trade
from pumptui.base58 import b58encode

MINT = b58encode(bytes(range(32)))
SIGNATURE = b58encode(bytes(range(64)))
TRADER = b58encode(bytes(range(1, 33)))


def message(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "signature": SIGNATURE, "mint": MINT, "traderPublicKey": TRADER, "txType": "sell",
        "tokenAmount": 123_456_789.123456, "solAmount": 4.567891234,
        "vTokensInBondingCurve": 1_000_000_000.0, "vSolInBondingCurve": 30.0,
        "marketCapSol": 30.0, "pool": "pump",
    }
    base.update(fields)
    return base


def test_human_units_give_back_the_exact_integers_of_the_api() -> None:
    trade = Trade.from_push(message(), received_at=1_790_000_000.5, seq=7)
    assert trade.lamports == 4_567_891_234
    assert trade.raw_tokens == 123_456_789_123_456
    assert not trade.is_buy
    assert trade.user == TRADER
    assert trade.timestamp == 1_790_000_000.5


def test_a_pushed_trade_is_provisional_and_sorts_after_every_confirmed_one() -> None:
    first = Trade.from_push(message(), received_at=5.0, seq=1)
    second = Trade.from_push(message(signature=SIGNATURE[:-1]), received_at=4.0, seq=2)
    confirmed = Trade(signature="1", mint=MINT, is_buy=True, lamports=1, raw_tokens=1,
                      timestamp=9e9, slot=10**12)
    assert first.provisional
    assert not confirmed.provisional
    assert sorted([second, confirmed, first], key=lambda t: t.chain_order) == [
        confirmed, first, second]
    shape = first.to_api()
    assert shape["provisional"] is True
    assert shape["slot"] is None
    assert "provisional" not in confirmed.to_api()


@pytest.mark.parametrize("fields", [
    {"signature": "\x1b[2J"}, {"signature": None}, {"mint": "[bold]x"}, {"txType": "create"},
    {"txType": None}, {"solAmount": "lots"}, {"solAmount": -1.0}, {"tokenAmount": None},
    {"solAmount": float("nan")},
])
def test_a_message_that_cannot_be_a_trade_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ModelError):
        Trade.from_push(message(**fields), received_at=1.0, seq=1)


def test_a_hostile_trader_address_is_dropped_not_kept() -> None:
    trade = Trade.from_push(message(traderPublicKey="\x1b]52;c;evil\x07"), received_at=1.0,
                            seq=1)
    assert trade.user is None
