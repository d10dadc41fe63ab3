"""wfkit.notebook.run: answers from code, a clear pause when there are none, clicks otherwise."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

import wfkit.notebook as notebook
import wfkit.notebook.kernel as kernel
import wfkit.notebook.running as running
from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow, worker_reviewer_workflow
from tests.widgets.workflows import two_questions_workflow
from wfkit import WorkflowRunState
from wfkit.notebook import NotebookRun
from wfkit.widgets import RunView

IDLE = WorkflowRunState.IDLE
PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def headless(workflow, message, answers=None, **options) -> NotebookRun:
    return run(notebook.run(workflow, message, answers, show=False, **options))


def test_answers_in_a_list_are_used_in_order():
    workflow = release_notes_workflow()
    result = headless(workflow, "Launch the grinder", ["Mention the price", "approve"])
    assert result.final_state is IDLE and workflow.last_run_state is IDLE
    assert result.outputs == ["New: Launch the grinder. Pre-order today! [revised: Mention the price]"]
    assert result.workflow is workflow and result.pending_requests == {}
    assert sum(type(e).__name__ == "RequestInfoEvent" for e in result.events) == 2
    assert result.message == ""


def test_answers_in_a_dict_go_to_the_request_with_that_id():
    result = headless(two_questions_workflow(), "pricing", {"legal-question": "ok", "marketing-question": "go"})
    assert result.final_state is IDLE
    assert sorted(result.outputs) == ["legal heard 'ok'", "marketing heard 'go'"]


def test_an_answers_function_sees_each_request():
    seen = []

    def answer(request):
        seen.append(request.data.iteration)
        return "approve" if request.data.iteration > 1 else "Shorter"

    result = headless(release_notes_workflow(), "Launch", answer)
    assert seen == [1, 2] and result.final_state is IDLE


def test_a_dict_answer_for_a_typed_request_becomes_the_dataclass():
    # Papermill parameters are plain JSON: {"feedback": ..., "approved": ...} stands for a ReviewResponse.
    result = headless(worker_reviewer_workflow(), "2+2?", [{"feedback": "Show it", "approved": False},
                                                          {"feedback": "", "approved": True}])
    assert result.final_state is IDLE and result.outputs == ["approved after 2 attempt(s)"]


def test_without_an_answer_the_run_ends_paused_and_says_which_request_waits():
    workflow = release_notes_workflow()
    result = headless(workflow, "Launch")  # nobody can click here: no kernel, no notebook session
    assert result.final_state is PAUSED and workflow.last_run_state is PAUSED
    [request_id] = workflow.pending_requests
    assert "no answer yet for what request_info asks (a HumanApprovalRequest)" in result.message
    assert request_id not in result.message  # a person names a request by what it asks, not by its id
    assert "pass answers to run()" in result.message and result.message in repr(result)


def test_a_list_that_runs_out_ends_the_run_paused():
    result = headless(release_notes_workflow(), "Launch", ["Shorter"])
    assert result.final_state is PAUSED and "The run is paused" in result.message


def test_an_answers_function_that_never_approves_is_stopped(monkeypatch):
    monkeypatch.setattr(NotebookRun, "max_answer_rounds", 3)
    result = headless(release_notes_workflow(), "Launch", lambda request: "more")
    assert result.final_state is PAUSED and "Stopped answering after 3 rounds" in result.message


def test_an_answer_of_the_wrong_type_from_code_raises_a_clear_error():
    from wfkit import RequestResponseError

    with pytest.raises(RequestResponseError, match="expects a ReviewResponse answer"):
        headless(worker_reviewer_workflow(), "2+2?", [42])  # words would do: "approve" is read as the button


def test_the_result_can_answer_later_and_continue_in_the_same_view():
    result = headless(release_notes_workflow(), "Launch")
    [request_id] = result.pending_requests
    run(result.send_responses({request_id: "approve"}))
    assert result.final_state is IDLE and result.outputs and result.view.prompts.cards == {}


def capture_view(monkeypatch) -> list[RunView]:
    shown: list[RunView] = []
    monkeypatch.setattr(running, "_display", lambda widget: shown.append(widget))
    return shown


def test_waiting_for_clicks_the_awaited_run_returns_after_the_approve_click(monkeypatch):
    shown = capture_view(monkeypatch)

    async def scenario():
        workflow = release_notes_workflow()
        running = asyncio.ensure_future(notebook.run(workflow, "Launch", wait_for_clicks=True))
        while not shown or not shown[0].prompts.cards:
            await asyncio.sleep(0.01)
        [card] = shown[0].prompts.cards.values()
        card.buttons["Approve"].click()
        result = await asyncio.wait_for(running, 5)
        assert result.final_state is IDLE and workflow.last_run_state is IDLE and result.view is shown[0]

    run(scenario())


def test_an_old_kernel_returns_at_the_pause_and_a_later_click_continues_in_the_background(monkeypatch):
    shown = capture_view(monkeypatch)
    monkeypatch.setattr(running, "kernel_handles_clicks_while_awaiting", lambda: False)

    async def scenario():
        workflow = release_notes_workflow()
        result = await asyncio.wait_for(notebook.run(workflow, "Launch", wait_for_clicks=True), 5)
        assert result.final_state is PAUSED and "install ipykernel>=7" in result.message
        [card] = shown[0].prompts.cards.values()
        card.buttons["Approve"].click()
        await result.wait_until_quiet()
        assert result.final_state is IDLE and workflow.last_run_state is IDLE and result.outputs

    run(scenario())


class FakeKernel:
    """A kernel running a cell sent by a frontend that does (or does not) allow typed input."""

    def __init__(self, allow_stdin: bool, msg_type: str = "execute_request") -> None:
        self.parent = {"header": {"msg_type": msg_type}, "content": {"code": "...", "allow_stdin": allow_stdin}}

    def get_parent(self, channel: str = "shell") -> dict:
        return self.parent


@pytest.fixture
def in_a_jupyter_session(monkeypatch):
    """A kernel started by a Jupyter server for a notebook; the test sets `kernel._kernel`."""
    monkeypatch.setenv("JPY_SESSION_NAME", "lesson.ipynb")
    monkeypatch.delenv("WFKIT_HEADLESS", raising=False)


def test_someone_can_click_when_a_notebook_frontend_runs_the_cell(monkeypatch, in_a_jupyter_session):
    monkeypatch.setattr(kernel, "_kernel", lambda: FakeKernel(allow_stdin=True))  # JupyterLab, Notebook 7
    assert notebook.someone_can_click()


def test_nobody_clicks_in_pytest_or_plain_python(in_a_jupyter_session):
    assert not notebook.someone_can_click()  # no kernel at all, even with the variable inherited


def test_nobody_clicks_when_nbclient_runs_the_cell_even_in_a_jupyter_session(monkeypatch, in_a_jupyter_session):
    # `!papermill lesson.ipynb out.ipynb` from a lesson: the kernel inherits JPY_SESSION_NAME,
    # but nbclient (papermill, nbconvert, jupyter execute) sends cells with allow_stdin off.
    monkeypatch.setattr(kernel, "_kernel", lambda: FakeKernel(allow_stdin=False))
    assert not notebook.someone_can_click()


def test_nobody_clicks_in_a_kernel_started_without_a_notebook_session(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)  # jupyter console, qtconsole, a bare kernel
    monkeypatch.delenv("WFKIT_HEADLESS", raising=False)
    monkeypatch.setattr(kernel, "_kernel", lambda: FakeKernel(allow_stdin=True))
    assert not notebook.someone_can_click()


def test_nobody_clicks_when_the_kernel_cannot_say_who_sent_the_cell(monkeypatch, in_a_jupyter_session):
    monkeypatch.setattr(kernel, "_kernel", lambda: object())  # no get_parent: not an ipykernel
    assert not notebook.someone_can_click()
    monkeypatch.setattr(kernel, "_kernel", lambda: FakeKernel(allow_stdin=True, msg_type="comm_msg"))
    assert not notebook.someone_can_click()  # not a cell: a widget callback


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_wfkit_headless_says_nobody_clicks_whatever_the_kernel_says(monkeypatch, in_a_jupyter_session, value):
    monkeypatch.setattr(kernel, "_kernel", lambda: FakeKernel(allow_stdin=True))
    monkeypatch.setenv("WFKIT_HEADLESS", value)
    assert not notebook.someone_can_click()


def test_with_wfkit_headless_the_run_ends_paused_instead_of_waiting(monkeypatch, in_a_jupyter_session):
    monkeypatch.setattr(kernel, "_kernel", lambda: FakeKernel(allow_stdin=True))
    monkeypatch.setattr(running, "_display", lambda widget: None)
    monkeypatch.setenv("WFKIT_HEADLESS", "1")
    result = run(notebook.run(release_notes_workflow(), "Launch"))
    assert result.final_state is PAUSED and "no answer yet for" in result.message


def test_given_answers_never_wait_for_clicks_even_with_a_person_there(monkeypatch):
    monkeypatch.setattr(running, "someone_can_click", lambda: True)
    result = headless(release_notes_workflow(), "Launch", ["Shorter"])
    assert result.final_state is PAUSED  # returned at the unanswered request instead of waiting


def test_the_kernel_version_check_reads_ipykernel(monkeypatch):
    import ipykernel

    monkeypatch.setattr(kernel, "_kernel", lambda: object())
    monkeypatch.setattr(ipykernel, "__version__", "6.31.0")
    assert not notebook.kernel_handles_clicks_while_awaiting()
    monkeypatch.setattr(ipykernel, "__version__", "7.4.0")
    assert notebook.kernel_handles_clicks_while_awaiting()


def test_importing_wfkit_or_the_entry_point_does_not_load_ipywidgets():
    code = "import sys, wfkit, wfkit.notebook; print('ipywidgets' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
