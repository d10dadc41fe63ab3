"""Forking with edits: resume a step with its shared state or an executor's state changed.

"What if the counter had been 5 here?" A fork answers it without rerunning anything before the
step: `RunHistory.fork(3, state={"n": 5})` takes the checkpoint saved after step 3, writes a
copy with the edits in it (the original is never changed), and resumes from the copy::

    await history.fork(3, state={"n": 5}, executor_states={"writer": {"tone": "formal"}})

Each edit is checked before anything runs. A key the step's shared state does not have, an
executor the workflow does not have (or a key its state does not have), or a value a checkpoint
cannot hold is refused with a `ForkEditError` that names it; nothing is saved then.

The copy is an ordinary checkpoint: a new id, the same step number, its parent the checkpoint it
was copied from, and ``metadata["edited"]`` listing what was changed, so any reader of the
storage sees both that the fork was edited and how.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import TYPE_CHECKING, Any, Mapping

from ..checkpoint.codec import decode_value, encode_value
from ..checkpoint.model import PARENT_KEY, WorkflowCheckpoint
from ..errors import CheckpointError, ForkEditError

from .records import Superstep

if TYPE_CHECKING:
    from ..checkpoint.storage.base import CheckpointStorage

EDITED_KEY = "edited"  # in a copied checkpoint's metadata: {"shared:n": "5", ...}, what was changed


def edit_names(state: Mapping[str, Any] | None, executor_states: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """The edits as one flat dict, keys written as the explorer writes them: ``shared:n``,
    ``writer:tone``."""
    flat = {f"shared:{key}": value for key, value in (state or {}).items()}
    for executor_id, values in (executor_states or {}).items():
        flat.update({f"{executor_id}:{key}": value for key, value in values.items()})
    return flat


def edited_copy(
    checkpoint: WorkflowCheckpoint,
    executor_ids: set[str],
    state: Mapping[str, Any] | None,
    executor_states: Mapping[str, Mapping[str, Any]] | None,
) -> WorkflowCheckpoint:
    """A copy of `checkpoint` with the edits written in; `ForkEditError` names a bad one."""
    shared = dict(checkpoint.shared_state)
    for key, value in (state or {}).items():
        if key not in shared:
            raise ForkEditError(
                f"state={{{key!r}: ...}}: the shared state after step {checkpoint.iteration_count} has no key "
                f"{key!r}; it has {sorted(shared) or 'no keys at all'}. Edit one of those.",
                edit=f"shared:{key}",
            )
        shared[key] = _encoded(value, f"state[{key!r}]", f"shared:{key}")
    states = {eid: dict(values) for eid, values in checkpoint.executor_states.items()}
    for executor_id, values in (executor_states or {}).items():
        if executor_id not in executor_ids:
            raise ForkEditError(
                f"executor_states={{{executor_id!r}: ...}}: the workflow has no executor {executor_id!r}; "
                f"it has {sorted(executor_ids)}."
            )
        if not isinstance(values, Mapping):
            raise ForkEditError(
                f"executor_states[{executor_id!r}] must be a dict of the keys to change, not a {type(values).__name__}."
            )
        kept = states.get(executor_id)
        saved = decode_value(kept) if kept is not None else {}
        for key, value in values.items():
            if not isinstance(saved, dict) or key not in saved:
                has = sorted(saved) if isinstance(saved, dict) else []
                raise ForkEditError(
                    f"executor_states[{executor_id!r}][{key!r}]: {executor_id}'s state after step "
                    f"{checkpoint.iteration_count} has no key {key!r}; "
                    f"{f'it has {has}' if has else 'it has no state at all'}. Edit one of those.",
                    edit=f"{executor_id}:{key}",
                )
            # Each value checked on its own first, so a refusal names the key that cannot be held.
            _encoded(value, f"executor_states[{executor_id!r}][{key!r}]", f"{executor_id}:{key}")
            saved[key] = value
        states[executor_id] = _encoded(saved, f"executor_states[{executor_id!r}]")
    metadata = dict(checkpoint.metadata)
    metadata[PARENT_KEY] = checkpoint.checkpoint_id
    metadata[EDITED_KEY] = {name: repr(value) for name, value in edit_names(state, executor_states).items()}
    return dataclasses.replace(
        checkpoint,
        checkpoint_id=str(uuid.uuid4()),
        timestamp=WorkflowCheckpoint().timestamp,
        shared_state=shared,
        executor_states=states,
        metadata=metadata,
    )


def _encoded(value: Any, where: str, edit: str = "") -> Any:
    try:
        return encode_value(value, where=where)
    except CheckpointError as error:
        raise ForkEditError(f"{where}: a checkpoint cannot hold this value ({error})", edit=edit) from error


def with_edits(
    step: Superstep, state: Mapping[str, Any] | None, executor_states: Mapping[str, Mapping[str, Any]] | None
) -> Superstep:
    """`step` as the fork starts from it: its recorded states with the edits applied (the step
    itself is left as it is; it belongs to the branch the fork left)."""
    if not state and not executor_states:
        return step
    shared = {**(step.shared_state or {}), **(state or {})}
    states = {eid: dict(values or {}) for eid, values in (step.executor_states or {}).items()}
    for executor_id, values in (executor_states or {}).items():
        states.setdefault(executor_id, {}).update(values)
    return dataclasses.replace(step, shared_state=shared, executor_states=states)


async def save_edited_copy(
    storage: CheckpointStorage,
    checkpoint_id: str,
    executor_ids: set[str],
    state: Mapping[str, Any] | None,
    executor_states: Mapping[str, Mapping[str, Any]] | None,
) -> str:
    """Save the edited copy of the checkpoint `checkpoint_id` in `storage`; its id."""
    original = await storage.load_checkpoint(checkpoint_id)
    return await storage.save_checkpoint(edited_copy(original, executor_ids, state, executor_states))
