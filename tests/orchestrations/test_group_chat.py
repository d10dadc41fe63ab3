"""GroupChatBuilder: who speaks when, how the chat ends, what it outputs, in both spellings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run
from wfkit import (
    Agent,
    AgentExecutorResponse,
    ChatMessage,
    Executor,
    FileCheckpointStorage,
    OfflineChatClient,
    OrchestrationManagerError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowValidationError,
    handler,
)
from wfkit.agents.types import AgentRunResponse
from wfkit.orchestrations import (
    AgentRequestInfoResponse,
    GroupChatBuilder,
    GroupChatRequestSentEvent,
    GroupChatState,
    GroupChatStateSnapshot,
)

from .helpers import reader


def round_robin(state: GroupChatState) -> str:
    names = list(state.participants)
    return names[state.current_round % len(names)]


def speakers(result: Any) -> list[str]:
    """Who was asked to speak, in order (from the "group_chat" events)."""
    return [e.data.participant_name for e in result if e.type == "group_chat" and isinstance(e.data, GroupChatRequestSentEvent)]


def test_a_selection_function_decides_who_speaks_in_each_round():
    workflow = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=4).build()
    result = run(workflow.run("owls"))
    assert speakers(result) == ["a", "b", "a", "b"]


def test_the_chat_stops_after_max_rounds_and_says_so_in_todays_output():
    workflow = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=3).build()
    result = run(workflow.run("owls"))
    [output] = result.get_outputs()
    assert isinstance(output, AgentRunResponse)
    assert len(speakers(result)) == 3
    assert "limit of 3 rounds" in output.text


def test_a_termination_condition_ends_the_chat_before_the_next_turn():
    def enough(conversation: list[ChatMessage]) -> bool:
        return sum(m.role == "assistant" for m in conversation) >= 2

    workflow = GroupChatBuilder(
        participants=[reader("a"), reader("b")], selection_func=round_robin, termination_condition=enough, max_rounds=10
    ).build()
    result = run(workflow.run("owls"))
    assert speakers(result) == ["a", "b"]
    assert "termination condition" in result.get_outputs()[0].text


def test_a_participant_reads_only_what_was_said_since_its_last_turn():
    a, b = reader("a"), reader("b")
    workflow = GroupChatBuilder(participants=[a, b], selection_func=round_robin, max_rounds=3).build()
    run(workflow.run("owls"))
    # a's second turn: its own first answer once (it remembers it), then b's answer, nothing twice.
    second_turn = a.chat_client.conversations[1]
    assert second_turn == ["owls", "a read 'owls'", "b read \"a read 'owls'\""]


def test_late_2025_selector_reads_a_snapshot_and_none_ends_the_chat_with_its_final_message():
    seen: list[GroupChatStateSnapshot] = []

    def select(state: GroupChatStateSnapshot) -> str | None:
        seen.append(state)
        if state["round_index"] >= 2:
            return None
        last = state["history"][-1].speaker
        return "writer" if last == "researcher" else "researcher"

    workflow = (
        GroupChatBuilder()
        .participants(researcher=reader("r"), writer=reader("w"))
        .select_speakers(select, display_name="Chair", final_message="All done.")
        .build()
    )
    result = run(workflow.run("owls"))
    assert speakers(result) == ["researcher", "writer"]
    [output] = result.get_outputs()
    assert isinstance(output, ChatMessage) and output.text == "All done." and output.author_name == "Chair"
    assert seen[0]["task"].text == "owls" and seen[-1]["round_index"] == 2


def described(name: str, description: str, client: Any) -> Agent:
    return Agent(client, f"You are {name}.", name=name, description=description)


def test_the_offline_manager_picks_by_description_and_ends_once_everyone_has_spoken():
    client = OfflineChatClient()
    writer = described("Writer", "Synthesizes polished answers from gathered information", client)
    researcher = described("Researcher", "Collects relevant background information", client)
    chair = Agent(client, "You coordinate the team.", name="Chair")
    workflow = GroupChatBuilder(participants=[writer, researcher], orchestrator_agent=chair, max_rounds=8).build()
    result = run(workflow.run("Why do owls hunt at night?"))
    assert speakers(result) == ["Researcher", "Writer"]  # facts first, though the writer was listed first


def test_the_offline_managers_final_message_quotes_the_writers_answer():
    client = OfflineChatClient()
    team = [described("Researcher", "Collects background facts", client), described("Writer", "Writes the answer", client)]
    workflow = GroupChatBuilder(participants=team, orchestrator_agent=Agent(client, "Chair.", name="Chair")).build()
    result = run(workflow.run("Why do owls hunt at night?"))
    answers = {e.data.executor_id: e.data.agent_run_response.text for e in result if isinstance(e.data, AgentExecutorResponse)}
    answers = answers or {e.executor_id: e.data.text for e in result if e.type == "agent_run"}
    final = result.get_outputs()[0].text
    assert final.startswith("Writer's answer")
    points = [line[2:] for line in answers["Writer"].splitlines() if line.startswith("- ")]
    assert points and all(point in final for point in points)  # the writer's own words


def test_the_same_chat_runs_the_same_twice():
    def once() -> str:
        client = OfflineChatClient()
        team = [described("Researcher", "Collects facts", client), described("Writer", "Writes the answer", client)]
        workflow = GroupChatBuilder(participants=team, orchestrator_agent=Agent(client, "Chair.", name="Chair")).build()
        return run(workflow.run("Why do owls hunt at night?")).get_outputs()[0].text

    assert once() == once()


def test_a_manager_naming_someone_outside_the_chat_fails_with_the_participants_listed():
    workflow = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=lambda state: "zed").build()
    with pytest.raises(WorkflowFailedError) as failed:
        run(workflow.run("owls"))
    cause = failed.value.__cause__
    assert isinstance(cause, OrchestrationManagerError)
    assert "'zed'" in str(cause) and "['a', 'b']" in str(cause)


def test_mixing_the_two_spellings_is_refused_with_the_fix():
    with pytest.raises(WorkflowValidationError, match="selection_func="):
        GroupChatBuilder(participants=[reader("a")]).select_speakers(round_robin)
    with pytest.raises(WorkflowValidationError, match="one manager"):
        GroupChatBuilder(participants=[reader("a")], selection_func=round_robin, orchestrator_agent=reader("chair"))


def test_a_chat_without_a_manager_is_refused_at_build():
    with pytest.raises(WorkflowValidationError, match="no manager"):
        GroupChatBuilder(participants=[reader("a")]).build()


def test_the_graph_is_a_star_of_edges_to_and_from_the_orchestrator():
    workflow = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin).build()
    dot = workflow.to_dot()
    for name in ("a", "b"):
        assert f'"group_chat_orchestrator" -> "{name}"' in dot and f'"{name}" -> "group_chat_orchestrator"' in dot


def test_a_chat_resumes_mid_conversation_from_a_file_checkpoint(tmp_path):
    def build() -> Any:
        return GroupChatBuilder(
            participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=4,
            checkpoint_storage=FileCheckpointStorage(tmp_path),
        ).build()

    whole = run(build().run("owls"))
    storage = FileCheckpointStorage(tmp_path)
    checkpoints = run(storage.list_checkpoints())
    # The checkpoint after the second answer came back: two turns done, two to go.
    middle = next(cp for cp in checkpoints if len((cp.executor_states.get("group_chat_orchestrator") or {}).get("turns", [])) == 3)
    resumed = run(build().run(checkpoint_id=middle.checkpoint_id, checkpoint_storage=storage))
    invoked = [e.executor_id for e in resumed if e.type == "executor_invoked"]
    # a's third turn was already on its way; then b's; nobody starts the chat again.
    assert invoked == ["a", "group_chat_orchestrator", "b", "group_chat_orchestrator"]
    assert resumed.get_outputs()[0].text == whole.get_outputs()[0].text


def test_a_reviewed_participant_waits_for_approval_before_the_chat_goes_on():
    workflow = (
        GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=2)
        .with_request_info(agents=["a"])
        .build()
    )
    first = run(workflow.run("owls"))
    [request] = first.get_request_info_events()
    assert isinstance(request.data, AgentExecutorResponse) and request.data.executor_id == "a"
    rest = run(workflow.send_responses({request.request_id: AgentRequestInfoResponse.approve()}))
    assert speakers(rest) == ["b"] and rest.get_outputs()


class Shout(Executor):
    @handler
    async def shout(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text.upper())


def test_a_group_chat_works_as_a_sub_workflow():
    chat = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=2).build()
    shout = Shout("shout")
    parent = WorkflowBuilder().add_edge(shout, chat.as_executor(id="chat")).set_start_executor(shout).build()
    outputs = run(parent.run("owls")).get_outputs()
    assert len(outputs) == 1 and "limit of 2 rounds" in outputs[0].text


def test_a_group_chat_can_be_inlined_with_add_workflow():
    chat = GroupChatBuilder(participants=[reader("a"), reader("b")], selection_func=round_robin, max_rounds=2)
    builder = WorkflowBuilder()
    handle = builder.add_workflow(chat, prefix="chat")
    shout = Shout("shout")
    builder.add_edge(shout, handle.start).set_start_executor(shout)
    result = run(builder.build().run("owls"))
    assert speakers(result) == ["a", "b"]  # the participants keep their names inside the chat
    assert "limit of 2 rounds" in result.get_outputs()[0].text


def test_a_group_chat_answers_as_an_agent():
    client = OfflineChatClient()
    team = [described("Researcher", "Collects facts", client), described("Writer", "Writes the answer", client)]
    workflow = GroupChatBuilder(participants=team, orchestrator_agent=Agent(client, "Chair.", name="Chair")).build()
    response = run(workflow.as_agent(name="team").run("Why do owls hunt at night?"))
    # Each participant's words once, then the chat's closing message.
    assert [m.author_name for m in response.messages] == ["Researcher", "Writer", "team"]
    assert response.messages[-1].text.startswith("Writer's answer")


def test_a_streamed_chat_outputs_an_update_today():
    workflow = GroupChatBuilder(participants=[reader("a")], selection_func=round_robin, max_rounds=1).build()

    async def outputs() -> list[Any]:
        return [e.data async for e in workflow.run("owls", stream=True) if e.type == "output"]

    [output] = run(outputs())
    assert type(output).__name__ in ("AgentResponseUpdate", "AgentRunResponseUpdate") and "limit" in output.text
