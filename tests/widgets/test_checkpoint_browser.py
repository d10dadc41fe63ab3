"""CheckpointBrowser: the checkpoints as a table, details of one, and resuming from it."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import run
from tests.hitl.workflows import release_notes_workflow
from tests.widgets.workflows import two_questions_workflow
from wfkit import FileCheckpointStorage, InMemoryCheckpointStorage, WorkflowRunError, WorkflowRunState
from wfkit.widgets import CheckpointBrowser

IDLE = WorkflowRunState.IDLE
PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def paused_run(storage) -> None:
    run(release_notes_workflow(storage).run("Launch the grinder"))


def opened(storage, workflow) -> CheckpointBrowser:
    async def open_browser():
        browser = CheckpointBrowser(storage, workflow)
        await browser.refresh()
        return browser

    return run(open_browser())


def last_paused(browser: CheckpointBrowser) -> str:
    return [cp_id for cp_id, s in browser.summaries.items() if s.status == "awaiting human response"][-1]


def test_the_table_lists_every_checkpoint_with_time_superstep_status_and_pending_requests():
    storage = InMemoryCheckpointStorage()
    paused_run(storage)
    browser = opened(storage, release_notes_workflow(storage))
    assert len(browser.checkpoints) >= 4
    table = browser.table.value
    for heading in ("time", "superstep", "status", "pending requests"):
        assert heading in table
    assert "awaiting human response" in table and "in progress" in table
    assert len(browser.picker.options) == len(browser.checkpoints)
    assert browser.picker.options[-1][0].startswith(f"#{len(browser.checkpoints)} ")


def test_choosing_a_checkpoint_shows_its_details_and_its_requests_as_cards():
    storage = InMemoryCheckpointStorage()
    paused_run(storage)
    browser = opened(storage, release_notes_workflow(storage))
    checkpoint_id = last_paused(browser)
    browser.picker.value = checkpoint_id  # what choosing it in the list does
    assert browser.selected == checkpoint_id
    assert checkpoint_id in browser.details.value and "1 pending request(s)" in browser.details.value
    [card] = browser.requests.cards.values()
    assert "Pre-order today!" in card.content.value
    assert not browser.resume_button.disabled


def test_approving_a_checkpoint_request_resumes_from_it_and_finishes_in_the_view():
    storage = InMemoryCheckpointStorage()
    paused_run(storage)
    workflow = release_notes_workflow(storage)

    async def scenario():
        browser = CheckpointBrowser(storage, workflow)
        await browser.refresh()
        before = len(browser.checkpoints)
        browser.picker.value = last_paused(browser)
        [card] = browser.requests.cards.values()
        card.buttons["Approve"].click()
        await until(lambda: not browser._tasks and browser.run_view.final_state is IDLE)
        assert workflow.last_run_state is IDLE
        assert browser.run_view.outputs == ["New: Launch the grinder. Pre-order today!"]
        assert len(browser.checkpoints) > before  # the table refreshed with the new checkpoints
        assert "completed" in browser.table.value
        # Travel back: the same checkpoint's card is ready for a different answer.
        browser.picker.value = last_paused(browser)
        [card] = browser.requests.cards.values()
        assert not card.answered

    run(scenario())


def test_resume_from_here_asks_again_and_a_click_below_continues_the_run():
    storage = InMemoryCheckpointStorage()
    paused_run(storage)
    workflow = release_notes_workflow(storage)

    async def scenario():
        browser = CheckpointBrowser(storage, workflow)
        await browser.refresh()
        browser.picker.value = last_paused(browser)
        browser.resume_button.click()
        assert browser.resume_button.disabled  # a double click cannot start a second run
        await until(lambda: browser.run_view.prompts.cards and not browser.run_view.busy)
        assert workflow.last_run_state is PAUSED
        [card] = browser.run_view.prompts.cards.values()
        card.feedback.value = "Add the price"
        card.buttons["Revise"].click()
        await browser.run_view.wait_until_quiet()
        assert workflow.last_run_state is PAUSED  # the revised draft is up for review
        [card] = browser.run_view.prompts.cards.values()
        card.buttons["Approve"].click()
        await browser.run_view.wait_until_quiet()
        assert workflow.last_run_state is IDLE
        assert browser.run_view.outputs == ["New: Launch the grinder. Pre-order today! [revised: Add the price]"]

    run(scenario())


def test_two_quick_clicks_on_two_cards_start_one_resume_and_the_second_card_says_why():
    storage = InMemoryCheckpointStorage()
    run(two_questions_workflow(storage).run("pricing"))

    async def scenario():
        browser = CheckpointBrowser(storage, two_questions_workflow)
        await until(lambda: not browser._tasks)  # its first refresh is done
        browser.picker.value = last_paused(browser)
        legal, marketing = browser.requests.cards["legal-question"], browser.requests.cards["marketing-question"]
        # Both clicks come in before the first resume's task has run a single line.
        legal.buttons["Approve"].click()
        marketing.buttons["Approve"].click()
        assert len(browser._tasks) == 1  # one resume started
        assert browser.resuming and browser.resume_button.disabled and marketing.buttons["Approve"].disabled
        assert not marketing.answered and "already resuming" in marketing.status.value
        await until(lambda: not browser._tasks and not browser.resuming)
        assert browser.run_view.outputs == ["legal heard 'approve'"]  # one run's outputs, nothing merged
        assert list(browser.run_view.prompts.cards) == ["marketing-question"]  # asked again below
        assert not browser.resume_button.disabled

    run(scenario())


def test_a_resume_from_code_is_refused_while_one_runs():
    storage = InMemoryCheckpointStorage()
    paused_run(storage)

    async def scenario():
        browser = CheckpointBrowser(storage, release_notes_workflow(storage))
        await browser.refresh()
        browser.picker.value = last_paused(browser)
        browser.resume_button.click()
        with pytest.raises(WorkflowRunError, match="already resuming"):
            await browser.resume()
        await until(lambda: not browser._tasks and not browser.resuming)
        assert browser.run_view.final_state is PAUSED

    run(scenario())


def test_a_click_with_no_event_loop_to_resume_in_says_so_and_locks_nothing():
    storage = InMemoryCheckpointStorage()
    paused_run(storage)
    browser = opened(storage, release_notes_workflow(storage))  # its loop has ended: plain Python now
    browser.picker.value = last_paused(browser)
    [card] = browser.requests.cards.values()
    card.buttons["Approve"].click()
    assert "await browser.resume(...)" in card.status.value and not card.answered
    assert not browser.resuming and not browser.resume_button.disabled


def test_with_a_factory_each_resume_runs_in_a_fresh_workflow(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    paused_run(storage)
    built = []

    def factory():
        built.append(release_notes_workflow(storage))
        return built[-1]

    async def scenario():
        browser = CheckpointBrowser(storage, factory)
        await browser.refresh()
        first = last_paused(browser)
        assert await browser.resume(first, {browser.summaries[first].pending_requests[0].request_id: "approve"}) is IDLE
        assert len(built) == 2 and browser.run_view.workflow is built[1]
        # Travel back: the same paused checkpoint, answered differently this time.
        request_id = browser.summaries[first].pending_requests[0].request_id
        assert await browser.resume(first, {request_id: "Shorter"}) is PAUSED
        assert len(built) == 3 and built[2].last_run_state is PAUSED

    run(scenario())


def test_an_empty_storage_says_how_to_get_checkpoints():
    browser = opened(InMemoryCheckpointStorage(), release_notes_workflow())
    assert "No checkpoints yet" in browser.table.value and browser.resume_button.disabled


async def until(condition, timeout: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)
