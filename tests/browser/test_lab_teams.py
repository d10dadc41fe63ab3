"""Lesson 8, "Teams of agents", taken in JupyterLab: the cards of a team, clicked.

The lesson (with its exercise check) is copied into a JupyterLab served for this test, opened in
headless Chromium and run with Run > Run All Cells. The handoff's customer is asked for an order
number: the test types a reply into the card and sends it, then a second reply that ends the
conversation. The Magentic plan review card comes next: Revise with a request, then Approve the
new plan, which must carry that request. The run must go on after each click, and the lesson's
last cell must show the value it promises. Screenshots: test-artifacts/browser/teams-*.png.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from tests.browser.conftest import copy_course_lesson
from tests.browser.lab_page import (
    REPO,
    SECONDS,
    browser_page,
    code_cells_done,
    no_traceback,
    open_notebook,
    run_all,
    screenshot,
)

LESSON = REPO / "notebooks" / "08_teams_of_agents.ipynb"
ORDER_NUMBER = "It's order 1042."
THANKS = "No, that's all, thanks!"
PLAN_CHANGE = "Refund the double charge before anything else."


def card_with(page, button: str, text: str):
    """The request card that has an enabled `button` and shows `text`."""
    return (
        page.locator(".wfkit-request-card", has_text=text)
        .filter(has=page.get_by_role("button", name=button, disabled=False))
    )


def view_of(page, card):
    """The run view that shows `card` (its graph, log and cards)."""
    return page.locator(".wfkit-run-view").filter(has=card)


def reply(page, card, words: str) -> None:
    card.locator("textarea").fill(words)
    card.get_by_role("button", name="Send").click()


def test_a_learner_answers_the_customer_and_reviews_the_plan_on_cards(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "teams") as page:
        open_notebook(page, copy_course_lesson(lab, LESSON), start=run_all)

        # The handoff: billing asks the customer for the order number.
        question = card_with(page, "Send", "order number")
        expect(question).to_have_count(1, timeout=120 * SECONDS)
        expect(question.get_by_role("button", name="End the conversation")).to_be_enabled()
        screenshot(page, "teams-01-customer-question.png", of=view_of(page, question))
        reply(page, question, ORDER_NUMBER)

        # The run went on: billing says what it will do, and asks whether there is anything else.
        anything_else = card_with(page, "Send", "anything else")
        expect(anything_else).to_have_count(1, timeout=60 * SECONDS)
        expect(anything_else).to_contain_text("order 1042")
        screenshot(page, "teams-02-anything-else.png", of=view_of(page, anything_else))
        reply(page, anything_else, THANKS)

        # Magentic: the plan review card, revised, then the new plan approved.
        plan = card_with(page, "Revise", "Plan")
        expect(plan).to_have_count(1, timeout=60 * SECONDS)
        expect(plan).to_contain_text("billing: sort out that the customer was charged twice")
        screenshot(page, "teams-03-plan-review.png", of=view_of(page, plan))
        plan.locator("textarea").fill(PLAN_CHANGE)
        plan.get_by_role("button", name="Revise").click()

        revised = card_with(page, "Approve", "as the reviewer asked, refund the double charge before anything else")
        expect(revised).to_have_count(1, timeout=60 * SECONDS)
        screenshot(page, "teams-04-revised-plan.png", of=view_of(page, revised))
        revised.get_by_role("button", name="Approve").click()

        # Every cell runs to its end, and the last shows the value the lesson promises.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
            ".every(p => /\\[\\d+\\]/.test(p.textContent))",
            timeout=120 * SECONDS,
        )
        done, total = code_cells_done(page)
        assert done == total
        expect(page.locator(".wfkit-request-card")).to_have_count(0)
        no_traceback(page)
        outputs = page.locator(".jp-OutputArea-output")
        expect(outputs.filter(has_text="customer: It's order 1042.")).to_have_count(1)
        expect(outputs.filter(has_text="The manager wrote 2 plan(s)")).to_have_count(1)
        expected = nbformat.read(LESSON, as_version=4).metadata["wfkit"]["expected_final_output"]
        final = page.locator(".jp-CodeCell").last.locator(".jp-OutputArea-output")
        for line in expected.strip("()").split("\n"):
            expect(final).to_contain_text(line.strip().strip(",").strip("'"))
        screenshot(page, "teams-05-finished.png")
