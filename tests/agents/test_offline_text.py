"""The offline model's text does not slip: no placeholders, no fact said twice, and reviewers
that judge by their own instructions."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run
from wfkit.agents import ChatMessage, OfflineChatClient, Role
from wfkit.agents.offline.draft import take_out
from wfkit.agents.offline.reading import prices_in, same_price

# What a template left unfilled looks like: "[price]", "{name}", "<product>", "TODO", "(date)".
PLACEHOLDER = re.compile(
    r"\[[^\]\n]*\]|\{[^}\n]*\}|<[^>\n]*>|\b(?:TODO|TBD|FIXME|XXX)\b|lorem ipsum"
    r"|\((?:price|name|product(?: name)?|date|link|url|company)\)"
    r"|\b(?:insert|your) (?:price|product|name|company)\b"
    r"|\bthe (?:product name|release date|price)\.",
    re.IGNORECASE,
)

# The lessons' own prompts (notebooks 02, 03, 04 and 06).
LESSON_QUESTION = "What is the importance of learning programming?"
LESSON_BRIEF = ("Introduce Contoso Brew, a smart coffee grinder with 40 grind settings and a quiet motor, "
                "priced at $249.")
LESSON_RELEASE_PROMPT = ("Write release notes in two sentences for the brief below. "
                         f"End with a call to action.\n\nBRIEF: {LESSON_BRIEF}")
LESSON_BLOG_PROMPT = "Write a short blog post on Python async programming."
LESSON_MUG_BRIEF = ("Write release notes for the Ember smart mug: keeps coffee at your chosen temperature, "
                    "12-hour battery, $79. Order today.")
FEEDBACK = ["mention the price", "Mention the product name", "Add the release date", "Add an example",
            "Make it shorter, please", "Make it friendlier", "Add a headline", "Add a call to action",
            "Highlight the battery", "Use a pirate voice"]


def reply(messages: object, client: OfflineChatClient | None = None) -> str:
    return run((client or OfflineChatClient()).get_response(messages)).text  # type: ignore[arg-type]


def revisions(instructions: str, prompt: str, feedback: list[str]) -> list[str]:
    """The first draft, then one revision per piece of feedback, as a lesson's writer makes them."""
    conversation = [ChatMessage(Role.SYSTEM, text=instructions), ChatMessage(Role.USER, text=prompt)]
    drafts = []
    for ask in [None, *feedback]:
        if ask is not None:
            conversation.append(ChatMessage(Role.USER, text=f"Please revise the draft. Feedback: {ask}"))
        drafts.append(reply(conversation))
        conversation.append(ChatMessage(Role.ASSISTANT, text=drafts[-1]))
    return drafts


def revise_once(draft: str, feedback: str, brief: str = LESSON_RELEASE_PROMPT) -> str:
    return reply([ChatMessage(Role.USER, text=brief), ChatMessage(Role.ASSISTANT, text=draft),
                  ChatMessage(Role.USER, text=f"Please revise the release notes. Feedback: {feedback}")])


def review(instructions: str, draft: str) -> str:
    return reply([ChatMessage(Role.SYSTEM, text=instructions),
                  ChatMessage(Role.USER, text=f"Review these release notes:\n{draft}")])


# --- no placeholders ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instructions", "prompt"),
    [
        ("You are a helpful assistant. Be concise.", LESSON_QUESTION),
        ("You write short, upbeat release notes.", LESSON_RELEASE_PROMPT),
        ("You write friendly, clear blog posts.", LESSON_BLOG_PROMPT),
        ("You write short release notes.", LESSON_MUG_BRIEF),
    ],
)
def test_no_lesson_reply_or_revision_has_a_placeholder(instructions: str, prompt: str) -> None:
    for text in revisions(instructions, prompt, FEEDBACK):
        assert not PLACEHOLDER.search(text), text


def test_asked_for_a_price_nobody_gave_the_model_writes_a_sentence_without_one() -> None:
    # The learner's case: a blog post about Python async, revised to "mention the price".
    first, revised = revisions("You write friendly, clear blog posts.", LESSON_BLOG_PROMPT, ["mention the price"])
    assert revised != first
    assert not PLACEHOLDER.search(revised), revised
    assert not prices_in(revised)  # and no invented price either


def test_asked_for_a_fact_nobody_gave_the_model_names_no_fact() -> None:
    first, revised = revisions("You write friendly, clear blog posts.", LESSON_BLOG_PROMPT, ["Add the release date"])
    assert "release date" not in revised.split("\n\n", 1)[-1].lower()  # only the note may quote the feedback
    assert not PLACEHOLDER.search(revised)


TOPIC_WORDS = ["garden", "jazz", "rockets", "tea", "chess", "rivers", "bread", "robots", "maps", "bees", "python",
               "cycling", "glass", "history", "music", "solar", "knitting", "whales", "clouds", "poetry"]
