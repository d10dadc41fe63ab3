"""The late-2025 previews' `HandoffBuilder`: ``.set_coordinator(...)``, only the coordinator hands
off by default, the "handoff-user-input" node asks the user, and the output is the conversation."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import ChatMessage, HandoffBuilder, HandoffUserInputRequest, OfflineChatClient
from wfkit.errors import WorkflowValidationError

from .handoff_helpers import ORDER, REFUND, TRIAGE, converse, handoffs

REFUND_ASK = "I'd like a refund for order 1234, please."


def desk():
    client = OfflineChatClient()
    return (
        client.create_agent(instructions=TRIAGE, name="triage_agent"),
        client.create_agent(instructions=REFUND, name="refund_agent"),
        client.create_agent(instructions=ORDER, name="order_agent"),
    )


def support(**options):
    return HandoffBuilder(name="support", participants=list(desk()), **options).set_coordinator("triage_agent")


def test_the_coordinator_hands_off_and_the_user_input_node_asks_the_user():
    result = run(support().build().run(REFUND_ASK))
    assert handoffs(list(result)) == [("triage_agent", "refund_agent")]
    (request,) = result.get_request_info_events()
    assert request.source_executor_id == "handoff-user-input"
    assert isinstance(request.data, HandoffUserInputRequest)
    assert request.data.awaiting_agent_id == "triage_agent"
    assert request.data.prompt == "Provide your next input for the conversation."


def test_by_default_only_the_coordinator_can_hand_off():
    workflow = support().build()
    agent_edges = {(s, t) for g in workflow.edge_groups for s in g.sources for t in g.targets if t.endswith("_agent")}
    assert agent_edges == {
        ("input-conversation", "triage_agent"),
        ("triage_agent", "refund_agent"),
        ("triage_agent", "order_agent"),
        ("handoff-user-input", "triage_agent"),
    }


def test_the_reply_goes_to_the_coordinator_and_the_output_is_the_whole_conversation():
    workflow = support().with_termination_condition(lambda conversation: len(conversation) > 4).build()
    events = converse(workflow, REFUND_ASK, ["Thanks!"])
    invoked = [e.executor_id for e in events if e.type == "executor_invoked"]
    # after the reply: the user-input node takes it, the coordinator answers, the node ends it
    assert invoked[-3:] == ["handoff-user-input", "triage_agent", "handoff-user-input"]
    (output,) = [e.data for e in events if e.type == "output"]
    assert isinstance(output, list) and all(isinstance(m, ChatMessage) for m in output)
    assert output[0].text == REFUND_ASK and "Thanks!" in [m.text for m in output]


def test_the_default_ends_after_ten_user_messages():
    events = converse(support().build(), "Hello.", ["Hello again."] * 12)
    outputs = [e.data for e in events if e.type == "output"]
    assert len(outputs) == 1
    assert sum(1 for m in outputs[0] if m.role.value == "user") == 10


def test_request_prompt_sets_what_the_user_is_asked():
    result = run(support().request_prompt("How else can we help?").build().run("Hello."))
    assert result.get_request_info_events()[0].data.prompt == "How else can we help?"


def test_add_handoff_with_one_target_lets_a_specialist_hand_off_too():
    workflow = support().add_handoff("triage_agent", ["order_agent"]).add_handoff("order_agent", "refund_agent").build()
    events = converse(workflow, "I'd like a refund, my parcel is late.", [])
    assert all(source != "triage_agent" or target == "order_agent" for source, target in handoffs(events))
    assert ("order_agent", "refund_agent") in {(s, t) for g in workflow.edge_groups for s in g.sources for t in g.targets}


def test_agents_answers_are_not_outputs_in_this_era():
    result = run(support().build().run(REFUND_ASK))
    assert result.get_outputs() == []


def test_the_previews_spelling_refuses_today_s_methods():
    with pytest.raises(WorkflowValidationError, match=r"with_start_agent\(\.\.\.\) is today's AF"):
        support().with_start_agent("triage_agent")
