"""`StepDiff`: what differs between any two steps of a run, or of two of its branches.

A step's own changes (`Superstep.changes`) compare it with the step just before. To see what
five steps did together, or how a fork's ending differs from the run it left, compare any two::

    difference = history.diff(2, 7)                      # steps 2 and 7 of the branch shown
    difference = history.diff(("main", 4), ("fork 1", 4))
    print("\\n".join(difference.lines()))

The comparison covers the states (shared and each executor's own, where checkpoints recorded
them), the messages waiting after each step, the requests open after each, and the outputs
yielded up to each. In a notebook a `StepDiff` shows itself as a table, the two steps side by
side (`to_html`); the run explorer's **Compare** shows the same table.
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
    nothing is known, not because nothing changed, and `lines` says so. `outputs_known` is False
    when a step on the way to either (and not shared by both) was read from its checkpoint alone,
    which keeps no outputs: then the outputs are not compared, and `lines` says so too.
    """

    first: str
    second: str
    states_known: bool
    outputs_known: bool = True
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
        if not self.outputs_known:
            said.append("outputs: not compared (a step read from its checkpoint alone does not know what it yielded)")
        said += [f"only {self.first} has output: {text}" for text in self.outputs_only_first]
        said += [f"only {self.second} has output: {text}" for text in self.outputs_only_second]
        said += [f"waiting only after {self.first}: {m}" for m in self.messages_only_first]
        said += [f"waiting only after {self.second}: {m}" for m in self.messages_only_second]
        said += [f"open only after {self.first}: {_request(r)}" for r in self.requests_only_first]
        said += [f"open only after {self.second}: {_request(r)}" for r in self.requests_only_second]
        return said or [f"{self.first} and {self.second} agree on states, waiting messages, requests and outputs"]

    def sections(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """The differences grouped as the explorer shows them, side by side: for each of shared
        state, executor states, waiting messages, open requests and outputs, its title and one
        row per difference, (what, as it is at `first`, as it is at `second`); "" where a side
        has none of it."""
        shared = [(c.key[len("shared:"):], _side(c.before), _side(c.after)) for c in self.state if c.key.startswith("shared:")]
        own = [(c.key, _side(c.before), _side(c.after)) for c in self.state if not c.key.startswith("shared:")]
        waiting = [(f"{m.source} → {m.target}", m.what, "") for m in self.messages_only_first]
        waiting += [(f"{m.source} → {m.target}", "", m.what) for m in self.messages_only_second]
        requests = [(r.executor_id, _request(r), "") for r in self.requests_only_first]
        requests += [(r.executor_id, "", _request(r)) for r in self.requests_only_second]
        outputs = [("output", text, "") for text in self.outputs_only_first]
        outputs += [("output", "", text) for text in self.outputs_only_second]
        return [
            ("Shared state", shared), ("Executor states", own), ("Waiting messages", waiting),
            ("Open requests", requests), ("Outputs", outputs),
        ]

    def to_html(self) -> str:
        """The two steps side by side: a column each, a section per kind of thing compared, a
        row per difference; a section where they agree says so, one not compared says why."""
        cell = "padding:2px 8px;border-top:1px solid #e2e8f0;vertical-align:top;text-align:left"
        rows = []
        for title, found in self.sections():
            rows.append(f"<tr><th colspan='3' style='{cell};background:#f1f5f9'>{html.escape(title)}</th></tr>")
            unknown = (not self.states_known and title in _STATES) or (not self.outputs_known and title == "Outputs")
            if unknown or not found:
                said = _NOT_COMPARED[title == "Outputs"] if unknown else "the same at both steps"
                rows.append(f"<tr><td colspan='3' style='{cell};color:#64748b'>{html.escape(said)}</td></tr>")
            for what, left, right in found:
                rows.append(
                    f"<tr><td style='{cell};font-family:monospace'>{html.escape(what)}</td>"
                    f"<td style='{cell}'>{_cell(left)}</td><td style='{cell}'>{_cell(right)}</td></tr>"
                )
        summary = "they agree on everything compared" if self.is_empty() else "what differs"
        return (
            "<table class='wfkit-step-diff' style='border-collapse:collapse;font-size:13px;width:100%'>"
            f"<caption style='text-align:left;font-size:12px;color:#475569'>From {html.escape(self.first)} to "
            f"{html.escape(self.second)}: {summary}</caption><thead><tr><th></th>"
            f"<th>{html.escape(self.first)}</th><th>{html.escape(self.second)}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


_STATES = ("Shared state", "Executor states")

# Why a section was not compared: the states (False) or the outputs (True).
_NOT_COMPARED = {
    False: "not compared: a step without a checkpoint records no states",
    True: "not compared: a step read from its checkpoint alone does not know what it yielded",
}


def _side(value: Any) -> str:
    return "(not set)" if value is ABSENT else preview(value)


def _cell(text: str) -> str:
    if text == "(not set)" or not text:
        return f"<span style='color:#94a3b8'>{html.escape(text or '—')}</span>"
    return html.escape(text)


def _request(request: OpenRequest) -> str:
    return describe_request(request.executor_id, request.preview)


def _flat(step: Superstep) -> dict[str, Any]:
    flat = {f"shared:{key}": value for key, value in (step.shared_state or {}).items()}
    for executor_id, state in (step.executor_states or {}).items():
        flat.update({f"{executor_id}:{key}": value for key, value in (state or {}).items()})
    return flat


def _up_to(steps: Sequence[Superstep], step: Superstep) -> list[Superstep]:
    """`steps` from the first to `step` itself."""
    for index, earlier in enumerate(steps):
        if earlier is step:
            return list(steps[: index + 1])
    return list(steps)


def _outputs_of(steps: Sequence[Superstep]) -> list[str]:
    return [preview(value) for step in steps for value in step.outputs]


def _outputs_known(first: Sequence[Superstep], second: Sequence[Superstep]) -> bool:
    """True if every step on the way to either side, but for those both share, knows its outputs."""
    shared = {id(step) for step in first} & {id(step) for step in second}
    return all(step.outputs_recorded for step in [*first, *second] if id(step) not in shared)


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
    way_to_first, way_to_second = _up_to(first_steps, first), _up_to(second_steps, second)
    difference.outputs_known = _outputs_known(way_to_first, way_to_second)
    outputs_first, outputs_second = _outputs_of(way_to_first), _outputs_of(way_to_second)
    difference.outputs_only_first = _only_in(outputs_first, outputs_second)
    difference.outputs_only_second = _only_in(outputs_second, outputs_first)
    return difference


def _has_states(step: Superstep) -> bool:
    return step.shared_state is not None or step.executor_states is not None
