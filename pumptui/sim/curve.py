"""Pump.fun bonding-curve maths in exact integers (lamports, raw 6-decimal token units).

Follows the program docs quoted in pumpfun-api.md: constant product on the *virtual* reserves,
a fee taken in SOL on both sides, real reserves moving by the same amounts as virtual ones, and
graduation when the real token reserves run out.
"""

from __future__ import annotations

from dataclasses import dataclass

LAMPORTS_PER_SOL = 1_000_000_000
RAW_PER_TOKEN = 1_000_000
INITIAL_VIRTUAL_SOL = 30_000_000_000
INITIAL_VIRTUAL_TOKENS = 1_073_000_000_000_000
INITIAL_REAL_TOKENS = 793_100_000_000_000
TOTAL_SUPPLY = 1_000_000_000_000_000
FEE_BPS = 100
BPS = 10_000


class CurveComplete(Exception):
    """The curve graduated: trading has moved off it."""


@dataclass(frozen=True, slots=True)
class Fill:
    """One executed trade. `sol_amount` is what moved into or out of the curve (fee excluded);
    `fee` is what the trader paid on top (buy) or had withheld (sell)."""

    is_buy: bool
    sol_amount: int
    token_amount: int
    fee: int

    @property
    def trader_sol(self) -> int:
        """SOL leaving (buy) or reaching (sell) the trader's wallet."""
        return self.sol_amount + self.fee if self.is_buy else self.sol_amount - self.fee


@dataclass(slots=True)
class BondingCurve:
    virtual_sol: int = INITIAL_VIRTUAL_SOL
    virtual_tokens: int = INITIAL_VIRTUAL_TOKENS
    real_sol: int = 0
    real_tokens: int = INITIAL_REAL_TOKENS
    fee_bps: int = FEE_BPS
    complete: bool = False

    # -- quotes ---------------------------------------------------------------------------

    def tokens_for_sol(self, sol_in: int) -> tuple[int, int]:
        """(tokens out, SOL net of fee) for a buy paying `sol_in` lamports, before the cap."""
        net = sol_in * BPS // (BPS + self.fee_bps)
        tokens = net * self.virtual_tokens // (self.virtual_sol + net)
        return tokens, net

    def sol_for_tokens(self, tokens: int) -> int:
        """Lamports the curve must receive (fee excluded) to release exactly `tokens`."""
        if tokens >= self.virtual_tokens:
            raise ValueError("cannot buy the whole virtual supply")
        # ceil(tokens * vSol / (vTok - tokens))
        return -(-tokens * self.virtual_sol // (self.virtual_tokens - tokens))

    # -- trades ---------------------------------------------------------------------------

    def buy(self, sol_in: int) -> Fill:
        """Spend up to `sol_in` lamports (fee included). Capped at the real tokens left, in which
        case the trader pays only what the remaining tokens cost and the curve completes."""
        if self.complete:
            raise CurveComplete
        if sol_in <= 0:
            raise ValueError("a buy spends a positive amount")
        tokens, net = self.tokens_for_sol(sol_in)
        if tokens >= self.real_tokens:
            tokens = self.real_tokens
            net = self.sol_for_tokens(tokens)
        if tokens <= 0:
            raise ValueError("amount too small to buy any token")
        fee = -(-net * self.fee_bps // BPS)
        self.virtual_sol += net
        self.real_sol += net
        self.virtual_tokens -= tokens
        self.real_tokens -= tokens
        if self.real_tokens == 0:
            self.complete = True
        return Fill(True, net, tokens, fee)

    def sell(self, tokens: int) -> Fill:
        """Sell `tokens` raw units back to the curve."""
        if self.complete:
            raise CurveComplete
        if tokens <= 0:
            raise ValueError("a sell sells a positive amount")
        out = tokens * self.virtual_sol // (self.virtual_tokens + tokens)
        out = min(out, self.real_sol)
        fee = -(-out * self.fee_bps // BPS)
        self.virtual_sol -= out
        self.real_sol -= out
        self.virtual_tokens += tokens
        self.real_tokens += tokens
        return Fill(False, out, tokens, fee)

    # -- views ----------------------------------------------------------------------------

    @property
    def price_sol(self) -> float:
        """Spot price, SOL per whole token."""
        return (self.virtual_sol / LAMPORTS_PER_SOL) / (self.virtual_tokens / RAW_PER_TOKEN)

    @property
    def market_cap_sol(self) -> float:
        return self.price_sol * (TOTAL_SUPPLY / RAW_PER_TOKEN)

    @property
    def progress(self) -> float:
        return 1.0 - self.real_tokens / INITIAL_REAL_TOKENS


def graduation_market_cap_sol() -> float:
    """Market cap at which a fresh curve completes (≈ 410.9 SOL)."""
    curve = BondingCurve()
    k = curve.virtual_sol * curve.virtual_tokens
    end_tokens = INITIAL_VIRTUAL_TOKENS - INITIAL_REAL_TOKENS
    return (k / end_tokens / LAMPORTS_PER_SOL) / (end_tokens / RAW_PER_TOKEN) * 1e9
