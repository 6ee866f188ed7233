"""What the terminal itself can deliver: the bell, and desktop notifications by escape sequence
(OSC 9, understood by iTerm2, WezTerm, Windows Terminal, kitty, foot...; OSC 777, by urxvt,
VTE terminals, WezTerm...). Both travel over SSH, which is the point.

An alert's text holds coin names and callout theses, which anyone can choose: it is reduced here
to printable text (no ESC, BEL, C1 controls, DEL, nor `;` in OSC 777's title, which would start
its body) and cut short, so no alert can end the sequence early and inject one of its own.
"""

from __future__ import annotations

import unicodedata
from typing import Final

BELL: Final = "\a"
TITLE_LIMIT: Final = 80
BODY_LIMIT: Final = 200


def terminal_safe(text: str, limit: int) -> str:
    """`text` with every control and format character (C0, C1, DEL, bidi overrides) made a
    space, runs of spaces folded, cut to `limit` characters."""
    cleaned = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else char
        for char in text
    )
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def osc9(body: str) -> str:
    """A desktop notification, OSC 9 (`ESC ] 9 ; text ST`)."""
    return f"\x1b]9;{terminal_safe(body, BODY_LIMIT)}\x1b\\"


def osc777(title: str, body: str) -> str:
    """A desktop notification, OSC 777 (`ESC ] 777 ; notify ; title ; body ST`)."""
    safe_title = terminal_safe(title, TITLE_LIMIT).replace(";", ",")
    return f"\x1b]777;notify;{safe_title};{terminal_safe(body, BODY_LIMIT)}\x1b\\"


def desktop_notification(title: str, body: str) -> str:
    """Both sequences: a terminal ignores the one it does not know."""
    return osc9(f"{title}: {body}") + osc777(title, body)