TASKS = ["Write a short blog post on {t}.", "Write a 150-word article about {t}.", "Why is {t} important?",
         "How do I get started with {t}?", "Write release notes for {t}.", "Introduce {t}, now with two modes."]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    topic=st.lists(st.sampled_from(TOPIC_WORDS), min_size=1, max_size=3).map(" ".join),
    task=st.sampled_from(TASKS),
    feedback=st.lists(st.sampled_from(FEEDBACK), min_size=1, max_size=3),
)
def test_no_reply_on_any_topic_has_a_placeholder(topic: str, task: str, feedback: list[str]) -> None:
    for text in revisions("You write friendly, clear posts.", task.format(t=topic), feedback):
        assert not PLACEHOLDER.search(text), text


# --- no fact said twice ---------------------------------------------------------------------------


def price_mentions(text: str, price: str) -> int:
    return sum(same_price(found, price) for found in prices_in(text))


@pytest.mark.parametrize("written", ["$249", "$249.00", "249 dollars", "USD 249"])
def test_a_revision_never_repeats_a_price_the_draft_already_states(written: str) -> None:
    draft = f"Meet Contoso Brew, with 40 grind settings and a quiet motor, all for {written}. Check it out today!"
    revised = revise_once(draft, "mention the price")
    assert price_mentions(revised, "$249") == 1, revised
    assert revised != draft  # it did something for the feedback: the price now has a sentence of its own
    assert "Price:" not in revised


def test_asking_for_the_price_again_and_again_still_states_it_once() -> None:
    drafts = revisions("You write short, upbeat release notes.", LESSON_RELEASE_PROMPT,
                       ["mention the price", "mention the price", "Mention the price, please."])
    assert all(price_mentions(text, "$249") == 1 for text in drafts), drafts
    assert len(set(drafts)) == len(drafts)  # and each revision still visibly changes the text


def test_a_price_in_the_feedback_replaces_the_old_price_rather_than_adding_one() -> None:
    draft = "Meet Contoso Brew, with 40 grind settings, all for $249. Check it out today!"
    revised = revise_once(draft, "Mention the new price, $199.")
    assert prices_in(revised) == ["$199"], revised


def test_a_revision_never_repeats_a_feature_the_draft_already_states() -> None:
    brief = "Introduce our smart mug with app integration and a 12-hour battery. It costs $79."
    draft = "Meet our smart mug, with app integration and a 12-hour battery, all for $79. Pre-order today!"
    revised = revise_once(draft, "Highlight the battery.", brief)
    assert revised.count("12-hour battery") == 1, revised
    assert revised != draft


def test_a_statement_the_draft_already_makes_is_not_added_again() -> None:
    draft = "Meet our smart mug. It ships in March. Pre-order today!"
    revised = revise_once(draft, "Say that it ships in March.")
    note, copy = revised.split("\n\n")
    assert copy.count("ships in March") == 1, revised
    assert "already says" in note  # nothing better to do: it says, plainly, that the text has it


def test_the_same_example_is_not_added_twice() -> None:
    system = "You are a helpful assistant. Be concise."
    drafts = revisions(system, LESSON_QUESTION, ["Add an example.", "Add an example."])
    sentences = re.findall(r"[^.!?]+[.!?]", drafts[-1])
    assert len(sentences) == len(set(sentences)), drafts[-1]


@pytest.mark.parametrize(
    ("sentence", "phrase", "left"),
    [
        ("Meet Brew, with 40 settings and a quiet motor, all for $249.", "$249",
         "Meet Brew, with 40 settings and a quiet motor."),
        ("Meet the mug, with app integration and a 12-hour battery.", "12-hour battery",
         "Meet the mug, with app integration."),
        ("It comes with a 12-hour battery.", "12-hour battery", None),  # about the battery alone
        ("The 12-hour battery lasts all day.", "12-hour battery",
         "The 12-hour battery lasts all day."),  # the battery is the subject: it stays
    ],
)
def test_taking_a_fact_out_of_a_sentence_leaves_a_sentence(sentence: str, phrase: str, left: str | None) -> None:
    assert take_out(sentence, phrase) == left


@pytest.mark.parametrize(("first", "second", "same"), [
    ("$249", "249 dollars", True), ("$249", "$249.00", True), ("$1,299", "1299 USD", True),
    ("€4.50", "4.50 euros", True), ("$249", "$250", False), ("$5/month", "$5", False), ("$79", "€79", False),
])
def test_one_price_is_recognised_however_it_is_written(first: str, second: str, same: bool) -> None:
    assert same_price(first, second) is same


# --- reviewers judge by their own instructions ------------------------------------------------------

LESSON_REVIEWERS = {aspect: f"You are a reviewer who checks {aspect}." for aspect in ("price", "tone", "length")}
GOOD_DRAFT = ("Say hello to the Ember smart mug: it keeps coffee at your chosen temperature. "
              "You also get a 12-hour battery. Available now for $79. Order today.")


def verdicts(draft: str, reviewers: dict[str, str] = LESSON_REVIEWERS) -> dict[str, str]:
    return {aspect: review(instructions, draft) for aspect, instructions in reviewers.items()}


