"""A functional workflow used as an agent: `as_agent()`."""

import pytest

from tests.conftest import run
from wfkit import (
    AgentResponse,
    FunctionCallContent,
    FunctionResultContent,
    Message,
    RequestResponseError,
    RunContext,
    step,
    workflow,
)


@step
async def draft(topic: str) -> str:
    return f"notes on {topic}"


@workflow(name="writer")
async def writer(topic: str) -> str:
    return await draft(topic)


@workflow(name="careful_writer")
async def careful_writer(topic: str, ctx: RunContext) -> str:
    notes = await draft(topic)
    verdict = await ctx.request_info({"notes": notes}, str, request_id="check")
    return f"{notes} ({verdict})"


def test_the_agent_answers_with_the_workflows_output():
    response = run(writer.as_agent().run("tides"))
    assert isinstance(response, AgentResponse)
    assert response.text == "notes on tides"
    assert response.messages[0].author_name == "writer"


def test_a_question_is_a_request_info_function_call_with_the_request_id():
    agent = careful_writer.build().as_agent()
    response = run(agent.run("tides"))
    [call] = [c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent)]
    assert (call.name, call.call_id) == ("request_info", "check")
    assert call.arguments == {"request_id": "check", "data": {"notes": "notes on tides"}}


def test_answering_with_responses_finishes_the_workflow():
    agent = careful_writer.build().as_agent()
    run(agent.run("tides"))
    assert run(agent.run(responses={"check": "fine"})).text == "notes on tides (fine)"


def test_answering_with_a_tool_message_finishes_the_workflow_too():
    agent = careful_writer.build().as_agent()
    run(agent.run("tides"))
    reply = Message("tool", [FunctionResultContent(call_id="check", result="fine")])
    assert run(agent.run(reply)).text == "notes on tides (fine)"


def test_an_answer_to_no_question_is_refused():
    agent = careful_writer.build().as_agent()
    run(agent.run("tides"))
    with pytest.raises(RequestResponseError):
        agent.run(responses={"chekc": "fine"})


def test_the_agent_streams_its_answer():
    async def scenario():
        stream = writer.as_agent().run("tides", stream=True)
        pieces = [update.text async for update in stream]
        return pieces, (await stream.get_final_response()).text

    assert run(scenario()) == (["notes on tides"], "notes on tides")
