"""Agent tools: python functions the model calls, run by wfkit, offline and over HTTP."""

from __future__ import annotations

import json
from typing import Annotated, Literal

import pytest
from pydantic import Field

from tests.agents.openai_server import FakeOpenAIServer
from tests.conftest import run
from wfkit.agents import (
    FunctionCallContent,
    FunctionResultContent,
    OfflineChatClient,
    OpenAIChatClient,
    Role,
    ToolMode,
    ai_function,
)
from wfkit.agents.tools import AIFunction

calls: list[tuple[str, str]] = []


def get_weather(
    location: Annotated[str, Field(description="The city to get the weather for.")],
    unit: Literal["celsius", "fahrenheit"] = "celsius",
) -> str:
    """Get the weather for a given location."""
    calls.append((location, unit))
    return f"The weather in {location} is sunny, 25 degrees {unit}."


@ai_function(description="Add two whole numbers.")
async def add(a: int, b: int) -> int:
    return a + b


@pytest.fixture(autouse=True)
def no_calls_yet() -> None:
    calls.clear()


def weather_agent(**options):
    return OfflineChatClient().create_agent(instructions="You help travellers.", name="helper", tools=[get_weather], **options)


def test_a_function_becomes_a_tool_described_by_its_signature() -> None:
    tool = AIFunction(get_weather)
    assert tool.name == "get_weather" and tool.description == "Get the weather for a given location."
    assert tool.parameters["required"] == ["location"]
    assert tool.parameters["properties"]["location"]["description"] == "The city to get the weather for."
    assert tool.parameters["properties"]["unit"]["enum"] == ["celsius", "fahrenheit"]


def test_the_agent_calls_the_tool_the_prompt_mentions_and_answers_with_its_result() -> None:
    response = run(weather_agent().run("What's the weather like in Seattle, in fahrenheit?"))
    assert calls == [("Seattle", "fahrenheit")]
    call, result, answer = response.messages
    assert isinstance(call.contents[0], FunctionCallContent) and call.contents[0].name == "get_weather"
    assert result.role == Role.TOOL and isinstance(result.contents[0], FunctionResultContent)
    assert "sunny, 25 degrees fahrenheit" in answer.text


def test_no_tool_is_called_when_the_prompt_does_not_mention_one() -> None:
    response = run(weather_agent().run("Write a haiku about autumn."))
    assert calls == [] and len(response.messages) == 1


def test_required_calls_a_tool_even_unmentioned_and_none_calls_nothing() -> None:
    run(weather_agent(tool_choice="required").run("Write a haiku about autumn."))
    assert len(calls) == 1
    run(weather_agent(tool_choice=ToolMode.NONE).run("What's the weather in Oslo?"))
    assert len(calls) == 1


def test_required_function_name_picks_that_tool_and_numbers_come_from_the_prompt() -> None:
    agent = OfflineChatClient().create_agent(tools=[get_weather, add], tool_choice=ToolMode.REQUIRED("add"))
    response = run(agent.run("What is 17 plus 25?"))
    assert response.messages[1].contents[0].result == 42 and "42" in response.text


def test_tools_given_to_run_are_added_to_the_agents() -> None:
    response = run(weather_agent().run("Please add 2 and 3.", tools=[add]))
    assert response.messages[1].contents[0].result == 5


def test_a_streamed_run_calls_the_tool_too() -> None:
    async def updates() -> list:
        return [u async for u in weather_agent().run_stream("Weather in Paris?")]

    pieces = run(updates())
    assert calls == [("Paris", "celsius")]
    assert any(u.role == Role.TOOL for u in pieces) and "Paris" in "".join(u.text for u in pieces)


def test_a_failing_tool_reports_the_error_to_the_model_instead_of_failing_the_run() -> None:
    def get_stock(symbol: str) -> str:
        """Get the stock price."""
        raise RuntimeError("market closed")

    response = run(OfflineChatClient().create_agent(tools=[get_stock]).run("What is the stock price of Contoso?"))
    assert "market closed" in response.messages[1].contents[0].result


def test_openai_client_sends_tools_in_openai_format_and_returns_results(server: FakeOpenAIServer) -> None:
    server.tool_call_rounds = [[{"id": "c1", "name": "get_weather", "arguments": '{"location": "Lima"}'}]]
    client = OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url)
    response = run(client.create_agent(tools=[get_weather], tool_choice="required").run("Weather in Lima?"))
    assert calls == [("Lima", "celsius")]
    first, second = server.requests
    [tool] = first.body["tools"]
    assert tool["type"] == "function" and tool["function"]["name"] == "get_weather"
    assert tool["function"]["parameters"]["properties"]["location"]["type"] == "string"
    assert first.body["tool_choice"] == "required" and second.body["tool_choice"] == "auto"
    assert second.messages[-1] == {"role": "tool", "tool_call_id": "c1", "content": calls and "The weather in Lima is sunny, 25 degrees celsius."}
    assert response.text.startswith("Echo: The weather in Lima")


def test_openai_client_names_a_required_function(server: FakeOpenAIServer) -> None:
    client = OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url)
    run(client.get_response("Hi", tools=[get_weather], tool_choice=ToolMode.REQUIRED("get_weather")))
    assert server.requests[0].body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}


def test_openai_client_streams_a_tool_round(server: FakeOpenAIServer) -> None:
    server.tool_call_rounds = [[{"id": "c1", "name": "get_weather", "arguments": json.dumps({"location": "Rome"})}]]
    client = OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url)

    async def text() -> str:
        return "".join([u.text async for u in client.get_streaming_response("Rome?", tools=[get_weather])])

    assert run(text()).startswith("Echo: The weather in Rome")
    assert calls == [("Rome", "celsius")]
