"""A workflow behind an agent's `run`: request arguments that read back as they were written, and
failures that reach the caller."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    FunctionCallContent,
    Never,
    WorkflowAgent,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    handler,
    register_checkpoint_type,
    response_handler,
)

Args = WorkflowAgent.RequestInfoFunctionArgs


@register_checkpoint_type
@dataclass
class Question:
    text: str


REQUESTS: dict[str, Any] = {
    "dataclass": Question("x"),
    "list": [Question("x")],
    "dict": {"d": Question("x")},
    "tuple_in_dict": {"a": (1, 2)},
    "tuple": (1, Question("x")),
    "plain_json": {"a": [1, "two", None]},
}


@pytest.mark.parametrize("data", REQUESTS.values(), ids=REQUESTS.keys())
def test_request_arguments_read_back_from_dict_unchanged(data: Any):
    assert Args.from_dict(Args("r1", data).to_dict()) == Args("r1", data)


@pytest.mark.parametrize("data", REQUESTS.values(), ids=REQUESTS.keys())
def test_request_arguments_read_back_from_json_unchanged(data: Any):
    assert Args.from_json(Args("r1", data).to_json()) == Args("r1", data)


def test_arguments_parsed_from_json_into_a_dict_are_rebuilt():
    parsed = json.loads(Args("r1", [Question("x")]).to_json())
    assert Args.from_dict(parsed) == Args("r1", [Question("x")])


class AskMany(Executor):
    @handler
    async def ask(self, text: str, ctx: WorkflowContext) -> None:
        await ctx.request_info([Question(text)], response_type=str)

    @response_handler
    async def answered(self, questions: list, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(answer)


def test_a_list_request_reads_back_from_the_agents_function_call():
    agent = WorkflowBuilder().set_start_executor(AskMany("ask")).build().as_agent()
    response = run(agent.run("why?"))
    [call] = [c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent)]
    assert Args.from_dict(call.arguments).data == [Question("why?")]


# --- failures -------------------------------------------------------------------------------


class Broken(Executor):
    @handler
    async def answer(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        raise ValueError("the model is down")


def broken_agent() -> WorkflowAgent:
    return WorkflowBuilder(name="support").set_start_executor(Broken("answer")).build().as_agent(name="helpdesk")


def test_agent_run_raises_when_its_workflow_fails():
    with pytest.raises(WorkflowFailedError) as failed:
        run(broken_agent().run("hello"))
    assert (failed.value.details.error_type, failed.value.details.executor_id) == ("ValueError", "answer")


def test_agent_run_stream_raises_when_its_workflow_fails():
    async def consume() -> None:
        async for _ in broken_agent().run_stream("hello"):
            pass

    with pytest.raises(WorkflowFailedError, match="the model is down"):
        run(consume())


def test_the_failure_message_names_the_workflow_the_agent_and_the_cause():
    with pytest.raises(WorkflowFailedError) as failed:
        run(broken_agent().run("hello"))
    message = str(failed.value)
    assert all(part in message for part in ("'support'", "'helpdesk'", "ValueError in answer: the model is down"))
