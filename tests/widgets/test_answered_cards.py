"""The run's static picture keeps every card with its answer and who gave it: what an exported
lesson, or a notebook saved without widget state, shows of the questions a run asked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow, worker_reviewer_workflow
from tests.widgets.test_approval import approval_request, review_request
from tests.widgets.workflows import fussy_question_workflow
from wfkit import AgentResponse, InMemoryCheckpointStorage, Message
from wfkit.core.state import PendingRequest
from wfkit.notebook import NotebookRun
from wfkit.orchestrations import HandoffAgentUserRequest, MagenticPlanReviewRequest, MagenticPlanReviewResponse
from wfkit.widgets import ApprovalPrompt, RequestCard
from wfkit.widgets.answered import AnswerInWords, answer_in_words


def answers_shown(static_html: str) -> list[str]:
    """The answers a static picture shows, in order, as text: ["Revised", "Approved"]."""
    return re.findall(r'class="wfkit-answer".*?<b[^>]*>&#?\w+;? ([A-Z][a-z ]+)</b>', static_html)


# --- a run's picture, whoever answered ------------------------------------------------------------


def test_cards_clicked_stay_in_the_picture_with_their_answers_in_order():
    async def scenario():
        result = await NotebookRun(release_notes_workflow()).start("Launch the grinder at $249")
        card = next(iter(result.view.prompts.cards.values()))
        card.feedback.value = "Mention the warranty"
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        next(iter(result.view.prompts.cards.values())).buttons["Approve"].click()
        await result.wait_until_quiet()
        return result

    result = run(scenario())
    assert result.view.prompts.cards == {}  # the live page has no card left to answer
    picture = result.view.static_html()
    assert "2 requests answered" in picture
    assert answers_shown(picture) == ["Revised", "Approved"]
    assert "Mention the warranty" in picture and "Launch the grinder at $249" in picture  # answer, and what was asked
    assert picture.count("answered by a click on the card") == 2
    assert "round 2" in picture  # the second card says it was the second round


def test_answers_given_to_run_in_code_say_so_with_the_revision_comment():
    answers = [{"approved": False, "feedback": "Add an example."}, {"approved": True, "feedback": "Looks good."}]
    result = run(NotebookRun(worker_reviewer_workflow()).start("What is 2+2?", answers=answers))
    picture = result.view.static_html()
    assert answers_shown(picture) == ["Revised", "Approved"]
    assert "Add an example." in picture and "What is 2+2?" in picture
    assert picture.count("answered in code: run(..., answers=...)") == 2 and "by a click" not in picture


def test_answers_sent_with_send_responses_say_so():
    async def scenario():
        result = await NotebookRun(release_notes_workflow()).start("Launch the grinder at $249")
        await result.send_responses({next(iter(result.pending_requests)): "approve"})
        return result

    picture = run(scenario()).view.static_html()
    assert answers_shown(picture) == ["Approved"] and "answered in code: send_responses(...)" in picture


def test_an_answer_the_run_could_not_use_leaves_the_record_and_its_card_shows_why():
    async def scenario():
        result = await NotebookRun(fussy_question_workflow()).start("lunch")
        card = next(iter(result.view.prompts.cards.values()))
        card.feedback.value = "no"
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        return result

    picture = run(scenario()).view.static_html()
    assert answers_shown(picture) == []
    assert "1 request waiting for your answer" in picture and "is not an answer this step can use" in picture


def test_a_new_run_forgets_the_answers_and_a_replaced_one_keeps_them():
    prompt = ApprovalPrompt()
    prompt.add(approval_request("a"))
    prompt.note_answered("a", "approve", by="in code: run(..., answers=...)")
    prompt.retire("This run was replaced by a new one.")
    assert answers_shown(prompt.static_html()) == ["Approved"] and "replaced by a new one" in prompt.static_html()
    prompt.clear()
    assert answers_shown(prompt.static_html()) == []


def test_a_static_picture_draws_no_buttons_it_cannot_work():
    prompt = ApprovalPrompt()
    prompt.add(approval_request())
    assert "<button" not in prompt.static_html() and "1 request waiting for your answer" in prompt.static_html()


# --- the answer in the card's words -----------------------------------------------------------------


def test_a_text_answer_is_approved_only_by_the_cards_approve_word():
    card = RequestCard(approval_request())
    assert answer_in_words(card, "Approve ") == AnswerInWords("Approved")
    assert answer_in_words(card, "Shorter, please") == AnswerInWords("Revised", "Shorter, please")


def test_a_yes_no_answer_reads_approved_or_rejected():
    card = RequestCard(PendingRequest("q", "gate", "Ship it?", bool))
    assert [answer_in_words(card, answer).verdict for answer in (True, False)] == ["Approved", "Rejected"]


def test_a_verdict_reads_its_flag_and_its_feedback():
    card = RequestCard(review_request())
    assert card.kind == "verdict"
    answer = card.verdict.build(False, "Show the working.")
    assert answer_in_words(card, answer) == AnswerInWords("Revised", "Show the working.")
    assert answer_in_words(card, card.verdict.build(True)) == AnswerInWords("Approved")


@dataclass
class Accepted:
    request_id: str
    accepted: bool


def test_a_verdict_without_room_for_feedback_is_rejected_not_revised():
    card = RequestCard(PendingRequest("q", "gate", "Ship it?", Accepted))
    assert answer_in_words(card, Accepted("q", False)) == AnswerInWords("Rejected")


def test_a_plan_review_that_answers_itself_reads_approved_or_revised_with_the_feedback():
    plan = MagenticPlanReviewRequest(plan=Message("assistant", text="1. billing refunds"))
    card = RequestCard(PendingRequest("plan", "manager", plan, MagenticPlanReviewResponse))
    assert answer_in_words(card, plan.approve()) == AnswerInWords("Approved")
    assert answer_in_words(card, plan.revise("Ask shipping first.")) == AnswerInWords("Revised", "Ask shipping first.")


def test_a_question_for_the_user_reads_as_the_reply_or_the_end_of_the_conversation():
    said = Message("assistant", text="Could you give me the order number?", author_name="billing")
    question = HandoffAgentUserRequest(AgentResponse(messages=[said]), prompt="billing waits for your reply.")
    card = RequestCard(PendingRequest("ask", "billing", question, object))
    assert card.kind == "reply"
    assert answer_in_words(card, question.create_response("It's 1042.")) == AnswerInWords("Replied", "It's 1042.")
    assert answer_in_words(card, "It's 1042.") == AnswerInWords("Replied", "It's 1042.")  # words given in code
    assert answer_in_words(card, question.terminate()) == AnswerInWords("Ended the conversation")


def test_an_answer_given_as_a_run_resumed_from_a_checkpoint_is_kept_without_its_card():
    async def scenario():
        storage = InMemoryCheckpointStorage()
        paused = await NotebookRun(release_notes_workflow(storage)).start("Launch the grinder at $249")
        [request_id] = paused.pending_requests
        checkpoint = (await storage.list_checkpoints())[-1]
        resumed = NotebookRun(release_notes_workflow(storage))
        return await resumed.resume(checkpoint.checkpoint_id, responses={request_id: "approve"})

    picture = run(scenario()).view.static_html()
    assert "A request asked before this run resumed" in picture
    assert "answered in code: resume(..., responses=...)" in picture and "approve" in picture
