"""A functional run's memory as a `WorkflowCheckpoint`, and back: how it is saved and restored.

The checkpoint is the same kind a graph run saves, and its fields mean what they mean there,
so the checkpoint tools read it (`get_checkpoint_summary`, `read_contents`, the storages'
``list_checkpoints(workflow_name=...)`` and ``get_latest``):

- ``workflow_id``: the workflow's name;
- ``executor_states``: one entry per step, ``{"calls": [...]}``, each call with its arguments,
  its place among such calls (``occurrence``), its ``result`` and the numbered questions it asked;
- ``shared_state``: what ``ctx.set_state`` kept;
- ``pending_requests``: the questions waiting for an answer, asked by the workflow;
- ``iteration_count``: how many step calls have finished;
- ``metadata["functional"]``: the input the function is called with, and every answer so far.

Every value goes through the safe codec (plain JSON, registered type names, never pickle), so a
step result that is not data cannot be saved: the error names the step.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from ..checkpoint.codec import decode_value, encode_value
from ..checkpoint.model import PARENT_KEY, WorkflowCheckpoint
from ..checkpoint.persistence import (
    GRAPH_KEY,
    RUN_ID_KEY,
    check_request_entry,
    decode_request,
    encode_request,
    naming_the_checkpoint,
)
from ..checkpoint.registry import register_types_from_annotation
from ..core.events import WorkflowRunState
from ..errors import CheckpointEncodingError, CheckpointFormatError, CheckpointGraphMismatchError
from .memory import RunMemory, StepJournal, StepRecord

if TYPE_CHECKING:
    from .workflow import FunctionalWorkflow

FUNCTIONAL_KEY = "functional"  # in `metadata`: what only a functional run saves


def checkpoint_of(workflow: FunctionalWorkflow, memory: RunMemory, status: WorkflowRunState) -> WorkflowCheckpoint:
    """`memory` written down as a checkpoint of `workflow`, the run standing at `status`.

    Raises `CheckpointEncodingError` for a value that is not data, naming where it is.
    """
    if not memory.run_id:  # the first checkpoint of a run names it; the later ones share the name
        memory.run_id = str(uuid.uuid4())
    steps: dict[str, dict[str, Any]] = {}
    for record in memory.steps.records.values():
        if record.save_error is not None:
            raise CheckpointEncodingError(
                f"{record.save_error} A run that is saved, or that pauses for an answer, keeps each step's "
                "result as data, to hand it back when the function runs again."
            ) from record.save_error
        steps.setdefault(record.step, {"calls": []})["calls"].append(
            {
                "arguments": record.arguments,
                "occurrence": record.occurrence,
                "result": record.saved_result,
                "questions": record.questions,
            }
        )
    return WorkflowCheckpoint(
        workflow_id=workflow.name,
        shared_state={key: _saved(value, f"state {key!r}") for key, value in memory.state.items()},
        executor_states=steps,
        pending_requests=[encode_request(request) for request in memory.pending.values()],
        iteration_count=len(memory.steps),
        run_state=status.name,
        graph_signature=workflow.signature(),
        metadata={
            RUN_ID_KEY: memory.run_id,
            PARENT_KEY: memory.last_checkpoint_id,
            GRAPH_KEY: workflow.describe(),
            FUNCTIONAL_KEY: {
                "input": _saved(memory.message, f"the input of workflow '{workflow.name}'"),
                "answers": {rid: _saved(answer, f"the answer to request {rid!r}") for rid, answer in memory.answers.items()},
            },
        },
    )


def _saved(value: Any, where: str) -> Any:
    register_types_from_annotation(type(value))  # a dataclass made in this run may be saved
    return encode_value(value, where=where)


def memory_from(workflow: FunctionalWorkflow, checkpoint: WorkflowCheckpoint) -> RunMemory:
    """The memory `checkpoint` saved, to replay `workflow` from; refuses another workflow's."""
    check_same_workflow(workflow, checkpoint)
    with naming_the_checkpoint(checkpoint):
        saved = checkpoint.metadata[FUNCTIONAL_KEY]
        if not isinstance(saved, dict) or not isinstance(saved.get("answers", {}), dict):
            raise CheckpointFormatError(f"metadata[{FUNCTIONAL_KEY!r}] is damaged. {_DAMAGED}")
        for index, entry in enumerate(checkpoint.pending_requests):
            check_request_entry(entry, f"pending_requests[{index}]")
        return RunMemory(
            message=decode_value(saved.get("input"), where="the workflow's input"),
            steps=StepJournal(_records(checkpoint)),
            state={key: decode_value(value, where=f"state {key!r}") for key, value in checkpoint.shared_state.items()},
            answers={
                rid: decode_value(answer, where=f"the answer to request {rid!r}")
                for rid, answer in saved.get("answers", {}).items()
            },
            pending={r.request_id: r for r in map(decode_request, checkpoint.pending_requests)},
            run_id=str(checkpoint.metadata.get(RUN_ID_KEY, "")),
            last_checkpoint_id=checkpoint.checkpoint_id,
        )


_DAMAGED = "The checkpoint was edited, or not written by wfkit: restore another one."


def _records(checkpoint: WorkflowCheckpoint) -> list[StepRecord]:
    records = []
    for step, entry in checkpoint.executor_states.items():
        calls = entry.get("calls")
        if not isinstance(calls, list):
            raise CheckpointFormatError(f"executor_states[{step!r}] has no list of 'calls'. {_DAMAGED}")
        for index, call in enumerate(calls):
            where = f"executor_states[{step!r}]['calls'][{index}]"
            if not (isinstance(call, dict) and isinstance(call.get("arguments"), dict) and type(call.get("occurrence")) is int):
                raise CheckpointFormatError(f"{where} is damaged (arguments or occurrence missing). {_DAMAGED}")
            result = decode_value(call.get("result"), where=f"the result of step '{step}' ({where})")
            records.append(
                StepRecord(step, call["arguments"], call["occurrence"], result, call.get("result"), None, call.get("questions", 0))
            )
    return records


def check_same_workflow(workflow: FunctionalWorkflow, checkpoint: WorkflowCheckpoint) -> None:
    """Refuse a checkpoint that another workflow saved, or this one before its code changed."""
    if FUNCTIONAL_KEY not in checkpoint.metadata:
        raise CheckpointGraphMismatchError(
            f"Checkpoint {checkpoint.checkpoint_id} was saved by the graph workflow '{checkpoint.workflow_id}', not "
            f"by the functional workflow '{workflow.name}'. Restore it with that workflow's run(checkpoint_id=...)."
        )
    if checkpoint.graph_signature == workflow.signature():
        return
    saved = checkpoint.metadata.get(GRAPH_KEY) or {}
    now = workflow.describe()
    differences = []
    if saved.get("workflow") != now["workflow"]:
        differences.append(f"it belongs to workflow {saved.get('workflow')!r}, not {now['workflow']!r}")
    if missing := sorted(set(saved.get("steps", [])) - set(now["steps"])):
        differences.append(f"steps {missing} are not called any more")
    if added := sorted(set(now["steps"]) - set(saved.get("steps", []))):
        differences.append(f"steps {added} are new")
    raise CheckpointGraphMismatchError(
        f"Checkpoint {checkpoint.checkpoint_id} was saved by a different version of workflow '{workflow.name}': "
        f"{'; '.join(differences) or 'the code of its function has changed since'}. Its steps' results may not "
        "fit the function as it is now: start a new run, or restore a checkpoint saved by this version."
    )
