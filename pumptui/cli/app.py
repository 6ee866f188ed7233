"""Plain `pumptui`: open the TUI on the configured server."""

from __future__ import annotations

import argparse
import sys


def run_app(args: argparse.Namespace) -> int:
    print("the TUI is not available yet; try `pumptui sim`", file=sys.stderr)
    return 2
