"""The event log says each thing that happened once, in a learner's words (issue 29, point 10):
one run however many answers continue it, an agent's answer on one line, a fallback filed as a
fallback, requests named by who asks what, text shown as text and code spans as code."""

from __future__ import annotations

import asyncio
import re

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from tests.orchestrations.handoff_helpers import desk
from tests.orchestrations.test_magentic import TASK, late_2025
from tests.widgets.workflows import two_questions_workflow
from wfkit import (
    Agent,
    AgentExecutor,
    AgentExecutorRequest,
    ChatMessage,
    Executor,
    ExecutorFailure,
    Never,
    OfflineChatClient,
    Role,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowOutputEvent,
    handler,
)
from wfkit.orchestrations import HandoffBuilder
from wfkit.widgets import EventLog, RunView

PARAGRAPHS = "A heading\n\nThe first paragraph says `await run(...)`.\n\nThe second one ends it."


def log_of(workflow, message, answers=()) -> EventLog:
    """The log of `workflow` run in a stream, each pause answered with the next of `answers`
    and noted in the log, as the notebook's run does."""
    log = EventLog(min_redraw_interval=0)
    answers = list(answers)

    async def go():
        stream = workflow.run_stream(message)
        while True:
            async for event in stream:
                log.handle(event)
            if not workflow.pending_requests or not answers:
                break
            given = {request_id: answers.pop(0) for request_id in workflow.pending_requests}
            for request_id, answer in given.items():
                log.note_answer(request_id, answer)
            stream = workflow.send_responses_streaming(given)
        log.flush()

    run(go())
    return log


def texts(log: EventLog, kind: str | None = None) -> list[str]:
    return [line.text for line in log.lines if kind is None or line.kind == kind]


# --- one run, however many answers continue it -------------------------------------------------


def test_a_run_continued_by_answers_starts_once_and_resumes_with_each_answer():
    log = log_of(release_notes_workflow(), "Launch the grinder", ["Mention the price", "approve"])
    assert texts(log, "run").count("run started") == 1
    assert texts(log, "run").count("run resumed with your answer") == 2


def test_two_answers_sent_together_resume_the_run_once():
    log = log_of(two_questions_workflow(), "pricing", ["ok", "go"])
    assert texts(log, "run").count("run started") == 1
    assert "run resumed with your 2 answers" in texts(log, "run")


def test_a_second_run_in_the_same_log_starts_as_a_run():
    log = log_of(release_notes_workflow(), "Launch", [])
    workflow = two_questions_workflow()

    async def again():
        async for event in workflow.run_stream("pricing"):
            log.handle(event)

    run(again())  # the first run ended paused, but nobody answered it: this is a new run
    assert texts(log, "run").count("run started") == 2 and not [t for t in texts(log) if "resumed" in t]


# --- an agent's answer is one line ----------------------------------------------------------------


def agent_workflow(reply: str = PARAGRAPHS, *, output: bool = True):
    """One agent executor, streamed in three-word pieces, whose answer is the workflow's output."""
    agent = Agent(OfflineChatClient(replies=[reply]), "You write.", name="writer")
    writer = AgentExecutor(agent, id="writer", output_response=output)

    class Start(Executor):
        @handler
        async def start(self, text: str, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
            await ctx.send_message(AgentExecutorRequest([ChatMessage(Role.USER, text=text)]))

    start = Start("start")
    return WorkflowBuilder().set_start_executor(start).add_edge(start, writer).build()


def test_an_agents_streamed_answer_and_its_output_are_one_line():
    log = log_of(agent_workflow(), "Write it")
    said = [line for line in log.lines if "paragraph" in line.text]
    assert len(said) == 1
    assert said[0].kind == "output"  # the answer is also the workflow's output: filed there
    assert said[0].text.startswith("writer answered (an output): A heading\n\nThe first paragraph")


def test_an_agents_answer_that_is_no_output_is_one_agent_line():
    log = log_of(agent_workflow(output=False), "Write it")
    said = [line for line in log.lines if "paragraph" in line.text]
    assert [line.kind for line in said] == ["agent"] and said[0].text.startswith("writer answered: A heading")


def test_an_output_that_says_something_else_keeps_its_own_line():
    log = EventLog()
    log.handle(WorkflowOutputEvent("the summary", "writer"))
    log.handle(WorkflowOutputEvent("the summary, again", "writer"))
    assert texts(log, "output") == ["output from writer: the summary", "output from writer: the summary, again"]


def test_a_handoffs_streamed_answers_are_one_line_each():
    triage, refund, order = desk()
    workflow = HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).build()
    log = log_of(workflow, "I want a refund for order 1234.")
    spoken = [line for line in log.lines if line.kind in ("agent", "output")]
    assert spoken and all("answered" in line.text for line in spoken)
    speakers = [line.executor_id for line in spoken]
    assert len(speakers) == len(set(speakers))  # each agent answered once, so one line each


def test_the_previews_magentic_reports_each_answer_once():
    log = log_of(late_2025().build(), TASK)
    for agent in ("researcher", "analyst"):
        said = [line.text for line in log.lines if line.executor_id == agent and line.kind in ("agent", "team")]
        # one line: no "writes:" left of the pieces, and the manager's report of the answer is no second line
        assert len(said) == 1 and said[0].startswith(f"{agent} answered: ")
        assert not [t for t in texts(log, "team") if t.startswith(f"{agent} answered")]
    final = [line for line in log.lines if line.text.startswith("final answer")]
    assert len(final) == 1 and final[0].kind == "output"
    assert not [t for t in texts(log, "output") if t.startswith("output from")]  # the output is that answer


