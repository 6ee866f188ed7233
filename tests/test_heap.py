"""The heap trimmer: the freed memory goes back to the system on a thread of its own."""

from __future__ import annotations

import ctypes
import platform
import subprocess
import sys
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


def test_the_allocator_is_pinned_once_on_the_thread_before_the_first_trim() -> None:
    events: list[tuple[str, int]] = []
    trimmer = HeapTrimmer(
        interval=0.01,
        find_trim=lambda: lambda: events.append(("trim", threading.get_ident())),
        pin=lambda: events.append(("pin", threading.get_ident())),
    )
    trimmer.start()
    wait_until(lambda: trimmer.trims >= 2)
    trimmer.stop()
    assert events[0][0] == "pin"
    assert [name for name, _ in events].count("pin") == 1
    assert len({thread for _, thread in events}) == 1
    assert events[0][1] != threading.get_ident()


# Run in a fresh interpreter: a pin is for the whole process, and this one's trimmers have pinned.
_MAPPED_AFTER_A_LARGER_FREE = """
import ctypes, sys
from pumptui.heap import glibc_pin_mmap_threshold

class MallInfo2(ctypes.Structure):  # all ten fields: glibc fills the whole struct
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd",
        "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "pin":
    assert glibc_pin_mmap_threshold()
# Larger than all the heap's free bytes, so no free chunk can serve it: it is mapped or it
# grows the heap, as the threshold says.
size = max(4 * 2**20, libc.mallinfo2().fordblks + 2**20)
# Unpinned, freeing this mapped block raises the threshold to its size.
libc.free(libc.malloc(2 * size))
mapped = libc.mallinfo2().hblks
block = libc.malloc(size)
print("mapped" if libc.mallinfo2().hblks == mapped + 1 else "heap")
libc.free(block)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
@pytest.mark.parametrize(("pin", "where"), [("pin", "mapped"), ("no-pin", "heap")])
def test_once_pinned_a_large_block_is_mapped_even_after_a_larger_one_was_freed(
    pin: str, where: str
) -> None:
    if not hasattr(ctypes.CDLL(None), "mallinfo2"):
        pytest.skip("glibc before 2.33")
    run = subprocess.run(
        [sys.executable, "-c", _MAPPED_AFTER_A_LARGER_FREE, pin],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == where
