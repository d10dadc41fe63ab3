"""The rule for forks in the run explorer, and the card a fork is made with.

The rule: every fork, made with a card under the graph or with ``explorer.fork`` in code, becomes
a new branch that leaves from the branch that recorded its step, and the explorer then shows
that newest branch at its last step: the header, the Branch menu, the tree's "◀ shown" and the
message line all name that branch, the header and the slider that step.

The scenario is lesson 3's: the learner forks from the card at the first question, then the
next cell forks again in code from "the first step that asks" of the branch shown.
"""

from __future__ import annotations

import asyncio
import html
import re

from tests.conftest import run
from tests.history.workflows import LONG_DRAFT, approval_workflow, review_loop_workflow
from wfkit import FileCheckpointStorage
from wfkit.notebook import explore
from wfkit.notebook import run as notebook_run
from wfkit.widgets.fork_cards import cards_in
from wfkit.widgets.request_card import RequestCard
from wfkit.widgets.run_explorer import RunExplorer


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def what_each_view_names(explorer: RunExplorer) -> dict[str, object]:
    """The branch and step as each part of the explorer says them, read from what is drawn."""
    header = text_of(explorer.view.value.split("</div>", 1)[0])
    named = re.fullmatch(r"Run explorer · \w+ · (.+) \((\w+)\) · step (\d+) of (\d+)", header)
    assert named, header
    tree = explorer.view.value.split("<pre", 1)[1].split(">", 1)[1].split("</pre>", 1)[0] if "<pre" in explorer.view.value else ""
    marked = [html.unescape(line).removeprefix("└─ ") for line in tree.splitlines() if "◀ shown" in line]
    said = re.search(r": (.+) is shown", text_of(explorer.message.value))
    return {
        "history": explorer.history.branch.name,
        "menu": explorer.branch_picker.value,
        "header": named.group(1),
        "tree": re.match(r"\s*([^,:]+)", marked[0]).group(1).strip() if marked else None,
        "message": said.group(1) if said else None,
        "header step": int(named.group(3)),
        "slider step": explorer.slider.value,
        "shown step": explorer.number,
    }


def assert_every_view_agrees(explorer: RunExplorer, branch: str, step: int) -> None:
    named = what_each_view_names(explorer)
    assert {k: v for k, v in named.items() if k in ("history", "menu", "header", "tree", "message")} == {
        "history": branch, "menu": branch, "header": branch, "tree": branch, "message": branch,
    }
    assert (named["header step"], named["slider step"], named["shown step"]) == (step, step, step)


def review_loop_explorer(tmp_path) -> RunExplorer:
    """Lesson 3's recording, explored from its checkpoints: the first draft revised ("Shorter"),
    then approved: steps 1 to 9 on main."""
    storage = FileCheckpointStorage(tmp_path)

    async def scenario():
        await notebook_run(review_loop_workflow(storage), "long", answers=["Shorter", "approve"], show=False)
        return await explore(storage, factory=lambda: review_loop_workflow(storage), show=False)

    return run(scenario())


def first_question(explorer: RunExplorer):
    return next(step for step in explorer.steps if step.pending_requests)


async def click_and_wait(explorer: RunExplorer, card: RequestCard, button: str, branches: int) -> None:
    card.buttons[button].click()
    for _ in range(1000):
        await asyncio.sleep(0.01)
        if not explorer.forking and len(explorer.history.branches) >= branches:
            return


# --- the rule -------------------------------------------------------------------------------------


