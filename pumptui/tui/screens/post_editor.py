"""The post editor (a callout, a reply to a callout, a chat line): multi-line, a live length
counter, a literal preview, and a confirm step.

A typed post is never lost. Every change is saved as a draft (one small SQLite write) and the
draft stays until the server confirms the post; on a refusal as "replying too fast", a network
failure or a crash it is still there, and opening the editor again restores it with the reason and
a countdown to when a retry makes sense. The service takes about one callout or reply a minute per
wallet: the countdown shows that too, from the moment the editor opens. Escape closes the editor
and keeps the draft.

When a save fails (disk full, a read-only file) the text stays in memory, the status line says
why in one line, and saving is retried every second; nothing is sent until the draft is saved.
With no writable data dir at all, the status line says the draft is kept in memory only.

The preview is the text as it will be shown to everyone: never parsed as markup, so `[bold]` is
eight visible characters, with invisible and control characters removed as the app removes them
from everyone's posts.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from pumptui.api.sanitize import clean_text
from pumptui.social.drafts import Draft, DraftStatus
from pumptui.tui.social import REPLY_MAX_CHARS, PostFinished, PostTarget, social_of

HEADINGS = {"callout": "Callout on ", "reply": "Reply to ", "chat": "Say in the chat of "}


def reply_length(text: str) -> int:
    """Length as the server counts it: UTF-16 units, as JavaScript does (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def describe_problem(reason: str) -> str:
    """ "Not sent: replying too fast" from a draft's reason, without saying "not sent" twice."""
    if reason.lower().startswith(("not sent", "refused")):
        return reason[:1].upper() + reason[1:]
    return f"Not sent: {reason}"


def preview_text(text: str) -> Text:
    """The post as others will see it: cleaned like every post, then shown literally."""
    return Text(clean_text(text, REPLY_MAX_CHARS * 2, multiline=True))


class PostEditor(ModalScreen[object | None]):
    """Write one post. Returns what the service answered, or None (the draft is kept)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r", "send", "Send", id="reply.send", priority=True, tooltip="Review and send"
        ),
        Binding(
            "ctrl+o",
            "toggle_preview",
            "Preview",
            id="reply.preview",
            priority=True,
            tooltip="Show the text as others will see it",
        ),
        Binding("escape", "close", "Close (draft kept)", id="reply.close"),
    ]

    DEFAULT_CSS = """
    PostEditor { align: center middle; }
    PostEditor > #reply-box {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PostEditor #reply-text { height: 8; }
    PostEditor #reply-meta { height: auto; }
    PostEditor #reply-counter { width: 14; }
    PostEditor #reply-counter.-over { color: $error; text-style: bold; }
    PostEditor #reply-status { width: 1fr; height: auto; }
    PostEditor #reply-status.-problem { color: $warning; }
    PostEditor #reply-preview-box {
        display: none; height: auto; max-height: 8; border-top: hkey $panel-lighten-2;
    }
    PostEditor.-preview #reply-preview-box { display: block; }
    PostEditor #reply-confirm { display: none; height: auto; color: $accent; }
    PostEditor.-confirming #reply-confirm { display: block; }
    PostEditor Horizontal#reply-buttons { height: auto; align-horizontal: right; }
    PostEditor #reply-confirm-send { display: none; }
    PostEditor.-confirming #reply-confirm-send { display: block; }
    PostEditor.-confirming #reply-send { display: none; }
    """

    confirming: reactive[bool] = reactive(False)
    previewing: reactive[bool] = reactive(False)

    def __init__(self, target: PostTarget, *, limit: int = REPLY_MAX_CHARS) -> None:
        super().__init__()
        self.target = target
        self.title_text = target.title
        self.limit = limit
        self.sending = False
        self.retry_at: float | None = None
        self.problem: str | None = None
        # Why the last save of the draft failed (disk full, read-only file): the text is then
        # only in memory, and saving is retried every second and on every keystroke.
        self.save_problem: str | None = None

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="reply-box"):
            title = Text(HEADINGS[self.target.kind], style="bold")
            title.append(self.title_text or self.target.mint, style="bold")
            yield Static(title, id="reply-title")
            yield TextArea(id="reply-text", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="reply-meta"):
                yield Static(id="reply-counter")
                yield Static(id="reply-status")
            with VerticalScroll(id="reply-preview-box"):
                yield Static(Text("Preview, exactly as it will show:", style="dim"))
                yield Static(id="reply-preview")
            yield Static(
                Text(f"Send this {self.target.noun}? enter: send · esc: keep editing"),
                id="reply-confirm",
            )
            with Horizontal(id="reply-buttons"):
                yield Button("Send…", variant="primary", id="reply-send")
                yield Button("Yes, send", variant="success", id="reply-confirm-send")
                yield Button("Preview", id="reply-preview-toggle")
                yield Button("Close", id="reply-close")
            yield Static(
                Text("ctrl+r send · ctrl+o preview · esc close (the draft is kept)", style="dim")
            )

    @property
    def editor(self) -> TextArea:
        return self.query_one("#reply-text", TextArea)

    @property
    def text(self) -> str:
        return self.editor.text

    def _now(self) -> float:
        social = social_of(self)
        return social.clock() if social is not None else 0.0

    def on_mount(self) -> None:
        social = social_of(self)
        draft = social.load_draft(self.target) if social is not None else None
        if social is not None:  # a text an earlier editor could not save is still unsaved
            self.save_problem = social.retry_unsaved_drafts()
        if draft is not None:
            self.editor.load_text(draft.text)
            self.editor.move_cursor(self.editor.document.end)
            self._show_draft(draft)
        if social is not None and self.target.limited:
            wait = social.post_wait()
            if wait > 0 and self.retry_at is None:
                self.problem = "the service takes one post a minute"
                self.retry_at = self._now() + wait
        self._update_counter()
        self._update_status()
        self.set_interval(1.0, self._tick, name="reply-countdown")
        self.editor.focus()

    def _show_draft(self, draft: Draft) -> None:
        if draft.status is DraftStatus.FAILED:
            self.problem = draft.reason or "not sent"
            self.retry_at = draft.retry_at
        elif draft.status is DraftStatus.SENDING:
            self.problem = "being sent by another pumptui"

    # -- live feedback ---------------------------------------------------------------------------

    @on(TextArea.Changed, "#reply-text")
    def _changed(self) -> None:
        social = social_of(self)
        if social is not None:
            self.save_problem = social.save_draft(self.target, self.text)
        self._update_counter()
        self._update_status()  # where the words are now, at once (not at the next tick)
        if self.previewing or self.confirming:
            self._update_preview()

    def _update_counter(self) -> None:
        length = reply_length(self.text)
        counter = self.query_one("#reply-counter", Static)
        counter.update(f"{length} / {self.limit}")
        counter.set_class(length > self.limit, "-over")

    def _update_preview(self) -> None:
        self.query_one("#reply-preview", Static).update(preview_text(self.text))

    def countdown(self) -> float:
        """Seconds until a retry makes sense (0 when it does now)."""
        if self.retry_at is None:
            return 0.0
        return max(0.0, self.retry_at - self._now())

    def _tick(self) -> None:
        self._retry_save()
        self._update_status()

    def _retry_save(self) -> None:
        social = social_of(self)
        if self.save_problem is not None and social is not None:
            self.save_problem = social.retry_unsaved_drafts()

    def _where_kept(self) -> str:
        """Where the text is now, as the status line says it."""
        if self.save_problem is not None:
            return f"Draft not saved ({self.save_problem}): kept in memory, retrying"
        social = social_of(self)
        if social is not None and not social.drafts.persistent:
            return "Draft kept in memory only: lost when pumptui exits"
        return "Draft saved"

    def _update_status(self) -> None:
        status = self.query_one("#reply-status", Static)
        wait = self.countdown()
        if self.sending:
            text = "Sending…"
        elif self.problem and wait > 0:
            text = f"{describe_problem(self.problem)} · retry in {wait:.0f} s"
        elif self.problem:
            text = f"{describe_problem(self.problem)} · ctrl+r to try again"
        elif self.text.strip():
            text = self._where_kept()
        else:
            text = ""
        status.update(Text(text))
        unsaved = self.save_problem is not None and bool(self.text.strip())
        status.set_class((bool(self.problem) or unsaved) and not self.sending, "-problem")
        self.query_one("#reply-send", Button).disabled = self.sending or wait > 0

    def watch_previewing(self, previewing: bool) -> None:
        self.set_class(previewing or self.confirming, "-preview")
        if previewing:
            self._update_preview()

    def watch_confirming(self, confirming: bool) -> None:
        self.set_class(confirming, "-confirming")
        self.set_class(confirming or self.previewing, "-preview")
        if confirming:
            self._update_preview()
            self.query_one("#reply-confirm-send", Button).focus()
        elif self.is_mounted:
            self.editor.focus()

    # -- actions ---------------------------------------------------------------------------------

    def _refusal(self) -> str | None:
        """Why the reply cannot be sent now, or None."""
        text = self.text
        if not text.strip():
            return f"Nothing to send: the {self.target.noun} is empty."
        if reply_length(text) > self.limit:
            return f"Too long: {reply_length(text)} characters, at most {self.limit}."
        self._retry_save()
        if self.save_problem is not None:
            return (
                f"Not sent: the draft could not be saved ({self.save_problem}); "
                "a post is sent only from a saved draft, so it cannot be lost."
            )
        wait = self.countdown()
        if wait > 0:
            return f"The server asked to wait: retry in {wait:.0f} s (the draft is kept)."
        return None

    @on(Button.Pressed, "#reply-send")
    def action_send(self) -> None:
        if self.sending:
            return
        if self.confirming:
            self.confirm()
            return
        refusal = self._refusal()
        if refusal is not None:
            self.notify(refusal, severity="warning", timeout=4, markup=False)
            return
        self.confirming = True

    @on(Button.Pressed, "#reply-confirm-send")
    def confirm(self) -> None:
        refusal = self._refusal()
        social = social_of(self)
        if refusal is not None or social is None or self.sending:
            if refusal is not None:
                self.notify(refusal, severity="warning", timeout=4, markup=False)
            self.confirming = False
            return
        self.sending = True
        self.problem = None
        self._update_status()
        social.post(self.target, self.text, reply_to=self)

    def on_post_finished(self, message: PostFinished) -> None:
        if message.target != self.target:
            return
        self.sending = False
        self.confirming = False
        result = message.result
        if result.ok:
            self.dismiss(result.posted)
            return
        draft = result.draft
        self.problem = draft.reason if draft is not None and draft.reason else result.message
        self.retry_at = (
            result.retry_at
            if result.retry_at is not None
            else (draft.retry_at if draft is not None else None)
        )
        self._update_status()

    @on(Button.Pressed, "#reply-preview-toggle")
    def action_toggle_preview(self) -> None:
        self.previewing = not self.previewing

    @on(Button.Pressed, "#reply-close")
    def action_close(self) -> None:
        if self.confirming:
            self.confirming = False
            return
        self.dismiss(None)
