"""PumpSwap (`pump_amm`) maths in exact integers: where a coin trades after its curve completes.

A graduated coin's curve hands its real reserves to a constant-product pool: the SOL the curve
collected and the tokens kept back from it (the 206.9 M of the supply the curve never sold). The
curve's last price and the pool's first price then agree to within a rounding (the curve's
constants are chosen so), so the chart does not jump at graduation.

Trades follow x·y = k on the pool's real reserves: a buy pays `sol_in` lamports, fee included,
and receives `net · tokens / (sol + net)` (rounded down); a sell of `t` tokens receives
`t · sol / (tokens + t)` before the fee (rounded down). The fee (`FEE_BPS`, PumpSwap's 0.25 %
as publicly described; not measured here) is taken in SOL on both sides, as on the curve, and is
not added to the reserves: k moves only by the roundings, which always favour the pool.
"""

from __future__ import annotations

from dataclasses import dataclass

from pumptui.sim.curve import BPS, INITIAL_REAL_TOKENS, TOTAL_SUPPLY, BondingCurve, Fill

FEE_BPS = 25
# The tokens the curve never sold: they seed the pool at graduation.
RESERVED_TOKENS = TOTAL_SUPPLY - INITIAL_REAL_TOKENS


@dataclass(slots=True)
class ConstantProductPool:
    """A SOL/token pool. `sol` in lamports, `tokens` in raw 6-decimal units."""

    sol: int
    tokens: int
    fee_bps: int = FEE_BPS
    # What the pool started with: the tokens traders took out (or put back) since are
    # `initial_tokens - tokens`, which is what keeps the supply conserved.
    initial_tokens: int = 0

    @classmethod
    def from_curve(cls, curve: BondingCurve) -> ConstantProductPool:
        """The pool a completed curve migrates to: its real SOL and the reserved tokens."""
        if not curve.complete:
            raise ValueError("only a completed curve migrates")
        return cls(sol=curve.real_sol, tokens=RESERVED_TOKENS, initial_tokens=RESERVED_TOKENS)

    def buy(self, sol_in: int) -> Fill:
        """Spend `sol_in` lamports (fee included) on tokens."""
        if sol_in <= 0:
            raise ValueError("a buy spends a positive amount")
        net = sol_in * BPS // (BPS + self.fee_bps)
        tokens = net * self.tokens // (self.sol + net)
        if tokens <= 0 or tokens >= self.tokens:
            raise ValueError("amount too small (or too large) for this pool")
        fee = -(-net * self.fee_bps // BPS)
        self.sol += net
        self.tokens -= tokens
        return Fill(True, net, tokens, fee)

    def sell(self, tokens: int) -> Fill:
        """Sell `tokens` raw units into the pool."""
        if tokens <= 0:
            raise ValueError("a sell sells a positive amount")
        out = tokens * self.sol // (self.tokens + tokens)
        fee = -(-out * self.fee_bps // BPS)
        self.sol -= out
        self.tokens += tokens
        return Fill(False, out, tokens, fee)

    @property
    def price_sol(self) -> float:
        """Spot price, SOL per whole token."""
        return (self.sol / 1e9) / (self.tokens / 1e6)

    @property
    def market_cap_sol(self) -> float:
        return self.price_sol * (TOTAL_SUPPLY / 1e6)
