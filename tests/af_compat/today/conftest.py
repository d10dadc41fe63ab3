"""`af`: each of today's tests runs once with wfkit and once with real AF (when installed)."""

from __future__ import annotations

import pytest

from .frameworks import FRAMEWORKS, load


@pytest.fixture(params=FRAMEWORKS)
def af(request: pytest.FixtureRequest):
    """The module the test's workflow is written against: wfkit, or agent_framework."""
    return load(request.param)
