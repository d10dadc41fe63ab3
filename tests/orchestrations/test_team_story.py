"""The story of a team's run, read from its events: the turns in order, who chose each speaker
and why, handoffs, Magentic's plans and rounds, in both spellings, streamed or not."""

from __future__ import annotations

import json
from typing import Any

import wfkit
from tests.conftest import run
from tests.orchestrations.handoff_helpers import converse, desk
from tests.orchestrations.helpers import reader
from tests.orchestrations.test_magentic import TASK, late_2025, stalling_team, team
from wfkit import (
    Agent,
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    ChatMessage,
    Executor,
    FunctionCallContent,
    OfflineChatClient,
    Role,
    WorkflowContext,
    handler,
)
from wfkit.orchestrations import (
    AgentRequestInfoResponse,
    GroupChatBuilder,
    GroupChatRequestSentEvent,
    GroupChatState,
    HandoffAgentUserRequest,
    HandoffBuilder,
    MagenticBuilder,
    MagenticProgressLedger,
    SpeakerChoice,
    StoryNote,
    TeamStoryReader,
    events_through_step,
    read_team_story,
    team_kind,
)

QUESTION = "Why do owls hunt at night?"


def chaired_chat() -> Any:
    client = OfflineChatClient()
    writer = Agent(client, "You are Writer.", name="Writer", description="Synthesizes polished answers from gathered information")
    researcher = Agent(client, "You are Researcher.", name="Researcher", description="Collects relevant background information")
    chair = Agent(client, "You coordinate the team.", name="Chair")
    return GroupChatBuilder(participants=[writer, researcher], orchestrator_agent=chair, max_rounds=8).build()


def streamed(workflow: Any, message: str) -> list[Any]:
    async def events() -> list[Any]:
        return [event async for event in workflow.run_stream(message)]

    return run(events())


def choices(story: Any) -> list[SpeakerChoice]:
    return [entry for entry in story.entries if isinstance(entry, SpeakerChoice)]


# --- group chat -------------------------------------------------------------------------------------


def test_a_group_chat_reads_as_the_question_each_answer_in_order_and_the_closing_word():
    events = list(run(chaired_chat().run(QUESTION)))
    story = read_team_story(events)
    answers = [(e.executor_id, e.data.text) for e in events if e.type == "agent_run"]
    closing = [e for e in events if e.type == "output"][0].data.text
    assert story.kind == "group chat"
    assert [(t.speaker, t.text) for t in story.turns] == [("user", QUESTION), *answers, ("Chair", closing)]
    assert story.ended and "Chair had the last word" in story.now()


def test_each_choice_carries_the_managers_reason_from_the_request_event():
    events = list(run(chaired_chat().run(QUESTION)))
    asked = [e.data for e in events if isinstance(e.data, GroupChatRequestSentEvent)]
    story = read_team_story(events)
    assert [(c.speaker, c.reason, c.round) for c in choices(story)] == [
        (a.participant_name, a.reason, a.round_index + 1) for a in asked
    ]
    assert all(a.participant_name in a.reason for a in asked)  # the offline chair names whom it picks
    assert {c.chosen_by for c in choices(story)} == {"Chair"}


def round_robin(state: GroupChatState) -> str:
    return list(state.participants)[state.current_round % len(state.participants)]


def test_a_selection_function_is_named_as_the_reason():
    workflow = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=2).build()
    story = read_team_story(run(workflow.run("owls")))
    assert [(c.speaker, c.reason) for c in choices(story)] == [
        ("a", "chosen by your selection function round_robin"),
        ("b", "chosen by your selection function round_robin"),
    ]


def test_while_an_answer_streams_the_speaker_is_speaking_and_the_turn_grows():
    events = streamed(chaired_chat(), QUESTION)
    pieces = [i for i, e in enumerate(events) if e.type == "agent_run_update" and e.executor_id == "Researcher"]
    reader_ = TeamStoryReader()
    for event in events[: pieces[2] + 1]:
        reader_.read(event)
    writing = reader_.story.turns[-1]
    so_far = "".join(events[i].data.text for i in pieces[:3])
    assert (writing.speaker, writing.text, writing.writing) == ("Researcher", so_far, True)
    assert reader_.story.now() == "Researcher is speaking."
    for event in events[pieces[2] + 1 :]:
        reader_.read(event)
    whole = next(e.data.text for e in events if e.type == "agent_run" and e.executor_id == "Researcher")
    assert writing.text == whole and not writing.writing  # the same turn, settled


