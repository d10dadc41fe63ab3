"""The same workflow code, run on wfkit and on real Agent Framework 1.x (skipped when it is not
installed): a tool that needs approval, and a declaration-only tool, each pause the workflow with
a request the caller answers, in the same shape on both.

The models differ (wfkit's offline model; on AF a few lines that call the tool the test names,
then answer), so the tests compare what the caller sees: the request's type, the call it asks
about, that the tool ran only when approved, and that an output followed.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pytest

import wfkit
from tests.conftest import run

FRAMEWORKS = ["wfkit", "agent_framework"]
PROMPT = "Please send an email to Bob."


@pytest.fixture(params=FRAMEWORKS)
def af(request: pytest.FixtureRequest) -> ModuleType:
    if request.param == "wfkit":
        return wfkit
    return pytest.importorskip("agent_framework", reason="agent-framework-core (AF 1.x) is not installed")


def calling_client(af: ModuleType, tool_name: str, arguments: dict[str, Any]) -> Any:
    """A chat client that first calls `tool_name`, then answers with the tool's result."""
    if af is wfkit:
        return wfkit.OfflineChatClient()

    class CallThenAnswer(af.FunctionInvocationLayer, af.BaseChatClient):
        def _inner_get_response(self, *, messages: Any, stream: bool, options: Any, **kwargs: Any) -> Any:
            results = [c for m in messages for c in m.contents if c.type == "function_result"]
            if results:
                contents = [af.Content.from_text(f"Done: {results[-1].result}")]
            else:
                contents = [af.Content.from_function_call(call_id="c1", name=tool_name, arguments=json.dumps(arguments))]

            async def whole() -> Any:
                return af.ChatResponse(messages=[af.Message("assistant", contents)], response_id="r")

            return whole()

    return CallThenAnswer()


def test_a_tool_that_needs_approval_pauses_the_workflow_until_approved(af: ModuleType) -> None:
    sent: list[str] = []

    @af.tool(approval_mode="always_require")
    def send_email(to: str) -> str:
        """Send an email."""
        sent.append(to)
        return f"sent to {to}"

    agent = af.Agent(client=calling_client(af, "send_email", {"to": "Bob"}), name="mailer", tools=[send_email])
    workflow = af.WorkflowBuilder(start_executor=agent, output_from=[agent]).build()
    result = run(workflow.run(PROMPT))
    [request] = result.get_request_info_events()
    assert request.data.type == "function_approval_request"
    assert (request.data.function_call.name, request.data.function_call.parse_arguments()) == ("send_email", {"to": "Bob"})
    assert sent == [] and result.get_outputs() == []
    result = run(workflow.run(responses={request.request_id: request.data.to_function_approval_response(approved=True)}))
    assert sent == ["Bob"]
    [output] = result.get_outputs()
    assert isinstance(output, af.AgentResponse) and "sent to Bob" in output.text


def test_a_declaration_only_tool_hands_its_call_to_the_caller(af: ModuleType) -> None:
    get_user_location = af.FunctionTool(
        name="get_user_location",
        func=None,
        description="Get the user's city.",
        input_model={"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]},
    )
    client = calling_client(af, "get_user_location", {"reason": "weather"})
    agent = af.Agent(client=client, name="bot", instructions="Call get_user_location first.", tools=[get_user_location])
    workflow = af.WorkflowBuilder(start_executor=agent, output_from=[agent]).build()
    [request] = run(workflow.run("What's the weather today?")).get_request_info_events()
    assert request.data.type == "function_call" and request.data.name == "get_user_location"
    answer = af.Content.from_function_result(call_id=request.data.call_id, result="Seattle, WA")
    [output] = run(workflow.run(responses={request.request_id: answer})).get_outputs()
    assert "Seattle, WA" in output.text
