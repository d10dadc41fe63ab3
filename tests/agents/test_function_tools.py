"""Today's tool names: `tool` and `FunctionTool`, their options, and declaration-only tools."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field

from tests.conftest import run
from wfkit import (
    AIFunction,
    Agent,
    Content,
    FunctionTool,
    Message,
    OfflineChatClient,
    UnansweredToolCallError,
    ai_function,
    tool,
)


@tool
def get_weather(location: Annotated[str, "The city to look up."]) -> str:
    """Get the weather for a location."""
    return f"Sunny in {location}."


def test_the_seed_era_names_are_todays_classes() -> None:
    assert AIFunction is FunctionTool
    assert isinstance(ai_function(lambda city: city), FunctionTool)


def test_tool_works_bare_and_with_options() -> None:
    @tool(name="forecast", description="Tomorrow's weather.", approval_mode="always_require")
    def tomorrow(city: str) -> str:
        return city

    assert isinstance(get_weather, FunctionTool) and get_weather.name == "get_weather"
    assert (tomorrow.name, tomorrow.description, tomorrow.approval_mode) == ("forecast", "Tomorrow's weather.", "always_require")
    assert get_weather.approval_mode == "never_require"


def test_a_string_in_annotated_describes_the_parameter() -> None:
    assert get_weather.parameters["properties"]["location"]["description"] == "The city to look up."


def test_a_schema_given_replaces_the_signature() -> None:
    class Query(BaseModel):
        text: str = Field(description="What to search for.")

    search = tool(lambda **kw: kw["text"], name="search", schema=Query)
    assert search.parameters["properties"]["text"]["description"] == "What to search for."
    assert run(search.invoke({"text": "otters"})) == "otters"


def test_function_tool_takes_todays_keywords() -> None:
    made = FunctionTool(name="weather", func=get_weather.func, description="Weather.")
    assert (made.name, made.description) == ("weather", "Weather.")
    assert run(made.invoke('{"location": "Oslo"}')) == "Sunny in Oslo."


def test_an_unknown_approval_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="'always_require' or 'never_require'"):
        tool(approval_mode="sometimes")(get_weather.func)


def test_a_tool_that_takes_kwargs_gets_the_runs_function_invocation_kwargs() -> None:
    seen: dict[str, Any] = {}

    @tool
    def get_user_data(query: str, **kwargs: Any) -> str:
        """Get the user data."""
        seen.update(kwargs)
        return "ok"

    agent = Agent(OfflineChatClient(), "You help.", tools=[get_user_data])
    run(agent.run("Get my user data.", function_invocation_kwargs={"user_token": "t-1"}))
    assert seen == {"user_token": "t-1"}
    assert "user_token" not in get_user_data.parameters["properties"]


def test_function_invocation_kwargs_never_reach_the_model() -> None:
    client = OfflineChatClient()
    seen: list[dict[str, Any]] = []
    original = client._complete

    async def recording(messages, options):  # noqa: ANN001, ANN202
        seen.append(options)
        return await original(messages, options)

    client._complete = recording  # type: ignore[method-assign]
    run(Agent(client, tools=[get_weather]).run("Weather in Oslo?", function_invocation_kwargs={"secret": 1}))
    assert seen and all("function_invocation_kwargs" not in options and "secret" not in options for options in seen)


# --- declaration-only tools ---------------------------------------------------------------------

get_user_location = FunctionTool(
    name="get_user_location",
    func=None,
    description="Get the user's current city.",
    input_model={"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]},
)


def locator() -> Agent:
    return Agent(OfflineChatClient(), "You tell the weather.", name="weather_bot", tools=[get_user_location])


def test_a_declaration_only_tool_shows_its_schema_as_given() -> None:
    assert get_user_location.declaration_only and get_user_location.parameters["required"] == ["reason"]


def test_a_call_to_a_declaration_only_tool_goes_to_the_caller() -> None:
    response = run(locator().run("What is my current city?"))
    [call] = response.user_input_requests
    assert call.type == "function_call" and call.name == "get_user_location" and call.user_input_request
    assert [m.role for m in response.messages] == ["assistant"]  # the agent stopped there


def test_the_callers_result_lets_the_agent_answer() -> None:
    agent = locator()
    prompt = Message("user", ["What is my current city?"])
    first = run(agent.run(prompt))
    [call] = first.user_input_requests
    result = Message("tool", [Content.from_function_result(call.call_id, result="Seattle, WA")])
    second = run(agent.run([prompt, *first.messages, result]))
    assert "Seattle, WA" in second.text and not second.user_input_requests


def test_running_again_without_the_callers_result_says_what_to_add() -> None:
    agent = locator()
    prompt = Message("user", ["What is my current city?"])
    first = run(agent.run(prompt))
    with pytest.raises(UnansweredToolCallError, match=r"declaration only.*Content.from_function_result"):
        run(agent.run([prompt, *first.messages]))


def test_a_declaration_only_tool_cannot_be_invoked() -> None:
    with pytest.raises(TypeError, match="declaration only"):
        run(get_user_location.invoke({"reason": "weather"}))


# --- contents in AF 1.x's shape ------------------------------------------------------------------


def test_content_made_by_type_name_is_the_class_for_that_type() -> None:
    made = Content("function_result", call_id="c1", result="Sunny")
    assert made == Content.from_function_result("c1", result="Sunny")


def test_any_content_answers_the_fields_of_the_others_with_none() -> None:
    text = Content.from_text("Hi")
    assert (text.name, text.call_id, text.result) == (None, None, None)
    with pytest.raises(AttributeError):
        text.not_a_field  # noqa: B018


def test_an_unknown_content_type_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="'function_approval_request'"):
        Content("hosted_file", file_id="f1")


def test_a_call_parses_its_arguments() -> None:
    assert Content.from_function_call("c1", "f", arguments='{"a": 1}').parse_arguments() == {"a": 1}
    assert Content.from_function_call("c1", "f", arguments={"a": 1}).parse_arguments() == {"a": 1}


def test_arguments_that_are_no_json_object_come_back_raw_and_none_as_none() -> None:
    assert Content.from_function_call("c1", "f", arguments="{broken").parse_arguments() == {"raw": "{broken"}
    assert Content.from_function_call("c1", "f").parse_arguments() is None
