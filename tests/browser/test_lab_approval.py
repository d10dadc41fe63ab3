"""A learner's session, for real: JupyterLab, headless Chromium, clicks on the approval card.

The test starts JupyterLab on 127.0.0.1 (a free port, a token, a temporary copy of a
lesson-like notebook), opens the notebook in Debian's Chromium driven by Playwright, runs
the cells, revises the draft once, approves it, and checks the output and the graph.
Screenshots of each step go to test-artifacts/browser/ (with the server log).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import nbformat

from tests.browser.conftest import LESSON, copy_lesson
from tests.browser.lab_page import (
    ARTIFACTS,
    REPO,
    SECONDS,
    browser_page,
    elapsed,
    open_notebook,
    run_cells_in_order,
    screenshot,
    wait_for_fills,
)

FEEDBACK = "Mention the price"
README_PICTURE = REPO / "docs" / "live-run.png"


def keep_for_the_readme(picture: Path) -> None:
    """The README shows this test's picture of a live run. WFKIT_UPDATE_SCREENSHOTS=1 replaces
    the committed copy with the one just taken (the bytes differ a little on every run, so
    only when asked); either way, the README's picture must exist."""
    if os.environ.get("WFKIT_UPDATE_SCREENSHOTS") == "1":
        README_PICTURE.parent.mkdir(exist_ok=True)
        shutil.copy(picture, README_PICTURE)
    assert README_PICTURE.exists(), f"{README_PICTURE} is missing: run this test with WFKIT_UPDATE_SCREENSHOTS=1"
    assert README_PICTURE.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_learner_revises_then_approves_in_jupyterlab(chromium: Path, lab):
    from playwright.sync_api import expect

    started = time.monotonic()
    with browser_page(chromium, "approval") as page:
        # Run the code cells top to bottom, as a learner pressing the run button, waiting
        # for each to finish; the last one awaits the learner's clicks.
        open_notebook(page, copy_lesson(lab, "review_lesson.ipynb"))
        run_cells_in_order(page, sum(c.cell_type == "code" for c in nbformat.read(LESSON, as_version=4).cells))

        card = page.locator(".wfkit-request-card")
        expect(card.get_by_role("button", name="Approve")).to_be_enabled(timeout=120 * SECONDS)
        expect(card).to_contain_text("Pre-order today!")
        # The kernel runs in this test's environment (the venv), not some other python.
        outputs = page.locator(".jp-OutputArea-output")
        expect(outputs.filter(has_text="KERNEL PYTHON:")).to_contain_text(str(Path(sys.executable).parent))
        screenshot(page, "01-approval-prompt.png")
        keep_for_the_readme(screenshot(page, "readme-live-run.png", of=page.locator(".wfkit-run-view")))

        card.locator("textarea").fill(FEEDBACK)
        screenshot(page, "02-feedback-typed.png")
        card.get_by_role("button", name="Revise").click()

        revised = page.locator(".wfkit-request-card", has_text=f"(revised: {FEEDBACK})")
        approve = revised.get_by_role("button", name="Approve")
        expect(approve).to_be_enabled(timeout=60 * SECONDS)
        screenshot(page, "03-revised-draft.png")
        approve.click()

        final = outputs.filter(has_text="FINAL OUTPUT:")
        expect(final).to_contain_text(f"(revised: {FEEDBACK})", timeout=60 * SECONDS)
        expect(page.locator(".wfkit-status")).to_contain_text("finished", timeout=30 * SECONDS)
        expect(page.locator(".wfkit-output")).to_contain_text(f"(revised: {FEEDBACK})")
        done = "#bbf7d0"  # the "done" fill of wfkit.viz.dot.STATE_COLOURS
        wait_for_fills(page, {"writer": done, "review": done, "publish": done}, timeout=30 * SECONDS)
        screenshot(page, "04-finished.png")
        expect(page.locator(".wfkit-request-card")).to_have_count(0)

        # The log tells one run: started once, resumed by each answer; text without escapes.
        log = page.locator(".wfkit-event-log").last
        screenshot(page, "05-event-log-end.png", of=log)
        # The box keeps its newest line in sight (column-reverse): scrolled up, it shows the start.
        log.locator(".wfkit-log").evaluate("box => { box.scrollTop = -box.scrollHeight; }")
        screenshot(page, "06-event-log-start.png", of=log)
        lines = log.locator(".wfkit-log-lines > div").all_inner_texts()
        assert sum("run started" in line for line in lines) == 1
        assert sum("run resumed with your answer" in line for line in lines) == 2
        assert not [line for line in lines if "\\n" in line]
    (ARTIFACTS / "duration.txt").write_text(f"{elapsed(started)}s from page load to the last check\n")
