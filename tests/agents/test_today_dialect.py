"""Today's AF agent API beside the seed era's (issue 26, rows D4 and D8).

Each behaviour is checked in both spellings: today's `Agent(client, ...)`, `client.as_agent`,
`Message`, `AgentResponse`, ``run(stream=True)``, ``options={...}`` and ``default_options={...}``,
and the seed era's `ChatAgent(chat_client=...)`, `create_agent`, `ChatMessage(text=...)`,
`AgentRunResponse`, `run_stream` and options as keywords. Real clients talk to the local
OpenAI-compatible server (tests/agents/openai_server.py); nothing is mocked.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from pydantic import BaseModel

from tests.agents.openai_server import FakeOpenAIServer
from tests.conftest import run
from wfkit import WorkflowBuilder, WorkflowContext, executor
from wfkit.agents import (
    Agent,
    AgentExecutorResponse,
    AgentOptionsError,
    AgentResponse,
    AgentResponseUpdate,
    AgentRunResponse,
    AgentRunResponseUpdate,
    AzureOpenAIChatClient,
    ChatAgent,
    ChatMessage,
    ChatResponse,
    Content,
    FunctionCallContent,
    FunctionResultContent,
    Message,
    OfflineChatClient,
    OpenAIChatClient,
    ResponseStream,
    Role,
    TextContent,
)
from wfkit.checkpoint.codec import encode_value

BRIEF = "Write release notes for the smart mug: $79, keeps coffee hot for 12 hours."
INSTRUCTIONS = "You write warm release notes."
SPAM = "Congratulations! You are a WINNER! Click here to claim your free prize now!!!"


class DetectionResult(BaseModel):
    is_spam: bool
    reason: str


# Every way of making the same writer: today's two, the seed era's two.
WRITERS: dict[str, Callable[[Any], Agent]] = {
    "Agent(client, ...)": lambda client: Agent(client, INSTRUCTIONS, name="writer"),
    "client.as_agent(...)": lambda client: client.as_agent(name="writer", instructions=INSTRUCTIONS),
    "ChatAgent(chat_client=...)": lambda client: ChatAgent(chat_client=client, instructions=INSTRUCTIONS, name="writer"),
    "client.create_agent(...)": lambda client: client.create_agent(instructions=INSTRUCTIONS, name="writer"),
}

# Every way of asking for structured output: today's on the agent and on the call, the seed era's.
CHECKERS: dict[str, tuple[Callable[[Any], Agent], dict[str, Any]]] = {
    "default_options": (lambda c: Agent(c, "Detect spam.", default_options={"response_format": DetectionResult}), {}),
    "run(options=...)": (lambda c: Agent(c, "Detect spam."), {"options": {"response_format": DetectionResult}}),
    "create_agent(response_format=...)": (
        lambda c: c.create_agent(instructions="Detect spam.", response_format=DetectionResult), {}
    ),
    "run(response_format=...)": (lambda c: c.create_agent(instructions="Detect spam."), {"response_format": DetectionResult}),
}


def openai_client(server: FakeOpenAIServer) -> OpenAIChatClient:
    return OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url)


def azure_client(server: FakeOpenAIServer) -> AzureOpenAIChatClient:
    return AzureOpenAIChatClient(deployment_name="chat-deployment", endpoint=server.endpoint, api_key="sk-test")


def answer_with_json(server: FakeOpenAIServer, value: BaseModel) -> None:
    server.reply = lambda messages: value.model_dump_json()


# --- D4: one agent, four spellings --------------------------------------------------------------


@pytest.mark.parametrize("spelling", WRITERS)
def test_every_spelling_makes_an_agent_that_answers_the_same(spelling: str) -> None:
    expected = run(Agent(OfflineChatClient(), INSTRUCTIONS, name="writer").run(BRIEF)).text
    response = run(WRITERS[spelling](OfflineChatClient()).run(BRIEF))
    assert isinstance(response, AgentResponse)
    assert response.text == expected and response.messages[0].author_name == "writer"


def test_as_agent_gives_todays_agent_and_create_agent_the_seed_eras() -> None:
    client = OfflineChatClient()
    assert type(client.as_agent(name="w")) is Agent
    assert type(client.create_agent(name="w")) is ChatAgent and isinstance(client.create_agent(name="w"), Agent)


def test_the_client_is_there_under_both_names() -> None:
    client = OfflineChatClient()
    agent = Agent(client=client, name="w")
    assert agent.client is client and agent.chat_client is client


def test_instructions_may_come_in_default_options_as_in_af() -> None:
    agent = Agent(OfflineChatClient(), default_options={"instructions": INSTRUCTIONS})
    assert agent.instructions == INSTRUCTIONS
    assert agent.conversation_for("Hi")[0] == Message("system", [INSTRUCTIONS])


@pytest.mark.parametrize("client_kind", ["openai", "azure"])
def test_the_real_clients_make_agents_with_as_agent(server: FakeOpenAIServer, client_kind: str) -> None:
    client = openai_client(server) if client_kind == "openai" else azure_client(server)
    response = run(client.as_agent(name="echo", instructions="Repeat.").run("hello"))
    assert response.text == "Echo: hello"
    assert server.requests[-1].messages[0] == {"role": "system", "content": "Repeat."}


def test_a_todays_agent_runs_in_a_workflow_as_the_seed_eras_does() -> None:
    writer = OfflineChatClient().as_agent(name="writer", instructions=INSTRUCTIONS)
    reviewer = Agent(OfflineChatClient(), "You review release notes.", name="reviewer")
    workflow = WorkflowBuilder().set_start_executor(writer).add_edge(writer, reviewer).build()
    result = run(workflow.run(BRIEF))
    sent = [e.data for e in result if getattr(e, "executor_id", None) == "reviewer" and hasattr(e, "data")]
    assert any(isinstance(data, AgentResponse) for data in sent)


def test_an_agent_executors_answer_is_there_under_todays_name_too() -> None:
    writer = OfflineChatClient().as_agent(name="writer", instructions=INSTRUCTIONS)
    reviewer = Agent(OfflineChatClient(), "You review release notes.", name="reviewer")
    seen: list[AgentExecutorResponse] = []

    @executor(id="keep")
    async def keep(response: AgentExecutorResponse, ctx: WorkflowContext) -> None:
        seen.append(response)

    run(WorkflowBuilder().set_start_executor(writer).add_edge(writer, keep).build().run(BRIEF))
    assert seen[0].agent_response is seen[0].agent_run_response and seen[0].agent_response.text


@pytest.mark.parametrize("stream", [False, True], ids=["awaited", "stream=True"])
def test_a_workflow_as_agent_answers_run_awaited_or_streamed(stream: bool) -> None:
    writer = OfflineChatClient().as_agent(name="writer", instructions=INSTRUCTIONS)
    agent = WorkflowBuilder().set_start_executor(writer).build().as_agent(name="team")
    if stream:
        response = run(agent.run(BRIEF, stream=True).get_final_response())
    else:
        response = run(agent.run(BRIEF))
    assert isinstance(response, AgentResponse) and response.text == run(writer.run(BRIEF)).text


def test_todays_names_are_importable_from_wfkit_itself() -> None:
    import wfkit
    import wfkit.agents

    names = ["Agent", "Message", "Content", "AgentResponse", "AgentResponseUpdate", "ResponseStream", "AgentOptionsError"]
    assert all(getattr(wfkit, name) is getattr(wfkit.agents, name) for name in names)
    assert set(names) <= set(wfkit.__all__) & set(wfkit.agents.__all__)


# --- D4: messages and contents ------------------------------------------------------------------


def test_message_and_chat_message_are_one_class() -> None:
    assert Message is ChatMessage
    assert AgentResponse is AgentRunResponse and AgentResponseUpdate is AgentRunResponseUpdate


@pytest.mark.parametrize(
    "message",
    [
        Message("user", ["Hi"]),
        Message("user", "Hi"),
        Message(role="user", contents=[Content.from_text("Hi")]),
        ChatMessage(Role.USER, text="Hi"),
        ChatMessage(role=Role.USER, contents=[TextContent("Hi")]),
    ],
    ids=["list of text", "one string", "Content.from_text", "seed text=", "seed contents="],
)
def test_every_spelling_of_a_message_makes_the_same_message(message: Message) -> None:
    assert message == Message("user", ["Hi"]) and message.text == "Hi"


def test_roles_are_plain_strings_as_in_af() -> None:
    message = Message("assistant", ["Done."])
    assert message.role == "assistant" and message.role is Role.ASSISTANT and f"{message.role}" == "assistant"


def test_content_constructors_make_the_seed_eras_content_classes() -> None:
    text = Content.from_text("Hi")
    call = Content.from_function_call("c1", "get_weather", arguments={"city": "Oslo"})
    result = Content.from_function_result("c1", result="Sunny")
    assert text == TextContent("Hi") and text.type == "text" and text.text == "Hi"
    assert call == FunctionCallContent("c1", "get_weather", {"city": "Oslo"}) and call.type == "function_call"
    assert result == FunctionResultContent("c1", "Sunny") and result.type == "function_result"
    assert all(isinstance(content, Content) for content in (text, call, result))


def test_an_agent_takes_a_content_or_a_list_of_messages_as_input() -> None:
    agent = Agent(OfflineChatClient(), INSTRUCTIONS)
    by_content = run(agent.run(Content.from_text(BRIEF))).text
    assert by_content == run(agent.run([Message("user", [BRIEF])])).text == run(agent.run(BRIEF)).text


def test_checkpoints_keep_the_seed_eras_type_names() -> None:
    # Checkpoints written before the rename name these types so; they must still read back.
    encoded = json.dumps(encode_value(AgentResponse(messages=[Message("assistant", ["Hi"])])))
    assert '"wfkit.AgentRunResponse"' in encoded and '"wfkit.ChatMessage"' in encoded


# --- D4: streaming ------------------------------------------------------------------------------


def test_run_with_stream_true_yields_updates_that_make_the_whole_answer() -> None:
    agent = Agent(OfflineChatClient(), INSTRUCTIONS, name="writer")

    async def read() -> tuple[list[AgentResponseUpdate], AgentResponse]:
        stream = agent.run(BRIEF, stream=True)
        updates = [update async for update in stream]
        return updates, await stream.get_final_response()

    updates, final = run(read())
    assert len(updates) > 1 and all(isinstance(update, AgentResponseUpdate) for update in updates)
    assert "".join(update.text for update in updates) == final.text == run(agent.run(BRIEF)).text


def test_get_final_response_reads_a_stream_nobody_iterated() -> None:
    agent = Agent(OfflineChatClient(), INSTRUCTIONS)
    final = run(agent.run(BRIEF, stream=True).get_final_response())
    assert isinstance(final, AgentResponse) and final.text == run(agent.run(BRIEF)).text


def test_run_stream_is_run_with_stream_true() -> None:
    agent = OfflineChatClient().create_agent(instructions=INSTRUCTIONS, name="writer")

    async def texts(stream: Any) -> list[str]:
        return [update.text async for update in stream]

    assert isinstance(agent.run_stream(BRIEF), ResponseStream)
    assert run(texts(agent.run_stream(BRIEF))) == run(texts(agent.run(BRIEF, stream=True)))


def test_awaiting_a_stream_gives_the_stream_as_in_af() -> None:
    async def read() -> str:
        stream = await Agent(OfflineChatClient()).run(BRIEF, stream=True)
        return (await stream.get_final_response()).text

    assert run(read())


def test_leaving_a_stream_early_and_closing_it_hangs_up_on_the_server(server: FakeOpenAIServer) -> None:
    server.reply = lambda messages: "word " * 200_000  # far more than the network buffers hold
    agent = openai_client(server).as_agent(name="talker")

    async def read_one_piece_then_leave() -> bool:
        async with agent.run("Talk a lot.", stream=True) as stream:
            await stream.__anext__()
        # Wait without giving the event loop a turn: only the close done by leaving the block
        # counts, not one the garbage collector gets round to later.
        return server.hung_up.wait(10)

    assert run(read_one_piece_then_leave())


def test_the_openai_client_streams_through_an_agent_with_stream_true(server: FakeOpenAIServer) -> None:
    agent = openai_client(server).as_agent(name="echo")
    final = run(agent.run("hello there", stream=True).get_final_response())
    assert final.text == "Echo: hello there" and server.requests[-1].body["stream"] is True


def test_a_client_answers_get_response_with_stream_true_and_options() -> None:
    client = OfflineChatClient()
    at_once = run(client.get_response(BRIEF, options={"temperature": 0.2}))
    streamed = run(client.get_response(BRIEF, stream=True, options={"temperature": 0.2}).get_final_response())
    assert isinstance(at_once, ChatResponse) and isinstance(streamed, ChatResponse)
    assert streamed.text == at_once.text == run(client.get_response(BRIEF, temperature=0.2)).text


# --- D8: options and structured output ----------------------------------------------------------


@pytest.mark.parametrize("spelling", CHECKERS)
def test_structured_output_parses_in_every_spelling(spelling: str) -> None:
    make, call = CHECKERS[spelling]
    value = run(make(OfflineChatClient()).run(SPAM, **call)).value
    assert isinstance(value, DetectionResult) and value.is_spam


@pytest.mark.parametrize("spelling", CHECKERS)
def test_structured_output_parses_a_streamed_answer_in_every_spelling(spelling: str) -> None:
    make, call = CHECKERS[spelling]
    value = run(make(OfflineChatClient()).run(SPAM, stream=True, **call).get_final_response()).value
    assert isinstance(value, DetectionResult) and value.is_spam


def test_from_update_generator_puts_a_stream_back_together_as_in_af() -> None:
    stream = Agent(OfflineChatClient(), "Detect spam.").run(SPAM, stream=True, options={"response_format": DetectionResult})
    response = run(AgentResponse.from_update_generator(stream, output_format_type=DetectionResult))
    assert isinstance(response.value, DetectionResult)


def test_the_openai_client_sends_default_options_and_the_calls_on_top(server: FakeOpenAIServer) -> None:
    answer_with_json(server, DetectionResult(is_spam=True, reason="Prize talk."))
    agent = Agent(openai_client(server), "Detect spam.", default_options={"temperature": 0.2, "max_tokens": 50})
    response = run(agent.run(SPAM, options={"response_format": DetectionResult, "max_tokens": 80}))
    body = server.requests[-1].body
    assert body["temperature"] == 0.2 and body["max_tokens"] == 80
    assert body["response_format"]["type"] == "json_schema"
    assert response.value == DetectionResult(is_spam=True, reason="Prize talk.")


def test_the_openai_client_parses_a_default_response_format_when_streamed(server: FakeOpenAIServer) -> None:
    answer_with_json(server, DetectionResult(is_spam=False, reason="A meeting note."))
    agent = openai_client(server).as_agent(name="checker", default_options={"response_format": DetectionResult})
    value = run(agent.run("Notes from Monday.", stream=True).get_final_response()).value
    assert value == DetectionResult(is_spam=False, reason="A meeting note.")


def test_the_same_option_given_both_ways_with_one_value_is_fine() -> None:
    agent = Agent(OfflineChatClient(), "Detect spam.")
    value = run(agent.run(SPAM, response_format=DetectionResult, options={"response_format": DetectionResult})).value
    assert isinstance(value, DetectionResult)


def test_a_runs_instructions_are_added_to_the_agents(server: FakeOpenAIServer) -> None:
    agent = Agent(openai_client(server), "Be kind.")
    run(agent.run("hello", options={"instructions": "Be brief."}))
    assert server.requests[-1].messages[0] == {"role": "system", "content": "Be kind.\nBe brief."}


def test_run_level_tools_are_added_to_the_agents() -> None:
    def get_price(product: str) -> str:
        """The price of a product."""
        return "$79"

    def get_stock(product: str) -> str:
        """How many are in stock."""
        return "12 in stock"

    agent = Agent(OfflineChatClient(), tools=[get_price])
    response = run(agent.run("What are the price and stock of the mug?", tools=[get_stock]))
    called = {c.name for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent)}
    assert called == {"get_price", "get_stock"}


# --- mixing the dialects in ways that cannot work -----------------------------------------------


def test_todays_agent_refuses_the_seed_eras_chat_client_keyword() -> None:
    with pytest.raises(AgentOptionsError, match=r"Agent\(client, \.\.\.\) or ChatAgent\(chat_client=client"):
        Agent(chat_client=OfflineChatClient(), name="writer")


def test_the_seed_eras_chat_agent_refuses_todays_client_keyword() -> None:
    with pytest.raises(AgentOptionsError, match=r"ChatAgent\(chat_client=client, \.\.\.\) or Agent\(client=client"):
        ChatAgent(client=OfflineChatClient(), name="writer")


def test_todays_agent_refuses_options_as_keywords_and_says_where_they_go() -> None:
    with pytest.raises(AgentOptionsError, match=r"default_options=\{'temperature': 0.2\}"):
        Agent(OfflineChatClient(), temperature=0.2)


def test_an_option_given_twice_with_two_values_is_an_error() -> None:
    agent = Agent(OfflineChatClient(), name="writer")
    with pytest.raises(AgentOptionsError, match=r"agent 'writer'.*temperature is given twice"):
        agent.run(BRIEF, temperature=0.2, options={"temperature": 0.7})


def test_a_chat_agent_with_an_option_as_keyword_and_in_default_options_differently_is_an_error() -> None:
    with pytest.raises(AgentOptionsError, match="response_format is given twice.*in default_options with"):
        ChatAgent(OfflineChatClient(), response_format=DetectionResult, default_options={"response_format": Verdict})


def test_instructions_given_twice_differently_is_an_error() -> None:
    with pytest.raises(AgentOptionsError, match="instructions are given twice"):
        Agent(OfflineChatClient(), "Be kind.", default_options={"instructions": "Be brief."})


def test_options_must_be_a_dict() -> None:
    with pytest.raises(AgentOptionsError, match="options takes a dict"):
        Agent(OfflineChatClient()).run(SPAM, options=DetectionResult)


def test_a_session_that_is_not_an_agent_session_is_refused() -> None:
    with pytest.raises(AgentOptionsError, match=r"session= takes an AgentSession \(agent.create_session\(\)\)"):
        Agent(OfflineChatClient()).run(BRIEF, session=object())


def test_the_seed_eras_thread_points_to_sessions() -> None:
    with pytest.raises(AgentOptionsError, match=r"threads are today's sessions.*agent.create_session\(\)"):
        Agent(OfflineChatClient()).run(BRIEF, thread=object())


def test_todays_agent_needs_a_client() -> None:
    with pytest.raises(AgentOptionsError, match="needs a chat client"):
        Agent(name="lonely")


class Verdict(BaseModel):
    approved: bool
