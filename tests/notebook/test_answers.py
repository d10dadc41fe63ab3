"""Answers given in code: a list in order, a dict by request id, a function; a dict stands for a
dataclass answer."""

from __future__ import annotations

import pytest

from tests.core.review_workflows import HumanReviewRequest, ReviewRequest, ReviewResponse
from wfkit.core.state import PendingRequest
from wfkit.notebook.answers import AnswerSource


def review_request(request_id: str = "uuid-7") -> PendingRequest:
    data = HumanReviewRequest(agent_request=ReviewRequest("r1", "What is 2+2?", "4"))
    return PendingRequest(request_id, "reviewer", data, ReviewResponse)


def test_answers_given_as_a_dict_become_the_dataclass_with_the_request_id_filled_in():
    source = AnswerSource([{"feedback": "fine", "approved": True}])
    assert source.answers_for([review_request()]) == {
        "uuid-7": ReviewResponse(request_id="r1", feedback="fine", approved=True)
    }


def test_a_list_is_used_up_in_order_across_pauses():
    source = AnswerSource(["Shorter", "approve"])
    first, second = PendingRequest("a", "review", "draft 1", str), PendingRequest("b", "review", "draft 2", str)
    assert source.answers_for([first]) == {"a": "Shorter"}
    assert source.answers_for([second]) == {"b": "approve"}
    assert source.answers_for([PendingRequest("c", "review", "draft 3", str)]) == {}


def test_one_string_is_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"write answers=\[...\]"):
        AnswerSource("approve")


def test_words_answer_a_verdict_as_the_buttons_would():
    source = AnswerSource(["Show the working", "approve"])
    first, second = review_request("a"), review_request("b")
    assert source.answers_for([first]) == {"a": ReviewResponse(request_id="r1", feedback="Show the working", approved=False)}
    assert source.answers_for([second]) == {"b": ReviewResponse(request_id="r1", feedback="", approved=True)}


def test_words_for_a_text_answer_are_kept_as_they_are():
    source = AnswerSource(["approve"])
    assert source.answers_for([PendingRequest("a", "review", "draft", str)]) == {"a": "approve"}
