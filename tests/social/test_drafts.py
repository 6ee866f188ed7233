"""Reply drafts: saved as you type, kept through failures, crashes and restarts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pumptui.social.db import LocalStateError
from pumptui.social.drafts import INTERRUPTED, DraftNotSaved, DraftStatus, DraftStore
from tests.social.damage import damage_first_table

ALICE = "9C6hybhQ6Aycep9jaUnP6uL9ZYvDjUp1aSkFWPUFJtpj"
BOB = "FgcwodK7aTtn3DgvqwPuSseKgTPcMpGmK6zdf7Ri9KXm"
MINT = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
OTHER_MINT = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R"


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_every_keystroke_is_saved_and_the_text_survives_a_restart() -> None:
    message = "to the moon 🚀 — but [b]not[/b] financial advice"
    with DraftStore(account=ALICE) as typing:
        for end in range(1, len(message) + 1):
            typing.save(MINT, message[:end])

    with DraftStore(account=ALICE) as restarted:
        draft = restarted.load(MINT)

    assert draft is not None
    assert draft.text == message
    assert draft.status is DraftStatus.EDITING


def test_a_failed_post_keeps_the_text_the_reason_and_the_retry_countdown() -> None:
    clock = FakeClock()
    with DraftStore(account=ALICE, clock=clock) as drafts:
        drafts.save(MINT, "gm")
        drafts.mark_sending(MINT)
        drafts.mark_failed(MINT, "replying too fast", retry_at=clock.now + 60)

    with DraftStore(account=ALICE, clock=clock) as restarted:
        draft = restarted.load(MINT)

    assert draft is not None
    assert draft.text == "gm"
    assert draft.status is DraftStatus.FAILED
    assert draft.reason == "replying too fast"
    assert draft.attempts == 1
    assert draft.retry_in(clock.now + 15) == 45
    assert draft.retry_in(clock.now + 90) == 0


def test_editing_a_failed_draft_keeps_its_countdown() -> None:
    with DraftStore(account=ALICE) as drafts:
        drafts.save(MINT, "gm")
        drafts.mark_failed(MINT, "replying too fast", retry_at=2e9)
        drafts.save(MINT, "gm frens")

        draft = drafts.load(MINT)

    assert draft is not None
    assert draft.text == "gm frens"
    assert draft.status is DraftStatus.FAILED
    assert draft.retry_at == 2e9


def test_only_a_confirmed_post_removes_the_draft_of_that_coin() -> None:
    with DraftStore(account=ALICE) as drafts:
        drafts.save(MINT, "first")
        drafts.save(OTHER_MINT, "second")
        drafts.mark_sending(MINT)

        assert drafts.discard(MINT) is True

        assert drafts.load(MINT) is None
        assert [d.text for d in drafts.pending()] == ["second"]
        assert drafts.discard(MINT) is False


def test_clearing_the_box_drops_an_unsent_draft() -> None:
    with DraftStore(account=ALICE) as drafts:
        drafts.save(MINT, "oops")
        drafts.save(MINT, "   ")

        assert drafts.load(MINT) is None


def test_a_crash_while_sending_leaves_a_failed_draft_not_a_lost_one() -> None:
    crashing_app = textwrap.dedent(
        f"""
        import os
        from pumptui.social.drafts import DraftStore
        drafts = DraftStore(account={ALICE!r})
        drafts.save({MINT!r}, "wagmi")
        drafts.mark_sending({MINT!r})
        os._exit(3)  # killed mid-request: no cleanup runs
        """
    )
    crashed = subprocess.run([sys.executable, "-c", crashing_app], check=False, timeout=60)
    assert crashed.returncode == 3

    with DraftStore(account=ALICE) as restarted:
        draft = restarted.load(MINT)

    assert draft is not None
    assert draft.text == "wagmi"
    assert draft.status is DraftStatus.FAILED
    assert draft.reason == INTERRUPTED
    assert draft.retry_in() == 0  # the user may retry at once


def test_a_draft_being_sent_by_a_running_process_is_left_alone() -> None:
    with DraftStore(account=ALICE) as sender:
        sender.save(MINT, "in flight")
        sender.mark_sending(MINT)

        with DraftStore(account=ALICE) as second_window:
            draft = second_window.load(MINT)

    assert draft is not None
    assert draft.status is DraftStatus.SENDING


def test_drafts_belong_to_an_account_and_logged_out_drafts_follow_the_login() -> None:
    with DraftStore(account=None) as drafts:
        drafts.save(MINT, "typed before logging in")
        drafts.set_account(BOB)
        drafts.save(OTHER_MINT, "bob's own")
        drafts.set_account(None)
        drafts.save(OTHER_MINT, "anonymous again")

        drafts.set_account(ALICE)
        alice_sees = {d.mint: d.text for d in drafts.pending()}
        drafts.set_account(BOB)
        bob_sees = {d.mint: d.text for d in drafts.pending()}

    assert bob_sees == {MINT: "typed before logging in", OTHER_MINT: "bob's own"}
    assert alice_sees == {OTHER_MINT: "anonymous again"}


def test_an_account_keeps_its_own_draft_when_an_anonymous_one_exists_for_the_coin() -> None:
    with DraftStore(account=ALICE) as drafts:
        drafts.save(MINT, "alice's words")
        drafts.set_account(None)
        drafts.save(MINT, "anonymous words")

        drafts.set_account(ALICE)

        assert drafts.load(MINT).text == "alice's words"  # type: ignore[union-attr]


def test_marking_a_draft_that_does_not_exist_is_an_error() -> None:
    with DraftStore(account=ALICE) as drafts, pytest.raises(KeyError):
        drafts.mark_sending(MINT)


# -- a disk that refuses, a damaged file, no data dir --------------------------------------------

NO_ROOM = "database or disk is full"


def fill_the_disk(drafts: DraftStore) -> None:
    """A real SQLITE_FULL, as on a full disk: the file may not grow past the pages it has."""
    pages = drafts._db.execute("PRAGMA page_count").fetchone()[0]
    drafts._db.execute(f"PRAGMA max_page_count={pages}")


def make_room(drafts: DraftStore) -> None:
    drafts._db.execute("PRAGMA max_page_count=1073741823")


def test_a_draft_the_disk_cannot_take_is_kept_in_memory_and_written_later() -> None:
    thesis = "to the moon " * 1000  # needs pages the file may not have
    with DraftStore(account=ALICE) as drafts:
        drafts.save(MINT, "first words")
        fill_the_disk(drafts)

        with pytest.raises(DraftNotSaved, match=NO_ROOM):
            drafts.save(MINT, thesis)
        assert drafts.save_problem == NO_ROOM
        assert drafts.load(MINT).text == thesis  # type: ignore[union-attr]
        assert drafts.retry_unsaved() == NO_ROOM, "still full: still unsaved"

        make_room(drafts)
        assert drafts.retry_unsaved() is None
        assert drafts.save_problem is None

    with DraftStore(account=ALICE) as restarted:
        assert restarted.load(MINT).text == thesis  # type: ignore[union-attr]


def test_a_drafts_file_with_a_damaged_page_is_moved_aside_and_a_fresh_one_opens(
    tmp_path: Path,
) -> None:
    path = tmp_path / "drafts.sqlite3"
    with DraftStore(path, account=ALICE) as drafts:
        drafts.save(MINT, "words on a bad sector")
    damage_first_table(path)

    with DraftStore(path, account=ALICE) as fresh:
        assert fresh.load(MINT) is None
        fresh.save(MINT, "new words")
        assert fresh.load(MINT).text == "new words"  # type: ignore[union-attr]
        notice = fresh.notice

    assert notice is not None
    assert "moved aside" in notice
    assert "malformed" in notice
    assert "\n" not in notice, "one line"
    aside = tmp_path / notice.split("moved aside as ")[1].split()[0]
    assert b"words on a bad sector" in aside.read_bytes(), "moved aside, never deleted"


def test_with_no_writable_data_dir_drafts_live_in_memory_and_say_so(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    with pytest.raises(LocalStateError):
        DraftStore(not_a_dir / "drafts.sqlite3")

    with DraftStore(not_a_dir / "drafts.sqlite3", account=ALICE, memory_fallback=True) as drafts:
        drafts.save(MINT, "still here")
        assert drafts.load(MINT).text == "still here"  # type: ignore[union-attr]
        assert not drafts.persistent
        assert drafts.notice is not None
        assert "drafts are kept in memory only" in drafts.notice

    assert list(tmp_path.iterdir()) == [not_a_dir], "nothing written anywhere else"


def test_a_read_only_drafts_file_keeps_every_change_in_memory_until_it_can_write() -> None:
    with DraftStore(account=ALICE) as drafts:
        drafts.save(MINT, "the server has this one")
        drafts.save(OTHER_MINT, "still a draft")
        drafts._db.execute("PRAGMA query_only=1")  # as a file turned read-only

        with pytest.raises(DraftNotSaved, match="readonly"):
            drafts.mark_sending(OTHER_MINT)  # so nothing is sent from an unrecorded state
        assert drafts.discard(MINT), "a confirmed post's draft goes, even on a read-only file"
        assert drafts.load(MINT) is None
        assert drafts.save_problem is not None

        drafts._db.execute("PRAGMA query_only=0")
        assert drafts.retry_unsaved() is None

    with DraftStore(account=ALICE) as restarted:
        assert restarted.load(MINT) is None
        kept = restarted.load(OTHER_MINT)
        assert kept is not None
        assert kept.status is DraftStatus.EDITING
