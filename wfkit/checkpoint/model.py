"""`WorkflowCheckpoint`: a paused run written down as plain JSON data.

A checkpoint is the `RunState` of a run between two supersteps (waiting messages, executor
states, shared state, fan-in buffers, pending requests) plus a few facts about the run. Every
value in it has already been turned into JSON-able data by `wfkit.checkpoint.codec`, so the
checkpoint itself only ever holds dicts, lists, strings, numbers, booleans and ``None``::

    cp = WorkflowCheckpoint(workflow_id="review", iteration_count=3)
    text = cp.to_json()
    assert WorkflowCheckpoint.from_json(text) == cp

`messages` has Agent Framework's shape: the waiting messages grouped by the executor that sent
them, ``{"writer": [{"source_id": "writer", "target_id": "reviewer", "data": ..., ...}]}``, so
``sum(len(v) for v in cp.messages.values())`` counts them. Files of format version 1 kept one
flat list instead; they are read into the new shape as they load.
"""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

from ..core.events import WorkflowRunState
from ..errors import CheckpointEncodingError, CheckpointFormatError
from .codec import MAX_DEPTH, has_lone_surrogate

# Bumped whenever the layout below changes, so an old wfkit refuses a newer file clearly.
# Version 2: `messages` grouped by sender (a dict of lists), where version 1 had one list.
CHECKPOINT_FORMAT_VERSION = 2


def _utc_now() -> str:
    # Always with microseconds, so timestamps of one storage all have the same shape.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _new_id() -> str:
    return str(uuid.uuid4())


PARENT_KEY = "parent_checkpoint_id"  # in `metadata`: the checkpoint the run was at before ("" for the first)


@dataclass
class WorkflowCheckpoint:
    """Everything needed to continue a run later, in another process if need be.

    The engine has one made after each superstep (see `persistence.py`); storages save it as
    JSON. Values inside `messages`, `shared_state`, `executor_states`, `pending_requests` and
    `fan_in_buffers` are already encoded with `encode_value`, so read them back with `decode_value`.
    """

    checkpoint_id: str = field(default_factory=_new_id)
    workflow_id: str = ""
    timestamp: str = field(default_factory=_utc_now)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    shared_state: dict[str, Any] = field(default_factory=dict)
    executor_states: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending_requests: list[dict[str, Any]] = field(default_factory=list)
    fan_in_buffers: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    iteration_count: int = 0
    max_iterations: int = 100
    run_state: str = WorkflowRunState.IDLE.name
    graph_signature: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    version: int = CHECKPOINT_FORMAT_VERSION

    def __post_init__(self) -> None:
        if isinstance(self.messages, list):  # the flat list of format version 1
            self.messages = group_by_source([_upgrade_message(entry, i) for i, entry in enumerate(self.messages)])

    @property
    def workflow_name(self) -> str:
        """`workflow_id` by Agent Framework 1.x's name: the workflow this checkpoint belongs to."""
        return self.workflow_id

    @property
    def previous_checkpoint_id(self) -> str | None:
        """The checkpoint the run was at before this one (None for a run's first), by AF 1.x's name."""
        return self.metadata.get(PARENT_KEY) or None

    def all_messages(self) -> list[dict[str, Any]]:
        """Every waiting message entry, in the order the run will handle them."""
        entries = [entry for by_source in self.messages.values() for entry in by_source]
        # Grouping by sender loses the order between senders; `position` keeps it.
        return sorted(entries, key=lambda entry: entry.get("position", 0))

    def to_dict(self) -> dict[str, Any]:
        """The checkpoint as a plain dict (the same nested objects, not copies)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "checkpoint data") -> WorkflowCheckpoint:
        """Rebuild a checkpoint from `to_dict()` output, checking every field's shape first.

        Raises `CheckpointFormatError` naming `source` (a file, say) and the field that is
        missing or wrong, rather than failing later in the middle of a restore.
        """
        if not isinstance(data, dict):
            raise CheckpointFormatError(f"{source}: expected a JSON object, found {type(data).__name__}.")
        expected = {f.name for f in fields(cls)}
        missing = [name for name in (f.name for f in fields(cls)) if name not in data]
        if missing:
            raise CheckpointFormatError(
                f"{source}: missing field(s) {', '.join(missing)}. The file is incomplete or was not "
                "written by wfkit."
            )
        version = data["version"]
        if type(version) is int and version > CHECKPOINT_FORMAT_VERSION:
            raise CheckpointFormatError(
                f"{source}: format version {version} was written by a newer wfkit (this one reads "
                f"version {CHECKPOINT_FORMAT_VERSION}). Upgrade wfkit to load it."
            )
        unknown = sorted(set(data) - expected)
        if unknown:
            raise CheckpointFormatError(f"{source}: unknown field(s) {', '.join(unknown)}.")
        for name, check, shape in _FIELD_SHAPES:
            if not check(data[name]):
                raise CheckpointFormatError(
                    f"{source}: field {name!r} should be {shape}, found {_describe(data[name])}."
                )
        try:
            return cls(**data)
        except (KeyError, TypeError) as error:  # __post_init__ upgrading a damaged version-1 message list
            raise CheckpointFormatError(
                f"{source}: field 'messages' holds a damaged message entry ({error!r}). The file was "
                "edited or not written by wfkit."
            ) from error

    def to_json(self) -> str:
        """The checkpoint as JSON text. Fails loudly on anything that is not plain JSON data."""
        try:
            # ensure_ascii=False keeps text readable in the file ("grüß", not "gr\\u00fc\\u00df").
            text = json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False, default=_not_json)
        except ValueError as error:  # NaN or infinity slipped in without going through the codec
            raise CheckpointEncodingError(
                f"Checkpoint {self.checkpoint_id} holds a value JSON cannot store ({error}). "
                "Encode values with wfkit.checkpoint.encode_value before putting them in a checkpoint."
            ) from None
        if has_lone_surrogate(text):  # encode_value escapes these; an id or metadata did not go through it
            raise CheckpointEncodingError(
                f"Checkpoint {self.checkpoint_id} holds a string with a lone surrogate (such as '\\ud800') "
                "outside the encoded values, in an id or in metadata: UTF-8 files cannot hold it. Use "
                "ids without such characters, or put the value through encode_value."
            )
        return text

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "checkpoint text") -> WorkflowCheckpoint:
        """Parse `to_json()` output (as text, or as UTF-8 bytes from a file or database).

        Any damage becomes a `CheckpointFormatError` naming `source`, so a storage that lists
        many checkpoints can skip this one and go on with the others.
        """
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as error:
                raise CheckpointFormatError(
                    f"{source}: not UTF-8 text ({error}); the data is damaged. Delete it, or restore "
                    "from another checkpoint."
                ) from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            # Text cut off mid-write fails at its very end, or inside a string never closed.
            ends_early = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
            why = "it ends early, as if the write was cut off" if ends_early else "it is not valid JSON"
            raise CheckpointFormatError(f"{source}: cannot read the checkpoint, {why} ({error}).") from None
        except RecursionError as error:
            raise CheckpointFormatError(
                f"{source}: the data is nested too deeply to read. wfkit saves values at most {MAX_DEPTH} "
                "levels deep, so it was edited or not written by wfkit."
            ) from error
        except ValueError as error:  # an integer with more digits than Python reads from text
            raise CheckpointFormatError(
                f"{source}: cannot read the checkpoint ({error}). Python refuses integers longer than "
                f"{sys.get_int_max_str_digits()} digits in text, because reading them is slow. If you "
                "trust this data, call sys.set_int_max_str_digits(0) and load it again."
            ) from error
        return cls.from_dict(data, source=source)

    def summary(self) -> Any:
        """This checkpoint at a glance: a `WorkflowCheckpointSummary` (status, pending requests...)."""
        from .summary import get_checkpoint_summary  # summary.py reads checkpoints, so it imports this module

        return get_checkpoint_summary(self)

    def pending_request_details(self) -> list[Any]:
        """The requests this checkpoint waits on, rebuilt as `PendingRequestDetails`."""
        from .summary import pending_requests_from_checkpoint

        return pending_requests_from_checkpoint(self)


def group_by_source(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Message entries grouped by their `source_id`, the shape of `WorkflowCheckpoint.messages`."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        grouped.setdefault(entry["source_id"], []).append(entry)
    return grouped


def _upgrade_message(entry: dict[str, Any], position: int) -> dict[str, Any]:
    """A message entry of format version 1 in today's layout (its values stay encoded as they were)."""
    if "payload" not in entry:
        return entry  # already today's layout
    source_ids = list(entry.get("source_ids") or [""])
    request = entry.get("request")
    return {
        "source_id": source_ids[0],
        "target_id": entry.get("target_id"),
        "data": entry["payload"],
        "type": "response" if request else "standard",
        "original_request": request,
        "source_ids": source_ids,
        "position": position,
    }


