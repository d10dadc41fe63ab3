"""The graph and the log linked both ways, in a real JupyterLab: clicks travel from the page to
the kernel and the highlight comes back.

- The live view (the review lesson, paused at its question): a click on a box narrows the log
  to that executor, with "Showing only ..." and Show all; a click on a log line highlights its
  executor and the arrow its message came along.
- Lesson 1's run explorer, as the lesson is: a click on a box narrows the explorer's log, a
  click on a log line moves the explorer to that line's step and highlights its executor and
  arrow; the arrow keys step.
- Lesson 3's run explorer: the shared state edited in the fork form, then the card's Approve
  forks with the edit, and the new branch ends as the edit implies.

Cells are found by what they hold, never by their place. Screenshots: test-artifacts/browser/links-*.png.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from tests.browser.conftest import copy_lesson
from tests.browser.lab_page import (
    REPO,
    SECONDS,
    browser_page,
    cell_started,
    no_traceback,
    open_notebook,
    run_cells_in_order,
    screenshot,
)

[LESSON_01] = (REPO / "notebooks").glob("01_*.ipynb")
[LESSON_03] = (REPO / "notebooks").glob("*_checkpoints_human_in_the_loop.ipynb")

# The keys marked on a picture: boxes by their executor id, arrows as "tail->head".
MARKED = """(root) => [...root.querySelectorAll('g.node.wfkit-marked, g.edge.wfkit-marked')].map(
    g => (g.classList.contains('node') ? 'node:' : 'edge:') + g.querySelector('title').textContent)"""


def marked(picture) -> list[str]:
    return picture.evaluate(MARKED)


def code_cell_with(notebook: Path, text: str) -> int:
    """The place, among the code cells of `notebook`, of the first one whose source holds `text`."""
    code = [cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
    return next(index for index, source in enumerate(code) if text in source)


def box(picture, executor_id: str):
    """The box of `executor_id` in a Graphviz picture on the page."""
    return picture.locator("g.node", has=picture.page.locator(f"title:text-is('{executor_id}')"))


def test_the_live_graph_and_log_answer_each_others_clicks(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "links-live") as page:
        open_notebook(page, copy_lesson(lab, "review_lesson.ipynb"))
        run_cells_in_order(page, 2)
        view = page.locator(".wfkit-run-view")
        expect(view.locator(".wfkit-request-card").get_by_role("button", name="Approve")).to_be_enabled(
            timeout=120 * SECONDS
        )
        picture = view.locator(".wfkit-graph-picture")
        log = view.locator(".wfkit-event-log")

        box(picture, "writer").click()
        focus = log.locator(".wfkit-log-focus")
        expect(focus).to_contain_text("Showing only writer's lines", timeout=15 * SECONDS)
        lines = log.locator(".wfkit-log-lines > div")
        expect(lines).to_have_count(3)  # writer's call, its end, and the call its message made
        said = [text.split("executor", 1)[1].strip() for text in lines.all_text_contents()]
        assert said[:2] == ["writer ← 'the grinder, $249'", "writer ✓ done"] and said[2].startswith("review ← DraftReview"), said
        expect(picture.locator("g.node.wfkit-marked")).to_have_count(1)
        assert marked(picture)[0] == "node:writer" and "edge:writer->review" in marked(picture)
        screenshot(page, "links-live-01-writer-only.png", of=view)

        focus.get_by_role("button", name="Show all").click()
        expect(focus).to_be_hidden(timeout=15 * SECONDS)
        expect(picture.locator(".wfkit-marked")).to_have_count(0)

        log.locator(".wfkit-log-lines > div", has_text="review ←").first.click()
        expect(picture.locator("g.node.wfkit-marked")).to_have_count(1, timeout=15 * SECONDS)
        assert marked(picture) == ["node:review", "edge:writer->review"]
        expect(log.locator(".wfkit-log-lines > div.wfkit-marked")).to_have_count(1)
        screenshot(page, "links-live-02-line-clicked.png", of=view)
        no_traceback(page)
