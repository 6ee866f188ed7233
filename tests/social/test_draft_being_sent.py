"""Clearing the reply box while a reply is on its way never loses that reply's draft."""

from __future__ import annotations

from pumptui.social.drafts import DraftStatus, DraftStore

ALICE = "9C6hybhQ6Aycep9jaUnP6uL9ZYvDjUp1aSkFWPUFJtpj"
MINT = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU"


def test_clearing_the_box_keeps_a_draft_that_is_being_sent() -> None:
    with DraftStore(account=ALICE) as drafts:
        drafts.save(MINT, "gm, this one is on its way")
        drafts.mark_sending(MINT)
        drafts.save(MINT, "")  # the box is cleared once the reply has gone out

        kept = drafts.load(MINT)
        assert kept is not None
        assert (kept.text, kept.status) == ("gm, this one is on its way", DraftStatus.SENDING)
        # The server refuses it: the text is still there to try again.
        failed = drafts.mark_failed(MINT, "replying too fast", retry_at=None)
        assert failed.text == "gm, this one is on its way"
