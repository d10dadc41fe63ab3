"""`RequestCard`: one pending request, shown readably, answered by a click.

A card shows who asks (and which round it is, when the same executor asks again; its number,
"request 2", while another request is open beside it: see `request_numbers`), what changed
since the round before (`round_changes`), the request's content in a box tall enough for a
draft (only a very long one scrolls inside it, so the buttons stay in sight), then the inputs
and buttons its answer type calls for, then a status line:

- a text answer (``str``, or any): **Approve**, or **Revise** with feedback typed in a box;
- a yes/no answer (``bool``): **Approve** or **Reject**;
- a verdict (a dataclass such as ``ReviewResponse(request_id, feedback, approved)``, or a request
  with its own ``approve()`` and ``revise(feedback)``, such as a Magentic plan review; see
  `wfkit.widgets.verdict`): **Approve**, or **Revise** with feedback; the card builds the object;
- a question for the user (a request with ``create_response(text)``, such as a handoff's): a
  reply box and **Send**, and **End the conversation** when the request offers ``terminate()``;
- any other typed answer (a dataclass, a number): a small form (`AnswerForm`) and **Send**.

The card locks itself on the first click, so a double click cannot answer twice; whoever
receives the answer (`on_answer`) decides what happens next, and calls `reopen` if the answer
was refused. A new card carries the class ``wfkit-card-new`` until it is answered: the
`CARD_STYLE` sheet makes it glow briefly when it appears, so the eye finds it.
"""

from __future__ import annotations

import html
from typing import Any, Callable

import ipywidgets as widgets
import traitlets

from ..core.state import PendingRequest
from ..core.typecheck import flatten, is_any, type_name
from ..history.records import preview
from .forms import AnswerForm, humanise
from .inline_code import text_html
from .request_html import request_html
from .round_changes import changes_html
from .verdict import RequestVerdict, Verdict, asks_for_a_reply, verdict_for

AnswerCallback = Callable[[str, Any], None]

# Only a draft longer than this scrolls inside its box, so the buttons below it stay in sight;
# a few hundred words fit without a second scroll bar.
CONTENT_MAX_HEIGHT = "min(70vh, 640px)"

# The look of the cards, sent to the page once by the `ApprovalPrompt` that holds them. A new
# card glows twice and fades; people who ask their system for less motion get an outline.
CARD_STYLE = """<style>
@keyframes wfkit-card-arrives {
  from { box-shadow: 0 0 0 4px rgba(124, 58, 237, 0.45); background-color: #f5f3ff; }
  to { box-shadow: 0 0 0 0 rgba(124, 58, 237, 0); background-color: transparent; }
}
.wfkit-request-card.wfkit-card-new { animation: wfkit-card-arrives 1.2s ease-out 2; }
@media (prefers-reduced-motion: reduce) {
  .wfkit-request-card.wfkit-card-new { animation: none; outline: 2px solid #7c3aed; }
}
</style>"""

NEW_CARD_CLASS = "wfkit-card-new"


def as_pending_request(request: Any) -> PendingRequest:
    """The same four facts from any description of a request: a `RequestInfoEvent`, a
    workflow's `PendingRequest`, or a checkpoint's `PendingRequestDetails`."""
    if isinstance(request, PendingRequest):
        return request
    if getattr(request, "type", None) == "request_info":  # the event that asked it
        return PendingRequest(request.request_id, request.source_executor_id, request.data, request.response_type)
    data = getattr(request, "request_message", getattr(request, "data", None))
    return PendingRequest(request.request_id, request.executor_id, data, getattr(request, "response_type", Any))


def answer_kind(response_type: Any) -> str:
    """Which buttons an answer type calls for: "text", "yes/no" or "form" (a card turns
    "form" into "verdict" when `verdict_for` recognises the type)."""
    members = [m for m in flatten(response_type) if m is not type(None)]
    if any(is_any(m) for m in members) or members == [str]:
        return "text"
    if members == [bool]:
        return "yes/no"
    return "form"


