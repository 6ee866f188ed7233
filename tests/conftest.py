"""Shared fixtures: a real simulator on a free loopback port, stopped after each test."""

from __future__ import annotations

import functools
import inspect
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from pumptui.sim import MarketConfig, ServerConfig, SimServer
from pumptui.sim.market import Market
from tests.helpers.pilot import quicker_idle

quicker_idle()  # every Pilot pause and key press, in every package


def _scratch_in_memory() -> None:
    """Every test's files (`tmp_path`, the isolated user dirs below) on tmpfs where there is one.
    Each app under test creates its SQLite files (drafts, social state: WAL, synced) in a fresh
    data dir: about 60 ms of disk syncs each on these machines, 2 ms on tmpfs."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        tempfile.tempdir = str(shm)


_scratch_in_memory()

pytest_plugins = ["tests.helpers.keyrings"]

TUI_TESTS = Path(__file__).parent / "tui"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as slow, besides the tests marked by hand, every test that runs the app under
    Textual (the coroutine tests of `tests/tui`, driven by its pilot, and the snapshots: a
    Textual app each, most of the suite's time), so `-m "not slow"` is a first check of about a
    minute: the API, engine, store, simulator, rules, alerts and CLI, and the TUI's pure
    functions."""
    for item in items:
        function = getattr(item, "function", None)
        in_tui = TUI_TESTS in Path(str(item.fspath)).parents
        runs_the_app = inspect.iscoroutinefunction(function) or "snap_compare" in getattr(
            item, "fixturenames", ()
        )
        if function is not None and in_tui and runs_the_app:
            item.add_marker(pytest.mark.slow)


# Small, quiet and deterministic: a manual clock with a little history.
TEST_MARKET = MarketConfig(
    seed=7, clock="manual", warmup=120.0, launches_per_minute=6.0, trades_per_second=10.0, users=300
)
TEST_SERVER = ServerConfig(rate_limit=100_000, rate_limit_window=60.0)


@functools.cache
def _warmed_up(config: MarketConfig) -> bytes:
    return pickle.dumps(Market(config), protocol=pickle.HIGHEST_PROTOCOL)


def built_market(config: MarketConfig) -> Market | None:
    """A copy of the market `config` builds (its warm-up, ~90 ms of CPU, done once per process
    and configuration; the copy takes ~8 ms), or None for a real clock, which starts at the
    wall-clock time."""
    if config.clock != "manual":
        return None
    market = pickle.loads(_warmed_up(config))
    assert isinstance(market, Market)
    return market


@pytest.fixture
def sim_factory() -> Iterator[Callable[..., SimServer]]:
    started: list[SimServer] = []

    def make(
        market: MarketConfig | None = None,
        server: ServerConfig | None = None,
        **market_overrides: object,
    ) -> SimServer:
        config = replace(market or TEST_MARKET, **market_overrides)  # type: ignore[arg-type]
        sim = SimServer(config, server or TEST_SERVER, built=built_market(config)).start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


@pytest.fixture
def sim(sim_factory: Callable[..., SimServer]) -> SimServer:
    return sim_factory()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's config, data or token."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PUMPTUI_CONFIG", str(base / "config.toml"))
    monkeypatch.setenv("PUMPTUI_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "xdg-data"))
    monkeypatch.delenv("PUMPTUI_TOKEN", raising=False)
    monkeypatch.delenv("PUMPTUI_API_URL", raising=False)
    # A UTF-8 terminal, whatever runs the tests: what the screens draw with follows TERM and the
    # locale (pumptui.tui.glyphs), and snapshots are of the Unicode set.
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