def test_two_agents_streaming_at_once_keep_a_line_each():
    log = EventLog()
    from wfkit import AgentRunUpdateEvent

    for piece in ["Hel", "lo ", "there"]:
        log.handle(AgentRunUpdateEvent("billing", piece))
        log.handle(AgentRunUpdateEvent("shipping", piece.upper()))
    assert texts(log) == ["billing writes: Hello there", "shipping writes: HELLO THERE"]


# --- a fallback is a fallback ---------------------------------------------------------------------


class FraudCheck(Executor):
    @handler
    async def check(self, order: str, ctx: WorkflowContext[str]) -> None:
        await asyncio.sleep(5)  # the fraud service hangs: the time limit stops it
        await ctx.send_message(order)


class Confirm(Executor):
    @handler
    async def confirm(self, order: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{order} is paid")


class HumanReview(Executor):
    @handler
    async def review(self, failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"reviewed {failure.message} by hand")


def fallback_workflow():
    check, review = FraudCheck("fraud_check"), HumanReview("human_review")
    return (
        WorkflowBuilder()
        .set_start_executor(check)
        .add_edge(check, Confirm("confirm"))
        .with_timeout(check, seconds=0.05)
        .with_fallback(check, review)
        .build()
    )


def test_a_hand_over_to_a_fallback_is_one_fallback_line_that_does_not_suggest_one():
    log = log_of(fallback_workflow(), "order A-1")
    [line] = [line for line in log.lines if "fraud_check" in line.text and "fail" in line.text]
    assert line.kind == "fallback"
    assert line.text.startswith("fraud_check failed, so human_review takes over its work (ExecutorTimeoutError:")
    assert "fallback for it" not in line.text and "retry or fallback" not in line.text
    assert "add a retry for it" in line.text  # what it lacks may still be suggested
    assert not texts(log, "error") and not texts(log, "retry")


# --- requests are named by who asks what --------------------------------------------------------

HEX_ID = re.compile(r"\b[0-9a-f]{8}\b")


def test_no_line_and_no_card_shows_a_request_id():
    view = RunView(release_notes_workflow(), min_redraw_interval=0)

    async def go():
        async for event in view.workflow.run_stream("Launch the grinder"):
            view.handle(event)
        [request_id] = view.workflow.pending_requests
        view.note_answer(request_id, "Mention the price")
        async for event in view.workflow.send_responses_streaming({request_id: "Mention the price"}):
            view.handle(event)
        view.flush()

    run(go())
    page = view.event_log.static_html() + view.prompts.static_html()
    assert view.prompts.cards and not HEX_ID.search(page)
    assert "request_info asks: HumanApprovalRequest(prompt=" in texts(view.event_log, "request")[0]
    assert texts(view.event_log, "answer") == ["answer to request_info: Mention the price"]


def test_two_requests_open_at_once_get_the_same_numbers_on_their_lines_and_cards():
    view = RunView(two_questions_workflow(), min_redraw_interval=0)

    async def go():
        async for event in view.workflow.run_stream("pricing"):
            view.handle(event)
        view.show_requests(view.workflow.pending_requests.values())
        view.flush()

    run(go())
    assert texts(view.event_log, "request") == [
        "legal asks (request 1): Question(topic='legal: pricing?')",
        "marketing asks (request 2): Question(topic='marketing: pricing?')",
    ]
    assert "legal</b> asks · " in view.prompts.cards["legal-question"].header.value
    assert "request 1" in view.prompts.cards["legal-question"].header.value
    assert "request 2" in view.prompts.cards["marketing-question"].header.value
    view.note_answer("marketing-question", "go")
    assert texts(view.event_log, "answer") == ["answer to marketing (request 2): go"]


def test_a_request_alone_has_no_number():
    view = RunView(release_notes_workflow(), min_redraw_interval=0)

    async def go():
        async for event in view.workflow.run_stream("Launch"):
            view.handle(event)

    run(go())
    [card] = view.prompts.cards.values()
    assert "request 1" not in card.header.value and "(request" not in texts(view.event_log, "request")[0]


# --- text as text, code as code -------------------------------------------------------------------


def test_text_in_lines_has_no_python_escapes():
    log = log_of(agent_workflow(), "Write it")
    log.handle(WorkflowOutputEvent(ExecutorFailure("x", PARAGRAPHS, "E", "line one\nline two"), "report"))
    log.flush()
    assert "\\n" not in log.view.value
    assert "A heading The first paragraph" in log.view.value


def test_code_spans_in_lines_show_as_code_not_backticks():
    log = log_of(agent_workflow(), "Write it")
    assert "<code" in log.view.value and "`" not in log.view.value
    assert "await run(...)</code>" in log.view.value


def test_code_spans_in_the_status_line_and_on_cards_show_as_code():
    view = RunView(release_notes_workflow(), min_redraw_interval=0)
    view.note = "Answer in code with `await result.send_responses({request_id: answer})`."
    assert "`" not in view.status.value and "await result.send_responses({request_id: answer})</code>" in view.status.value

    async def go():
        async for event in view.workflow.run_stream("Launch"):
            view.handle(event)

    run(go())
    [card] = view.prompts.cards.values()
    card.reopen("Refused: give `approve` or feedback.")
    assert "`" not in card.status.value and ">approve</code>" in card.status.value


def test_a_timeouts_advice_names_only_what_the_executor_lacks():
    from wfkit.errors import ExecutorTimeoutError

    def advice(**has: bool) -> str:
        return str(ExecutorTimeoutError.after("fetch", 2, **has)).split("seconds=...)")[1]

    assert advice() == ", or add a retry or a fallback for it."
    assert advice(has_fallback=True) == ", or add a retry for it."
    assert advice(has_retry=True) == ", or add a fallback for it."
    assert advice(has_retry=True, has_fallback=True) == "."
