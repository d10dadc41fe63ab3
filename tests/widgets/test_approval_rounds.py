"""ApprovalPrompt over a run's life: rounds of a revise loop, a fresh start, retired cards."""

from __future__ import annotations

from tests.core.review_workflows import HumanApprovalRequest
from wfkit.core.state import PendingRequest
from wfkit.widgets import ApprovalPrompt


def ask(request_id: str, executor_id: str = "review") -> PendingRequest:
    data = HumanApprovalRequest(prompt="Approve?", draft=f"draft {request_id}", iteration=1, request_id=request_id)
    return PendingRequest(request_id, executor_id, data, str)


def revise_loop(prompt: ApprovalPrompt, request_ids: list[str]) -> None:
    """What a run view does in a revise loop: each new request is added while the run streams,
    and at the end of the run call only the pending one is kept."""
    for request_id in request_ids:
        prompt.add(ask(request_id))
        prompt.show_only([ask(request_id)])


def test_the_first_request_of_an_executor_says_no_round():
    prompt = ApprovalPrompt()
    prompt.add(ask("a"))
    assert "round" not in prompt.cards["a"].header.value
    assert prompt.cards["a"].round_number == 1


def test_each_time_the_same_executor_asks_again_the_card_says_which_round_it_is():
    prompt = ApprovalPrompt()
    revise_loop(prompt, ["a", "b", "c"])
    [card] = prompt.cards.values()
    assert "round 3" in card.header.value and prompt.rounds["review"] == 3


def test_rounds_are_counted_per_executor():
    prompt = ApprovalPrompt()
    prompt.add(ask("a", "legal"))
    prompt.add(ask("b", "marketing"))
    prompt.add(ask("c", "legal"))
    assert "round" not in prompt.cards["b"].header.value
    assert "round 2" in prompt.cards["c"].header.value


def test_a_pending_request_shown_again_keeps_its_round():
    prompt = ApprovalPrompt()
    revise_loop(prompt, ["a", "b"])
    prompt.add(ask("b"))  # the same request again, e.g. reopened after a refused answer
    prompt.show_only([ask("b")])
    assert prompt.rounds["review"] == 2 and "round 2" in prompt.cards["b"].header.value


def test_no_pending_request_between_rounds_does_not_restart_the_count():
    prompt = ApprovalPrompt()
    prompt.add(ask("a"))
    prompt.show_only([])  # the answer was taken; the next question has not come yet
    prompt.add(ask("b"))
    assert "round 2" in prompt.cards["b"].header.value


def test_clear_starts_a_new_run_from_round_one():
    prompt = ApprovalPrompt()
    revise_loop(prompt, ["a", "b"])
    prompt.clear()
    assert prompt.cards == {} and prompt.layout.display == "none"
    prompt.add(ask("c"))
    assert "round" not in prompt.cards["c"].header.value


def test_retire_closes_every_card_and_shows_the_note_instead():
    prompt = ApprovalPrompt()
    prompt.add(ask("a"))
    prompt.add(ask("b", "legal"))
    cards = list(prompt.cards.values())
    prompt.retire("These questions belonged to a run that was replaced by a new one.")
    assert prompt.cards == {} and prompt.requests == {}
    assert all(card.comm is None for card in cards)  # closed: the page forgets them
    assert prompt.layout.display == ""
    assert "replaced by a new one" in prompt.title.value and "wfkit-prompt-note" in prompt.title.value
    assert prompt.children == (prompt.style_sheet, prompt.title)
    assert "replaced by a new one" in prompt.static_html()


def test_the_note_of_retire_stays_one_line():
    prompt = ApprovalPrompt()
    prompt.retire("Cancelled.\nThe run stopped " + "x" * 500)
    assert "\n" not in prompt.title.value and "…" in prompt.title.value


def test_add_after_retire_starts_fresh_and_the_note_goes():
    prompt = ApprovalPrompt()
    received = []
    prompt.on_answer(lambda request_id, answer: received.append((request_id, answer)))
    revise_loop(prompt, ["a", "b"])
    prompt.retire("Cancelled.")
    prompt.add(ask("c"))
    card = prompt.cards["c"]
    assert "Cancelled." not in prompt.title.value and "1 request waiting" in prompt.title.value
    assert "round" not in card.header.value
    card.buttons["Approve"].click()
    assert received == [("c", "approve")]


def test_an_empty_show_only_keeps_the_note_of_retire():
    prompt = ApprovalPrompt()
    prompt.add(ask("a"))
    prompt.retire("Cancelled.")
    prompt.show_only([])  # a run view resetting for the next run
    assert "Cancelled." in prompt.title.value and prompt.layout.display == ""


def test_retired_cards_do_not_take_the_lock_of_the_prompt_later():
    prompt = ApprovalPrompt()
    prompt.add(ask("a"))
    prompt.retire("Replaced.")
    prompt.locked = True
    prompt.add(ask("b"))
    assert prompt.cards["b"].locked and list(prompt.cards) == ["b"]
