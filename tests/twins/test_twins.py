"""Twin runs: the course's agent-free workflows, in today's dialect, run on wfkit and on real
Agent Framework 1.x, and their event streams are compared step by step.

The definitions live in `tests/twins/workflows.py`; each takes the framework module, so both
runs execute the very same code. A run is read through `run(message, stream=True)` and, for each
question a person is asked, `run(responses={...}, stream=True)`, as today's AF spells it. What is
compared, event by event: the event's `type`, the executor it names (for `executor_invoked`,
`executor_completed`, `executor_failed`), the request's asker (for `request_info`), and each
output's value.

Where the two differ on purpose, a test says so and docs/agent_framework.md ("Twin runs") says
why; where they found wfkit wrong, wfkit was fixed and the test stays (last section).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from types import ModuleType
from typing import Any

import pytest

from . import workflows
from .workflows import TWINS, Order, Ticket, Twin, UrgentTicket

try:
    import agent_framework as af

    af.WorkflowBuilder  # noqa: B018  (a lazy import fails here when the package is half there)
except (ImportError, AttributeError) as missing:
    pytest.skip(
        f"agent_framework is not importable ({missing}), so there is nothing to twin wfkit with: "
        "install agent-framework-core (the wfkit[af] extra) to run the twin runs.",
        allow_module_level=True,
    )

wfkit = importlib.import_module("wfkit")

# AF logs a warning for executors without output annotations and for messages nobody takes.
logging.getLogger("agent_framework").setLevel(logging.ERROR)

NAMED = {"executor_invoked", "executor_completed", "executor_failed"}


def step(event: Any) -> tuple:
    """One event as the comparison sees it."""
    if event.type in NAMED:
        return (event.type, event.executor_id)
    if event.type == "request_info":
        return (event.type, event.source_executor_id)
    if event.type == "output":
        return (event.type, event.data)
    return (event.type,)


async def stream_of(fw: ModuleType, twin: Twin, define: Any = None) -> list[Any]:
    """Every event of a run and of the answers to its questions, as today's AF runs them."""
    workflow = (define or twin.define)(fw)
    events = [event async for event in workflow.run(twin.message, stream=True)]
    answers, answered = list(twin.answers), set()
    while answers:
        waiting = [e for e in events if e.type == "request_info" and e.request_id not in answered]
        assert waiting, f"{fw.__name__}: {len(answers)} answer(s) left but no question open"
        answered.add(waiting[0].request_id)
        events += [event async for event in workflow.run(responses={waiting[0].request_id: answers.pop(0)}, stream=True)]
    return events


def both(twin: Twin, define: Any = None) -> tuple[list[tuple], list[tuple]]:
    on_wfkit = asyncio.run(stream_of(wfkit, twin, define))
    on_af = asyncio.run(stream_of(af, twin, define))
    return [step(e) for e in on_wfkit], [step(e) for e in on_af]


def outer(steps: list[tuple]) -> list[tuple]:
    """The steps without a sub-workflow's own executors (`tidy_sub/tidy`), which only wfkit reports
    (test_a_sub_workflows_own_steps_are_events_on_wfkit_only)."""
    return [s for s in steps if not (s[0] in NAMED and "/" in s[1])]


# --- the same on both ---------------------------------------------------------------------------------

SAME = [t for t in TWINS if t.define not in (workflows.approve_then_shout, workflows.ends_in_a_child)]


@pytest.mark.parametrize("twin", SAME, ids=[t.name for t in SAME])
def test_the_same_workflow_runs_step_by_step_the_same_on_wfkit_and_agent_framework(twin: Twin):
    on_wfkit, on_af = both(twin)
    assert outer(on_wfkit) == on_af
    assert any(s[0] == "output" for s in on_af), "no output on AF: the comparison would prove little"


@pytest.mark.parametrize("define", [workflows.order_desk], ids=["02-order_desk"])
def test_a_paused_run_resumes_from_a_checkpoint_with_its_answer_on_both(define):
    async def resume(fw: ModuleType) -> tuple[list[str], list[tuple]]:
        storage = fw.InMemoryCheckpointStorage()
        [question] = (await define(fw, storage).run("tea")).get_request_info_events()
        latest = await storage.get_latest(workflow_name="order desk")
        assert latest.workflow_name == "order desk"
        fresh = define(fw, storage)  # as a new session would build it
        events = [e async for e in fresh.run(checkpoint_id=latest.checkpoint_id, responses={question.request_id: True}, stream=True)]
        return [e.data for e in events if e.type == "output"], [step(e) for e in events]

    on_wfkit, on_af = asyncio.run(resume(wfkit)), asyncio.run(resume(af))
    assert on_wfkit[0] == on_af[0] == ["ordered tea"]
    # AF first reports the restored state (IN_PROGRESS_PENDING_REQUESTS), then applies the answers.
    restored = on_af[1].index(("status",), 2)
    assert on_wfkit[1] == on_af[1][:restored] + on_af[1][restored + 1 :]


# --- documented differences (docs/agent_framework.md, "Twin runs") ---------------------------------------


def test_a_sub_workflows_own_steps_are_events_on_wfkit_only():
    on_wfkit, on_af = both(Twin("06", workflows.with_a_sub_workflow, workflows.MESSY))
    inner = [s for s in on_wfkit if s not in outer(on_wfkit)]
    assert inner == [("executor_invoked", "tidy_sub/tidy"), ("executor_completed", "tidy_sub/tidy"),
                     ("executor_invoked", "tidy_sub/done"), ("executor_completed", "tidy_sub/done")]
    assert not any(s[0] in NAMED and "/" in s[1] for s in on_af)


