"""Orchestrations in AF b251007: `SequentialBuilder().participants([...]).build()` passes one
conversation along and yields it whole (a `list[ChatMessage]`); `ConcurrentBuilder().participants(
[...]).build()` asks every participant the same prompt and yields the prompt plus each answer;
`.with_aggregator(fn)` replaces that output with fn's; executors may take part beside agents."""

from __future__ import annotations

from tests.conftest import run
from wfkit import (
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    ChatMessage,
    ConcurrentBuilder,
    Executor,
    OfflineChatClient,
    Role,
    SequentialBuilder,
    WorkflowContext,
    handler,
)


def agent(name: str, reply: str):
    return OfflineChatClient(replies=[reply]).create_agent(instructions=f"You are the {name}.", name=name)


def test_sequential_yields_the_whole_conversation_in_order():
    workflow = SequentialBuilder().participants([agent("chef", "Soup."), agent("critic", "Needs salt.")]).build()
    [conversation] = run(workflow.run("Dinner?")).get_outputs()
    assert [(m.role, m.text) for m in conversation] == [
        (Role.USER, "Dinner?"), (Role.ASSISTANT, "Soup."), (Role.ASSISTANT, "Needs salt.")
    ]


def test_sequential_messages_name_the_agent_that_wrote_them():
    workflow = SequentialBuilder().participants([agent("chef", "Soup."), agent("critic", "Fine.")]).build()
    [conversation] = run(workflow.run("Dinner?")).get_outputs()
    assert [m.author_name for m in conversation[1:]] == ["chef", "critic"]


class Counter(Executor):
    """A participant that is no agent: adds a message counting the words so far."""

    @handler
    async def count(self, conversation: list[ChatMessage], ctx: WorkflowContext[list[ChatMessage]]) -> None:
        words = sum(len(m.text.split()) for m in conversation)
        await ctx.send_message([*conversation, ChatMessage(Role.ASSISTANT, text=f"{words} words so far")])


def test_an_executor_can_take_part_in_a_sequence():
    workflow = SequentialBuilder().participants([agent("chef", "Hot soup."), Counter(id="counter")]).build()
    [conversation] = run(workflow.run("Dinner please?")).get_outputs()
    assert conversation[-1].text == "4 words so far"


def test_concurrent_yields_the_prompt_and_every_answer():
    workflow = ConcurrentBuilder().participants([agent("north", "Rain."), agent("south", "Sun.")]).build()
    [messages] = run(workflow.run("Weather?")).get_outputs()
    assert messages[0].text == "Weather?" and sorted(m.text for m in messages[1:]) == ["Rain.", "Sun."]


def test_a_custom_aggregator_receives_every_agents_response():
    def headline(results: list[AgentExecutorResponse]) -> str:
        return " / ".join(sorted(f"{r.executor_id}: {r.agent_run_response.text}" for r in results))

    workflow = (
        ConcurrentBuilder().participants([agent("north", "Rain."), agent("south", "Sun.")]).with_aggregator(headline).build()
    )
    assert run(workflow.run("Weather?")).get_outputs() == ["north: Rain. / south: Sun."]


class Shouter(Executor):
    """A custom concurrent participant: answers the request itself, in capitals."""

    @handler
    async def answer(self, request: AgentExecutorRequest, ctx: WorkflowContext[AgentExecutorResponse]) -> None:
        reply = ChatMessage(Role.ASSISTANT, text=request.messages[-1].text.upper(), author_name=self.id)
        response = AgentRunResponse(messages=[reply])
        await ctx.send_message(AgentExecutorResponse(self.id, response, [*request.messages, reply]))


def test_a_custom_executor_can_take_part_in_a_concurrent_run():
    workflow = ConcurrentBuilder().participants([Shouter(id="shouter"), agent("calm", "ok")]).build()
    [messages] = run(workflow.run("hello")).get_outputs()
    assert sorted(m.text for m in messages[1:]) == ["HELLO", "ok"]
