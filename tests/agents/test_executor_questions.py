"""An agent's questions in a workflow: tool approvals and declaration-only tools become requests
the workflow pauses on, and the caller's answers let the agent go on."""

from __future__ import annotations

from typing import Annotated

import pytest

from tests.conftest import run
from wfkit import (
    Agent,
    AgentExecutor,
    AgentExecutorResponse,
    Content,
    FunctionTool,
    InMemoryCheckpointStorage,
    OfflineChatClient,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    executor,
    tool,
)

sent: list[str] = []


@tool(approval_mode="always_require")
def send_email(to: Annotated[str, "Who gets it."]) -> str:
    """Send an email."""
    sent.append(to)
    return f"Email sent to {to}."


@executor(id="finish")
async def finish(response: AgentExecutorResponse, ctx: WorkflowContext[None, str]) -> None:
    await ctx.yield_output(response.agent_response.text)


@pytest.fixture(autouse=True)
def nothing_sent() -> None:
    sent.clear()


def mail_workflow(**builder_options):
    agent = Agent(OfflineChatClient(), "You send emails.", name="mailer", tools=[send_email])
    return WorkflowBuilder(start_executor=agent, **builder_options).add_edge(agent, finish).build()


PROMPT = "Please send an email to Bob."


def test_an_approval_request_pauses_the_workflow() -> None:
    result = run(mail_workflow().run(PROMPT))
    [event] = result.get_request_info_events()
    assert isinstance(event.data, Content) and event.data.type == "function_approval_request"
    assert event.request_id == event.data.id and event.source_executor_id == "mailer"
    assert result.get_outputs() == [] and sent == []


def test_approved_the_tool_runs_and_the_agent_answers_on() -> None:
    workflow = mail_workflow()
    [event] = run(workflow.run(PROMPT)).get_request_info_events()
    result = run(workflow.run(responses={event.request_id: event.data.to_function_approval_response(approved=True)}))
    assert sent == ["Bob"]
    [output] = result.get_outputs()
    assert "Email sent to Bob" in output


def test_refused_the_tool_never_runs_and_the_agent_still_answers() -> None:
    workflow = mail_workflow()
    [event] = run(workflow.run(PROMPT)).get_request_info_events()
    result = run(workflow.run(responses={event.request_id: event.data.to_function_approval_response(approved=False)}))
    assert sent == [] and "did not approve" in result.get_outputs()[0]


@tool(approval_mode="always_require")
def book_meeting(day: str) -> str:
    """Book a meeting."""
    return f"Meeting booked on {day}."


def test_the_agent_goes_on_only_when_every_question_is_answered() -> None:
    agent = Agent(OfflineChatClient(), "You assist.", name="assistant", tools=[send_email, book_meeting])
    workflow = WorkflowBuilder(start_executor=agent).add_edge(agent, finish).build()
    first, second = run(workflow.run("Send an email to Bob and book a meeting on Friday.")).get_request_info_events()
    result = run(workflow.run(responses={first.request_id: first.data.to_function_approval_response(True)}))
    assert result.get_outputs() == [] and sent == []
    result = run(workflow.run(responses={second.request_id: second.data.to_function_approval_response(True)}))
    assert sent == ["Bob"] and "Meeting booked" in result.get_outputs()[0]


def test_a_streamed_run_pauses_too() -> None:
    async def events() -> list:
        return [event async for event in mail_workflow().run(PROMPT, stream=True)]

    seen = run(events())
    assert [e.data.type for e in seen if e.type == "request_info"] == ["function_approval_request"]


def test_an_answer_that_is_not_an_approval_fails_the_run_and_says_what_to_send() -> None:
    workflow = mail_workflow()
    [event] = run(workflow.run(PROMPT)).get_request_info_events()
    with pytest.raises(WorkflowFailedError) as failure:
        run(workflow.run(responses={event.request_id: Content.from_text("yes")}))
    assert "to_function_approval_response" in str(failure.value.__cause__)


def test_a_paused_agent_resumes_from_a_checkpoint_in_a_new_workflow() -> None:
    storage = InMemoryCheckpointStorage()
    [event] = run(mail_workflow(checkpoint_storage=storage).run(PROMPT)).get_request_info_events()
    latest = run(storage.get_latest(workflow_name=mail_workflow().name))
    result = run(
        mail_workflow().run(
            checkpoint_id=latest.checkpoint_id,
            checkpoint_storage=storage,
            responses={event.request_id: event.data.to_function_approval_response(True)},
        )
    )
    assert sent == ["Bob"] and "Email sent to Bob" in result.get_outputs()[0]


get_user_location = FunctionTool(
    name="get_user_location",
    func=None,
    description="Get the user's city.",
    input_model={"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]},
)


def weather_workflow():
    agent = Agent(OfflineChatClient(), "Call get_user_location first.", name="weather_bot", tools=[get_user_location])
    return WorkflowBuilder(start_executor=agent).add_edge(agent, finish).build()


def test_a_call_to_a_declaration_only_tool_is_a_request_for_its_result() -> None:
    [event] = run(weather_workflow().run("What's the weather like today?")).get_request_info_events()
    assert event.data.type == "function_call" and event.data.name == "get_user_location"


def test_the_callers_result_reaches_the_agent() -> None:
    workflow = weather_workflow()
    [event] = run(workflow.run("What's the weather like today?")).get_request_info_events()
    answer = Content.from_function_result(call_id=event.data.call_id, result="Seattle, WA")
    assert "Seattle, WA" in run(workflow.run(responses={event.request_id: answer})).get_outputs()[0]


def test_a_result_for_another_call_fails_the_run_and_names_the_call_id() -> None:
    workflow = weather_workflow()
    [event] = run(workflow.run("What's the weather like today?")).get_request_info_events()
    with pytest.raises(WorkflowFailedError) as failure:
        run(workflow.run(responses={event.request_id: Content.from_function_result("other", result="x")}))
    assert event.data.call_id in str(failure.value.__cause__)


def test_an_executor_takes_todays_context_modes() -> None:
    agent = Agent(OfflineChatClient(), name="a")
    assert AgentExecutor(agent).context_mode == "full"
    with pytest.raises(ValueError, match="context_filter"):
        AgentExecutor(agent, context_mode="custom")
    with pytest.raises(ValueError, match="'full', 'last_agent' or 'custom'"):
        AgentExecutor(agent, context_mode="everything")
