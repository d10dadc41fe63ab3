"""OpenAIChatClient and AzureOpenAIChatClient against a local OpenAI-compatible server.

The real `openai` package does the HTTP; nothing of it is mocked. Error tests use
max_retries=0 so they are fast.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest

from tests.agents.openai_server import FakeOpenAIServer
from tests.conftest import run
from wfkit import AgentRunUpdateEvent, WorkflowBuilder
from wfkit.agents import (
    AgentExecutorResponse,
    AgentRunResponse,
    AuthenticationFailedError,
    AzureOpenAIChatClient,
    ChatClientError,
    ChatMessage,
    FunctionCallContent,
    FunctionResultContent,
    MissingCredentialsError,
    ModelConnectionError,
    ModelNotFoundError,
    OpenAIChatClient,
    RateLimitedError,
    Role,
)
from wfkit.agents.openai_client import to_openai_messages


def openai_client(server: FakeOpenAIServer, **settings: Any) -> OpenAIChatClient:
    return OpenAIChatClient(**{"model_id": "gpt-test", "api_key": "sk-test", "base_url": server.base_url, **settings})


def azure_client(server: FakeOpenAIServer, **settings: Any) -> AzureOpenAIChatClient:
    defaults = {"deployment_name": "chat-deployment", "endpoint": server.endpoint}
    if not {"api_key", "ad_token", "ad_token_provider", "credential"} & set(settings):
        defaults["api_key"] = "sk-test"
    return AzureOpenAIChatClient(**{**defaults, **settings})


async def stream_text(client: Any, messages: Any) -> list[str]:
    return [update.text async for update in client.get_streaming_response(messages)]


class FakeCredential:
    """Shaped like azure-identity's AzureCliCredential: get_token(scope) -> object with .token."""

    def __init__(self, token: str = "entra-token") -> None:
        self.token = token
        self.scopes: list[str] = []

    def get_token(self, scope: str) -> Any:
        self.scopes.append(scope)
        return type("AccessToken", (), {"token": self.token, "expires_on": int(time.time()) + 3600})()


class AsyncFakeCredential(FakeCredential):
    """Shaped like azure.identity.aio credentials: get_token is a coroutine."""

    async def get_token(self, scope: str) -> Any:  # type: ignore[override]
        return FakeCredential.get_token(self, scope)


# --- OpenAI ---------------------------------------------------------------------------------


def test_openai_client_sends_model_key_and_messages(server: FakeOpenAIServer) -> None:
    messages = [ChatMessage(Role.SYSTEM, text="Be brief."), ChatMessage(Role.USER, text="Name a river.")]
    response = run(openai_client(server).get_response(messages))
    assert response.text == "Echo: Name a river."
    assert response.model_id == "gpt-test"
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "gpt-test"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.messages == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Name a river."},
    ]


def test_openai_client_passes_options_through(server: FakeOpenAIServer) -> None:
    run(openai_client(server).get_response("hi", temperature=0.2, max_tokens=50))
    assert server.requests[0].body["temperature"] == 0.2
    assert server.requests[0].body["max_tokens"] == 50


def test_openai_client_streams_the_answer_in_pieces(server: FakeOpenAIServer) -> None:
    pieces = run(stream_text(openai_client(server), "one two three four"))
    assert pieces == ["Echo: ", "one ", "two ", "three ", "four"]
    assert server.requests[0].body["stream"] is True


