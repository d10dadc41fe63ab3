"""The questions an agent team asks a person, as cards: a Magentic plan review gets Approve and
Revise, a handoff's question for the customer gets a reply box, in both spellings; and the same
words work as answers when nobody clicks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run
from tests.orchestrations.handoff_helpers import desk
from tests.orchestrations.test_magentic import TASK, late_2025, orchestrator_events, speakers, today
from wfkit import Message, Role
from wfkit.core.state import PendingRequest
from wfkit.notebook import NotebookRun
from wfkit.orchestrations import HandoffBuilder, MagenticOrchestratorEventType
from wfkit.orchestrations.magentic_late_2025 import MagenticPlanReviewDecision, MagenticPlanReviewReply
from wfkit.widgets.request_card import RequestCard
from wfkit.widgets.request_html import request_html


def only_card(notebook_run: NotebookRun) -> RequestCard:
    [card] = notebook_run.view.prompts.cards.values()
    return card


def support_desk(spelling: str) -> Any:
    triage, refund, order = desk()
    if spelling == "today":
        return HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).build()
    return HandoffBuilder(name="support", participants=[triage, refund, order]).set_coordinator("triage_agent").build()


# --- Magentic's plan review --------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["today", "late-2025"])
def test_a_plan_review_card_offers_approve_and_revise_and_no_form(spelling):
    workflow = today(enable_plan_review=True).build() if spelling == "today" else late_2025(review=True).build()
    [request] = run(workflow.run(TASK)).get_request_info_events()
    card = RequestCard(request)
    assert card.kind == "verdict" and card.form is None
    assert list(card.buttons) == ["Approve", "Revise"]
    assert card.feedback.placeholder == "Feedback: what should change? (needed for Revise)"


def test_the_plan_is_shown_whole_as_text_with_its_author_not_as_a_table_of_contents():
    [request] = run(today(enable_plan_review=True).build().run(TASK)).get_request_info_events()
    page = RequestCard(request).content.value
    assert "magentic_manager" in page and "To look up:" in page and "recommend the more efficient one" in page
    assert "TextContent" not in page and "message_id" not in page
    assert "current_progress" not in page  # None: nothing to judge


def test_revise_on_the_plan_card_replans_with_the_feedback_then_approve_runs_the_team():
    async def scenario():
        workflow = today(enable_plan_review=True).build()
        result = await NotebookRun(workflow).start(TASK)
        card = only_card(result)
        card.buttons["Revise"].click()
        assert "Type your feedback" in card.status.value and not card.answered  # nothing sent yet
        card.feedback.value = "Also state the units used."
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        again = only_card(result)
        assert again is not card and "round 2" in again.header.value
        assert "also state the units used" in again.content.value
        again.buttons["Approve"].click()
        await result.wait_until_quiet()
        assert speakers(result.events) == ["Researcher", "Analyst"]
        [answer] = result.outputs
        assert "- Researcher:" in answer.text and "- Analyst:" in answer.text

    run(scenario())


def test_the_late_2025_card_sends_the_previews_reply_with_the_comments():
    async def scenario():
        workflow = late_2025(review=True).build()
        result = await NotebookRun(workflow).start(TASK)
        sent: list[Any] = []
        card = only_card(result)
        card.on_answer(lambda request_id, answer: sent.append(answer))
        card.feedback.value = "Cite a source for each figure."
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        assert sent == [MagenticPlanReviewReply(MagenticPlanReviewDecision.REVISE, comments="Cite a source for each figure.")]
        only_card(result).buttons["Approve"].click()
        await result.wait_until_quiet()
        assert result.outputs and result.pending_requests == {}

    run(scenario())


def test_words_answer_a_plan_review_when_nobody_clicks():
    async def scenario():
        result = await NotebookRun(today(enable_plan_review=True).build()).start(TASK, answers=["Also state the units used.", "approve"])
        kinds = [e.event_type for e in orchestrator_events(result.events)]
        assert kinds.count(MagenticOrchestratorEventType.REPLANNED) == 1
        assert result.pending_requests == {} and len(result.outputs) == 1

    run(scenario())


# --- a handoff's question for the customer -----------------------------------------------------


@pytest.mark.parametrize("spelling", ["today", "late-2025"])
def test_a_question_for_the_customer_gets_a_reply_box_not_approve(spelling):
    [request] = run(support_desk(spelling).run("I want my money back for order 1234")).get_request_info_events()
    card = RequestCard(request)
    assert card.kind == "reply" and card.feedback.placeholder == "Your reply"
    assert "Approve" not in card.buttons and "Send" in card.buttons
    assert ("End the conversation" in card.buttons) is (spelling == "today")  # the previews had no terminate()


@pytest.mark.parametrize("spelling", ["today", "late-2025"])
def test_a_reply_typed_on_the_card_reaches_the_agents_as_the_customers_words(spelling):
    async def scenario():
        workflow = support_desk(spelling)
        result = await NotebookRun(workflow).start("I want my money back for order 1234")
        card = only_card(result)
        card.buttons["Send"].click()
        assert "Type your reply first" in card.status.value and not card.answered
        card.feedback.value = "It arrived broken."
        card.buttons["Send"].click()
        await result.wait_until_quiet()
        asked = result.pending_requests or {}
        assert asked, "the desk answers and asks the customer again"
        [next_question] = asked.values()
        customer_lines = [m.text for m in next_question.data.conversation if m.role == Role.USER]
        assert customer_lines == ["I want my money back for order 1234", "It arrived broken."]

    run(scenario())


def test_the_customers_second_question_is_the_next_turn_not_a_revision_to_compare():
    async def scenario():
        result = await NotebookRun(support_desk("today")).start("I want my money back for order 1234")
        first = only_card(result)
        first.feedback.value = "It arrived broken."
        first.buttons["Send"].click()
        await result.wait_until_quiet()
        second = only_card(result)
        assert second.round_number == 2 and "Changed since" not in second.changes.value
        assert second.changes not in second.children

    run(scenario())


def test_end_the_conversation_finishes_the_run():
    async def scenario():
        result = await NotebookRun(support_desk("today")).start("I want my money back for order 1234")
        only_card(result).buttons["End the conversation"].click()
        await result.wait_until_quiet()
        assert result.pending_requests == {} and result.view.prompts.cards == {}
        assert "finished" in result.view.status.value

    run(scenario())


# --- how a conversation reads on a card --------------------------------------------------------


def test_a_conversation_reads_as_who_said_what_and_escapes_what_they_said():
    messages = [Message(Role.USER, ["Hello <script>alert(1)</script>"]), Message(Role.ASSISTANT, ["Hi!"], author_name="triage")]
    page = request_html({"conversation": messages})
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert page.index("user") < page.index("Hello") < page.index("triage") < page.index("Hi!")


def test_a_request_with_approve_and_revise_methods_is_a_verdict_whatever_its_answer_type():
    class Proposal:
        def approve(self) -> str:
            return "go"

        def revise(self, feedback: str) -> str:
            return f"again: {feedback}"

    sent: list[Any] = []
    card = RequestCard(PendingRequest("p1", "planner", Proposal(), dict))
    card.on_answer(lambda request_id, answer: sent.append(answer))
    card.feedback.value = "fewer steps"
    card.buttons["Revise"].click()
    assert sent == ["again: fewer steps"]


def test_answers_given_to_the_view_instead_of_the_run_are_refused_with_where_they_go():
    with pytest.raises(TypeError, match=r"no option 'answers'.*start\(message, answers="):
        NotebookRun(support_desk("today"), answers=["approve"])


def test_a_reply_card_says_a_reply_is_wanted_and_its_prompt_names_no_code():
    [request] = run(support_desk("today").run("I want my money back for order 1234")).get_request_info_events()
    card = RequestCard(request)
    assert "answer: your reply" in card.header.value and "answer: object" not in card.header.value
    assert "terminate()" not in card.content.value and "end the conversation" in card.content.value
