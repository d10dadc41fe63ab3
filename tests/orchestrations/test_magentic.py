"""MagenticBuilder: plan, rounds, plan review, stalls and the final answer, in both spellings."""

from __future__ import annotations

import json
from typing import Any

import pytest

import wfkit
from tests.conftest import run
from wfkit import Agent, ChatMessage, Executor, FileCheckpointStorage, OfflineChatClient, WorkflowBuilder, WorkflowContext, handler
from wfkit import OrchestrationManagerError, WorkflowFailedError, WorkflowValidationError
from wfkit.agents.types import AgentRunResponse
from wfkit.orchestrations import (
    GroupChatRequestSentEvent,
    MagenticBuilder,
    MagenticOrchestratorEventType,
    MagenticPlanReviewRequest,
    MagenticProgressLedger,
)

TASK = ("Compare the training energy of ResNet-50 and GPT-2. Then estimate the CO2 of each for 24 hours on one VM, "
        "and recommend the more efficient one.")


def team(client: Any = None) -> tuple[Agent, Agent, Agent]:
    client = client or OfflineChatClient()
    researcher = Agent(client, "You find information.", name="Researcher", description="Collects facts and figures")
    analyst = Agent(client, "You compute.", name="Analyst", description="Writes and executes code to analyze data")
    lead = Agent(client, "You lead the team.", name="Lead")
    return researcher, analyst, lead


def today(**options: Any) -> Any:
    researcher, analyst, lead = team()
    return MagenticBuilder(participants=[analyst, researcher], manager_agent=lead, **options)


def speakers(result: Any) -> list[str]:
    return [e.data.participant_name for e in result if isinstance(e.data, GroupChatRequestSentEvent)]


def orchestrator_events(result: Any) -> list[Any]:
    return [e.data for e in result if e.type == "magentic_orchestrator"]


def test_the_manager_plans_then_calls_each_participant_once_in_the_plans_order():
    result = run(today().build().run(TASK))
    kinds = [e.event_type for e in orchestrator_events(result)]
    assert kinds[0] is MagenticOrchestratorEventType.PLAN_CREATED
    assert kinds.count(MagenticOrchestratorEventType.PROGRESS_LEDGER_UPDATED) == 3  # two turns, then "done"
    assert speakers(result) == ["Researcher", "Analyst"]  # facts before analysis, though listed second


def test_each_progress_ledger_answers_the_five_questions_with_reasons():
    result = run(today().build().run(TASK))
    ledgers = [e.content for e in orchestrator_events(result) if isinstance(e.content, MagenticProgressLedger)]
    first = ledgers[0].to_dict()
    assert set(first) == {"is_request_satisfied", "is_in_loop", "is_progress_being_made", "next_speaker", "instruction_or_question"}
    assert all(item["reason"] for item in first.values())
    assert first["next_speaker"]["answer"] == "Researcher" and ledgers[-1].is_request_satisfied.answer is True


def test_the_final_answer_uses_what_the_participants_said():
    result = run(today().build().run(TASK))
    answers = {e.executor_id: e.data.text for e in result if e.type == "agent_run"}
    [output] = result.get_outputs()
    assert isinstance(output, AgentRunResponse)
    for name, text in answers.items():
        first_point = text.splitlines()[1][2:40]  # the first item of each participant's list
        assert f"- {name}:" in output.text and first_point in output.text


def test_no_participant_repeats_a_turn():
    result = run(today().build().run(TASK))
    answers = [e.data.text for e in result if e.type == "agent_run"]
    assert len(answers) == len(set(answers)) == 2


def test_the_same_task_runs_the_same_twice():
    assert run(today().build().run(TASK)).get_outputs()[0].text == run(today().build().run(TASK)).get_outputs()[0].text


def test_plan_review_approve_starts_the_rounds():
    workflow = today(enable_plan_review=True).build()
    first = run(workflow.run(TASK))
    [request] = first.get_request_info_events()
    assert isinstance(request.data, MagenticPlanReviewRequest) and "Plan:" in request.data.plan.text
    assert not speakers(first)  # nobody works before the plan is approved
    rest = run(workflow.send_responses({request.request_id: request.data.approve()}))
    assert speakers(rest) == ["Researcher", "Analyst"] and rest.get_outputs()


def test_plan_review_revise_replans_with_the_feedback_and_asks_again():
    workflow = today(enable_plan_review=True).build()
    [request] = run(workflow.run(TASK)).get_request_info_events()
    second = run(workflow.send_responses({request.request_id: request.data.revise("Also state the units used.")}))
    replanned = [e.content.text for e in orchestrator_events(second) if e.event_type is MagenticOrchestratorEventType.REPLANNED]
    assert len(replanned) == 1 and "also state the units used" in replanned[0]
    [again] = second.get_request_info_events()
    assert "also state the units used" in again.data.plan.text
    done = run(workflow.send_responses({again.request_id: again.data.approve()}))
    assert done.get_outputs()


