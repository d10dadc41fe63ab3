"""ApprovalPrompt and its cards: readable requests, the right buttons, one answer per click."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import ipywidgets as widgets

from tests.core.review_workflows import HumanApprovalRequest, HumanReviewRequest, ReviewRequest, ReviewResponse
from wfkit import RequestInfoEvent
from wfkit.core.state import PendingRequest
from wfkit.widgets import AnswerForm, ApprovalPrompt, RequestCard
from wfkit.widgets.request_card import CONTENT_MAX_HEIGHT

DRAFT = "New: the grinder.\nPre-order today!"


def approval_request(request_id: str = "rq-1") -> PendingRequest:
    data = HumanApprovalRequest(prompt="Approve or give guidance.", draft=DRAFT, iteration=2, request_id=request_id)
    return PendingRequest(request_id, "review", data, str)


def review_request(request_id: str = "uuid-7") -> PendingRequest:
    data = HumanReviewRequest(agent_request=ReviewRequest("r1", "What is 2+2?", "4"))
    return PendingRequest(request_id, "reviewer", data, ReviewResponse)


def answers_of(prompt: ApprovalPrompt) -> list[tuple[str, Any]]:
    received: list[tuple[str, Any]] = []
    prompt.on_answer(lambda request_id, answer: received.append((request_id, answer)))
    return received


def test_a_card_shows_the_draft_as_text_with_its_line_breaks():
    card = RequestCard(approval_request())
    assert "white-space:pre-wrap" in card.content.value
    assert "New: the grinder.\nPre-order today!" in card.content.value
    assert "Approve or give guidance." in card.content.value
    assert "review" in card.header.value
    assert "source_executor_id" not in card.content.value  # bookkeeping stays out of the body


def test_approve_answers_the_request_with_the_approve_word():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(approval_request())
    prompt.cards["rq-1"].buttons["Approve"].click()
    assert received == [("rq-1", "approve")]


def test_revise_answers_with_the_feedback_typed_in_the_box():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(approval_request())
    card = prompt.cards["rq-1"]
    card.feedback.value = "  Mention the price  "
    card.buttons["Revise"].click()
    assert received == [("rq-1", "Mention the price")]


def test_revise_without_feedback_asks_for_it_and_answers_nothing():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(approval_request())
    card = prompt.cards["rq-1"]
    card.buttons["Revise"].click()
    assert received == [] and not card.answered
    assert "Type your feedback" in card.status.value


def test_a_double_click_answers_once_and_locks_the_card():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(approval_request())
    card = prompt.cards["rq-1"]
    card.buttons["Approve"].click()
    card.buttons["Approve"].click()
    card.buttons["Revise"].click()
    assert received == [("rq-1", "approve")]
    assert card.buttons["Approve"].disabled and card.buttons["Revise"].disabled and card.feedback.disabled


def test_a_refused_answer_reopens_the_card_with_the_reason():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(approval_request())
    card = prompt.cards["rq-1"]
    card.buttons["Approve"].click()
    prompt.reopen(["rq-1"], "No pending request has id 'rq-1'.")
    assert not card.buttons["Approve"].disabled and "No pending request" in card.status.value
    card.buttons["Approve"].click()
    assert received == [("rq-1", "approve"), ("rq-1", "approve")]


def test_several_requests_get_one_card_each_and_a_click_answers_only_its_own():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    for request_id in ("a", "b", "c"):
        prompt.add(approval_request(request_id))
    assert list(prompt.cards) == ["a", "b", "c"] and "3 requests" in prompt.title.value
    prompt.cards["b"].buttons["Approve"].click()
    assert received == [("b", "approve")]
    assert not prompt.cards["a"].answered and not prompt.cards["c"].answered


def test_show_only_removes_answered_cards_and_keeps_typed_text_in_the_others():
    prompt = ApprovalPrompt()
    prompt.add(approval_request("a"))
    prompt.add(approval_request("b"))
    prompt.cards["b"].feedback.value = "half typed"
    kept = prompt.cards["b"]
    prompt.show_only([approval_request("b")])
    assert list(prompt.cards) == ["b"] and prompt.cards["b"] is kept and kept.feedback.value == "half typed"
    prompt.show_only([])
    assert prompt.layout.display == "none"


def test_a_request_info_event_is_a_request_too():
    event = RequestInfoEvent("rq-9", "review", HumanApprovalRequest, approval_request().data, str)
    prompt = ApprovalPrompt()
    prompt.add(event)
    assert prompt.cards["rq-9"].request.executor_id == "review"


def test_a_yes_no_answer_gets_approve_and_reject():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(PendingRequest("q", "gate", "Ship it?", bool))
    assert list(prompt.cards["q"].buttons) == ["Approve", "Reject"]
    prompt.cards["q"].buttons["Reject"].click()
    assert received == [("q", False)]


@dataclass
class Estimate:
    """Not a verdict: a number and a note, for the request with id `request_id`."""

    request_id: str
    days: int
    note: str = ""


def test_a_typed_answer_that_is_not_a_verdict_gets_a_form_with_the_request_id_filled_in_and_hidden():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(PendingRequest("e1", "planner", "How long?", Estimate))
    card = prompt.cards["e1"]
    assert card.kind == "form" and list(card.form.inputs) == ["days", "note"]  # no box for the id
    assert card.form.fixed == {"request_id": "e1"}
    card.form.inputs["days"].widget.value = 3
    card.buttons["Send"].click()
    assert received == [("e1", Estimate(request_id="e1", days=3, note=""))]
    assert card.form.inputs["days"].widget.disabled


def test_the_form_labels_fields_in_words_and_says_what_to_fill_in():
    form = AnswerForm(Estimate, "How long?", "e1")
    assert form.inputs["days"].widget.description == "Days"
    note = form.inputs["note"].widget
    assert isinstance(note, widgets.Textarea) and note.description == "Note"
    assert note.placeholder == "Type the note here"  # not "note (text)"
    assert "Fill in the fields, then click <b>Send</b>" in form.hint.value
    assert "Request id: filled in from the request" in form.hint.value
    assert form.children[0] is form.hint


def test_the_request_id_of_a_request_that_has_none_inside_comes_from_the_pending_request():
    @dataclass
    class Ticket:
        title: str

    form = AnswerForm(Estimate, Ticket("fix it"), "pending-42")
    assert form.fixed == {"request_id": "pending-42"} and "request_id" not in form.inputs


def test_an_id_the_request_cannot_determine_is_asked_for_with_a_readable_label():
    @dataclass
    class Assignment:
        owner_id: int
        reason: str

    form = AnswerForm(Assignment, "Who takes this?", "rq")
    assert form.inputs["owner_id"].widget.description == "Owner id"
    assert form.fixed == {}


class Priority(Enum):
    LOW = 1
    HIGH = 2


@dataclass
class Triage:
    priority: Priority
    effort: int
    confidence: float
    team: Literal["core", "docs"]
    tags: list[str]
    note: str = "none"


def test_each_field_type_gets_its_input_and_reads_back_typed():
    form = AnswerForm(Triage, object(), "t1")
    assert form.inputs["tags"].widget.placeholder == "a list[str], e.g. ['a', 'b']"
    kinds = {name: type(field.widget) for name, field in form.inputs.items()}
    assert kinds == {
        "priority": widgets.Dropdown,
        "effort": widgets.IntText,
        "confidence": widgets.FloatText,
        "team": widgets.Dropdown,
        "tags": widgets.Text,
        "note": widgets.Textarea,
    }
    assert form.inputs["note"].widget.value == "none"  # the field's default
    form.inputs["priority"].widget.value = Priority.HIGH
    form.inputs["effort"].widget.value = 3
    form.inputs["tags"].widget.value = "['ui', 'bug']"
    assert form.answer() == Triage(Priority.HIGH, 3, 0.0, "core", ["ui", "bug"], "none")


def test_a_number_answer_gets_a_single_input():
    prompt = ApprovalPrompt()
    received = answers_of(prompt)
    prompt.add(PendingRequest("n", "estimator", "How many days?", int))
    card = prompt.cards["n"]
    card.form.inputs["answer"].widget.value = 5
    card.buttons["Send"].click()
    assert received == [("n", 5)]


def test_the_static_fallback_lists_the_open_requests():
    prompt = ApprovalPrompt()
    prompt.add(approval_request())
    assert "Pre-order today!" in prompt.static_html()


# --- layout: a long draft, a new card, one-line status ----------------------------------------


def long_draft_request(request_id: str = "long") -> PendingRequest:
    draft = "\n".join(f"Paragraph {n}: " + "words " * 30 for n in range(40))  # ~600 px and more
    data = HumanApprovalRequest(prompt="Approve or give guidance.", draft=draft, iteration=1, request_id=request_id)
    return PendingRequest(request_id, "review", data, str)


def test_a_long_draft_scrolls_inside_a_bounded_box():
    card = RequestCard(long_draft_request())
    assert card.content.layout.max_height == CONTENT_MAX_HEIGHT and card.content.layout.overflow == "auto"
    assert "wfkit-request-content" in card.content.get_state()["_dom_classes"]


def test_the_buttons_come_right_after_the_content_and_its_feedback_box_and_before_the_status():
    card = RequestCard(long_draft_request())
    assert card.children == (card.header, card.content, card.feedback, card.button_row, card.status)
    assert list(card.button_row.children) == [card.buttons["Approve"], card.buttons["Revise"]]
    assert "wfkit-card-buttons" in card.button_row.get_state()["_dom_classes"]


def test_a_new_card_is_highlighted_until_it_is_answered():
    prompt = ApprovalPrompt()
    prompt.add(approval_request())
    card = prompt.cards["rq-1"]
    assert "wfkit-card-new" in card.get_state()["_dom_classes"]
    assert "@keyframes" in prompt.style_sheet.value and ".wfkit-request-card.wfkit-card-new" in prompt.style_sheet.value
    assert prompt.children[0] is prompt.style_sheet
    card.buttons["Approve"].click()
    assert "wfkit-card-new" not in card.get_state()["_dom_classes"]


def test_the_sending_line_is_one_short_line_cut_with_a_marker():
    card = RequestCard(approval_request())
    card.feedback.value = "Please:\n" + "\n".join(f"- change number {n}" for n in range(50))
    card.buttons["Revise"].click()
    status = card.status.value
    assert status.startswith("Sending ") and "\n" not in status and "\\n" not in status  # text, not escapes
    assert status.endswith("…&#x27;") and len(status) < 100  # cut inside its quotes


def test_the_static_fallback_keeps_the_content_box_bounded():
    prompt = ApprovalPrompt()
    prompt.add(long_draft_request())
    assert f"max-height:{CONTENT_MAX_HEIGHT};overflow:auto" in prompt.static_html()


@dataclass
class Assigned:
    ticket_id: str = "unassigned"
    _source: str = "notebook"
    owner: str = ""


def test_ids_and_internal_fields_with_defaults_are_not_inputs_and_keep_their_defaults():
    form = AnswerForm(Assigned, "Who takes it?", "rq")
    assert list(form.inputs) == ["owner"] and form.fixed == {}
    form.inputs["owner"].widget.value = "ada"
    assert form.answer() == Assigned(owner="ada")


def test_a_value_inside_a_request_is_shown_on_one_line_cut_with_a_marker():
    @dataclass
    class Report:
        rows: object

    class Table:
        def __repr__(self) -> str:
            return "\n".join(f"row {n}" for n in range(200))

    card = RequestCard(PendingRequest("t", "analyst", Report(Table()), str))
    assert "row 0 row 1" in card.content.value and "…" in card.content.value


def test_the_card_header_names_who_asks_and_the_answer_it_takes_never_the_request_id():
    request_id = "02f4fa4e-ed98-4c91-b7dc-b360b81e7d34"
    card = ApprovalPrompt()
    card.add(review_request(request_id))
    header = card.cards[request_id].header.value
    assert "(answer: ReviewResponse)" in header and "02f4fa4e" not in header
