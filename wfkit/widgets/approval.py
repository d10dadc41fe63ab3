"""`ApprovalPrompt`: one card per pending request, each answered by a click.

A card shows who asks and the request's content (the draft as readable text), and offers
the answer its type calls for:

- a text answer (``str``, or any): **Approve**, or **Revise** with feedback typed in a box;
- a yes/no answer (``bool``): **Approve** or **Reject**;
- a typed answer (a dataclass such as ``ReviewResponse``, or a number): a small form built
  from its fields (`AnswerForm`) and **Send**.

A click answers exactly the card's request. The card locks itself on the first click, so a
double click cannot answer twice; whoever receives the answer (`on_answer`) decides what
happens next, and calls `reopen` if the answer was refused. Setting ``locked`` on the prompt
locks every card for a while (the `CheckpointBrowser` does, while the answer it acts on runs).
"""

from __future__ import annotations

import html
from typing import Any, Callable

import ipywidgets as widgets
import traitlets

from ..core.events import RequestInfoEvent, short_repr
from ..core.state import PendingRequest
from ..core.typecheck import flatten, is_any, type_name
from .forms import AnswerForm
from .request_html import request_html

AnswerCallback = Callable[[str, Any], None]


def as_pending_request(request: Any) -> PendingRequest:
    """The same four facts from any description of a request: a `RequestInfoEvent`, a
    workflow's `PendingRequest`, or a checkpoint's `PendingRequestDetails`."""
    if isinstance(request, PendingRequest):
        return request
    if isinstance(request, RequestInfoEvent):
        return PendingRequest(request.request_id, request.source_executor_id, request.data, request.response_type)
    data = getattr(request, "request_message", getattr(request, "data", None))
    return PendingRequest(request.request_id, request.executor_id, data, getattr(request, "response_type", Any))


def answer_kind(response_type: Any) -> str:
    """Which buttons a card offers: "text", "yes/no" or "form"."""
    members = [m for m in flatten(response_type) if m is not type(None)]
    if any(is_any(m) for m in members) or members == [str]:
        return "text"
    if members == [bool]:
        return "yes/no"
    return "form"


class RequestCard(widgets.VBox):
    """One pending request: what is asked, and the inputs and buttons to answer it."""

    answered = traitlets.Bool(False, help="True from the first click until the answer is refused")
    locked = traitlets.Bool(False, help="True while no answer can be taken (another one is being acted on)")

    def __init__(self, request: Any, *, approve_answer: str = "approve", **kwargs: Any) -> None:
        self.request = as_pending_request(request)
        self.approve_answer = approve_answer
        self.kind = answer_kind(self.request.response_type)
        self._answer_callbacks = widgets.CallbackDispatcher()
        self.header = widgets.HTML(self._header_html())
        self.content = widgets.HTML(request_html(self.request.data))
        self.status = widgets.HTML()
        self.feedback: widgets.Textarea | None = None
        self.form: AnswerForm | None = None
        self.buttons: dict[str, widgets.Button] = {}
        inputs = self._build_inputs()
        super().__init__(
            children=[self.header, self.content, *inputs, widgets.HBox(list(self.buttons.values())), self.status],
            layout=widgets.Layout(border="1px solid #c4b5fd", padding="6px", margin="4px 0"),
            **kwargs,
        )
        self.add_class("wfkit-request-card")

    def _header_html(self) -> str:
        request = self.request
        return (
            f"<b>{html.escape(request.executor_id)}</b> asks "
            f'<span style="color:#64748b;font-size:11px">(request {html.escape(request.request_id)}, '
            f"answer: {html.escape(type_name(request.response_type))})</span>"
        )

    def _build_inputs(self) -> list[widgets.Widget]:
        if self.kind == "text":
            self.feedback = widgets.Textarea(
                placeholder="Feedback for a revision", layout=widgets.Layout(width="95%", height="60px")
            )
            self._add_button("Approve", "success", lambda: self.approve_answer)
            self._add_button("Revise", "warning", self._feedback_text)
            return [self.feedback]
        if self.kind == "yes/no":
            self._add_button("Approve", "success", lambda: True)
            self._add_button("Reject", "danger", lambda: False)
            return []
        self.form = AnswerForm(self.request.response_type, self.request.data, self.request.request_id)
        self._add_button("Send", "primary", self.form.answer)
        return [self.form]

    def _add_button(self, label: str, style: str, value: Callable[[], Any]) -> None:
        button = widgets.Button(description=label, button_style=style, tooltip=f"{label} (answers this request)")
        button.on_click(lambda _: self.submit(value))
        self.buttons[label] = button

    def _feedback_text(self) -> str:
        text = (self.feedback.value if self.feedback else "").strip()
        if not text:
            raise ValueError("Type your feedback in the box first, then click Revise.")
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
            self.status.value = f'<span style="color:#dc2626">{html.escape(str(error))}</span>'
            return False
        self.answered = True
        self.status.value = f"Sending {html.escape(short_repr(answer))}…"
        self._answer_callbacks(self.request.request_id, answer)
        return True

    def reopen(self, reason: str) -> None:
        """The answer was refused: unlock the card and say why."""
        self.answered = False
        self.status.value = f'<span style="color:#dc2626">{html.escape(reason)}</span>'

    @traitlets.observe("answered", "locked")
    def _lock(self, change: dict[str, Any]) -> None:
        disabled = self.answered or self.locked
        for button in self.buttons.values():
            button.disabled = disabled
        if self.feedback is not None:
            self.feedback.disabled = disabled
        if self.form is not None:
            self.form.set_disabled(disabled)


