"""A workflow as an agent in AF b251007: `workflow.as_agent()` gives a `WorkflowAgent` whose
`run` answers with an `AgentRunResponse`; an executor speaks through it by adding an
`AgentRunUpdateEvent` carrying an `AgentRunResponseUpdate`; `run_stream` yields those updates;
a request to a `RequestInfoExecutor` shows as a `FunctionCallContent` named
`WorkflowAgent.REQUEST_INFO_FUNCTION_NAME`, answered by a TOOL message with a
`FunctionResultContent` for that call id."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import run
from wfkit import (
    AgentRunResponse,
    AgentRunResponseUpdate,
    AgentRunUpdateEvent,
    ChatMessage,
    Executor,
    FunctionCallContent,
    FunctionResultContent,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    Role,
    TextContent,
    WorkflowAgent,
    WorkflowBuilder,
    WorkflowContext,
    executor,
    handler,
)


@executor(id="greeter")
async def greeter(messages: list[ChatMessage], ctx: WorkflowContext) -> None:
    name = messages[-1].text
    for piece in ("Hello, ", f"{name}", "!"):
        update = AgentRunResponseUpdate(contents=[TextContent(text=piece)], role=Role.ASSISTANT, response_id="greet")
        await ctx.add_event(AgentRunUpdateEvent(executor_id="greeter", data=update))


def greeting_agent() -> WorkflowAgent:
    return WorkflowBuilder().set_start_executor(greeter).build().as_agent(name="greeting")


def test_as_agent_gives_a_workflow_agent_with_the_given_name():
    agent = greeting_agent()
    assert isinstance(agent, WorkflowAgent) and agent.name == "greeting"


def test_run_answers_with_the_text_the_executors_emitted_as_updates():
    response = run(greeting_agent().run("Ada"))
    assert isinstance(response, AgentRunResponse) and response.text == "Hello, Ada!"


def test_run_stream_yields_each_update_as_it_is_emitted():
    async def pieces():
        return [update.text async for update in greeting_agent().run_stream("Grace")]

    assert run(pieces()) == ["Hello, ", "Grace", "!"]


@dataclass
class Approval(RequestInfoMessage):
    plan: str = ""


class Planner(Executor):
    @handler
    async def plan(self, messages: list[ChatMessage], ctx: WorkflowContext[Approval]) -> None:
        await ctx.send_message(Approval(plan=f"visit {messages[-1].text}"), target_id="approver")

    @handler
    async def approved(self, answer: RequestResponse[Approval, str], ctx: WorkflowContext) -> None:
        update = AgentRunResponseUpdate(
            contents=[TextContent(text=f"{answer.original_request.plan}: {answer.data}")], role=Role.ASSISTANT
        )
        await ctx.add_event(AgentRunUpdateEvent(executor_id=self.id, data=update))


def planning_agent() -> WorkflowAgent:
    planner, approver = Planner(id="planner"), RequestInfoExecutor(id="approver")
    workflow = WorkflowBuilder().set_start_executor(planner).add_edge(planner, approver).add_edge(approver, planner).build()
    return workflow.as_agent(name="planning")


def the_call(response: AgentRunResponse) -> FunctionCallContent:
    [call] = [c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent)]
    return call


def test_a_pending_request_shows_as_a_request_info_function_call():
    call = the_call(run(planning_agent().run("Lisbon")))
    assert call.name == WorkflowAgent.REQUEST_INFO_FUNCTION_NAME
    arguments = WorkflowAgent.RequestInfoFunctionArgs.from_dict(call.arguments)
    assert arguments.request_id == call.call_id and arguments.data.plan == "visit Lisbon"


def test_a_tool_message_with_the_result_answers_the_request():
    agent = planning_agent()
    call = the_call(run(agent.run("Oslo")))
    reply = ChatMessage(role=Role.TOOL, contents=[FunctionResultContent(call_id=call.call_id, result="approved")])
    assert run(agent.run(reply)).text == "visit Oslo: approved"
