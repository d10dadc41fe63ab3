"""The run explorer (`RunExplorer`, `wfkit.notebook.explore`): a slider over a run's supersteps,
one HTML update per move, pictures drawn once, and the cards that fork a new ending (the rule for
forks is tested in test_run_explorer_forks.py, the panels in test_run_explorer_panels.py)."""

from __future__ import annotations

import asyncio
import logging

import pytest

import wfkit.widgets.explorer_page as explorer_page
from tests.conftest import run
from tests.history.workflows import approval_workflow, fan_workflow
from wfkit import FileCheckpointStorage
from wfkit.history import RunHistory
from wfkit.notebook import explore
from wfkit.notebook import run as notebook_run
from wfkit.viz.dot import STATE_COLOURS
from wfkit.widgets.fork_cards import cards_in
from wfkit.widgets.request_card import RequestCard
from wfkit.widgets.run_explorer import RunExplorer


def svg_part(view: str, name: str) -> str:
    """The SVG of one node (``"gate"``) or edge (``"draft->gate"``) in a step's view."""
    key = name.replace("->", "&#45;&gt;") + " -->"
    [part] = [chunk for chunk in view.split("<!-- ") if chunk.startswith(key)]
    return part


def fill_of(view: str, node: str) -> str:
    part = svg_part(view, node)
    return part.split('<path fill="', 1)[1].split('"', 1)[0]


def stops(explorer: RunExplorer) -> list[str]:
    """The slider's stops, one per step, as labelled."""
    return [label for label, _ in explorer.slider.options]


def fan_explorer(tmp_path) -> RunExplorer:
    storage = FileCheckpointStorage(tmp_path)
    workflow = fan_workflow(storage)

    async def scenario():
        return await RunExplorer(RunHistory.from_events(workflow, await workflow.run("Ab")))

    return run(scenario())


