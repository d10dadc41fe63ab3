"""Predict the next step (`wfkit.history.check_prediction`): a learner's guess at what a superstep
does, checked against the recorded run, with the reason for each executor that ran or did not."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from tests.history.workflows import approval_workflow, fan_workflow, loop_workflow
from wfkit import (
    Case,
    Default,
    FileCheckpointStorage,
    Never,
    PredictionError,
    WorkflowBuilder,
    WorkflowContext,
    executor,
)
from wfkit.history import Prediction, RunHistory, check_prediction
from wfkit.notebook import run as notebook_run


def steps_of(workflow, message, answers=None):
    """The recorded steps of `workflow` run with `message` (and `answers` to its requests)."""
    result = run(notebook_run(workflow, message, answers=answers, show=False))
    return RunHistory.from_events(workflow, result.events).steps


def staggered_join():
    """a -> b, and a join of a and b into join: a sends in step 1, b in step 2, join runs in step 3."""

    @executor(id="a")
    async def a(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @executor(id="b")
    async def b(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text + "!")

    @executor(id="join")
    async def join(parts: list[str], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(" ".join(parts))

    return WorkflowBuilder(start_executor=a).add_edge(a, b).add_fan_in_edges([a, b], join).build()


def long_or_short():
    """The executors of the two choosing workflows: start passes a text on; long and short yield it."""

    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @executor(id="long")
    async def long(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    @executor(id="short")
    async def short(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    return start, long, short


def is_long(text: str) -> bool:
    return len(text) > 3


def is_short(text: str) -> bool:
    return not is_long(text)


def switch_workflow():
    """start -> long (when the text is longer than 3 letters), else short."""
    start, long, short = long_or_short()
    cases = [Case(condition=is_long, target=long), Default(target=short)]
    return WorkflowBuilder(start_executor=start).add_switch_case_edge_group(start, cases).build()


def if_else_workflow():
    """start -> long when is_long, start -> short when is_short: two conditional edges."""
    start, long, short = long_or_short()
    return (
        WorkflowBuilder(start_executor=start)
        .add_edge(start, long, condition=is_long)
        .add_edge(start, short, condition=is_short)
        .build()
    )


@dataclass
class Draft:
    text: str


def typed_routes():
    """editor has edges to writer (takes str) and approval (takes Draft), and sends a Draft."""

    @executor(id="editor")
    async def editor(text: str, ctx: WorkflowContext[Draft | str]) -> None:
        await ctx.send_message(Draft(text))

    @executor(id="writer")
    async def writer(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    @executor(id="approval")
    async def approval(draft: Draft, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(draft.text)

    return WorkflowBuilder(start_executor=editor).add_edge(editor, writer).add_edge(editor, approval).build()


# --- right and wrong ---------------------------------------------------------------------------


def test_a_right_prediction_of_a_fan_out_says_who_sent_what_along_which_edge():
    workflow = fan_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "Ab"), 1, ["upper", "lower"])
    assert isinstance(verdict, Prediction)
    assert (verdict.right, verdict.step, verdict.predicted, verdict.ran) == (True, 2, ("upper", "lower"), ("upper", "lower"))
    assert verdict.headline == "Right: step 2 ran upper and lower."
    assert verdict.reasons == (
        "upper and lower ran in step 2 because split sent each of them its str in step 1 "
        "(a fan-out edge sends every message to all its targets).",
    )


def test_picking_the_join_too_early_is_wrong_and_says_the_join_waits_for_every_source():
    workflow = fan_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "Ab"), 1, ["upper", "lower", "join"])
    assert not verdict.right
    assert (verdict.extra, verdict.missed) == (("join",), ())
    assert verdict.headline == "Not quite: step 2 ran upper and lower, and you picked upper, lower and join."
    [why_not] = [reason for reason in verdict.reasons if reason.startswith("join")]
    assert why_not == (
        "join did not run in step 2: it sits behind a join, and the fan-in edge from upper and lower delivers "
        "only when every one of them has sent; upper and lower run in step 2, so what they send reaches join "
        "in step 3 at the earliest. It runs in step 3."
    )


def test_leaving_out_an_executor_is_wrong_and_the_reason_it_ran_is_given():
    workflow = fan_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "Ab"), 1, ["upper"])
    assert (verdict.right, verdict.missed, verdict.extra) == (False, ("lower",), ())
    assert "because split sent each of them" in verdict.explanation


def test_the_join_runs_once_with_one_list_of_what_every_source_sent():
    workflow = fan_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "Ab"), 2, ["join"])
    assert verdict.right
    assert verdict.reasons == (
        "join ran once in step 3, with one list of 2 messages: the fan-in edge from upper and lower delivers "
        "only when every one of them has sent, and all of them sent in step 2.",
    )


def test_a_join_whose_sources_send_in_different_steps_says_which_sent_and_which_message_waited():
    workflow = staggered_join()
    steps = steps_of(workflow, "hi")
    too_early = check_prediction(workflow, steps, 1, ["b", "join"])
    assert not too_early.right
    assert "a sent in step 1, but b has not sent yet; b runs in step 2" in too_early.explanation
    on_time = check_prediction(workflow, steps, 2, ["join"])
    assert on_time.right
    assert "a's message had waited at the join since step 1" in on_time.explanation


def test_the_first_step_runs_the_start_executor_with_the_runs_input():
    workflow = fan_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "Ab"), 0, ["split"])
    assert verdict.right and verdict.reasons == ("split ran first: the run's input goes to the start executor.",)


# --- where messages wait -----------------------------------------------------------------------


def test_where_messages_wait_after_the_step_is_checked_when_it_is_predicted():
    workflow = fan_workflow()
    steps = steps_of(workflow, "Ab")
    right = check_prediction(workflow, steps, 1, ["upper", "lower"], waiting=["upper -> join", ("lower", "join")])
    assert right.right and right.waiting == ("upper -> join", "lower -> join")
    assert right.reasons[-1] == (
        "Right about the messages. After step 2, messages wait on upper -> join and lower -> join, to be "
        "delivered in step 3. The join hands them to join together, as one list."
    )
    wrong = check_prediction(workflow, steps, 1, ["upper", "lower"], waiting=["upper -> join", "split -> upper"])
    assert not wrong.right
    assert wrong.headline == "Right about the executors: step 2 ran upper and lower. Not quite about where messages wait."
    assert "Nothing was sent along split -> upper in step 2. You left out lower -> join." in wrong.reasons[-1]


def test_after_the_last_step_no_message_waits_and_the_run_ends():
    workflow = fan_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "Ab"), 2, ["join"], waiting=[])
    assert verdict.right and verdict.waiting == ()
    assert "nothing runs next and the run ends" in verdict.reasons[-1]


def test_leaving_the_messages_out_checks_the_executors_alone():
    workflow = fan_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "Ab"), 1, ["upper", "lower"])
    assert verdict.predicted_waiting is None and verdict.right
    assert verdict.waiting == ("upper -> join", "lower -> join")  # what happened, said all the same


# --- the kinds of edges and requests -------------------------------------------------------------


def test_a_loop_goes_back_until_its_condition_holds_then_leaves():
    workflow = loop_workflow()
    steps = steps_of(workflow, 0)
    round_again = check_prediction(workflow, steps, 1, ["report"])
    assert not round_again.right
    assert "count ran in step 2 because count sent it an int in step 1 (the loop sends it back round" in round_again.explanation
    assert "report did not run in step 2" in round_again.explanation and "It runs in step 4." in round_again.explanation
    leaving = check_prediction(workflow, steps, 3, ["report"])
    assert leaving.right and "the loop's condition held, so the message left the loop" in leaving.explanation


def test_a_switch_case_sends_the_message_to_one_target_and_says_where_it_went():
    workflow = switch_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "hello"), 1, ["short"])
    assert (verdict.right, verdict.ran) == (False, ("long",))
    assert "the first case that held is_long" in verdict.explanation
    assert "start's message in step 1 went to long instead (a switch-case sends each message to one target only)" in verdict.explanation
    assert "It never runs in this run." in verdict.explanation


def test_a_conditional_edge_lets_the_message_through_or_not_and_is_named():
    workflow = if_else_workflow()
    verdict = check_prediction(workflow, steps_of(workflow, "hello"), 1, ["short"])
    assert "long ran in step 2 because start sent it a str in step 1 (the edge's condition is_long let it through)." in verdict.reasons
    assert "start's message in step 1 went to long instead (the condition is_short on the edge to short was false)" in verdict.explanation


def test_a_message_goes_only_along_the_edges_whose_target_takes_its_type():
    workflow = typed_routes()
    verdict = check_prediction(workflow, steps_of(workflow, "notes"), 1, ["writer", "approval"])
    assert (verdict.right, verdict.extra) == (False, ("writer",))
    assert (
        "editor's message in step 1 went to approval instead (it was a Draft, and writer takes str: an edge "
        "delivers only what its target has a handler for)"
    ) in verdict.explanation


def test_an_answered_request_makes_its_executor_run_in_the_next_step():
    workflow = approval_workflow()
    steps = steps_of(workflow, "cats", answers=[True])
    verdict = check_prediction(workflow, steps, 2, ["publish"])
    assert (verdict.right, verdict.ran) == (False, ("gate",))
    assert "gate ran in step 3 because a person answered its request (Approval(draft='Draft about cats'))" in verdict.explanation
    assert "publish did not run in step 3" in verdict.explanation and "It runs in step 4." in verdict.explanation


def test_a_history_read_from_checkpoints_alone_gives_the_same_reasons(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(fan_workflow(storage).run("Ab"))
    history = run(RunHistory.from_storage(storage, lambda: fan_workflow(storage)))
    from_events = check_prediction(fan_workflow(), steps_of(fan_workflow(), "Ab"), 1, ["upper", "join"])
    from_checkpoints = check_prediction(history.workflow, history.steps, 1, ["upper", "join"])
    assert from_checkpoints.reasons == from_events.reasons


# --- how a prediction may be written, and what is refused -------------------------------------


def test_executors_and_a_single_id_may_stand_for_ids():
    workflow = fan_workflow()
    steps = steps_of(workflow, "Ab")
    upper, lower = workflow.executors["upper"], workflow.executors["lower"]
    assert check_prediction(workflow, steps, 1, [lower, upper]).predicted == ("upper", "lower")
    assert check_prediction(workflow, steps, 2, "join").right
    assert check_prediction(workflow, steps, 1, [], waiting="upper→join").predicted_waiting == ("upper -> join",)


def test_an_unknown_executor_id_is_refused_naming_it_and_the_ids_there_are():
    workflow = fan_workflow()
    with pytest.raises(PredictionError) as refused:
        check_prediction(workflow, steps_of(workflow, "Ab"), 1, ["upper", "jion"])
    assert str(refused.value) == (
        "'jion' (did you mean 'join'?) is not an executor of this workflow. Predict with the ids of its "
        "executors: 'split', 'upper', 'lower', 'join' (an empty list [] means nothing runs)."
    )
    assert isinstance(refused.value, ValueError)


def test_an_unknown_arrow_is_refused_listing_the_arrows():
    workflow = fan_workflow()
    with pytest.raises(PredictionError, match=r"'join -> split' is not an arrow of this workflow\. Write each as "
                       r"'source -> target', one of: 'split -> upper', 'split -> lower', 'upper -> join', 'lower -> join'"):
        check_prediction(workflow, steps_of(workflow, "Ab"), 1, ["upper"], waiting=["join -> split"])


def test_a_prediction_that_is_not_a_list_is_refused_with_an_example():
    workflow = fan_workflow()
    with pytest.raises(PredictionError, match=r"needs a list of executor ids, not int 3: for example \['mood', 'topic'\]"):
        check_prediction(workflow, steps_of(workflow, "Ab"), 1, 3)
