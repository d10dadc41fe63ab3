"""What today's tests share: the two modules a learner's code may import from, and a chat model
for each that answers with scripted replies, so one test body runs on wfkit and on real AF."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence
from types import ModuleType
from typing import Any

import pytest

import wfkit

FRAMEWORKS = ["wfkit", "agent_framework"]


def load(name: str) -> ModuleType:
    """`wfkit`, or real AF if it is installed (the test is skipped otherwise)."""
    if name == "wfkit":
        return wfkit
    return pytest.importorskip(name, reason="agent-framework-core (AF 1.x) is not installed; nothing to compare with")


def load_orchestrations(name: str) -> ModuleType:
    load(name)
    module = f"{name}.orchestrations"
    if name == "wfkit":
        return importlib.import_module(module)
    return pytest.importorskip(module, reason="agent-framework-orchestrations is not installed")


class ScriptedAfModel:
    """A chat model for real AF's `Agent`: answers with the next scripted reply, in AF's types,
    streamed a word at a time. (wfkit's `OfflineChatClient(replies=...)` does the same for wfkit.)"""

    def __init__(self, af: ModuleType, replies: Sequence[str]) -> None:
        self.af, self.replies = af, list(replies)
        self.additional_properties: dict[str, Any] = {}
        self.requests_answered = 0

    def get_response(self, messages: Any, *, stream: bool = False, options: Any = None, **_: Any) -> Any:
        text = self.replies[self.requests_answered]
        self.requests_answered += 1
        af = self.af
        if not stream:
            async def whole() -> Any:
                return af.ChatResponse(messages=[af.Message("assistant", [text])], response_id=f"r{self.requests_answered}")

            return whole()

        async def pieces() -> AsyncIterator[Any]:
            words = text.split(" ")
            for index, word in enumerate(words):
                piece = word if index == len(words) - 1 else word + " "
                yield af.ChatResponseUpdate(contents=[af.Content.from_text(piece)], role="assistant", response_id="r")

        return af.ResponseStream(pieces(), finalizer=af.ChatResponse.from_updates)


def scripted_client(framework: ModuleType, replies: Sequence[str]) -> Any:
    """A chat client for `framework` that answers with `replies` in turn."""
    if framework is wfkit:
        return wfkit.OfflineChatClient(replies=list(replies))
    return ScriptedAfModel(framework, replies)


def collect(stream: Any) -> list[Any]:
    """Every event of a ``run(..., stream=True)`` stream."""
    from tests.conftest import run

    async def events() -> list[Any]:
        return [event async for event in stream]

    return run(events())
