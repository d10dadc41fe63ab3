"""The cards under the run explorer's graph: a step's open requests, answered to fork.

At a step that waits for a person, each open request gets the same `RequestCard` a live run
shows: the whole request (a draft in full, not a one-line preview), its round and what changed
since the round before, and the same buttons (Approve / Revise for a text answer, Approve /
Reject for a yes or no, a small form for a typed answer). A line above the cards says what
answering does here: the run goes on from this step's checkpoint with the answer, as a new
branch, and the run recorded stays as it was.

The rounds are counted along the branch shown, up to the step: the second request an executor
asks is round 2, and its card shows what changed since round 1.
"""

from __future__ import annotations

import html
from typing import Any, Callable

import ipywidgets as widgets

from ..checkpoint.contents import is_left_as_saved, missing_types, why_left_as_saved
from ..core.state import PendingRequest
from ..history.records import OpenRequest, Superstep
from .request_card import CARD_STYLE, RequestCard

# Called with (request id, answer) when a card is answered; the explorer forks with it.
ForkCallback = Callable[[str, Any], None]


def fork_cards(steps: list[Superstep], position: int, stop_label: str, on_answer: ForkCallback) -> list[widgets.Widget]:
    """The widgets that answer the open requests of ``steps[position]``: a line saying that an
    answer forks from step `stop_label`, then a `RequestCard` per request (or a note, for a
    request whose answer type this session cannot build). None for a step that asks nothing."""
    step = steps[position]
    if not step.pending_requests:
        return []
    rounds = rounds_up_to(steps[: position + 1])
    shown: list[widgets.Widget] = [
        widgets.HTML(CARD_STYLE, layout=widgets.Layout(display="none")),  # the cards' look, as a live run has it
        widgets.HTML(
            f"<div class='wfkit-fork-note' style='font-size:13px;margin-top:6px'><b>Answer here to fork from step "
            f"{html.escape(stop_label)}</b>: the run goes on from that step's checkpoint with your answer, as a new "
            "branch; the run recorded stays as it was.</div>"
        ),
    ]
    for request_id, request in step.pending_requests.items():
        if is_left_as_saved(request.response_type):  # only an answer needs the type rebuilt
            shown.append(widgets.HTML(_note(unbuilt_type_note(request.executor_id, request.response_type))))
            continue
        round_number, previous = rounds.get(request_id, (None, None))
        card = RequestCard(_pending(request), round_number=round_number, previous_round=previous)
        card.on_answer(on_answer)
        shown.append(card)
    return shown


def rounds_up_to(steps: list[Superstep]) -> dict[str, tuple[int, tuple[int, Any] | None]]:
    """Request id -> (its round, (the round before, what was asked then) or None), for every
    request asked in `steps`: each executor's requests are counted in the order asked."""
    asked: dict[str, list[OpenRequest]] = {}  # executor id -> its requests, in order
    rounds: dict[str, tuple[int, tuple[int, Any] | None]] = {}
    for step in steps:
        for request_id in step.changes.requests_asked:
            request = step.changes.requests.get(request_id) or step.pending_requests.get(request_id)
            if request is None:
                continue
            earlier = asked.setdefault(request.executor_id, [])
            before = (len(earlier), earlier[-1].data) if earlier else None
            earlier.append(request)
            rounds[request_id] = (len(earlier), before)
    return rounds


def cards_in(widgets_shown: list[widgets.Widget]) -> list[RequestCard]:
    """The `RequestCard`s among what `fork_cards` made."""
    return [widget for widget in widgets_shown if isinstance(widget, RequestCard)]


def _pending(request: OpenRequest) -> PendingRequest:
    return PendingRequest(request.request_id, request.executor_id, request.data, request.response_type or Any)


def _note(text: str) -> str:
    return f"<div style='color:#475569;font-size:13px'>{html.escape(text)}</div>"


def unbuilt_type_note(executor_id: str, saved: Any) -> str:
    """What the panel says when the answer's type is still the data the checkpoint saved:
    most often its class was defined in a notebook cell not run since the kernel restarted."""
    missing = missing_types(saved)
    if not missing:  # the class is there but changed since, say: the checkpoint's own words
        why = why_left_as_saved(saved)
        return f"{executor_id}'s request wants an answer whose type this session cannot rebuild: {why}"
    classes = " and ".join(name.rpartition(".")[2] for name in missing)
    return (
        f"{executor_id}'s request wants an answer of type {classes}, which this session cannot rebuild: no "
        f"class is registered as {', '.join(repr(name) for name in missing)}. To fork from here, run the "
        f"cell that defines {classes} (or import it), then open the explorer again."
    )
