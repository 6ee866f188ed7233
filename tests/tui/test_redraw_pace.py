"""The store is redrawn at most once per `REDRAW_INTERVAL`, and at once after a quiet one: the
first data of a start (or a trade in a calm market) shows without waiting for the interval."""

from __future__ import annotations

import math

import pytest

from pumptui.tui.app import REDRAW_INTERVAL, redraw_delay


def test_the_first_redraw_comes_at_once() -> None:
    assert redraw_delay(-math.inf, now=100.0) == 0.0


def test_a_redraw_after_a_quiet_interval_comes_at_once() -> None:
    assert redraw_delay(100.0, now=100.0 + REDRAW_INTERVAL) == 0.0
    assert redraw_delay(100.0, now=160.0) == 0.0


def test_a_redraw_soon_after_another_waits_for_the_rest_of_the_interval() -> None:
    assert redraw_delay(100.0, now=100.05) == pytest.approx(REDRAW_INTERVAL - 0.05)
    assert redraw_delay(100.0, now=100.0) == pytest.approx(REDRAW_INTERVAL)