def test_the_round_limit_ends_the_run_with_a_message():
    result = run(today(max_round_count=1).build().run(TASK))
    assert speakers(result) == ["Researcher"]
    assert "limit of 1 rounds" in result.get_outputs()[0].text


def ledger(progress: bool) -> str:
    item = lambda answer: {"reason": "scripted", "answer": answer}  # noqa: E731
    return json.dumps({"is_request_satisfied": item(False), "is_in_loop": item(False), "is_progress_being_made": item(progress),
                       "next_speaker": item("Researcher"), "instruction_or_question": item("Go on.")})


def stalling_team() -> Any:
    """A team whose manager sees no progress in its first round, so it starts over once, then gives up."""
    scripted = OfflineChatClient(replies=["Facts.", "- Researcher: look.", ledger(False), "Facts again.", "- Researcher: look again."])
    researcher, _, _ = team()
    return MagenticBuilder(
        participants=[researcher], manager_agent=Agent(scripted, name="Lead"), max_stall_count=0, max_reset_count=1
    ).build()


def test_a_stall_makes_the_manager_start_over_and_the_reset_limit_ends_the_run():
    result = run(stalling_team().run(TASK))
    kinds = [e.event_type for e in orchestrator_events(result)]
    assert kinds == [MagenticOrchestratorEventType.PLAN_CREATED, MagenticOrchestratorEventType.PROGRESS_LEDGER_UPDATED,
                     MagenticOrchestratorEventType.REPLANNED]
    assert "start over 1 times" in result.get_outputs()[0].text


def test_a_ledger_that_is_not_json_fails_with_what_it_needs():
    scripted = OfflineChatClient(replies=["Facts.", "- Researcher: look.", "Researcher should go next."])
    researcher, _, _ = team()
    workflow = MagenticBuilder(participants=[researcher], manager_agent=Agent(scripted, name="Lead")).build()
    with pytest.raises(WorkflowFailedError) as failed:
        run(workflow.run(TASK))
    assert isinstance(failed.value.__cause__, OrchestrationManagerError) and "is_request_satisfied" in str(failed.value.__cause__)


def test_mixing_the_spellings_is_refused():
    researcher, _, lead = team()
    with pytest.raises(WorkflowValidationError, match="manager_agent="):
        MagenticBuilder(participants=[researcher]).with_standard_manager(agent=lead)


def test_a_run_waiting_on_plan_review_resumes_from_a_file_checkpoint_in_a_new_workflow(tmp_path):
    first = today(enable_plan_review=True, checkpoint_storage=FileCheckpointStorage(tmp_path)).build()
    [request] = run(first.run(TASK)).get_request_info_events()
    storage = FileCheckpointStorage(tmp_path)
    latest = run(storage.list_checkpoints())[-1]
    again = today(enable_plan_review=True, checkpoint_storage=storage).build()
    resumed = run(again.run(checkpoint_id=latest.checkpoint_id, checkpoint_storage=storage,
                            responses={request.request_id: request.data.approve()}))
    assert speakers(resumed) == ["Researcher", "Analyst"]
    assert resumed.get_outputs()[0].text == run(today().build().run(TASK)).get_outputs()[0].text


def test_a_run_resumes_mid_conversation_from_a_file_checkpoint(tmp_path):
    whole = run(today(checkpoint_storage=FileCheckpointStorage(tmp_path)).build().run(TASK))
    storage = FileCheckpointStorage(tmp_path)
    # The checkpoint taken when the researcher's answer had come back and the analyst was asked.
    middle = next(cp for cp in run(storage.list_checkpoints())
                  if "Analyst" in (cp.executor_states.get("magentic_orchestrator") or {}).get("read_up_to", {}))
    resumed = run(today(checkpoint_storage=storage).build().run(checkpoint_id=middle.checkpoint_id, checkpoint_storage=storage))
    invoked = [e.executor_id for e in resumed if e.type == "executor_invoked"]
    assert invoked == ["Analyst", "magentic_orchestrator"]
    assert resumed.get_outputs()[0].text == whole.get_outputs()[0].text


# --- the late-2025 spelling -----------------------------------------------------------------------


def late_2025(review: bool = False) -> Any:
    client = OfflineChatClient()
    researcher, analyst, _ = team(client)
    builder = MagenticBuilder().participants(researcher=researcher, analyst=analyst).with_standard_manager(chat_client=client)
    return builder.with_plan_review() if review else builder


