"""A card of round 2 or later shows what changed since the round before: added words marked,
removed words struck through, only the changed passages with a little context."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from wfkit import Message, Role
from wfkit.core.state import PendingRequest
from wfkit.notebook import NotebookRun
from wfkit.widgets import ApprovalPrompt
from wfkit.widgets.round_changes import MAX_PASSAGES, changes_html


@dataclass
class Draft:
    draft: str
    iteration: int = 1


LONG = " ".join(f"word{n}" for n in range(200))


def test_only_the_changed_passage_is_shown_with_its_context():
    before, after = Draft(LONG), Draft(LONG.replace("word100", "word100 plus a warranty", 1))
    page = changes_html(before, after, 1)
    assert "Changed since round 1" in page
    assert '">plus a warranty</ins>' in page and "word95" in page and "word10 " not in page
    assert page.count("<li") == 1


def test_removed_words_are_struck_through_and_text_is_escaped():
    page = changes_html(Draft("Buy <b>now</b> today"), Draft("Buy today"), 2)
    assert "<del" in page and "&lt;b&gt;now&lt;/b&gt;" in page and "<b>now" not in page


def test_the_same_text_says_nothing_changed():
    assert "Nothing changed since round 1" in changes_html(Draft("same", 1), Draft("same", 2), 1)


def test_many_changes_show_the_first_few_and_count_the_rest():
    words = LONG.split()
    changed = " ".join(w + "!" if i % 20 == 0 else w for i, w in enumerate(words))
    page = changes_html(Draft(LONG), Draft(changed), 1)
    assert page.count("<li") == MAX_PASSAGES and "and 4 more changes" in page


def test_a_chat_message_is_compared_by_its_text():
    before = {"plan": Message(Role.ASSISTANT, ["- Researcher: gather facts."])}
    after = {"plan": Message(Role.ASSISTANT, ["- Researcher: gather facts.\n- Analyst: state the units."])}
    assert '">- Analyst: state the units.</ins>' in changes_html(before, after, 1)


def test_the_prompt_gives_round_two_the_changes_and_round_one_none():
    prompt = ApprovalPrompt()
    prompt.add(PendingRequest("a", "review", Draft("First draft."), str))
    assert prompt.cards["a"].changes not in prompt.cards["a"].children
    prompt.add(PendingRequest("b", "review", Draft("First draft, now shorter.", 2), str))
    card = prompt.cards["b"]
    assert card.changes in card.children and "now shorter." in card.changes.value and "round 1" in card.changes.value


def test_a_revision_clicked_in_a_notebook_run_shows_what_it_changed():
    async def scenario():
        result = await NotebookRun(release_notes_workflow()).start("Launch the grinder at $249")
        [card] = result.view.prompts.cards.values()
        card.feedback.value = "Mention the warranty"
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        [revised] = result.view.prompts.cards.values()
        assert "[revised: Mention the warranty]" in revised.changes.value and "<ins" in revised.changes.value
        assert revised.request.request_id not in revised.changes.value  # ids are no change to read

    run(scenario())
