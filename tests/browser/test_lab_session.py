"""A learner's habits in JupyterLab, for real: run the waiting cell again, interrupt the kernel,
double-click Approve, click Revise with nothing typed. The session must stay usable every time:
no deadlock, no traceback, one answer per card, a clear word where something is missing.

One JupyterLab serves this module; each test opens its own copy of the review lesson (so its
own kernel). Screenshots go to test-artifacts/browser/session-*.png.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat

from tests.browser.conftest import LESSON, copy_lesson
from tests.browser.lab_page import (
    SECONDS,
    browser_page,
    interrupt_kernel,
    no_traceback,
    open_notebook,
    run_again,
    run_cells_in_order,
    screenshot,
)
from wfkit.notebook.notebook_run import WAITING_NOTE
from wfkit.notebook.running import INTERRUPTED_WHILE_WAITING

CODE_CELLS = sum(c.cell_type == "code" for c in nbformat.read(LESSON, as_version=4).cells)
DRAFT = "Pre-order today!"


def open_at_the_card(page, lab, name: str):
    """Open a copy of the lesson, run it, and return the live cell once its card waits."""
    from playwright.sync_api import expect

    open_notebook(page, copy_lesson(lab, name))
    run_cells_in_order(page, CODE_CELLS)
    live = page.locator(".jp-Notebook .jp-CodeCell").nth(CODE_CELLS - 1)
    expect(live.locator(".wfkit-request-card").get_by_role("button", name="Approve")).to_be_enabled(
        timeout=120 * SECONDS
    )
    expect(live.locator(".wfkit-status")).to_contain_text(WAITING_NOTE)
    time.sleep(1)  # as long as a learner takes to look at it (see CellQueueWatch's grace)
    return live


def finishes_after_approve(page, live, shot: str) -> None:
    from playwright.sync_api import expect

    live.locator(".wfkit-request-card").get_by_role("button", name="Approve").click()
    expect(live.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=60 * SECONDS)
    expect(live.locator(".wfkit-status")).to_contain_text("finished", timeout=30 * SECONDS)
    expect(live).to_contain_text(f"FINAL OUTPUT: ['New: the grinder, $249\\n{DRAFT}']")
    # Nothing on screen still says it waits, in the view or after the result.
    expect(live).not_to_contain_text(WAITING_NOTE)
    screenshot(page, shot)


def test_running_the_waiting_cell_again_gives_a_fresh_card_that_finishes_the_run(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "session-rerun") as page:
        live = open_at_the_card(page, lab, "rerun.ipynb")
        screenshot(page, "session-rerun-1-waiting.png")
        run_again(page, live)
        card = live.locator(".wfkit-request-card")
        # A usable card, not a frozen [*] (a frozen cell never gives one: the wait only bounds a slow machine).
        expect(card.get_by_role("button", name="Approve")).to_be_enabled(timeout=30 * SECONDS)
        expect(card).to_have_count(1)
        screenshot(page, "session-rerun-2-fresh-card.png")
        finishes_after_approve(page, live, "session-rerun-3-finished.png")
        no_traceback(page)


def test_interrupting_while_a_card_waits_says_one_line_and_the_run_can_go_on(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "session-interrupt") as page:
        live = open_at_the_card(page, lab, "interrupt.ipynb")
        interrupt_kernel(page)
        expect(live.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=15 * SECONDS)
        # The status line shows the message's code spans as code: its text has no backticks.
        expect(live.locator(".wfkit-status")).to_contain_text(INTERRUPTED_WHILE_WAITING.replace("`", ""), timeout=15 * SECONDS)
        expect(live.locator(".wfkit-status code")).to_contain_text(["await result.send_responses", "result.pending_requests"])
        expect(live).to_contain_text("FINAL OUTPUT: []")  # the cell ended normally: `result` is assigned
        no_traceback(page)
        screenshot(page, "session-interrupt-1-stopped.png")
        # The card still works: the run continues in the background and the view follows it.
        live.locator(".wfkit-request-card").get_by_role("button", name="Approve").click()
        expect(live.locator(".wfkit-status")).to_contain_text("finished", timeout=30 * SECONDS)
        expect(live.locator(".wfkit-output")).to_contain_text(DRAFT)
        expect(live.locator(".wfkit-status")).not_to_contain_text("Stopped waiting")
        screenshot(page, "session-interrupt-2-resumed.png")


def test_a_double_click_on_approve_answers_once(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "session-double-click") as page:
        live = open_at_the_card(page, lab, "double_click.ipynb")
        live.locator(".wfkit-request-card").get_by_role("button", name="Approve").dblclick()
        expect(live.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=60 * SECONDS)
        expect(live.locator(".wfkit-status")).to_contain_text("finished", timeout=30 * SECONDS)
        expect(live.locator(".wfkit-event-log")).to_contain_text("answer to ")
        log = live.locator(".wfkit-event-log").text_content()
        assert log.count("answer to ") == 1, log
        expect(live).to_contain_text("FINAL OUTPUT: ['New: the grinder")
        no_traceback(page)


def test_revise_with_empty_feedback_says_what_to_do_and_sends_nothing(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "session-empty-feedback") as page:
        live = open_at_the_card(page, lab, "empty_feedback.ipynb")
        card = live.locator(".wfkit-request-card")
        card.get_by_role("button", name="Revise").click()
        expect(card).to_contain_text("Type your feedback in the box first, then click Revise.", timeout=10 * SECONDS)
        expect(card.get_by_role("button", name="Approve")).to_be_enabled()
        expect(live.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\*\]"))  # still waiting for a real answer
        screenshot(page, "session-empty-feedback.png", of=card)
        finishes_after_approve(page, live, "session-empty-feedback-finished.png")
