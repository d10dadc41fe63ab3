"""`RunHistory.save_test`: a recorded run written as a pytest file that passes today and fails,
naming the superstep, once the workflow behaves differently."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wfkit import FileCheckpointStorage, RunHistory, SavedTestError

REPO = Path(__file__).resolve().parents[2]

# A small package of the learner's: a newsroom whose editor asks a person to approve each draft.
NEWSROOM = '''
from dataclasses import dataclass

from wfkit import Executor, Never, WorkflowBuilder, WorkflowContext, executor, handler, response_handler


@dataclass
class Draft:
    topic: str
    text: str


class Editor(Executor):
    @handler
    async def read(self, draft: Draft, ctx: WorkflowContext[Draft]) -> None:
        if ASK_A_PERSON:
            await ctx.request_info(draft, response_type=str)
        else:
            await ctx.send_message(draft)

    @response_handler
    async def answered(self, draft: Draft, answer: str, ctx: WorkflowContext[Draft]) -> None:
        await ctx.send_message(Draft(draft.topic, draft.text if answer == "approve" else f"{draft.text} {answer}"))


@executor(id="writer")
async def writer(topic: str, ctx: WorkflowContext[Draft]) -> None:
    await ctx.send_message(Draft(topic, f"All about {topic}."))


@executor(id="publisher")
async def publisher(draft: Draft, ctx: WorkflowContext[Never, Draft]) -> None:
    await ctx.yield_output(draft)


def build(storage=None):
    editor = Editor(id="editor")
    builder = WorkflowBuilder(start_executor=writer)
    builder = builder.add_edge(writer, editor).add_edge(editor, publisher)
    return (builder.with_checkpointing(storage) if storage is not None else builder).build()


def build_checkpointed():
    return build(STORAGE)


ASK_A_PERSON = True
'''


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch):
    """The package `mynews` in a folder on the path, as a learner's own code would be."""
    package = tmp_path / "src" / "mynews"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    storage = tmp_path / "checkpoints"
    (package / "flows.py").write_text(NEWSROOM + f"\nfrom wfkit import FileCheckpointStorage\nSTORAGE = FileCheckpointStorage({str(storage)!r})\n")
    monkeypatch.syspath_prepend(str(package.parent))
    for name in [n for n in sys.modules if n.startswith("mynews")]:
        del sys.modules[name]
    return importlib.import_module("mynews.flows"), tmp_path


def recorded(flows, answers: list[str]):
    """Run the newsroom on 'owls', answering each question in turn; its history."""

    async def go():
        workflow = flows.build_checkpointed()
        result = await workflow.run("owls")
        events = list(result)
        for answer in answers:
            (request,) = result.get_request_info_events()
            result = await workflow.send_responses({request.request_id: answer})
            events += list(result)
        history = RunHistory.from_events(workflow, events, factory=flows.build_checkpointed)
        await history.load_checkpoints()
        return history

    return asyncio.run(go())


def pytest_file(test: Path, src: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        cwd=test.parent, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(REPO)])},
    )


def test_a_saved_run_passes_then_fails_naming_the_superstep_once_the_workflow_changes(newsroom):
    flows, home = newsroom
    history = recorded(flows, ["approve"])
    test = history.save_test(home / "tests" / "test_owls.py", factory="mynews.flows:build_checkpointed")
    text = test.read_text()
    assert "from mynews.flows import Draft, build_checkpointed" in text and "INPUT = 'owls'" in text and "ANSWERS = ['approve']" in text
    assert "SUPERSTEPS = [['writer'], ['editor'], ['editor'], ['publisher']]" in text
    assert "OUTPUTS = [Draft(topic='owls', text='All about owls.')]" in text

    passed = pytest_file(test, home / "src")
    assert passed.returncode == 0, passed.stdout[-2000:]

    # The learner changes the editor: it passes drafts on without asking anyone.
    flows_file = home / "src" / "mynews" / "flows.py"
    flows_file.write_text(flows_file.read_text().replace("ASK_A_PERSON = True", "ASK_A_PERSON = False"))
    failed = pytest_file(test, home / "src")
    assert failed.returncode == 1
    assert "superstep 3 differs: the recorded run ran editor, this run ran publisher" in failed.stdout, failed.stdout[-2000:]


def test_a_fork_is_saved_with_its_own_answer(newsroom):
    flows, home = newsroom
    history = recorded(flows, ["approve"])
    request_id = next(iter(history.step(2).pending_requests))
    asyncio.run(history.fork(2, {request_id: "Add a picture."}))
    test = history.save_test(home / "test_fork.py", factory="mynews.flows:build_checkpointed")
    assert "ANSWERS = ['Add a picture.']" in test.read_text()
    assert "text='All about owls. Add a picture.'" in test.read_text()
    assert pytest_file(test, home / "src").returncode == 0


def test_what_cannot_be_saved_is_refused_by_name(newsroom, tmp_path):
    flows, home = newsroom
    history = recorded(flows, ["approve"])
    with pytest.raises(SavedTestError, match="'mynews.flows:no_such' cannot be imported"):
        history.save_test(tmp_path / "test_a.py", factory="mynews.flows:no_such")
    with pytest.raises(SavedTestError, match="as 'package.module:function'"):
        history.save_test(tmp_path / "test_a.py", factory="build_checkpointed")
    with pytest.raises(SavedTestError, match="test_\\*.py"):
        history.save_test(tmp_path / "owls.py", factory="mynews.flows:build_checkpointed")

    class Local:  # a class of a notebook cell, not of a module: a saved test could not import it
        def __repr__(self) -> str:
            return "Local()"

    answered = next(e for e in history.branch.events if e.type == "executor_invoked" and e.request_id)
    answered.data = Local()
    with pytest.raises(SavedTestError, match="the answer to request 1, Local\\(\\), is a .*Local defined in a notebook"):
        history.save_test(tmp_path / "test_a.py", factory="mynews.flows:build_checkpointed")
