"""The pumptui Textual app: the shell that every screen lives in.

Contract for screens and widgets (part B's Coin screen relies on this):

- ``self.app.services`` is an :class:`pumptui.tui.services.AppServices`:
  ``.store`` (``pumptui.live.store.MarketStore``, read it, never write it), ``.bus`` (the engine's
  ``EventBus``), ``.engine`` (``LiveEngine`` or ``None`` when the app runs on frozen data),
  ``.clock()`` (Unix seconds; frozen in snapshot tests: use it instead of ``time.time()``),
  ``.settings`` (``pumptui.config.Settings``), ``.sim_mode``, ``.is_watched(mint)``.
- The app posts :class:`pumptui.tui.messages.StoreUpdated` to the *active* screen whenever the
  store changed, at most a few times a second and never while a modal is up; a screen redraws
  what it shows from the store in its ``on_store_updated`` handler.
- Network or side-effect actions go through the app, never from a widget:
  ``self.app.toggle_watch(mint)``, ``self.app.copy_mint(mint)``, ``self.app.open_in_browser(mint)``.
  ``self.app.open_coin(mint)`` pushes the Coin screen.
- Every binding has an id (see :mod:`pumptui.tui.keys`); the config's ``[keymap]`` remaps it.
- For the type checker, screens derive from :class:`pumptui.tui.screens.base.PumpScreen`, whose
  ``self.app`` is this app; the services name :class:`pumptui.tui.app_base.AppWithServices`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import math
import os
import signal
import sys
import time
import webbrowser
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, ScreenStackError
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from pumptui.alerts import AlertRule, Deliverer, Firing
from pumptui.alerts.terminal import terminal_safe
from pumptui.heap import HeapTrimmer
from pumptui.live.events import EngineError, Event, FeedHealthChanged
from pumptui.live.health import FeedHealth, FeedState
from pumptui.live.once import OncePer
from pumptui.tui import glyphs, textual_fixes
from pumptui.tui.alerts import AlertRuleProblem, AlertToastGate, TerminalChannel
from pumptui.tui.app_base import AppWithServices
from pumptui.tui.commands import ActionCommands, CoinCommands
from pumptui.tui.key_frames import KeyFrames
from pumptui.tui.keys import APP_BINDINGS
from pumptui.tui.messages import (
    AlertsChanged,
    BookmarkPickerWanted,
    BookmarksWanted,
    EditorWanted,
    LoginNeeded,
    ModerationWanted,
    StoreUpdated,
    WatchlistChanged,
)
from pumptui.tui.screens.alerts import AlertsScreen
from pumptui.tui.screens.bookmark_picker import BookmarkPicker
from pumptui.tui.screens.bookmarks import BookmarksScreen
from pumptui.tui.screens.coin import CoinScreen
from pumptui.tui.screens.help import HelpScreen
from pumptui.tui.screens.home import HomeScreen
from pumptui.tui.screens.login import LoginScreen
from pumptui.tui.screens.moderation import ModerationScreen
from pumptui.tui.screens.post_editor import PostEditor
from pumptui.tui.screens.trenches import TrenchesScreen
from pumptui.tui.screens.watchlist import WatchlistScreen
from pumptui.tui.services import COIN_FEEDS, AppServices
from pumptui.tui.social import SocialActions
from pumptui.tui.typeahead import TypeAhead
from pumptui.tui.widgets.status_bar import StatusBar, StatusInfo
from pumptui.words import plural

# The store is redrawn at most this often (seconds): a flood of trades costs ~5 frames a second.
REDRAW_INTERVAL = 0.2
# Less than this left of the interval is none (a timer may fire a little early).
REDRAW_SLACK = 0.01
# Seconds after start-up when what it made is left out of later garbage collections.
GC_FREEZE_DELAY = 2.0
# One toast per feed problem per this many seconds, however often the feed fails.
TOAST_INTERVAL = 30.0
# Feed problems arriving within this many seconds of each other share one toast.
TOAST_GATHER = 1.0
# Signals that end the app as `q` does, so the terminal is restored: `kill` and a dropped SSH link.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class PumpApp(TypeAhead, KeyFrames, AppWithServices):
    """Watch the Pump.fun market live; `services` is everything that is not drawing."""

    TITLE = "pumptui"
    # Absolute, so that subclasses defined elsewhere (tests, benchmarks) find it too.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]
    COMMANDS: ClassVar = App.COMMANDS | {ActionCommands, CoinCommands}
    COMMAND_PALETTE_BINDING = "colon"
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [
        (0, "-narrow"),
        (110, "-wide"),
    ]

    def __init__(self, services: AppServices) -> None:
        textual_fixes.apply()  # before any widget renders
        super().__init__()
        self.services = services
        self._redraw_pending = False
        self._redrawn_at = -math.inf  # monotonic time of the last redraw asked of a screen
        # Toast bookkeeping: when each feed (or message) was last toasted, and what one batch of
        # engine events brought, flushed as at most one toast per kind.
        self._toasted: dict[str, tuple[FeedState, float]] = {}
        self._errors_toasted = OncePer(TOAST_INTERVAL)  # error texts vary: old ones forgotten
        self._problems: dict[str, FeedHealth] = {}
        self._messages: list[str] = []
        self._recovered: list[str] = []
        self._toasts_pending = False
        self.alert_toasts = AlertToastGate()
        self.heap_trimmer = HeapTrimmer()
        if glyphs.use(services.settings.ui.ascii) is glyphs.ASCII:
            self.add_class("-ascii")  # app.tcss: borders and separators without block elements
        services.attach(self)
        self.social = SocialActions.install(self)
        theme = services.settings.ui.theme
        if theme in self.available_themes:
            self.theme = theme

    # -- life cycle --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.services.settings.keymap:
            self.set_keymap(dict(self.services.settings.keymap))
        self._catch_stop_signals()
        self.push_screen(HomeScreen())
        self._listen_to_engine()
        self._start_alerts()
        self._start_engine()
        self.social.start()
        self.set_timer(GC_FREEZE_DELAY, freeze_startup_objects, name="gc-freeze")
        self.heap_trimmer.start()

    def _catch_stop_signals(self) -> None:
        """Exit through Textual on SIGTERM and SIGHUP. Python's default for both kills the
        process on the spot, leaving the terminal in the alternate screen, with mouse reporting on
        and the cursor hidden; exiting through the app restores all three. Not when headless
        (tests): the test runner's own handlers stay."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            # Not in the main thread, or no signals on this platform: keep the default.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.exit)

    @work(group="engine", exit_on_error=False, name="engine-start")
    async def _start_engine(self) -> None:
        try:
            await self.services.start()
        except Exception as exc:
            self.notify(
                f"Could not start the live feeds: {exc}",
                severity="error",
                title="pumptui",
                timeout=10,
            )

    @work(group="engine-events", exit_on_error=False, name="engine-events")
    async def _listen_to_engine(self) -> None:
        """Turn engine events into toasts and coalesced redraws; never one redraw per event."""
        subscription = self.services.bus.subscribe(maxsize=2000)
        try:
            async for event in subscription:
                self._note_event(event)
                for queued in subscription.drain():
                    self._note_event(queued)
                self._schedule_toasts()
                self.schedule_redraw()
        finally:
            subscription.close()

    async def on_unmount(self) -> None:
        self.heap_trimmer.stop()
        self.social.close()
        await self.services.alerts.stop()
        await self.services.stop()

    # -- alerts ----------------------------------------------------------------------------------

    def _start_alerts(self) -> None:
        """Evaluate the alert rules on every event from now on: a firing toasts (its rule's
        `app` channel), rings the app's bell (`bell`), and reaches the desktop through the
        terminal (`osc`: OSC 9 / OSC 777 written by the driver) only for a rule that asks;
        each delivery problem toasts once."""
        driver = self._driver
        write = None if self.is_headless or driver is None else driver.write
        deliverer = Deliverer(
            app=self._toast_alert,
            terminal=TerminalChannel(write, self.bell),
            problem=self._alert_problem,
        )
        alerts = self.services.alerts
        alerts.start(deliverer, problem=self._alert_problem, listener=self._alert_fired)
        for problem in alerts.problems:
            self._alert_problem("files", problem)

    def _toast_alert(self, firing: Firing) -> None:
        gate = self.alert_toasts
        if not gate.admit(time.monotonic()):
            if gate.held == 1:
                self.set_timer(gate.window, self._toast_held_alerts, name="alert-toasts")
            return
        self.notify(
            terminal_safe(firing.text, 200),
            title=terminal_safe(firing.rule_name or firing.condition, 60),
            severity="warning" if firing.caveats else "information",
            timeout=8,
            markup=False,
        )

    def _toast_held_alerts(self) -> None:
        held = self.alert_toasts.take_held()
        if held:
            self.notify(
                f"{plural(held, 'more alert')} fired: A lists them",
                title="Alerts",
                timeout=8,
                markup=False,
            )

    def _alert_fired(self, firing: Firing) -> None:
        """After every firing, whatever its channels: the alerts screen's history moves on."""
        self._post_alerts_changed()

    def _alert_problem(self, channel: str, message: str) -> None:
        self.notify(
            terminal_safe(message, 200),
            title=f"Alerts: {channel}",
            severity="warning",
            timeout=8,
            markup=False,
        )

    def add_alert(self, rule: AlertRule) -> bool:
        """Keep a rule made in the app (a coin's form, Home's filter); live at once."""
        try:
            self.services.alerts.add(rule)
        except AlertRuleProblem as exc:
            self.notify(str(exc), severity="error", title="Alerts", markup=False)
            return False
        self.alerts_changed()
        self.notify(f"{rule.title}\nwhen {rule.when}", title="Alert set", timeout=5, markup=False)
        return True

    def alerts_changed(self) -> None:
        """The rules changed (made, switched, deleted): the engine follows what they name and
        the screen redraws."""
        self.services.follow_alert_coins()
        self._post_alerts_changed()

    def _post_alerts_changed(self) -> None:
        try:
            screen = self.screen
        except ScreenStackError:  # shutting down
            return
        screen.post_message(AlertsChanged())

    # -- screens the services ask for -------------------------------------------------------------

    def on_login_needed(self, message: LoginNeeded) -> None:
        if message.then is not None:
            self.social.after_login(message.then)
        if any(isinstance(screen, LoginScreen) for screen in self.screen_stack):
            return
        self.push_screen(
            LoginScreen(message.reason),
            callback=lambda outcome: self.social.login_closed(bool(outcome and outcome.ok)),
        )

    def on_editor_wanted(self, message: EditorWanted) -> None:
        self.push_screen(PostEditor(message.target))

    def on_bookmark_picker_wanted(self, message: BookmarkPickerWanted) -> None:
        self.push_screen(BookmarkPicker(message.mint, message.label))

    def on_bookmarks_wanted(self, _message: BookmarksWanted) -> None:
        self.push_screen(BookmarksScreen())

    def on_moderation_wanted(self, message: ModerationWanted) -> None:
        self.push_screen(ModerationScreen(message.items))

    # -- engine events -----------------------------------------------------------------------------

    def _note_event(self, event: Event) -> None:
        if isinstance(event, FeedHealthChanged):
            self._note_health(event)
        elif (
            isinstance(event, EngineError)
            and not self._is_failing(event.feed)
            and self._errors_toasted.due(f"{event.feed}:{event.message}", self.services.clock())
        ):
            self._messages.append(event.message)

    def _is_failing(self, feed: str) -> bool:
        """A failing feed's own error is already told by its health toast."""
        health = self.services.store.health.get(feed)
        return feed in self._problems or (health is not None and health.state is FeedState.FAILING)

    def _note_health(self, event: FeedHealthChanged) -> None:
        health = event.health
        if health.state in (FeedState.FAILING, FeedState.RATE_LIMITED):
            if self._due(health.feed, health.state):
                self._problems[health.feed] = health
        elif health.state is FeedState.LIVE and health.feed in self._toasted:
            previous, _ = self._toasted.pop(health.feed)
            if previous is FeedState.FAILING:
                self._recovered.append(health.feed)

    def _due(self, key: str, state: FeedState) -> bool:
        """Whether a toast about `key` in `state` is due (one per TOAST_INTERVAL)."""
        now = self.services.clock()
        last = self._toasted.get(key)
        if last is not None and last[0] is state and now - last[1] < TOAST_INTERVAL:
            return False
        self._toasted[key] = (state, now)
        return True

    def _schedule_toasts(self) -> None:
        if (self._problems or self._messages or self._recovered) and not self._toasts_pending:
            self._toasts_pending = True
            self.set_timer(TOAST_GATHER, self._flush_toasts, name="toasts")

    def _flush_toasts(self) -> None:
        """One toast per kind for what happened within `TOAST_GATHER`: five feeds failing
        together is one message, not five."""
        self._toasts_pending = False
        now = self.services.clock()
        problems, self._problems = self._problems, {}
        failing = [h for h in problems.values() if h.state is FeedState.FAILING]
        limited = [h for h in problems.values() if h.state is FeedState.RATE_LIMITED]
        if failing:
            self.notify(
                _problem_summary(failing, now),
                severity="error",
                title="Feed failing",
                timeout=6,
                markup=False,
            )
        if limited:
            self.notify(
                _problem_summary(limited, now),
                severity="warning",
                title="Rate limited",
                timeout=6,
                markup=False,
            )
        messages, self._messages = self._messages, []
        for message in messages:
            self.notify(message, severity="warning", title="Live feeds", timeout=6, markup=False)
        recovered, self._recovered = self._recovered, []
        if recovered:
            self.notify(
                f"{', '.join(recovered)} live again", title="Recovered", timeout=3, markup=False
            )

    def schedule_redraw(self) -> None:
        """Ask for a redraw of the active screen, coalesced: at most one per `REDRAW_INTERVAL`.
        After a quiet interval it comes at once (the first data of a start, a trade in a calm
        market shows without waiting); under a flood, at the end of the interval."""
        if not self._redraw_pending:
            self._redraw_pending = True
            wait = redraw_delay(self._redrawn_at, time.monotonic())
            if wait > 0:
                self.set_timer(wait, self._post_store_updated, name="redraw")
            else:
                self.call_later(self._post_store_updated)

    def note_redrawn(self) -> None:
        """A screen has just brought itself up to date on its own (the answer to a key): the
        store's next redraw waits its interval from now. Else one asked just before would
        follow at once, its work and frame between the key's action and the key's frame."""
        self._redrawn_at = time.monotonic()

    def _post_store_updated(self) -> None:
        wait = redraw_delay(self._redrawn_at, time.monotonic())
        if wait > REDRAW_SLACK:
            # A screen redrew itself since this redraw was asked for: wait from then.
            self.set_timer(wait, self._post_store_updated, name="redraw")
            return
        self._redraw_pending = False
        self._redrawn_at = time.monotonic()
        try:
            screen = self.screen
        except ScreenStackError:  # shutting down: the screens are gone
            return
        if isinstance(screen, ModalScreen):
            # Nothing redraws under a modal; the screen catches up when it resumes.
            return
        screen.post_message(StoreUpdated(self.services.store.version))

    # -- what screens and widgets call -------------------------------------------------------------

    def status_info(self) -> StatusInfo:
        """The status bar's source (every screen's `StatusBar` reads it once a second)."""
        info = self.services.status_info()
        marked = len(self.social.marked)
        return replace(info, marked=marked) if marked else info

    def open_coin(self, mint: str) -> None:
        self.push_screen(CoinScreen(mint))
        self.services.set_visible(COIN_FEEDS)

    def toggle_watch(self, mint: str) -> bool:
        """Watch or unwatch; screens show the watched mark at once, so there is no toast."""
        watched = self.services.toggle_watch(mint)
        self.screen.post_message(WatchlistChanged(mint, watched))
        return watched

    def copy_mint(self, mint: str) -> None:
        """Copy through the terminal (OSC 52): works over SSH, where a local clipboard is not."""
        self.copy_to_clipboard(mint)
        self.notify(f"Copied {mint}", title="Mint", timeout=3, markup=False)

    def open_in_browser(self, mint: str) -> None:
        """Open the coin's page; where no browser can open (SSH, no display), copy the link."""
        self.open_link(self.services.coin_url(mint))

    def open_link(self, url: str) -> None:
        """Open any page (a block explorer's); where no browser can open, copy the link."""
        driver = self._driver
        if driver is not None and getattr(driver, "is_web", False):
            self.open_url(url)
        elif can_open_browser(os.environ, sys.platform):
            self._open_browser(url)
        else:
            self.copy_to_clipboard(url)
            self.notify(f"No browser here; copied {url}", title="Link", timeout=5, markup=False)

    @work(thread=True, group="browser", exit_on_error=False, name="open-browser")
    def _open_browser(self, url: str) -> None:
        # In a thread: some browsers' launchers block until they exit.
        if not webbrowser.open(url):
            self.call_from_thread(
                self.notify, f"Could not open {url}", severity="warning", markup=False
            )

    def get_key_display(self, binding: Binding) -> str:
        """Keys by name where Textual draws an arrow or a symbol the terminal may lack."""
        display = super().get_key_display(binding)
        if glyphs.current() is glyphs.ASCII and not display.isascii():
            _, key = binding.parse_key()
            return key
        return display

    # -- actions -----------------------------------------------------------------------------------

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        title = getattr(screen, "TITLE", None) or type(screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(screen.active_bindings, str(title)))

    def action_toggle_pause(self) -> None:
        paused = not self.services.paused
        self.services.set_paused(paused)
        self.notify("Live updates paused" if paused else "Live updates resumed", timeout=2)
        for bar in self.screen.query(StatusBar):
            bar.update_status()

    def action_refresh_now(self) -> None:
        self.services.refresh_now()

    def action_go_home(self) -> None:
        # The stack is the default screen, Home, then whatever was opened from it.
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_go_alerts(self) -> None:
        if not isinstance(self.screen, AlertsScreen):
            self.push_screen(AlertsScreen())

    def action_go_watchlist(self) -> None:
        if isinstance(self.screen, WatchlistScreen):
            return
        self.action_go_home()
        self.push_screen(WatchlistScreen())

    def action_go_trenches(self) -> None:
        if isinstance(self.screen, TrenchesScreen):
            return
        self.action_go_home()
        self.push_screen(TrenchesScreen())


