"""A support desk as a group chat on the offline model: the manager calls on the specialist the
customer's message is about, says why, and the specialist answers in its role."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import run
from wfkit import Agent, ChatMessage, OfflineChatClient, Role
from wfkit.agents.offline.coordinating import decide_next_speaker
from wfkit.orchestrations import GroupChatBuilder

from .test_group_chat import speakers


def support_desk() -> Any:
    client = OfflineChatClient()
    return GroupChatBuilder(
        participants=[
            Agent(client, "You triage customer messages.", name="triage", description="Reads a customer's message and routes it"),
            Agent(client, "You handle billing: refunds, invoices, charges.", name="billing",
                  description="Refunds, invoices, charges and payments"),
            Agent(client, "You handle shipping.", name="shipping", description="Parcels, delivery, tracking and couriers"),
        ],
        orchestrator_agent=Agent(client, "You coordinate a support desk.", name="lead"),
        max_rounds=6,
    ).build()


def answers(result: Any) -> dict[str, str]:
    return {e.executor_id: e.data.text for e in result if e.type == "agent_run"}


@pytest.mark.parametrize(
    ("message", "specialist"),
    [("I was charged twice for order 5521, please refund one charge", "billing"),
     ("My parcel has not arrived and the tracking page shows nothing", "shipping")],
)
def test_the_manager_calls_only_the_specialist_the_message_is_about(message, specialist):
    result = run(support_desk().run(message))
    assert speakers(result) == [specialist]
    said = answers(result)[specialist]
    assert f"I handle {specialist}" in said and "worth your attention" not in said
    [final] = result.get_outputs()
    assert said in final.text and "input from" not in final.text  # nobody else helped


def test_the_specialist_notes_the_order_number_the_customer_gave():
    said = answers(run(support_desk().run("I was charged twice for order 5521, please refund one charge")))["billing"]
    assert "5521" in said


def test_a_message_about_nothing_in_particular_goes_to_triage_who_asks_what_it_is_about():
    result = run(support_desk().run("Hello, can you help me?"))
    assert speakers(result) == ["triage"]
    assert "is it about" in answers(result)["triage"]


def test_the_managers_reason_quotes_the_words_that_fit_the_specialist():
    prompt = ('Participants:\n- triage: Reads a customer\'s message and routes it\n- billing: Refunds, invoices, charges and '
              'payments\n- shipping: Parcels, delivery, tracking and couriers\n\nAnswer with {"terminate": ..., "reason": ..., '
              '"next_speaker": ..., "final_message": ...}')
    decision = json.loads(decide_next_speaker([ChatMessage(Role.USER, text="Please refund my invoice"),
                                              ChatMessage(Role.USER, text=prompt)], prompt))
    assert decision["next_speaker"] == "billing"
    assert "'refund'" in decision["reason"] and "'invoice'" in decision["reason"] and "Refunds, invoices" in decision["reason"]
