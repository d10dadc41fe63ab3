"""What the handoff tests share: a small support desk of offline agents, and a driver that
answers the user's questions in turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from tests.conftest import run
from wfkit import Agent, OfflineChatClient, Workflow, tool

TRIAGE = "You are frontline support triage. Route customer issues to the right specialist."
REFUND = "You process refund requests."
ORDER = "You handle order and shipping inquiries."


@tool
def process_refund(order_number: Annotated[str, "The order to refund"]) -> str:
    """Refund an order."""
    return f"Refund processed for order {order_number}."


@tool(approval_mode="always_require")
def issue_refund(order_number: Annotated[str, "The order to refund"]) -> str:
    """Issue a refund for an order (a person approves it first)."""
    return f"Refund issued for order {order_number}."


def agent(name: str, instructions: str, **options: Any) -> Agent:
    """An offline agent, as today's HandoffBuilder wants it."""
    return Agent(OfflineChatClient(), instructions, name=name, require_per_service_call_history_persistence=True, **options)


def desk(*, refund_tools: Sequence[Any] = ()) -> tuple[Agent, Agent, Agent]:
    """(triage, refund, order): a triage agent and two specialists."""
    return (
        agent("triage_agent", TRIAGE),
        agent("refund_agent", REFUND, tools=list(refund_tools) or None),
        agent("order_agent", ORDER),
    )


def converse(workflow: Workflow, first: str, replies: Sequence[Any]) -> list[Any]:
    """Run `workflow` on `first`, answering each request with the next of `replies` (the user's
    words, or an approval). Returns every event of every call, in order."""
    result = run(workflow.run(first))
    events, remaining = list(result), list(replies)
    while result.get_request_info_events() and remaining:
        request = result.get_request_info_events()[0]
        result = run(workflow.run(responses={request.request_id: remaining.pop(0)}))
        events += list(result)
    return events


def handoffs(events: Sequence[Any]) -> list[tuple[str, str]]:
    """(source, target) of every ``handoff_sent`` event."""
    return [(e.data.source, e.data.target) for e in events if e.type == "handoff_sent"]


def said(events: Sequence[Any]) -> list[tuple[str, str]]:
    """(agent, text) of every output that is an agent's answer."""
    return [(e.executor_id, e.data.text) for e in events if e.type == "output" and hasattr(e.data, "text")]
