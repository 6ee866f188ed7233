"""The local cache of likes, follows, bookmarks and the watchlist: known without asking."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pumptui import paths
from pumptui.api.models import BookmarkList
from pumptui.social.state import (
    Bookmark,
    Follow,
    Like,
    NotLoggedIn,
    SocialState,
    Watch,
)
from tests.social.damage import damage_first_table

ALICE = "9C6hybhQ6Aycep9jaUnP6uL9ZYvDjUp1aSkFWPUFJtpj"
BOB = "FgcwodK7aTtn3DgvqwPuSseKgTPcMpGmK6zdf7Ri9KXm"
MINT_A = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"
MINT_B = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R"
WALLET = "3N7pdDjXo6uFcJc5UWV1BtVAPdyMqUkPbDdfAq5hVNRN"


@pytest.fixture
def state() -> SocialState:
    with SocialState(account=ALICE) as opened:
        yield opened


def test_likes_follows_and_bookmarks_are_remembered_across_runs() -> None:
    with SocialState(account=ALICE) as first_run:
        first_run.set_liked(MINT_A, True)
        first_run.set_liked("1234", True)
        first_run.set_following(WALLET, True)
        first_run.set_bookmarked(MINT_B, "default", True)

    with SocialState(account=ALICE) as second_run:
        assert second_run.liked() == {MINT_A, "1234"}
        assert second_run.is_following(WALLET)
        assert second_run.is_bookmarked(MINT_B)
        assert second_run.lists_containing(MINT_B) == {"default"}
        assert not second_run.is_liked(MINT_B)


def test_each_account_sees_only_its_own_social_state(state: SocialState) -> None:
    state.set_liked(MINT_A, True)
    state.set_following(WALLET, True)

    state.set_account(BOB)

    assert not state.is_liked(MINT_A)
    assert state.following() == set()
    state.set_account(ALICE)
    assert state.is_liked(MINT_A)


def test_in_read_only_mode_nothing_is_liked_and_changes_need_a_login() -> None:
    with SocialState(account=None) as state:
        assert state.liked() == set()
        assert not state.is_following(WALLET)
        assert state.bookmark_lists() == []
        with pytest.raises(NotLoggedIn):
            state.apply(Like(MINT_A))
        with pytest.raises(NotLoggedIn):
            state.set_following(WALLET, True)


def test_the_watchlist_keeps_its_order_works_logged_out_and_is_shared_by_accounts() -> None:
    with SocialState(account=None) as state:
        assert state.toggle_watch(MINT_B) is True
        state.set_watched(MINT_A, True)
        state.set_watched(MINT_B, True)  # already there: keeps its place
        state.set_account(ALICE)
        assert state.watchlist() == [MINT_B, MINT_A]

    with SocialState(account=BOB) as later:
        assert later.watchlist() == [MINT_B, MINT_A]
        assert later.toggle_watch(MINT_B) is False
        assert later.watchlist() == [MINT_A]


def test_an_optimistic_change_shows_at_once_and_rolls_back_on_refusal(state: SocialState) -> None:
    undo = state.apply(Like(MINT_A))

    assert state.is_liked(MINT_A)  # the UI shows it before the server answers
    assert state.rollback(undo) is True
    assert not state.is_liked(MINT_A)


@pytest.mark.parametrize(
    "change",
    [Like(MINT_A, on=False), Follow(WALLET, on=False), Bookmark(MINT_A, "default", on=False)],
    ids=["unlike", "unfollow", "unbookmark"],
)
def test_rolling_back_an_undo_puts_the_old_value_back(state: SocialState, change: object) -> None:
    state.set_liked(MINT_A, True)
    state.set_following(WALLET, True)
    state.set_bookmarked(MINT_A, "default", True)

    undo = state.apply(change)  # type: ignore[arg-type]
    assert state.current(change) is False  # type: ignore[arg-type]
    state.rollback(undo)

    assert state.current(change) is True  # type: ignore[arg-type]


def test_a_newer_change_is_not_undone_by_the_rollback_of_an_older_one(state: SocialState) -> None:
    like = state.apply(Like(MINT_A))
    state.apply(Like(MINT_A, on=False))  # the user changed their mind before the answer

    assert state.rollback(like) is False
    assert not state.is_liked(MINT_A)


def test_a_rollback_applies_to_the_account_that_made_the_change(state: SocialState) -> None:
    undo = state.apply(Follow(WALLET))
    state.set_account(BOB)

    assert state.rollback(undo) is True

    state.set_account(ALICE)
    assert not state.is_following(WALLET)


def test_watching_is_an_optimistic_change_too() -> None:
    with SocialState(account=None) as state:
        undo = state.apply(Watch(MINT_A))
        assert state.is_watched(MINT_A)
        state.rollback(undo)
        assert state.watchlist() == []


def test_bookmark_lists_from_the_server_replace_the_cache_in_their_order(
    state: SocialState,
) -> None:
    state.set_bookmarked(MINT_A, "stale-list", True)
    lists = [
        BookmarkList(id="default", name="Bookmarks", mints=(MINT_B, MINT_A)),
        BookmarkList(id="l2", name="Moonshots", mints=(MINT_A,), created_at="2025-01-01"),
    ]

    state.replace_bookmarks(lists)

    assert state.bookmark_lists() == lists
    assert state.lists_containing(MINT_A) == {"default", "l2"}
    assert state.synced_at("bookmarks") is not None
    assert SocialState(account=BOB).bookmark_lists() == []


def test_an_item_bookmarked_into_an_unknown_list_still_shows(state: SocialState) -> None:
    state.set_bookmarked(MINT_A, "fresh", True)

    assert [(b.id, b.mints) for b in state.bookmark_lists()] == [("fresh", (MINT_A,))]


def test_lists_can_be_added_renamed_and_forgotten(state: SocialState) -> None:
    state.save_bookmark_list(BookmarkList(id="l1", name="First"))
    state.save_bookmark_list(BookmarkList(id="l2", name="Second"))
    state.set_bookmarked(MINT_A, "l1", True)
    state.save_bookmark_list(BookmarkList(id="l1", name="Renamed"))

    assert [(b.id, b.name, b.mints) for b in state.bookmark_lists()] == [
        ("l1", "Renamed", (MINT_A,)),
        ("l2", "Second", ()),
    ]
    state.forget_bookmark_list("l1")
    assert [b.id for b in state.bookmark_lists()] == ["l2"]
    assert not state.is_bookmarked(MINT_A)


def test_likes_and_follows_can_be_replaced_wholesale(state: SocialState) -> None:
    state.set_liked(MINT_A, True)

    state.replace_likes([MINT_B, "77"])
    state.replace_following([WALLET])

    assert state.liked() == {MINT_B, "77"}
    assert state.following() == {WALLET}


def test_the_cache_file_is_private_and_a_corrupt_one_is_replaced(tmp_path: Path) -> None:
    with SocialState(account=ALICE) as state:
        state.set_liked(MINT_A, True)
    assert stat.S_IMODE(paths.state_file().stat().st_mode) == 0o600

    broken = tmp_path / "social.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    with SocialState(broken, account=ALICE) as rebuilt:
        rebuilt.set_liked(MINT_B, True)
        assert rebuilt.liked() == {MINT_B}

    assert any(p.name.startswith("social.sqlite3.unreadable-") for p in tmp_path.iterdir())


def test_a_cache_file_with_a_damaged_page_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "social.sqlite3"
    with SocialState(path, account=ALICE) as state:
        state.set_liked(MINT_A, True)
        state.set_watched(MINT_A, True)
    damage_first_table(path)

    with SocialState(path, account=ALICE) as rebuilt:
        assert rebuilt.liked() == set()
        rebuilt.set_liked(MINT_B, True)
        assert rebuilt.liked() == {MINT_B}
        assert rebuilt.notice is not None
        assert "moved aside" in rebuilt.notice

    assert any(p.name.startswith("social.sqlite3.unreadable-") for p in tmp_path.iterdir())


def test_with_no_writable_data_dir_the_watchlist_lives_in_memory(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    with SocialState(not_a_dir / "social.sqlite3", memory_fallback=True) as state:
        assert state.toggle_watch(MINT_A)
        assert state.watchlist() == [MINT_A]
        assert not state.persistent
        assert state.notice is not None
        assert "kept in memory only" in state.notice


def test_a_write_the_disk_refuses_carries_on_in_memory_with_everything_kept() -> None:
    with SocialState(account=ALICE) as state:
        state.set_liked(MINT_A, True)
        state.set_watched(MINT_A, True)
        state._db.execute("PRAGMA query_only=1")  # as a file turned read-only

        assert state.toggle_watch(MINT_B), "no crash: the key press works"
        state.set_liked(MINT_B, True)

        assert state.watchlist() == [MINT_A, MINT_B]
        assert state.liked() == {MINT_A, MINT_B}
        assert not state.persistent
        assert state.notice is not None
        assert "kept in memory only" in state.notice
