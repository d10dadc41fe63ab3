"""A workflow as an agent in AF b251104: `workflow.as_agent(name=...)` answers with what its
executors emit as `AgentRunUpdateEvent`s (AF's `WorkflowAgent` of that era reads only those and
`RequestInfoEvent`s, not `WorkflowOutputEvent`s); `SequentialBuilder` / `ConcurrentBuilder`
workflows as agents answer with their agents' replies; a `ctx.request_info` request is shown as a
`request_info` `FunctionCallContent` whose arguments hold the request object, answered with a
TOOL message."""

from __future__ import annotations

from dataclasses import dataclass


from tests.conftest import run
from wfkit import (
    AgentRunResponse,
    AgentRunResponseUpdate,
    AgentRunUpdateEvent,
    ChatMessage,
    ConcurrentBuilder,
    Executor,
    FunctionCallContent,
    FunctionResultContent,
    OfflineChatClient,
    Role,
    SequentialBuilder,
    TextContent,
    WorkflowAgent,
    WorkflowBuilder,
    WorkflowContext,
    handler,
    response_handler,
)


def scripted(name: str, reply: str):
    return OfflineChatClient(replies=[reply]).create_agent(instructions=f"You are {name}.", name=name)


def test_a_sequential_workflow_as_agent_answers_with_the_participants_replies():
    agent = SequentialBuilder().participants([scripted("a", "Alpha."), scripted("b", "Beta.")]).build().as_agent(name="team")
    response = run(agent.run("Go"))
    assert isinstance(response, AgentRunResponse)
    assert [m.text for m in response.messages] == ["Alpha.", "Beta."]


def test_a_concurrent_workflow_as_agent_answers_with_every_participants_reply():
    agent = ConcurrentBuilder().participants([scripted("a", "Alpha."), scripted("b", "Beta.")]).build().as_agent()
    assert sorted(m.text for m in run(agent.run("Go")).messages) == ["Alpha.", "Beta."]


@dataclass
class Confirm:
    question: str


class Concierge(Executor):
    @handler
    async def book(self, messages: list[ChatMessage], ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=Confirm(f"Book {messages[-1].text}?"), response_type=bool)

    @response_handler
    async def confirmed(self, request: Confirm, yes: bool, ctx: WorkflowContext) -> None:
        reply = AgentRunResponseUpdate(contents=[TextContent(text="Booked." if yes else "Cancelled.")], role=Role.ASSISTANT)
        await ctx.add_event(AgentRunUpdateEvent(executor_id=self.id, data=reply))


def concierge_agent() -> WorkflowAgent:
    return WorkflowBuilder().set_start_executor(Concierge(id="concierge")).build().as_agent(name="concierge")


def the_call(response: AgentRunResponse) -> FunctionCallContent:
    [call] = [c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent)]
    return call


def test_a_request_becomes_a_function_call_holding_the_request_object():
    call = the_call(run(concierge_agent().run("a table for two")))
    arguments = WorkflowAgent.RequestInfoFunctionArgs.from_dict(call.arguments)
    assert call.name == WorkflowAgent.REQUEST_INFO_FUNCTION_NAME
    assert arguments.data == Confirm("Book a table for two?")


def test_the_function_call_arguments_survive_json():
    call = the_call(run(concierge_agent().run("a taxi")))
    as_json = WorkflowAgent.RequestInfoFunctionArgs.from_dict(call.arguments).to_json()
    assert WorkflowAgent.RequestInfoFunctionArgs.from_json(as_json).data == Confirm("Book a taxi?")


def test_a_function_result_answers_the_request_and_the_update_is_the_reply():
    agent = concierge_agent()
    call = the_call(run(agent.run("a taxi")))
    answer = ChatMessage(role=Role.TOOL, contents=[FunctionResultContent(call_id=call.call_id, result=False)])
    assert run(agent.run(answer)).text == "Cancelled."
