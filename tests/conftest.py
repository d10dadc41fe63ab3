"""Shared test helpers. Async tests run with `asyncio.run` through the `run` helper, so the
suite needs no asyncio plugin."""

from __future__ import annotations

import asyncio
from typing import Any, Coroutine, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T], timeout: float = 20) -> T:
    """Run a coroutine to completion; a hang fails the test instead of stalling the suite."""
    return asyncio.run(asyncio.wait_for(coro, timeout))
