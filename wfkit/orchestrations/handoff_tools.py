"""The ``handoff_to_<name>`` tools: how an agent says "this is for someone else".

Each agent in a handoff workflow is given one tool per participant it may hand off to. The
tools are *declarations only* (`FunctionTool` without a function, see `wfkit.agents.tools`):
a model sees them like any tool, and when it calls one, wfkit's tool loop stops at the call
instead of running anything. The handoff executor then reads which tool was called, answers
the call itself (``{"handoff_to": "refund_agent"}``, so the agent's own history stays a
complete call-and-result pair) and sends the conversation to that participant.

A handoff tool also carries, for the offline model only, what the target does (its
description and instructions): `HandoffTool.target_profile`. Real chat clients are sent the
name, the description and the (empty) parameters, nothing more.
"""

from __future__ import annotations

import re
from typing import Any

from ..agents.tools import FunctionTool
from ..agents.types import FunctionCallContent

HANDOFF_RESULT_KEY = "handoff_to"
_NOT_ALLOWED_IN_TOOL_NAMES = re.compile(r"[^a-zA-Z0-9_-]")
MAX_TOOL_NAME_LENGTH = 64  # what model providers accept


def handoff_tool_name(target_id: str) -> str:
    """``handoff_to_<target>``: characters a provider refuses in a tool name (a space) become
    underscores, and the name is cut to 64 characters, as Agent Framework does."""
    return f"handoff_to_{_NOT_ALLOWED_IN_TOOL_NAMES.sub('_', target_id)}"[:MAX_TOOL_NAME_LENGTH]


class HandoffTool(FunctionTool):
    """A declaration-only tool that hands the conversation to `target` (an executor id)."""

    def __init__(self, target: str, description: str | None = None, target_profile: str = "") -> None:
        super().__init__(
            name=handoff_tool_name(target),
            description=description or f"Handoff to the {target} agent.",
            input_model={"type": "object", "properties": {}},
        )
        self.target = target
        # Read by the offline model to decide whether a request fits this target better.
        self.target_profile = target_profile


def requested_handoff(contents: list[Any], tools: list[HandoffTool]) -> tuple[FunctionCallContent, str] | None:
    """The first call of a handoff tool among `contents`, with its target; None if there is none."""
    by_name = {tool.name: tool.target for tool in tools}
    for content in contents:
        if isinstance(content, FunctionCallContent) and content.name in by_name:
            return content, by_name[content.name]
    return None
