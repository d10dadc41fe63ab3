"""In the browser (JupyterLite's Pyodide kernel) a person is there to click, but a click reaches
the kernel only once the running cell ends: `run` returns at the pause, says why, and the card
carries the run on.

The browser is simulated in CPython through `kernel.in_the_browser`, the one question wfkit asks.
"""

from __future__ import annotations

import asyncio
import sys

import pytest

import wfkit.notebook as notebook
import wfkit.notebook.kernel as kernel
import wfkit.notebook.running as running
from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from wfkit import Never, NotAnsweredYetError, WorkflowBuilder, WorkflowContext, WorkflowRunState, executor
from wfkit.widgets import RunView


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[RunView]:
    """A JupyterLite page: no Jupyter server session, no headless flag; returns the views shown."""
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("WFKIT_HEADLESS", raising=False)
    monkeypatch.setattr(kernel, "in_the_browser", lambda: True)
    monkeypatch.setattr(running, "in_the_browser", lambda: True)
    shown: list[RunView] = []
    monkeypatch.setattr(running, "_display", lambda widget: shown.append(widget))
    return shown


def test_the_browser_is_pyodide_s_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    assert kernel.in_the_browser() is False
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert kernel.in_the_browser() is True


def test_in_the_browser_someone_can_click_but_a_cell_cannot_wait_for_it(browser: list[RunView]) -> None:
    assert kernel.someone_can_click() is True
    assert kernel.kernel_handles_clicks_while_awaiting() is False


def test_in_the_browser_the_headless_flag_still_means_nobody_clicks(
    browser: list[RunView], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WFKIT_HEADLESS", "1")
    assert kernel.someone_can_click() is False


def test_in_the_browser_run_returns_at_the_pause_and_the_card_carries_the_run_on(browser: list[RunView]) -> None:
    async def scenario() -> None:
        workflow = release_notes_workflow()
        result = await asyncio.wait_for(notebook.run(workflow, "Launch"), 5)
        assert result.final_state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
        assert result.message.startswith(running.CANNOT_WAIT_IN_THE_BROWSER)
        [card] = browser[0].prompts.cards.values()
        card.buttons["Approve"].click()
        await result.wait_until_quiet()
        assert result.final_state is WorkflowRunState.IDLE and result.outputs

    run(scenario())


def test_a_later_cell_running_the_same_workflow_leaves_the_card_answering_its_own_run(browser: list[RunView]) -> None:
    async def scenario() -> None:
        workflow = release_notes_workflow()
        result = await notebook.run(workflow, "Launch the grinder")  # returns at the pause
        later = await workflow.run("Launch the kettle")  # the next cell, before the click
        [card] = browser[0].prompts.cards.values()
        card.buttons["Approve"].click()
        await result.wait_until_quiet()
        assert result.error is None, result.message
        assert result.final_state is WorkflowRunState.IDLE
        assert result.outputs == ["New: Launch the grinder. Pre-order today!"]
        assert later.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS

    run(scenario())


def test_in_the_browser_a_cell_that_needs_the_answers_says_answer_the_card_first(browser: list[RunView]) -> None:
    async def scenario() -> None:
        result = await notebook.run(release_notes_workflow(), "Launch")
        with pytest.raises(NotAnsweredYetError, match="Answer the card above first, then run this cell again"):
            await result.wait_for_answers()
        assert result.final_state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS  # nothing changed
        [card] = browser[0].prompts.cards.values()
        card.buttons["Approve"].click()
        await result.wait_for_answers()  # the cell run again, after the click
        assert result.final_state is WorkflowRunState.IDLE and result.outputs

    run(scenario())


def test_in_the_browser_a_run_a_click_carries_on_is_waited_for_not_refused(browser: list[RunView]) -> None:
    async def scenario() -> None:
        result = await notebook.run(release_notes_workflow(), "Launch")
        [card] = browser[0].prompts.cards.values()
        card.buttons["Approve"].click()  # its continuation has not run yet when the next cell starts
        await result.wait_for_answers()
        assert result.final_state is WorkflowRunState.IDLE and result.outputs

    run(scenario())


@executor(id="upper")
async def upper(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(text.upper())


def test_in_the_browser_a_run_that_never_asks_does_not_say_a_cell_cannot_wait(browser: list[RunView]) -> None:
    async def scenario() -> None:
        result = await notebook.run(WorkflowBuilder(start_executor=upper).build(), "hi")
        assert result.final_state is WorkflowRunState.IDLE
        assert result.message == ""

    run(scenario())
