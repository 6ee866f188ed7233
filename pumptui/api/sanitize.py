"""Untrusted text from the API made safe to show in a terminal.

Every string the service sends can hold terminal escape sequences, C0/C1 controls, bidi
overrides, zero-width characters or megabytes of junk. They are cleaned once, here, when a model
is built; nothing downstream has to think about it. Rich markup is *not* removed (it is text
someone typed): widgets render model strings as `rich.text.Text`, never as markup.
"""

from __future__ import annotations

import re
import unicodedata

# CSI / OSC / DCS / other ESC sequences, 7-bit and 8-bit forms, before the control sweep so that
# the parameters of a sequence do not survive as visible junk.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final
  | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
  | \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC ... BEL/ST (or unterminated)
  | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
  | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?        # DCS/SOS/PM/APC ... ST
  | [\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?
  | \x1b[ -/]*[0-~]                    # other two/three-byte ESC sequences
  | \x1b                               # a lone ESC
    """,
    re.VERBOSE,
)
# C0 (but tab/newline handled separately), DEL, C1, bidi embeddings/overrides/isolates,
# zero-width and invisible format characters, BOM, interlinear annotation, tag characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_WHITESPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")

NAME_LIMIT = 64
SYMBOL_LIMIT = 16
TEXT_LIMIT = 2000
URL_LIMIT = 512


def clean_text(value: object, limit: int = TEXT_LIMIT, *, multiline: bool = False) -> str:
    """A display-safe version of `value`: no escapes or invisible controls, at most `limit` chars.

    `multiline` keeps newlines (reply texts, descriptions); otherwise they become spaces.
    Non-strings become "" so a wrong type never reaches a widget.
    """
    if not isinstance(value, str):
        return ""
    # Bound the work before any regex runs on a hostile megabyte string.
    text = value[: limit * 4 + 64]
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ")
    text = _INVISIBLE.sub("", text)
    # Unicode line/paragraph separators and stray combining floods ("zalgo") are shortened.
    text = text.replace("\u2028", "\n" if multiline else " ").replace("\u2029", "\n")
    text = _limit_combining(text)
    text = _WHITESPACE_RUN.sub(" ", text)
    if multiline:
        text = re.sub(r"\n{3,}", "\n\n", text)
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def clean_optional(value: object, limit: int = URL_LIMIT) -> str | None:
    """Like `clean_text` for optional fields: empty or missing becomes None."""
    text = clean_text(value, limit)
    return text or None


def _limit_combining(text: str, most: int = 2) -> str:
    """Keep at most `most` combining marks after each base character."""
    if not any(unicodedata.combining(c) for c in text):
        return text
    out: list[str] = []
    run = 0
    for c in text:
        if unicodedata.combining(c):
            run += 1
            if run > most:
                continue
        else:
            run = 0
        out.append(c)
    return "".join(out)
