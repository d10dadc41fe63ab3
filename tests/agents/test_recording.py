"""Record a real model's replies to JSON, then replay them with no server at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.agents.openai_server import FakeOpenAIServer
from tests.agents.test_agent_executor import Reviser
from tests.conftest import run
from wfkit import WorkflowBuilder, WorkflowOutputEvent
from wfkit.agents import (
    AgentExecutor,
    ChatMessage,
    OpenAIChatClient,
    RecordingChatClient,
    ReplayChatClient,
    ReplayMismatchError,
    Role,
)
from wfkit.agents.protocol import ChatClientProtocol
from wfkit.agents.recording import request_key

CONVERSATION = [ChatMessage(Role.SYSTEM, text="Be brief."), ChatMessage(Role.USER, text="Name a river.")]


def recorder(server: FakeOpenAIServer, path: Path) -> RecordingChatClient:
    return RecordingChatClient(OpenAIChatClient(model_id="gpt-test", api_key="sk-test", base_url=server.base_url), path)


async def streamed(client: object, messages: object) -> str:
    return "".join([u.text async for u in client.get_streaming_response(messages)])  # type: ignore[attr-defined]


def test_recorded_replies_replay_with_the_server_stopped(server: FakeOpenAIServer, tmp_path: Path) -> None:
    path = tmp_path / "lesson.json"
    client = recorder(server, path)
    live = run(client.get_response(CONVERSATION)).text
    live_stream = run(streamed(client, "Stream this."))
    server.stop()

    replay = ReplayChatClient(path)
    assert run(replay.get_response(CONVERSATION)).text == live == "Echo: Name a river."
    assert run(streamed(replay, "Stream this.")) == live_stream == "Echo: Stream this."


def test_a_recording_is_readable_json(server: FakeOpenAIServer, tmp_path: Path) -> None:
    path = tmp_path / "lesson.json"
    run(recorder(server, path).get_response(CONVERSATION))
    data = json.loads(path.read_text())
    [entry] = data["recordings"]
    assert entry["messages"] == [{"role": "system", "text": "Be brief."}, {"role": "user", "text": "Name a river."}]
    assert entry["reply"] == "Echo: Name a river."
    assert data["model_id"] == "gpt-test"


def test_an_unrecorded_request_names_itself_and_how_to_re_record(server: FakeOpenAIServer, tmp_path: Path) -> None:
    path = tmp_path / "lesson.json"
    run(recorder(server, path).get_response(CONVERSATION))
    with pytest.raises(ReplayMismatchError, match=r"no recorded reply.*'Name a lake\.'.*WFKIT_RECORD="):
        run(ReplayChatClient(path).get_response("Name a lake."))


def test_a_request_recorded_twice_replays_both_replies_in_order(server: FakeOpenAIServer, tmp_path: Path) -> None:
    answers = iter(["first", "second"])
    server.reply = lambda messages: next(answers)
    path = tmp_path / "lesson.json"
    client = recorder(server, path)
    run(client.get_response("Again?"))
    run(client.get_response("Again?"))
    replay = ReplayChatClient(path)
    assert [run(replay.get_response("Again?")).text for _ in range(3)] == ["first", "second", "second"]


def test_recording_again_replaces_an_earlier_runs_reply(server: FakeOpenAIServer, tmp_path: Path) -> None:
    path = tmp_path / "lesson.json"
    earlier = [ChatMessage(Role.USER, text="Name a river.")]
    path.write_text(json.dumps({"version": 1, "recordings": [
        {"key": request_key(earlier), "messages": [], "reply": "stale reply"},
        {"key": "0" * 16, "messages": [], "reply": "another request"},
    ]}))
    run(recorder(server, path).get_response("Name a river."))
    replies = [entry["reply"] for entry in json.loads(path.read_text())["recordings"]]
    assert replies == ["another request", "Echo: Name a river."]


def test_replay_without_a_recording_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="RecordingChatClient"):
        ReplayChatClient(tmp_path / "missing.json")


def revision_loop(client: ChatClientProtocol) -> Any:
    """The reviser sends a brief, then one revision request, to a writer AgentExecutor."""
    writer = AgentExecutor(client.create_agent(instructions="You write release notes.", name="writer"), id="writer")
    reviser = Reviser("reviser")
    return WorkflowBuilder().add_edge(reviser, writer).add_edge(writer, reviser).set_start_executor(reviser).build()


@pytest.mark.parametrize("streamed", [False, True], ids=["run", "run_stream"])
def test_a_workflow_recorded_once_replays_with_the_server_stopped(
    server: FakeOpenAIServer, tmp_path: Path, streamed: bool
) -> None:
    server.reply = lambda messages: f"Reply {len(messages)} to: {messages[-1]['content']}"
    path = tmp_path / "lesson.json"

    async def outputs(workflow: Any) -> list[tuple[str, list[tuple[str, str]]]]:
        if streamed:
            found = [e.data async for e in workflow.run_stream("Smart mug, $79.") if isinstance(e, WorkflowOutputEvent)]
        else:
            found = (await workflow.run("Smart mug, $79.")).get_outputs()
        return [(r.agent_run_response.text, [(m.role.value, m.text) for m in r.full_conversation]) for r in found]

    live = run(outputs(revision_loop(recorder(server, path))))
    server.stop()
    replayed = run(outputs(revision_loop(ReplayChatClient(path))))

    assert replayed == live
    assert [text for text, _ in live] == ["Reply 2 to: Smart mug, $79.", "Reply 4 to: Please mention the price."]
