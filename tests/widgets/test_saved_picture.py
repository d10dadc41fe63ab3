"""What a notebook saved from JupyterLab keeps of a run: the display's ``text/html``, as last sent.

JupyterLab saves no widget state unless the learner turns "Save Jupyter widget state in
notebooks" on, so a saved notebook opened without a kernel (nbconvert, GitHub) shows each
display's static picture: the ``text/html`` of its last ``display_data`` or
``update_display_data``. These tests read those messages from a real kernel, sent the messages
JupyterLab sends (tests/notebook/live_kernel.py), and check the last picture of the run's
display tells how the run ended, whenever the click that ended it came.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.notebook.live_kernel import LiveKernel

SETUP = """
import wfkit.notebook
from tests.core.review_workflows import release_notes_workflow
workflow = release_notes_workflow()
"""
LIVE = 'result = await wfkit.notebook.run(workflow, "Launch the grinder")'


class PictureKernel(LiveKernel):
    """A live kernel that also keeps the last ``text/html`` of each display, by display id, from
    whatever message sent it (a cell, or a click after its cell ended)."""

    def __init__(self) -> None:
        super().__init__()
        self.pictures: dict[str, str] = {}

    def _take(self, message: dict[str, Any]) -> None:
        content = message["content"]
        if message["msg_type"] in ("display_data", "update_display_data"):
            display_id = content.get("transient", {}).get("display_id")
            if display_id and "text/html" in content.get("data", {}):
                self.pictures[display_id] = content["data"]["text/html"]
        super()._take(message)

    def run_picture(self) -> str:
        """The static picture of the run's display (the only display with a status line)."""
        self.pump(0.2)
        [picture] = [html for html in self.pictures.values() if "wfkit-status" in html]
        return picture


@pytest.fixture
def kernel():
    live = PictureKernel()
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
    picture = kernel.run_picture()
    assert "finished" in picture and "1 request answered" in picture
    assert "Approved" in picture and "answered by a click on the card" in picture


def test_a_click_after_the_cell_ended_still_updates_the_saved_picture(kernel):
    cell = kernel.execute(LIVE, "live")
    kernel.wait_until(lambda: kernel.button_count("Approve") >= 1, 30, "the approval card")
    kernel.pump(1.0)  # a cell sent with the run (as Run All sends them) would wait for the click
    kernel.run("print('another cell')", "other")  # the waiting cell lets go; the run stays paused
    kernel.wait_until(lambda: cell.done, 10, "the waiting cell to end")
    assert "paused: waiting for answers" in kernel.run_picture()
    kernel.click("Approve")  # the run goes on in the background
    kernel.wait_until(lambda: "finished" in kernel.run_picture(), 30, "the picture of the finished run")
    picture = kernel.run_picture()
    assert "Approved" in picture and "answered by a click on the card" in picture
