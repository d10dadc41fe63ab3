"""Predict the next step in JupyterLab: lesson 1 as a learner takes it. The lesson runs down to its
prediction cell; the explorer there shows step 1 only and asks about step 2. A wrong prediction
(the join's target along with its sources) is clicked, and the explorer says "Not quite" and why,
then shows step 2; a right one for step 3 (and where messages wait) gets "Right", the last step
and the score.

Screenshots go to test-artifacts/browser/predict-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path


from tests.browser.conftest import copy_course_lesson
from tests.browser.lab_page import (
    REPO,
    SECONDS,
    browser_page,
    code_cell_with,
    no_traceback,
    open_notebook,
    run_cells_in_order,
    screenshot,
)

[LESSON_01] = (REPO / "notebooks").glob("01_*.ipynb")


def press(page, panel, *names: str, picture: str = "") -> None:
    """Press the panel's toggle buttons called `names` (a screenshot `picture` of them pressed,
    if named), then Check my prediction."""
    for name in names:
        panel.get_by_role("button", name=name, exact=True).click()
    if picture:
        screenshot(page, picture, of=panel)
    panel.get_by_role("button", name="Check my prediction").click()


def test_lesson_1_prediction_clicked_wrong_then_right(chromium: Path, lab):
    from playwright.sync_api import expect

    url = copy_course_lesson(lab, LESSON_01)
    predict_at = code_cell_with(LESSON_01, "predict=True")
    with browser_page(chromium, "predict") as page:
        open_notebook(page, url)
        run_cells_in_order(page, predict_at + 1)
        cell = page.locator(".jp-Notebook .jp-CodeCell").nth(predict_at)
        explorer = cell.locator(".wfkit-explorer")
        panel = explorer.locator(".wfkit-predict")
        expect(panel).to_contain_text("Predict step 2.", timeout=90 * SECONDS)
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 1 of 3")
        expect(explorer).to_contain_text("Step 1 ran: intake")
        screenshot(page, "predict-01-asked.png", of=explorer)

        # Wrong: summary along with one of its sources, as if the join delivered at once.
        press(page, panel, "mood", "summary", picture="predict-02-picked.png")
        verdict = panel.locator(".wfkit-predict-result").last
        expect(verdict).to_contain_text("Not quite: step 2 ran mood, topic and length", timeout=30 * SECONDS)
        assert verdict.get_attribute("data-right") == "false"
        expect(verdict).to_contain_text("intake sent each of them its Ticket in step 1")
        expect(verdict).to_contain_text("summary did not run in step 2: it sits behind a join")
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 2 of 3")
        expect(panel).to_contain_text("Predict step 3.")
        screenshot(page, "predict-03-wrong.png", of=explorer)

        # Right: summary runs once, and no message waits after it.
        press(page, panel, "summary", "no message waits")
        verdict = panel.locator(".wfkit-predict-result").last
        expect(verdict).to_contain_text("Right: step 3 ran summary.", timeout=30 * SECONDS)
        assert verdict.get_attribute("data-right") == "true"
        expect(verdict).to_contain_text("Right about the messages. No message waits after step 3")
        expect(verdict).to_contain_text("the fan-in edge from mood, topic and length delivers only when every one of them has sent")
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 3 of 3")
        expect(panel).to_contain_text("You predicted 1 of 2 steps right.")
        assert re.search(r"Step 3 ran:\s*summary", explorer.text_content() or "")
        screenshot(page, "predict-04-right.png", of=explorer)
        no_traceback(page)
