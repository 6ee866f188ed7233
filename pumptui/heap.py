"""Give the memory the process freed back to the system, now and then.

Under a trade flood the app frees as much as it allocates, and its memory in use stays flat;
but glibc's allocator keeps freed pages for later instead of returning them, scattered between
live blocks where it cannot shrink the heap from its top, so the process's resident size climbs
for as long as it runs (the coin screen: +9.6 MB in 12 minutes with the memory in use flat).
`malloc_trim(0)` hands those pages back. It is called from a thread of its own, never from the
event loop: it holds the allocator's locks while it walks the heap, and ctypes lets go of the
GIL for the call, so the loop goes on meanwhile. Elsewhere than glibc (macOS, Windows, musl
without it) there is nothing to call and the trimmer does nothing.

Trimming alone still left the heap's free bytes climbing (about 2 MB every ten minutes on the
coin screen): glibc raises its mmap threshold each time a large mapped block is freed (up to
32 MB), so after start-up large short-lived blocks come from the heap too, and leave holes
between longer-lived ones that no trim can give back. The thread first pins the threshold at
glibc's own starting value, which also ends that raising: large blocks are mapped and unmapped
whole (the heap's free bytes: 1.4 MB after five minutes of a flood on the coin screen, against 7).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# Seconds between trims: what a flood frees in that time is a few megabytes at most, and a trim
# costs milliseconds of a thread that is asleep the rest of the time.
TRIM_INTERVAL = 30.0

# glibc's first mmap threshold: blocks this large or larger are mapped alone, unmapped when freed.
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h

Trim = Callable[[], object]


def _libc() -> object | None:
    try:
        import ctypes  # here, not at start-up: only the trimmer's thread needs it

        return ctypes.CDLL(None)  # the symbols already loaded: the C library's among them
    except (OSError, TypeError):  # no dlopen; Windows
        return None


def glibc_pin_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold at `threshold` bytes, which also stops glibc raising it;
    whether it was set (False where the C library has no `mallopt`)."""
    import ctypes

    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold))


def glibc_malloc_trim() -> Trim | None:
    """glibc's `malloc_trim(0)`, or None where the C library has none."""
    import ctypes

    malloc_trim = getattr(_libc(), "malloc_trim", None)
    if malloc_trim is None:
        return None
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    return lambda: malloc_trim(0)


class HeapTrimmer:
    """Trims the heap every `interval` seconds on a daemon thread from `start()` to `stop()`.

    On the thread, `pin` first settles the allocator (glibc's mmap threshold by default), then
    `find_trim` looks up the trim (glibc's by default; a None ends the thread at once); `trims`
    counts the trims made.
    """

    def __init__(
        self,
        interval: float = TRIM_INTERVAL,
        find_trim: Callable[[], Trim | None] = glibc_malloc_trim,
        pin: Callable[[], object] = glibc_pin_mmap_threshold,
    ) -> None:
        self.interval = interval
        self.trims = 0
        self._find_trim = find_trim
        self._pin = pin
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            return
        # Daemon: a trim in progress never holds up the process's exit.
        self._thread = threading.Thread(target=self._run, name="pumptui-heap-trim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end and wait for it (at most one trim's time)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        self._pin()
        trim = self._find_trim()
        if trim is None:
            return
        while not self._stopping.wait(self.interval):
            trim()
            self.trims += 1
