"""A learner's progress in JupyterLab: lesson 5 is run to its end (its check refuses the starter
code: tried), the learner writes the answer over the starter and runs the check again (passed),
then the index lesson's "Your progress" cell shows lesson 5 as passed. The note is a file in the
course folder; no server keeps it. Screenshots: test-artifacts/browser/progress-*.png.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.browser.conftest import copy_course_lesson
from tests.browser.lab_page import (
    REPO,
    SECONDS,
    browser_page,
    no_traceback,
    open_notebook,
    run_all,
    screenshot,
)

[LESSON_05] = (REPO / "notebooks").glob("05_*.ipynb")
[INDEX] = (REPO / "notebooks").glob("00_*.ipynb")

# What the learner writes over lesson 5's starter code: two suppliers at a time, offers in one list.
ANSWER = """def restock(builder, receive, suppliers, pick):
    builder.add_fan_out_edges(receive, suppliers, max_concurrency=2)
    builder.add_fan_in_edges(suppliers, pick)
    return builder
"""


def wait_until_every_cell_ran(page, timeout: float) -> None:
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                 .every(p => /\\[\\d+\\]/.test(p.textContent))""",
        timeout=timeout,
    )


def test_the_index_shows_a_lesson_passed_after_its_check_passes(chromium: Path, lab):
    from playwright.sync_api import expect

    lesson_url = copy_course_lesson(lab, LESSON_05)
    index_url = copy_course_lesson(lab, INDEX)
    progress_file = lab.root / ".wfkit-progress.json"

    with browser_page(chromium, "progress-lesson") as page:
        open_notebook(page, lesson_url, start=run_all)
        wait_until_every_cell_ran(page, 120 * SECONDS)
        no_traceback(page)
        check = page.locator(".jp-Notebook .jp-CodeCell").filter(has=page.locator(".cm-content", has_text="lesson_05.check("))
        expect(check.locator(".jp-OutputArea-output")).to_contain_text("Not yet")
        assert json.loads(progress_file.read_text())["exercises"]["lesson_05"]["passed"] is False

        # The learner writes the answer over the starter code and runs it, then the check.
        answer = page.locator(".jp-Notebook .jp-CodeCell").filter(has=page.locator(".cm-content", has_text="def restock("))
        answer.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(ANSWER)
        page.keyboard.press("Shift+Enter")
        check.locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")
        expect(check.locator(".jp-OutputArea-output")).to_contain_text("Solved", timeout=60 * SECONDS)
        screenshot(page, "progress-1-solved.png", of=check)

    with browser_page(chromium, "progress-index") as page:
        open_notebook(page, index_url, start=run_all)
        wait_until_every_cell_ran(page, 60 * SECONDS)
        no_traceback(page)
        table = page.locator(".jp-Notebook .jp-CodeCell").filter(
            has=page.locator(".cm-content", has_text="course_progress()")
        ).locator(".jp-OutputArea-output")
        row = table.locator("tr", has_text="Parallel work")
        expect(row).to_contain_text("passed")
        expect(table).to_contain_text(re.compile(r"1 of \d+ exercises? passed"))
        screenshot(page, "progress-2-index.png", of=table)
