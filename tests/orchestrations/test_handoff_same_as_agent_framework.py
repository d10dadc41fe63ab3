"""Today's handoff workflow, written once, runs the same on wfkit and on real Agent Framework
(skipped when agent-framework-orchestrations is not installed).

The agents on both sides follow a script: the triage agent calls ``handoff_to_refund_agent``,
the refund agent answers in words. Compared: who handed off to whom, who answered what (the
outputs), and who asked the user, with what kind of request.

One difference in order, by design of wfkit's engine: an agent's output event comes when its
handler has finished, so after the ``handoff_sent`` event the handler added; AF emits the output
first. `in_af_order` puts the two back in AF's order; everything else must match as it is.
"""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import pytest

import wfkit
import wfkit.orchestrations
from wfkit import ChatMessage, FunctionCallContent, OfflineChatClient, Role

try:
    import agent_framework as af
    import agent_framework.orchestrations as af_orchestrations

    af_orchestrations.HandoffBuilder  # noqa: B018  (the lazy import fails here when the package is missing)
except (ImportError, AttributeError) as missing:
    pytest.skip(f"Agent Framework's orchestrations are not importable ({missing}).", allow_module_level=True)

# A reply is text, or ("call", tool name).
TRIAGE_SCRIPT: list[Any] = [("call", "handoff_to_refund_agent")]
REFUND_SCRIPT: list[Any] = ["I have refunded order 1234.", "You're welcome!"]


class ScriptedWfkit(OfflineChatClient):
    """wfkit's offline client, following a script that may call tools."""

    def __init__(self, script: list[Any]) -> None:
        super().__init__()
        self.script = list(script)

    def reply_message(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatMessage:
        reply = self.script.pop(0)
        if isinstance(reply, tuple):
            return ChatMessage(Role.ASSISTANT, [FunctionCallContent(f"c{len(self.script)}", reply[1], "{}")])
        return ChatMessage(Role.ASSISTANT, [reply])


class ScriptedAf(af.FunctionInvocationLayer, af.BaseChatClient):
    """The same script for real AF: a chat client whose tool calls AF's own loop handles."""

    def __init__(self, script: list[Any]) -> None:
        super().__init__()
        self.script = list(script)

    def _inner_get_response(self, *, messages: Any, stream: bool, options: Any, **kwargs: Any) -> Any:
        reply = self.script.pop(0)
        if isinstance(reply, tuple):
            contents = [af.Content.from_function_call(call_id=f"c{len(self.script)}", name=reply[1], arguments="{}")]
        else:
            contents = [reply]

        async def whole() -> Any:
            return af.ChatResponse(messages=[af.Message("assistant", contents)], response_id="r")

        return whole()


def support(framework: ModuleType, orchestrations: ModuleType, client: type) -> Any:
    """The definition, in today's spelling, written once for both frameworks."""
    triage = framework.Agent(client=client(TRIAGE_SCRIPT), name="triage_agent", instructions="Route requests.",
                             require_per_service_call_history_persistence=True)  # fmt: skip
    refund = framework.Agent(client=client(REFUND_SCRIPT), name="refund_agent", instructions="You process refunds.",
                             require_per_service_call_history_persistence=True)  # fmt: skip
    return orchestrations.HandoffBuilder(participants=[triage, refund]).with_start_agent(triage).build()


async def converse(workflow: Any, orchestrations: ModuleType) -> list[tuple[Any, ...]]:
    """Run, reply once, then end; what happened, as plain data."""
    seen: list[tuple[Any, ...]] = []
    result = await workflow.run("I want a refund for order 1234.")
    for reply in ("Thanks!", None):
        for event in result:
            if event.type == "handoff_sent":
                seen.append(("handoff", event.data.source, event.data.target))
            elif event.type == "output":
                seen.append(("output", event.executor_id, event.data.text))
            elif event.type == "request_info":
                seen.append(("asks", event.source_executor_id, type(event.data).__name__))
        requests = result.get_request_info_events()
        if not requests:
            break
        answer = orchestrations.HandoffAgentUserRequest.terminate() if reply is None else \
            orchestrations.HandoffAgentUserRequest.create_response(reply)  # fmt: skip
        result = await workflow.run(responses={requests[0].request_id: answer})
    return seen


def in_af_order(seen: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A handoff followed by the same agent's output, swapped (see the module)."""
    seen = list(seen)
    for index in range(len(seen) - 1):
        here, after = seen[index], seen[index + 1]
        if here[0] == "handoff" and after[0] == "output" and after[1] == here[1]:
            seen[index], seen[index + 1] = after, here
    return seen


def test_a_handoff_conversation_goes_the_same_way_on_wfkit_and_agent_framework():
    on_af = asyncio.run(converse(support(af, af_orchestrations, ScriptedAf), af_orchestrations))
    on_wfkit = asyncio.run(converse(support(wfkit, wfkit.orchestrations, ScriptedWfkit), wfkit.orchestrations))
    assert ("handoff", "triage_agent", "refund_agent") in on_af, on_af  # the script did what it says
    assert in_af_order(on_wfkit) == on_af
