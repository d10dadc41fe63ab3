"""Verdict answers (approved + feedback): Approve / Revise buttons and a feedback box, never a
tick box or an editable id; the card builds the answer object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from tests.core.review_workflows import HumanReviewRequest, ReviewRequest, ReviewResponse
from wfkit.core.state import PendingRequest
from wfkit.widgets import ApprovalPrompt
from wfkit.widgets.verdict import Verdict, verdict_for


def review_request(request_id: str = "uuid-7") -> PendingRequest:
    data = HumanReviewRequest(agent_request=ReviewRequest("r1", "What is 2+2?", "4"))
    return PendingRequest(request_id, "reviewer", data, ReviewResponse)


def card_for(request: PendingRequest) -> tuple[Any, list[tuple[str, Any]]]:
    prompt = ApprovalPrompt()
    received: list[tuple[str, Any]] = []
    prompt.on_answer(lambda request_id, answer: received.append((request_id, answer)))
    prompt.add(request)
    return prompt.cards[request.request_id], received


def test_a_review_response_is_recognised_as_a_verdict_with_the_id_from_the_request():
    verdict = verdict_for(ReviewResponse, review_request().data, "uuid-7")
    assert verdict == Verdict(ReviewResponse, "approved", "feedback", {"request_id": "r1"})


def test_a_verdict_card_offers_approve_and_revise_with_a_feedback_box_and_no_form():
    card, _ = card_for(review_request())
    assert card.kind == "verdict" and card.form is None
    assert list(card.buttons) == ["Approve", "Revise"]
    assert isinstance(card.feedback, widgets.Textarea) and "Feedback" in card.feedback.placeholder
    editable = [w for w in card.children if isinstance(w, (widgets.Text, widgets.Checkbox))]
    assert editable == [] and "Send" not in card.buttons


def test_approve_sends_approved_with_empty_feedback():
    card, received = card_for(review_request())
    card.buttons["Approve"].click()
    assert received == [("uuid-7", ReviewResponse(request_id="r1", feedback="", approved=True))]


def test_approve_keeps_feedback_typed_anyway():
    card, received = card_for(review_request())
    card.feedback.value = " Nice and short. "
    card.buttons["Approve"].click()
    assert received == [("uuid-7", ReviewResponse(request_id="r1", feedback="Nice and short.", approved=True))]


def test_revise_sends_not_approved_with_the_typed_feedback():
    card, received = card_for(review_request())
    card.feedback.value = "Show the working"
    card.buttons["Revise"].click()
    assert received == [("uuid-7", ReviewResponse(request_id="r1", feedback="Show the working", approved=False))]
    assert card.answered and card.feedback.disabled and card.buttons["Approve"].disabled


def test_revise_without_feedback_says_so_on_the_card_and_sends_nothing():
    card, received = card_for(review_request())
    card.buttons["Revise"].click()
    assert received == [] and not card.answered
    assert "Type your feedback" in card.status.value
    card.feedback.value = "Add an example."
    card.buttons["Revise"].click()  # the card is still open: now it works
    assert received == [("uuid-7", ReviewResponse(request_id="r1", feedback="Add an example.", approved=False))]


@dataclass
class Sign:
    ok: bool
    ticket_id: str = "none"


def test_a_verdict_without_a_feedback_field_gets_approve_and_reject():
    card, received = card_for(PendingRequest("s", "gate", "Sign off?", Sign))
    assert card.kind == "verdict" and list(card.buttons) == ["Approve", "Reject"] and card.feedback is None
    card.buttons["Reject"].click()
    assert received == [("s", Sign(ok=False))]


@dataclass
class Judgement:
    is_approved: bool
    comment: str
    reviewer: str = "a person"
    tags: list[str] = field(default_factory=list)


def test_fields_with_defaults_keep_their_defaults():
    card, received = card_for(PendingRequest("j", "judge", "Good?", Judgement))
    card.feedback.value = "too long"
    card.buttons["Revise"].click()
    assert received == [("j", Judgement(is_approved=False, comment="too long"))]


@dataclass
class ScoredReview:
    approved: bool
    feedback: str
    score: int  # nobody but the person knows it, and it has no default


def test_a_field_nobody_can_fill_in_falls_back_to_the_form():
    card, _ = card_for(PendingRequest("x", "judge", "Good?", ScoredReview))
    assert card.kind == "form" and list(card.buttons) == ["Send"]
    assert list(card.form.inputs) == ["approved", "feedback", "score"]
    assert card.form.inputs["feedback"].widget.description == "Feedback"


@dataclass
class TwoSwitches:
    approved: bool
    accepted: bool


def test_two_yes_no_fields_are_not_guessed_between():
    assert verdict_for(TwoSwitches, "?", "r") is None


@dataclass
class StrictReview:
    approved: bool
    feedback: str

    def __post_init__(self) -> None:
        if self.approved and self.feedback:
            raise ValueError("an approval carries no feedback")


def test_a_refusal_by_the_dataclass_itself_is_shown_on_the_card():
    card, received = card_for(PendingRequest("s", "judge", "Good?", StrictReview))
    card.feedback.value = "fine"
    card.buttons["Approve"].click()
    assert received == [] and "an approval carries no feedback" in card.status.value and not card.answered


def test_an_optional_verdict_type_is_still_a_verdict():
    card, received = card_for(PendingRequest("o", "reviewer", review_request().data, ReviewResponse | None))
    card.buttons["Approve"].click()
    assert card.kind == "verdict" and received == [("o", ReviewResponse("r1", "", True))]
