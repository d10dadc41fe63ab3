"""The offline model in a handoff workflow: it hands off when the request fits another
participant, answers in its role otherwise, and the same conversation gets the same reply."""

from __future__ import annotations

from tests.conftest import run
from wfkit import ChatMessage, FunctionCallContent, OfflineChatClient, Role
from wfkit.orchestrations.handoff_tools import HandoffTool

from .handoff_helpers import agent, converse, handoffs
from wfkit.orchestrations import HandoffBuilder


def reply(instructions: str, prompt: str, *tools: HandoffTool) -> ChatMessage:
    messages = [ChatMessage(Role.SYSTEM, text=instructions), ChatMessage(Role.USER, text=prompt)]
    return run(OfflineChatClient().get_response(messages, tools=list(tools))).messages[-1]


def calls(message: ChatMessage) -> list[str]:
    return [c.name for c in message.contents if isinstance(c, FunctionCallContent)]


REFUND_TOOL = HandoffTool("refund_agent", None, "You process refund requests.")
ORDER_TOOL = HandoffTool("order_agent", None, "You handle order and shipping inquiries.")


def test_a_router_calls_the_handoff_tool_of_the_participant_the_request_is_for():
    message = reply("You are frontline support triage.", "I need a refund, please.", REFUND_TOOL, ORDER_TOOL)
    assert calls(message) == ["handoff_to_refund_agent"]
    assert "refund_agent" in message.text  # it says so, as a person would


def test_the_target_s_description_counts_as_much_as_its_instructions():
    money = HandoffTool("billing_agent", "Handles invoices and money back.", "You help customers.")
    assert calls(reply("You are frontline support triage.", "Where is my invoice?", money, ORDER_TOOL)) == [
        "handoff_to_billing_agent"
    ]


def test_a_request_that_fits_nobody_gets_a_question_naming_the_specialists():
    message = reply("You are frontline support triage.", "Hello, I need some help.", REFUND_TOOL, ORDER_TOOL)
    assert calls(message) == [] and "refund or order" in message.text


def test_a_specialist_keeps_a_request_that_is_its_own():
    message = reply("You process refund requests.", "I need a refund for my order.", ORDER_TOOL)
    assert calls(message) == [] and "refund requests" in message.text


def test_thanks_are_answered_with_you_are_welcome():
    assert "welcome" in reply("You process refund requests.", "Thanks a lot!", ORDER_TOOL).text.lower()


def test_the_same_conversation_gets_the_same_reply():
    first = reply("You are frontline support triage.", "My parcel is late.", REFUND_TOOL, ORDER_TOOL)
    again = reply("You are frontline support triage.", "My parcel is late.", REFUND_TOOL, ORDER_TOOL)
    assert first.text == again.text and calls(first) == calls(again)


def test_a_real_model_is_shown_only_the_tool_s_name_description_and_empty_parameters():
    assert REFUND_TOOL.description == "Handoff to the refund_agent agent."
    assert REFUND_TOOL.parameters == {"type": "object", "properties": {}}


def test_outside_a_handoff_workflow_the_offline_model_writes_as_before():
    messages = [ChatMessage(Role.USER, text="Why is sleep important?")]
    plain = run(OfflineChatClient().get_response(messages)).text
    assert "handing you over" not in plain and "welcome" not in plain.lower()


def test_nobody_is_handed_the_same_message_twice_so_a_conversation_never_loops():
    # Each agent thinks the other fits better; without the rule they would pass it back and forth.
    a = agent("alpha_agent", "You are a coordinator.")
    b = agent("beta_agent", "You are a coordinator too.")
    workflow = HandoffBuilder(participants=[a, b]).with_start_agent(a).build()
    events = converse(workflow, "Ask alpha or beta about this.", [])
    assert len(handoffs(events)) <= 1