def test_openai_client_reads_its_settings_from_the_environment(
    server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_MODEL", "gpt-test")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    assert run(OpenAIChatClient().get_response("hi")).text == "Echo: hi"


def test_openai_client_reads_the_chat_model_id_variable_and_has_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert OpenAIChatClient(api_key="sk").model_id == "gpt-4o-mini"
    monkeypatch.setenv("OPENAI_CHAT_MODEL_ID", "gpt-other")
    assert OpenAIChatClient(api_key="sk").model_id == "gpt-other"


def test_a_missing_key_is_explained_before_any_request(server: FakeOpenAIServer) -> None:
    with pytest.raises(MissingCredentialsError) as error:
        OpenAIChatClient(base_url=server.base_url)
    assert "OPENAI_API_KEY" in str(error.value)
    assert "offline" in str(error.value)
    assert server.requests == []


def test_a_bad_key_is_explained(server: FakeOpenAIServer) -> None:
    with pytest.raises(AuthenticationFailedError, match=r"rejected the API key \(HTTP 401\).*OPENAI_API_KEY"):
        run(openai_client(server, api_key="sk-wrong", max_retries=0).get_response("hi"))


def test_an_unknown_model_is_explained(server: FakeOpenAIServer) -> None:
    with pytest.raises(ModelNotFoundError, match=r"model 'gpt-nope' was not found.*HTTP 404.*OPENAI_MODEL"):
        run(openai_client(server, model_id="gpt-nope", max_retries=0).get_response("hi"))


def test_a_rate_limit_says_to_wait_or_slow_down(server: FakeOpenAIServer) -> None:
    server.fail_next(429)
    with pytest.raises(RateLimitedError, match=r"HTTP 429.*Wait a minute.*lower the request rate"):
        run(openai_client(server, max_retries=0).get_response("hi"))


def test_retries_are_left_to_the_openai_client(server: FakeOpenAIServer) -> None:
    server.fail_next(429)
    assert run(openai_client(server, max_retries=1).get_response("hi")).text == "Echo: hi"
    assert len(server.requests) == 2


def test_a_refused_connection_names_the_base_url() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(ModelConnectionError, match=rf"Could not connect to {base_url}.*OPENAI_BASE_URL"):
        run(OpenAIChatClient(model_id="m", api_key="sk", base_url=base_url, max_retries=0).get_response("hi"))


def test_a_server_that_does_not_answer_in_time_is_a_timeout(server: FakeOpenAIServer) -> None:
    server.delay = 60  # far past the client's timeout; stopping the server ends the wait
    with pytest.raises(ModelConnectionError, match=r"did not answer within 0\.1 seconds.*timeout=120"):
        run(openai_client(server, timeout=0.1, max_retries=0).get_response("hi"))


def test_a_server_error_names_the_status_and_says_to_try_again(server: FakeOpenAIServer) -> None:
    server.fail_next(500)
    with pytest.raises(ChatClientError, match=r"HTTP 500.*on the server's side.*run it again.*Failing with 500"):
        run(openai_client(server, max_retries=0).get_response("hi"))


def test_a_rejected_request_says_to_check_what_was_sent(server: FakeOpenAIServer) -> None:
    server.fail_next(400)
    with pytest.raises(ChatClientError, match=r"HTTP 400.*did not accept the request. Check the options you passed"):
        run(openai_client(server, max_retries=0).get_response("hi"))


def test_errors_while_streaming_are_explained_too(server: FakeOpenAIServer) -> None:
    with pytest.raises(ModelNotFoundError):
        run(stream_text(openai_client(server, model_id="gpt-nope", max_retries=0), "hi"))


LOOKUPS = [
    {"id": "call_1", "name": "lookup_price", "arguments": json.dumps({"product": "smart mug"})},
    {"id": "call_2", "name": "lookup_stock", "arguments": json.dumps({"product": "smart mug", "store": "Oslo"})},
]


def calls_in(response: AgentRunResponse) -> list[tuple[str, str, Any]]:
    contents = [c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent)]
    return [(c.call_id, c.name, json.loads(c.arguments)) for c in contents]  # type: ignore[arg-type]


def test_streamed_tool_calls_arrive_whole_as_in_a_complete_answer(server: FakeOpenAIServer) -> None:
    server.tool_calls = LOOKUPS
    client = openai_client(server)

    async def streamed() -> AgentRunResponse:
        return AgentRunResponse.from_updates([u async for u in client.get_streaming_response("Price and stock?")])

    expected = [(c["id"], c["name"], json.loads(c["arguments"])) for c in LOOKUPS]
    assert calls_in(run(streamed())) == expected
    assert calls_in(AgentRunResponse(messages=run(client.get_response("Price and stock?")).messages)) == expected


def test_a_stream_stopped_early_is_closed_at_once(server: FakeOpenAIServer) -> None:
    server.reply = lambda messages: "word " * 200_000  # far more than the network buffers hold
    client = openai_client(server)

    async def read_one_piece_then_stop() -> bool:
        updates = client.get_streaming_response([ChatMessage(Role.USER, text="Talk a lot.")])
        await updates.__anext__()
        await updates.aclose()
        # Wait without giving the event loop a turn: only a close done by aclose() itself
        # counts, not one the garbage collector gets round to later.
        return server.hung_up.wait(10)

    assert run(read_one_piece_then_stop())


def test_tool_calls_and_results_are_sent_in_the_chat_api_shape() -> None:
    sent = to_openai_messages([
        ChatMessage(Role.ASSISTANT, contents=[FunctionCallContent("c1", "lookup", {"q": "mugs"})]),
        ChatMessage(Role.TOOL, contents=[FunctionResultContent("c1", {"hits": 3})]),
    ])
    assert sent[0]["tool_calls"] == [
        {"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": '{"q": "mugs"}'}}
    ]
    assert sent[1] == {"role": "tool", "tool_call_id": "c1", "content": '{"hits": 3}'}


