"""The offline client: deterministic, plausible for the lessons' tasks, and scriptable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO, run
from wfkit.agents import ChatMessage, OfflineChatClient, Role, ScriptedRepliesExhaustedError
from wfkit.agents.offline.reading import count_words, split_sentences

BRIEF = (
    "Introduce our limited edition smart mug that keeps coffee at the perfect temperature. "
    "Highlight the app integration and 12-hour battery. It costs $79. Encourage early adopters to pre-order today."
)
RELEASE_PROMPT = (
    "You are drafting product release notes. Summarize the brief below in two sentences. "
    "Keep it positive and end with a call to action.\n\n"
    f"BRIEF: {BRIEF}"
)
WRITER = ChatMessage(Role.SYSTEM, text="Write concise, warm release notes that sound human and helpful.")


def reply(messages: object, client: OfflineChatClient | None = None) -> str:
    return run((client or OfflineChatClient()).get_response(messages)).text  # type: ignore[arg-type]


def revision_prompt(draft: str, guidance: str) -> str:
    return (
        "Revise the launch note. Respond with the new copy only.\n\n"
        f"Previous draft:\n{draft}\n\n"
        f"Human guidance: {guidance}"
    )


# --- determinism ------------------------------------------------------------------------------


def test_the_same_conversation_gets_the_same_reply_from_two_clients() -> None:
    conversation = [WRITER, ChatMessage(Role.USER, text=RELEASE_PROMPT)]
    assert reply(conversation, OfflineChatClient()) == reply(conversation, OfflineChatClient())


def test_different_prompts_get_different_replies() -> None:
    replies = {
        reply("Write a 200-word article about composting at home."),
        reply("Write a 200-word article about learning the violin."),
        reply(RELEASE_PROMPT),
        reply("What is the importance of learning programming?"),
    }
    assert len(replies) == 4


# Replies to the lessons' kinds of task, printed as JSON, in a fresh Python process.
REPLIES_IN_A_NEW_PROCESS = """
import asyncio, json
from wfkit.agents import ChatMessage, OfflineChatClient, Role
PROMPTS = json.loads(input())
async def main():
    client = OfflineChatClient()
    article = (await client.get_response(PROMPTS[1])).text
    conversations = [*PROMPTS, f"Summarize this in two sentences:\\n\\n{article}",
                     [ChatMessage(Role.SYSTEM, text="You are a strict editor."), ChatMessage(Role.USER, text=PROMPTS[0]),
                      ChatMessage(Role.ASSISTANT, text="Our mug is here!!! Really!")],
                     [ChatMessage(Role.USER, text=PROMPTS[0]), ChatMessage(Role.ASSISTANT, text=article),
                      ChatMessage(Role.USER, text="Make it shorter and more formal.")]]
    print(json.dumps([(await client.get_response(c)).text for c in conversations]))
