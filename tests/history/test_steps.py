"""A run's history, superstep by superstep (`wfkit.history`): what ran, what was waiting, what
changed, from events and from checkpoints (in this process and in a fresh one), and forks that
give a step another answer."""

from __future__ import annotations

import pytest

from tests.conftest import run, run_in_new_process
from tests.history.workflows import Approval, approval_workflow, failing_workflow, fan_workflow, loop_workflow
from wfkit import FileCheckpointStorage, WorkflowFailedError, WorkflowRunError, WorkflowRunState
from wfkit.history import RunHistory
from wfkit.notebook import explore
from wfkit.notebook import run as notebook_run


def recorded(build, message, tmp_path, *, load=True):
    """Run `build(storage)` with `message`; its history (states loaded), storage and events."""
    storage = FileCheckpointStorage(tmp_path)
    workflow = build(storage)

    async def scenario():
        try:
            events = list(await workflow.run(message))
        except WorkflowFailedError as error:
            events = list(error.events)
        history = RunHistory.from_events(workflow, events, factory=lambda: build(storage))
        if load:
            await history.load_checkpoints()
        return history, events, await storage.list_checkpoints(workflow.id)

    history, events, checkpoints = run(scenario())
    return history, storage, events, checkpoints


def sent(step):
    return [(m.source, m.target, m.preview) for m in step.messages]


# --- fan-out / fan-in ------------------------------------------------------------------------


def test_a_fan_out_and_fan_in_run_has_one_step_per_wave_with_who_ran_and_their_statuses(tmp_path):
    history, _, _, _ = recorded(fan_workflow, "Ab", tmp_path)
    assert [step.number for step in history.steps] == [1, 2, 3]
    assert [step.ran for step in history.steps] == [["split"], ["upper", "lower"], ["join"]]
    assert history.steps[0].statuses == {"split": "done", "upper": "idle", "lower": "idle", "join": "idle"}
    assert history.steps[1].statuses == {"split": "done", "upper": "done", "lower": "done", "join": "idle"}
    assert set(history.steps[2].statuses.values()) == {"done"}
    assert history.branch.ending == "finished" and not any(step.failed for step in history.steps)


def test_the_messages_waiting_after_each_step_name_their_sender_receiver_and_value(tmp_path):
    history, _, _, _ = recorded(fan_workflow, "Ab", tmp_path)
    first, second, last = history.steps
    assert sent(first) == [("split", "upper", "'Ab'"), ("split", "lower", "'Ab'")]
    # The join's one delivery is told as one message per sender, each with its own item.
    assert sent(second) == [("upper", "join", "'AB'"), ("lower", "join", "'ab'")]
    assert {m.type_name for m in first.messages + second.messages} == {"str"}
    assert sent(last) == []
    assert first.changes.new_messages == first.messages


def test_states_and_changes_after_each_step_are_the_ones_its_checkpoint_holds(tmp_path):
    history, _, _, checkpoints = recorded(fan_workflow, "Ab", tmp_path)
    by_number = {cp.iteration_count: cp for cp in checkpoints}
    for step in history.steps:
        assert step.checkpoint_id == by_number[step.number].checkpoint_id
    first, second, last = history.steps
    assert first.shared_state == {"text": "Ab"} and first.executor_states == {}
    assert second.executor_states == {"upper": {"made": "AB"}}
    assert last.shared_state == {"text": "Ab", "joined": "AB+ab"}
    assert (first.changes.added, second.changes.added, last.changes.added) == (
        ["shared:text"], ["upper:made"], ["shared:joined"]
    )
    assert [step.changes.changed for step in history.steps] == [[], [], []]
    assert last.outputs == ["AB+ab"] and last.changes.outputs == ["'AB+ab'"]
    assert "output: 'AB+ab'" in last.changes.lines() and "state added: shared:joined" in last.changes.lines()


