"""Orchestrations in AF b251104: `SequentialBuilder().participants([...])` with agents and a custom
executor ending the chain; `ConcurrentBuilder().participants([...])` with its default aggregation
and with `.with_aggregator(...)` given an async function."""

from __future__ import annotations

from tests.conftest import run
from wfkit import (
    AgentExecutorResponse,
    ChatMessage,
    ConcurrentBuilder,
    Executor,
    Never,
    OfflineChatClient,
    Role,
    SequentialBuilder,
    WorkflowContext,
    handler,
)


def scripted(name: str, reply: str):
    return OfflineChatClient(replies=[reply]).create_agent(instructions=f"You are {name}.", name=name)


class Tally(Executor):
    """Ends a sequence: yields how many messages each role wrote."""

    @handler
    async def tally(self, conversation: list[ChatMessage], ctx: WorkflowContext[Never, str]) -> None:
        users = sum(m.role is Role.USER for m in conversation)
        await ctx.yield_output(f"users: {users}, assistants: {len(conversation) - users}")


def test_a_sequence_can_end_in_a_custom_executor_that_yields_its_own_output():
    workflow = SequentialBuilder().participants([scripted("a", "A."), scripted("b", "B."), Tally(id="tally")]).build()
    assert run(workflow.run("Start")).get_outputs() == ["users: 1, assistants: 2"]


def test_each_agent_in_a_sequence_sees_the_replies_before_it():
    second_client = OfflineChatClient(replies=["Second."])
    workflow = SequentialBuilder().participants([scripted("a", "First."), second_client.create_agent(name="b")]).build()
    run(workflow.run("Start"))
    assert second_client.requests_answered == 1
    [conversation] = run(SequentialBuilder().participants([scripted("a", "1"), scripted("b", "2")]).build().run("S")).get_outputs()
    assert [m.text for m in conversation] == ["S", "1", "2"]


def test_concurrent_by_default_yields_the_prompt_and_each_reply_once():
    workflow = ConcurrentBuilder().participants([scripted("x", "X."), scripted("y", "Y."), scripted("z", "Z.")]).build()
    [messages] = run(workflow.run("Q")).get_outputs()
    assert [m.text for m in messages][0] == "Q" and sorted(m.text for m in messages[1:]) == ["X.", "Y.", "Z."]


def test_an_async_aggregator_replaces_the_default_output():
    async def longest(results: list[AgentExecutorResponse]) -> str:
        return max((r.agent_run_response.text for r in results), key=len)

    workflow = ConcurrentBuilder().participants([scripted("x", "Yes."), scripted("y", "Maybe.")]).with_aggregator(longest).build()
    assert run(workflow.run("Q")).get_outputs() == ["Maybe."]