def test_three_reviewers_with_three_jobs_give_three_different_verdicts() -> None:
    said = verdicts(GOOD_DRAFT)
    assert len(set(said.values())) == 3, said
    assert "$79" in said["price"] and "price" in said["price"]
    assert "tone" in said["tone"] and "exclamation" in said["tone"]
    assert "words" in said["length"] and "$79" not in said["length"]


WORD_COUNT = re.compile(r"\d+[ -]words?\b|word limit")


def test_each_reviewer_comments_only_on_its_own_subject() -> None:
    said = verdicts(GOOD_DRAFT)
    assert "exclamation" not in said["price"] and not WORD_COUNT.search(said["price"])
    assert "price" not in said["tone"] and not WORD_COUNT.search(said["tone"])
    assert "price" not in said["length"] and "tone" not in said["length"] and "exclamation" not in said["length"]


def test_a_draft_too_long_is_sent_back_by_the_length_reviewer_only() -> None:
    padding = " ".join(["It keeps your coffee at the temperature you choose, hour after hour."] * 25)
    said = verdicts(f"{GOOD_DRAFT} {padding}")
    assert said["length"].startswith("Needs changes"), said["length"]
    assert "words" in said["length"]
    assert said["tone"].startswith("Approved") and said["price"].startswith("Approved")


def test_a_word_limit_in_the_instructions_is_the_one_the_length_reviewer_applies() -> None:
    strict = review("You are a reviewer who checks length: at most 15 words.", GOOD_DRAFT)
    relaxed = review("You are a reviewer who checks length: at most 40 words.", GOOD_DRAFT)
    assert strict.startswith("Needs changes") and "15" in strict
    assert relaxed.startswith("Approved")


def test_a_hyped_draft_is_sent_back_by_the_tone_reviewer_only() -> None:
    said = verdicts("Meet the AMAZING Ember smart mug!!! It is revolutionary! Only $79. Hurry, order today!")
    assert said["tone"].startswith("Needs changes"), said["tone"]
    assert "amazing" in said["tone"] and "revolutionary" in said["tone"] and "exclamation" in said["tone"]
    assert said["length"].startswith("Approved") and said["price"].startswith("Approved")


@pytest.mark.parametrize(
    ("draft", "complaint"),
    [
        ("Meet the Ember smart mug. It is yours for $79, or 89 dollars in stores. Order today.", "different prices"),
        ("Meet the Ember smart mug for $79. Price: $79.00. Order today.", "once is enough"),
        ("Meet the Ember smart mug. It keeps coffee warm. Order today.", "never mentions it"),
    ],
)
def test_the_price_reviewer_sends_back_a_missing_repeated_or_inconsistent_price(draft: str, complaint: str) -> None:
    said = verdicts(draft)
    assert said["price"].startswith("Needs changes"), said["price"]
    assert complaint in said["price"]
    assert said["tone"].startswith("Approved") and said["length"].startswith("Approved")


def test_the_price_reviewer_checks_the_draft_against_the_brief() -> None:
    verdict = reply([ChatMessage(Role.SYSTEM, text=LESSON_REVIEWERS["price"]),
                     ChatMessage(Role.USER, text=LESSON_MUG_BRIEF),
                     ChatMessage(Role.ASSISTANT, text=GOOD_DRAFT.replace("$79", "$89"))])
    assert verdict.startswith("Needs changes")
    assert "$89" in verdict and "$79" in verdict


def test_a_reviewer_without_a_job_still_runs_every_check() -> None:
    verdict = review("You are an editor. Check the release notes and say what to improve.", GOOD_DRAFT)
    assert verdict.startswith("Approved")
    assert "$79" in verdict and "tone" in verdict and "words" in verdict


# --- determinism ------------------------------------------------------------------------------------


def test_reviews_and_revisions_are_the_same_every_time() -> None:
    assert verdicts(GOOD_DRAFT) == verdicts(GOOD_DRAFT)
    draft = "Meet Contoso Brew, with 40 grind settings, all for $249. Check it out today!"
    assert revise_once(draft, "mention the price") == revise_once(draft, "mention the price")
    first = revisions("You write friendly, clear blog posts.", LESSON_BLOG_PROMPT, FEEDBACK)
    assert first == revisions("You write friendly, clear blog posts.", LESSON_BLOG_PROMPT, FEEDBACK)


@settings(max_examples=25, deadline=None)
@given(topic=st.lists(st.sampled_from(TOPIC_WORDS), min_size=1, max_size=3).map(" ".join),
       task=st.sampled_from(TASKS))
def test_two_clients_give_the_same_reply_to_any_prompt(topic: str, task: str) -> None:
    prompt = task.format(t=topic)
    assert reply(prompt, OfflineChatClient()) == reply(prompt, OfflineChatClient())


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Write code for parallel reading 1 million Files on disk and write to a sorted output file.",
         "code for parallel reading 1 million Files"),
        ("What is the importance of learning programming?", "learning programming"),
    ],
)
def test_an_answer_names_its_subject_without_a_dangling_word(question: str, subject: str) -> None:
    answer = reply(question)
    assert subject in answer
    assert f"{subject} on" not in answer and f"{subject} of" not in answer
