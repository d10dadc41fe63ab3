"""Questions: `ctx.request_info` pauses a run, `run(responses=...)` answers it, and the replay hands
back what finished before instead of running it again."""

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    RequestResponseError,
    RunContext,
    WorkflowRunState,
    step,
    workflow,
)


def review_workflow(calls: list[str]):
    """Write a draft (a step), ask for a verdict, then finish (another step)."""

    @step
    async def write_draft(topic: str) -> str:
        calls.append("write_draft")
        return f"draft about {topic}"

    @step
    async def finish(draft: str, verdict: str) -> str:
        calls.append("finish")
        return f"{draft} [{verdict}]"

    @workflow(name="review")
    async def review(topic: str, ctx: RunContext) -> str:
        draft = await write_draft(topic)
        verdict = await ctx.request_info({"draft": draft}, str, request_id="verdict")
        return await finish(draft, verdict)

    return review


def test_a_question_pauses_the_run_waiting_for_an_answer():
    result = run(review_workflow([]).run("owls"))
    assert result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    assert result.get_outputs() == []


def test_the_question_is_a_request_info_event_from_the_workflow_carrying_the_data():
    [asked] = run(review_workflow([]).run("owls")).get_request_info_events()
    assert (asked.request_id, asked.source_executor_id, asked.data) == ("verdict", "review", {"draft": "draft about owls"})


def test_the_request_event_comes_before_the_status_that_says_the_run_waits():
    types = [(e.type, getattr(e, "state", None)) for e in run(review_workflow([]).run("owls"))]
    assert types[-3:] == [
        ("request_info", None),
        ("status", WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS),
        ("status", WorkflowRunState.IDLE_WITH_PENDING_REQUESTS),
    ]


def test_answering_finishes_the_run_with_the_answer():
    review = review_workflow([])
    run(review.run("owls"))
    result = run(review.run(responses={"verdict": "approved"}))
    assert result.get_outputs() == ["draft about owls [approved]"]
    assert result.get_final_state() is WorkflowRunState.IDLE


def test_a_step_that_finished_before_the_pause_is_not_run_again():
    calls: list[str] = []
    review = review_workflow(calls)
    run(review.run("owls"))
    run(review.run(responses={"verdict": "approved"}))
    assert calls == ["write_draft", "finish"]


def test_the_replayed_step_says_so_with_its_saved_result():
    review = review_workflow([])
    run(review.run("owls"))
    events = run(review.run(responses={"verdict": "approved"}))
    bypassed = [(e.executor_id, e.data) for e in events if e.type == "executor_bypassed"]
    assert bypassed == [("write_draft", "draft about owls")]
    assert ("executor_invoked", "write_draft") not in [(e.type, getattr(e, "executor_id", None)) for e in events]


def test_a_plain_function_runs_again_on_the_replay():
    calls: list[str] = []

    async def count_words(text: str) -> int:  # no @step
        calls.append(text)
        return len(text.split())

    @workflow
    async def counting(text: str, ctx: RunContext) -> int:
        words = await count_words(text)
        await ctx.request_info("go on?", bool)
        return words

    run(counting.run("a b c"))
    assert run(counting.run(responses={"auto::0": True})).get_outputs() == [3]
    assert calls == ["a b c", "a b c"]


def test_questions_without_an_id_are_numbered_in_the_order_asked():
    @workflow
    async def two_questions(text: str, ctx: RunContext) -> str:
        first = await ctx.request_info("first?", str)
        second = await ctx.request_info("second?", str)
        return first + second

    [first] = run(two_questions.run("x")).get_request_info_events()
    [second] = run(two_questions.run(responses={"auto::0": "a"})).get_request_info_events()
    assert (first.request_id, second.request_id) == ("auto::0", "auto::1")


def test_every_answer_so_far_is_kept_for_later_replays():
    @workflow
    async def two_questions(text: str, ctx: RunContext) -> str:
        first = await ctx.request_info("first?", str)
        second = await ctx.request_info("second?", str)
        return first + second

    run(two_questions.run("x"))
    run(two_questions.run(responses={"auto::0": "a"}))
    # Agent Framework forgets "auto::0" here and asks it again; wfkit remembers it.
    assert run(two_questions.run(responses={"auto::1": "b"})).get_outputs() == ["ab"]


