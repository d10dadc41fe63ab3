"""What a checkpoint holds, decoded to be looked at: the run's history and explorer read it here.

Restoring a checkpoint (`persistence.decode_run_state`) must be exact: a value it cannot
rebuild stops the restore. Looking is different. A checkpoint read in a new session may hold a
value whose class is not registered yet (its module not imported), and that one value must not
hide the rest. So `read_contents` decodes with the same functions a restore uses, entry by
entry, and shows a value it cannot rebuild as the data that was saved::

    contents = read_contents(checkpoint)
    contents.messages            # [Message(source_ids=('writer',), target_id='reviewer', ...)]
    contents.pending_requests    # {request_id: PendingRequest(...)}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.state import Message, PendingRequest
from ..errors import CheckpointError
from .codec import TAG, decode_value, type_names_in
from .model import WorkflowCheckpoint
from .model import PARENT_KEY
from .persistence import FAILED_EXECUTOR_KEY, RUN_ID_KEY, check_entries, decode_message, decode_request, naming_the_checkpoint
from .registry import class_for


@dataclass
class CheckpointContents:
    """The values of one checkpoint: the run as it stood after the step it was taken after.

    `messages` wait to be delivered in the next step, in the order they will be; the states are
    by key (shared) and by executor id; `pending_requests` maps each open request's id to it.
    """

    messages: list[Message] = field(default_factory=list)
    pending_requests: dict[str, PendingRequest] = field(default_factory=dict)
    shared_state: dict[str, Any] = field(default_factory=dict)
    executor_states: dict[str, Any] = field(default_factory=dict)


def read_contents(checkpoint: WorkflowCheckpoint) -> CheckpointContents:
    """Decode everything `checkpoint` holds, a value this session cannot rebuild left as saved.

    A damaged entry (a field missing or of the wrong kind) is still an error, a
    `CheckpointFormatError` naming the checkpoint and the entry.
    """
    with naming_the_checkpoint(checkpoint):
        check_entries(checkpoint)
    requests = [_request(entry) for entry in checkpoint.pending_requests]
    return CheckpointContents(
        messages=[_message(entry) for entry in checkpoint.all_messages()],
        pending_requests={request.request_id: request for request in requests},
        shared_state={key: decoded_or_saved(value) for key, value in checkpoint.shared_state.items()},
        executor_states={eid: decoded_or_saved(state) for eid, state in checkpoint.executor_states.items()},
    )


def decoded_or_saved(data: Any) -> Any:
    """`decode_value(data)`, or `data` itself, as saved, when this session cannot rebuild it."""
    try:
        return decode_value(data)
    except CheckpointError:
        return data


def is_left_as_saved(value: Any) -> bool:
    """True for a type, dataclass or enum value that `decoded_or_saved` could not rebuild and
    left as the saved data: a tagged JSON object (``{"__wfkit__": "type", "name": ...}``)."""
    return isinstance(value, dict) and TAG in value


def why_left_as_saved(saved: Any) -> str:
    """Why `saved` could not be rebuilt in this session, in the decoder's words ("" if it can)."""
    try:
        decode_value(saved)
    except CheckpointError as error:
        return str(error)
    return ""


def missing_types(saved: Any) -> list[str]:
    """The type names in `saved` (a value `decoded_or_saved` left as saved) that this session
    has no registered class for: why it could not be rebuilt. ``["__main__.Verdict"]`` means
    the cell that defines ``Verdict`` has not run yet (or the module that does is not imported)."""
    return [name for name in type_names_in(saved) if class_for(name) is None]


def _message(entry: dict[str, Any]) -> Message:
    try:
        return decode_message(entry)
    except CheckpointError:
        # The message itself is readable; its payload (or the request it answers) is not.
        message = decode_message({**entry, "data": None, "original_request": None})
        message.payload = decoded_or_saved(entry["data"])
        message.request = _request(entry["original_request"]) if entry.get("original_request") else None
        return message


def _request(entry: dict[str, Any]) -> PendingRequest:
    try:
        return decode_request(entry)
    except CheckpointError:
        request = decode_request({**entry, "data": None, "response_type": None})
        request.data = decoded_or_saved(entry["data"])
        request.response_type = decoded_or_saved(entry["response_type"])
        return request


def parent_id(checkpoint: WorkflowCheckpoint) -> str:
    """The id of the checkpoint the run was at before this one ("" for a run's first)."""
    return str(checkpoint.metadata.get(PARENT_KEY) or "")


def failed_executor_id(checkpoint: WorkflowCheckpoint) -> str | None:
    """The executor whose error failed the run, for the checkpoint a failed run saved last; None
    for any other checkpoint, for a failure that was no executor's (a run timeout), and for a
    checkpoint saved before wfkit recorded it."""
    executor_id = checkpoint.metadata.get(FAILED_EXECUTOR_KEY)
    return executor_id if isinstance(executor_id, str) else None


def run_id(checkpoint: WorkflowCheckpoint) -> str:
    """The id every checkpoint of one run shares ("" for a checkpoint saved before runs had ids)."""
    return str(checkpoint.metadata.get(RUN_ID_KEY) or "")


def request_ids(checkpoint: WorkflowCheckpoint) -> set[str]:
    """The ids of the requests `checkpoint` waits on, without decoding what they ask."""
    return {str(entry.get("request_id")) for entry in checkpoint.pending_requests}