def _not_json(value: Any) -> Any:
    raise CheckpointEncodingError(
        f"A {type(value).__qualname__} object was put into a checkpoint without being encoded. "
        "Encode values with wfkit.checkpoint.encode_value before putting them in a checkpoint."
    )


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _is_int(value: Any) -> bool:
    return type(value) is int  # bool is an int subclass, and never a count


def _is_str_dict(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) for key in value)


def _is_list_of_dicts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _is_messages(value: Any) -> bool:
    if isinstance(value, list):  # format version 1
        return _is_list_of_dicts(value)
    return _is_str_dict(value) and all(_is_list_of_dicts(entries) for entries in value.values())


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_fan_in_buffers(value: Any) -> bool:
    return _is_str_dict(value) and all(
        _is_str_dict(by_source) and all(isinstance(items, list) for items in by_source.values())
        for by_source in value.values()
    )


_FIELD_SHAPES: list[tuple[str, Any, str]] = [
    ("checkpoint_id", lambda v: isinstance(v, str) and v != "", "a non-empty string"),
    ("workflow_id", lambda v: isinstance(v, str), "a string"),
    ("timestamp", _is_timestamp, "an ISO-8601 date and time string"),
    ("messages", _is_messages, "an object mapping executor ids to lists of objects"),
    ("shared_state", _is_str_dict, "an object"),
    ("executor_states", lambda v: _is_str_dict(v) and all(_is_str_dict(s) for s in v.values()),
     "an object mapping executor ids to objects"),
    ("pending_requests", _is_list_of_dicts, "a list of objects"),
    ("fan_in_buffers", _is_fan_in_buffers, "an object of objects of lists"),
    ("iteration_count", lambda v: _is_int(v) and v >= 0, "a whole number >= 0"),
    ("max_iterations", lambda v: _is_int(v) and v >= 1, "a whole number >= 1"),
    ("run_state", lambda v: isinstance(v, str) and v in WorkflowRunState.__members__,
     "one of " + ", ".join(WorkflowRunState.__members__)),
    ("graph_signature", lambda v: isinstance(v, str), "a string"),
    ("metadata", _is_str_dict, "an object"),
    ("version", lambda v: _is_int(v) and v >= 1, "a whole number >= 1"),
]
