"""The reply editor, end to end against the simulator: a typed reply is never lost.

What a user relies on: `r` opens a multi-line editor with a live length counter; the preview and
the confirm step show the text literally; a confirmed reply appears in the coin's thread and its
draft is gone; a reply refused as "replying too fast", or one that could not reach the server,
stays as a draft with the reason and a countdown, across an app restart, and is sent once the
wait is over.
"""

from __future__ import annotations

from pumptui.api.models import Reply
from pumptui.sim import FaultPlan, SimServer
from pumptui.social.drafts import DraftStatus
from pumptui.tui.screens.reply_editor import ReplyEditor
from tests.tui.social_support import SIZE, coin_target, open_target, settle, shown, user_app


class ManualClock:
    """The app's clock, moved by the test (the simulator's clock is moved alongside)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def thread_texts(sim: SimServer, mint: str) -> list[str]:
    return sim.call(lambda: [r.text for r in sim.market.replies.values() if r.mint == mint])


async def test_a_confirmed_reply_is_posted_literally_and_its_draft_is_gone(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("r")
        editor = app.screen
        assert isinstance(editor, ReplyEditor)
        await pilot.press(*"[bold]gm[/] frens", "enter", *"wagmi")
        assert "23 / 1000" in await shown(pilot)
        saved = social.load_draft(target.mint)
        assert saved is not None
        assert saved.text == "[bold]gm[/] frens\nwagmi", "saved as typed"

        await pilot.press("ctrl+r")  # review first: nothing is sent yet
        await pilot.pause()
        review = await shown(pilot)
        assert "Send this reply?" in review
        assert "[bold]gm[/] frens" in review, "the preview shows the markup literally"
        assert thread_texts(sim, target.mint).count("[bold]gm[/] frens\nwagmi") == 0

        await pilot.press("enter")
        await settle(pilot)

        assert not isinstance(app.screen, ReplyEditor)
        assert "[bold]gm[/] frens\nwagmi" in thread_texts(sim, target.mint)
        assert social.load_draft(target.mint) is None


async def test_the_counter_refuses_a_reply_over_the_limit(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        editor = app.screen
        assert isinstance(editor, ReplyEditor)

        editor.editor.insert("🚀" * 501)  # 1002 UTF-16 units, as the server counts
        await pilot.pause()
        assert "1002 / 1000" in await shown(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()

        assert not editor.confirming
        assert "Send this reply?" not in await shown(pilot)
        assert social.load_draft(target.mint) is not None


async def test_replying_too_fast_keeps_the_draft_with_a_countdown_across_a_restart(
    sim: SimServer,
) -> None:
    first, second = sim.mints()[:2]
    clock = ManualClock()
    app, social = user_app(sim, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, coin_target(sim, second))
        posted = await app.services.client.post_reply(first, "first!")
        assert isinstance(posted, Reply)

        await pilot.press("r")
        await pilot.press(*"too soon?", "ctrl+r", "enter")
        await settle(pilot)

        editor = app.screen
        assert isinstance(editor, ReplyEditor), "the editor stays open with the text"
        assert editor.text == "too soon?"
        assert "replying too fast" in await shown(pilot)
        assert "retry in 60 s" in await shown(pilot)
        clock.now += 15
        editor._update_status()
        assert "retry in 45 s" in await shown(pilot)
        await pilot.press("ctrl+r")
        assert not editor.confirming, "nothing is sent before the countdown ends"

    # A new process: the draft and its countdown are still there.
    app, social = user_app(sim, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, coin_target(sim, second))
        kept = social.load_draft(second)
        assert kept is not None
        assert kept.status is DraftStatus.FAILED
        await pilot.press("r")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ReplyEditor)
        assert editor.text == "too soon?"
        assert "retry in 45 s" in await shown(pilot)

        sim.advance(61)
        clock.now += 46
        editor._update_status()
        await pilot.press("ctrl+r", "enter")
        await settle(pilot)

        assert not isinstance(app.screen, ReplyEditor)
        assert "too soon?" in thread_texts(sim, second)
        assert social.load_draft(second) is None


async def test_a_reply_that_cannot_reach_the_server_stays_a_draft(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        sim.set_faults(FaultPlan(drop_rate=1.0, paths="^/replies"))

        await pilot.press("r")
        await pilot.press(*"hello?", "ctrl+r", "enter")
        await settle(pilot)

        assert isinstance(app.screen, ReplyEditor)
        assert "Not sent" in await shown(pilot)
        assert "retry in" in await shown(pilot)
        kept = social.load_draft(target.mint)
        assert kept is not None
        assert kept.text == "hello?"
        assert kept.status is DraftStatus.FAILED
        assert thread_texts(sim, target.mint).count("hello?") == 0

        await pilot.press("escape")  # closing keeps the draft
        await pilot.pause()
        assert social.load_draft(target.mint) is not None


async def test_a_draft_typed_when_the_app_died_is_restored(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        await pilot.press(*"half a thou")
        # No send, no close: the process is gone as far as the draft knows.

    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ReplyEditor)
        assert editor.text == "half a thou"
        assert "11 / 1000" in await shown(pilot)