def test_before_the_checkpoints_are_read_the_states_are_unknown_and_no_step_can_be_forked(tmp_path):
    history, _, _, _ = recorded(fan_workflow, "Ab", tmp_path, load=False)
    assert [step.ran for step in history.steps] == [["split"], ["upper", "lower"], ["join"]]
    assert all(step.shared_state is None and step.executor_states is None for step in history.steps)
    assert all(step.checkpoint_id is None for step in history.steps)
    assert all(step.changes.added == [] for step in history.steps)
    # The events alone still say what was in flight between steps.
    assert sent(history.steps[0]) == [("split", "upper", "'Ab'"), ("split", "lower", "'Ab'")]
    with pytest.raises(WorkflowRunError, match="Step 1 has no checkpoint to fork from.*with_checkpointing"):
        run(history.fork(1, {}))
    assert [branch.name for branch in history.branches] == ["main"]


def test_a_workflow_without_checkpointing_cannot_be_forked_and_says_how_to_fix_it():
    workflow = fan_workflow()
    history = RunHistory.from_events(workflow, run(workflow.run("Ab")))
    run(history.load_checkpoints())  # nothing to load: no storage
    assert history.storage is None and history.steps[0].shared_state is None
    with pytest.raises(WorkflowRunError, match=r"no checkpoint.*\.with_checkpointing\(storage\)"):
        run(history.fork(2, {}))


def test_asking_for_a_step_that_does_not_exist_names_the_steps_there_are(tmp_path):
    history, _, _, _ = recorded(fan_workflow, "Ab", tmp_path)
    with pytest.raises(IndexError, match="steps 1 to 3"):
        history.step(9)
    assert history.step(2) is history.steps[1]


# --- a loop ------------------------------------------------------------------------------------


def test_a_loop_is_one_step_per_round_with_the_counter_changing_each_round(tmp_path):
    history, _, _, _ = recorded(loop_workflow, 0, tmp_path)
    assert [step.ran for step in history.steps] == [["count"], ["count"], ["count"], ["report"]]
    assert [sent(step) for step in history.steps] == [
        [("count", "count", "1")], [("count", "count", "2")], [("count", "report", "3")], []
    ]
    assert [step.shared_state for step in history.steps] == [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 3}]
    assert [step.changes.added for step in history.steps] == [["shared:n"], [], [], []]
    assert [step.changes.changed for step in history.steps] == [[], ["shared:n"], ["shared:n"], []]
    assert history.steps[2].statuses == {"count": "done", "report": "idle"}
    assert history.steps[3].statuses == {"count": "done", "report": "done"}
    assert history.steps[3].outputs == ["counted to 3"]


def test_the_loop_read_from_its_checkpoints_alone_matches_the_one_read_from_its_events(tmp_path):
    from_events, storage, _, _ = recorded(loop_workflow, 0, tmp_path)
    from_storage = run(RunHistory.from_storage(storage, lambda: loop_workflow(storage)))
    assert len(from_storage.branches) == 1
    for by_events, by_checkpoints in zip(from_events.steps, from_storage.steps, strict=True):
        assert by_checkpoints.ran == by_events.ran
        assert by_checkpoints.statuses == by_events.statuses
        assert sent(by_checkpoints) == sent(by_events)
        assert by_checkpoints.shared_state == by_events.shared_state
        assert by_checkpoints.checkpoint_id == by_events.checkpoint_id
        assert (by_checkpoints.changes.added, by_checkpoints.changes.changed) == (
            by_events.changes.added, by_events.changes.changed
        )


# --- a failure ---------------------------------------------------------------------------------


