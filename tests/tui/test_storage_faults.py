"""Local files that fail: a full disk while typing, a damaged database, no writable data dir.

What a user relies on: words typed into the editor are never lost to a write error, and the
editor says in one line that the draft is not saved and why; a damaged drafts or cache file is
moved aside and the app starts, saying so; with no writable data dir the editor says the draft
is kept in memory only, and the app leaves no temporary files behind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from pumptui import paths
from pumptui.cli import main
from pumptui.sim import SimServer
from pumptui.social.drafts import DraftStore
from pumptui.social.state import SocialState
from pumptui.tui.app import PumpApp
from pumptui.tui.screens.home import HomeScreen
from pumptui.tui.screens.post_editor import PostEditor
from pumptui.tui.services import AppServices, open_watchlist
from pumptui.tui.social import SocialTarget
from tests.helpers.pilot import record_toasts, wait_for
from tests.social.damage import damage_first_table
from tests.tui.conftest import FROZEN_NOW, frozen_store
from tests.tui.social_support import SIZE, open_target, settle, shown, shown_toasts, user_app

NO_ROOM = "database or disk is full"


def reply_target(sim: SimServer) -> SocialTarget:
    mint = sim.mints()[0]
    return SocialTarget(mint, sim.post_callout(mint, "sent it at 5k"), None, "a callout")


def fill_the_disk(drafts: DraftStore) -> None:
    """A real SQLITE_FULL, as on a full disk: the file may not grow past the pages it has."""
    pages = drafts._db.execute("PRAGMA page_count").fetchone()[0]
    drafts._db.execute(f"PRAGMA max_page_count={pages}")


def make_room(drafts: DraftStore) -> None:
    drafts._db.execute("PRAGMA max_page_count=1073741823")


async def test_a_full_disk_while_typing_keeps_the_words_and_says_the_draft_is_not_saved(
    sim: SimServer,
) -> None:
    target = reply_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        await pilot.press(*"first words")
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert "Draft saved" in await shown(pilot)

        fill_the_disk(social.drafts)
        long_thesis = " 🚀" * 300  # 900 of 1000 characters, 1500 bytes: one more page
        editor.editor.insert(long_thesis)  # a paste
        await pilot.press(*" more")

        assert app.is_running
        assert app.screen is editor
        assert editor.text == "first words" + long_thesis + " more"
        assert f"Draft not saved ({NO_ROOM})" in await shown(pilot)

        await pilot.press("ctrl+r")  # nothing is sent from a draft that is not saved
        assert not editor.confirming
        assert "could not be saved" in await shown(pilot)

        await pilot.press("escape", "r")  # closed while unsaved: the words stay for this run
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert editor.text == "first words" + long_thesis + " more"
        assert f"Draft not saved ({NO_ROOM})" in await shown(pilot)

        make_room(social.drafts)
        await wait_for(pilot, lambda: editor.save_problem is None, "the periodic retry")
        assert "Draft saved" in await shown(pilot)
        typed, key = editor.text, editor.target.draft_key
    with DraftStore(social.drafts.path, account=sim.user_address) as restarted:
        assert restarted.load(key).text == typed  # type: ignore[union-attr]


async def test_a_post_the_drafts_file_refuses_is_not_sent_and_the_editor_says_why(
    sim: SimServer,
) -> None:
    target = reply_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        await pilot.press(*"gm")
        editor = app.screen
        assert isinstance(editor, PostEditor)
        social.drafts._db.execute("PRAGMA query_only=1")  # as a file turned read-only

        await pilot.press("ctrl+r", "enter")
        await settle(pilot)

        assert app.screen is editor
        assert not editor.sending
        text = await shown(pilot)
        assert "Not sent: draft not saved" in text
        assert "Sending" not in text
        assert editor.text == "gm"
    assert target.callout_id is not None
    assert "gm" not in sim.call(
        lambda: [r.content for r in sim.market.callouts.callouts[target.callout_id].replies]
    )


async def test_damaged_drafts_and_cache_files_are_moved_aside_and_the_app_starts_saying_so() -> (
    None
):
    for path in (paths.state_file(), paths.drafts_file()):
        store = SocialState(path) if path == paths.state_file() else DraftStore(path)
        store.close()
        damage_first_table(path)

    app = PumpApp(
        AppServices(store=frozen_store(), watchlist=open_watchlist(), clock=lambda: FROZEN_NOW)
    )
    toasts = record_toasts(app)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert any(
            toast.startswith("Local state\n") and "moved aside" in toast
            for toast in await shown_toasts(pilot)
        )
        assert isinstance(app.screen, HomeScreen)
    said = "\n".join(toasts)
    assert f"{paths.STATE_FILE_NAME} could not be read" in said
    assert f"{paths.DRAFTS_FILE_NAME} could not be read" in said
    names = [p.name for p in paths.data_dir().iterdir()]
    assert any(name.startswith(f"{paths.STATE_FILE_NAME}.unreadable-") for name in names)
    assert any(name.startswith(f"{paths.DRAFTS_FILE_NAME}.unreadable-") for name in names)


async def test_with_no_writable_data_dir_the_editor_says_the_draft_is_in_memory_only(
    sim: SimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    monkeypatch.setenv("PUMPTUI_DATA_DIR", str(not_a_dir / "data"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    target = reply_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_target(pilot, social, target)
        assert any(
            toast.startswith("Local state\n") and "drafts are kept in memory only" in toast
            for toast in await shown_toasts(pilot)
        )
        await pilot.press("r")
        await pilot.press(*"hello")
        assert isinstance(app.screen, PostEditor)
        text = await shown(pilot)
        assert "Draft kept in memory only" in text
        assert "Draft saved" not in text

    assert list(temp.iterdir()) == [], "no temporary directories left behind"


def frozen_app_on_the_data_dir() -> PumpApp:
    """The app on frozen data, its watchlist and cache the data dir's file (as `pumptui` has)."""
    return PumpApp(
        AppServices(store=frozen_store(), watchlist=open_watchlist(), clock=lambda: FROZEN_NOW)
    )


