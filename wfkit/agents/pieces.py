"""A run's outputs as a reader wants them: the streamed pieces of one answer, joined.

Agents stream: run with ``stream=True``, a handoff or group chat yields each agent's answer as
it is written, a few words per `AgentResponseUpdate`. Agent Framework does the same, and a
program reading the stream wants those pieces. A person reading a notebook does not: "Hello!
I'm happy " / "to help with " / "order 1234." are one answer. `JoinedOutputs` keeps outputs
with each run of pieces from one speaker put back together into one `AgentResponse` (as
`AgentResponse.from_updates` does), so the notebook shows, and ``result.outputs`` holds, what
``workflow.run(message)`` without streaming would give.
"""

from __future__ import annotations

from typing import Any

from .types import AgentResponse, AgentResponseUpdate


class JoinedOutputs:
    """Outputs in order, streamed pieces joined; with `keep_last`, only the latest that many.

    >>> outputs = JoinedOutputs()
    >>> outputs.add(AgentResponseUpdate(text="Hello ", author_name="triage"))
    >>> outputs.add(AgentResponseUpdate(text="there.", author_name="triage"))
    >>> [answer.text for answer in outputs.items]
    ['Hello there.']
    """

    def __init__(self, keep_last: int | None = None) -> None:
        self.items: list[Any] = []
        self.count = 0  # outputs so far, each joined answer counted once
        self.keep_last = keep_last
        self._pieces: list[AgentResponseUpdate] = []  # the answer being joined, if the last output is one

    def add(self, value: Any) -> None:
        """Add one output: a piece that continues the answer being joined joins it."""
        if isinstance(value, AgentResponseUpdate) and self._pieces and _same_answer(self._pieces[-1], value):
            self._pieces.append(value)
            self.items[-1] = AgentResponse.from_updates(self._pieces)
            return
        self._pieces = [value] if isinstance(value, AgentResponseUpdate) else []
        self.items.append(AgentResponse.from_updates(self._pieces) if self._pieces else value)
        self.count += 1
        if self.keep_last is not None:
            del self.items[: -self.keep_last]

    def clear(self) -> None:
        """Forget every output (a new run starts)."""
        self.items, self.count, self._pieces = [], 0, []


def _same_answer(before: AgentResponseUpdate, piece: AgentResponseUpdate) -> bool:
    # A new speaker, or a new response id, starts a new answer.
    return before.author_name == piece.author_name and (
        before.response_id == piece.response_id or None in (before.response_id, piece.response_id)
    )
