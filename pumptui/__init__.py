"""pumptui: the Pump.fun market, live, in your terminal."""

__version__ = "0.1.0"
