"""A learner's notebook, saved from JupyterLab after clicking, read without a kernel.

JupyterLab saves no widget state by default ("Save Jupyter widget state in notebooks" is off),
so nbconvert, GitHub or a course page show each widget's static picture: the ``text/html`` the
kernel last sent for its display. The learner revises the draft while the cell waits, runs the
next cell (the waiting cell lets go), then approves the revised draft: a click after its cell
has ended. The saved notebook, converted to HTML and opened in Chromium, must show the finished
run with both cards and their answers. Screenshots: test-artifacts/browser/saved-*.png.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat

from tests.browser.conftest import LESSON
from tests.browser.lab_page import (
    ARTIFACTS,
    SECONDS,
    browser_page,
    cell_started,
    open_notebook,
    run_cells_in_order,
    screenshot,
)

COMMENT = "Mention the price"
CODE_CELLS = sum(c.cell_type == "code" for c in nbformat.read(LESSON, as_version=4).cells)


def lesson_with_a_next_cell(folder: Path, name: str) -> str:
    """The review lesson with one more cell after the run, as lessons have; returns its name."""
    notebook = nbformat.read(LESSON, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("print('the next cell ran')"))
    nbformat.write(notebook, folder / name)
    return name


def saved_with(path: Path, text: str, timeout: float = 30) -> nbformat.NotebookNode:
    """The notebook on disk, once JupyterLab has saved it with `text` in it."""
    deadline = time.monotonic() + timeout
    while text not in path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, f"{path.name} was not saved with {text!r} within {timeout}s"
        time.sleep(0.3)
    return nbformat.read(path, as_version=4)


def test_a_notebook_saved_after_clicking_shows_each_card_with_its_answer_without_a_kernel(chromium, lab):
    from nbconvert import HTMLExporter
    from playwright.sync_api import expect

    name = lesson_with_a_next_cell(lab.root, "saved_lesson.ipynb")
    with browser_page(chromium, "saved") as page:
        open_notebook(page, f"{lab.base}/lab/tree/{name}?reset&token={lab.token}")
        run_cells_in_order(page, CODE_CELLS)
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        live = cells.nth(CODE_CELLS - 1)
        card = live.locator(".wfkit-request-card")
        expect(card.get_by_role("button", name="Revise")).to_be_enabled(timeout=120 * SECONDS)
        card.locator("textarea").fill(COMMENT)
        card.get_by_role("button", name="Revise").click()  # while the cell waits
        revised = live.locator(".wfkit-request-card", has_text=f"(revised: {COMMENT})")
        expect(revised.get_by_role("button", name="Approve")).to_be_enabled(timeout=60 * SECONDS)
        time.sleep(1)  # as long as a learner takes to read it (see CellQueueWatch's grace)

        assert cell_started(page, cells.nth(CODE_CELLS)), "JupyterLab did not run the next cell"
        expect(live.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=30 * SECONDS)
        expect(cells.nth(CODE_CELLS)).to_contain_text("the next cell ran", timeout=30 * SECONDS)
        revised.get_by_role("button", name="Approve").click()  # after its cell has ended
        expect(live.locator(".wfkit-status")).to_contain_text("finished", timeout=30 * SECONDS)
        screenshot(page, "saved-01-live.png")
        live.locator(".jp-InputPrompt").click()
        page.keyboard.press("Control+s")
        saved = saved_with(lab.root / name, "by a click on the card")

        assert "widgets" not in saved.metadata  # JupyterLab's default: the picture is all there is
        page_html, _ = HTMLExporter(template_name="lab").from_notebook_node(saved)
        converted = ARTIFACTS / "saved-lesson.html"
        converted.write_text(page_html, encoding="utf-8")
        page.goto(converted.as_uri())
        picture = page.locator(".jp-OutputArea-output", has=page.locator(".wfkit-status"))
        expect(picture).to_contain_text("finished")
        answers = picture.locator(".wfkit-answer")
        expect(answers).to_have_count(2)
        expect(answers.nth(0)).to_contain_text("Revised")
        expect(answers.nth(0)).to_contain_text(COMMENT)
        expect(answers.nth(1)).to_contain_text("Approved")
        expect(picture).to_contain_text(f"(revised: {COMMENT})")  # the second card's draft, as asked
        assert "Loading widget" not in page_html
        screenshot(page, "saved-02-converted.png", of=picture)
