"""An agent team's questions for a person, clicked in Notebook 7 (the classic-looking notebook
of Jupyter's `notebook` package), in headless Chromium.

The notebook builds a Magentic team that asks for its plan to be reviewed and a handoff
support desk that asks the customer. The test revises the plan with a comment, sees the
replanned plan come back as a new card and approves it; then it answers the desk's question
on its reply card and ends the conversation, and checks each cell's printed result.
Screenshots go to test-artifacts/browser/ (prefix ``nb7-``).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.conftest import HERE, copy_lesson
from tests.browser.lab_page import SECONDS, browser_page, cell_started, no_traceback, open_notebook, screenshot

NOTEBOOK = HERE / "team_cards.ipynb"
FEEDBACK = "Also state the units used."
REPLY = "It arrived broken."


def test_plan_review_and_a_customer_question_answered_by_clicking_in_notebook_7(chromium: Path, lab):
    from playwright.sync_api import expect

    copy_lesson(lab, "team_cards.ipynb", source=NOTEBOOK)
    with browser_page(chromium, "nb7") as page:
        open_notebook(page, f"{lab.base}/notebooks/team_cards.ipynb?token={lab.token}")
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        expect(cells.nth(0).locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=90 * SECONDS)
        assert "/notebooks/" in page.url  # Notebook 7, not JupyterLab

        # The plan review: Approve and Revise, the plan readable on the card.
        assert cell_started(page, cells.nth(1))
        plan_card = page.locator(".wfkit-request-card").last
        expect(plan_card.get_by_role("button", name="Revise")).to_be_enabled(timeout=120 * SECONDS)
        expect(plan_card).to_contain_text("To look up:")
        expect(plan_card.get_by_role("button", name="Send")).to_have_count(0)  # no generic form
        plan_card.locator("textarea").fill(FEEDBACK)
        screenshot(page, "nb7-01-plan-review.png")
        plan_card.get_by_role("button", name="Revise").click()

        replanned = page.locator(".wfkit-request-card", has_text="round 2")  # the old card says "Sending ..." a moment
        expect(replanned).to_contain_text("also state the units used", timeout=60 * SECONDS)
        screenshot(page, "nb7-02-replanned.png")
        replanned.get_by_role("button", name="Approve").click()
        team_answer = cells.nth(1).locator(".jp-OutputArea-output", has_text="TEAM ANSWER:")
        expect(team_answer).to_contain_text("Researcher", timeout=60 * SECONDS)

        # The customer's question: a reply box, Send and End the conversation; no Approve.
        assert cell_started(page, cells.nth(2))
        question = cells.nth(2).locator(".wfkit-request-card")
        expect(question.get_by_role("button", name="Send")).to_be_enabled(timeout=120 * SECONDS)
        expect(question.get_by_role("button", name="Approve")).to_have_count(0)
        question.locator("textarea").fill(REPLY)
        screenshot(page, "nb7-03-customer-question.png")
        question.get_by_role("button", name="Send").click()

        again = cells.nth(2).locator(".wfkit-request-card", has_text="round 2")  # the desk answered and asks again
        expect(again).to_contain_text(REPLY, timeout=60 * SECONDS)
        again.get_by_role("button", name="End the conversation").click()
        expect(cells.nth(2).locator(".jp-OutputArea-output", has_text="DESK STATE:")).to_contain_text("IDLE", timeout=60 * SECONDS)
        screenshot(page, "nb7-04-finished.png")
        no_traceback(page)