def _problem_summary(problems: list[FeedHealth], now: float) -> str:
    """ "coins: failing 3s: timeout", or for several, grouped by reason:
    "coins, leader: server error 500 · trades: server error 502"."""
    if len(problems) == 1:
        return f"{problems[0].feed}: {problems[0].describe(now)}"
    by_reason: dict[str, list[str]] = {}
    for health in problems:
        by_reason.setdefault(health.reason or health.describe(now), []).append(health.feed)
    return " · ".join(f"{', '.join(feeds)}: {reason}" for reason, feeds in by_reason.items())


def can_open_browser(env: dict[str, str] | os._Environ[str], platform: str) -> bool:
    """Whether `webbrowser` would open something the user can see (not a remote or text one)."""
    if env.get("BROWSER"):
        return True
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return False
    if platform in ("darwin", "win32"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def redraw_delay(last_redraw: float, now: float) -> float:
    """Seconds until the next redraw may come: none once `REDRAW_INTERVAL` has passed since the
    last one, else what is left of it."""
    return max(0.0, last_redraw + REDRAW_INTERVAL - now)


def freeze_startup_objects() -> None:
    """Leave the objects start-up made (modules, styles, the widget tree) out of every later
    garbage collection. A full collection walks every tracked object; under a trade flood those
    passes came several times a minute at up to ~130 ms, the longest pauses between a key and its
    frame, and freezing start-up halves them. What is made later is collected as usual (and any
    object is still freed the moment nothing refers to it). Once a process: a second app in
    the same process (tests) finds start-up done."""
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
