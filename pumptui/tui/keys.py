"""Every key binding of the shell, each with an id the config file's `[keymap]` can remap.

Defaults avoid what terminal multiplexers and Docker swallow: tmux's `ctrl+b`, screen's `ctrl+a`,
Docker's detach sequence `ctrl+p ctrl+q` (so the command palette is on `:` rather than Textual's
default `ctrl+p`), and `ctrl+s`/`ctrl+z`, which some terminals keep for flow control and job
control. Ids are `<scope>.<action>`; a user remaps one with e.g. `"coins.sort" = "S"`.
Lower-case `l`, `f`, `b` and `r` are left free for the social keys (like, follow, bookmark,
reply), which is why refresh is `R` and Enter alone opens a coin.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.binding import Binding, BindingType
from textual.keys import key_to_character

# Bindings on the App: available on every screen.
APP_BINDINGS: list[Binding] = [
    Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave pumptui"),
    Binding(
        "question_mark",
        "help",
        "Help",
        key_display="?",
        id="app.help",
        tooltip="Every key of this screen",
    ),
    Binding(
        "colon",
        "command_palette",
        "Commands",
        key_display=":",
        id="app.command-palette",
        tooltip="Search every action",
        show=False,
    ),
    Binding("p", "toggle_pause", "Pause", id="app.pause", tooltip="Pause or resume live updates"),
    Binding(
        "R",
        "refresh_now",
        "Refresh",
        id="app.refresh",
        show=False,
        tooltip="Poll the feeds on screen now",
    ),
    Binding(
        "A",
        "go_alerts",
        "Alerts",
        id="app.alerts",
        show=False,
        tooltip="Your alert rules (switch, delete, test) and what fired",
    ),
    Binding("H", "go_home", "Home", id="app.home", show=False, tooltip="Go to the new-coins feed"),
    Binding("W", "go_watchlist", "Watchlist", id="app.watchlist", tooltip="Coins you watch"),
    Binding(
        "N",
        "go_trenches",
        "Trenches",
        id="app.trenches",
        show=False,
        tooltip="New, graduating and graduated coins, live",
    ),
]

# Leaving a screen; every screen but Home has it.
BACK_BINDINGS: list[Binding] = [
    Binding(
        "escape,backspace",
        "back",
        "Back",
        key_display="esc",
        id="nav.back",
        tooltip="Back to the previous screen",
    ),
]

# Moving in a coin table (replaces DataTable's own bindings, which have no ids).
TABLE_BINDINGS: list[Binding] = [
    Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
    Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, id="table.page-down"),
    Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="table.page-up"),
    Binding("home,g", "scroll_top", "Top", show=False, id="table.top"),
    Binding("end,G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
    Binding("left,h", "scroll_left", "Scroll left", show=False, id="table.left"),
    Binding("right", "scroll_right", "Scroll right", show=False, id="table.right"),
    Binding("enter", "select_cursor", "Open", id="table.open", tooltip="Open the coin"),
]

# Only while a filter is kept (`CoinListScreen.check_action`); else esc does what it did (Back,
# on Watchlist, which lists this binding before its own).
CLEAR_KEPT_FILTER = Binding(
    "escape",
    "clear_kept_filter",
    "Clear filter",
    key_display="esc",
    id="coins.clear-filter",
    show=False,
    tooltip="Clear the kept filter",
)

# Actions on the coin under the cursor, on Home and Watchlist.
COIN_LIST_BINDINGS: list[Binding] = [
    # A priority binding runs the moment the key is read, before the keys typed after it are
    # handed to the focused widget: so those land in the filter, never on the table's bindings.
    Binding(
        "slash",
        "search",
        "Filter",
        key_display="/",
        id="coins.filter",
        tooltip="Filter by name, symbol or mint, or by figures (mc > 20k and dev < 5%), or @preset",
        priority=True,
    ),
    Binding("s", "cycle_sort", "Sort", id="coins.sort", tooltip="Cycle the sort order"),
    Binding(
        "S",
        "reverse_sort",
        "Reverse",
        id="coins.sort-reverse",
        show=False,
        tooltip="Reverse the sort order",
    ),
    Binding(
        "O",
        "pick_sort",
        "Sort by",
        id="coins.sort-by",
        show=False,
        tooltip="Sort by any column (picked again: reversed); a click on a header does too",
    ),
    Binding(
        "P",
        "next_preset",
        "Preset",
        id="coins.preset",
        show=False,
        tooltip="Filter by the next preset of [screener.presets] (tab in the filter line too)",
    ),
    CLEAR_KEPT_FILTER,
    Binding("w", "toggle_watch", "Watch", id="coins.watch", tooltip="Watch or unwatch the coin"),
    Binding(
        "c", "copy_mint", "Copy mint", id="coins.copy-mint", tooltip="Copy the coin's mint address"
    ),
    Binding(
        "o", "open_browser", "Browser", id="coins.open-browser", tooltip="Open the coin on pump.fun"
    ),
]


def scroll_bindings(prefix: str, *, home: str, end: str) -> list[BindingType]:
    """The keys of a scrolling pane (j/k, pages, g/G), each with its own `[keymap]` id under
    `prefix`; `home` and `end` say what the top and the bottom hold ("Newest", "Oldest")."""
    return [
        Binding("down,j", "scroll_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, id=f"{prefix}.page-down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id=f"{prefix}.page-up"),
        Binding("home,g", "scroll_home", home, show=False, id=f"{prefix}.{home.lower()}"),
        Binding("end,G", "scroll_end", end, show=False, id=f"{prefix}.{end.lower()}"),
    ]


def binding_rows(bindings: Iterable[Binding]) -> Iterator[tuple[str, str, str]]:
    """(id, keys as shown, description) for each binding: the README and Help table rows."""
    for binding in bindings:
        keys = ", ".join(_show_key(k) for k in binding.key.split(","))
        yield binding.id or binding.action, keys, binding.tooltip or binding.description


def _show_key(key: str) -> str:
    """A key as it is typed: `$` for Textual's `dollar_sign`, `esc` for `escape`."""
    key = key.strip()
    if key in ("escape", "space", "slash"):
        return {"escape": "esc", "space": "space", "slash": "/"}[key]
    character = key_to_character(key)
    return character if character is not None and character.isprintable() else key


# The alerts screen (`A`): on the rule under the cursor.
ALERTS_BINDINGS: list[Binding] = [
    Binding(
        "space,e",
        "toggle_rule",
        "On/off",
        key_display="space",
        id="alerts.toggle",
        tooltip="Switch the rule on or off (kept across runs)",
    ),
    Binding(
        "x,delete",
        "delete_rule",
        "Delete",
        id="alerts.delete",
        tooltip="Delete a rule made in the app (asks first); the config's can only be switched off",
    ),
    Binding(
        "t",
        "test_rule",
        "Test",
        id="alerts.test",
        tooltip="What the rule would fire on now, from the market as it stands",
    ),
]

# On a coin's screen: an alert on this coin (the alerts screen is a key away from the form).
COIN_ALERT_BINDING = Binding(
    "A",
    "alert_on_coin",
    "Alert",
    id="coin.alert",
    tooltip="Alert on this coin: a market cap crossed, a move of N % in M minutes, the dev "
    "selling, a whale buying",
)

# On Home: the filter in force becomes an alert on new coins.
FILTER_ALERT_BINDING = Binding(
    "F",
    "alert_on_filter",
    "Alert on filter",
    id="coins.filter-alert",
    show=False,
    tooltip="Alert on each new coin that matches the filter",
)