def approved_run(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    result = run(notebook_run(approval_workflow(storage), "cats", answers=[True], show=False))
    return result, storage


# --- moving through the steps -----------------------------------------------------------------


def test_the_slider_spans_the_steps_and_starts_at_the_last_one(tmp_path):
    explorer = fan_explorer(tmp_path)
    assert (stops(explorer), explorer.slider.value) == (["1", "2", "3"], 3)
    assert explorer.number == 3
    assert "step 3 of 3" in explorer.view.value and "main (finished)" in explorer.view.value
    assert explorer.branch_picker.options == ("main",) and explorer.branch_picker.layout.display == "none"


def test_moving_the_slider_redraws_the_statuses_and_the_messages_waiting_on_the_edges(tmp_path):
    explorer = fan_explorer(tmp_path)
    done, idle = STATE_COLOURS["done"][0], STATE_COLOURS["idle"][0]
    explorer.slider.value = 1
    first = explorer.view.value
    assert explorer.number == 1 and "Step 1 ran: <b>split</b>" in first
    assert (fill_of(first, "split"), fill_of(first, "upper"), fill_of(first, "join")) == (done, idle, idle)
    assert "1 queued" in svg_part(first, "split->upper") and "1 queued" in svg_part(first, "split->lower")
    assert "queued" not in svg_part(first, "upper->(join 1)")
    explorer.slider.value = 2
    second = explorer.view.value
    assert (fill_of(second, "upper"), fill_of(second, "lower"), fill_of(second, "join")) == (done, done, idle)
    assert "queued" not in svg_part(second, "split->upper")
    assert "1 queued" in svg_part(second, "upper->(join 1)") and "1 queued" in svg_part(second, "lower->(join 1)")
    assert "state added: upper:made" in second and "made" in second  # the panels follow
    explorer.slider.value = 3
    last = explorer.view.value
    assert fill_of(last, "join") == done
    assert "waiting" not in last.split("<svg", 1)[1].split("</svg>", 1)[0]  # nothing waits after the last step


def test_previous_next_and_show_move_one_step_and_stop_at_the_ends(tmp_path):
    explorer = fan_explorer(tmp_path)
    explorer.next.click()
    assert explorer.number == 3  # already at the last
    explorer.previous.click()
    assert (explorer.number, explorer.slider.value) == (2, 2)
    explorer.previous.click()
    explorer.previous.click()
    assert explorer.number == 1
    step = explorer.show(3)
    assert step.number == 3 and explorer.slider.value == 3 and "Step 3 ran: <b>join</b>" in explorer.view.value
    with pytest.raises(IndexError):
        explorer.show(7)


def test_next_on_the_last_step_does_nothing(tmp_path, caplog):
    """No error and no move. (A button swallows what its click handler raises and only logs it,
    so the log must stay empty.)"""
    explorer = fan_explorer(tmp_path)
    shown = explorer.view.value
    with caplog.at_level(logging.WARNING):
        explorer.next.click()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert (explorer.number, explorer.slider.value, explorer.view.value) == (3, 3, shown)


def test_each_move_sets_the_view_exactly_once(tmp_path):
    explorer = fan_explorer(tmp_path)
    sets = []
    explorer.view.observe(lambda change: sets.append(change["new"]), "value")
    for move in (lambda: setattr(explorer.slider, "value", 1), lambda: explorer.show(2),
                 explorer.next.click, explorer.previous.click):
        sets.clear()
        move()
        assert len(sets) == 1
    sets.clear()
    explorer.show(2)  # already shown: nothing to send
    assert sets == []


def test_going_back_to_a_step_already_drawn_does_not_call_graphviz_again(tmp_path, monkeypatch):
    calls = []
    real = explorer_page.dot_to_svg

    def counting(dot, *args, **kwargs):
        calls.append(dot)
        return real(dot, *args, **kwargs)

    monkeypatch.setattr(explorer_page, "dot_to_svg", counting)
    explorer = fan_explorer(tmp_path)
    assert len(calls) == 1  # the last step, shown first
    explorer.show(1)
    explorer.show(2)
    assert len(calls) == 3
    shown = explorer.view.value
    explorer.show(1)
    explorer.show(3)
    explorer.show(2)
    assert len(calls) == 3 and explorer.view.value == shown
    explorer.static_html()
    assert len(calls) == 3


def test_the_static_copy_shows_every_step_and_is_the_html_fallback(tmp_path):
    explorer = fan_explorer(tmp_path)
    page = explorer.static_html()
    assert [f">Step {n}</h4>" in page for n in (1, 2, 3)] == [True, True, True]
    assert page.count("<h4") == 3 and page.count("<svg") == 3
    bundle = explorer._repr_mimebundle_()
    assert "text/html" in bundle and ">Step 2</h4>" in bundle["text/html"]


# --- forks from a card --------------------------------------------------------------------------


def forking_explorer(tmp_path):
    result, storage = approved_run(tmp_path)

    async def scenario():
        return await explore(result, factory=lambda: approval_workflow(storage), show=False)

    return run(scenario())


def the_card(explorer: RunExplorer) -> RequestCard:
    [card] = cards_in(list(explorer.cards.children))
    return card


async def until_forked(explorer: RunExplorer, branches: int) -> None:
    """Wait (on the loop, as a notebook does) until a click's fork has made `branches` branches."""
    for _ in range(500):
        await asyncio.sleep(0.01)
        if not explorer.forking and len(explorer.history.branches) >= branches:
            break
    await asyncio.sleep(0.05)


def test_a_step_with_an_open_request_shows_the_live_runs_card_and_others_show_none(tmp_path):
    explorer = forking_explorer(tmp_path)
    assert explorer.cards.children == ()  # the last step: nothing open
    explorer.show(2)
    card = the_card(explorer)
    assert isinstance(card, RequestCard) and card.kind == "yes/no" and list(card.buttons) == ["Approve", "Reject"]
    assert "<b>gate</b> asks" in card.header.value and "Draft about cats" in card.content.value
    [note] = [w for w in explorer.cards.children if "wfkit-fork-note" in getattr(w, "value", "")]
    assert "Answer here to fork from step 2" in note.value and "as a new branch" in note.value
    assert "gate asks" in explorer.view.value  # the open requests panel
    explorer.show(1)
    assert explorer.cards.children == ()


def test_a_step_without_a_checkpoint_offers_no_fork(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = approval_workflow(storage)
    explorer = RunExplorer(RunHistory.from_events(workflow, run(workflow.run("cats"))))  # checkpoints not read
    assert explorer.history.step(2).pending_requests and explorer.cards.children == ()
    assert "not saved: no checkpoint was taken after this step" in explorer.view.value


def test_answering_the_card_forks_with_its_answer_and_shows_the_new_branch(tmp_path):
    explorer = forking_explorer(tmp_path)

    async def scenario():
        explorer.show(2)
        card = the_card(explorer)
        card.buttons["Reject"].click()
        card.buttons["Reject"].click()  # a second click before the fork is done is ignored
        await until_forked(explorer, 2)
        return card

    card = run(scenario())
    history = explorer.history
    assert [branch.name for branch in history.branches] == ["main", "fork 1"]
    assert history.branch.name == "fork 1" and history.steps[-1].outputs == ["rejected: Draft about cats"]
    assert not explorer.forking and card.answered
    assert (stops(explorer)[-1], explorer.number) == ("3", 3)
    assert explorer.branch_picker.options == ("main", "fork 1") and explorer.branch_picker.value == "fork 1"
    assert explorer.branch_picker.layout.display == ""
    assert "Forked from step 2 of main: fork 1 is shown." in explorer.message.value
    assert "└─ fork 1, from step 2 of main" in explorer.view.value
    explorer.branch_picker.value = "main"
    assert history.branch.name == "main" and stops(explorer)[-1] == "4"
    assert explorer.history.steps[-1].outputs == ["published: Draft about cats"]


def test_the_cards_are_locked_while_a_fork_runs(tmp_path):
    explorer = forking_explorer(tmp_path)
    explorer.show(2)
    card = the_card(explorer)
    explorer.forking = True  # a fork started elsewhere is still running
    assert card.locked and all(button.disabled for button in card.buttons.values())
    explorer.forking = False
    assert not card.locked and not any(button.disabled for button in card.buttons.values())


def test_explorer_fork_from_code_returns_the_result_and_redraws(tmp_path):
    explorer = forking_explorer(tmp_path)
    [request_id] = explorer.history.step(2).pending_requests
    result = run(explorer.fork(2, {request_id: False}))
    assert result.get_outputs() == ["rejected: Draft about cats"]
    assert explorer.number == 3 and explorer.history.branch.name == "fork 1"
    assert "rejected: Draft about cats" in explorer.view.value


def test_the_step_shown_stays_through_a_branch_switch_and_back(tmp_path):
    explorer = forking_explorer(tmp_path)
    [request_id] = explorer.history.step(2).pending_requests
    run(explorer.fork(2, {request_id: False}))  # fork 1: steps 1 to 3, shown at its last
    explorer.show(2)
    explorer.branch_picker.value = "main"
    on_main = (explorer.history.branch.name, explorer.number, explorer.slider.value)
    explorer.branch_picker.value = "fork 1"
    assert on_main == ("main", 2, 2)
    assert (explorer.history.branch.name, explorer.number, explorer.slider.value) == ("fork 1", 2, 2)


def test_a_card_answered_without_a_running_event_loop_says_to_await_fork(tmp_path):
    explorer = forking_explorer(tmp_path)
    explorer.show(2)
    card = the_card(explorer)
    card.buttons["Approve"].click()
    assert "await explorer.fork" in card.status.value
    assert not card.answered and not explorer.forking  # a later click can still fork
    assert len(explorer.history.branches) == 1


# --- explore() ----------------------------------------------------------------------------------


def test_explore_reads_a_checkpoint_storage_with_a_factory(tmp_path):
    _, storage = approved_run(tmp_path)
    explorer = run(_awaited(lambda: explore(storage, factory=lambda: approval_workflow(storage), show=False)))
    assert stops(explorer) == ["1", "2", "3", "4"]
    assert explorer.history.step(1).shared_state == {"draft": "Draft about cats"}


async def _awaited(make):
    return await make()


def test_explore_refuses_what_it_cannot_read_and_says_what_it_takes(tmp_path):
    with pytest.raises(TypeError, match="cannot read int.*wfkit.notebook.run returned.*workflow=.*factory="):
        explore(42, show=False)
    with pytest.raises(TypeError, match="cannot read str"):
        explore("a run", show=False)
    with pytest.raises(TypeError, match=r"pass factory=\.\.\..*explore\(storage, factory=build_workflow\)"):
        explore(FileCheckpointStorage(tmp_path), show=False)
    workflow = fan_workflow()
    with pytest.raises(TypeError, match=r"pass it too, explore\(result, workflow=workflow\)"):
        explore(run(workflow.run("Ab")), show=False)


# --- reading the edges, following a live run ---------------------------------------------------


def test_resting_on_an_edge_reads_the_messages_waiting_on_it(tmp_path):
    explorer = fan_explorer(tmp_path)
    explorer.show(1)
    edge = svg_part(explorer.view.value, "split->upper")
    assert "1 queued" in edge
    assert "xlink:title=\"str &#39;Ab&#39;\"" in edge or "xlink:title=\"str 'Ab'\"" in edge


def test_an_explorer_of_a_paused_notebook_run_follows_it_when_it_goes_on(tmp_path):
    storage = FileCheckpointStorage(tmp_path)

    async def scenario():
        paused = await notebook_run(approval_workflow(storage), "cats", answers=[], show=False)
        explorer = await explore(paused, show=False)
        before = [step.number for step in explorer.history.steps]
        [request_id] = paused.pending_requests
        await paused.send_responses({request_id: True})
        return explorer, before

    explorer, before = run(scenario())
    after = [step.number for step in explorer.history.steps]
    assert len(after) > len(before) and after[: len(before)] == before
    assert stops(explorer)[-1] == str(after[-1]) and explorer.history.branch.ending == "finished"


def test_an_explorer_following_a_notebook_run_that_resumes_shows_the_steps_before_its_checkpoint_first(tmp_path):
    """The run paused at step 2; it is resumed from step 1's checkpoint, asks again, and is
    approved. The explorer shows step 1 (from the checkpoints), then the resumed run's steps 2 to
    4 with the checkpoints that run saved, not those of the first step 2."""
    storage = FileCheckpointStorage(tmp_path)

    async def scenario():
        paused = await notebook_run(approval_workflow(storage), "cats", answers=[], show=False)
        explorer = await explore(paused, show=False)
        first_step_2 = explorer.history.step(2).checkpoint_id
        await paused.resume(explorer.history.step(1).checkpoint_id, storage, workflow=approval_workflow(storage))
        [request_id] = paused.pending_requests
        await paused.send_responses({request_id: True})
        await explorer.history.load_checkpoints()  # the checkpoints the resumed run saved
        return explorer, first_step_2, request_id

    explorer, first_step_2, request_id = run(scenario())
    assert [step.number for step in explorer.steps] == [1, 2, 3, 4]
    assert explorer.history.branch.ending == "finished" and stops(explorer)[-1] == "4"
    step_2 = explorer.history.step(2)
    assert step_2.checkpoint_id != first_step_2 and list(step_2.pending_requests) == [request_id]
    assert explorer.history.step(3).executor_states == {"gate": {"asked": "Draft about cats", "approved": True}}
    assert explorer.steps[-1].statuses == {"draft": "done", "gate": "done", "publish": "done"}


def test_the_step_shown_stays_when_the_checkpoints_load(tmp_path):
    result, storage = approved_run(tmp_path)

    async def scenario():
        explorer = explore(result, factory=lambda: approval_workflow(storage), show=False)
        explorer.show(2)  # before the checkpoints are read in the background
        await explorer
        return explorer

    explorer = run(scenario())
    assert explorer.history.step(2).executor_states == {"gate": {"asked": "Draft about cats"}}  # read
    assert (explorer.number, explorer.slider.value) == (2, 2) and "step 2 of 4" in explorer.view.value


def test_the_step_shown_stays_when_a_live_run_adds_steps(tmp_path):
    storage = FileCheckpointStorage(tmp_path)

    async def scenario():
        paused = await notebook_run(approval_workflow(storage), "cats", answers=[], show=False)
        explorer = await explore(paused, show=False)
        explorer.show(1)
        [request_id] = paused.pending_requests
        await paused.send_responses({request_id: True})
        return explorer

    explorer = run(scenario())
    assert stops(explorer)[-1] == "4"  # the steps the answer ran arrived
    assert (explorer.number, explorer.slider.value) == (1, 1) and "step 1 of 4" in explorer.view.value


def test_the_explorer_reads_like_its_history(tmp_path):
    explorer = fan_explorer(tmp_path)
    assert explorer.steps is explorer.history.steps and [s.number for s in explorer.steps] == [1, 2, 3]
    assert explorer.tree() == explorer.history.tree() == "main: steps 1–3, finished"


# --- readable values ------------------------------------------------------------------------------


def test_a_step_that_asks_says_what_was_asked_and_no_request_id(tmp_path):
    explorer = forking_explorer(tmp_path)
    [request_id] = explorer.show(2).pending_requests
    asked = "gate asked: Approval(draft='Draft about cats')"
    assert asked in explorer.view.value.replace("&#x27;", "'")
    assert request_id[:8] not in explorer.view.value and request_id[:8] not in explorer.step_log.view.value


def test_executor_states_show_the_text_of_chat_messages_not_their_repr(tmp_path):
    from wfkit.agents.types import ChatMessage

    explorer = fan_explorer(tmp_path)
    conversation = [ChatMessage("user", text="Write release notes"), ChatMessage("assistant", text="Meet Contoso Brew")]
    explorer.steps[-1].executor_states = {"writer": {"conversation": conversation}}
    shown = explorer.page.panels_html(explorer.steps[-1]).replace("&#x27;", "'")
    assert "writer: {'conversation': [user: 'Write release notes', assistant: 'Meet Contoso Brew']}" in shown
    assert "ChatMessage(" not in shown and "Message(role=" not in shown
