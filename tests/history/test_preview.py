"""`preview`: the one short line a value gets in the event log, the request cards and the
explorer. It must lead with what a reader needs and never spend the line on ids or reprs."""

from __future__ import annotations

from tests.core.review_workflows import HumanReviewRequest, ReviewRequest, ReviewResponse
from wfkit.agents.types import ChatMessage
from wfkit.history.records import OpenRequest, StepChanges, Superstep, describe_request, preview, request_labels, short_id

REQUEST_ID = "13f4e9a8-8e0f-4df8-8908-781880401309"


def test_a_dataclass_shows_its_content_without_its_ids():
    answer = ReviewResponse(request_id=REQUEST_ID, feedback="", approved=True)
    assert preview(answer) == "ReviewResponse(feedback='', approved=True)"


def test_ids_inside_a_nested_dataclass_are_left_out_too():
    request = HumanReviewRequest(ReviewRequest(REQUEST_ID, "What is 2+2?", "4"))
    assert preview(request, 120) == "HumanReviewRequest(agent_request=ReviewRequest(question='What is 2+2?', answer='4'))"


def test_a_chat_message_shows_its_role_and_text_not_its_repr():
    conversation = [ChatMessage("user", text="Write release notes"), ChatMessage("assistant", text="Meet Contoso Brew")]
    assert preview({"conversation": conversation}) == (
        "{'conversation': [user: 'Write release notes', assistant: 'Meet Contoso Brew']}"
    )


def test_a_long_string_among_others_is_cut_on_its_own_so_the_next_one_shows():
    text = preview({"draft": "a very long draft " * 20, "iteration": 2}, 120)
    assert "…'" in text and text.endswith("'iteration': 2}")


def test_a_long_value_is_one_line_cut_with_a_marker():
    text = preview("line\n" * 100, 40)
    assert "\n" not in text and len(text) == 40 and text.endswith("…'")  # cut inside the quotes


def test_a_request_id_is_shown_by_its_first_eight_characters_and_a_short_one_whole():
    assert short_id(REQUEST_ID) == "13f4e9a8" and short_id("review-1") == "review-1"


def test_a_request_line_says_who_asks_what_and_its_number_never_its_id():
    question = preview(ReviewRequest(REQUEST_ID, "What is 2+2?", "4"))
    assert describe_request("reviewer", question) == "reviewer asks: ReviewRequest(question='What is 2+2?', answer='4')"
    assert describe_request("reviewer", question, "asked", "request 2").startswith("reviewer asked (request 2): Review")


def test_the_changes_of_a_step_say_what_was_asked_not_only_its_id():
    asked = OpenRequest(REQUEST_ID, "gate", "Approval(draft='Draft about cats')")
    changes = StepChanges(requests_asked=[REQUEST_ID], requests={REQUEST_ID: asked})
    assert changes.lines() == ["gate asked: Approval(draft='Draft about cats')"]


def test_requests_are_numbered_in_the_order_asked_only_when_a_run_asks_several():
    first, second = (OpenRequest(rid, "gate", f"Approval(draft='{rid}')") for rid in ("id-a", "id-b"))
    one = Superstep(1, ["gate"], pending_requests={"id-a": first})
    assert request_labels([one]) == {}
    two = Superstep(2, ["gate"], pending_requests={"id-a": first, "id-b": second})
    assert request_labels([one, two]) == {"id-a": "request 1", "id-b": "request 2"}
