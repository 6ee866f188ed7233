"""A forced crash in a Textual app prints every frame's locals; the token and the key must not
be among them. The app runs headless in a child process, so what is checked is exactly what a
user would see on the terminal after the crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pumptui.auth import InsecureTokenFile
from pumptui.base58 import b58encode
from pumptui.secret import Secret

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhZGRyZXNzIjoiOUM2aHliIn0.TOPSECRET-signature-part-0123456789"
SEED = bytes(range(50, 82))

CRASHING_APP = textwrap.dedent(
    """
    import sys
    from textual.app import App
    from pumptui.auth import aresolve_token, check_token
    from pumptui.keypair import login_with_keypair

    class ExplodingClient:
        # A fault only a fake can produce: a bug deep inside the client.
        def set_token(self, token):
            self.token = token

        async def my_profile(self):
            raise RuntimeError("forced crash while checking the token")

        async def login(self, address, signature_b58, timestamp_ms):
            raise RuntimeError("forced crash while signing in")

    class CrashApp(App):
        async def on_mount(self) -> None:
            if sys.argv[1] == "keypair":
                await login_with_keypair(ExplodingClient(), sys.argv[2])
            resolved = await aresolve_token()
            await check_token(ExplodingClient(), resolved.secret)

    CrashApp().run(headless=True)
    """
)


def crash(tmp_path: Path, *args: str, env: dict[str, str]) -> str:
    script = tmp_path / "crash_app.py"
    script.write_text(CRASHING_APP)
    done = subprocess.run(
        [sys.executable, str(script), *args],
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("source", ["env", "insecure-file"])
def test_a_crash_while_using_the_token_prints_locals_but_not_the_token(
    tmp_path: Path, source: str
) -> None:
    env = {"PUMPTUI_TOKEN": TOKEN} if source == "env" else {}
    if source == "insecure-file":
        InsecureTokenFile().save(Secret(TOKEN), "9C6hybhQ6Aycep9jaUnP6uL9ZYvDjUp1aSkFWPUFJtpj")

    shown = crash(tmp_path, "token", env=env)

    assert "forced crash while checking the token" in shown
    assert "Secret('********')" in shown  # the crash screen did print the locals
    assert "TOPSECRET" not in shown
    assert TOKEN[:40] not in shown


def test_a_crash_while_signing_in_shows_neither_the_key_nor_the_file_content(
    tmp_path: Path,
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    public = Ed25519PrivateKey.from_private_bytes(SEED).public_key().public_bytes_raw()
    keypair = tmp_path / "id.json"
    keypair.write_text(json.dumps(list(SEED + public)))

    shown = crash(tmp_path, "keypair", str(keypair), env={})

    assert "forced crash while signing in" in shown
    assert "signed =" in shown  # locals were printed (the public signature only)
    assert ", ".join(str(b) for b in SEED[:6]) not in shown
    assert b58encode(SEED)[:12] not in shown
    assert b58encode(SEED + public)[:12] not in shown
