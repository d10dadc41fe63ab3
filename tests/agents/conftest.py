"""Fixtures for the agent tests: a clean environment and a local OpenAI-compatible server."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from tests.agents.openai_server import FakeOpenAIServer

# Variables that would change which client is chosen or how it is configured.
CLIENT_VARIABLE_PREFIXES = ("OPENAI_", "AZURE_OPENAI_", "WFKIT_")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the keys or settings of the machine it runs on."""
    for name in list(os.environ):
        if name.startswith(CLIENT_VARIABLE_PREFIXES):
            monkeypatch.delenv(name)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    """A started `FakeOpenAIServer`, stopped after the test."""
    fake = FakeOpenAIServer().start()
    try:
        yield fake
    finally:
        fake.stop()
