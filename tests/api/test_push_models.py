"""The socket wire formats: PumpPortal messages and the trenches board, read in `routes`."""

from __future__ import annotations

import json
from random import Random
from urllib.parse import parse_qs, urlsplit

import pytest

from pumptui.api import routes
from pumptui.api.models import (
    PushAck,
    PushCreate,
    PushError,
    PushMigration,
    PushTrade,
    Trade,
)
from pumptui.api.routes import BoardApply, BoardDelta, BoardSnapshot, BoardState
from pumptui.base58 import b58encode

MINT = b58encode(bytes(range(32)))
OTHER = b58encode(bytes(range(1, 33)))
SIGNATURE = b58encode(bytes(range(64)))
TRADER = b58encode(bytes(range(2, 34)))


def message(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "signature": SIGNATURE,
        "mint": MINT,
        "traderPublicKey": TRADER,
        "txType": "sell",
        "tokenAmount": 123_456_789.123456,
        "solAmount": 4.567891234,
        "newTokenBalance": 0,
        "bondingCurveKey": OTHER,
        "vTokensInBondingCurve": 1_000_000_000.0,
        "vSolInBondingCurve": 30.0,
        "marketCapSol": 30.0,
        "pool": "pump",
    }
    base.update(fields)
    return base


# -- PumpPortal ----------------------------------------------------------------------------------


def test_float_amounts_give_back_the_exact_integers() -> None:
    pushed = routes.read_pumpportal(json.dumps(message()))
    assert isinstance(pushed, PushTrade)
    assert pushed.lamports == 4_567_891_234
    assert pushed.raw_tokens == 123_456_789_123_456
    assert pushed.virtual_sol_reserves == 30_000_000_000
    assert pushed.virtual_token_reserves == 1_000_000_000_000_000
    assert not pushed.is_buy
    assert pushed.trader == TRADER


def test_a_pushed_trade_is_provisional_and_sorts_after_every_confirmed_one() -> None:
    def pushed(raw: dict[str, object], received_at: float, seq: int) -> Trade:
        trade = routes.read_pumpportal(raw)
        assert isinstance(trade, PushTrade)
        return trade.to_trade(received_at=received_at, seq=seq)

    first = pushed(message(), received_at=5.0, seq=1)
    second = pushed(message(signature=SIGNATURE[:-1]), received_at=4.0, seq=2)
    confirmed = Trade(
        signature="1", mint=MINT, is_buy=True, lamports=1, raw_tokens=1, timestamp=9e9, slot=10**12
    )
    assert first.provisional
    assert not confirmed.provisional
    assert sorted([second, confirmed, first], key=lambda t: t.chain_order) == [
        confirmed,
        first,
        second,
    ]
    shape = first.to_json()
    assert shape["provisional"] is True
    assert shape["slot"] is None
    assert "provisional" not in confirmed.to_json()


def test_create_migrate_acks_and_errors() -> None:
    create = routes.read_pumpportal(
        message(
            txType="create",
            initialBuy=35_000_000.5,
            name="\x1b[31mNew",
            symbol="NEW",
            uri="https://ipfs.io/ipfs/x",
        )
    )
    migrate = routes.read_pumpportal(
        {"txType": "migrate", "mint": MINT, "signature": SIGNATURE, "pool": "pump-amm"}
    )
    ack = routes.read_pumpportal('{"message":"Successfully subscribed to token creation events."}')
    error = routes.read_pumpportal({"errors": "This method requires an API key"})
    assert isinstance(create, PushCreate)
    assert create.initial_buy_raw == 35_000_000_500_000
    assert create.name == "New"
    assert isinstance(migrate, PushMigration)
    assert migrate.mint == MINT
    assert isinstance(ack, PushAck)
    assert isinstance(error, PushError)
    assert "API key" in error.message


def test_a_bonk_create_names_its_reserves_differently() -> None:
    create = routes.read_pumpportal(
        {
            "txType": "create",
            "signature": SIGNATURE,
            "mint": MINT,
            "pool": "bonk",
            "solInPool": 1.25,
            "tokensInPool": 900_000_000.0,
        }
    )
    assert isinstance(create, PushCreate)
    assert (create.virtual_sol_reserves, create.virtual_token_reserves) == (
        1_250_000_000,
        900_000_000_000_000,
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"signature": "\x1b[2J"},
        {"signature": None},
        {"mint": "[bold]x"},
        {"txType": "swap"},
        {"solAmount": "lots"},
        {"solAmount": -1.0},
        {"tokenAmount": None},
        {"solAmount": float("nan")},
        {"vSolInBondingCurve": float("inf")},
    ],
)
def test_a_message_that_cannot_be_a_trade_is_none(fields: dict[str, object]) -> None:
    assert routes.read_pumpportal(message(**fields)) is None


