"""The same learner code on wfkit and on real AF 1.x, with only the import changed.

What AF's `Agent` calls on a client (its `SupportsChatGetResponse` protocol) is one method:
``client.get_response(messages=[...], stream=..., options={...}, compaction_strategy=...,
tokenizer=..., function_invocation_kwargs=..., client_kwargs=...)``, where the messages are
AF's own `Message` objects, and it expects AF's own `ChatResponse` back (or a `ResponseStream`
of AF's `ChatResponseUpdate`s), whose fields it reads (some private, such as
``_value_parsed``). wfkit's clients take that call (today's ``get_response(messages, *,
stream=, options=)``; the other keywords arrive as None and mean "not given"), but they speak
wfkit's types, so given AF's messages they raise a TypeError naming
``agent_framework._types.Message``. wfkit does not import AF, so the bridge lives here: a
few lines that hand wfkit's offline model AF's messages as text and wrap its answers in AF's
types. The agent code itself is shared, word for word.

Skipped when agent_framework is not installed.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from tests.conftest import run
from wfkit import OfflineChatClient

af = pytest.importorskip("agent_framework", reason="agent_framework (AF 1.x) is not installed, so there is no real AF to compare with")

BRIEF = "Write release notes for the smart mug: $79, keeps coffee hot for 12 hours."
SPAM = "Congratulations! You are a WINNER! Click here to claim your free prize now!!!"


class DetectionResult(BaseModel):
    is_spam: bool
    reason: str


async def lesson(framework: ModuleType, client: Any) -> dict[str, Any]:
    """A learner's agent code, as a lesson in today's dialect writes it. `framework` is the
    module the names come from: ``wfkit`` or ``agent_framework``."""
    Agent, Message, Content = framework.Agent, framework.Message, framework.Content

    writer = Agent(client, "You write warm release notes.", name="writer")
    whole = await writer.run(BRIEF)
    from_message = await writer.run([Message("user", [Content.from_text(BRIEF)])])

    stream = writer.run(BRIEF, stream=True)
    pieces = [update.text async for update in stream if update.text]
    streamed = await stream.get_final_response()

    checker = Agent(client, "Detect spam.", name="checker", default_options={"response_format": DetectionResult})
    verdict = (await checker.run(SPAM)).value
    per_call = (await Agent(client, "Detect spam.").run(SPAM, options={"response_format": DetectionResult})).value
    streamed_verdict = (await checker.run(SPAM, stream=True).get_final_response()).value

    return {
        "text": whole.text,
        "author": whole.messages[-1].author_name,
        "role": str(whole.messages[-1].role),
        "from_message": from_message.text,
        "pieces joined": "".join(pieces),
        "streamed": streamed.text,
        "verdict": verdict,
        "per_call": per_call,
        "streamed_verdict": streamed_verdict,
    }


class WfkitModelForAF:
    """AF's chat client protocol over a wfkit chat client: AF's messages in as role and text,
    the wfkit client's answers out in AF's types. Tools are left out (AF runs its own)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.additional_properties: dict[str, Any] = {}

    def get_response(self, messages: Any, *, stream: bool = False, options: Any = None, **_: Any) -> Any:
        conversation = [(str(message.role), message.text) for message in messages]
        wfkit_messages = [importlib.import_module("wfkit").Message(role, [text]) for role, text in conversation]
        wanted = {k: v for k, v in (options or {}).items() if k in ("instructions", "response_format", "temperature")}
        if not stream:
            return self._whole(wfkit_messages, wanted)
        return af.ResponseStream(
            self._pieces(wfkit_messages, wanted),
            finalizer=lambda updates: af.ChatResponse.from_updates(updates, output_format_type=wanted.get("response_format")),
        )

    async def _whole(self, messages: list[Any], options: dict[str, Any]) -> Any:
        response = await self.inner.get_response(messages, options=options)
        replies = [af.Message(str(m.role), [m.text]) for m in response.messages]
        return af.ChatResponse(messages=replies, response_id=response.response_id)

    async def _pieces(self, messages: list[Any], options: dict[str, Any]) -> Any:
        async for update in self.inner.get_response(messages, stream=True, options=options):
            yield af.ChatResponseUpdate(
                contents=[af.Content.from_text(update.text)], role="assistant", response_id=update.response_id
            )


def test_the_same_lesson_gives_the_same_answers_on_wfkit_and_on_af() -> None:
    on_wfkit = run(lesson(importlib.import_module("wfkit"), OfflineChatClient()))
    on_af = run(lesson(af, WfkitModelForAF(OfflineChatClient())))
    assert on_af == on_wfkit
    assert on_wfkit["text"] == on_wfkit["from_message"] == on_wfkit["pieces joined"] == on_wfkit["streamed"]
    assert on_wfkit["author"] == "writer" and on_wfkit["role"] == "assistant"
    assert isinstance(on_wfkit["verdict"], DetectionResult) and on_wfkit["verdict"].is_spam
    assert on_wfkit["verdict"] == on_wfkit["per_call"] == on_wfkit["streamed_verdict"]


def test_af_agent_calls_the_client_in_the_shape_wfkit_clients_take_but_with_its_own_messages() -> None:
    # What we found: the call itself fits wfkit's get_response; AF's Message objects do not.
    agent = af.Agent(OfflineChatClient(), "You write warm release notes.", name="writer")
    with pytest.raises(TypeError, match=r"agent_framework\.\S*Message"):
        run(agent.run(BRIEF))


@pytest.mark.parametrize("method", ["__init__", "run"])
def test_every_parameter_of_wfkits_agent_is_one_of_afs_and_taken_the_same_way(method: str) -> None:
    import inspect

    from wfkit import Agent

    ours = inspect.signature(getattr(Agent, method)).parameters.values()
    theirs = inspect.signature(getattr(af.Agent, method)).parameters
    for parameter in ours:
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            continue  # wfkit's **keywords: the seed era's options, or a clear error
        assert parameter.name in theirs, f"AF's Agent.{method} has no {parameter.name}"
        assert theirs[parameter.name].kind == parameter.kind, parameter.name
