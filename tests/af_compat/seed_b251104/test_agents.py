"""Agents in workflows in AF b251104: agents passed straight to `add_edge` / `set_start_executor`
are wrapped in an `AgentExecutor` that does not yield its answer as an output
(`output_response=False`) but passes an `AgentExecutorResponse` on; `AgentExecutor(agent,
output_response=True)` yields it; an executor may call an agent itself; and `run_stream` shows
`AgentRunUpdateEvent`s. The chat client is wfkit's offline one."""

from __future__ import annotations

from tests.conftest import run
from wfkit import (
    AgentExecutor,
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    AgentRunUpdateEvent,
    ChatMessage,
    Executor,
    Never,
    OfflineChatClient,
    Role,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowOutputEvent,
    executor,
    handler,
)


def scripted(name: str, *replies: str):
    return OfflineChatClient(replies=list(replies)).create_agent(instructions=f"You are {name}.", name=name)


def test_an_agent_given_to_add_edge_yields_no_output_of_its_own():
    planner, checker = scripted("planner", "Plan: walk."), scripted("checker", "Looks fine.")
    result = run(WorkflowBuilder().set_start_executor(planner).add_edge(planner, checker).build().run("Weekend?"))
    assert result.get_outputs() == []


def test_the_next_executor_receives_an_agent_executor_response():
    planner = scripted("planner", "Plan: swim.")

    @executor(id="keep")
    async def keep(response: AgentExecutorResponse, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{response.executor_id} said {response.agent_run_response.text}")

    workflow = WorkflowBuilder().set_start_executor(planner).add_edge(planner, keep).build()
    assert run(workflow.run("Weekend?")).get_outputs() == ["planner said Plan: swim."]


def test_an_agent_executor_with_output_response_yields_the_agents_answer():
    planner = AgentExecutor(scripted("planner", "Plan: read."), id="planner", output_response=True)
    [output] = run(WorkflowBuilder().set_start_executor(planner).build().run("Weekend?")).get_outputs()
    assert isinstance(output, AgentRunResponse) and output.text == "Plan: read."


class Translator(Executor):
    """An executor that owns an agent and calls it itself (no AgentExecutor)."""

    def __init__(self) -> None:
        super().__init__(id="translator")
        self.agent = scripted("translator", "Bonjour")

    @handler
    async def translate(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        response = await self.agent.run([ChatMessage(Role.USER, text=text)])
        await ctx.yield_output(response.text)


def test_an_executor_can_run_an_agent_inside_its_handler():
    assert run(WorkflowBuilder().set_start_executor(Translator()).build().run("Hello")).get_outputs() == ["Bonjour"]


def test_an_executor_can_feed_an_agent_with_an_agent_executor_request():
    summarizer = scripted("summarizer", "Short.")

    @executor(id="prepare")
    async def prepare(text: str, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
        await ctx.send_message(AgentExecutorRequest(messages=[ChatMessage(Role.USER, text=f"Summarize: {text}")], should_respond=True))

    @executor(id="publish")
    async def publish(response: AgentExecutorResponse, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(response.full_conversation[0].text + " -> " + response.agent_run_response.text)

    workflow = WorkflowBuilder().set_start_executor(prepare).add_chain([prepare, summarizer, publish]).build()
    assert run(workflow.run("a long text")).get_outputs() == ["Summarize: a long text -> Short."]


def test_streaming_shows_each_agents_updates_in_turn():
    first, second = scripted("first", "one two three four"), scripted("second", "five six seven eight")
    workflow = WorkflowBuilder().set_start_executor(first).add_edge(first, second).build()

    async def stream():
        return [e async for e in workflow.run_stream("count")]

    events = run(stream())
    updates = [e for e in events if isinstance(e, AgentRunUpdateEvent)]
    authors = [e.executor_id for e in updates]
    assert authors == sorted(authors, key=["first", "second"].index) and set(authors) == {"first", "second"}
    assert not any(isinstance(e, WorkflowOutputEvent) for e in events)