def test_garbage_is_none() -> None:
    assert routes.read_pumpportal("not json") is None
    assert routes.read_pumpportal("[1, 2]") is None


def test_subscribe_messages() -> None:
    assert json.loads(routes.pumpportal_subscribe(routes.PP_NEW_TOKENS)) == {
        "method": "subscribeNewToken"
    }
    assert json.loads(routes.pumpportal_subscribe("unsubscribeTokenTrade", [MINT])) == {
        "method": "unsubscribeTokenTrade",
        "keys": [MINT],
    }
    with pytest.raises(ValueError):
        routes.pumpportal_subscribe("subscribeEverything")
    url = routes.pumpportal_url("wss://pumpportal.fun/api/data", "k-1")
    assert parse_qs(urlsplit(url).query) == {"api-key": ["k-1"]}


# -- trenches ------------------------------------------------------------------------------------


def entry(mint: str, **fields: object) -> dict[str, object]:
    return {
        "m": mint,
        "n": "Name",
        "t": "TCK",
        "i": None,
        "mc": 5971.5,
        "age": 42,
        "p": 21.8,
        "vUsd5m": 1520.5,
        "tx5": 12,
        "bc": 8,
        "sc": 4,
        "txc": 12,
        "nh": 31,
        "t10": 27.5,
        "dh": 3.5,
        "sn": 2,
        "dw": TRADER,
        "gd": None,
        "pg": "pump",
        "c": "solana",
        **fields,
    }


def snapshot(version: int, *mints: str) -> str:
    return json.dumps(
        {
            "type": "snapshot",
            "board": "new",
            "version": version,
            "serverTs": 1_790_856_000_000,
            "entries": [entry(m) for m in mints],
        }
    )


def delta(base: int, version: int, *patches: dict[str, object]) -> str:
    return json.dumps(
        {
            "type": "delta",
            "board": "new",
            "baseVersion": base,
            "version": version,
            "serverTs": 1_790_856_001_000,
            "patches": list(patches),
        }
    )


def test_the_trenches_url_and_subscribe_message() -> None:
    url = routes.trenches_url("https://advanced-indexer.pump.fun", "new")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "wss",
        "advanced-indexer.pump.fun",
        "/ws/trenches",
    )
    assert json.loads(parse_qs(parts.query)["subscription"][0]) == {
        "board": "new",
        "tier": "web",
        "filterKey": "default",
    }
    assert json.loads(routes.trenches_subscribe("graduating")) == {
        "event": "subscribe",
        "data": {"board": "graduating", "tier": "web", "platform": "WEB", "surface": "WEB"},
    }


def test_a_board_entry_is_in_usd_and_seconds() -> None:
    state = BoardState("new")
    read = routes.read_trenches(snapshot(1, MINT))
    assert isinstance(read, BoardSnapshot)
    assert state.apply(read) is BoardApply.APPLIED
    [board_entry] = state.entries
    assert board_entry.market_cap_usd == 5971.5
    assert board_entry.age_seconds == 42
    assert (board_entry.curve_percent, board_entry.holders, board_entry.dev_wallet) == (
        21.8,
        31,
        TRADER,
    )


def test_patches_update_add_move_and_remove() -> None:
    state = BoardState("new")
    state.apply(routes.read_trenches(snapshot(1, MINT)))  # type: ignore[arg-type]
    read = routes.read_trenches(
        delta(
            1,
            3,
            {"op": "update", "mint": MINT, "fields": {"mc": 8000}},
            {"op": "add", "mint": OTHER, "fields": entry(OTHER), "idx": 0},
            {"op": "move", "mint": MINT, "idx": 0},
        )
    )
    assert isinstance(read, BoardDelta)
    assert state.apply(read) is BoardApply.APPLIED  # versions may skip ahead
    assert state.mints == [MINT, OTHER]
    assert state.entries[0].market_cap_usd == 8000
    state.apply(routes.read_trenches(delta(3, 4, {"op": "remove", "mint": MINT})))  # type: ignore[arg-type]
    assert state.mints == [OTHER]
    assert state.version == 4


