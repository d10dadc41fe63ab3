"""Verdicts: typed answers that say "approved, or not, and why", built from a button click.

Many requests ask a person to judge something, and the answer type says so::

    @dataclass
    class ReviewResponse:
        request_id: str     # which review: the request knows it
        feedback: str       # why not, or what to change
        approved: bool      # the verdict

A form with a tick box for ``approved`` and a Send button would let a person send "not
approved" by forgetting to tick it. A card for a verdict offers **Approve** and **Revise**
(with a feedback box) instead, and builds the answer itself: `Verdict.build`.

An answer type is a verdict when it is a dataclass with

- exactly one ``bool`` field named like a verdict (`VERDICT_NAMES`: ``approved``, ``ok``...),
- at most one ``str`` field named like feedback (`FEEDBACK_NAMES`), which the person types,
- and every other field known without asking: filled in from the request (`prefilled_fields`:
  most often its id) or given a default by the dataclass.

Anything else (a field nobody can fill in for the person) gets the general `AnswerForm`.

Some requests know their own answers, as Agent Framework's do: a Magentic plan review offers
``request.approve()`` and ``request.revise(feedback)``. Such a request gets the same two buttons,
and the card calls those methods (`RequestVerdict`), whatever the answer type looks like.
A request that asks the user something offers ``create_response(text)`` instead (a handoff's
"what should I tell the customer?"): the card gives it a reply box (`asks_for_a_reply`).

When nobody clicks (papermill, CI), the words a person would use work as answers too:
`answer_from_text` turns ``"approve"`` or a revision's text into the answer the card would send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.typecheck import is_instance, type_name
from .forms import field_defaults, field_types, is_dataclass_type, prefilled_fields, without_none

# Names of the yes/no field of a verdict, and of its text field (compared in lower case).
VERDICT_NAMES = ("approved", "approve", "approval", "accepted", "accept", "ok", "is_approved", "is_ok")
FEEDBACK_NAMES = ("feedback", "comment", "comments", "reason", "notes", "note", "guidance")


@dataclass(frozen=True)
class Verdict:
    """How to build a verdict answer of `response_type` from a click.

    `verdict_field` takes True (Approve) or False (Revise / Reject); `feedback_field`, if the
    type has one, takes the typed text; `known` holds the values of the other fields that come
    from the request. Fields left out take the dataclass's defaults.

    >>> verdict = verdict_for(ReviewResponse, request_data, request_id)   # doctest: +SKIP
    >>> verdict.build(False, "Add an example.")                           # doctest: +SKIP
    ReviewResponse(request_id='review-1', feedback='Add an example.', approved=False)
    """

    response_type: type
    verdict_field: str
    feedback_field: str | None = None
    known: dict[str, Any] = field(default_factory=dict)
    # Feedback typed before clicking Approve goes into the answer too.
    feedback_on_approve = True

    def build(self, approved: bool, feedback: str = "") -> Any:
        """The answer: ``approved`` and ``feedback`` (ignored if the type has no feedback field).
        ValueError with a readable reason if the dataclass refuses the values."""
        values = {**self.known, self.verdict_field: approved}
        if self.feedback_field is not None:
            values[self.feedback_field] = feedback
        try:
            return self.response_type(**values)
        except Exception as error:  # the dataclass's own checks (__post_init__) said no
            raise ValueError(f"This is not a valid {type_name(self.response_type)}: {error}") from error


@dataclass(frozen=True)
class RequestVerdict:
    """A verdict the request builds itself, with its own ``approve()`` and ``revise(feedback)``.

    >>> RequestVerdict(plan_review).build(False, "Ask billing first.")   # doctest: +SKIP
    MagenticPlanReviewResponse(review=[Message(role=user, text='Ask billing first.')])
    """

    request_data: Any
    feedback_field: str | None = "feedback"
    # ``approve()`` takes no words: feedback typed before Approve has nowhere to go.
    feedback_on_approve = False

    def build(self, approved: bool, feedback: str = "") -> Any:
        """``request.approve()``, or ``request.revise(feedback)``."""
        return self.request_data.approve() if approved else self.request_data.revise(feedback)


def answers_itself(request_data: Any) -> bool:
    """True if the request offers ``approve()`` and ``revise(feedback)`` to build its answers."""
    return callable(getattr(request_data, "approve", None)) and callable(getattr(request_data, "revise", None))


def asks_for_a_reply(request_data: Any) -> bool:
    """True if the request is a question for the user, answered by ``create_response(text)``."""
    return callable(getattr(request_data, "create_response", None))


# What a person types to say yes, when answers are given as words (compared in lower case).
APPROVING_WORDS = ("approve", "approved", "yes", "ok")


def answer_from_text(text: str, response_type: Any, request_data: Any, request_id: str) -> Any:
    """The answer a card would send for these words: a reply for a question to the user;
    for a verdict, Approve for ``"approve"`` (or yes, ok) and Revise with the text for anything
    else. Text the request takes as it is, or no card rule fits, is returned unchanged."""
    if is_instance(text, response_type):
        return text
    if asks_for_a_reply(request_data):
        return request_data.create_response(text)
    verdict = verdict_for(response_type, request_data, request_id)
    if verdict is None:
        return text
    approved = text.strip().lower() in APPROVING_WORDS
    return verdict.build(approved, "" if approved else text.strip())


def verdict_for(response_type: Any, request_data: Any, request_id: str) -> Verdict | RequestVerdict | None:
    """The `Verdict` for answers of `response_type` to this request, or None if the type is not
    a verdict (or has a field that only a person could fill in). A request that answers itself
    gets a `RequestVerdict`."""
    if answers_itself(request_data):
        return RequestVerdict(request_data)
    if not is_dataclass_type(response_type):
        return None
    types = field_types(response_type)
    verdicts = [name for name, tp in types.items() if name.lower() in VERDICT_NAMES and without_none(tp) is bool]
    if len(verdicts) != 1:
        return None  # none, or two candidates: which one means "approved" is a guess
    feedbacks = [name for name, tp in types.items() if name.lower() in FEEDBACK_NAMES and without_none(tp) is str]
    feedback_field = feedbacks[0] if feedbacks else None
    known = prefilled_fields(response_type, request_data, request_id)
    defaults = field_defaults(response_type)
    others = {}
    for name in types:
        if name in (verdicts[0], feedback_field):
            continue  # the person's part: never taken from the request
        if name in known:
            others[name] = known[name]
        elif name not in defaults:
            return None  # nobody but the person knows this value: the full form asks for it
    return Verdict(response_type, verdicts[0], feedback_field, others)
