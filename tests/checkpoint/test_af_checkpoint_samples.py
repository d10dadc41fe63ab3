"""Checkpoints read the way Agent Framework's checkpoint_with_resume samples read them (both eras):
`cp.messages` grouped by sender, `get_checkpoint_summary(cp)`, and checkpoints saved before
wfkit grouped its messages still load and resume."""

from __future__ import annotations

import json

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from wfkit import (
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    RequestInfoEvent,
    RequestInfoExecutor,
    WorkflowCheckpointSummary,
    get_checkpoint_summary,
)
from wfkit.checkpoint import get_checkpoint_summary as from_the_checkpoint_package


def saved_run(storage):
    result = run(release_notes_workflow(storage).run("Launch the grinder at $249"))
    return result, sorted(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)


def test_messages_are_a_dict_of_lists_keyed_by_the_sending_executor():
    _, checkpoints = saved_run(InMemoryCheckpointStorage())
    first = checkpoints[0]  # after prepare_brief sent its DraftRequest to the writer
    assert list(first.messages) == ["prepare_brief"]
    assert sum(len(v) for v in first.messages.values()) == 1  # as the samples count them
    [entry] = first.messages["prepare_brief"]
    assert (entry["source_id"], entry["target_id"], entry["type"]) == ("prepare_brief", "writer", "standard")
    assert "data" in entry


def test_get_checkpoint_summary_is_exported_and_is_the_one_summary():
    assert get_checkpoint_summary is from_the_checkpoint_package
    _, checkpoints = saved_run(InMemoryCheckpointStorage())
    newest = checkpoints[-1]
    summary = get_checkpoint_summary(newest)
    assert isinstance(summary, WorkflowCheckpointSummary)
    assert summary == newest.summary() == RequestInfoExecutor.checkpoint_summary(newest)


def test_the_summary_has_agent_frameworks_fields():
    result, checkpoints = saved_run(InMemoryCheckpointStorage())
    summary = get_checkpoint_summary(checkpoints[-1])
    assert summary.executor_ids == sorted(checkpoints[-1].executor_states)
    assert "review_gateway" in summary.executor_ids
    assert summary.status == "awaiting human response"
    assert isinstance(summary.timestamp, str) and summary.iteration_count == checkpoints[-1].iteration_count
    [ask] = result.get_request_info_events()
    [pending] = summary.pending_request_info_events
    assert isinstance(pending, RequestInfoEvent)
    assert (pending.request_id, pending.source_executor_id, pending.data) == (
        ask.request_id, ask.source_executor_id, ask.data)


def test_a_checkpoint_file_with_the_old_flat_message_list_still_loads_and_resumes(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    _, checkpoints = saved_run(storage)
    first = checkpoints[0]
    # Write the first checkpoint back as wfkit wrote it before messages were grouped (version 1).
    path = next(p for p in tmp_path.glob("*.json") if first.checkpoint_id in p.name)
    data = json.loads(path.read_text())
    data["version"] = 1
    data["messages"] = [
        {"source_ids": e["source_ids"], "target_id": e["target_id"], "payload": e["data"], "request": None}
        for e in first.all_messages()
    ]
    path.write_text(json.dumps(data))
    loaded = run(storage.load_checkpoint(first.checkpoint_id))
    assert list(loaded.messages) == ["prepare_brief"]
    resumed = run(release_notes_workflow().run_from_checkpoint(first.checkpoint_id, storage))
    assert len(resumed.get_request_info_events()) == 1  # on to the same review question