def test_late_2025_events_and_output():
    result = run(late_2025().build().run(TASK))
    kinds = [e.kind for e in result if isinstance(e, wfkit.MagenticOrchestratorMessageEvent)]
    assert kinds[:2] == ["user_task", "task_ledger"] and kinds.count("instruction") == 2
    assert [e.agent_id for e in result if isinstance(e, wfkit.MagenticAgentMessageEvent)] == ["researcher", "analyst"]
    [final] = [e for e in result if isinstance(e, wfkit.MagenticFinalResultEvent)]
    [output] = result.get_outputs()
    assert isinstance(output, ChatMessage) and output.text == final.message.text


def test_late_2025_revise_with_comments_replans_and_edited_plan_is_used_as_given():
    workflow = late_2025(review=True).build()
    [request] = run(workflow.run(TASK)).get_request_info_events()
    assert isinstance(request.data, wfkit.MagenticPlanReviewRequest) and request.data.task_text == TASK
    revise = wfkit.MagenticPlanReviewReply(decision=wfkit.MagenticPlanReviewDecision.REVISE, comments="Cite sources.")
    [again] = run(workflow.send_responses({request.request_id: revise})).get_request_info_events()
    assert "cite sources" in again.data.plan_text and again.data.round_index == 1
    edited = wfkit.MagenticPlanReviewReply(
        decision=wfkit.MagenticPlanReviewDecision.REVISE, edited_plan_text="- analyst: estimate first.\n- researcher: check."
    )
    done = run(workflow.send_responses({again.request_id: edited}))
    assert speakers(done) == ["analyst", "researcher"]  # the person's order, not the manager's


def test_the_october_previews_workflow_inside_is_the_workflow_itself_and_resumes_from_a_checkpoint(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    first = late_2025(review=True).with_checkpointing(storage).build()
    assert isinstance(first, wfkit.Workflow) and first.workflow is first
    [request] = run(first.run(TASK)).get_request_info_events()
    latest = run(storage.list_checkpoints())[-1]
    resumed = late_2025(review=True).with_checkpointing(storage).build()

    async def events() -> list[Any]:
        approve = request.data.approve()
        return [e async for e in resumed.workflow.run_stream_from_checkpoint(latest.checkpoint_id, responses={request.request_id: approve})]

    assert [e for e in run(events()) if isinstance(e, wfkit.MagenticFinalResultEvent)]
    assert type(today().build()) is wfkit.Workflow  # today's build gives the plain workflow


def test_late_2025_streaming_reports_each_participants_pieces():
    async def events() -> list[Any]:
        return [e async for e in late_2025().build().run_stream(TASK)]

    deltas = [e for e in run(events()) if isinstance(e, wfkit.MagenticAgentDeltaEvent)]
    assert {e.agent_id for e in deltas} == {"researcher", "analyst"} and all(e.text for e in deltas)


# --- composition --------------------------------------------------------------------------------------


def test_a_magentic_run_answers_as_an_agent_with_the_final_answer_last():
    response = run(today().build().as_agent(name="team").run(TASK))
    assert [m.author_name for m in response.messages] == ["Researcher", "Analyst", "team"]
    assert response.messages[-1].text.startswith("Here is the team's answer")


class Upper(Executor):
    @handler
    async def upper(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)


def test_a_magentic_team_works_as_a_sub_workflow():
    front = Upper("front")
    parent = WorkflowBuilder().add_edge(front, today().build().as_executor(id="team")).set_start_executor(front).build()
    [output] = run(parent.run(TASK)).get_outputs()
    assert output.text.startswith("Here is the team's answer")


def test_earliest_previews_on_event_callback_hears_every_event_and_the_pieces_in_streaming_mode():
    heard: list[Any] = []
    workflow = late_2025().on_event(heard.append, mode=wfkit.MagenticCallbackMode.STREAMING).build()
    run(workflow.run(TASK))
    kinds = {type(e).__name__ for e in heard}
    assert kinds == {"MagenticOrchestratorMessageEvent", "MagenticAgentDeltaEvent", "MagenticAgentMessageEvent",
                     "MagenticFinalResultEvent"}


def test_earliest_previews_on_exception_callback_sees_the_error_before_the_run_fails():
    seen: list[Exception] = []
    scripted = OfflineChatClient(replies=["Facts.", "- researcher: look.", "not json"])
    researcher, _, _ = team()
    workflow = (MagenticBuilder().participants(researcher=researcher).on_exception(seen.append)
                .with_standard_manager(chat_client=scripted).build())
    with pytest.raises(WorkflowFailedError):
        run(workflow.run(TASK))
    assert len(seen) == 1 and isinstance(seen[0], OrchestrationManagerError)


def test_a_magentic_team_can_be_inlined_with_add_workflow():
    builder = WorkflowBuilder()
    handle = builder.add_workflow(today(), prefix="team")
    front = Upper("front")
    builder.add_edge(front, handle.start).set_start_executor(front)
    result = run(builder.build().run(TASK))
    assert speakers(result) == ["Researcher", "Analyst"]  # the members keep their names inside the team
    assert result.get_outputs()[0].text.startswith("Here is the team's answer")