def test_events_through_a_step_tell_the_story_as_it_stood_then():
    events = list(run(chaired_chat().run(QUESTION)))
    last = max(e.iteration for e in events if e.type == "superstep_completed")
    early = read_team_story(events_through_step(events, 2))
    assert [t.speaker for t in early.turns] == ["user", "Researcher"]
    assert early.now() == "The manager is choosing who speaks next."
    assert read_team_story(events_through_step(events, last)).turns == read_team_story(events).turns


class Echo(Executor):
    """A participant that is no agent: it answers the manager with an `AgentExecutorResponse` of its own."""

    @handler
    async def answer(self, request: AgentExecutorRequest, ctx: WorkflowContext[AgentExecutorResponse]) -> None:
        said = ChatMessage(Role.ASSISTANT, text=f"echo: {request.messages[-1].text}")
        await ctx.send_message(AgentExecutorResponse(self.id, AgentRunResponse(messages=[said]), [said]))


def test_a_participant_that_is_an_executor_of_your_own_speaks_in_the_story_too():
    workflow = GroupChatBuilder(participants=[reader("a"), Echo("echo")], selection_func=round_robin, max_rounds=2).build()
    story = read_team_story(run(workflow.run("owls")))
    said = [(t.speaker, t.text) for t in story.turns[:3]]
    assert said == [("user", "owls"), ("a", "a read 'owls'"), ("echo", "echo: a read 'owls'")]


def test_a_reviewed_participants_answer_is_told_once_under_its_own_name():
    workflow = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=2)
    workflow = workflow.with_request_info(agents=["a"]).build()
    first = run(workflow.run("owls"))
    [request] = first.get_request_info_events()
    rest = run(workflow.send_responses({request.request_id: AgentRequestInfoResponse.approve()}))
    story = read_team_story([*first, *rest])
    assert [t.speaker for t in story.turns] == ["user", "a", "b", "group_chat_orchestrator"]


# --- handoff ------------------------------------------------------------------------------------------


def test_a_handoff_reads_as_who_handed_to_whom_and_the_users_replies():
    triage, refund, order = desk()
    workflow = HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).build()
    events = converse(workflow, "I need a refund for order 123", ["It was a blender."])
    story = read_team_story(events)
    [handoff] = choices(story)
    assert (handoff.how, handoff.chosen_by, handoff.speaker) == ("handoff", "triage_agent", "refund_agent")
    speakers = [t.speaker for t in story.turns]
    assert speakers == ["user", "triage_agent", "refund_agent", "user", "refund_agent"]
    assert story.turns[3].text == "It was a blender."
    assert story.now() == "Waiting for the user to reply to refund_agent."


def test_ending_a_handoff_conversation_is_a_note():
    triage, refund, order = desk()
    workflow = HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).build()
    story = read_team_story(converse(workflow, "I need a refund for order 123", [HandoffAgentUserRequest.terminate()]))
    assert isinstance(story.entries[-1], StoryNote) and "ended the conversation" in story.entries[-1].text
    assert story.ended


class ExplainingTriage(OfflineChatClient):
    """Hands off to the refund agent with a reason in the call's arguments, then answers as usual."""

    def reply_message(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatMessage:
        tools = [t.name for t in options.get("tools", [])]
        if "handoff_to_refund_agent" in tools and self.requests_answered == 0:
            self.requests_answered += 1
            arguments = json.dumps({"reason": "refunds are the refund agent's job"})
            return ChatMessage(Role.ASSISTANT, [FunctionCallContent("call_1", "handoff_to_refund_agent", arguments)])
        return super().reply_message(messages, options)


def test_a_reason_given_in_the_handoff_call_reaches_the_event_and_the_story():
    _, refund, order = desk()
    triage = Agent(
        ExplainingTriage(), "You are triage.", name="triage_agent", require_per_service_call_history_persistence=True
    )
    workflow = HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).build()
    events = converse(workflow, "Hello", [])
    [sent] = [e.data for e in events if e.type == "handoff_sent"]
    assert sent.reason == "refunds are the refund agent's job"
    assert choices(read_team_story(events))[0].reason == sent.reason


