"""``async with agent:``: the agent for the block, its client closed when the block ends (as in AF)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.agents.openai_server import FakeOpenAIServer
from tests.conftest import run
from wfkit import Agent, ChatAgent, OfflineChatClient, OpenAIChatClient


def test_the_block_gets_the_agent_and_the_openai_client_s_connections_close_at_its_end(server: FakeOpenAIServer):
    client = OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url)
    agent = Agent(client, "Be brief.", name="brief")

    async def use() -> str:
        async with agent as inside:
            assert inside is agent
            answer = (await inside.run("hello")).text
            assert not client._client.is_closed()
            return answer

    assert run(use())
    assert client._client.is_closed()


class ClosingClient(OfflineChatClient):
    """An offline client that can be closed, and says how often it was (sync or async close)."""

    def __init__(self, asynchronous: bool = True) -> None:
        super().__init__()
        self.closed = 0
        if not asynchronous:
            self.close = self.close_now  # type: ignore[method-assign]

    async def close(self) -> None:
        self.closed += 1

    def close_now(self) -> None:
        self.closed += 1


@pytest.mark.parametrize("asynchronous", [True, False])
def test_a_client_closes_even_when_the_block_raises(asynchronous: bool):
    client = ClosingClient(asynchronous)

    async def use() -> None:
        async with ChatAgent(chat_client=client, name="seed-era") as agent:
            await agent.run("hello")
            raise KeyError("oops")

    with pytest.raises(KeyError):
        run(use())
    assert client.closed == 1


class ContextClient(OfflineChatClient):
    """An offline client that is an async context manager of its own, as AF's clients may be."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Any] = []

    async def __aenter__(self) -> ContextClient:
        self.seen.append("enter")
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.seen.append(("exit", exc_info[0]))

    async def close(self) -> None:
        self.seen.append("close")  # not called: leaving its context is its way to close


def test_a_client_that_is_a_context_manager_is_entered_and_left_with_the_block():
    client = ContextClient()

    async def use() -> None:
        async with Agent(client, name="a"):
            assert client.seen == ["enter"]
            raise ValueError("inside")

    with pytest.raises(ValueError):
        run(use())
    assert client.seen == ["enter", ("exit", ValueError)]


def test_a_client_with_nothing_to_close_is_fine():
    async def use() -> str:
        async with Agent(OfflineChatClient(), name="offline") as agent:
            return (await agent.run("hello")).text

    assert run(use())