def test_a_version_going_backwards_asks_for_a_resubscribe() -> None:
    state = BoardState("new")
    assert state.apply(routes.read_trenches(delta(0, 1))) is BoardApply.RESUBSCRIBE  # type: ignore[arg-type]
    state.apply(routes.read_trenches(snapshot(10, MINT)))  # type: ignore[arg-type]
    assert state.apply(routes.read_trenches(delta(10, 10))) is BoardApply.IGNORED  # type: ignore[arg-type]
    assert state.apply(routes.read_trenches(delta(8, 9))) is BoardApply.RESUBSCRIBE  # type: ignore[arg-type]


def test_a_bad_entry_costs_only_itself() -> None:
    state = BoardState("new")
    state.apply(BoardSnapshot("new", 1, None, [entry(MINT, mc="NaN"), entry(OTHER)]))
    assert [e.mint for e in state.entries] == [OTHER]
    assert state.skipped == 1
    assert routes.read_trenches("garbage") is None
    assert routes.read_trenches({"type": "snapshot", "board": "nope", "version": 1}) is None


def test_after_a_delta_only_the_entries_it_touched_are_read_again() -> None:
    state = BoardState("new")
    state.apply(BoardSnapshot("new", 1, None, [entry(MINT, mc="NaN"), entry(OTHER)]))
    [other] = state.entries
    assert state.skipped == 1
    # A patch mends the bad entry; the untouched one is the same entry, not read again.
    state.apply(
        routes.read_trenches(delta(1, 2, {"op": "update", "mint": MINT, "fields": {"mc": 9000}}))
    )  # type: ignore[arg-type]
    mine, same = state.entries
    assert (mine.market_cap_usd, state.skipped) == (9000, 0)
    assert same is other
    state.apply(
        routes.read_trenches(delta(2, 3, {"op": "update", "mint": OTHER, "fields": {"nh": 77}}))
    )  # type: ignore[arg-type]
    assert state.entries[0] is mine
    assert state.entries[1].holders == 77
    # A fresh snapshot is read afresh.
    state.apply(BoardSnapshot("new", 4, None, [entry(OTHER, mc=1.5)]))
    assert [(e.mint, e.market_cap_usd) for e in state.entries] == [(OTHER, 1.5)]


def test_an_update_of_figures_reads_them_alone_and_the_board_is_what_a_fresh_read_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = Random(17)
    mints = [b58encode(bytes([n] * 32)) for n in range(1, 13)]
    state = BoardState("new")
    state.apply(BoardSnapshot("new", 1, None, [entry(m) for m in mints[:8]]))
    figures = list(routes.BOARD_FIGURES)
    texts_read = 0
    clean_text = routes.clean_text

    def counted(*args: object, **kwargs: object) -> str:
        nonlocal texts_read
        texts_read += 1
        return clean_text(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routes, "clean_text", counted)
    for version in range(2, 400):
        held = state.mints
        mint = rng.choice(mints)
        kind = rng.random()
        if kind < 0.6 and mint in held:  # what most deltas are: figures moving
            keys = rng.sample(figures, rng.randint(1, 4))
            values = [rng.randint(0, 9000), 1.5, "7", None, "NaN", -3]
            fields = {key: rng.choice(values) for key in keys}
            patch = {"op": "update", "mint": mint, "fields": fields}
        elif kind < 0.7 and mint in held:
            patch = {"op": "update", "mint": mint, "fields": {"n": f"N{version}", "mc": 5}}
        elif kind < 0.8:
            patch = {"op": "add", "mint": mint, "idx": rng.randint(0, 8), "fields": entry(mint)}
        elif kind < 0.9 and mint in held:
            patch = {"op": "move", "mint": mint, "idx": rng.randint(0, 8)}
        else:
            patch = {"op": "remove", "mint": mint}
        assert state.entries is not None  # (each entry read and kept, as after every message)
        was_sound = state._read.get(mint) is not None
        texts_before = texts_read
        message = routes.read_trenches(delta(version - 1, version, patch))
        assert message is not None
        assert state.apply(message) is BoardApply.APPLIED
        got, skipped = state.entries, state.skipped
        if patch["op"] == "update" and set(patch["fields"]) <= set(figures):
            # Only an entry that was absurd is read whole again (its name and symbol).
            assert texts_read - texts_before == (0 if was_sound else 2)
        fresh = BoardState("new")
        fresh.apply(BoardSnapshot("new", 1, None, [state._raw[m] for m in state.mints]))
        assert (got, skipped) == (fresh.entries, fresh.skipped)
