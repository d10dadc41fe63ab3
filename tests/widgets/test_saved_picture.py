"""What a notebook saved from JupyterLab keeps of a run: the display's ``text/html``, as last sent.

JupyterLab saves no widget state unless the learner turns "Save Jupyter widget state in
notebooks" on, so a saved notebook opened without a kernel (nbconvert, GitHub) shows each
display's static picture: the ``text/html`` of its last ``display_data`` or
``update_display_data``. These tests read those messages from a real kernel, sent the messages
JupyterLab sends (tests/notebook/live_kernel.py), and check the last picture of the run's
display tells how the run ended, whenever the click that ended it came.
"""

from __future__ import annotations

import pytest

from tests.notebook.live_kernel import LiveKernel

SETUP = """
import wfkit.notebook
from tests.core.review_workflows import release_notes_workflow
workflow = release_notes_workflow()
"""
LIVE = 'result = await wfkit.notebook.run(workflow, "Launch the grinder")'


def run_picture(kernel: LiveKernel) -> str:
    """The static picture of the run's display (the only display with a status line), as the
    kernel last sent it: what a notebook saved now keeps."""
    kernel.pump(0.2)
    [picture] = [data["text/html"] for data in kernel.displays.values() if "wfkit-status" in data.get("text/html", "")]
    return picture


@pytest.fixture
def kernel():
    live = LiveKernel()
    try:
        setup = live.run(SETUP)
        assert setup.reply["status"] == "ok", setup.errors
        yield live
    finally:
        live.close()


def test_a_click_while_the_cell_waits_leaves_the_finished_run_with_its_answered_card(kernel):
    cell = kernel.execute(LIVE, "live")
    kernel.wait_until(lambda: kernel.button_count("Approve") >= 1, 30, "the approval card")
    kernel.click("Approve")
    kernel.wait_until(lambda: cell.done, 30, "the cell to end")
    picture = run_picture(kernel)
    assert "finished" in picture and "1 request answered" in picture
    assert "Approved" in picture and "answered by a click on the card" in picture


def test_a_click_after_the_cell_ended_still_updates_the_saved_picture(kernel):
    cell = kernel.execute(LIVE, "live")
    kernel.wait_until(lambda: kernel.button_count("Approve") >= 1, 30, "the approval card")
    kernel.pump(1.0)  # a cell sent with the run (as Run All sends them) would wait for the click
    kernel.run("print('another cell')", "other")  # the waiting cell lets go; the run stays paused
    kernel.wait_until(lambda: cell.done, 10, "the waiting cell to end")
    assert "paused: waiting for answers" in run_picture(kernel)
    kernel.click("Approve")  # the run goes on in the background
    kernel.wait_until(lambda: "finished" in run_picture(kernel), 30, "the picture of the finished run")
    picture = run_picture(kernel)
    assert "Approved" in picture and "answered by a click on the card" in picture