class ApprovalPrompt(widgets.VBox):
    """The cards of every pending request, kept in step with `requests`.

    >>> prompt = ApprovalPrompt()                                  # doctest: +SKIP
    >>> prompt.on_answer(lambda request_id, answer: print(request_id, answer))
    >>> prompt.add(request_info_event)                             # doctest: +SKIP
    """

    requests = traitlets.Dict(help="request id -> PendingRequest: one card each")
    locked = traitlets.Bool(False, help="True while every card is locked (an answer is being acted on)")

    def __init__(self, *, approve_answer: str = "approve", **kwargs: Any) -> None:
        self.approve_answer = approve_answer
        self.cards: dict[str, RequestCard] = {}
        self._answer_callbacks = widgets.CallbackDispatcher()
        self.title = widgets.HTML()
        super().__init__(children=[self.title], **kwargs)
        self.add_class("wfkit-approval-prompt")
        self._sync_cards()

    def on_answer(self, callback: AnswerCallback, remove: bool = False) -> None:
        """Call ``callback(request_id, answer)`` when any card is answered."""
        self._answer_callbacks.register_callback(callback, remove=remove)

    def add(self, request: Any) -> None:
        """Show a card for `request` (a `RequestInfoEvent` or a pending request)."""
        pending = as_pending_request(request)
        self.requests = {**self.requests, pending.request_id: pending}

    def show_only(self, requests: Any) -> None:
        """Show cards for exactly these requests (cards already shown keep what was typed)."""
        self.requests = {p.request_id: p for p in map(as_pending_request, requests)}

    def reopen(self, request_ids: Any, reason: str) -> None:
        """Unlock the cards of refused answers, with the reason."""
        for request_id in request_ids:
            if request_id in self.cards:
                self.cards[request_id].reopen(reason)

    @traitlets.observe("requests")
    def _requests_changed(self, change: dict[str, Any]) -> None:
        self._sync_cards()

    @traitlets.observe("locked")
    def _locked_changed(self, change: dict[str, Any]) -> None:
        for card in self.cards.values():
            card.locked = change["new"]

    def _sync_cards(self) -> None:
        for request_id in list(self.cards):
            if request_id not in self.requests:
                close_tree(self.cards.pop(request_id))
        for request_id, request in self.requests.items():
            if request_id not in self.cards:
                card = RequestCard(request, approve_answer=self.approve_answer)
                card.locked = self.locked
                card.on_answer(self._answer_callbacks)
                self.cards[request_id] = card
        count = len(self.cards)
        self.title.value = (
            f"<b>{count} request{'s' if count != 1 else ''} waiting for your answer</b>" if count else ""
        )
        self.layout.display = None if count else "none"
        self.children = [self.title, *self.cards.values()]

    def static_html(self) -> str:
        """The open requests as plain HTML, for pages that cannot run widgets."""
        return "".join(
            f'<div style="border:1px solid #c4b5fd;padding:6px;margin:4px 0">{card.header.value}'
            f"{card.content.value}</div>"
            for card in self.cards.values()
        )


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and everything inside it, so the page forgets them."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
