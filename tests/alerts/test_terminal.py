"""Desktop notifications through the terminal: OSC 9 and OSC 777, with nothing an alert's text
can use to end them early or start a sequence of its own."""

from __future__ import annotations

from pumptui.alerts import desktop_notification, osc9, osc777, terminal_safe

HOSTILE = "PEPE\x1b]0;owned\x07\x1b[2J\x9b31m\u202etxt;rm -rf\n/"


def test_osc_sequences_have_the_documented_shape() -> None:
    assert osc9("PEPE: dev sold 2 SOL") == "\x1b]9;PEPE: dev sold 2 SOL\x1b\\"
    assert osc777("dev dumps", "PEPE: dev sold") == "\x1b]777;notify;dev dumps;PEPE: dev sold\x1b\\"
    assert desktop_notification("t", "b") == osc9("t: b") + osc777("t", "b")


def test_an_alerts_text_cannot_inject_escapes() -> None:
    for sequence in (osc9(HOSTILE), osc777(HOSTILE, HOSTILE)):
        body = sequence[len("\x1b]") : -len("\x1b\\")]
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in body), repr(body)
        assert "\u202e" not in body
    title = osc777(HOSTILE, "b").split(";")[2]  # a `;` in the title would start the body
    assert "rm -rf" in title
    assert osc777(HOSTILE, "b").count(";") == 3


def test_long_text_is_cut() -> None:
    assert len(terminal_safe("x" * 1000, 50)) == 50
    assert terminal_safe("a \t\n b", 50) == "a b"