async def test_a_cache_write_refused_mid_run_is_said_once_on_screen() -> None:
    """The disk turns read-only (or full) while the app runs: the watch still takes, the cache
    carries on in memory, and a toast says so, once, not only at the next start."""
    app = frozen_app_on_the_data_dir()
    toasts = record_toasts(app)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert app.social.state.persistent
        app.social.state._db.execute("PRAGMA query_only=1")  # as a file turned read-only
        await pilot.press("w")
        await pilot.pause()
        assert "Local state" in await shown(pilot)
        assert not app.social.state.persistent
        await pilot.press("j", "w")
        await pilot.pause()
        assert len(app.social.state.watchlist()) == 2
    said = [toast for toast in toasts if "kept in memory only" in toast]
    assert len(said) == 1
    assert f"cannot write {paths.state_file()}" in said[0]


async def test_both_stores_in_memory_for_one_reason_say_the_reason_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    monkeypatch.setenv("PUMPTUI_DATA_DIR", str(not_a_dir / "data"))
    app = frozen_app_on_the_data_dir()
    toasts = record_toasts(app)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert "Local state" in await shown(pilot)
    said = "\n".join(toasts)
    assert said.count("Not a directory") == 1, said
    assert "the watchlist, and drafts are kept in memory only" in said


@pytest.mark.parametrize("argv", [["--api-url", "http://127.0.0.1:9"], ["demo"]])
def test_a_damaged_file_is_also_said_on_stderr_when_the_app_starts(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The toast goes after a few seconds; the line on stderr is still there after the app
    exits (`pumptui` and `pumptui demo`, which keeps its own files)."""
    demo = argv == ["demo"]
    path = paths.state_file(demo=demo)
    SocialState(path).close()
    damage_first_table(path)
    monkeypatch.setattr(PumpApp, "run", lambda self, **options: None)
    assert main(argv) == 0
    assert f"pumptui: {path.name} could not be read" in capsys.readouterr().err
