"""What the run explorer's panels say, and what they leave out.

A panel never claims what the history cannot know: a step read from its checkpoint alone does
not know what it yielded (checkpoints keep no outputs), so it must not say "no output changed".
A panel that cannot have anything to show is left out and said once, plainly: a run without
checkpoints has no states (lesson 1, before checkpoints are taught), a workflow that never asks
a person has no requests. Each kind of count on the arrows has one legend line.
"""

from __future__ import annotations

import html
import re

from tests.conftest import run
from tests.history.workflows import approval_workflow, fan_workflow, review_loop_workflow
from wfkit import FileCheckpointStorage
from wfkit.history import RunHistory
from wfkit.notebook import explore
from wfkit.notebook import run as notebook_run
from wfkit.widgets.run_explorer import RunExplorer


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def panel(explorer: RunExplorer, title: str) -> str | None:
    """The text of the panel called `title` in the step shown (None if it is not there)."""
    page = text_of(explorer.view.value)
    titles = ["What step \\d+ did", "Queued for the next step", "Shared state", "Executor states", "Open requests"]
    found = re.search(re.escape(title) if "\\d" not in title else title, page)
    if found is None:
        return None
    rest = page[found.end():]
    ends = [m.start() for t in titles if (m := re.search(t, rest))]
    return rest[: min(ends)].strip() if ends else rest.strip()


def from_storage(tmp_path) -> RunExplorer:
    storage = FileCheckpointStorage(tmp_path)

    async def scenario():
        await notebook_run(review_loop_workflow(storage), "cats", answers=["approve"], show=False)
        return await explore(storage, factory=lambda: review_loop_workflow(storage), show=False)

    return run(scenario())


# --- what a step did ------------------------------------------------------------------------------


def test_a_publishing_step_read_from_checkpoints_says_its_output_is_not_known_not_that_nothing_changed(tmp_path):
    explorer = from_storage(tmp_path)
    last = explorer.steps[-1]
    assert last.ran == ["publish"] and not last.outputs_recorded
    explorer.show(last.number)
    did = panel(explorer, r"What step \d+ did")
    assert "no state, output or request changed" not in did
    assert "publish received 'APPROVED: Notes about cats' from gateway" in did
    assert "output: not known, as checkpoints keep no outputs (publish can yield one)" in did


def test_a_publishing_step_read_from_the_runs_events_shows_its_output(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    result = run(notebook_run(review_loop_workflow(storage), "cats", answers=["approve"], show=False))
    explorer = run(_awaited(lambda: explore(result, show=False)))
    explorer.show(explorer.steps[-1].number)
    did = panel(explorer, r"What step \d+ did")
    assert "output: 'Notes about cats'" in did and "not known" not in did


def test_a_step_that_changed_nothing_the_history_knows_of_says_only_what_it_knows(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    history = RunHistory.from_events(approval_workflow(storage), run(approval_workflow(storage).run("cats")))
    explorer = RunExplorer(history)  # checkpoints never read: states unknown
    step = explorer.steps[0]
    step.changes.received = []  # as if the step had been handed nothing
    explorer.show(2)
    explorer.show(1)
    assert panel(explorer, r"What step \d+ did") == "no output or request changed"  # states: not known


# --- panels that cannot have data -----------------------------------------------------------------


def test_a_run_without_checkpoints_shows_no_state_panels_and_says_why_once(tmp_path):
    workflow = fan_workflow()  # lesson 1: no checkpoint storage

    async def scenario():
        return await explore(await workflow.run("Ab"), workflow=workflow, show=False)

    explorer = run(scenario())
    for number in (1, 2, 3):
        explorer.show(number)
        page = text_of(explorer.view.value)
        assert panel(explorer, "Shared state") is None and panel(explorer, "Executor states") is None
        assert "not recorded" not in page and "not saved" not in page and "no checkpoint of this step" not in page
        assert page.count("This run kept no checkpoints") == 1
        assert "also shows the shared state and each executor's state after every step" in page
    assert text_of(explorer.static_html()).count("This run kept no checkpoints") == 1


def test_a_workflow_that_never_asks_shows_no_open_requests_panel_and_one_that_can_does(tmp_path):
    workflow = fan_workflow()
    result = run(workflow.run("Ab"))
    fan = run(_awaited(lambda: explore(result, workflow=workflow, show=False)))
    assert panel(fan, "Open requests") is None
    explorer = from_storage(tmp_path)
    explorer.show(explorer.steps[-1].number)
    assert panel(explorer, "Open requests") == "none"


def test_a_run_with_checkpoints_shows_its_states_and_says_why_a_step_has_none(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = approval_workflow(storage)
    explorer = RunExplorer(RunHistory.from_events(workflow, run(workflow.run("cats"))))
    assert panel(explorer, "Shared state") == "not saved: no checkpoint was taken after this step"
    explorer.page.reading = True
    explorer.show(1)
    assert panel(explorer, "Shared state") == "being read from the checkpoints…"
    run(explorer.history.load_checkpoints())
    explorer.page.reading = False
    explorer.refresh()
    assert panel(explorer, "Shared state") == "draft = 'Draft about cats'"
    assert "This run kept no checkpoints" not in text_of(explorer.view.value)


# --- one legend per kind of mark ------------------------------------------------------------------


def test_every_step_has_one_legend_of_the_queued_counts_and_none_of_the_live_views(tmp_path):
    explorer = from_storage(tmp_path)
    for step in explorer.steps:
        explorer.show(step.number)
        view = explorer.view.value
        assert view.count('data-mark="queued"') == 1 and 'data-mark="delivered"' not in view
        picture = view.split("<svg", 1)[1].split("</svg>", 1)[0]
        assert "delivered" not in picture and "×" not in picture
        if step.messages:
            assert " queued" in picture


async def _awaited(make):
    return await make()
