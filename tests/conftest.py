"""Shared test helpers. Async tests run with `asyncio.run` through the `run` helper, so the
suite needs no asyncio plugin."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Coroutine, TypeVar

REPO = Path(__file__).resolve().parents[1]

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T], timeout: float = 20) -> T:
    """Run a coroutine to completion; a hang fails the test instead of stalling the suite."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


def run_in_new_process(module: str, *args: str) -> dict:
    """Run ``python -m module args...`` from the repository in a fresh Python process and return
    the JSON report it prints last (how tests prove a resume works after a restart)."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
