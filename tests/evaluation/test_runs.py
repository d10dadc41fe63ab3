"""LocalEvaluator's counts, evaluate_agent, evaluate_workflow (overall and per agent), raise_for_status,
and a check that raises."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    Agent, EvalItem, EvalNotPassedError, EvalResults, LocalEvaluator, Message, OfflineChatClient, WorkflowBuilder,
    evaluate_agent, evaluate_workflow, evaluator, keyword_check,
)


def items(*answers: str) -> list[EvalItem]:
    return [EvalItem([Message("user", ["q"]), Message("assistant", [a])]) for a in answers]


def test_local_evaluator_passes_an_item_only_when_every_check_passes() -> None:
    result = run(LocalEvaluator(keyword_check("a"), keyword_check("b")).evaluate(items("ab", "a", "xyz")))
    assert (result.passed, result.failed, result.total, result.all_passed) == (1, 2, 3, False)
    assert [i.status for i in result.items] == ["pass", "fail", "fail"]
    assert result.per_evaluator["keyword_check"] == {"passed": 3, "failed": 3, "errored": 0}


def test_an_item_with_no_checks_does_not_pass() -> None:
    result = run(LocalEvaluator().evaluate(items("anything")))
    assert (result.passed, result.failed) == (0, 1)


def test_a_check_that_raises_makes_an_error_item_and_the_others_are_still_judged() -> None:
    @evaluator
    def fragile(response: str) -> bool:
        if response == "boom":
            raise RuntimeError("the judge broke")
        return True

    result = run(LocalEvaluator(fragile).evaluate(items("fine", "boom")))
    assert [i.status for i in result.items] == ["pass", "error"]
    assert result.items[1].error_message == "the judge broke"
    assert (result.passed, result.failed, result.result_counts["errored"]) == (1, 0, 1)
    with pytest.raises(EvalNotPassedError, match="RuntimeError"):
        result.raise_for_status()


def test_raise_for_status_is_quiet_when_all_passed_and_gives_the_reason_otherwise() -> None:
    run(LocalEvaluator(keyword_check("ok")).evaluate(items("ok"))).raise_for_status()
    failed = run(LocalEvaluator(keyword_check("ok")).evaluate(items("no")))
    with pytest.raises(EvalNotPassedError, match=r"0 passed, 1 failed.*Missing keywords: \['ok'\]"):
        failed.raise_for_status()


def test_evaluate_agent_runs_the_agent_once_per_query_and_judges_each_reply() -> None:
    agent = Agent(client=OfflineChatClient(replies=["Paris is lovely.", "No idea."]), name="guide")
    [result] = run(evaluate_agent(agent=agent, queries=["Paris?", "Rome?"], evaluators=keyword_check("paris")))
    assert (result.provider, result.passed, result.failed) == ("Local", 1, 1)
    assert [(i.input_text, i.output_text) for i in result.items] == [("Paris?", "Paris is lovely."), ("Rome?", "No idea.")]


def planner_and_booker(replies: list[str], **builder: object):
    client = OfflineChatClient(replies=replies)
    planner = Agent(client=client, name="planner", instructions="Plan trips.")
    booker = Agent(client=client, name="booker", instructions="Book them.")
    return WorkflowBuilder(start_executor=planner, **builder).add_edge(planner, booker).build(), planner, booker


def test_evaluate_workflow_judges_each_agent_into_its_own_sub_results() -> None:
    workflow, *_ = planner_and_booker(["A plan for the trip.", "Booked.", "Another plan.", "Booked the trip."])
    [result] = run(evaluate_workflow(workflow=workflow, queries=["Paris", "Rome"], evaluators=keyword_check("trip")))
    assert {name: (sub.passed, sub.failed) for name, sub in result.sub_results.items()} == {
        "planner": (1, 1), "booker": (1, 1),
    }
    # Each agent is judged against the user's question, not the agent's message before it.
    assert [i.input_text for i in result.sub_results["booker"].items] == ["Paris", "Rome"]
    assert not result.all_passed


def test_evaluate_workflow_overall_answer_is_the_last_agents_when_the_workflow_yields_nothing() -> None:
    workflow, *_ = planner_and_booker(["A plan.", "Booked the trip."])
    [result] = run(evaluate_workflow(workflow=workflow, queries="Paris", evaluators=keyword_check("booked")))
    assert (result.passed, result.total, result.items[0].output_text) == (1, 1, "Booked the trip.")
    assert result.sub_results["planner"].failed == 1


def test_evaluate_workflow_overall_answer_is_the_last_output_when_there_is_one() -> None:
    workflow, planner, _ = planner_and_booker(["The plan.", "Booked."], output_from=["planner"])
    [result] = run(evaluate_workflow(workflow=workflow, queries="Paris", evaluators=keyword_check("plan")))
    assert result.items[0].output_text == "The plan."


def test_evaluate_workflow_without_the_overall_answer_adds_up_the_agents() -> None:
    workflow, *_ = planner_and_booker(["The plan.", "Booked the plan."])
    [result] = run(evaluate_workflow(workflow=workflow, queries="Paris", evaluators=keyword_check("plan"), include_overall=False))
    assert (result.passed, result.total, result.all_passed, result.items) == (2, 2, True, [])


def test_results_with_no_counts_of_their_own_pass_when_every_agent_passed() -> None:
    passing = run(LocalEvaluator(keyword_check("ok")).evaluate(items("ok")))
    failing = run(LocalEvaluator(keyword_check("ok")).evaluate(items("no")))
    assert EvalResults(provider="Local", sub_results={"a": passing}).all_passed
    assert not EvalResults(provider="Local", sub_results={"a": passing, "b": failing}).all_passed
