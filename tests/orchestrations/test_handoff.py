"""Today's `HandoffBuilder` (AF 1.x's spelling): agents hand the conversation to each other with
``handoff_to_<name>`` tools, and the agent that answers asks the user what comes next."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import AgentResponse, AgentResponseUpdate, FunctionApprovalRequestContent, WorkflowRunState
from wfkit.errors import WorkflowFailedError, WorkflowValidationError
from wfkit.orchestrations import HandoffAgentUserRequest, HandoffBuilder

from .handoff_helpers import agent, converse, desk, handoffs, issue_refund, process_refund, said

REFUND_ASK = "I'd like a refund for order 1234, please."


def support(*agents, **options):
    return HandoffBuilder(participants=list(agents), **options).with_start_agent(agents[0])


def test_the_triage_agent_hands_a_request_to_the_specialist_whose_role_fits_it():
    events = converse(support(*desk()).build(), REFUND_ASK, [])
    assert handoffs(events) == [("triage_agent", "refund_agent")]
    assert said(events)[-1][0] == "refund_agent"


def test_a_request_that_fits_no_specialist_is_answered_by_the_start_agent_who_asks_the_user():
    result = run(support(*desk()).build().run("Hello, I need some help."))
    (request,) = result.get_request_info_events()
    assert not handoffs(list(result))
    assert request.source_executor_id == "triage_agent"
    assert isinstance(request.data, HandoffAgentUserRequest)


def test_the_start_agent_reads_the_input_first():
    triage, refund, order = desk()
    workflow = HandoffBuilder(participants=[triage, refund, order]).with_start_agent(order).build()
    first = next(e for e in run(workflow.run("Where is my parcel?")) if e.type == "executor_invoked")
    assert first.executor_id == "order_agent"


def test_building_without_a_start_agent_says_how_to_name_one():
    with pytest.raises(WorkflowValidationError, match=r"with_start_agent"):
        HandoffBuilder(participants=list(desk())).build()


def test_add_handoff_limits_who_may_hand_off_to_whom():
    triage, refund, order = desk()
    workflow = support(triage, refund, order).add_handoff(triage, [order]).add_handoff(order, [refund]).build()
    events = converse(workflow, REFUND_ASK, [])
    # triage has no tool for refund_agent, so it cannot hand the refund there itself.
    assert ("triage_agent", "refund_agent") not in handoffs(events)
    edges = {(s, t) for group in workflow.edge_groups for s in group.sources for t in group.targets}
    assert edges == {("triage_agent", "order_agent"), ("order_agent", "refund_agent")}


def test_an_agent_nobody_can_hand_off_to_is_refused_at_build():
    triage, refund, order = desk()
    with pytest.raises(WorkflowValidationError, match=r"nobody can hand off to 'refund_agent'"):
        support(triage, refund, order).add_handoff(triage, [order]).build()


def test_the_request_to_the_user_carries_the_conversation_and_a_prompt():
    result = run(support(*desk()).build().run("Hello, I need some help."))
    request = result.get_request_info_events()[0].data
    assert [m.text for m in request.conversation][0] == "Hello, I need some help."
    assert "triage_agent" in request.prompt and "end the conversation" in request.prompt
    assert request.agent_response.text == request.conversation[-1].text


def test_the_users_reply_goes_back_to_the_agent_that_asked():
    events = converse(support(*desk()).build(), REFUND_ASK, ["Thanks, that's all."])
    assert said(events)[-1][0] == "refund_agent"
    assert "welcome" in said(events)[-1][1].lower()


def test_with_return_to_previous_off_the_start_agent_reads_the_reply_first():
    workflow = support(*desk()).enable_return_to_previous(False).build()
    events = converse(workflow, REFUND_ASK, ["Thanks, that's all."])
    invoked = [e.executor_id for e in events if e.type == "executor_invoked"]
    assert invoked[-2:] == ["refund_agent", "triage_agent"]


def test_terminate_ends_the_conversation():
    workflow = support(*desk()).build()
    result = run(workflow.run("Hello."))
    request = result.get_request_info_events()[0]
    ended = run(workflow.run(responses={request.request_id: HandoffAgentUserRequest.terminate()}))
    assert ended.get_final_state() == WorkflowRunState.IDLE
    assert not ended.get_request_info_events()


def test_the_termination_condition_ends_the_conversation_without_asking_again():
    workflow = support(*desk(), termination_condition=lambda conversation: "welcome" in conversation[-1].text.lower())
    events = converse(workflow.build(), REFUND_ASK, ["Thank you!"])
    assert events[-1].type == "status" and events[-1].state == WorkflowRunState.IDLE
    assert not [e for e in events[-8:] if e.type == "request_info"]


def test_a_reply_that_is_no_message_fails_the_run_and_says_what_to_send():
    workflow = support(*desk()).build()
    request = run(workflow.run("Hello.")).get_request_info_events()[0]
    with pytest.raises(WorkflowFailedError) as failed:
        run(workflow.run(responses={request.request_id: 42}))
    assert "text, a Message or a list of them" in str(failed.value.__cause__)


def test_each_agents_answer_is_an_output():
    events = converse(support(*desk()).build(), REFUND_ASK, [])
    outputs = [e for e in events if e.type == "output"]
    assert [e.executor_id for e in outputs] == ["triage_agent", "refund_agent"]
    assert all(isinstance(e.data, AgentResponse) for e in outputs)


def test_streamed_the_outputs_are_the_pieces_of_each_answer():
    async def stream():
        return [event async for event in support(*desk()).build().run(REFUND_ASK, stream=True)]

    outputs = [e.data for e in run(stream()) if e.type == "output"]
    assert outputs and all(isinstance(piece, AgentResponseUpdate) for piece in outputs)


def test_a_specialists_tool_that_needs_approval_pauses_the_handoff_until_approved():
    workflow = support(*desk(refund_tools=[issue_refund])).build()
    result = run(workflow.run(REFUND_ASK))
    (request,) = result.get_request_info_events()
    assert isinstance(request.data, FunctionApprovalRequestContent) and request.source_executor_id == "refund_agent"
    approved = run(workflow.run(responses={request.request_id: request.data.to_function_approval_response(True)}))
    assert "Refund issued for order 1234" in said(list(approved))[-1][1]


def test_autonomous_mode_lets_an_agent_go_on_before_it_asks_the_user():
    triage, refund, order = desk()
    workflow = support(triage, refund, order).with_autonomous_mode(agents=[triage], turn_limits={"triage_agent": 2})
    result = run(workflow.build().run("Hello."))
    assert [e.executor_id for e in result if e.type == "output"] == ["triage_agent"] * 3
    assert len(result.get_request_info_events()) == 1


def test_today_s_spelling_needs_the_history_flag_as_agent_framework_does():
    from wfkit import Agent, OfflineChatClient

    plain = Agent(OfflineChatClient(), "You process refunds.", name="refund_agent")
    with pytest.raises(WorkflowValidationError, match="require_per_service_call_history_persistence=True"):
        HandoffBuilder(participants=[desk()[0], plain]).with_start_agent("triage_agent").build()


def test_the_missing_history_flag_names_each_agent_without_it_in_a_sentence_that_agrees():
    from wfkit import Agent, OfflineChatClient

    def plain(name):
        return Agent(OfflineChatClient(), "You help.", name=name)

    with pytest.raises(WorkflowValidationError) as one:
        HandoffBuilder(participants=[desk()[0], plain("billing")]).with_start_agent("triage_agent").build()
    assert "; 'billing' was not." in str(one.value)
    with pytest.raises(WorkflowValidationError) as three:
        HandoffBuilder(participants=[plain("triage"), plain("billing"), plain("shipping")]).with_start_agent("triage").build()
    assert "; 'triage', 'billing', 'shipping' were not." in str(three.value)


def test_mixing_the_two_spellings_is_refused_with_the_one_to_keep():
    triage, refund, order = desk()
    with pytest.raises(WorkflowValidationError, match=r"set_coordinator\(\.\.\.\) is the late-2025.*with_start_agent"):
        HandoffBuilder(participants=[triage, refund]).with_start_agent(triage).set_coordinator(triage)


def test_the_same_conversation_runs_the_same_way_twice():
    first = converse(support(*desk(refund_tools=[process_refund])).build(), REFUND_ASK, ["Thanks!"])
    again = converse(support(*desk(refund_tools=[process_refund])).build(), REFUND_ASK, ["Thanks!"])
    assert said(first) == said(again) and handoffs(first) == handoffs(again)


def test_a_participant_that_is_not_an_agent_is_refused():
    with pytest.raises(WorkflowValidationError, match="participants are agents"):
        HandoffBuilder(participants=[desk()[0], "refund_agent"])


def test_a_handoff_tool_name_clash_is_refused():
    from wfkit import FunctionTool

    clash = FunctionTool(name="handoff_to_refund_agent", func=lambda: "x", description="mine")
    triage = agent("triage_agent", "You are triage.", tools=[clash])
    with pytest.raises(WorkflowValidationError, match="already has a tool named 'handoff_to_refund_agent'"):
        support(triage, agent("refund_agent", "You process refund requests.")).build()


def test_the_agents_given_keep_their_own_tools_the_handoff_tools_are_added_per_run():
    triage, refund, order = desk()
    support(triage, refund, order).build()
    assert triage.default_options.get("tools") in (None, [])  # the agent given is left as it was


def test_the_termination_condition_is_checked_before_the_agent_answers_a_reply():
    def two_user_messages(conversation):
        return sum(1 for message in conversation if message.role.value == "user") >= 2

    workflow = support(*desk(), termination_condition=two_user_messages).build()
    request = run(workflow.run("Hello.")).get_request_info_events()[0]
    ended = run(workflow.run(responses={request.request_id: "One more thing."}))
    assert ended.get_outputs() == [] and not ended.get_request_info_events()
