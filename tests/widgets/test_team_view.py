"""TeamView: the run view of a team shows who speaks and why, the conversation as it grows (live,
escaped, long turns folded), Magentic's plan and rounds; the run explorer shows it step by step."""

from __future__ import annotations

import html
from typing import Any

from tests.conftest import run
from tests.orchestrations.handoff_helpers import desk
from tests.orchestrations.helpers import reader
from tests.orchestrations.test_magentic import TASK, team
from tests.orchestrations.test_team_story import QUESTION, chaired_chat
from wfkit import Agent, FileCheckpointStorage, OfflineChatClient
from wfkit.notebook import explore
from wfkit.notebook import run as notebook_run
from wfkit.orchestrations import (
    GroupChatBuilder,
    GroupChatRequestSentEvent,
    GroupChatState,
    HandoffBuilder,
    MagenticBuilder,
    MagenticProgressLedger,
    SequentialBuilder,
)
from wfkit.widgets import RunView

SCRIPT = "<script>alert('owls')</script>"


def shown(workflow: Any, message: str, **options: Any) -> RunView:
    """The view of a notebook run of `workflow` on `message`, once the run has settled."""
    return run(notebook_run(workflow, message, show=False, **options)).view


def text_of(markup: str) -> str:
    """What a reader sees of `markup`: the words, without tags, entities decoded."""
    words, inside = [], False
    for char in markup:
        if char == "<":
            inside = True
        elif char == ">":
            inside = False
        elif not inside:
            words.append(char)
    return html.unescape("".join(words))


def in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def first_sentence(text: str) -> str:
    return text.strip().splitlines()[0][:60]


def round_robin(state: GroupChatState) -> str:
    return list(state.participants)[state.current_round % len(state.participants)]


# --- group chat -------------------------------------------------------------------------------------


def test_a_group_chat_shows_each_turn_in_order_and_why_each_speaker_was_chosen():
    view = shown(chaired_chat(), QUESTION)
    page = text_of(view.static_html())
    assert view.shows_team and "The team · a group chat" in page
    story = view.team.story
    answers = [(t.speaker, first_sentence(t.text)) for t in story.turns]
    assert [speaker for speaker, _ in answers] == ["user", "Researcher", "Writer", "Chair"]
    assert in_order(page, [part for pair in answers for part in pair])
    for choice in [e for e in story.entries if hasattr(e, "reason") and e.reason]:
        assert f"Chair chose {choice.speaker}" in page and f"why: {choice.reason}" in page
    assert "Now: The conversation is over: Chair had the last word." in page


def test_the_live_lines_are_the_same_as_the_static_page():
    view = shown(chaired_chat(), QUESTION)
    live = "".join(line.value for line in view.team.lines.children)
    assert len(view.team.lines.children) == len(view.team.story.entries)
    assert text_of(live) in text_of(view.static_html())


def test_a_participants_markup_is_shown_as_text_never_run():
    villain = Agent(OfflineChatClient(replies=[f"{SCRIPT} is my answer"]), "You answer.", name="villain")
    workflow = GroupChatBuilder(participants=[villain], selection_func=round_robin, max_rounds=1).build()
    view = shown(workflow, f"Say {SCRIPT}")
    for markup in [view.static_html(), *(line.value for line in view.team.lines.children), view.team.header.value]:
        assert "<script>" not in markup
    assert html.escape(SCRIPT, quote=True) in view.team.static_html()
    assert f"{SCRIPT} is my answer" in text_of(view.team.static_html())


def test_a_long_turn_shows_its_start_and_opens_to_the_whole_text():
    long_answer = " ".join(f"point {n} about owls." for n in range(200))
    talker = Agent(OfflineChatClient(replies=[long_answer]), "You answer.", name="talker")
    workflow = GroupChatBuilder(participants=[talker], selection_func=round_robin, max_rounds=1).build()
    line = next(line.value for line in shown(workflow, "owls").team.lines.children if "wt-turn" in line.value and "talker" in line.value)
    assert "<details>" in line and f"show all ({len(long_answer):,} characters)" in line
    start, whole = line.split("<details>")[1].split("</summary>")
    assert long_answer in text_of(whole) and len(text_of(start)) < len(long_answer) // 4


# --- handoff and Magentic -----------------------------------------------------------------------------


def test_a_handoff_shows_who_handed_the_conversation_to_whom():
    triage, refund, order = desk()
    workflow = HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).build()
    view = shown(workflow, "I need a refund for order 123")
    page = text_of(view.team.static_html())
    assert "The team · a handoff" in page
    assert in_order(page, ["user", "I need a refund", "triage_agent", "triage_agent handed the conversation to refund_agent",
                           "refund_agent"])
    assert "Now: Waiting for the user to reply to refund_agent." in page


