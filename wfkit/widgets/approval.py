"""`ApprovalPrompt`: one card (`RequestCard`) per pending request, each answered by a click.

The prompt keeps its cards in step with `requests`: `add` shows a request as it arrives,
`show_only` keeps exactly the ones still pending (cards already shown keep what was typed).
A click answers exactly its card's request; whoever receives the answer (`on_answer`) decides
what happens next, and calls `reopen` if the answer was refused. Setting ``locked`` locks every
card for a while (while the answer it acts on runs).

Rounds: a revise loop asks the same executor again and again. The prompt counts the requests
each executor has asked through `add` (the live events of a run) and the card says "round 2",
"round 3"..., and shows what changed since the round before (`round_changes`). `clear()` starts the count again, for a new run; `show_only` never does, because
between two rounds of a loop there may be no request pending at all.

When a run is replaced (a re-run) or cancelled, `retire(note)` closes every card and leaves a
one-line note in their place; the next `add` starts afresh.

Answered cards go from the page, but not from the record: `note_answered` keeps each one with
its answer and who gave it (`answered.AnsweredRequest`), so the run's static picture
(`static_html`, what an exported lesson or a notebook saved without widget state shows) tells
every question and its answer, in order. An answer refused (`reopen`) leaves the record again.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

import ipywidgets as widgets
import traitlets

from ..history.records import one_line
from .answered import AnsweredRequest
from .request_card import CARD_STYLE, AnswerCallback, RequestCard, answer_kind, as_pending_request

__all__ = ["ApprovalPrompt", "RequestCard", "answer_kind", "as_pending_request", "close_tree"]


class ApprovalPrompt(widgets.VBox):
    """The cards of every pending request, kept in step with `requests`.

    >>> prompt = ApprovalPrompt()                                  # doctest: +SKIP
    >>> prompt.on_answer(lambda request_id, answer: print(request_id, answer))
    >>> prompt.add(request_info_event)                             # doctest: +SKIP
    >>> prompt.retire("This run was replaced by a new one.")       # doctest: +SKIP
    """

    requests = traitlets.Dict(help="request id -> PendingRequest: one card each")
    locked = traitlets.Bool(False, help="True while every card is locked (an answer is being acted on)")
    note = traitlets.Unicode("", help="a line shown while there is no card, e.g. why the cards were closed")

    def __init__(self, *, approve_answer: str = "approve", **kwargs: Any) -> None:
        self.approve_answer = approve_answer
        self.cards: dict[str, RequestCard] = {}
        self.rounds: Counter[str] = Counter()  # executor id -> requests it asked since the last clear()
        self._round_of: dict[str, int] = {}  # request id -> its round
        self._last_asked: dict[str, Any] = {}  # executor id -> what it asked last time
        self._previous_of: dict[str, tuple[int, Any]] = {}  # request id -> (round, what) the round before
        self.answered: dict[str, AnsweredRequest] = {}  # request id -> its answer, in the order given
        self._answer_callbacks = widgets.CallbackDispatcher()
        # A <style> applies to the whole page even from a hidden element.
        self.style_sheet = widgets.HTML(CARD_STYLE, layout=widgets.Layout(display="none"))
        self.title = widgets.HTML()
        super().__init__(children=[self.style_sheet, self.title], **kwargs)
        self.add_class("wfkit-approval-prompt")
        self._sync_cards()

    def on_answer(self, callback: AnswerCallback, remove: bool = False) -> None:
        """Call ``callback(request_id, answer)`` when any card is answered."""
        self._answer_callbacks.register_callback(callback, remove=remove)

    def add(self, request: Any) -> None:
        """Show a card for `request` (a `RequestInfoEvent` or a pending request), counting it
        as the next round of the executor that asks."""
        pending = as_pending_request(request)
        if pending.request_id not in self._round_of:
            self.rounds[pending.executor_id] += 1
            round_number = self._round_of[pending.request_id] = self.rounds[pending.executor_id]
            if pending.executor_id in self._last_asked:
                self._previous_of[pending.request_id] = (round_number - 1, self._last_asked[pending.executor_id])
            self._last_asked[pending.executor_id] = pending.data
        self.requests = {**self.requests, pending.request_id: pending}

    def show_only(self, requests: Any) -> None:
        """Show cards for exactly these requests (cards already shown keep what was typed).
        The round count goes on: see `clear`."""
        self.requests = {p.request_id: p for p in map(as_pending_request, requests)}

    def note_answered(self, request_id: str, answer: Any, by: str = "") -> None:
        """Keep `answer` to `request_id` for the static picture, with the card as it was. `by`
        says who answered when it was not a click ("in code: run(..., answers=...)"); a
        clicked card says "by a click on the card" whatever `by` says."""
        self.answered[request_id] = AnsweredRequest.from_card(request_id, self.cards.get(request_id), answer, by)

    def reopen(self, request_ids: Any, reason: str) -> None:
        """Unlock the cards of refused answers, with the reason."""
        for request_id in request_ids:
            self.answered.pop(request_id, None)  # not taken after all: the card is open again
            if request_id in self.cards:
                self.cards[request_id].reopen(reason)

    def clear(self) -> None:
        """No cards, no note, no answers kept, and the rounds counted from 1 again: a new run starts."""
        self.requests = {}
        self.answered.clear()
        self.rounds.clear()
        self._round_of.clear()
        self._last_asked.clear()
        self._previous_of.clear()
        self.note = ""

    def retire(self, note: str) -> None:
        """Close every card and show `note` (one line) instead, e.g. when the run they belong
        to was replaced by a re-run or cancelled. The next `add` starts a fresh set of cards.
        The answers given so far stay in the static picture: they are what happened."""
        answered = dict(self.answered)
        self.clear()
        self.answered.update(answered)
        self.note = note

    @traitlets.observe("requests")
    def _requests_changed(self, change: dict[str, Any]) -> None:
        self._sync_cards()

    @traitlets.observe("note")
    def _note_changed(self, change: dict[str, Any]) -> None:
        self._draw_title()

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
                card = RequestCard(
                    request,
                    approve_answer=self.approve_answer,
                    round_number=self._round_of.get(request_id),
                    previous_round=self._previous_of.get(request_id),
                )
                card.locked = self.locked
                card.on_answer(self._answer_callbacks)
                self.cards[request_id] = card
        if self.cards:
            self.note = ""  # a note is about cards that are gone; new ones make it stale
        self._draw_title()
        self.children = [self.style_sheet, self.title, *self.cards.values()]

    def _draw_title(self) -> None:
        self.title.value = self.title_html()
        # "" (not None) shows it again: JupyterLite's kernel sends None as "leave it", so the box
        # would stay hidden there (seen in tests/browser/test_lite.py).
        self.layout.display = "" if (self.cards or self.note) else "none"

    def title_html(self) -> str:
        """"2 requests waiting for your answer", or the note when there is no card."""
        count = len(self.cards)
        if count:
            return f"<b>{count} request{'s' if count != 1 else ''} waiting for your answer</b>"
        if self.note:
            note = html.escape(one_line(self.note))
            return f'<div class="wfkit-prompt-note" style="color:#64748b">{note}</div>'
        return ""

    def static_html(self) -> str:
        """The prompt as plain HTML, for pages that cannot run widgets: every request answered
        so far with its answer, then the ones still open (or the note)."""
        parts = []
        if self.answered:
            count = len(self.answered)
            parts.append(f"<div><b>{count} request{'s' if count != 1 else ''} answered</b></div>")
            parts.extend(answered.static_html() for answered in self.answered.values())
        parts.append(self.title_html())
        parts.extend(card.static_html() for card in self.cards.values())
        return "".join(parts)


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and everything inside it, so the page forgets them."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
