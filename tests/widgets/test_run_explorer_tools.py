"""The run explorer's three tools: **✎ Edit and fork** (the step's states as a form, forked with
`RunHistory.fork(..., state=, executor_states=)`), **⇄ Compare two steps** (`RunHistory.diff`
side by side) and **✓ Save as a test** (`RunHistory.save_test`).

The scenario is lesson 3's review loop: a draft is asked about, the learner edits the draft in
the form and approves it on the card, and the fork publishes the edited draft."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from tests.conftest import REPO, run
from tests.history.workflows import LONG_DRAFT, review_loop_workflow
from tests.widgets.test_run_explorer_forks import review_loop_explorer
from tests.widgets.workflows import fan_in_workflow
from wfkit import FileCheckpointStorage
from wfkit.notebook import explore
from wfkit.widgets.fork_cards import cards_in
from wfkit.widgets.run_explorer import RunExplorer
from wfkit.widgets.save_test_box import factory_name


def at_the_first_question(tmp_path) -> RunExplorer:
    explorer = review_loop_explorer(tmp_path)
    asked = next(step for step in explorer.steps if step.pending_requests)
    explorer.show(asked.number)
    explorer.edit_toggle.value = True
    return explorer


async def until_settled(explorer: RunExplorer, branches: int) -> None:
    for _ in range(1000):
        await asyncio.sleep(0.01)
        if not explorer.forking and len(explorer.history.branches) >= branches:
            return


async def until_said(widget, text: str) -> None:
    for _ in range(1000):
        await asyncio.sleep(0.01)
        if text in widget.value:
            return


# --- edit and fork -------------------------------------------------------------------------------


def test_the_form_shows_the_steps_states_filled_in(tmp_path):
    explorer = at_the_first_question(tmp_path)
    form = explorer.form
    assert form.layout.display == ""
    assert form.fields["shared:draft"].input.value == LONG_DRAFT  # text as it is, no quotes
    assert form.fields["shared:iteration"].input.value == "1"  # other values as Python writes them
    assert type(form.fields["shared:draft"].input).__name__ == "Textarea"  # a long text gets a big box
    assert f"Fork from step {explorer.number} with edits" in form.title.value
    explorer.edit_toggle.value = False
    assert form.layout.display == "none"


def test_a_draft_edited_in_the_form_and_approved_on_the_card_is_what_the_fork_publishes(tmp_path):
    explorer = at_the_first_question(tmp_path)
    left_from = explorer.number
    explorer.form.fields["shared:draft"].input.value = "Short and sweet."

    async def learner():
        [card] = cards_in(list(explorer.cards.children))
        card.buttons["Approve"].click()
        await until_settled(explorer, 2)

    run(learner())
    fork = explorer.history.branch
    assert fork.edits == {"shared:draft": "Short and sweet."}
    assert explorer.steps[-1].outputs == ["Short and sweet."]  # the ending the edit implies
    header = explorer.view.value
    assert f"✎ fork 1 went on from step {left_from} of main with the edits shared:draft = &#x27;Short and sweet.&#x27;" in header
    assert "edited shared:draft = &#x27;Short and sweet.&#x27;" in header  # the tree says it too
    assert "with your edits: fork 1 is shown" in explorer.message.value


def test_the_forms_button_forks_with_the_values_changed_only(tmp_path):
    explorer = at_the_first_question(tmp_path)
    explorer.show(explorer.number - 1)  # the step before: the gateway's question is on its way
    explorer.form.fields["shared:iteration"].input.value = "5"

    async def learner():
        explorer.form.fork_button.click()
        await until_settled(explorer, 2)

    run(learner())
    fork = explorer.history.branch
    assert fork.edits == {"shared:iteration": 5}
    assert fork.ending == "paused" and explorer.steps[-1].pending_requests  # asked, with the edit kept
    assert explorer.steps[-1].shared_state["iteration"] == 5


def test_at_a_step_that_waits_for_an_answer_the_form_sends_the_learner_to_the_card(tmp_path):
    explorer = at_the_first_question(tmp_path)
    assert explorer.form.fork_button.layout.display == "none"
    assert "waits for an answer, so a fork from it needs one: answer a card above" in explorer.form.note.value
    explorer.fork_from_form()  # what Enter does: says the same, forks nothing
    assert "waits for an answer" in explorer.message.value and len(explorer.history.branches) == 1


def test_an_edit_a_checkpoint_cannot_hold_is_refused_under_its_field_and_nothing_is_lost(tmp_path):
    explorer = at_the_first_question(tmp_path)
    shown = explorer.number
    field = explorer.form.fields["shared:iteration"]
    field.input.value = "1+2j"  # a complex number: Python reads it, a checkpoint cannot hold it

    [card] = cards_in(list(explorer.cards.children))

    async def learner():
        card.buttons["Approve"].click()  # the answer takes the edits along
        await until_said(field.error, "cannot hold")

    run(learner())
    assert "state[&#x27;iteration&#x27;]: a checkpoint cannot hold this value" in field.error.value
    assert "The fork was refused: see shared:iteration above. Nothing was forked." in explorer.form.note.value
    assert len(explorer.history.branches) == 1 and explorer.number == shown  # nothing forked, nothing moved
    assert field.input.value == "1+2j"  # what was typed is still there
    assert explorer.form.fields["shared:draft"].input.value == LONG_DRAFT
    assert not card.locked and cards_in(list(explorer.cards.children)) == [card]  # answer again once fixed


def test_the_forms_button_says_a_refusal_under_the_field_too(tmp_path):
    explorer = at_the_first_question(tmp_path)
    explorer.show(explorer.number - 1)
    field = explorer.form.fields["shared:iteration"]
    field.input.value = "1+2j"

    async def learner():
        explorer.form.fork_button.click()
        await until_said(field.error, "cannot hold")

    run(learner())
    assert "a checkpoint cannot hold this value" in field.error.value and len(explorer.history.branches) == 1


def test_a_value_python_cannot_read_is_said_under_its_field_and_nothing_forks(tmp_path):
    explorer = at_the_first_question(tmp_path)
    field = explorer.form.fields["shared:iteration"]
    field.input.value = "[1, 2"
    explorer.form.fork_button.click()
    assert "not a value Python can read" in field.error.value
    assert "cannot be read" in explorer.form.note.value and len(explorer.history.branches) == 1
    # the card's answer waits too, and says why
    [card] = cards_in(list(explorer.cards.children))
    card.buttons["Approve"].click()
    assert len(explorer.history.branches) == 1 and not card.locked


def test_moving_to_another_step_fills_the_form_with_its_values(tmp_path):
    explorer = at_the_first_question(tmp_path)
    explorer.form.fields["shared:iteration"].input.value = "7"
    later = next(step for step in explorer.steps[explorer.position + 1:] if step.pending_requests)
    explorer.show(later.number)
    assert explorer.form.fields["shared:iteration"].input.value == "2" and explorer.form.fields["shared:iteration"].error.value == ""
    assert f"Fork from step {later.number} with edits" in explorer.form.title.value


def test_at_the_last_step_nothing_would_run_and_the_form_says_so(tmp_path):
    explorer = at_the_first_question(tmp_path)
    explorer.show(explorer.steps[-1].number)
    assert explorer.form.fork_button.layout.display == "none"
    assert "Nothing runs after step" in explorer.form.note.value


# --- compare two steps -------------------------------------------------------------------------


def test_compare_opens_on_the_step_shown_and_the_last_and_shows_them_side_by_side(tmp_path):
    explorer = at_the_first_question(tmp_path)
    first = explorer.number
    explorer.compare_toggle.value = True
    compare = explorer.compare
    last = explorer.steps[-1].number
    assert (compare.first.value, compare.second.value) == (("main", first), ("main", last))
    table = compare.table.value
    assert f"<th>main step {first}</th><th>main step {last}</th>" in table
    for section in ("Shared state", "Executor states", "Waiting messages", "Open requests", "Outputs"):
        assert f">{section}</th>" in table
    assert ">iteration</td><td" in table  # 1 at the first question, 2 at the end


def test_compare_picks_steps_of_two_branches_and_the_exported_page_keeps_the_table(tmp_path):
    explorer = at_the_first_question(tmp_path)
    asked = explorer.number
    [request_id] = explorer.shown.pending_requests
    run(explorer.fork(asked, {request_id: "approve"}))  # fork 1 publishes the first draft
    explorer.compare_toggle.value = True
    labels = [label for label, _ in explorer.compare.first.options]
    assert "main · step 1" in labels and f"fork 1 · step {asked + 1}" in labels
    assert f"fork 1 · step {asked}" not in labels  # that step is main's
    explorer.compare.first.value = ("main", explorer.history.branches[0].steps[-1].number)
    explorer.compare.second.value = ("fork 1", explorer.steps[-1].number)
    assert explorer.compare.difference.outputs_known is False  # main was read from checkpoints alone
    static = explorer.static_html()
    assert "Compared: main step" in static and "fork 1 step" in static and "wfkit-step-diff" in static


# --- save as a test ----------------------------------------------------------------------------


def test_a_workflow_built_by_an_importable_factory_is_saved_as_a_test_that_passes(tmp_path):
    async def scenario():
        workflow = fan_in_workflow()
        return await explore(await workflow.run("hi"), workflow=workflow, factory=fan_in_workflow, show=False)

    explorer = run(scenario())
    explorer.save_toggle.value = True
    box = explorer.save_box
    assert box.factory.value == "tests.widgets.workflows:fan_in_workflow" and box.why_not == ""
    assert box.file.value == "test_workflow_run.py"
    box.file.value = str(tmp_path / "test_fan_in_run.py")
    box.save.click()
    assert f"Saved {tmp_path / 'test_fan_in_run.py'}" in box.note.value
    passed = subprocess.run([sys.executable, "-m", "pytest", "-q", str(tmp_path / "test_fan_in_run.py")],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_factory_from_the_notebook_or_none_at_all_is_said_plainly():
    def build_workflow():
        return fan_in_workflow()

    build_workflow.__module__ = "__main__"  # as a notebook cell defines it
    assert factory_name(build_workflow)[0] == ""
    assert "build_workflow is defined in this notebook" in factory_name(build_workflow)[1]
    assert "inside another" in factory_name(lambda: fan_in_workflow())[1]
    assert "was not told which function builds this workflow" in factory_name(None)[1]

    async def scenario():
        workflow = fan_in_workflow()
        return await explore(await workflow.run("hi"), workflow=workflow, show=False)

    box = run(scenario()).save_box
    box.save.click()  # with no factory typed: refused, in words
    assert "Not saved: factory=&#x27;&#x27;: name the function that builds the workflow" in box.note.value


def test_a_history_read_from_checkpoints_cannot_be_saved_and_says_why(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    explorer.save_toggle.value = True
    assert "starts from a checkpoint" in explorer.save_box.intro.value
    assert explorer.save_box.save.layout.display == "none"


def test_the_tools_start_closed(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    explorer = run(explore(storage, factory=lambda: review_loop_workflow(storage), show=False))
    assert [section.layout.display for section in (explorer.form, explorer.compare, explorer.save_box)] == ["none"] * 3
