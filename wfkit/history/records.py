"""What the history of a run is made of: one `Superstep` per step, with the messages still waiting,
the requests still open, and what changed since the step before.

These are plain data: the explorer widget draws them, tests compare them, and a learner can
print them. Values are kept as they were (``shared_state["draft"]`` is the draft itself) where
the history knows them; `preview` gives the short text a screen has room for.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

ELLIPSIS = "…"

# The sender the engine names for the message a run starts with.
RUN_INPUT = "__input__"

# How much of an output a step's changes show (a paragraph of release notes fits).
OUTPUT_ROOM = 400

# A line break with the spaces around it: folded into one space.
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def one_line(text: str, limit: int = 200) -> str:
    """`text` on one line, at most `limit` characters, ending in "…" when it was cut.

    Line breaks become spaces; other spacing is kept, as it may matter (inside a string).

    >>> one_line("first line\\n   second line", 16)
    'first line seco…'
    """
    folded = _LINE_BREAK.sub(" ", text.strip())
    if len(folded) <= limit:
        return folded
    return folded[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def short_id(request_id: str) -> str:
    """The first 8 characters of an id, enough to tell the requests of one run apart:
    ``'13f4e9a8'`` for ``'13f4e9a8-8e0f-4df8-8908-781880401309'`` (a short id stays whole)."""
    return request_id if len(request_id) <= 9 else request_id[:8]


def describe_request(executor_id: str, question: str, verb: str = "asks", label: str = "") -> str:
    """One request as a line: who asks what, ``review asks: DraftReview(draft='New: the
    grinder…', iteration=1)``; with a `label` ("request 2") when a run asks several questions and
    the lines must tell them apart: ``review asks (request 2): …``. Never the request's id: a
    reader tells requests apart by what they ask and their number, not by a UUID.

    `question` is the request's `preview`. The event log, the explorer and its list of changes
    all say a request this way."""
    return f"{executor_id} {verb}{f' ({label})' if label else ''}: {question}"


def request_labels(steps: list[Superstep]) -> dict[str, str]:
    """``{request id: "request N"}``, numbered in the order `steps` ask them, when they ask more
    than one question (one question needs no number: its line says what it asks)."""
    asked: dict[str, None] = {}  # an ordered set
    for step in steps:
        asked.update(dict.fromkeys([*step.changes.requests_asked, *step.pending_requests]))
    return {rid: f"request {number}" for number, rid in enumerate(asked, 1)} if len(asked) > 1 else {}


def preview(value: Any, limit: int = 80) -> str:
    """A value on one short line, written for a reader; the event log, the request cards and
    the explorer all show values this way.

    >>> preview("a short brief")
    "'a short brief'"
    >>> preview(ReviewResponse(request_id="13f4e9a8-8e0f-...", feedback="", approved=True))
    "ReviewResponse(feedback='', approved=True)"

    - a dataclass shows its fields without the ids (``request_id``, ``source_executor_id``): the
      line says who asked already, and a 36-character id would fill it before the content;
    - a chat message shows its role and text (``user: 'Write release notes…'``), not its repr;
    - inside a list, tuple or dict, a long string is cut on its own, so the next items show too;
    - the whole is folded onto one line and cut to `limit` with "…".
    """
    return one_line(_readable(value, limit), limit)


def _readable(value: Any, room: int) -> str:
    """`value` as `preview` writes it, before the cut. `room` is how much of the line it may
    take: parts beyond it are left out early, so a long conversation costs no more than a short one."""
    if isinstance(value, str):
        # Line breaks folded before quoting: a reader sees text, never ``\n`` escapes.
        value = _LINE_BREAK.sub(" ", value)
        if len(value) > room:  # cut inside the quotes: the reader sees the text goes on
            value = value[: max(room - 3, 1)] + ELLIPSIS
        return repr(value)
    if _is_message(value):
        return f"{getattr(value.role, 'value', value.role)}: {_readable(value.text, room)}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        shown = [f for f in dataclasses.fields(value) if f.repr and not f.name.endswith("_id")]
        parts = ((f"{f.name}=", getattr(value, f.name)) for f in shown)
        return f"{type(value).__name__}({_joined(parts, room)})"
    if isinstance(value, dict):
        return "{" + _joined(((f"{key!r}: ", item) for key, item in value.items()), room) + "}"
    if isinstance(value, list):
        return "[" + _joined((("", item) for item in value), room) + "]"
    if isinstance(value, tuple):
        return "(" + _joined((("", item) for item in value), room) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def _joined(parts: Iterable[tuple[str, Any]], room: int) -> str:
    """``name=value, name=value``, each value written by `_readable`, stopping once `room` is used.

    When there are several, a value gets half the room at most, so one long draft does not hide
    what follows it."""
    parts = list(itertools.islice(parts, room))  # no line has room for more
    share = room if len(parts) == 1 else max(room // 2, 20)
    texts: list[str] = []
    used = 0
    for prefix, item in parts:
        if used > room:
            texts.append(ELLIPSIS)
            break
        text = prefix + _readable(item, share)
        texts.append(text)
        used += len(text) + 2
    return ", ".join(texts)


def _is_message(value: Any) -> bool:
    # A chat message (wfkit.agents' Message, or any look-alike): a role and a text. Asked by
    # shape, because the history does not import the agents.
    return hasattr(value, "role") and isinstance(getattr(value, "text", None), str) and not isinstance(value, type)


def type_name(value: Any) -> str:
    """The name of a value's class, as the explorer shows it next to a message."""
    return type(value).__name__


@dataclass(frozen=True)
class WaitingMessage:
    """A message sent but not yet delivered: it is delivered in the next superstep.

    `source` is the sender (the first one, for a fan-in that collected several), `target` the
    executor that will receive it, `type_name` the class of what it carries, `preview` that value
    on one short line. `request_id` is set when the message is the answer to a request.
    """

    source: str
    target: str
    type_name: str
    preview: str
    request_id: str | None = None

    @property
    def what(self) -> str:
        """What it carries, on one line: ``str 'hello'``, or ``Note(text='hi')`` for a value whose
        preview names its class already."""
        return self.preview if self.preview.startswith(f"{self.type_name}(") else f"{self.type_name} {self.preview}"

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}: {self.what}"