def test_an_agent_on_a_real_client_streams_through_a_workflow(server: FakeOpenAIServer) -> None:
    agent = openai_client(server).create_agent(instructions="Be brief.", name="writer")
    workflow = WorkflowBuilder().add_executor(agent).set_start_executor(agent).build()

    async def stream() -> list[Any]:
        return [event async for event in workflow.run_stream("tell me more")]

    updates = [e.data.text for e in run(stream()) if isinstance(e, AgentRunUpdateEvent)]
    assert "".join(updates) == "Echo: tell me more"
    assert server.requests[0].messages[0] == {"role": "system", "content": "Be brief."}


# --- Azure ----------------------------------------------------------------------------------


def test_azure_client_calls_the_deployment_with_key_and_api_version(server: FakeOpenAIServer) -> None:
    response = run(azure_client(server, api_version="2024-06-01").get_response("hello"))
    assert response.text == "Echo: hello"
    [request] = server.requests
    assert request.path == "/openai/deployments/chat-deployment/chat/completions"
    assert request.query["api-version"] == "2024-06-01"
    assert request.headers["api-key"] == "sk-test"


def test_azure_client_reads_its_settings_from_the_environment(
    server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.endpoint)
    monkeypatch.setenv("AZURE_OPENAI_CHAT_DEPLOYMENT_NAME", "chat-deployment")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("AZURE_OPENAI_API_VERSION", "2025-01-01-preview")
    assert run(AzureOpenAIChatClient().get_response("hi")).text == "Echo: hi"
    assert server.requests[0].query["api-version"] == "2025-01-01-preview"


def test_azure_client_signs_in_with_a_credential(server: FakeOpenAIServer) -> None:
    credential = FakeCredential()
    client = azure_client(server, credential=credential)
    run(client.get_response("one"))
    run(client.get_response("two"))
    assert [r.headers["authorization"] for r in server.requests] == ["Bearer entra-token"] * 2
    assert "api-key" not in server.requests[0].headers
    assert credential.scopes == ["https://cognitiveservices.azure.com/.default"]  # the token is reused


def test_azure_client_accepts_an_async_credential(server: FakeOpenAIServer) -> None:
    assert run(azure_client(server, credential=AsyncFakeCredential()).get_response("hi")).text == "Echo: hi"
    assert server.requests[0].headers["authorization"] == "Bearer entra-token"


def test_azure_client_accepts_a_token_or_a_token_provider(server: FakeOpenAIServer) -> None:
    run(azure_client(server, ad_token="entra-token").get_response("hi"))
    run(azure_client(server, ad_token_provider=lambda: "entra-token").get_response("hi"))
    assert [r.headers["authorization"] for r in server.requests] == ["Bearer entra-token"] * 2


def test_azure_client_streams(server: FakeOpenAIServer) -> None:
    assert "".join(run(stream_text(azure_client(server), "a b c"))) == "Echo: a b c"


def test_an_unknown_deployment_is_explained(server: FakeOpenAIServer) -> None:
    with pytest.raises(ModelNotFoundError, match=r"No deployment named 'gpt-4o'.*AZURE_OPENAI_CHAT_DEPLOYMENT_NAME"):
        run(azure_client(server, deployment_name="gpt-4o", max_retries=0).get_response("hi"))


def test_a_rejected_credential_is_explained(server: FakeOpenAIServer) -> None:
    with pytest.raises(AuthenticationFailedError, match=r"HTTP 401.*az login"):
        run(azure_client(server, credential=FakeCredential("expired"), max_retries=0).get_response("hi"))


def test_missing_azure_settings_are_all_named_at_once() -> None:
    with pytest.raises(MissingCredentialsError) as error:
        AzureOpenAIChatClient()
    message = str(error.value)
    for needed in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME", "AZURE_OPENAI_API_KEY", "offline"):
        assert needed in message


def test_the_agent_response_from_a_real_client_goes_to_the_next_executor(server: FakeOpenAIServer) -> None:
    from tests.agents.test_agent_executor import Collect

    agent = azure_client(server).create_agent(name="writer")
    workflow = WorkflowBuilder().add_edge(agent, Collect("collect")).set_start_executor(agent).build()
    [response] = run(workflow.run("hello")).get_outputs()
    assert isinstance(response, AgentExecutorResponse)
    assert response.agent_run_response.text == "Echo: hello"