class RequestCard(widgets.VBox):
    """One pending request: what is asked, and the inputs and buttons to answer it.

    `round_number` is how many times this executor has asked in the run so far, this time
    included; from 2 on, the header says "round 2". `previous_round` is (its number, what was
    asked then): the card shows what changed since.
    """

    answered = traitlets.Bool(False, help="True from the first click until the answer is refused")
    label = traitlets.Unicode("", help='"request 2" while another request is open beside this one (see request_numbers)')
    locked = traitlets.Bool(False, help="True while no answer can be taken (another one is being acted on)")

    def __init__(
        self,
        request: Any,
        *,
        approve_answer: str = "approve",
        round_number: int | None = None,
        previous_round: tuple[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.request = as_pending_request(request)
        self.approve_answer = approve_answer
        self.round_number = round_number
        self.kind = answer_kind(self.request.response_type)
        self.verdict: Verdict | RequestVerdict | None = None
        if asks_for_a_reply(self.request.data):
            self.kind = "reply"
        elif self.kind == "form":
            self.verdict = verdict_for(self._answer_type(), self.request.data, self.request.request_id)
            if self.verdict is not None:
                self.kind = "verdict"
        self._answer_callbacks = widgets.CallbackDispatcher()
        self.header = widgets.HTML(self._header_html())
        self.content = widgets.HTML(
            request_html(self.request.data), layout=widgets.Layout(max_height=CONTENT_MAX_HEIGHT, overflow="auto")
        )
        self.content.add_class("wfkit-request-content")
        # A question to the user is the next turn of a conversation, not a revised draft: a diff
        # against the last turn would strike out what was said before, as if it were withdrawn.
        if self.kind == "reply":
            previous_round = None
        self.changes = widgets.HTML(changes_html(previous_round[1], self.request.data, previous_round[0]) if previous_round else "")
        self.status = widgets.HTML()
        self.status.add_class("wfkit-card-status")
        self.feedback: widgets.Textarea | None = None
        self.form: AnswerForm | None = None
        self.buttons: dict[str, widgets.Button] = {}
        inputs = self._build_inputs()
        self.button_row = widgets.HBox(list(self.buttons.values()))
        self.button_row.add_class("wfkit-card-buttons")
        super().__init__(
            children=[self.header, *([self.changes] if previous_round else []), self.content, *inputs, self.button_row, self.status],
            layout=widgets.Layout(border="1px solid #c4b5fd", padding="6px", margin="4px 0"),
            **kwargs,
        )
        self.add_class("wfkit-request-card")
        self.add_class(NEW_CARD_CLASS)

    def _answer_type(self) -> Any:
        # ``ReviewResponse | None`` is answered like ``ReviewResponse``.
        members = [m for m in flatten(self.request.response_type) if m is not type(None)]
        return members[0] if len(members) == 1 else self.request.response_type

    def _header_html(self) -> str:
        # Who asks, which request and round when that needs saying, and what kind of answer it
        # takes; never the request's id, which tells a person nothing.
        request = self.request
        marks = [(self.label, "wfkit-card-label")] if self.label else []
        if self.round_number and self.round_number > 1:
            marks.append((f"round {self.round_number}", "wfkit-card-round"))
        shown = "".join(
            f' · <span class="{css}" style="color:#7c3aed;font-weight:600">{html.escape(text)}</span>' for text, css in marks
        )
        return (
            f"<b>{html.escape(request.executor_id)}</b> asks{shown} "
            f'<span style="color:#64748b;font-size:11px">(answer: {html.escape(self._answer_words())})</span>'
        )

    @traitlets.observe("label")
    def _label_changed(self, change: dict[str, Any]) -> None:
        self.header.value = self._header_html()

    def _answer_words(self) -> str:
        # A question for the user takes any reply: its declared type (often `object`) says nothing.
        return "your reply" if self.kind == "reply" else type_name(self.request.response_type)

    def _build_inputs(self) -> list[widgets.Widget]:
        if self.kind == "text":
            self.feedback = self._feedback_box("Feedback for a revision (needed for Revise)")
            self._add_button("Approve", "success", lambda: self.approve_answer)
            self._add_button("Revise", "warning", self._feedback_text)
            return [self.feedback]
        if self.kind == "yes/no":
            self._add_button("Approve", "success", lambda: True)
            self._add_button("Reject", "danger", lambda: False)
            return []
        if self.kind == "verdict":
            return self._build_verdict_inputs(self.verdict)
        if self.kind == "reply":
            return self._build_reply_inputs()
        self.form = AnswerForm(self._answer_type(), self.request.data, self.request.request_id)
        self._add_button("Send", "primary", self.form.answer)
        return [self.form]

    def _build_verdict_inputs(self, verdict: Verdict | RequestVerdict) -> list[widgets.Widget]:
        if verdict.feedback_field is None:  # nothing to say why: a plain yes or no
            self._add_button("Approve", "success", lambda: verdict.build(True))
            self._add_button("Reject", "danger", lambda: verdict.build(False))
            return []
        label = humanise(verdict.feedback_field)
        when = "needed for Revise, optional for Approve" if verdict.feedback_on_approve else "needed for Revise"
        self.feedback = self._feedback_box(f"{label}: what should change? ({when})")
        self._add_button("Approve", "success", lambda: verdict.build(True, self.feedback.value.strip()))
        self._add_button("Revise", "warning", lambda: verdict.build(False, self._feedback_text()))
        return [self.feedback]

    def _build_reply_inputs(self) -> list[widgets.Widget]:
        data = self.request.data
        self.feedback = self._feedback_box("Your reply")
        self._add_button("Send", "primary", lambda: data.create_response(self._typed("Type your reply first, then click Send.")))
        if callable(getattr(data, "terminate", None)):
            self._add_button("End the conversation", "", data.terminate)
            self.buttons["End the conversation"].layout.width = "auto"  # the default width cuts the label
        return [self.feedback]

    def _feedback_box(self, placeholder: str) -> widgets.Textarea:
        return widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="95%", height="60px"))

    def _add_button(self, label: str, style: str, value: Callable[[], Any]) -> None:
        # As wide as its label needs ("End the conversation"), never narrower than the usual button.
        layout = widgets.Layout(width="auto", min_width="148px")
        button = widgets.Button(description=label, button_style=style, tooltip=f"{label} (answers this request)", layout=layout)
        button.on_click(lambda _: self.submit(value))
        self.buttons[label] = button

    def _feedback_text(self) -> str:
        return self._typed("Type your feedback in the box first, then click Revise.")

    def _typed(self, missing: str) -> str:
        text = (self.feedback.value if self.feedback else "").strip()
        if not text:
            raise ValueError(missing)
        return text

    def on_answer(self, callback: AnswerCallback, remove: bool = False) -> None:
        """Call ``callback(request_id, answer)`` when this card is answered."""
        self._answer_callbacks.register_callback(callback, remove=remove)

    def submit(self, read_answer: Callable[[], Any]) -> bool:
        """Answer the request with ``read_answer()``; False if it was already answered or the
        inputs do not make an answer. The buttons call this."""
        if self.answered:
            return False  # a second click, or a click on a lagging page: the first one counts
        try:
            answer = read_answer()
        except ValueError as error:
            self.status.value = f'<span style="color:#dc2626">{text_html(str(error))}</span>'
            return False
        self.answered = True
        self.status.value = f"Sending {html.escape(preview(answer, 80))}"
        self._answer_callbacks(self.request.request_id, answer)
        return True

    def reopen(self, reason: str) -> None:
        """The answer was refused: unlock the card and say why."""
        self.answered = False
        self.status.value = f'<span style="color:#dc2626">{text_html(reason)}</span>'

    @traitlets.observe("answered", "locked")
    def _lock(self, change: dict[str, Any]) -> None:
        disabled = self.answered or self.locked
        for button in self.buttons.values():
            button.disabled = disabled
        if self.feedback is not None:
            self.feedback.disabled = disabled
        if self.form is not None:
            self.form.set_disabled(disabled)
        if self.answered:
            self.remove_class(NEW_CARD_CLASS)  # seen and acted on: no longer new

    # --- where widgets cannot run -------------------------------------------------------------

    def asked_html(self) -> str:
        """What the card asks, as plain HTML: who asks (and which round), what changed since the
        round before, and the request's content. An answered card keeps this (`answered`)."""
        return (
            f"{self.header.value}{self.changes.value}"
            f'<div style="max-height:{CONTENT_MAX_HEIGHT};overflow:auto">{self.content.value}</div>'
        )

    def static_html(self) -> str:
        """The open card as plain HTML, for pages that cannot run widgets: what it asks, and its
        status line (why an answer was refused, say). Buttons would be dead there: none is drawn."""
        status = f'<div class="wfkit-card-status">{self.status.value}</div>' if self.status.value else ""
        return f'<div style="border:1px solid #c4b5fd;padding:6px;margin:4px 0">{self.asked_html()}{status}</div>'