def waiting_messages(
    sources: list[str] | tuple[str, ...], target: str, value: Any, request_id: str | None = None
) -> list[WaitingMessage]:
    """The message(s) one delivery carries: one per sender, and for a join (several senders and
    a list with one item from each), each sender with its own item."""
    if len(sources) > 1 and isinstance(value, list) and len(value) == len(sources):
        return [WaitingMessage(s, target, type_name(item), preview(item)) for s, item in zip(sources, value)]
    return [WaitingMessage(s, target, type_name(value), preview(value), request_id) for s in sources]


@dataclass(frozen=True)
class OpenRequest:
    """A request waiting for an answer: who asked, what, and what type the answer must have."""

    request_id: str
    executor_id: str
    preview: str
    response_type: Any = None
    data: Any = None


@dataclass
class StepChanges:
    """What differs from the step before.

    State keys are written ``shared:key`` for the shared state and ``executor_id:key`` for an
    executor's own state, so one list covers both.
    """

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    received: list[WaitingMessage] = field(default_factory=list)  # what the step's executors were handed
    new_messages: list[WaitingMessage] = field(default_factory=list)
    requests_asked: list[str] = field(default_factory=list)
    requests_answered: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)  # previews of what the step yielded
    # The requests asked or answered, by id: who asked what, so `lines` can say it.
    requests: dict[str, OpenRequest] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing at all changed (a step that only passed messages on is not empty)."""
        return not any(vars(self).values())

    def lines(self) -> list[str]:
        """The changes as short sentences, most telling first."""
        said = [
            f"{m.target} received {m.preview}" + (", the run's input" if m.source == RUN_INPUT else f" from {m.source}")
            for m in self.received
        ]
        said += [f"output: {text}" for text in self.outputs]
        said += [self._request_line(rid, "asked") for rid in self.requests_asked]
        said += [self._request_line(rid, "got its answer to") for rid in self.requests_answered]
        said += [f"state added: {key}" for key in self.added]
        said += [f"state changed: {key}" for key in self.changed]
        said += [f"state removed: {key}" for key in self.removed]
        said += [f"sent: {message}" for message in self.new_messages]
        return said

    def _request_line(self, request_id: str, verb: str) -> str:
        request = self.requests.get(request_id)
        if request is None:  # changes written by hand, without the requests
            return f"{verb}: a request"
        return describe_request(request.executor_id, request.preview, verb)


@dataclass
class Superstep:
    """One superstep of a run, as it stood when the step had ended.

    - `number`: the superstep's number in its run (1 for the first; a resumed run goes on counting);
    - `ran`: the executors invoked in the step, in the order they started;
    - `statuses`: every executor id -> idle / running / waiting / done / failed after the step
      (the rule is in `statuses.py`);
    - `messages`: the `WaitingMessage`s in flight after the step (delivered in the next one);
    - `shared_state`, `executor_states`: the states after the step, where a checkpoint recorded
      them (None when the history has no checkpoint of this step);
    - `pending_requests`: request id -> `OpenRequest`, still waiting after the step;
    - `outputs`: what the step yielded (``ctx.yield_output``); `outputs_recorded` is False when the
      history cannot know them (a step read from its checkpoint alone: checkpoints keep no outputs);
    - `changes`: a `StepChanges` against the step before;
    - `checkpoint_id`: the checkpoint taken after the step (None without one): fork from it;
    - `saved_at`: when the checkpoint read for this step was saved (its ISO timestamp; "" for none);
    - `failed`: True if the run failed in this step (its work was dropped);
    - `problem`: "" for a sound step; else what is wrong with its checkpoint (read from a
      damaged storage, say) and how the history placed it anyway.
    """

    number: int
    ran: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    messages: list[WaitingMessage] = field(default_factory=list)
    shared_state: dict[str, Any] | None = None
    executor_states: dict[str, dict[str, Any]] | None = None
    pending_requests: dict[str, OpenRequest] = field(default_factory=dict)
    outputs: list[Any] = field(default_factory=list)
    outputs_recorded: bool = True
    changes: StepChanges = field(default_factory=StepChanges)
    checkpoint_id: str | None = None
    saved_at: str = ""
    failed: bool = False
    problem: str = ""

    def __repr__(self) -> str:
        waiting = f", {len(self.pending_requests)} request(s) open" if self.pending_requests else ""
        failed = ", failed" if self.failed else ""
        failed += ", damaged checkpoint" if self.problem else ""
        return (
            f"Superstep({self.number}: ran {', '.join(self.ran) or 'nothing'}; "
            f"{len(self.messages)} message(s) waiting{waiting}{failed})"
        )


def link_changes(steps: list[Superstep], before: Superstep | None = None) -> None:
    """Work out each step's `changes` against the one before it (the first against `before`,
    which is left as it is: a fork's parent step belongs to its parent branch too)."""
    for step in steps:
        step.changes = changes_between(before, step)
        before = step