def test_the_step_an_executor_fails_in_is_marked_failed_and_its_work_is_not_shown_as_kept(tmp_path):
    history, _, _, _ = recorded(failing_workflow, "x", tmp_path)
    assert history.branch.ending == "failed"
    good, bad = history.steps
    assert (good.failed, good.ran, good.shared_state) == (False, ["prepare"], {"prepared": "x"})
    assert (bad.failed, bad.ran) == (True, ["explode"])
    assert bad.statuses == {"prepare": "done", "explode": "failed"}
    assert bad.checkpoint_id is None and bad.shared_state is None  # the failed step's work was dropped
    assert "shared:never" not in bad.changes.added
    assert "failed" in repr(bad)


def test_forking_the_failed_step_raises_saying_it_has_no_checkpoint(tmp_path):
    history, _, _, _ = recorded(failing_workflow, "x", tmp_path)
    with pytest.raises(WorkflowRunError, match="Step 2 has no checkpoint to fork from"):
        run(history.fork(2, {}))
    assert len(history.branches) == 1


def test_a_fork_whose_run_fails_again_is_kept_as_a_failed_branch_and_the_failure_is_raised(tmp_path):
    history, _, _, _ = recorded(failing_workflow, "x", tmp_path)
    with pytest.raises(WorkflowFailedError, match="cannot handle x"):
        run(history.fork(1, {}))
    assert [branch.name for branch in history.branches] == ["main", "fork 1"]
    fork = history.branch
    assert (fork.name, fork.ending, fork.from_step, fork.parent) == ("fork 1", "failed", 1, "main")
    assert [step.number for step in fork.own_steps()] == [2] and fork.steps[-1].failed
    assert fork.steps[-1].statuses["explode"] == "failed"
    assert fork.steps[-1].statuses["prepare"] == "done"  # ran before the fork's checkpoint
    assert "fork 1, from step 1 of main" in history.tree() and "failed" in history.tree().splitlines()[1]


def test_a_failed_run_read_from_its_checkpoints_ends_failed_without_the_dropped_state(tmp_path):
    _, storage, _, _ = recorded(failing_workflow, "x", tmp_path)
    history = run(RunHistory.from_storage(storage, lambda: failing_workflow(storage)))
    assert history.branch.ending == "failed"
    assert [step.number for step in history.steps] == [1, 2]
    assert history.steps[-1].failed and history.steps[-1].statuses["explode"] == "failed"
    assert history.steps[-1].ran == ["explode"] and history.steps[-1].checkpoint_id is None
    assert "never" not in (history.steps[-1].shared_state or {})


# --- a human request -----------------------------------------------------------------------------