def test_magentic_shows_the_plan_and_each_rounds_five_answers_with_reasons():
    researcher, analyst, lead = team()
    workflow = MagenticBuilder(participants=[analyst, researcher], manager_agent=lead).build()
    result = run(notebook_run(workflow, TASK, show=False))
    page = text_of(result.view.team.static_html())
    ledgers = [e.data.content for e in result.events if isinstance(getattr(e.data, "content", None), MagenticProgressLedger)]
    plan = result.view.team.story.plans[0].plan
    assert "The plan (made at the start)" in page and plan.splitlines()[0] in page
    for number, ledger in enumerate(ledgers, start=1):
        answers = [f"Round {number}"]
        for item in ledger.to_dict().values():
            answer = {True: "yes", False: "no"}.get(item["answer"], item["answer"])
            answers += [str(answer), item["reason"]]
        assert in_order(page, answers)
    assert "task done" in page and "Progress, round by round" in page
    asked = [e.data for e in result.events if isinstance(e.data, GroupChatRequestSentEvent)]
    for request, ledger in zip(asked, ledgers):
        instruction = str(ledger.instruction_or_question.answer)
        assert f"magentic_manager asked {request.participant_name}: “{instruction}”" in page


def test_a_workflow_that_is_no_team_shows_no_team_view():
    view = shown(SequentialBuilder(participants=[reader("a"), reader("b")]).build(), "owls")
    assert not view.shows_team and "The team" not in view.static_html()


# --- live -----------------------------------------------------------------------------------------------


def test_a_streamed_run_shows_the_speaker_and_the_growing_answer_and_keeps_every_line_drawn():
    workflow = chaired_chat()
    view = RunView(workflow, min_redraw_interval=0)  # every change drawn at once
    seen: list[tuple[str, str]] = []
    kept: dict[int, Any] = {}  # line number -> the widget first drawn there

    async def scenario() -> None:
        async for event in workflow.run_stream(QUESTION):
            view.handle(event)
            for number, line in enumerate(view.team.lines.children):
                assert kept.setdefault(number, line) is line  # drawn once, then only updated
            if event.type == "agent_run_update" and event.executor_id == "Writer":
                seen.append((text_of(view.team.header.value), view.team.lines.children[-1].value))
        view.flush()

    run(scenario())
    now, line = seen[2]
    assert "Now: Writer is speaking." in now and "Chair chose Writer" in now
    assert "wt-writing" in line and text_of(line).startswith("Writer")
    story = view.team.story
    writer = next(number for number, entry in enumerate(story.entries) if entry is story.turns[2])
    settled = view.team.lines.children[writer]
    assert settled is kept[writer]  # the line that streamed is the line that settled
    assert "wt-writing" not in settled.value and story.turns[2].text[:40] in text_of(settled.value)


def test_running_the_cell_again_draws_the_new_run_afresh():
    workflow = chaired_chat()
    result = run(notebook_run(workflow, QUESTION, show=False))
    first = [line.value for line in result.view.team.lines.children]
    run(result.start(QUESTION))
    again = [line.value for line in result.view.team.lines.children]
    assert again == first and len(result.view.team.story.entries) == len(first)


# --- the run explorer ---------------------------------------------------------------------------------------


def test_the_explorer_shows_the_conversation_as_it_stood_at_each_step(tmp_path):
    workflow = GroupChatBuilder(
        participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=4,
        checkpoint_storage=FileCheckpointStorage(tmp_path),
    ).build()
    result = run(notebook_run(workflow, "owls", show=False))

    async def explored() -> Any:
        return await explore(result, show=False)

    explorer = run(explored())
    explorer.show(explorer.steps[-1].number)
    last = text_of(explorer.view.value)
    explorer.show(2)
    early = text_of(explorer.view.value)
    assert early.count("read '") < last.count("read '")  # fewer answers at step 2
    assert "a read 'owls'" in early and "b read" not in early
    assert "Round 1 · group_chat_orchestrator chose a" in early
    assert "why: chosen by your selection function round_robin" in early
    assert in_order(last, ["a read", "b read", "a read", "b read"])
    explorer.show(3)  # the orchestrator has just asked b
    asking = text_of(explorer.view.value)
    assert "Now: b speaks next." in asking and "Round 2 · group_chat_orchestrator chose b" in asking


def test_a_fork_shows_the_conversation_before_it_then_its_own_turns(tmp_path):
    def build() -> Any:
        triage, refund, order = desk()
        return HandoffBuilder(
            participants=[triage, refund, order], checkpoint_storage=FileCheckpointStorage(tmp_path)
        ).with_start_agent(triage).build()

    result = run(notebook_run(build(), "I need a refund for order 123", show=False))

    async def forked() -> Any:
        explorer = await explore(result, factory=build, show=False)
        last = explorer.steps[-1]
        [request_id] = last.pending_requests
        await explorer.fork(last.number, {request_id: "It was a blender."})
        return explorer

    explorer = run(forked())
    page = text_of(explorer.view.value)
    assert explorer.history.branch.name == "fork 1"
    assert in_order(page, ["I need a refund for order 123", "triage_agent handed the conversation to refund_agent",
                           "It was a blender.", "refund_agent"])


def test_magentic_rounds_arrive_live_without_redrawing_the_plan():
    researcher, analyst, lead = team()
    workflow = MagenticBuilder(participants=[analyst, researcher], manager_agent=lead).build()
    view = RunView(workflow, min_redraw_interval=0)
    plans, rounds = [], []

    async def scenario() -> None:
        async for event in workflow.run_stream(TASK):
            view.handle(event)
            if event.type == "magentic_orchestrator":
                plans.append(view.team.plan.value)
                rounds.append(text_of(view.team.progress.value).count("Round "))

    run(scenario())
    assert rounds == [0, 1, 2, 3]  # the plan first, then a round at a time
    assert len(set(plans)) == 1 and "The plan" in plans[0]  # a fold opened in the plan stays open