def changes_between(before: Superstep | None, after: Superstep) -> StepChanges:
    """What `after` has that `before` did not (the first step is compared with an empty start)."""
    # An output is what the run was for: it gets a few lines' room, not one short line.
    changes = StepChanges(outputs=[preview(value, OUTPUT_ROOM) for value in after.outputs])
    old_states = _flat_states(before) if before is not None else {}
    new_states = _flat_states(after)
    if after.shared_state is not None or after.executor_states is not None:
        changes.added = [key for key in new_states if key not in old_states]
        changes.changed = [key for key in new_states if key in old_states and old_states[key] != new_states[key]]
        changes.removed = [key for key in old_states if key not in new_states]
    old_requests = before.pending_requests if before is not None else {}
    changes.requests_asked = [rid for rid in after.pending_requests if rid not in old_requests]
    # A request open before and not after was answered, and the answer handled, in this step.
    changes.requests_answered = [rid for rid in old_requests if rid not in after.pending_requests]
    changes.requests = {rid: after.pending_requests[rid] for rid in changes.requests_asked}
    changes.requests |= {rid: old_requests[rid] for rid in changes.requests_answered}
    changes.new_messages = list(after.messages)
    # Every message waiting after a step is delivered in the next one.
    changes.received = list(before.messages) if before is not None else []
    return changes


def _flat_states(step: Superstep) -> dict[str, Any]:
    flat = {f"shared:{key}": value for key, value in (step.shared_state or {}).items()}
    for executor_id, state in (step.executor_states or {}).items():
        flat.update({f"{executor_id}:{key}": value for key, value in (state or {}).items()})
    return flat
