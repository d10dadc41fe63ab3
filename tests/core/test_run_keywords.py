"""Run keywords in the core: ``workflow.run(..., function_invocation_kwargs=..., client_kwargs=...)``
reads them once, refuses what it cannot hand on, and carries them as data on the run, where any
handler reads them as ``ctx.run_kwargs``; checkpoints save them as data, and sub-workflows get them.

(What an agent does with them: tests/agents/test_run_keywords.py; the same behaviour on real AF:
tests/af_compat/today/test_run_keywords.py.)"""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    CheckpointEncodingError,
    Executor,
    InMemoryCheckpointStorage,
    Never,
    RunKeywordsError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowExecutor,
    WorkflowFailedError,
    WorkflowInvocationKwargs,
    handler,
)


class Reader(Executor):
    """Yields what this executor would hand its agent: {keyword name: its keywords}."""

    @handler
    async def read(self, text: str, ctx: WorkflowContext[str, dict]) -> None:
        await ctx.yield_output({name: given.for_executor(self.id) for name, given in ctx.run_kwargs.items()})
        await ctx.send_message(text)


def chain(*ids: str, storage: InMemoryCheckpointStorage | None = None):
    readers = [Reader(id=i) for i in ids]
    builder = WorkflowBuilder(start_executor=readers[0], checkpoint_storage=storage)
    for first, second in zip(readers, readers[1:]):
        builder.add_edge(first, second)
    return builder.build()


def test_a_run_given_no_keywords_has_none():
    assert run(chain("a").run("go")).get_outputs() == [{}]


def test_a_flat_mapping_is_for_every_executor():
    outputs = run(chain("a", "b").run("go", client_kwargs={"store": False})).get_outputs()
    assert outputs == [{"client_kwargs": {"store": False}}] * 2


def test_a_mapping_keyed_by_executor_ids_gives_each_its_own():
    outputs = run(chain("a", "b").run("go", function_invocation_kwargs={"a": {"x": 1}, "b": {"y": 2}})).get_outputs()
    assert outputs == [{"function_invocation_kwargs": {"x": 1}}, {"function_invocation_kwargs": {"y": 2}}]


def test_an_executor_not_named_in_a_per_executor_mapping_gets_nothing_of_it():
    outputs = run(chain("a", "b").run("go", function_invocation_kwargs={"a": {"x": 1}})).get_outputs()
    assert outputs == [{"function_invocation_kwargs": {"x": 1}}, {"function_invocation_kwargs": {}}]


def test_an_unknown_executor_id_is_refused_naming_it_and_the_ids_there_are():
    workflow = chain("researcher", "writer")
    with pytest.raises(RunKeywordsError, match=r"'writr'.*'researcher', 'writer'"):
        workflow.run("go", function_invocation_kwargs={"researcher": {"x": 1}, "writr": {"y": 2}})
    assert workflow.last_run_state is None  # refused before anything ran


def test_an_unknown_id_in_workflow_invocation_kwargs_is_refused():
    with pytest.raises(RunKeywordsError, match="'nobody'"):
        chain("a").run("go", client_kwargs=WorkflowInvocationKwargs(executor_kwargs={"nobody": {"x": 1}}))


def test_keywords_that_are_not_a_mapping_are_refused():
    with pytest.raises(RunKeywordsError, match="takes a dict"):
        chain("a").run("go", client_kwargs=["store"])
    with pytest.raises(RunKeywordsError, match="keywords for 'a' must be a dict"):
        chain("a", "b").run("go", client_kwargs={"a": "store"})


def test_the_run_keywords_seen_by_a_handler_are_read_only():
    class Meddler(Executor):
        @handler
        async def meddle(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
            ctx.run_kwargs["client_kwargs"] = WorkflowInvocationKwargs()  # type: ignore[index]

    workflow = WorkflowBuilder(start_executor=Meddler(id="m")).build()
    with pytest.raises(WorkflowFailedError) as failed:
        run(workflow.run("go"))
    assert isinstance(failed.value.__cause__, TypeError)


def test_a_value_is_handed_on_as_it_is_given():
    token = object()  # a live object: without checkpoints nothing needs to save it
    [output] = run(chain("a").run("go", function_invocation_kwargs={"token": token})).get_outputs()
    assert output["function_invocation_kwargs"]["token"] is token


def test_checkpoints_save_the_keywords_as_data():
    storage = InMemoryCheckpointStorage()
    workflow = chain("a", storage=storage)
    run(workflow.run("go", function_invocation_kwargs={"a": {"x": 1}}))
    latest = run(storage.get_latest(workflow_name=workflow.name))
    assert latest.metadata["run_kwargs"]["function_invocation_kwargs"]["__wfkit__"] == "dataclass"


def test_a_keyword_that_is_not_data_fails_the_checkpoint_naming_the_keyword():
    workflow = chain("a", storage=InMemoryCheckpointStorage())
    with pytest.raises(WorkflowFailedError) as failed:
        run(workflow.run("go", client_kwargs={"on_done": lambda: None}))
    assert isinstance(failed.value.__cause__, CheckpointEncodingError)
    assert "run keyword client_kwargs=" in str(failed.value.__cause__)


def nested(outer_reader: str = "intake"):
    """intake -> team (a sub-workflow of 'researcher' -> 'writer')."""
    child = chain("researcher", "writer")
    intake = Reader(id=outer_reader)
    team = WorkflowExecutor(child, id="team")
    return WorkflowBuilder(start_executor=intake).add_edge(intake, team).build()


def test_keywords_for_every_executor_reach_a_sub_workflows_executors():
    outputs = run(nested().run("go", client_kwargs={"store": False})).get_outputs()
    assert outputs == [{"client_kwargs": {"store": False}}] * 3


def test_a_sub_workflows_executors_can_be_named_and_its_own_id_names_them_all():
    given = {"intake": {"who": "intake"}, "team": {"team": True}, "writer": {"who": "writer"}}
    outputs = run(nested().run("go", function_invocation_kwargs=given)).get_outputs()
    assert outputs == [
        {"function_invocation_kwargs": {"who": "intake"}},
        {"function_invocation_kwargs": {"team": True}},
        {"function_invocation_kwargs": {"team": True, "who": "writer"}},
    ]


def test_an_id_in_the_parent_and_in_a_sub_workflow_names_both():
    outputs = run(nested("researcher").run("go", function_invocation_kwargs={"researcher": {"x": 1}})).get_outputs()
    assert outputs == [
        {"function_invocation_kwargs": {"x": 1}},
        {"function_invocation_kwargs": {"x": 1}},
        {"function_invocation_kwargs": {}},
    ]