def test_a_request_is_open_after_the_step_that_asked_it_and_answered_in_the_step_after(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = approval_workflow(storage)

    async def scenario():
        paused = list(await workflow.run("cats"))
        history = RunHistory.from_events(workflow, paused)
        await history.load_checkpoints()
        at_pause = history.branch.ending, [s.number for s in history.steps]
        [request_id] = history.steps[-1].pending_requests
        answered = list(await workflow.send_responses({request_id: True}))
        history.read_events(paused + answered)
        await history.load_checkpoints()
        return history, at_pause, request_id

    history, at_pause, request_id = run(scenario())
    assert at_pause == ("paused", [1, 2])
    asked, answered, published = history.steps[1:]
    request = asked.pending_requests[request_id]
    assert (request.executor_id, request.response_type, request.data) == ("gate", bool, Approval("Draft about cats"))
    assert "Draft about cats" in request.preview
    assert asked.statuses["gate"] == "waiting" and asked.changes.requests_asked == [request_id]
    assert asked.executor_states == {"gate": {"asked": "Draft about cats"}} and asked.changes.added == ["gate:asked"]
    assert answered.ran == ["gate"] and answered.pending_requests == {}
    assert answered.changes.requests_answered == [request_id] and answered.changes.requests_asked == []
    assert answered.statuses["gate"] == "done" and answered.changes.added == ["gate:approved"]
    assert sent(answered) == [("gate", "publish", "'Draft about cats'")]
    assert published.outputs == ["published: Draft about cats"]
    assert history.branch.ending == "finished"


def test_a_paused_run_resumed_from_its_checkpoint_reads_back_as_one_branch(tmp_path):
    """Each checkpoint of the resumed run names the one before it as its parent, not the
    checkpoint the run was resumed from: two steps after a resume are one chain, not two forks."""
    storage = FileCheckpointStorage(tmp_path)
    paused = run(approval_workflow(storage).run("cats"))
    [request] = paused.get_request_info_events()
    [at_pause] = [cp for cp in run(storage.list_checkpoints()) if cp.iteration_count == 2]
    resumed = approval_workflow(storage)  # a fresh workflow, as a new session would build
    run(resumed.run_from_checkpoint(at_pause.checkpoint_id, responses={request.request_id: True}))
    history = run(RunHistory.from_storage(storage, lambda: approval_workflow(storage)))
    assert [branch.name for branch in history.branches] == ["main"]
    assert [step.ran for step in history.steps] == [["draft"], ["gate"], ["gate"], ["publish"]]
    assert history.branch.ending == "finished"


def approved_run(tmp_path):
    """The approval workflow run in the notebook with the answer True, and its storage."""
    storage = FileCheckpointStorage(tmp_path)
    workflow = approval_workflow(storage)
    result = run(notebook_run(workflow, "cats", answers=[True], show=False))
    return result, storage


def test_exploring_a_notebook_run_reads_its_steps_and_their_states(tmp_path):
    result, storage = approved_run(tmp_path)
    assert result.final_state is WorkflowRunState.IDLE

    async def scenario():
        explorer = explore(result, factory=lambda: approval_workflow(storage), show=False)
        before = explorer.history.steps[0].shared_state  # read in the background
        await explorer
        return explorer.history, before

    history, before = run(scenario())
    assert before is None
    assert [step.ran for step in history.steps] == [["draft"], ["gate"], ["gate"], ["publish"]]
    assert history.steps[0].shared_state == {"draft": "Draft about cats"}
    assert history.steps[2].executor_states == {"gate": {"asked": "Draft about cats", "approved": True}}
    assert history.steps[-1].outputs == result.outputs == ["published: Draft about cats"]
    assert history.branch.ending == "finished"


def test_exploring_a_result_with_its_workflow_or_as_a_pair_gives_the_same_steps(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = fan_workflow(storage)
    result = run(workflow.run("Ab"))

    async def scenario():
        with_keyword = await explore(result, workflow=workflow, show=False)
        as_pair = await explore((result, workflow), show=False)
        as_events = await explore(list(result), workflow=workflow, show=False)
        return with_keyword.history, as_pair.history, as_events.history

    for history in run(scenario()):
        assert [step.ran for step in history.steps] == [["split"], ["upper", "lower"], ["join"]]
        assert history.steps[1].executor_states == {"upper": {"made": "AB"}}
        assert history.storage is storage  # the workflow's own


def test_a_fork_with_another_answer_ends_differently_and_becomes_a_second_branch(tmp_path):
    result, storage = approved_run(tmp_path)

    async def scenario():
        history = RunHistory.from_events(result.workflow, result.events, factory=lambda: approval_workflow(storage))
        await history.load_checkpoints()
        [request_id] = history.step(2).pending_requests
        main_step_2 = history.step(2).changes
        forked = await history.fork(2, {request_id: False})
        return history, forked, request_id, main_step_2

    history, forked, request_id, main_step_2 = run(scenario())
    assert forked.get_outputs() == ["rejected: Draft about cats"]
    assert [branch.name for branch in history.branches] == ["main", "fork 1"]
    fork = history.branch  # the fork is shown
    assert (fork.name, fork.parent, fork.from_step, fork.ending) == ("fork 1", "main", 2, "finished")
    assert fork.from_checkpoint == history.branches[0].steps[1].checkpoint_id
    assert [step.number for step in fork.steps] == [1, 2, 3]
    assert fork.steps[:2] == history.branches[0].steps[:2]  # shared with the run it left
    ending = fork.steps[-1]
    assert ending.ran == ["gate"] and ending.outputs == ["rejected: Draft about cats"]
    assert ending.changes.requests_answered == [request_id] and ending.changes.added == ["gate:approved"]
    assert ending.executor_states == {"gate": {"asked": "Draft about cats", "approved": False}}
    assert ending.statuses == {"draft": "done", "gate": "done", "publish": "idle"}
    assert ending.checkpoint_id not in {step.checkpoint_id for step in history.branches[0].steps}
    assert history.step(2).changes == main_step_2  # the shared step is not changed by the fork
    tree = history.tree().splitlines()
    assert tree[0] == "main: steps 1–4, finished"
    assert tree[1].startswith("└─ fork 1, from step 2 of main (checkpoint ") and tree[1].endswith("steps 3–3, finished")
    history.switch_to("main")
    assert history.steps[-1].outputs == ["published: Draft about cats"]
    with pytest.raises(KeyError, match="fork 1"):
        history.switch_to("fork 9")


def test_a_fork_of_a_step_its_branch_shares_leaves_from_the_branch_that_recorded_it(tmp_path):
    """Fork 1 left at step 2; a fork from step 2 while fork 1 is shown is main's step 2 again:
    both forks are children of main, from one checkpoint. A fork of fork 1's own step 3 would
    be fork 1's child."""
    result, storage = approved_run(tmp_path)

    async def scenario():
        history = RunHistory.from_events(result.workflow, result.events, factory=lambda: approval_workflow(storage))
        await history.load_checkpoints()
        [request_id] = history.step(2).pending_requests
        await history.fork(2, {request_id: False})
        assert history.branch.name == "fork 1"  # shown, and its step 2 is main's
        await history.fork(2, {request_id: True})
        return history

    history = run(scenario())
    main, fork_1, fork_2 = history.branches
    assert [(b.name, b.parent, b.from_step) for b in (fork_1, fork_2)] == [("fork 1", "main", 2), ("fork 2", "main", 2)]
    assert fork_1.from_checkpoint == fork_2.from_checkpoint == main.steps[1].checkpoint_id
    assert history.recorded_by(fork_2.steps[1]) is main and history.recorded_by(fork_2.steps[-1]) is fork_2
    assert history.branch is fork_2 and history.tree(mark_shown=True).splitlines()[2].endswith("◀ shown")
    assert "◀" not in history.tree()


def test_each_step_says_what_its_executors_received(tmp_path):
    history, _, _, _ = recorded(approval_workflow, "cats", tmp_path)
    second = history.step(2)
    assert [str(m) for m in second.changes.received] == ["draft -> gate: str 'Draft about cats'"]
    assert second.changes.lines()[0] == "gate received 'Draft about cats' from draft"
    assert history.step(1).changes.lines()[0] == "draft received 'cats', the run's input"


def test_a_message_carrying_a_dataclass_names_its_class_once():
    from wfkit.history import WaitingMessage

    message = WaitingMessage("gateway", "publish", "Notes", "Notes(text='hi', iterations=2)")
    assert str(message) == "gateway -> publish: Notes(text='hi', iterations=2)"
    assert str(WaitingMessage("split", "upper", "str", "'Ab'")) == "split -> upper: str 'Ab'"


def test_steps_read_from_checkpoints_alone_do_not_claim_to_know_their_outputs(tmp_path):
    _, storage, events, _ = recorded(approval_workflow, "cats", tmp_path)
    from_storage = run(RunHistory.from_storage(storage, lambda: approval_workflow(storage)))
    assert not any(step.outputs_recorded for step in from_storage.steps)
    from_events = RunHistory.from_events(approval_workflow(storage), events)
    assert all(step.outputs_recorded for step in from_events.steps)


# --- a new session -------------------------------------------------------------------------------


def test_a_fresh_process_reads_every_branch_from_the_checkpoints_as_this_one_recorded_them(tmp_path):
    result, storage = approved_run(tmp_path)

    async def scenario():
        history = RunHistory.from_events(result.workflow, result.events, factory=lambda: approval_workflow(storage))
        await history.load_checkpoints()
        [request_id] = history.step(2).pending_requests
        await history.fork(2, {request_id: False})
        return history, request_id

    here, request_id = run(scenario())
    there = run_in_new_process("tests.history.fresh_session", str(tmp_path))
    assert there["tree"] == here.tree()
    assert [b["name"] for b in there["branches"]] == ["main", "fork 1"]
    for branch, theirs in zip(here.branches, there["branches"], strict=True):
        assert (theirs["parent"], theirs["from_step"], theirs["from_checkpoint"], theirs["ending"]) == (
            branch.parent, branch.from_step, branch.from_checkpoint, branch.ending
        )
        for step, their in zip(branch.steps, theirs["steps"], strict=True):
            assert their["number"] == step.number
            assert their["ran"] == step.ran
            assert their["statuses"] == step.statuses
            assert their["messages"] == [list(m) for m in sent(step)]
            assert their["shared_state"] == step.shared_state
            assert their["executor_states"] == step.executor_states
            assert their["checkpoint_id"] == step.checkpoint_id
            assert list(their["pending"]) == list(step.pending_requests)
            assert (their["added"], their["changed"]) == (step.changes.added, step.changes.changed)
            assert (their["asked"], their["answered"]) == (
                step.changes.requests_asked, step.changes.requests_answered
            )
    main, fork = there["branches"]
    assert main["steps"][1]["pending"] == {request_id: ["gate", "Approval(draft='Draft about cats')"]}
    assert main["steps"][1]["added"] == ["gate:asked"]  # not changed by reading the fork after it
    assert fork["steps"][-1]["executor_states"]["gate"]["approved"] is False
    assert main["steps"][-1]["executor_states"]["gate"]["approved"] is True
    assert there["explorer"] == {"slider": {"stops": ["1", "2", "3", "4"], "at": 4}, "branches": ["main", "fork 1"], "static_steps": 4}


def test_a_fresh_process_can_fork_a_paused_run_it_did_not_start(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    paused = run(approval_workflow(storage).run("cats"))
    assert paused.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    there = run_in_new_process("tests.history.fresh_session", str(tmp_path), "approval", "--fork", "2", "true")
    assert there["fork_outputs"] == ["published: Draft about cats"]
    main, fork = there["branches"]
    assert main["ending"] == "paused" and [s["number"] for s in main["steps"]] == [1, 2]
    assert main["steps"][1]["statuses"]["gate"] == "waiting"
    assert (fork["ending"], fork["from_step"]) == ("finished", 2)
    assert [s["ran"] for s in fork["steps"]] == [["draft"], ["gate"], ["gate"], ["publish"]]
    assert fork["steps"][2]["messages"] == [["gate", "publish", "'Draft about cats'"]]
    assert fork["steps"][-1]["statuses"] == {"draft": "done", "gate": "done", "publish": "done"}


def test_a_fresh_process_reads_a_fan_out_and_fan_in_from_its_checkpoints(tmp_path):
    here, _, _, _ = recorded(fan_workflow, "Ab", tmp_path)
    there = run_in_new_process("tests.history.fresh_session", str(tmp_path), "fan")
    [main] = there["branches"]
    assert [s["ran"] for s in main["steps"]] == [step.ran for step in here.steps]
    assert [s["messages"] for s in main["steps"]] == [[list(m) for m in sent(step)] for step in here.steps]
    assert [s["statuses"] for s in main["steps"]] == [step.statuses for step in here.steps]
    assert main["steps"][-1]["shared_state"] == {"text": "Ab", "joined": "AB+ab"}