def test_answers_sent_again_with_the_new_one_are_taken_too():
    @workflow
    async def two_questions(text: str, ctx: RunContext) -> str:
        return await ctx.request_info("first?", str) + await ctx.request_info("second?", str)

    run(two_questions.run("x"))
    run(two_questions.run(responses={"auto::0": "a"}))
    # Agent Framework's callers send every answer so far: that works on wfkit too.
    assert run(two_questions.run(responses={"auto::0": "a", "auto::1": "b"})).get_outputs() == ["ab"]


def test_a_question_asked_inside_a_step_is_answered_inside_it():
    calls: list[str] = []

    @step
    async def approve(item: str, ctx: RunContext) -> bool:
        calls.append(item)
        return await ctx.request_info(f"approve {item}?", bool)

    @workflow
    async def approving(item: str) -> str:
        return "yes" if await approve(item) else "no"

    run(approving.run("lamp"))
    assert run(approving.run(responses={"auto::0": True})).get_outputs() == ["yes"]
    assert calls == ["lamp", "lamp"]  # asked, then run again with the answer


def test_a_replayed_step_keeps_the_numbers_of_the_questions_after_it():
    @step
    async def confirm(item: str, ctx: RunContext) -> str:
        return await ctx.request_info(f"{item}?", str)

    @workflow
    async def confirming(item: str, ctx: RunContext) -> str:
        first = await confirm(item)  # asks auto::0, then is replayed
        second = await ctx.request_info("and then?", str)
        return first + second

    run(confirming.run("x"))
    [asked] = run(confirming.run(responses={"auto::0": "a"})).get_request_info_events()
    assert asked.request_id == "auto::1"
    assert run(confirming.run(responses={"auto::1": "b"})).get_outputs() == ["ab"]


@dataclass
class Approval:
    approved: bool
    note: str


def test_an_answer_may_be_a_dataclass():
    @workflow
    async def deciding(item: str, ctx: RunContext) -> str:
        answer = await ctx.request_info(item, Approval)
        return answer.note

    run(deciding.run("lamp"))
    assert run(deciding.run(responses={"auto::0": Approval(True, "fine")})).get_outputs() == ["fine"]


def test_an_except_exception_block_does_not_swallow_the_pause():
    @workflow
    async def careful(item: str, ctx: RunContext) -> str:
        try:
            return await ctx.request_info(item, str)
        except Exception:
            return "swallowed"

    result = run(careful.run("x"))
    assert result.get_outputs() == [] and result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def test_a_run_that_caught_the_pause_itself_still_waits_and_has_no_output():
    @workflow
    async def stubborn(item: str, ctx: RunContext) -> str:
        try:
            await ctx.request_info(item, str)
        except BaseException:
            pass
        return "went on anyway"

    result = run(stubborn.run("x"))
    assert result.get_outputs() == [] and result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


# --- answers that do not fit ------------------------------------------------------------


def test_an_unknown_request_id_is_refused_and_the_question_still_waits():
    review = review_workflow([])
    run(review.run("owls"))
    with pytest.raises(RequestResponseError, match="no question with request id 'verdikt'; it waits on 'verdict'"):
        review.run(responses={"verdikt": "approved"})
    assert list(review.pending_requests) == ["verdict"]
    assert run(review.run(responses={"verdict": "approved"})).get_outputs() == ["draft about owls [approved]"]


def test_an_answer_of_the_wrong_type_is_refused():
    review = review_workflow([])
    run(review.run("owls"))
    with pytest.raises(RequestResponseError, match="asks for a str answer, got int"):
        review.run(responses={"verdict": 42})


def test_answers_with_no_run_waiting_are_refused():
    with pytest.raises(RequestResponseError, match="has no run waiting for answers"):
        review_workflow([]).run(responses={"verdict": "approved"})


def test_a_finished_run_cannot_be_answered_again():
    review = review_workflow([])
    run(review.run("owls"))
    run(review.run(responses={"verdict": "approved"}))
    with pytest.raises(RequestResponseError, match="has no run waiting for answers"):
        review.run(responses={"verdict": "again"})
