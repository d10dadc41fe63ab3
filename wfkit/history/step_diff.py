"""`StepDiff`: what differs between any two steps of a run, or of two of its branches.

A step's own changes (`Superstep.changes`) compare it with the step just before. To see what
five steps did together, or how a fork's ending differs from the run it left, compare any two::

    difference = history.diff(2, 7)                      # steps 2 and 7 of the branch shown
    difference = history.diff(("main", 4), ("fork 1", 4))
    print("\\n".join(difference.lines()))

The comparison covers the states (shared and each executor's own, where checkpoints recorded
them), the messages waiting after each step, the requests open after each, and the outputs
yielded up to each.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Sequence

from .records import OpenRequest, Superstep, WaitingMessage, describe_request, preview

class _Absent:
    """The value of a state key that is not set on one side of a comparison."""

    def __repr__(self) -> str:
        return "(not set)"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class ValueChange:
    """One state key whose value differs: ``shared:topic`` or ``writer:drafts``. `before` or
    `after` is `ABSENT` where the key is not set on that side."""

    key: str
    before: Any
    after: Any

    def line(self) -> str:
        if self.before is ABSENT:
            return f"{self.key}: added, {preview(self.after)}"
        if self.after is ABSENT:
            return f"{self.key}: removed (was {preview(self.before)})"
        return f"{self.key}: {preview(self.before)} -> {preview(self.after)}"


@dataclass
class StepDiff:
    """What differs between step `first` and step `second` (see the module docstring).

    `states_known` is False when either step has no checkpoint: then `state` is empty because
    nothing is known, not because nothing changed, and `lines` says so.
    """

    first: str
    second: str
    states_known: bool
    state: list[ValueChange] = field(default_factory=list)
    messages_only_first: list[WaitingMessage] = field(default_factory=list)
    messages_only_second: list[WaitingMessage] = field(default_factory=list)
    requests_only_first: list[OpenRequest] = field(default_factory=list)
    requests_only_second: list[OpenRequest] = field(default_factory=list)
    outputs_only_first: list[str] = field(default_factory=list)
    outputs_only_second: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        """True when the two steps agree on everything compared."""
        return not (
            self.state or self.messages_only_first or self.messages_only_second or self.requests_only_first
            or self.requests_only_second or self.outputs_only_first or self.outputs_only_second
        )

    def lines(self) -> list[str]:
        """The differences as short sentences, from `first` to `second`."""
        said = [f"state {change.line()}" for change in self.state]
        if not self.states_known:
            said.append("states: not compared (a step without a checkpoint records none)")
        said += [f"only {self.first} has output: {text}" for text in self.outputs_only_first]
        said += [f"only {self.second} has output: {text}" for text in self.outputs_only_second]
        said += [f"waiting only after {self.first}: {m}" for m in self.messages_only_first]
        said += [f"waiting only after {self.second}: {m}" for m in self.messages_only_second]
        said += [f"open only after {self.first}: {_request(r)}" for r in self.requests_only_first]
        said += [f"open only after {self.second}: {_request(r)}" for r in self.requests_only_second]
        return said or [f"{self.first} and {self.second} agree on states, waiting messages, requests and outputs"]

    def _repr_html_(self) -> str:
        """The two steps side by side: one row per thing that differs."""
        rows = [(change.key, preview(change.before), preview(change.after)) for change in self.state]
        rows += [("output", text, "") for text in self.outputs_only_first]
        rows += [("output", "", text) for text in self.outputs_only_second]
        rows += [("waiting", str(m), "") for m in self.messages_only_first]
        rows += [("waiting", "", str(m)) for m in self.messages_only_second]
        rows += [("open request", _request(r), "") for r in self.requests_only_first]
        rows += [("open request", "", _request(r)) for r in self.requests_only_second]
        body = "".join(
            f"<tr><th>{html.escape(what)}</th><td>{html.escape(left)}</td><td>{html.escape(right)}</td></tr>"
            for what, left, right in rows
        ) or f"<tr><td colspan='3'>{html.escape(self.lines()[0])}</td></tr>"
        note = "" if self.states_known else "<p>States not compared: a step without a checkpoint records none.</p>"
        return (
            "<table class='wfkit-step-diff'><thead><tr><th></th>"
            f"<th>{html.escape(self.first)}</th><th>{html.escape(self.second)}</th></tr></thead>"
            f"<tbody>{body}</tbody></table>{note}"
        )


def _request(request: OpenRequest) -> str:
    return describe_request(request.executor_id, request.preview, request.request_id)


def _flat(step: Superstep) -> dict[str, Any]:
    flat = {f"shared:{key}": value for key, value in (step.shared_state or {}).items()}
    for executor_id, state in (step.executor_states or {}).items():
        flat.update({f"{executor_id}:{key}": value for key, value in (state or {}).items()})
    return flat


def _outputs_up_to(steps: Sequence[Superstep], step: Superstep) -> list[str]:
    shown: list[str] = []
    for earlier in steps:
        shown += [preview(value) for value in earlier.outputs]
        if earlier is step:
            break
    return shown


def _only_in(these: list[Any], those: list[Any]) -> list[Any]:
    """The items of `these` that `those` lacks, counting repeats (two equal outputs are two)."""
    left = list(those)
    only = []
    for item in these:
        if item in left:
            left.remove(item)
        else:
            only.append(item)
    return only


def diff_steps(
    first: Superstep, first_steps: Sequence[Superstep], second: Superstep, second_steps: Sequence[Superstep],
    first_name: str, second_name: str,
) -> StepDiff:
    """The `StepDiff` from `first` (one of `first_steps`, its branch's steps) to `second`."""
    known = _has_states(first) and _has_states(second)
    difference = StepDiff(first_name, second_name, known)
    if known:
        before, after = _flat(first), _flat(second)
        for key in [*before, *(k for k in after if k not in before)]:
            old, new = before.get(key, ABSENT), after.get(key, ABSENT)
            if old is ABSENT or new is ABSENT or old != new:
                difference.state.append(ValueChange(key, old, new))
    difference.messages_only_first = _only_in(first.messages, second.messages)
    difference.messages_only_second = _only_in(second.messages, first.messages)
    difference.requests_only_first = [r for rid, r in first.pending_requests.items() if rid not in second.pending_requests]
    difference.requests_only_second = [r for rid, r in second.pending_requests.items() if rid not in first.pending_requests]
    outputs_first, outputs_second = _outputs_up_to(first_steps, first), _outputs_up_to(second_steps, second)
    difference.outputs_only_first = _only_in(outputs_first, outputs_second)
    difference.outputs_only_second = _only_in(outputs_second, outputs_first)
    return difference


def _has_states(step: Superstep) -> bool:
    return step.shared_state is not None or step.executor_states is not None