def test_a_fork_from_the_card_then_a_fork_in_code_show_the_newest_branch_in_every_view(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    asked = first_question(explorer)

    async def lesson():
        explorer.show(asked.number)
        [card] = cards_in(list(explorer.cards.children))
        await click_and_wait(explorer, card, "Approve", 2)  # the learner, on the card
        assert_every_view_agrees(explorer, "fork 1", explorer.steps[-1].number)
        again = first_question(explorer)  # the next cell: the first step that asks, of the branch shown
        [request_id] = again.pending_requests
        return await explorer.fork(again.number, {request_id: "approve"})

    forked = run(lesson())
    assert forked.get_outputs() == [LONG_DRAFT]
    assert_every_view_agrees(explorer, "fork 2", explorer.steps[-1].number)
    fork_1, fork_2 = explorer.history.branches[1:]
    # Both left main's step (the step is main's, though fork 1 was shown), from one checkpoint.
    assert (fork_1.parent, fork_2.parent) == ("main", "main")
    assert fork_1.from_step == fork_2.from_step == asked.number
    assert fork_1.from_checkpoint == fork_2.from_checkpoint == asked.checkpoint_id
    tree = explorer.history.tree(mark_shown=True).splitlines()
    assert tree[1].startswith(f"└─ fork 1, from step {asked.number} of main")
    assert tree[2].startswith(f"└─ fork 2, from step {asked.number} of main") and tree[2].endswith("◀ shown")


def test_a_fork_from_a_forks_own_step_is_a_child_of_that_fork(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    asked = first_question(explorer)
    [request_id] = asked.pending_requests
    run(explorer.fork(asked.number, {request_id: "Warmer"}))  # fork 1 asks again, in a step of its own
    again = explorer.steps[-1]
    [second] = again.pending_requests
    assert again in explorer.history.branch.own_steps()
    run(explorer.fork(again.number, {second: "approve"}))
    fork_2 = explorer.history.branch
    assert (fork_2.name, fork_2.parent, fork_2.from_step) == ("fork 2", "fork 1", again.number)
    assert_every_view_agrees(explorer, "fork 2", explorer.steps[-1].number)


def test_a_new_branch_in_the_menu_does_not_switch_the_branch_shown(tmp_path):
    """New options make a menu select its first one ("main"): that is no choice of the learner's."""
    explorer = review_loop_explorer(tmp_path)
    asked = first_question(explorer)
    [request_id] = asked.pending_requests
    for answer in ("approve", "Warmer", "approve"):
        explorer.show(asked.number) if explorer.history.branch.name == "main" else None
        run(explorer.fork(asked.number, {request_id: answer}))
        newest = explorer.history.branches[-1].name
        assert_every_view_agrees(explorer, newest, explorer.steps[-1].number)
    assert explorer.branch_picker.options == ("main", "fork 1", "fork 2", "fork 3")


def test_picking_a_branch_in_the_menu_moves_every_view_and_the_message_about_another_goes(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    asked = first_question(explorer)
    [request_id] = asked.pending_requests
    run(explorer.fork(asked.number, {request_id: "approve"}))
    explorer.branch_picker.value = "main"
    named = what_each_view_names(explorer)
    assert (named["history"], named["menu"], named["header"], named["tree"]) == ("main",) * 4
    assert explorer.message.value == ""  # it said "fork 1 is shown", which is no longer so
    explorer.branch_picker.value = "fork 1"
    assert_every_view_agrees(explorer, "fork 1", explorer.number)


def test_forks_run_one_at_a_time_and_the_one_started_last_is_shown(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    asked = first_question(explorer)
    [request_id] = asked.pending_requests

    async def both():
        explorer.show(asked.number)
        [card] = cards_in(list(explorer.cards.children))
        card.buttons["Approve"].click()  # starts a task; the code below starts while it runs
        await asyncio.sleep(0)
        return await explorer.fork(asked.number, {request_id: "Warmer"})

    run(both())
    assert [b.name for b in explorer.history.branches] == ["main", "fork 1", "fork 2"]
    assert explorer.history.branches[1].ending == "finished"  # the card's "approve"
    assert explorer.history.branches[2].ending == "paused"  # the code's "Warmer": asked again
    assert_every_view_agrees(explorer, "fork 2", explorer.steps[-1].number)


def test_a_card_answered_while_another_fork_runs_forks_from_its_own_step_once_that_one_ends(tmp_path):
    """The card of main's second question is clicked while a fork from the first one runs; that
    fork ends and is shown, and the card's fork still leaves from main's step, not the new branch's."""
    explorer = review_loop_explorer(tmp_path)
    first, second = [step for step in explorer.steps if step.pending_requests][:2]
    [first_request] = first.pending_requests

    async def both():
        explorer.show(second.number)
        [card] = cards_in(list(explorer.cards.children))
        running = asyncio.ensure_future(explorer.fork(first.number, {first_request: "approve"}))
        await asyncio.sleep(0)  # the code's fork has started
        await click_and_wait(explorer, card, "Approve", 3)
        await running

    run(both())
    fork_1, fork_2 = explorer.history.branches[1:]
    assert (fork_1.parent, fork_1.from_step) == ("main", first.number)
    assert (fork_2.parent, fork_2.from_step, fork_2.from_checkpoint) == ("main", second.number, second.checkpoint_id)
    assert_every_view_agrees(explorer, "fork 2", explorer.steps[-1].number)


# --- the card -------------------------------------------------------------------------------------


def test_the_card_shows_the_whole_draft_it_asks_about_with_approve_and_revise(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    explorer.show(first_question(explorer).number)
    [card] = cards_in(list(explorer.cards.children))
    assert type(card) is RequestCard and list(card.buttons) == ["Approve", "Revise"]
    assert LONG_DRAFT in html.unescape(card.content.value)  # all of it, to its last words
    assert "THE END OF THE DRAFT." in html.unescape(card.content.value)


def test_revise_on_the_card_forks_with_the_feedback_typed(tmp_path):
    explorer = review_loop_explorer(tmp_path)

    async def revise():
        explorer.show(first_question(explorer).number)
        [card] = cards_in(list(explorer.cards.children))
        card.buttons["Revise"].click()  # nothing typed: the card says so, and nothing forks
        assert "Type your feedback" in card.status.value and len(explorer.history.branches) == 1
        card.feedback.value = "Mention the quiet motor"
        await click_and_wait(explorer, card, "Revise", 2)

    run(revise())
    fork = explorer.history.branch
    assert fork.name == "fork 1" and fork.ending == "paused"
    [asked_again] = fork.steps[-1].pending_requests.values()
    assert asked_again.data.draft.endswith("(revised: Mention the quiet motor)")


def test_the_second_question_of_a_branch_is_round_2_and_shows_what_changed(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    second = [step for step in explorer.steps if step.pending_requests][1]
    explorer.show(second.number)
    [card] = cards_in(list(explorer.cards.children))
    assert card.round_number == 2 and "round 2" in card.header.value
    assert "(revised: Shorter)" in html.unescape(card.changes.value)


def test_a_refused_fork_reopens_its_card_and_says_why(tmp_path):
    storage = FileCheckpointStorage(tmp_path)

    async def scenario():
        result = await notebook_run(approval_workflow(storage), "cats", answers=[True], show=False)
        explorer = await explore(result, factory=lambda: approval_workflow(storage), show=False)
        explorer.show(2)
        [card] = cards_in(list(explorer.cards.children))
        explorer.history.steps[1].checkpoint_id = None  # its checkpoint is gone: the fork cannot start
        await click_and_wait(explorer, card, "Approve", 2)
        await asyncio.sleep(0.05)
        return explorer, card

    explorer, card = run(scenario())
    assert len(explorer.history.branches) == 1 and not card.answered
    assert "no checkpoint to fork from" in card.status.value
    assert "did not go through" in explorer.message.value


def test_a_fork_with_an_edited_state_follows_the_same_rule(tmp_path):
    explorer = review_loop_explorer(tmp_path)
    asked = first_question(explorer)
    [request_id] = asked.pending_requests
    forked = run(explorer.fork(asked.number, {request_id: "approve"}, state={"draft": "Edited notes"}))
    assert forked.get_outputs() == ["Edited notes"]
    assert_every_view_agrees(explorer, "fork 1", explorer.steps[-1].number)
    assert "edited shared:draft = 'Edited notes'" in explorer.tree()