# --- Magentic -------------------------------------------------------------------------------------------


def magentic() -> Any:
    researcher, analyst, lead = team()
    return MagenticBuilder(participants=[analyst, researcher], manager_agent=lead).build()


def test_magentic_reads_as_the_plan_each_round_s_ledger_and_the_instructions():
    events = list(run(magentic().run(TASK)))
    story = read_team_story(events)
    ledgers = [e.data.content for e in events if isinstance(getattr(e.data, "content", None), MagenticProgressLedger)]
    assert story.kind == "magentic" and len(story.plans) == 1 and "Researcher" in story.plans[0].plan
    assert [r.ledger for r in story.rounds] == ledgers and story.rounds[-1].satisfied
    picked = choices(story)
    assert [(c.speaker, c.reason, c.instruction) for c in picked] == [
        (str(l.next_speaker.answer), l.next_speaker.reason, str(l.instruction_or_question.answer)) for l in ledgers[:2]
    ]
    assert [t.speaker for t in story.turns] == ["user", "Researcher", "Analyst", "magentic_manager"]


def test_a_stall_is_marked_and_the_new_plan_says_why_it_came():
    workflow = stalling_team()
    story = read_team_story(run(workflow.run(TASK)))
    [round_] = story.rounds
    assert round_.stalled and not round_.satisfied
    assert [p.plan for p in story.plans] == ["- Researcher: look.", "- Researcher: look again."]
    assert "stalled" in story.plans[1].why and story.plans[1].after_round == 1
    assert any(isinstance(e, StoryNote) and e.kind == "stall" for e in story.entries)


def test_a_plan_review_and_its_feedback_are_in_the_story():
    researcher, analyst, lead = team()
    workflow = MagenticBuilder(participants=[analyst, researcher], manager_agent=lead, enable_plan_review=True).build()
    first = run(workflow.run(TASK))
    [request] = first.get_request_info_events()
    second = run(workflow.send_responses({request.request_id: request.data.revise("Also state the units used.")}))
    story = read_team_story([*first, *second])
    notes = [e.text for e in story.entries if isinstance(e, StoryNote)]
    assert "The reviewer asked for changes: Also state the units used." in notes
    assert len(story.plans) == 2 and "Also state the units used." in story.plans[1].why


def test_late_2025_magentic_reads_its_plan_and_instructions_from_its_message_events():
    story = read_team_story(run(late_2025().build().run(TASK)))
    instructions = [c.instruction for c in choices(story)]
    assert story.kind == "magentic" and len(story.plans) == 1 and not story.rounds  # the previews had no ledger event
    assert [c.speaker for c in choices(story)] == ["researcher", "analyst"] and all(instructions)
    assert all(c.reason for c in choices(story))


# --- which workflows are teams ------------------------------------------------------------------------------


def test_the_builders_workflows_are_known_as_teams_and_others_are_not():
    triage, refund, order = desk()
    assert team_kind(chaired_chat()) == "group chat"
    assert team_kind(magentic()) == "magentic"
    assert team_kind(HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).build()) == "handoff"
    from wfkit.orchestrations import SequentialBuilder

    assert team_kind(SequentialBuilder(participants=[reader("a"), reader("b")]).build()) == ""
    assert read_team_story(run(SequentialBuilder(participants=[reader("a"), reader("b")]).build().run("owls"))).kind == ""


def test_late_2025_a_plan_the_reviewer_writes_becomes_the_plan_the_story_shows():
    workflow = late_2025(review=True).build()
    first = run(workflow.run(TASK))
    [request] = first.get_request_info_events()
    own_plan = "- analyst: estimate first.\n- researcher: check."
    edited = wfkit.MagenticPlanReviewReply(decision=wfkit.MagenticPlanReviewDecision.REVISE, edited_plan_text=own_plan)
    rest = run(workflow.send_responses({request.request_id: edited}))
    story = read_team_story([*first, *rest])
    assert (story.plans[-1].plan, story.plans[-1].why) == (own_plan, "written by the reviewer")
    assert [c.speaker for c in choices(story)] == ["analyst", "researcher"]
