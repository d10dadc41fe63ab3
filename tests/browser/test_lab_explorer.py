"""The run explorer in a real JupyterLab: the slider moves the graph through the steps, and an
open request answered in the panel forks a new ending.

Screenshots go to test-artifacts/browser/explorer-*.png.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import HERE, copy_lesson
from tests.browser.lab_page import SECONDS, browser_page, no_traceback, open_notebook, run_cells_in_order, screenshot

LESSON = HERE / "explorer_lesson.ipynb"
IDLE, DONE, WAITING = "white", "#bbf7d0", "#ddd6fe"  # fills of wfkit.viz.dot.STATE_COLOURS

# Executor id -> fill of its box, and the labels on the arrows, in the explorer's picture.
PICTURE = """() => {
    const svg = document.querySelector('.wfkit-explorer-step svg');
    const fills = {};
    for (const node of svg.querySelectorAll('g.node')) {
        const title = node.querySelector('title').textContent;
        const shape = node.querySelector('path, polygon, ellipse');
        if (!title.startsWith('(')) fills[title] = shape.getAttribute('fill');
    }
    const labels = [...svg.querySelectorAll('g.edge text')].map(t => t.textContent);
    return {fills, labels};
}"""


def picture(page) -> dict:
    return page.evaluate(PICTURE)


def wait_for_step(page, number: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".wfkit-explorer").first).to_contain_text(f"step {number} of", timeout=30 * SECONDS)


def test_the_slider_moves_the_graph_and_the_panel_forks_a_new_ending(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "explorer") as page:
        open_notebook(page, copy_lesson(lab, "explorer_lesson.ipynb", LESSON))
        run_cells_in_order(page, 2)
        explorer = page.locator(".wfkit-explorer")
        expect(explorer).to_contain_text("step 3 of 3", timeout=120 * SECONDS)
        at_the_end = picture(page)
        assert at_the_end["fills"]["review"] == WAITING and at_the_end["fills"]["upper"] == DONE
        screenshot(page, "explorer-01-last-step.png", of=explorer)

        # The slider, from the keyboard as a learner may: Home goes to the first step.
        handle = explorer.locator(".noUi-handle, .widget-slider [role='slider']").first
        handle.focus()
        page.keyboard.press("Home")
        wait_for_step(page, 1)
        first = picture(page)
        assert first["fills"]["split"] == DONE and first["fills"]["upper"] == IDLE
        # the ticket waits on split -> upper and split -> count (labels are padded with spaces)
        assert [label.strip() for label in first["labels"]] == ["×1", "×1"]
        screenshot(page, "explorer-02-step-1.png", of=explorer)

        explorer.get_by_role("button", name="Next ▶").click()
        wait_for_step(page, 2)
        assert picture(page)["fills"]["upper"] == DONE

        # Back at the last step, the open request can be answered in the panel: that forks.
        explorer.get_by_role("button", name="Next ▶").click()
        wait_for_step(page, 3)
        answer = explorer.locator(".widget-textarea textarea, .widget-text input").first
        expect(answer).to_be_visible(timeout=30 * SECONDS)
        answer.fill("no thanks")
        explorer.get_by_role("button", name="Fork from step 3 with this answer").click()
        expect(explorer).to_contain_text("fork 1", timeout=60 * SECONDS)
        expect(explorer).to_contain_text("from step 3 of main", timeout=30 * SECONDS)
        expect(explorer).to_contain_text("output: 'dropped (no thanks)'", timeout=30 * SECONDS)
        forked = picture(page)
        assert forked["fills"]["review"] == DONE
        screenshot(page, "explorer-03-forked.png", of=explorer)
        no_traceback(page)
