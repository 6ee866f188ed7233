"""The TUI under a flood: key latency, CPU, memory and terminal bytes, beside a naive baseline.

The simulator runs in this process with one hot coin trading at `--trades-per-second` (200 by
default), started afresh from the same seed for each contender. Each contender is the real app,
run in a child process on a real pseudo-terminal of 120×36 cells (TERM=xterm-256color, as over
SSH where COLORTERM is rarely forwarded), talking to the simulator over loopback HTTP through the
real client and live engine, with the hot coin's screen open (or, with `--screen home`, the Home
screen; with `--screen trenches`, the trenches screen, its three boards pushed over their sockets
at the rate the real indexer sends them: about one delta a second per board while it changes).
This process reads everything the app writes to
the terminal; for the first half of the measured window it only watches, for the second half it
types `t` (next candle timeframe; `s`, next sort, on Home; →, next column, on the trenches) twice
a second.

Printed for each contender:
- key latency p50 / p95: from writing the key to the pty until the app has written the first frame
  after the key's action finished (the frame that shows the new timeframe), and its four parts:
  waiting for the app to read the key, the action, waiting for that frame to begin (the frame
  timer, and whatever else the app ran meanwhile), then drawing and writing it; and the mean
  of each part over the slowest 5 % of keys (what the p95 is made of);
- CPU share of the app process (user + system time / wall time) over the measured window;
- RSS when the window opens, after its first minute and at the end, and the peak (VmHWM); with a
  window of three minutes or more, RSS at each of its minutes: flat means bounded memory; with
  ten minutes or more, the key p95 in each five minutes (one that climbs: an app that slows as
  its data grows) and how much RSS rose over the last ten (the least-squares line through
  those minutes, against the target "flat": under half a megabyte);
- bytes written to the terminal per second while watching (what an SSH link must carry; typing
  adds a redraw per key on top);
- on the trenches screen, the board deltas the simulator sent a second over the window, per board
  (the load the screen was under);
- on Home, the rows of its coin table at the first and the last key: a re-sort's frame grows with
  the rows on screen.

The simulated market is `--history` minutes old when the app starts: 60 by default, so Home shows
a full screen of coins from the first key, as on the real service (a market 2 minutes old gives a
table of about 15 rows, which fills only as coins launch: a lighter Home than users have).

The baseline is the same app without the shell's flood control, done the way the guides'
event-driven poller does it (seeds/001, "Event-driven updates": one callback per trade): every
engine event is delivered to the screen as its own redraw message, none is coalesced.

With `--code DIR` a third contender, "before", is the app from another checkout (main's, say)
run against the same simulator in the same run: the figures of a change beside those of the code
it changes. The machine's load weighs on every contender alike, but say what else ran beside them.

With PUMPTUI_UI_PROFILE=FILE in the environment each child runs under cProfile and leaves its
pstats in FILE (the last contender's; use `--only`): slower, for where the time goes, not figures.

With PUMPTUI_UI_LAYOUTS=FILE each child counts the whole-screen relayouts it asked for, by the
widget class and the line of our code that asked (the most expensive thing a frame can do), and
writes the counts to FILE as JSON.

With PUMPTUI_UI_TRACEMALLOC=FILE each child traces Python's allocations and writes to FILE
what it held at the end beyond what it held at the first key, by call stack: who owns the
memory the typing half added. Much slower (key latency and CPU mean nothing then). With
PUMPTUI_UI_TRACE_AFTER=SECONDS too, growth is counted from that long after the first key (once
the store is full, say: what grows in the steady state); PUMPTUI_UI_TRACE_FRAMES=N keeps N
frames of each stack (12 by default; fewer slow the app less).

With PUMPTUI_UI_HEAP=FILE each child appends to FILE every 30 s (JSON lines) its RSS, Python's
allocated blocks, C's allocator in use and free, its objects by type and its big `lru_cache`s:
far lighter than tracing (one pass over the objects), to see what grows and when.

With `--push` both listen to the simulator's WebSocket as `pumptui demo` does (every trade of the
coin arrives the moment it is made, one event each); without it they poll (up to a page a poll).

    .venv/bin/python benchmarks/ui.py [--minutes 10] [--trades-per-second 200] [--only pumptui]
                                      [--screen coin|home|trenches] [--push] [--code DIR]
                                      [--contenders before,pumptui] [--history 60]
                                      [--launches 16]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COLUMNS, ROWS = 120, 36
# What to type on each screen, and the action that key runs (whose frame is waited for).
KEYS = {
    "coin": (b"t", "cycle_timeframe"),
    "home": (b"s", "cycle_sort"),
    "trenches": (b"\x1b[C", "next_board"),  # the right arrow
}
KEY_INTERVAL = 0.5
WARMUP_SECONDS = 15.0
CONTENDERS = ("naive", "before", "pumptui")
# "RSS flat over 10 minutes": the rise over the window's last ten minutes stays under the jitter
# of one sample (a heap trim or the allocator moves RSS by about half a megabyte either way).
RSS_TREND_MINUTES = 10
RSS_FLAT_MB = 0.5


# -- the child: one contender on the pty ---------------------------------------------------------


def run_child(
    variant: str, url: str, mint: str, out: str, screen: str, push: bool, code: str | None
) -> None:
    """Run the app on this process's terminal and record action and frame times."""
    if code:
        # "before": the pumptui of another checkout, imported ahead of this one.
        sys.path.insert(0, str(Path(code).resolve()))
    from textual._compositor import Compositor

    from pumptui.config import Settings
    from pumptui.live.events import Event
    from pumptui.tui import messages
    from pumptui.tui.app import PumpApp
    from pumptui.tui.services import AppServices, MemoryWatchlist

    # The default budgets (swap-api 15/min, 24/min per v3 group): what a user runs with.
    settings = Settings().with_api_urls(url)
    if push:
        settings = settings.with_push_url("auto")
    services = AppServices.connect(settings, watchlist=MemoryWatchlist(), sim_mode=True)

    class NaiveApp(PumpApp):
        """The guides' way: one redraw message per event, nothing coalesced."""

        def _note_event(self, event: Event) -> None:
            super()._note_event(event)
            self.screen.post_message(messages.StoreUpdated(self.services.store.version))

        def schedule_redraw(self) -> None:
            return

    if variant == "naive":
        messages.StoreUpdated.can_replace = lambda self, message: False  # type: ignore[method-assign]
        app: PumpApp = NaiveApp(services)
    else:
        app = PumpApp(services)

    actions: list[float] = []
    action_starts: list[float] = []
    frames: list[float] = []
    # The rows of the screen's coin table at each key (Home's grows as coins launch).
    rows: list[int] = []
    display = app._display
    dispatch = app._dispatch_action

    # Only the first frame after each key's action is kept (its time, and when its drawing
    # began: the compositor's render of the screen's changes). That frame is the key's answer;
    # keeping every frame's times would grow the child's memory with the run (about 1 MB in
    # 30 minutes), and RSS is one of the figures.
    drawn_from: list[float] = []
    render_began: float | None = None  # the render of the frame about to be shown, if any
    render_update = Compositor.render_update
    answered = 0  # the keys' actions whose frame is kept

    def timed_render(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        nonlocal render_began
        started = time.monotonic()
        update = render_update(self, *args, **kwargs)
        if update is not None:
            render_began = started
        return update

    Compositor.render_update = timed_render  # type: ignore[method-assign]

    def timed_display(screen: Any, renderable: Any) -> None:
        nonlocal answered, render_began
        display(screen, renderable)
        if renderable is None:
            return
        shown = time.monotonic()
        # (A frame not from `render_update`, such as the first, began when it was shown.)
        began = shown if render_began is None else render_began
        render_began = None
        if answered < len(actions):
            answered = len(actions)
            frames.append(shown)
            drawn_from.append(began)

    traced_to = os.environ.get("PUMPTUI_UI_TRACEMALLOC")
    # From how long after the first key the growth is counted (to leave out a store filling).
    traced_after = float(os.environ.get("PUMPTUI_UI_TRACE_AFTER", "0"))
    traced_from: list[Any] = []  # the snapshot growth is counted from

    async def timed_dispatch(namespace: Any, action_name: str, params: Any) -> bool:
        started = time.monotonic()
        result = await dispatch(namespace, action_name, params)
        if action_name == KEYS[screen][1]:
            first_key = actions[0] if actions else started
            if traced_to and not traced_from and started - first_key >= traced_after:
                traced_from.append(_traced_now())
            action_starts.append(started)
            actions.append(time.monotonic())
            table = getattr(app.screen, "table", None)
            rows.append(getattr(table, "row_count", 0))
        return result

    app._display = timed_display  # type: ignore[method-assign]
    app._dispatch_action = timed_dispatch  # type: ignore[method-assign]
    if screen == "coin":
        app.call_later(app.open_coin, mint)
    elif screen == "trenches":
        app.call_later(app.action_go_trenches)
    layouts_to = os.environ.get("PUMPTUI_UI_LAYOUTS")
    layouts = _count_layouts() if layouts_to else {}
    if traced_to:
        _start_tracing()
    heap_to = os.environ.get("PUMPTUI_UI_HEAP")
    if heap_to:
        _sample_heap(heap_to)
    profile_to = os.environ.get("PUMPTUI_UI_PROFILE")
    if profile_to:
        # `PUMPTUI_UI_PROFILE=FILE`: the child's whole run under cProfile (pstats dump in FILE).
        import cProfile

        cProfile.runctx("app.run()", globals(), {"app": app}, profile_to)
    else:
        app.run()
    times = {
        "actions": actions,
        "action_starts": action_starts,
        "frames": frames,
        "drawn_from": drawn_from,
        "rows": rows,
    }
    Path(out).write_text(json.dumps(times))
    if layouts_to:
        ranked = sorted(layouts.items(), key=lambda item: -item[1])
        Path(layouts_to).write_text(json.dumps(dict(ranked), indent=1))
    if traced_to and traced_from:
        _write_growth(traced_from[0], traced_to)


def _start_tracing() -> None:
    """`PUMPTUI_UI_TRACEMALLOC=FILE`: trace Python's allocations, each by its call stack.
    Slows the app a good deal: for finding owners, not for figures."""
    import tracemalloc

    tracemalloc.start(int(os.environ.get("PUMPTUI_UI_TRACE_FRAMES", "12")))


def _traced_now() -> Any:
    import gc
    import tracemalloc

    gc.collect()
    return tracemalloc.take_snapshot()


def _write_growth(start: Any, to: str) -> None:
    """Write to `to` what is held now beyond the snapshot `start` (from the first key on, or later),
    where it was allocated, largest first: what the typing half added."""
    end = _traced_now()
    held_then = sum(stat.size for stat in start.statistics("filename")) / 2**20
    held_now = sum(stat.size for stat in end.statistics("filename")) / 2**20
    lines = [
        f"Python's allocations held: {held_then:.1f} MiB when counting began, "
        f"{held_now:.1f} MiB at the end; where the difference was allocated, largest first:"
    ]
    for stat in end.compare_to(start, "traceback")[:30]:
        lines.append(f"\n{stat.size_diff / 1024:+,.0f} KiB in {stat.count_diff:+,} blocks")
        lines.extend(f"    {frame}" for frame in reversed(stat.traceback))
    Path(to).write_text("\n".join(lines) + "\n")


def _sample_heap(to: str, every: float = 30.0) -> None:
    """`PUMPTUI_UI_HEAP=FILE`: every `every` seconds, append to FILE (JSON lines) RSS, the blocks
    Python holds, what C's allocator holds in use and free, the objects made since start-up by
    type (the app freezes those of its start-up, out of the collector's sight), the
    `lru_cache`s holding over 200 entries and the modules imported since the last sample. Tells
    a heap that grows from an allocator that keeps what was freed (RSS up, blocks flat, free
    bytes up), and by what."""
    import ctypes
    import gc
    import threading
    from collections import Counter

    class MallInfo2(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in (
                "arena",
                "ordblks",
                "smblks",
                "hblks",
                "hblkhd",
                "usmblks",
                "fsmblks",
                "uordblks",
                "fordblks",
                "keepcost",
            )
        ]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2

    modules = set(sys.modules)

    def sample() -> None:
        started = time.monotonic()
        while True:
            time.sleep(every)
            info = libc.mallinfo2()
            objects = gc.get_objects()
            types = Counter(type(o).__name__ for o in objects)
            del objects
            record = {
                "t": round(time.monotonic() - started),
                "rss_mb": _proc_status_kb(os.getpid(), "VmRSS") / 1024,
                "py_blocks": sys.getallocatedblocks(),
                "malloc_used_mb": info.uordblks / 2**20,
                "malloc_free_mb": info.fordblks / 2**20,
                "mmap_mb": info.hblkhd / 2**20,
                "objects": sum(types.values()),
                "types": dict(types.most_common(40)),
                "caches": _big_lru_caches(),
                # A module first imported late holds memory from then on: not growth.
                "imported": sorted(set(sys.modules) - modules),
            }
            modules.update(sys.modules)
            with open(to, "a") as out:
                out.write(json.dumps(record) + "\n")

    threading.Thread(target=sample, daemon=True).start()


def _big_lru_caches(over: int = 200) -> dict[str, int]:
    """The `lru_cache`s of loaded modules' functions and classes holding over `over` entries.
    (Looked up by module: the app freezes its start-up objects, which `gc.get_objects` skips.)"""
    import functools

    found: dict[str, int] = {}
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            inside = list(vars(value).values()) if isinstance(value, type) else [value]
            for candidate in inside:
                cached = getattr(candidate, "__func__", candidate)  # a classmethod's function
                if isinstance(cached, functools._lru_cache_wrapper):
                    size = cached.cache_info().currsize
                    if size > over:
                        found[f"{cached.__module__}.{cached.__qualname__}"] = size
    return found


def _count_layouts() -> dict[str, int]:
    """Count each `refresh(layout=True)` by widget class and the first caller in pumptui."""
    from textual.widget import Widget

    counts: dict[str, int] = {}
    refresh = Widget.refresh

    def counted(self: Widget, *regions: Any, layout: bool = False, **kwargs: Any) -> Any:
        if layout and self.is_mounted:
            frame = sys._getframe(1)
            while frame is not None and "/pumptui/" not in frame.f_code.co_filename:
                frame = frame.f_back  # type: ignore[assignment]
            where = (
                "textual"
                if frame is None
                else f"{frame.f_code.co_filename.rsplit('/pumptui/', 1)[1]}:{frame.f_lineno}"
            )
            key = f"{type(self).__name__} <- {where}"
            counts[key] = counts.get(key, 0) + 1
        return refresh(self, *regions, layout=layout, **kwargs)

    Widget.refresh = counted  # type: ignore[method-assign]
    return counts


# -- the parent: drive a child and measure it ----------------------------------------------------


@dataclass
class Measurement:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    cpu_share: float = 0.0
    rss_end_mb: float = 0.0
    rss_peak_mb: float = 0.0
    # RSS when the window opens and after each of its minutes.
    rss_by_minute_mb: list[float] = field(default_factory=list)
    bytes_per_second: float = 0.0
    # Where a key's latency goes: waiting for the app to read it, its action, then the frame.
    waits_ms: list[float] = field(default_factory=list)
    action_ms: list[float] = field(default_factory=list)
    # From the action's end to its frame: waiting for the frame to begin (the frame timer,
    # and whatever else the app ran meanwhile), then drawing and writing it.
    frame_wait_ms: list[float] = field(default_factory=list)
    drawing_ms: list[float] = field(default_factory=list)
    keys_sent: int = 0
    keys_seen: int = 0
    # The screen's coin table's rows at the first and the last key (Home fills as coins launch).
    rows_first: int | None = None
    rows_last: int | None = None
    # Board -> deltas the simulator sent a second over the measured window (trenches screen).
    board_deltas: dict[str, float] = field(default_factory=dict)

    @property
    def rss_start_mb(self) -> float | None:
        return self.rss_by_minute_mb[0] if self.rss_by_minute_mb else None

    @property
    def rss_first_minute_mb(self) -> float | None:
        return self.rss_by_minute_mb[1] if len(self.rss_by_minute_mb) > 1 else None

    def rss_trend_mb(self, minutes: int = RSS_TREND_MINUTES) -> float | None:
        """How much RSS rose over the window's last `minutes` (MB), read off the least-squares
        line through their samples, so one sample's jitter (a heap trim, the allocator) does not
        decide it; None for a shorter window."""
        samples = self.rss_by_minute_mb[-(minutes + 1) :]
        if len(samples) < minutes + 1:
            return None
        middle = minutes / 2
        mean = sum(samples) / len(samples)
        spread = sum((x - middle) ** 2 for x in range(len(samples)))
        slope = sum((x - middle) * (y - mean) for x, y in enumerate(samples)) / spread
        return slope * minutes

    def percentile(self, q: float, figures: list[float] | None = None) -> float | None:
        figures = self.latencies_ms if figures is None else figures
        if not figures:
            return None
        ordered = sorted(figures)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _proc_status_kb(pid: int, field_name: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def measure(
    variant: str,
    url: str,
    mint: str,
    seconds: float,
    screen: str,
    push: bool,
    code: str | None = None,
    board_versions: Callable[[], dict[str, int]] | None = None,
) -> Measurement:
    """`board_versions` reads the simulator's board versions (one per delta sent)."""
    result = Measurement(variant)
    versions_at_start: dict[str, int] = {}
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "times.json")
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "PUMPTUI_DATA_DIR": tmp,
            "PUMPTUI_CONFIG": str(Path(tmp) / "none.toml"),
        }
        env.pop("COLORTERM", None)
        env.pop("NO_COLOR", None)
        child = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                variant,
                "--url",
                url,
                "--mint",
                mint,
                "--out",
                out,
                "--screen",
                screen,
                *(["--push"] if push else []),
                *(["--code", code] if code else []),
            ],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        started = time.monotonic()
        window_start = started + WARMUP_SECONDS
        window_end = window_start + seconds
        # First half: only watch (the bytes a trader's link carries); second half: type.
        typing_from = window_start + seconds / 2
        sent: list[float] = []
        counted = 0
        cpu_at_start: float | None = None
        next_key = typing_from
        next_rss = window_start

        tail = bytearray()

        def pump(timeout: float) -> int:
            readable, _, _ = select.select([master], [], [], timeout)
            if not readable:
                return 0
            try:
                data = os.read(master, 65536)
            except OSError:
                return 0
            tail.extend(data)
            del tail[:-4000]
            return len(data)

        while (now := time.monotonic()) < window_end and child.poll() is None:
            if cpu_at_start is None and now >= window_start:
                cpu_at_start = _cpu_seconds(child.pid)
                versions_at_start = board_versions() if board_versions else {}
            if now >= next_key:
                os.write(master, KEYS[screen][0])
                sent.append(time.monotonic())
                next_key += KEY_INTERVAL
            if now >= next_rss:
                result.rss_by_minute_mb.append(_proc_status_kb(child.pid, "VmRSS") / 1024)
                next_rss += 60.0
            got = pump(min(0.05, max(0.0, next_key - time.monotonic())))
            if window_start <= time.monotonic() < typing_from:
                counted += got
        wall = time.monotonic() - window_start
        if board_versions is not None:
            result.board_deltas = {
                board: (version - versions_at_start.get(board, version)) / max(wall, 1e-9)
                for board, version in board_versions().items()
            }
        result.cpu_share = (_cpu_seconds(child.pid) - (cpu_at_start or 0.0)) / max(wall, 1e-9)
        result.rss_end_mb = _proc_status_kb(child.pid, "VmRSS") / 1024
        result.rss_peak_mb = _proc_status_kb(child.pid, "VmHWM") / 1024
        result.bytes_per_second = counted / max(min(wall, typing_from - window_start), 1e-9)
        os.write(master, b"q")
        # (Traced, the app takes its last snapshot and compares it as it quits: minutes.)
        deadline = time.monotonic() + (600 if os.environ.get("PUMPTUI_UI_TRACEMALLOC") else 20)
        while child.poll() is None and time.monotonic() < deadline:
            pump(0.1)
        if child.poll() is None:
            print(f"{variant} did not quit; killed", file=sys.stderr)
            child.kill()
        elif child.returncode:
            text = tail.decode(errors="replace")
            print(f"{variant} exited with {child.returncode}:\n{text[-1500:]}", file=sys.stderr)
        os.close(master)
        try:
            times = json.loads(Path(out).read_text())
        except (OSError, ValueError):
            times = {"actions": [], "frames": []}
        if not times["actions"]:
            # The app can crash to its error screen and still exit 0: say so, not just zeros.
            text = tail.decode(errors="replace")
            print(
                f"{variant} ran no key action: it crashed or quit early; its last output:\n"
                f"{text[-1500:]}",
                file=sys.stderr,
            )
    result.keys_sent = len(sent)
    result.keys_seen = len(times["actions"])
    rows = times.get("rows") or []
    if rows and any(rows):
        result.rows_first, result.rows_last = rows[0], rows[-1]
    frames = times["frames"]
    drawn_from = times.get("drawn_from") or frames
    frame_index = 0
    starts = times.get("action_starts") or times["actions"]
    for sent_at, began_at, done_at in zip(sent, starts, times["actions"], strict=False):
        while frame_index < len(frames) and frames[frame_index] < done_at:
            frame_index += 1
        if frame_index < len(frames):
            result.latencies_ms.append((frames[frame_index] - sent_at) * 1000)
            result.waits_ms.append((began_at - sent_at) * 1000)
            result.action_ms.append((done_at - began_at) * 1000)
            began_drawing = max(done_at, drawn_from[frame_index])
            result.frame_wait_ms.append((began_drawing - done_at) * 1000)
            result.drawing_ms.append((frames[frame_index] - began_drawing) * 1000)
    return result


