"""What the OpenAI clients do when a server answers badly: a body that is not the chat API's
JSON, no choices, a stream that is cut off, an answer stopped early, tool arguments that are
not JSON.

Against the local `FakeOpenAIServer`, through the real `openai` package, as in
test_openai_clients.py. Each error must say what was wrong, where (server and model) and how
to fix it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.agents.openai_server import FakeOpenAIServer
from tests.conftest import run
from wfkit.agents import (
    AzureOpenAIChatClient,
    FunctionCallContent,
    FunctionResultContent,
    ModelConnectionError,
    ModelResponseError,
    OpenAIChatClient,
    Role,
)


def openai_client(server: FakeOpenAIServer) -> OpenAIChatClient:
    return OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url, max_retries=0)


def completion(**fields: Any) -> dict[str, Any]:
    """A chat completion body, with `fields` replacing or adding to the usual ones."""
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-test",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
    }
    return {**body, **fields}


def with_message(**message: Any) -> dict[str, Any]:
    return completion(choices=[{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": "stop"}])


async def streamed_text(client: Any, messages: Any, **options: Any) -> str:
    return "".join([update.text async for update in client.get_streaming_response(messages, **options)])


def assert_names_server_and_model(error: BaseException, server: FakeOpenAIServer) -> None:
    assert server.base_url in str(error)
    assert "gpt-test" in str(error)


# --- a body that is not the chat API's JSON ----------------------------------------------------


def test_a_body_that_is_not_json_raises_model_response_error_showing_its_start(server: FakeOpenAIServer) -> None:
    server.answer_next_with("<html><body>Welcome to nginx!</body></html>")
    with pytest.raises(ModelResponseError) as raised:
        run(openai_client(server).get_response("hi"))
    message = str(raised.value)
    assert_names_server_and_model(raised.value, server)
    assert "not JSON" in message
    assert "<html><body>Welcome to nginx!" in message
    assert "/v1" in message  # the fix: point base_url at an OpenAI-compatible /v1 endpoint


def test_a_body_that_is_not_json_is_raised_from_the_json_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with("{not json")
    with pytest.raises(ModelResponseError) as raised:
        run(openai_client(server).get_response("hi"))
    assert isinstance(raised.value.__cause__, json.JSONDecodeError)


def test_a_web_page_sent_as_html_raises_model_response_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with("<!doctype html><title>Login</title>", content_type="text/html")
    with pytest.raises(ModelResponseError, match="not JSON") as raised:
        run(openai_client(server).get_response("hi"))
    assert "<!doctype html><title>Login</title>" in str(raised.value)


def test_only_the_start_of_a_long_malformed_body_is_shown(server: FakeOpenAIServer) -> None:
    server.answer_next_with("x" * 5000)
    with pytest.raises(ModelResponseError) as raised:
        run(openai_client(server).get_response("hi"))
    assert "x" * 200 in str(raised.value)
    assert "x" * 201 not in str(raised.value)
    assert "5000 characters" in str(raised.value)


def test_json_without_choices_raises_model_response_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with({"status": "ok", "version": "1.2"})
    with pytest.raises(ModelResponseError, match="choices") as raised:
        run(openai_client(server).get_response("hi"))
    assert_names_server_and_model(raised.value, server)
    assert '{"status": "ok"' in str(raised.value)


def test_json_that_is_not_an_object_raises_model_response_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with("[1, 2, 3]")
    with pytest.raises(ModelResponseError, match="choices"):
        run(openai_client(server).get_response("hi"))


def test_a_choice_without_a_message_raises_model_response_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with(completion(choices=[{"index": 0, "text": "Hi", "finish_reason": "stop"}]))
    with pytest.raises(ModelResponseError, match=r"choices\[0\]\.message"):
        run(openai_client(server).get_response("hi"))


def test_a_message_without_content_or_tool_calls_raises_model_response_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with(with_message(text="Hi"))
    with pytest.raises(ModelResponseError, match="content"):
        run(openai_client(server).get_response("hi"))


def test_content_that_is_not_text_raises_model_response_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with(with_message(content=42))
    with pytest.raises(ModelResponseError, match="content"):
        run(openai_client(server).get_response("hi"))


def test_tool_calls_of_the_wrong_shape_raise_model_response_error(server: FakeOpenAIServer) -> None:
    arguments_not_text = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}}
    server.answer_next_with(with_message(content=None, tool_calls=[arguments_not_text]))
    with pytest.raises(ModelResponseError, match="tool_calls"):
        run(openai_client(server).get_response("hi"))


def test_an_azure_client_names_its_deployment_in_a_malformed_body_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with("oops")
    client = AzureOpenAIChatClient(
        deployment_name="chat-deployment", endpoint=server.endpoint, api_key="sk-test", max_retries=0
    )
    with pytest.raises(ModelResponseError) as raised:
        run(client.get_response("hi"))
    assert "chat-deployment" in str(raised.value)
    assert "oops" in str(raised.value)


def test_a_well_formed_answer_still_reads_as_before(server: FakeOpenAIServer) -> None:
    server.answer_next_with(completion(id="chatcmpl-42", model="gpt-test-2024"))
    response = run(openai_client(server).get_response("hi"))
    assert (response.text, response.response_id, response.model_id) == ("Hi", "chatcmpl-42", "gpt-test-2024")


# --- no choices ------------------------------------------------------------------------------


def test_an_empty_choices_list_says_the_server_returned_no_choices(server: FakeOpenAIServer) -> None:
    server.answer_next_with(completion(choices=[]))
    with pytest.raises(ModelResponseError) as raised:
        run(openai_client(server).get_response("hi"))
    message = str(raised.value)
    assert_names_server_and_model(raised.value, server)
    assert "no choices" in message
    assert "filter" in message


# --- a stream that ends before `data: [DONE]` -------------------------------------------------


def test_a_stream_cut_before_done_raises_instead_of_returning_partial_text(server: FakeOpenAIServer) -> None:
    server.reply = lambda messages: "one two three four five"
    server.cut_stream_after = 2  # "one two " and then the server hangs up
    with pytest.raises(ModelConnectionError) as raised:
        run(streamed_text(openai_client(server), "count"))
    message = str(raised.value)
    assert_names_server_and_model(raised.value, server)
    assert "ended early" in message
    assert "after 8 characters" in message


def test_a_chunked_stream_cut_mid_body_says_it_ended_early(server: FakeOpenAIServer) -> None:
    # How most real servers stream: the cut also breaks the HTTP body, which httpx notices.
    server.reply = lambda messages: "one two three four five"
    server.cut_stream_after = 2
    server.chunked_stream = True
    with pytest.raises(ModelConnectionError, match="ended early after 8 characters") as raised:
        run(streamed_text(openai_client(server), "count"))
    assert_names_server_and_model(raised.value, server)


def test_a_whole_chunked_stream_still_reads_as_before(server: FakeOpenAIServer) -> None:
    server.chunked_stream = True
    assert run(streamed_text(openai_client(server), "all of it")) == "Echo: all of it"


def test_a_stream_cut_in_the_middle_of_a_tool_call_raises(server: FakeOpenAIServer) -> None:
    server.tool_calls = [{"id": "c1", "name": "get_weather", "arguments": '{"city": "Paris"}'}]
    server.cut_stream_after = 3  # the call's name and the first eight characters of its arguments
    with pytest.raises(ModelConnectionError, match="ended early"):
        run(streamed_text(openai_client(server), "weather?"))


def test_a_stream_event_that_is_not_json_raises_model_response_error(server: FakeOpenAIServer) -> None:
    server.answer_next_with("data: <html>oops</html>\n\n", content_type="text/event-stream")
    with pytest.raises(ModelResponseError, match="not JSON") as raised:
        run(streamed_text(openai_client(server), "hi"))
    assert_names_server_and_model(raised.value, server)
    assert "<html>oops</html>" in str(raised.value)


# --- an answer the model stopped early ---------------------------------------------------------


def test_an_answer_cut_off_by_the_token_limit_warns(server: FakeOpenAIServer) -> None:
    server.finish_reason = "length"
    with pytest.warns(UserWarning, match="max_tokens"):
        response = run(openai_client(server).get_response("hi"))
    assert response.text == "Echo: hi"  # the answer is still given: it may be all the learner needs


def test_a_streamed_answer_cut_off_by_the_token_limit_warns(server: FakeOpenAIServer) -> None:
    server.finish_reason = "length"
    with pytest.warns(UserWarning, match="max_tokens"):
        assert run(streamed_text(openai_client(server), "hi")) == "Echo: hi"


def test_an_answer_stopped_by_the_content_filter_warns(server: FakeOpenAIServer) -> None:
    server.finish_reason = "content_filter"
    with pytest.warns(UserWarning, match="content filter"):
        run(openai_client(server).get_response("hi"))


# --- tool arguments that are not JSON ----------------------------------------------------------


def test_tool_arguments_that_are_not_json_go_back_to_the_model_as_a_clear_error(server: FakeOpenAIServer) -> None:
    called: list[str] = []

    def get_weather(city: str) -> str:
        called.append(city)
        return "Sunny"

    server.tool_call_rounds = [[{"id": "c1", "name": "get_weather", "arguments": '{"city": "Par'}]]
    response = run(openai_client(server).get_response("weather?", tools=[get_weather]))
    [result] = [c for m in response.messages if m.role == Role.TOOL for c in m.contents]
    assert isinstance(result, FunctionResultContent)
    assert called == []  # the tool never ran, so the message must not say it failed
    assert "not valid JSON" in result.result
    assert '{"city": "Par' in result.result
    assert "get_weather" in result.result
    # The model was told, and answered in words.
    assert "not valid JSON" in server.requests[-1].messages[-1]["content"]


def test_tool_arguments_that_are_json_but_not_an_object_go_back_as_a_clear_error(server: FakeOpenAIServer) -> None:
    def get_weather(city: str) -> str:
        return "Sunny"

    server.tool_call_rounds = [[{"id": "c1", "name": "get_weather", "arguments": '["Paris"]'}]]
    response = run(openai_client(server).get_response("weather?", tools=[get_weather]))
    call = next(c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent))
    [result] = [c for m in response.messages if m.role == Role.TOOL for c in m.contents]
    assert call.arguments == '["Paris"]'
    assert "JSON object" in result.result
