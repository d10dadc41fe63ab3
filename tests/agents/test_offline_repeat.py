"""Feedback given twice in a row is still feedback (a learner may well click Revise twice)."""

from __future__ import annotations

from tests.conftest import run
from wfkit import ChatMessage, OfflineChatClient, Role


def test_the_same_feedback_twice_revises_the_draft_twice():
    writer = OfflineChatClient().create_agent(instructions="You write short, friendly blog posts.", name="writer")
    conversation = [ChatMessage(Role.USER, text="Write a short blog post about composting at home.")]

    async def turn(text: str | None = None) -> str:
        if text is not None:
            conversation.append(ChatMessage(Role.USER, text=text))
        response = await writer.run(conversation)
        conversation.extend(response.messages)
        return response.text

    async def scenario() -> list[str]:
        drafts = [await turn()]
        for _ in range(2):
            drafts.append(await turn("Please revise the draft. Feedback: Make it shorter, please"))
        return drafts

    first, second, third = run(scenario())
    assert "Please revise" not in second and "Please revise" not in third
    assert "compost" in third.lower()
    assert len(third.split()) <= len(second.split()) <= len(first.split())
