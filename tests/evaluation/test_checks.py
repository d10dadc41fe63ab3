"""Checks: how @evaluator fills a function's parameters and reads what it returns, and the two
ready-made checks (keyword_check, tool_called_check)."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    Agent, CheckResult, EvalItem, EvaluatorSignatureError, Message, OfflineChatClient, evaluate_agent,
    evaluator, keyword_check, tool, tool_called_check,
)


def item(query: str = "Plan a trip to Paris", answer: str = "Here is your Paris trip plan.") -> EvalItem:
    return EvalItem(conversation=[Message("user", [query]), Message("assistant", [answer])], expected_output="Paris")


def test_query_and_response_are_read_from_the_last_turn() -> None:
    conversation = [
        Message("user", ["first"]), Message("assistant", ["one"]),
        Message("user", ["second"]), Message("assistant", ["two"]), Message("assistant", ["three"]),
    ]
    # As in AF: the query is every user message up to the last one, the response what follows it.
    assert (EvalItem(conversation).query, EvalItem(conversation).response) == ("first second", "two three")


def test_evaluator_passes_each_parameter_what_its_name_says() -> None:
    seen = {}

    @evaluator
    def look(query: str, response: str, expected_output: str, conversation: list, context=None) -> bool:
        seen.update(query=query, response=response, expected=expected_output, turns=len(conversation))
        return True

    run(look(item()))
    assert seen == {"query": "Plan a trip to Paris", "response": "Here is your Paris trip plan.", "expected": "Paris", "turns": 2}


def test_evaluator_with_a_parameter_no_item_can_fill_is_refused_where_it_is_defined() -> None:
    with pytest.raises(EvaluatorSignatureError, match="answer"):
        @evaluator
        def bad(answer: str) -> bool:
            return True


@pytest.mark.parametrize(("returned", "passed", "reason"), [
    (True, True, "passed"), (False, False, "failed"), (0.5, True, "score=0.500"), (0.2, False, "score=0.200"),
    ({"score": 0.9, "threshold": 0.95}, False, "score=0.900"), ({"passed": True, "reason": "ok"}, True, "ok"),
    (CheckResult(False, "mine", "custom"), False, "mine"),
])
def test_evaluator_reads_bools_scores_dicts_and_check_results(returned: object, passed: bool, reason: str) -> None:
    @evaluator(name="judge")
    async def judge(response: str) -> object:  # async on purpose: its result is awaited
        return returned

    result = run(judge(item()))
    assert (result.passed, result.reason) == (passed, reason)


def test_evaluator_returning_something_else_says_what_to_return() -> None:
    @evaluator
    def wrong(response: str) -> str:
        return "yes"

    with pytest.raises(TypeError, match="True/False"):
        run(wrong(item()))


def test_keyword_check_needs_every_keyword_and_ignores_case_unless_asked() -> None:
    assert keyword_check("PARIS", "plan")(item()).passed
    missing = keyword_check("Paris", "hotel")(item())
    assert not missing.passed and "hotel" in missing.reason
    assert not keyword_check("PARIS", case_sensitive=True)(item()).passed


@tool
def get_weather(city: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {city}."


def test_tool_called_check_sees_the_offline_model_call_a_tool() -> None:
    agent = Agent(client=OfflineChatClient(), name="weather", instructions="You help travellers.", tools=[get_weather])
    [results] = run(evaluate_agent(
        agent=agent, queries=["What's the weather in Seattle?"],
        evaluators=[tool_called_check("get_weather"), tool_called_check("get_weather", "book_hotel", mode="any")],
    ))
    assert (results.passed, results.failed) == (1, 0)
    [not_called] = run(evaluate_agent(agent=agent, queries=["What's the weather in Seattle?"],
                                      evaluators=tool_called_check("get_weather", "book_hotel")))
    assert not_called.failed == 1 and "book_hotel" in not_called.error
