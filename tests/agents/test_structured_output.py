"""Structured output: `response_format=SomeModel` on agents and clients, offline and over HTTP."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from tests.agents.openai_server import FakeOpenAIServer
from tests.conftest import run
from wfkit import WorkflowBuilder
from wfkit.agents import AgentRunResponse, ChatMessage, OfflineChatClient, OpenAIChatClient, Role

SPAM = "Congratulations! You are a WINNER! Click here to claim your free prize now!!!"
HAM = "Hi team, attached are the notes from Monday's meeting. Please review the action items by Friday."


class DetectionResult(BaseModel):
    is_spam: bool
    reason: str
    email_content: str


class Sentiment(BaseModel):
    label: Literal["positive", "negative", "neutral"]
    score: int = Field(ge=1, le=10)
    highlights: list[str]
    detail: DetectionResult | None = None


def test_create_agent_accepts_a_response_format_and_run_parses_the_value() -> None:
    agent = OfflineChatClient().create_agent(instructions="Detect spam.", response_format=DetectionResult)
    response = run(agent.run(SPAM))
    assert isinstance(response.value, DetectionResult)
    assert DetectionResult.model_validate_json(response.text) == response.value


def test_the_offline_verdict_follows_the_prompt() -> None:
    agent = OfflineChatClient().create_agent(instructions="Detect spam.", response_format=DetectionResult)
    spam, ham = run(agent.run(SPAM)).value, run(agent.run(HAM)).value
    assert spam.is_spam and not ham.is_spam
    assert spam.email_content == SPAM and ham.email_content == HAM
    assert "spam" in spam.reason.lower() and len(ham.reason.split()) > 4


def test_the_offline_json_is_the_same_every_time() -> None:
    first = run(OfflineChatClient().get_response(HAM, response_format=DetectionResult)).text
    assert run(OfflineChatClient().get_response(HAM, response_format=DetectionResult)).text == first


def test_enums_numbers_lists_and_nested_models_fit_their_schema() -> None:
    prompt = "I loved it, a clear positive: 8 out of 10. The battery lasts. The screen is bright."
    value = run(OfflineChatClient().get_response(prompt, response_format=Sentiment)).value
    assert value.label == "positive" and value.score == 8
    assert len(value.highlights) == 2 and all(value.highlights)
    assert isinstance(value.detail, DetectionResult)


class Review(BaseModel):
    feedback: str
    approved: bool


def test_a_reviewers_feedback_speaks_about_the_answer_it_reviews() -> None:
    question = "Write a short guide to brewing green tea."
    conversation = [
        ChatMessage(Role.SYSTEM, text="You review an assistant's answers."),
        ChatMessage(Role.USER, text=question),
        ChatMessage(Role.ASSISTANT, text="Heat the water to 80 C and steep for two minutes."),
        ChatMessage(Role.USER, text="Please review the agent's responses."),
    ]
    review = Review.model_validate_json(run(OfflineChatClient().get_response(conversation, response_format=Review)).text)
    assert review.approved
    assert "a short guide to brewing green tea" in review.feedback
    assert "review the agent" not in review.feedback  # not the instruction read back


def test_response_format_given_to_run_overrides_the_agents() -> None:
    agent = OfflineChatClient().create_agent(instructions="Detect spam.", response_format=DetectionResult)
    assert isinstance(run(agent.run(HAM, response_format=Sentiment)).value, Sentiment)


def test_without_a_response_format_value_is_none_and_text_is_prose() -> None:
    response = run(OfflineChatClient().create_agent(instructions="Write.").run("Summarise the meeting."))
    assert response.value is None
    with pytest.raises(ValueError):
        json.loads(response.text)


def test_run_stream_updates_rebuild_into_the_parsed_value() -> None:
    agent = OfflineChatClient().create_agent(instructions="Detect spam.", response_format=DetectionResult)

    async def collect() -> AgentRunResponse:
        return AgentRunResponse.from_updates([u async for u in agent.run_stream(SPAM)], agent.response_format)

    assert run(collect()).value.is_spam


def test_a_non_model_response_format_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="pydantic model"):
        OfflineChatClient().create_agent(response_format=dict)


def test_agent_executor_output_carries_the_value_in_a_streamed_workflow() -> None:
    agent = OfflineChatClient().create_agent(name="detector", response_format=DetectionResult)
    workflow = WorkflowBuilder().add_agent(agent, output_response=True).set_start_executor(agent).build()

    async def outputs() -> list:
        return [e.data async for e in workflow.run_stream(SPAM) if type(e).__name__ == "WorkflowOutputEvent"]

    [response] = run(outputs())
    assert response.value.is_spam


def test_openai_client_sends_a_strict_json_schema_and_parses_the_reply(server: FakeOpenAIServer) -> None:
    reply = DetectionResult(is_spam=True, reason="Prize bait.", email_content=SPAM).model_dump_json()
    server.reply = lambda messages: reply
    client = OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url)
    response = run(client.create_agent(instructions="Detect spam.", response_format=DetectionResult).run(SPAM))
    assert response.value == DetectionResult.model_validate_json(reply)
    sent = server.requests[0].body["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["name"] == "DetectionResult" and sent["json_schema"]["strict"] is True
    assert set(sent["json_schema"]["schema"]["properties"]) == {"is_spam", "reason", "email_content"}
