"""What a functional run remembers: the input, the steps it finished, its state, its questions.

A functional workflow does not go on from where it paused: it runs its function again from the
top (a *replay*), with what it remembers. A `@step` called again with the same arguments hands
back the result it returned before, a question already answered gets its answer, and so the
function finds its way back to where it stopped, and goes further. `RunMemory` is that memory;
between two `run()` calls it lives as a checkpoint (see `saving.py`), so a run can go on in
this process or in another.

A step's call is known by its *call key*: the step's name, its arguments as saved data, and how
many calls of that step with those same arguments came before it in this replay. So the
second ``translate("hi")`` of a run replays the second result, whatever order parallel
branches happen to reach it in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..core.state import PendingRequest
from ..core.typecheck import is_instance, type_name
from ..errors import CheckpointEncodingError, RequestResponseError

CallKey = tuple[str, str, int]
"""(step name, its arguments as JSON text, how many such calls came before it in the replay)."""


@dataclass
class StepRecord:
    """One finished call of a step: which call it was, and what it returned.

    `arguments` are the call's arguments as saved data, ``{parameter: value}`` (an argument a
    checkpoint cannot hold is written ``{"not_saved": "ClassName"}``). `saved_result` is the
    result written as data the moment the step returned, so later changes to the object do not
    change what is replayed; `save_error` says why it could not be, if it could not. `questions`
    counts the requests without a `request_id` the call asked, so the numbering of later
    questions stays the same when the call is replayed instead of run.
    """

    step: str
    arguments: dict[str, Any]
    occurrence: int
    result: Any
    saved_result: Any = None
    save_error: CheckpointEncodingError | None = None
    questions: int = 0

    @property
    def key(self) -> CallKey:
        """The call key this record answers (see the module docstring)."""
        return (self.step, arguments_text(self.arguments), self.occurrence)


def arguments_text(arguments: dict[str, Any]) -> str:
    """Saved arguments as one text, the same for equal arguments: how calls are matched."""
    return json.dumps(arguments, sort_keys=True, ensure_ascii=False)


class StepJournal:
    """The finished step calls of a run, and the calls seen so far in this replay."""

    def __init__(self, records: list[StepRecord] | None = None) -> None:
        self.records: dict[CallKey, StepRecord] = {record.key: record for record in records or []}
        self._seen: dict[tuple[str, str], int] = {}  # (step, arguments) -> calls met in this replay

    def __len__(self) -> int:
        return len(self.records)

    def next_key(self, step: str, arguments: dict[str, Any]) -> CallKey:
        """The key of the call of `step` with `arguments` being made now (it counts the call)."""
        text = arguments_text(arguments)
        occurrence = self._seen.get((step, text), 0)
        self._seen[(step, text)] = occurrence + 1
        return (step, text, occurrence)

    def finished(self, key: CallKey) -> StepRecord | None:
        """The record of the call `key` if it finished before (then it is replayed), else None."""
        return self.records.get(key)

    def add(self, record: StepRecord) -> None:
        """Remember a call that has just finished."""
        self.records[record.key] = record


@dataclass
class RunMemory:
    """Everything a functional run needs to be replayed: see the module docstring.

    `pending` are the questions asked and not answered yet; `answers` every answer given to this
    run so far, kept so that each replay gets them again. `run_id` and `last_checkpoint_id` tie
    its checkpoints together, as a graph run's are.
    """

    message: Any = None
    steps: StepJournal = field(default_factory=StepJournal)
    state: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    pending: dict[str, PendingRequest] = field(default_factory=dict)
    run_id: str = ""
    last_checkpoint_id: str = ""

    def take_answers(self, responses: Mapping[str, Any], workflow_name: str) -> None:
        """Take answers, ``{request_id: answer}``, for the next replay; refuse them all if one is bad.

        An answer must be for a question the run waits on, and be of the type that question
        asked for. An answer to a question answered before is taken too (it replaces the
        earlier one), as Agent Framework's callers send every answer so far again; but at least
        one answer must be for a waiting question, or there is nothing to go on with.
        """
        if not isinstance(responses, Mapping):
            raise RequestResponseError(
                f"Answers are given as a dict {{request_id: answer}}, got {type(responses).__name__}."
            )
        waiting = ", ".join(repr(request_id) for request_id in self.pending) or "none"
        for request_id, answer in responses.items():
            request = self.pending.get(request_id)
            if request is None and request_id not in self.answers:
                raise RequestResponseError(
                    f"Workflow '{workflow_name}' has no question with request id {request_id!r}; it waits on "
                    f"{waiting}. Nothing was taken: answer with one of those ids."
                )
            if request is not None and not is_instance(answer, request.response_type):
                raise RequestResponseError(
                    f"Request {request_id!r} of workflow '{workflow_name}' asks for a "
                    f"{type_name(request.response_type)} answer, got {type(answer).__name__}: {answer!r}. "
                    "Nothing was taken; the question still waits."
                )
        if not any(request_id in self.pending for request_id in responses):
            raise RequestResponseError(
                f"None of the answers ({', '.join(repr(r) for r in responses) or 'none given'}) is for a "
                f"question workflow '{workflow_name}' waits on ({waiting}). Nothing was taken."
            )
        for request_id, answer in responses.items():
            self.pending.pop(request_id, None)
            self.answers[request_id] = answer
