"""The heap trimmer: the freed memory goes back to the system on a thread of its own."""

from __future__ import annotations

import platform
import threading
import time
from collections.abc import Callable

import pytest

from pumptui.heap import HeapTrimmer, glibc_malloc_trim


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_trims_every_interval_on_its_own_thread_until_stopped() -> None:
    threads: list[int] = []
    trimmer = HeapTrimmer(
        interval=0.01, find_trim=lambda: lambda: threads.append(threading.get_ident())
    )
    trimmer.start()
    assert trimmer.running
    wait_until(lambda: trimmer.trims >= 3)
    trimmer.stop()
    assert not trimmer.running
    done = trimmer.trims
    time.sleep(0.05)
    assert trimmer.trims == done == len(threads)
    # One thread of its own, never the caller's (the app's event loop runs there).
    assert len(set(threads)) == 1
    assert threading.get_ident() not in threads


def test_stop_ends_a_wait_at_once_and_nothing_is_trimmed_before_the_first_interval() -> None:
    calls: list[float] = []
    trimmer = HeapTrimmer(interval=3600.0, find_trim=lambda: lambda: calls.append(1.0))
    trimmer.start()
    trimmer.stop()  # would hang for an hour if the wait could not be interrupted
    assert not trimmer.running
    assert calls == []


def test_where_there_is_nothing_to_call_the_thread_ends_at_once() -> None:
    trimmer = HeapTrimmer(interval=0.01, find_trim=lambda: None)
    trimmer.start()
    wait_until(lambda: not trimmer.running)
    assert trimmer.trims == 0
    trimmer.stop()


def test_a_second_start_does_not_start_a_second_thread() -> None:
    trimmer = HeapTrimmer(interval=3600.0, find_trim=lambda: lambda: None)
    trimmer.start()
    before = threading.active_count()
    trimmer.start()
    assert threading.active_count() == before
    trimmer.stop()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_glibc_trim_is_found_and_returns_what_it_gave_back() -> None:
    trim = glibc_malloc_trim()
    assert trim is not None
    assert trim() in (0, 1)  # 1: some memory went back to the system