def report(results: list[Measurement], seconds: float, tps: float, screen: str, push: bool) -> None:
    where = {
        "coin": "with the hot coin's screen open",
        "home": "on Home",
        "trenches": "on the trenches screen",
    }[screen]
    where += ", pushed" if push else ", polled"
    print(
        f"\nUI under {tps:g} trades/s {where}, {COLUMNS}x{ROWS}, "
        f"{seconds / 60:g} min measured after {WARMUP_SECONDS:g} s warm-up\n"
    )
    header = (
        f"{'':10} {'key p50':>9} {'key p95':>9} {'keys':>9} {'CPU':>6} "
        f"{'RSS start':>9} {'RSS 1min':>9} {'RSS end':>8} {'RSS peak':>9} {'term B/s':>10}"
    )
    print(header)
    print("-" * len(header))

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}ms"

    def mb(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f}MB"

    for m in results:
        print(
            f"{m.name:10} {ms(m.percentile(0.5)):>9} {ms(m.percentile(0.95)):>9} "
            f"{m.keys_seen:>4}/{m.keys_sent:<4} {m.cpu_share * 100:>5.0f}% "
            f"{mb(m.rss_start_mb):>9} {mb(m.rss_first_minute_mb):>9} {mb(m.rss_end_mb):>8} "
            f"{mb(m.rss_peak_mb):>9} "
            f"{m.bytes_per_second:>10,.0f}"
        )
    print(
        "\nkey latency, p50 / p95: waiting to be read · the action · waiting for its frame · "
        "drawing it"
    )
    for m in results:
        parts = (m.waits_ms, m.action_ms, m.frame_wait_ms, m.drawing_ms)
        print(
            f"{m.name:10} "
            + " · ".join(
                f"{ms(m.percentile(0.5, part))} / {ms(m.percentile(0.95, part))}" for part in parts
            )
        )
    print("the slowest 5 % of keys, mean of each part (what the tail is made of)")
    for m in results:
        slowest = sorted(range(len(m.latencies_ms)), key=m.latencies_ms.__getitem__)
        tail = slowest[len(slowest) - max(1, len(slowest) // 20) :] if slowest else []
        parts = (m.waits_ms, m.action_ms, m.frame_wait_ms, m.drawing_ms)
        print(
            f"{m.name:10} "
            + " · ".join(
                ms(sum(part[i] for i in tail) / len(tail)) if tail else "—" for part in parts
            )
        )
    if seconds >= 180:
        print("\nRSS (MB) at each minute of the window")
        for m in results:
            print(f"{m.name:10} " + " ".join(f"{mb:.0f}" for mb in m.rss_by_minute_mb))
        if seconds >= RSS_TREND_MINUTES * 60:
            # Printed for every contender, so a run of one (`--only before`) reports it too.
            print(
                f"rise over the last {RSS_TREND_MINUTES} minutes (the least-squares line "
                "through each minute's RSS)"
            )
            for m in results:
                trend = m.rss_trend_mb()
                print(f"{m.name:10} " + ("—" if trend is None else f"{trend:+.2f} MB"))
    if seconds >= 600:
        # Keys go at a steady rate, so equal slices of them are equal stretches of time: a
        # p95 that climbs from slice to slice is an app that slows as its data grows.
        print("\nkey p95 (ms) in each five minutes of the window")
        slices = max(1, round(seconds / 300))
        for m in results:
            size = max(1, -(-len(m.latencies_ms) // slices))
            stretches = [m.latencies_ms[i : i + size] for i in range(0, len(m.latencies_ms), size)]
            print(f"{m.name:10} " + " ".join(ms(m.percentile(0.95, s)) for s in stretches))
    ours = next((m for m in results if m.name == "pumptui"), None)
    if ours is not None:
        p95 = ours.percentile(0.95)
        verdict = "meets" if p95 is not None and p95 <= 50 else "misses"
        print(f"\ntarget: key p95 ≤ 50 ms — pumptui {verdict} it ({ms(p95)})")
        if screen in ("home", "trenches"):
            verdict = "meets" if ours.cpu_share <= 0.10 else "misses"
            print(
                f"target: {screen.title()} ≤ 10 % CPU — pumptui {verdict} it ({ours.cpu_share:.0%})"
            )
        else:
            verdict = "meets" if ours.bytes_per_second <= 50 * 1024 else "misses"
            print(
                f"target: coin screen ≤ 50 KiB/s to the terminal — pumptui {verdict} it "
                f"({ours.bytes_per_second / 1024:.1f} KiB/s)"
            )
        if ours.board_deltas:
            rates = ", ".join(f"{b} {r:.2f}/s" for b, r in ours.board_deltas.items())
            print(f"board deltas sent (the real indexer: about 1/s per board): {rates}")
        if ours.rows_first is not None:
            print(
                f"coin table rows: {ours.rows_first} at the first key, {ours.rows_last} at the last"
            )
        trend = ours.rss_trend_mb()
        if trend is not None:
            verdict = "meets" if trend < RSS_FLAT_MB else "misses"
            print(
                f"target: RSS flat over {RSS_TREND_MINUTES} minutes — pumptui {verdict} it "
                f"({trend:+.2f} MB over the last {RSS_TREND_MINUTES}; flat: under {RSS_FLAT_MB} MB)"
            )
        if ours.rss_first_minute_mb:
            growth = ours.rss_end_mb - ours.rss_first_minute_mb
            print(f"RSS growth after the first minute: {growth:+.1f} MB")
        print(
            f"terminal output: {ours.bytes_per_second / 1024:.1f} KiB/s "
            f"({ours.bytes_per_second * 8 / 1000:.0f} kbit/s on the wire before SSH compression)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--trades-per-second", type=float, default=200.0)
    parser.add_argument("--only", choices=CONTENDERS, help="measure one contender")
    parser.add_argument(
        "--contenders",
        help="comma-separated subset of: " + ", ".join(CONTENDERS) + " (default: all it can run)",
    )
    parser.add_argument(
        "--code",
        metavar="DIR",
        help='also measure the pumptui in this checkout, as "before" (e.g. main\'s code)',
    )
    parser.add_argument(
        "--screen",
        choices=tuple(KEYS),
        default="coin",
        help="the screen kept open (default: coin; home types s, trenches → instead of t)",
    )
    parser.add_argument(
        "--push",
        action="store_true",
        help="take the trades from the simulator's WebSocket, as the demo does",
    )
    parser.add_argument(
        "--history",
        type=float,
        default=60.0,
        metavar="MINUTES",
        help="the market's age when the app starts (default 60: a full Home from the start)",
    )
    parser.add_argument(
        "--launches",
        type=float,
        help="coins launched a minute (default: the simulator's, the real service's quietest "
        "hour; more fills Home's 200 rows sooner, for a short run at its steady state)",
    )
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--mint", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.url, args.mint, args.out, args.screen, args.push, args.code)
        return 0

    from pumptui.sim import MarketConfig, ServerConfig, SimServer

    seconds = args.minutes * 60
    results = []
    if args.only:
        variants: tuple[str, ...] = (args.only,)
    elif args.contenders:
        variants = tuple(v for v in CONTENDERS if v in args.contenders.split(","))
    else:
        variants = tuple(v for v in CONTENDERS if v != "before" or args.code)
    if "before" in variants and not args.code:
        parser.error('"before" needs --code DIR')
    for variant in variants:
        # A fresh market from the same seed for each contender: both see the same coins and the
        # same flood, not a market that has grown for as long as the first one ran.
        sim = SimServer(
            MarketConfig(
                seed=7,
                clock="real",
                warmup=args.history * 60,
                trades_per_second=10.0,
                hot_trades_per_second=args.trades_per_second,
                **({} if args.launches is None else {"launches_per_minute": args.launches}),
            ),
            # The real limits (swap's Cloudflare rule 20/60 s per IP, v3's groups): the app
            # on its default budgets stays under them, so no block skews the figures.
            ServerConfig(push_queue=50_000),
        ).start()

        def board_versions(sim: SimServer = sim) -> dict[str, int]:
            return sim.call(lambda: {n: b.version for n, b in sim.state.boards.items()})

        try:
            print(f"measuring {variant} for {args.minutes:g} min…", file=sys.stderr, flush=True)
            results.append(
                measure(
                    variant,
                    sim.base_url,
                    sim.hot_mint,
                    seconds,
                    args.screen,
                    args.push,
                    args.code if variant == "before" else None,
                    board_versions if args.screen == "trenches" else None,
                )
            )
        finally:
            sim.stop()
    report(results, seconds, args.trades_per_second, args.screen, args.push)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
