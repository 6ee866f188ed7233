"""The embedded Pump.fun simulator: a seeded market behind a server speaking the real API.

Knows nothing of Textual or of pumptui's client, so the client's tests against it mean something.
"""

from pumptui.sim.clock import SimClock
from pumptui.sim.curve import BondingCurve, Fill
from pumptui.sim.faults import FaultPlan
from pumptui.sim.market import Market, MarketConfig
from pumptui.sim.runner import (
    ADMIN_ADDRESS,
    ADMIN_KEYPAIR,
    USER_ADDRESS,
    USER_KEYPAIR,
    SimServer,
    keypair_from_seed,
)
from pumptui.sim.server import ServerConfig

__all__ = [
    "ADMIN_ADDRESS",
    "ADMIN_KEYPAIR",
    "USER_ADDRESS",
    "USER_KEYPAIR",
    "BondingCurve",
    "FaultPlan",
    "Fill",
    "Market",
    "MarketConfig",
    "ServerConfig",
    "SimClock",
    "SimServer",
    "keypair_from_seed",
]