def test_a_sub_workflow_at_the_end_yields_the_parents_outputs_on_wfkit_only():
    on_wfkit, on_af = both(Twin("06", workflows.ends_in_a_child, workflows.MESSY))
    assert ("output", "PLEASE SHIP IT!") in on_wfkit
    assert not any(s[0] == "output" for s in on_af)


def test_with_allow_direct_output_a_sub_workflow_at_the_end_yields_on_both():
    on_wfkit, on_af = both(Twin("06", workflows.ends_in_a_child_direct, workflows.MESSY))
    outputs = [s for s in on_wfkit if s[0] == "output"]
    assert outputs == [("output", "PLEASE SHIP IT!")] == [s for s in on_af if s[0] == "output"]


def test_a_sub_workflows_question_reaches_the_caller_on_wfkit_only_by_default():
    on_wfkit = [step(e) for e in asyncio.run(stream_of(wfkit, Twin("06", workflows.approve_then_shout, workflows.MESSY, [True])))]
    on_af = [step(e) for e in asyncio.run(stream_of(af, Twin("06", workflows.approve_then_shout, workflows.MESSY)))]
    assert ("request_info", "approval") in on_wfkit and ("output", "PLEASE SHIP IT!") in on_wfkit
    # AF 1.x hands the question to the parent's executors (for interception); nobody takes it here.
    assert not any(s[0] in ("request_info", "output") for s in on_af)


def test_the_most_specific_handler_wins_on_wfkit_and_the_first_by_name_on_agent_framework():
    twin = Twin("01", workflows.help_desk_older_names, UrgentTicket(2, "The website is down"))
    on_wfkit, on_af = both(twin)
    assert ("output", "Reply to customer: #2 paged the on-call engineer") in on_wfkit
    assert ("output", "Reply to customer: #2 added to the queue") in on_af


def test_what_a_plain_function_returns_is_sent_on_by_wfkit_only():
    on_wfkit, on_af = both(Twin("01", workflows.plain_function_intake, Ticket(5, "My invoice is wrong")))
    assert ("output", "Reply to customer: #5 added to the queue") in on_wfkit
    assert [s for s in on_af if s[0] == "executor_invoked"] == [("executor_invoked", "intake")]


def test_a_run_result_keeps_its_status_events_on_wfkit_and_leaves_them_out_on_agent_framework():
    twin = Twin("01", workflows.help_desk, Ticket(1, "I can't log in"))
    on_wfkit = asyncio.run(twin.define(wfkit).run(twin.message))
    on_af = asyncio.run(twin.define(af).run(twin.message))
    assert [e.type for e in on_wfkit if e.type not in ("started", "status")] == [e.type for e in on_af]
    assert on_wfkit.get_outputs() == on_af.get_outputs() and on_wfkit.get_final_state().name == on_af.get_final_state().name
    assert [e.type for e in asyncio.run(twin.define(wfkit).run(twin.message, include_status_events=False))
            if e.type != "started"] == [e.type for e in on_af]


def test_a_failed_run_raises_the_handlers_error_on_agent_framework_and_wraps_it_on_wfkit():
    twin = Twin("05", workflows.payment_without_retry, Order("A-1004", 42.0))
    with pytest.raises(ConnectionError):
        asyncio.run(twin.define(af).run(twin.message))
    with pytest.raises(wfkit.WorkflowFailedError) as failed:
        asyncio.run(twin.define(wfkit).run(twin.message))
    assert isinstance(failed.value.__cause__, ConnectionError)


def test_agent_framework_also_saves_a_checkpoint_before_the_first_superstep():
    async def count(fw: ModuleType) -> int:
        storage = fw.InMemoryCheckpointStorage()
        await workflows.order_desk(fw, storage).run("tea")
        return len(await storage.list_checkpoints(workflow_name="order desk"))

    assert (asyncio.run(count(wfkit)), asyncio.run(count(af))) == (1, 2)


# --- what the twin runs found wrong in wfkit, now fixed ------------------------------------------------


def test_an_output_event_names_its_executor_as_executor_id():
    twin = Twin("01", workflows.help_desk, Ticket(1, "I can't log in"))
    [output] = [e for e in asyncio.run(stream_of(wfkit, twin)) if e.type == "output"]
    assert output.executor_id == "reply"


def test_the_status_change_follows_the_request_it_is_about():
    on_wfkit, on_af = both(Twin("02", workflows.order_desk, "tea", [True]))
    assert on_wfkit == on_af


def test_iterating_the_stream_of_a_failing_run_raises():
    twin = Twin("05", workflows.payment_without_retry, Order("A-1004", 42.0))
    with pytest.raises(ConnectionError):
        asyncio.run(stream_of(af, twin))
    with pytest.raises(wfkit.WorkflowFailedError) as failed:  # wfkit's failed run, from the same error
        asyncio.run(stream_of(wfkit, twin))
    assert isinstance(failed.value.__cause__, ConnectionError)


def test_a_sub_workflow_with_propagate_request_asks_the_caller_on_both():
    on_wfkit, on_af = both(Twin("06", workflows.approve_then_shout_propagated, workflows.MESSY, [True]))
    assert ("output", "PLEASE SHIP IT!") in on_af
    assert outer(on_wfkit) == on_af
