"""The post editor, end to end against the simulator: a callout, a reply to a callout, a chat
line — and a typed post is never lost.

What a user relies on: `n` checks that the wallet may post a callout on the coin (it must hold
it) before the editor opens, so nobody types a thesis for nothing; `r` on a callout opens a reply
to it; the editor counts characters as the server does; the preview and the confirm step show
the text literally; a confirmed post reaches the server and its draft is gone; the service's one
post a minute shows as a countdown; a post refused as too fast, or one that could not reach the
server, stays as a draft with the reason and the countdown, across an app restart, and is sent
once the wait is over.
"""

from __future__ import annotations

from pumptui.sim import FaultPlan, SimServer
from pumptui.social.drafts import DraftStatus
from pumptui.tui.screens.post_editor import PostEditor
from pumptui.tui.social import PostTarget, SocialTarget
from tests.helpers.pilot import record_toasts
from tests.tui.social_support import SIZE, coin_target, open_target, settle, shown, user_app


class ManualClock:
    """The app's clock, moved by the test (the simulator's clock is moved alongside)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def callout_theses(sim: SimServer, mint: str) -> list[str]:
    return sim.call(
        lambda: [c.thesis for c in sim.market.callouts.callouts.values() if c.mint == mint]
    )


def reply_texts(sim: SimServer, callout_id: str) -> list[str]:
    return sim.call(lambda: [r.content for r in sim.market.callouts.callouts[callout_id].replies])


def callout_target(sim: SimServer, mint: str) -> SocialTarget:
    callout_id = sim.post_callout(mint, "sent it at 5k")
    return SocialTarget(mint, callout_id, None, "a callout")


async def test_n_checks_the_wallet_holds_the_coin_then_posts_the_callout_literally(
    sim: SimServer,
) -> None:
    target = coin_target(sim)
    sim.buy(target.mint)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert f"Callout on {target.label}" in await shown(pilot)
        await pilot.press(*"[bold]gm[/] frens", "enter", *"wagmi")
        assert "23 / 1000" in await shown(pilot)
        saved = social.load_draft(editor.target)
        assert saved is not None
        assert saved.text == "[bold]gm[/] frens\nwagmi", "saved as typed"

        await pilot.press("ctrl+r")  # review first: nothing is sent yet
        await pilot.pause()
        review = await shown(pilot)
        assert "Send this callout?" in review
        assert "[bold]gm[/] frens" in review, "the preview shows the markup literally"
        assert "[bold]gm[/] frens\nwagmi" not in callout_theses(sim, target.mint)

        await pilot.press("enter")
        await settle(pilot)

        assert not isinstance(app.screen, PostEditor)
        assert "[bold]gm[/] frens\nwagmi" in callout_theses(sim, target.mint)
        assert social.load_draft(editor.target) is None


async def test_n_on_a_coin_the_wallet_does_not_hold_says_so_before_any_typing(
    sim: SimServer,
) -> None:
    target = coin_target(sim, sim.mints()[-1])
    app, social = user_app(sim)
    toasts = record_toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("n")
        await settle(pilot)

        assert not isinstance(app.screen, PostEditor)
        assert any(t.startswith(f"You cannot post a callout on {target.label}") for t in toasts)


async def test_r_on_a_callout_replies_to_it(sim: SimServer) -> None:
    target = callout_target(sim, sim.mints()[0])
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PostEditor)
        assert "Reply to a callout" in await shown(pilot)
        await pilot.press(*"agreed, holding", "ctrl+r", "enter")
        await settle(pilot)

        assert not isinstance(app.screen, PostEditor)
        assert target.callout_id is not None
        assert "agreed, holding" in reply_texts(sim, target.callout_id)


async def test_the_counter_refuses_a_post_over_the_limit(sim: SimServer) -> None:
    target = callout_target(sim, sim.mints()[0])
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        editor = app.screen
        assert isinstance(editor, PostEditor)

        editor.editor.insert("🚀" * 501)  # 1002 UTF-16 units, as the server counts
        await pilot.pause()
        assert "1002 / 1000" in await shown(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()

        assert not editor.confirming
        assert "Send this reply?" not in await shown(pilot)
        assert social.load_draft(editor.target) is not None


async def test_after_a_post_the_next_editor_counts_the_minute_down(sim: SimServer) -> None:
    target = callout_target(sim, sim.mints()[0])
    sim.buy(target.mint)
    clock = ManualClock()
    app, social = user_app(sim, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        await pilot.press(*"first", "ctrl+r", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PostEditor)

        clock.now += 20
        await pilot.press("r")
        await pilot.pause()

        editor = app.screen
        assert isinstance(editor, PostEditor)
        text = await shown(pilot)
        assert "one post a minute" in text
        assert "retry in 40 s" in text
        await pilot.press(*"second", "ctrl+r")
        assert not editor.confirming, "nothing is sent before the countdown ends"


async def test_posting_too_fast_keeps_the_draft_with_a_countdown_across_a_restart(
    sim: SimServer,
) -> None:
    target = callout_target(sim, sim.mints()[1])
    clock = ManualClock()
    app, social = user_app(sim, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        # Posted a moment ago from elsewhere (the web site): the server will refuse the next.
        other = callout_target(sim, sim.mints()[0])
        assert other.callout_id is not None
        await app.services.client.reply_to_callout(other.callout_id, "first!")

        await pilot.press("r")
        await pilot.press(*"too soon?", "ctrl+r", "enter")
        await settle(pilot)

        editor = app.screen
        assert isinstance(editor, PostEditor), "the editor stays open with the text"
        assert editor.text == "too soon?"
        assert "posting too fast" in await shown(pilot)
        assert "retry in 60 s" in await shown(pilot)
        clock.now += 15
        editor._update_status()
        assert "retry in 45 s" in await shown(pilot)
        await pilot.press("ctrl+r")
        assert not editor.confirming, "nothing is sent before the countdown ends"

    # A new process: the draft and its countdown are still there.
    app, social = user_app(sim, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        await pilot.press("r")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, PostEditor)
        kept = social.load_draft(editor.target)
        assert kept is not None
        assert kept.status is DraftStatus.FAILED
        assert editor.text == "too soon?"
        assert "retry in 45 s" in await shown(pilot)

        sim.advance(61)
        clock.now += 46
        editor._update_status()
        await pilot.press("ctrl+r", "enter")
        await settle(pilot)

        assert not isinstance(app.screen, PostEditor)
        assert target.callout_id is not None
        assert "too soon?" in reply_texts(sim, target.callout_id)
        assert social.load_draft(editor.target) is None


async def test_a_post_that_cannot_reach_the_server_stays_a_draft(sim: SimServer) -> None:
    target = callout_target(sim, sim.mints()[0])
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)
        sim.set_faults(FaultPlan(drop_rate=1.0, paths="^/callout/"))

        await pilot.press("r")
        await pilot.press(*"hello?", "ctrl+r", "enter")
        await settle(pilot)

        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert "Not sent" in await shown(pilot)
        assert "retry in" in await shown(pilot)
        kept = social.load_draft(editor.target)
        assert kept is not None
        assert kept.text == "hello?"
        assert kept.status is DraftStatus.FAILED
        assert target.callout_id is not None
        assert "hello?" not in reply_texts(sim, target.callout_id)

        await pilot.press("escape")  # closing keeps the draft
        await pilot.pause()
        assert social.load_draft(editor.target) is not None


async def test_a_draft_typed_when_the_app_died_is_restored(sim: SimServer) -> None:
    target = callout_target(sim, sim.mints()[0])
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
        assert isinstance(editor, PostEditor)
        assert editor.text == "half a thou"
        assert "11 / 1000" in await shown(pilot)


async def test_a_chat_line_without_a_chat_connection_is_kept_as_a_draft(sim: SimServer) -> None:
    target = coin_target(sim)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_target(pilot, social, target)

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PostEditor)
        assert f"Say in the chat of {target.label}" in await shown(pilot)
        await pilot.press(*"anyone here?", "ctrl+r", "enter")
        await settle(pilot)

        assert isinstance(app.screen, PostEditor)
        assert "not connected" in await shown(pilot)
        kept = social.load_draft(PostTarget("chat", target.mint, target.label))
        assert kept is not None
        assert kept.text == "anyone here?"


async def test_on_the_coin_screen_a_and_n_open_their_editors_for_that_coin(
    sim: SimServer,
) -> None:
    from tests.tui.social_support import open_coin_with_callouts

    mint = sim.mints()[0]
    sim.buy(mint)
    app, social = user_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await open_coin_with_callouts(pilot, social, sim, mint)
        label = coin_target(sim, mint).label

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PostEditor)
        assert f"Say in the chat of {label}" in await shown(pilot)
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert f"Callout on {label}" in await shown(pilot)
