"""The compact per-coin series behind the trend column and the price-change filters."""

from __future__ import annotations

from pumptui.live.step_series import StepSeries

START = 1_780_000_020.0  # a 15 s step boundary


def test_each_step_keeps_its_latest_value_in_time_order_whatever_the_arrival_order() -> None:
    series = StepSeries(15.0, 10)
    for at, value in [(60, 1.0), (0, 4.0), (30, 2.0), (5, 3.0), (3, 5.0), (64, 6.0)]:
        series.put(START + at, value)
    assert series.points() == [(START + 5, 3.0), (START + 30, 2.0), (START + 64, 6.0)]
    assert series.last_time == START + 64
    assert len(series) == 3


def test_a_full_series_keeps_the_newest_steps_and_refuses_older_ones() -> None:
    series = StepSeries(15.0, 3)
    for n in range(5):
        series.put(START + 15 * n, float(n))
    assert [value for _, value in series.points()] == [2.0, 3.0, 4.0]
    series.put(START, 9.0)  # older than every step kept
    assert [value for _, value in series.points()] == [2.0, 3.0, 4.0]
    series.put(START + 15 * 2.5, 7.0)  # later in the oldest step kept (n = 2): replaces it
    assert series.points()[0] == (START + 37.5, 7.0)


def test_points_are_a_copy_the_series_can_change_under() -> None:
    series = StepSeries(15.0, 2)
    series.put(START, 1.0)
    held = series.points()
    series.put(START + 1, 2.0)
    series.put(START + 15, 3.0)
    series.put(START + 30, 4.0)
    assert held == [(START, 1.0)]
    assert series.points() == [(START + 15, 3.0), (START + 30, 4.0)]


def test_an_empty_series_has_no_last_time() -> None:
    series = StepSeries(15.0, 0)  # a capacity below one still keeps the latest step
    assert series.last_time is None
    assert series.points() == []
    series.put(START, 1.0)
    series.put(START + 15, 2.0)
    assert series.points() == [(START + 15, 2.0)]
