"""Agent Framework's python-1.0.0b251104 names in the core: executor state, run(checkpoint_id=...),
Executor keyword arguments, and where an event comes from (`event.origin`)."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    ExecutorCompletedEvent,
    ExecutorInvokedEvent,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoEvent,
    SuperStepStartedEvent,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowEvent,
    WorkflowEventSource,
    WorkflowOutputEvent,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
    WorkflowWarningEvent,
    handler,
    response_handler,
)
from wfkit.errors import WorkflowRunError


class Counter(Executor):
    """Counts its calls with AF's later names for executor state."""

    @handler
    async def count(self, text: str, ctx: WorkflowContext[str]) -> None:
        state = await ctx.get_executor_state() or {}
        await ctx.set_executor_state({"count": state.get("count", 0) + 1})
        await ctx.send_message(text.upper())


class Finish(Executor):
    @handler
    async def finish(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)


def pipeline(storage=None):
    builder = WorkflowBuilder().add_edge(Counter("counter"), Finish("finish")).set_start_executor("counter")
    return (builder.with_checkpointing(checkpoint_storage=storage) if storage else builder).build()


# --- executor state -------------------------------------------------------------------------


def test_get_and_set_executor_state_are_the_same_storage_as_get_and_set_state():
    seen = {}

    class Both(Executor):
        @handler
        async def both(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.set_executor_state({"via": "new name"})
            seen["old"] = await ctx.get_state()
            await ctx.set_state({"via": "old name"})
            seen["new"] = await ctx.get_executor_state()

    run(WorkflowBuilder().set_start_executor(Both("both")).build().run("x"))
    assert seen == {"old": {"via": "new name"}, "new": {"via": "old name"}}


def test_executor_state_set_with_the_new_name_is_saved_in_checkpoints():
    storage = InMemoryCheckpointStorage()
    run(pipeline(storage).run("hi"))
    newest = max(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)
    assert newest.summary().executor_states["counter"] == {"count": 1}


# --- run / run_stream with checkpoint_id ------------------------------------------------------


def first_checkpoint_id(storage) -> str:
    return min(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count).checkpoint_id


def test_run_stream_with_checkpoint_id_continues_a_saved_run_in_a_fresh_workflow():
    storage = InMemoryCheckpointStorage()
    run(pipeline(storage).run("hi"))

    checkpoint_id = first_checkpoint_id(storage)

    async def resume():
        fresh = pipeline()
        return [e async for e in fresh.run_stream(checkpoint_id=checkpoint_id, checkpoint_storage=storage)]

    events = run(resume())
    assert [e.data for e in events if isinstance(e, WorkflowOutputEvent)] == ["HI"]
    assert [e.executor_id for e in events if isinstance(e, ExecutorInvokedEvent)] == ["finish"]


def test_run_with_checkpoint_id_continues_a_saved_run_like_run_from_checkpoint():
    storage = InMemoryCheckpointStorage()
    run(pipeline(storage).run("hi"))
    result = run(pipeline(storage).run(checkpoint_id=first_checkpoint_id(storage)))
    assert result.get_outputs() == ["HI"]


def test_run_with_a_checkpoint_storage_and_a_message_saves_this_run_there():
    storage = InMemoryCheckpointStorage()
    run(pipeline().run("hi", checkpoint_storage=storage))
    assert len(run(storage.list_checkpoint_ids())) >= 1


def test_run_refuses_both_a_message_and_a_checkpoint_id():
    with pytest.raises(WorkflowRunError, match="not both"):
        run(pipeline(InMemoryCheckpointStorage()).run("hi", checkpoint_id="abc"))
    with pytest.raises(WorkflowRunError, match="not both"):
        pipeline(InMemoryCheckpointStorage()).run_stream("hi", checkpoint_id="abc")


def test_run_refuses_neither_a_message_nor_a_checkpoint_id():
    with pytest.raises(WorkflowRunError, match="Nothing to run"):
        run(pipeline().run())
    with pytest.raises(WorkflowRunError, match="Nothing to run"):
        pipeline().run_stream()


# --- Executor keyword arguments ---------------------------------------------------------------


def test_executor_accepts_agent_frameworks_keyword_arguments():
    counter = Counter(id="counter", defer_discovery=True, type="Counting", something_else=1)
    assert (counter.id, counter.type, counter.type_) == ("counter", "Counting", "Counting")
    assert counter.input_types == (str,)  # handlers are known whatever defer_discovery says


def test_executor_type_defaults_to_the_class_name_and_type_underscore_works_too():
    assert Counter("a").type == "Counter"
    assert Counter("b", type_="Tally").type == "Tally"


def test_a_subclass_can_pass_its_keyword_arguments_on_to_executor():
    class Named(Counter):
        def __init__(self, id: str, **kwargs):
            super().__init__(id=id, **kwargs)

    assert Named("n", defer_discovery=False).id == "n"


# --- event origin -----------------------------------------------------------------------------


class Asker(Executor):
    @handler
    async def ask(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.add_event(Note("thinking"))
        await ctx.request_info(text, str)

    @response_handler
    async def answered(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(answer)


class Note(WorkflowEvent):
    pass


def test_wfkit_exports_the_event_sources_of_agent_framework():
    assert [s.value for s in WorkflowEventSource] == ["FRAMEWORK", "EXECUTOR"]


def test_events_the_runtime_makes_come_from_the_framework_and_executors_events_from_executors():
    workflow = WorkflowBuilder().set_start_executor(Asker("asker")).build()
    events = run(workflow.run("name?"))
    origins = {type(e).__name__: e.origin for e in events}
    for name in ("WorkflowStartedEvent", "WorkflowStatusEvent", "SuperStepStartedEvent",
                 "ExecutorInvokedEvent", "ExecutorCompletedEvent"):
        assert origins[name] is WorkflowEventSource.FRAMEWORK, name
    assert origins["Note"] is WorkflowEventSource.EXECUTOR
    assert origins["RequestInfoEvent"] is WorkflowEventSource.EXECUTOR
    [request] = events.get_request_info_events()
    answered = run(workflow.send_responses({request.request_id: "Ada"}))
    [output] = [e for e in answered if isinstance(e, WorkflowOutputEvent)]
    assert output.origin is WorkflowEventSource.FRAMEWORK


def test_each_event_class_has_a_default_origin_and_an_event_can_be_given_another():
    assert WorkflowStartedEvent().origin is WorkflowEventSource.FRAMEWORK
    assert WorkflowWarningEvent("careful").origin is WorkflowEventSource.EXECUTOR
    assert SuperStepStartedEvent(1).origin is WorkflowEventSource.FRAMEWORK
    assert ExecutorCompletedEvent("x").origin is WorkflowEventSource.FRAMEWORK
    assert RequestInfoEvent("r", "x", str, "q", str).origin is WorkflowEventSource.EXECUTOR
    note = Note()
    note.origin = "FRAMEWORK"
    assert note.origin is WorkflowEventSource.FRAMEWORK
    assert Note() == note  # where an event comes from is not part of what it says
