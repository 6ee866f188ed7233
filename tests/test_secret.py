"""A `Secret` never shows its value, however it is turned into text."""

from __future__ import annotations

import logging

import pytest

from pumptui.secret import Secret

RAW = "eyJhbGciOiJIUzI1NiJ9.eyJhZGRyZXNzIjoiOUM2aHliIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


@pytest.mark.parametrize(
    "shown",
    [
        str,
        repr,
        ascii,
        lambda s: f"{s}",
        lambda s: f"{s!r}",
        lambda s: f"{s:>200}",
        lambda s: "%s" % s,  # noqa: UP031 (the old-style formatting a log call uses)
        lambda s: "%r" % (s,),  # noqa: UP031
        lambda s: "{}".format(s),  # noqa: UP032
        lambda s: str([s, {"token": s}]),
    ],
    ids=["str", "repr", "ascii", "f", "f!r", "f-spec", "%s", "%r", "format", "in-a-container"],
)
def test_a_secret_never_prints_its_value(shown: object) -> None:
    text = shown(Secret(RAW))  # type: ignore[operator]
    assert RAW not in text
    assert "********" in text


def test_a_logged_secret_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("pumptui.test").debug("token %s / %r", Secret(RAW), Secret(RAW))
    assert RAW not in caplog.text


def test_the_value_comes_out_only_when_revealed() -> None:
    secret = Secret(f"  {RAW}\n")
    assert secret.reveal() == RAW  # pasted whitespace is not part of the token
    assert secret == Secret(RAW)
    assert RAW not in secret.fingerprint()