asyncio.run(main())
"""


def replies_under_hash_seed(hash_seed: str) -> list[str]:
    prompts = [RELEASE_PROMPT, "Write a 200-word article about tidal energy.", "Why is sleep important for students?"]
    done = subprocess.run(
        [sys.executable, "-c", REPLIES_IN_A_NEW_PROCESS],
        input=json.dumps(prompts), cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_same_conversation_gets_the_same_reply_in_another_process() -> None:
    # Python salts str hashes per process: anything that depends on set or hash order differs.
    first, second = replies_under_hash_seed("1"), replies_under_hash_seed("2024")
    assert first == second
    assert len(set(first)) == len(first)  # every task got its own reply


def test_a_seed_changes_the_wording_but_not_the_facts() -> None:
    texts = {reply(RELEASE_PROMPT, OfflineChatClient(seed=seed)) for seed in range(6)}
    assert len(texts) > 1
    assert all("$79" in text and "smart mug" in text for text in texts)


def test_streaming_gives_the_same_text_in_pieces_of_a_few_words() -> None:
    client = OfflineChatClient()

    async def collect() -> list[str]:
        return [update.text async for update in client.get_streaming_response(RELEASE_PROMPT)]

    pieces = run(collect())
    assert len(pieces) > 3
    assert all(count_words(piece) <= 3 for piece in pieces)
    assert "".join(pieces) == reply(RELEASE_PROMPT)


# --- the lessons' tasks ------------------------------------------------------------------------


def test_release_notes_use_the_brief_and_respect_the_sentence_count() -> None:
    text = reply([WRITER, ChatMessage(Role.USER, text=RELEASE_PROMPT)])
    assert "smart mug" in text
    assert "$79" in text
    assert "app integration" in text and "12-hour battery" in text
    assert text.endswith("Pre-order today!")
    assert len(split_sentences(text)) == 2


def test_release_notes_read_labelled_briefs_too() -> None:
    text = reply(
        "Write release notes.\nProduct: Contoso Notes 2.0\nFeatures: offline sync, dark mode\n"
        "Price: $5/month\nCTA: Upgrade in the app today"
    )
    assert "Contoso Notes 2.0" in text and "offline sync" in text and "$5/month" in text
    assert text.endswith("Upgrade in the app today!")


@pytest.mark.parametrize("price", ["$79", "$1,299", "€4.50"])
def test_a_price_followed_by_a_comma_is_read_without_it(price: str) -> None:
    text = reply(f"Write release notes for the smart mug: {price}, 12-hour battery.")
    assert f"{price}." in text and f"{price},." not in text
    assert "12-hour battery" in text  # the feature after the price is kept


def test_a_revision_visibly_applies_the_feedback() -> None:
    no_price_brief = RELEASE_PROMPT.replace(" It costs $79.", "")
    draft = reply([WRITER, ChatMessage(Role.USER, text=no_price_brief)])
    conversation = [
        WRITER,
        ChatMessage(Role.USER, text=RELEASE_PROMPT),
        ChatMessage(Role.ASSISTANT, text=draft),
        ChatMessage(Role.USER, text=revision_prompt(draft, "mention the price")),
    ]
    revised = reply(conversation)
    assert "$79" not in draft
    assert "$79" in revised
    assert revised.endswith("Pre-order today!")  # the call to action stays last


@pytest.mark.parametrize(
    ("guidance", "visible"),
    [
        ("Make it more formal.", lambda text: "!" not in text),
        ("Add bullet points.", lambda text: "\n- " in text),
        ("Say that it ships in March.", lambda text: "It ships in March." in text),
        ("Highlight the battery.", lambda text: "the 12-hour battery." in text),
        ("Add a headline.", lambda text: text.splitlines()[0].startswith(("Introducing", "Say hello", "Limited"))),
        ("Use a pirate voice.", lambda text: text.startswith('Note: the offline model could not apply "Use a pirate')),
    ],
)
def test_each_kind_of_feedback_shows_in_the_revision(guidance: str, visible: object) -> None:
    draft = reply(RELEASE_PROMPT)
    revised = reply([ChatMessage(Role.USER, text=RELEASE_PROMPT), ChatMessage(Role.ASSISTANT, text=draft),
                     ChatMessage(Role.USER, text=revision_prompt(draft, guidance))])
    assert revised != draft
    assert visible(revised), revised  # type: ignore[operator]


def test_a_plain_follow_up_revises_the_previous_reply() -> None:
    draft = reply(RELEASE_PROMPT)
    revised = reply([ChatMessage(Role.USER, text=RELEASE_PROMPT), ChatMessage(Role.ASSISTANT, text=draft),
                     ChatMessage(Role.USER, text="Tighten it.")])
    assert count_words(revised) < count_words(draft)


def test_a_new_question_in_a_conversation_is_answered_not_revised() -> None:
    first = reply("Why is sleep important for students?")
    second = reply([ChatMessage(Role.USER, text="Why is sleep important for students?"),
                    ChatMessage(Role.ASSISTANT, text=first),
                    ChatMessage(Role.USER, text="How do I build a better sleep routine?")])
    assert "Revised" not in second
    assert "build a better sleep routine" in second


def test_feedback_in_system_messages_regenerates_the_answer() -> None:
    # The worker of the request/response lesson: feedback as SYSTEM messages, then the question again.
    question = "What is the importance of learning programming?"
    system = ChatMessage(Role.SYSTEM, text="You are a helpful assistant. Be concise.")
    first = reply([system, ChatMessage(Role.USER, text=question)])
    again = reply([
        system,
        ChatMessage(Role.USER, text=question),
        ChatMessage(Role.ASSISTANT, text=first),
        ChatMessage(Role.SYSTEM, text="Add a concrete example for beginners."),
        ChatMessage(Role.SYSTEM, text="Please incorporate the feedback and regenerate the response."),
        ChatMessage(Role.USER, text=question),
    ])
    assert again.startswith(first.rstrip("."))
    assert "concrete" in again and again != first


def test_an_article_is_about_the_topic_and_near_the_length_asked() -> None:
    text = reply("Write a 120-word article about urban beekeeping. Return ONLY the article text.")
    title = text.splitlines()[0]
    assert "Urban Beekeeping" in title
    assert "urban beekeeping" in text
    assert 60 <= count_words(text) <= 150


@pytest.mark.parametrize(
    "prompt",
    [
        "Write a blog post about remote work, 200 words.",
        "Write a blog post about remote work (about 200 words).",
        "Write a blog post about remote work in 200 words.",
    ],
)
def test_the_length_asked_for_is_not_part_of_the_topic(prompt: str) -> None:
    text = reply(prompt)
    title = text.splitlines()[0]
    assert "Remote Work" in title and "200" not in title and "Words" not in title
    assert "200" not in text
    assert 150 <= count_words(text) <= 250  # still near the length asked


def test_improving_an_article_changes_it_visibly() -> None:
    article = reply("Write a 150-word article about urban beekeeping.")
    improved = reply(
        f"Improve the following draft article about urban beekeeping:\n\n{article}\n\n"
        "Make it clearer and more engaging. Return ONLY the improved article text."
    )
    assert improved != article
    assert improved.splitlines()[0] == article.splitlines()[0]  # same title
    assert "In short:" in improved


def test_a_reviewer_approves_a_draft_that_has_what_the_brief_asks() -> None:
    reviewer = ChatMessage(Role.SYSTEM, text="You are a careful reviewer. Reply 'approve' or list the issues.")
    draft = reply(RELEASE_PROMPT)
    verdict = reply([reviewer, ChatMessage(Role.USER, text=RELEASE_PROMPT), ChatMessage(Role.ASSISTANT, text=draft)])
    assert verdict.startswith("Approved.")


@pytest.mark.parametrize("seed", range(6))
def test_an_approval_claims_only_the_checks_it_ran(seed: int) -> None:
    # Nobody asked for a call to action, so the reviewer does not look for one: it must not
    # praise the draft for having one (this draft has none).
    reviewer = ChatMessage(Role.SYSTEM, text="You are a careful reviewer.")
    brief = ChatMessage(Role.USER, text="Write a short note about our smart mug that keeps coffee hot. It costs $79.")
    draft = ChatMessage(Role.ASSISTANT, text="Meet our smart mug: it keeps coffee hot. It costs $79.")
    verdict = reply([reviewer, brief, draft], OfflineChatClient(seed=seed))
    assert verdict.startswith("Approved.")
    assert "call to action" not in verdict and "next step" not in verdict
    assert "$79" in verdict  # the price check did run, and passed


def test_a_reviewer_lists_concrete_issues() -> None:
    verdict = reply(
        [ChatMessage(Role.SYSTEM, text="You are a strict editor."),
         ChatMessage(Role.USER, text=RELEASE_PROMPT),
         ChatMessage(Role.ASSISTANT, text="Our mug is here. It is a mug!!! Really!")]
    )
    assert verdict.startswith("Needs changes:")
    assert "approve" not in verdict.lower()
    assert "$79" in verdict  # the missing price
    assert "call to action" in verdict
    assert "exclamation" in verdict


def test_a_review_prompt_reviews_the_draft_it_contains() -> None:
    verdict = reply("Review this draft:\n\nDraft: Meet the smart mug. Pre-order today!")
    assert verdict.startswith(("Approved.", "Needs changes:"))


def test_a_summary_picks_sentences_from_the_text() -> None:
    article = reply("Write a 200-word article about tidal energy.")
    summary = reply(f"Summarize this in two sentences:\n\n{article}")
    sentences = split_sentences(summary)
    assert len(sentences) == 2
    assert all(sentence in article for sentence in sentences)


def test_anything_else_gets_a_helpful_answer_about_its_subject() -> None:
    text = reply("Why is sleep important for students?")
    assert "sleep important for students" in text or "sleep" in text
    assert re.search(r"^1\. ", text, re.MULTILINE)


# --- scripted replies ---------------------------------------------------------------------------


def test_scripted_replies_come_in_order() -> None:
    client = OfflineChatClient(replies=["First draft.", "Approved."])
    assert reply("anything", client) == "First draft."
    assert reply("anything else", client) == "Approved."


def test_running_out_of_scripted_replies_says_how_many_there_were() -> None:
    client = OfflineChatClient(replies=["Only one."])
    reply("first", client)
    with pytest.raises(ScriptedRepliesExhaustedError, match=r"given 1 scripted replies.*request 2.*'second'"):
        reply("second", client)


def test_replies_must_be_a_list() -> None:
    with pytest.raises(TypeError, match="list of strings"):
        OfflineChatClient(replies="just one")  # type: ignore[arg-type]


def test_the_offline_client_names_its_model() -> None:
    client = OfflineChatClient()
    assert client.model_id == "offline"
    assert run(client.get_response("hi")).model_id == "offline"
