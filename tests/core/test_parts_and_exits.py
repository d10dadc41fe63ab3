"""Where a composed part ends: a sub-workflow as the last node, the high-level builders as parts
of `add_workflow`, their exits wired onward, and the default prefix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.test_composition import Finish, Normalize
from tests.conftest import run
from wfkit import (
    ChatMessage,
    ConcurrentBuilder,
    Executor,
    FileCheckpointStorage,
    Never,
    Role,
    SequentialBuilder,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowExecutor,
    WorkflowOutputEvent,
    WorkflowValidationError,
    WorkflowWarningEvent,
    executor,
    handler,
    response_handler,
)


class Measure(Executor):
    """A plain participant of a concurrent part: a fact about the last message."""

    def __init__(self, id: str, measure: Any) -> None:
        super().__init__(id)
        self.label = id  # the id gets a prefix when the part is inlined; the label stays
        self.measure = measure

    @handler
    async def answer(self, conversation: list[ChatMessage], ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"{self.label}={self.measure(conversation[-1].text)}")


class Shouter(Executor):
    """A plain participant of a sequential part: repeats the last message in capitals."""

    @handler
    async def shout(self, conversation: list[ChatMessage], ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message([*conversation, ChatMessage(Role.ASSISTANT, text=conversation[-1].text.upper())])


class Report(Executor):
    """What comes after a part: turns whatever the part produced into one line of text."""

    @handler
    async def report(self, result: Any, ctx: WorkflowContext[Never, str]) -> None:
        if isinstance(result, list) and result and isinstance(result[-1], ChatMessage):
            result = [m.text for m in result]
        await ctx.yield_output(f"report: {result}")


def measures() -> list[Measure]:
    return [Measure("words", lambda text: len(text.split())), Measure("letters", lambda text: len(text.replace(" ", "")))]


def prep_part(name: str | None = "prep") -> WorkflowBuilder:
    return WorkflowBuilder(name=name).add_edge(Normalize("normalize"), Finish("finish")).set_start_executor("normalize")


@executor(id="begin")
async def begin(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text)


# --- a sub-workflow as the last node ----------------------------------------------------------


def outputs_and_warnings(workflow: Any, message: Any) -> tuple[list[WorkflowOutputEvent], list[str]]:
    events = run(workflow.run(message))
    outputs = [e for e in events if isinstance(e, WorkflowOutputEvent)]
    warnings = [e.message for e in events if isinstance(e, WorkflowWarningEvent)]
    return outputs, warnings


def test_a_sub_workflow_with_no_out_edges_yields_its_childs_outputs():
    child = WorkflowExecutor(prep_part().build(), id="prep")
    workflow = WorkflowBuilder().add_edge(begin, child).set_start_executor(begin).build()
    outputs, warnings = outputs_and_warnings(workflow, "  many   spaces ")
    assert [(o.data, o.source_executor_id) for o in outputs] == [("many spaces", "prep")]
    assert warnings == []


def test_allow_direct_output_yields_the_childs_outputs_even_with_out_edges():
    child = prep_part().build().as_executor("prep", allow_direct_output=True)
    assert child.allow_direct_output
    workflow = WorkflowBuilder().add_edge(begin, child).set_start_executor(begin).build()
    outputs, _ = outputs_and_warnings(workflow, " a  b ")
    assert [(o.data, o.source_executor_id) for o in outputs] == [("a b", "prep")]


class TwoResults(Executor):
    """Yields a text and a number, so a parent edge that takes only text drops the number."""

    @handler
    async def both(self, text: str, ctx: WorkflowContext[Never, str | int]) -> None:
        await ctx.yield_output(text)
        await ctx.yield_output(len(text))


class TakesText(Executor):
    @handler
    async def take(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"got {text}")


def test_a_sub_workflow_output_no_edge_takes_is_a_warning_that_fits_a_sub_workflow():
    child = WorkflowExecutor(WorkflowBuilder().set_start_executor(TwoResults("both")).build(), id="child")
    workflow = WorkflowBuilder().add_edge(begin, child).add_edge(child, TakesText("text")).set_start_executor(begin).build()
    outputs, [warning] = outputs_and_warnings(workflow, "owl")
    assert [o.data for o in outputs] == ["got owl"]
    assert "'child'" in warning and "allow_direct_output=True" in warning
    assert "ctx.yield_output" not in warning  # a sub-workflow node cannot call it


def test_the_warning_for_a_plain_executor_still_advises_yield_output():
    @executor(id="sender")
    async def sender(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    workflow = WorkflowBuilder().add_edge(begin, sender).set_start_executor(begin).build()
    _, [warning] = outputs_and_warnings(workflow, "x")
    assert "ctx.yield_output" in warning and "allow_direct_output" not in warning


# --- the high-level builders as parts ----------------------------------------------------------


def test_add_workflow_takes_a_concurrent_builder():
    builder = WorkflowBuilder()
    part = builder.add_workflow(ConcurrentBuilder().participants(measures()), prefix="facts")
    assert part.start == "facts/dispatcher" and part.outputs == ["facts/aggregator"]
    workflow = builder.set_start_executor(part.start).build()
    assert run(workflow.run("owls hunt")).get_outputs() == [["words=2", "letters=8"]]


def test_add_workflow_takes_a_sequential_builder():
    builder = WorkflowBuilder()
    part = builder.add_workflow(SequentialBuilder().participants([Shouter("shouter")]), prefix="loud")
    assert part.outputs == ["loud/end"]
    [conversation] = run(builder.set_start_executor(part.start).build().run("hi")).get_outputs()
    assert [m.text for m in conversation] == ["hi", "HI"]


def test_add_workflow_names_what_it_accepts():
    with pytest.raises(WorkflowValidationError, match=r"WorkflowBuilder, a Workflow, or .*\.builder\(\)"):
        WorkflowBuilder().add_workflow(Normalize("normalize"), prefix="x")  # type: ignore[arg-type]


# --- the exits of a high-level builder, wired onward -------------------------------------------


def test_a_concurrent_builders_aggregator_can_be_wired_onward():
    builder = ConcurrentBuilder().participants(measures()).builder()
    workflow = builder.add_edge("aggregator", Report("report")).build()
    assert run(workflow.run("owls hunt")).get_outputs() == ["report: ['words=2', 'letters=8']"]


def test_a_concurrent_builders_aggregator_still_yields_when_not_wired():
    workflow = ConcurrentBuilder().participants(measures()).builder().build()
    assert run(workflow.run("owls hunt")).get_outputs() == [["words=2", "letters=8"]]


def test_a_sequential_builders_end_can_be_wired_onward():
    builder = SequentialBuilder().participants([Shouter("shouter")]).builder()
    workflow = builder.add_edge("end", Report("report")).build()
    assert run(workflow.run("hi")).get_outputs() == ["report: ['hi', 'HI']"]


class Summarizer(Executor):
    """A last participant that yields the conversation itself (so the sequence has no "end")."""

    @handler
    async def summarize(self, conversation: list[ChatMessage], ctx: WorkflowContext[Never, list[ChatMessage]]) -> None:
        await ctx.yield_output([*conversation, ChatMessage(Role.ASSISTANT, text=f"{len(conversation)} messages")])


def test_a_sequential_builders_yielding_last_participant_can_be_wired_onward():
    builder = SequentialBuilder().participants([Shouter("shouter"), Summarizer("summarizer")]).builder()
    workflow = builder.add_edge("summarizer", Report("report")).build()
    assert run(workflow.run("hi")).get_outputs() == ["report: ['hi', 'HI', '2 messages']"]


def test_an_inlined_concurrent_part_is_wired_onward_from_its_handle():
    builder = WorkflowBuilder()
    facts = builder.add_workflow(ConcurrentBuilder().participants(measures()), prefix="facts")
    workflow = builder.add_edge(facts.outputs[0], Report("report")).set_start_executor(facts.start).build()
    assert run(workflow.run("owls hunt")).get_outputs() == ["report: ['words=2', 'letters=8']"]


def test_an_inlined_sequential_part_is_wired_onward_from_its_handle():
    builder = WorkflowBuilder()
    loud = builder.add_workflow(SequentialBuilder().participants([Shouter("shouter")]), prefix="loud")
    workflow = builder.add_edge(loud.outputs[0], Report("report")).set_start_executor(loud.start).build()
    assert run(workflow.run("hi")).get_outputs() == ["report: ['hi', 'HI']"]


def test_a_part_whose_exit_is_already_wired_keeps_sending_when_inlined_again():
    inner = WorkflowBuilder(name="inner")
    prep = inner.add_workflow(prep_part())
    inner.add_edge(prep.outputs[0], Report("report")).set_start_executor(prep.start)
    outer = WorkflowBuilder()
    handle = outer.add_workflow(inner)
    workflow = outer.set_start_executor(handle.start).build()
    assert run(workflow.run(" a  b ")).get_outputs() == ["report: a b"]


# --- the default prefix ------------------------------------------------------------------------


def test_the_prefix_defaults_to_the_builders_name():
    handle = WorkflowBuilder().add_workflow(prep_part("prep"))
    assert (handle.prefix, handle.start) == ("prep", "prep/normalize")


def test_the_prefix_defaults_to_the_workflows_name():
    handle = WorkflowBuilder().add_workflow(prep_part("cleanup").build())
    assert handle.start == "cleanup/normalize"


def test_the_high_level_builders_have_default_prefixes():
    builder = WorkflowBuilder()
    facts = builder.add_workflow(ConcurrentBuilder().participants(measures()))
    loud = builder.add_workflow(SequentialBuilder().participants([Shouter("shouter")]))
    assert (facts.prefix, loud.prefix) == ("concurrent", "sequential")


def test_a_part_without_a_name_needs_a_prefix():
    with pytest.raises(WorkflowValidationError, match=r"has no name.*prefix="):
        WorkflowBuilder().add_workflow(prep_part(None))


def test_a_clashing_default_prefix_says_to_pass_one():
    builder = WorkflowBuilder()
    builder.add_workflow(prep_part("prep"))
    with pytest.raises(WorkflowValidationError, match=r"'prep'.*already used.*prefix="):
        builder.add_workflow(prep_part("prep"))


# --- a composed workflow checkpoints and resumes -------------------------------------------------


class Approve(Executor):
    """Asks a human whether the part's result may go out."""

    @handler
    async def ask(self, result: Any, ctx: WorkflowContext) -> None:
        await ctx.request_info(f"Publish {result}?", response_type=str)

    @response_handler
    async def answered(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{question} {answer}")


def composed(storage: FileCheckpointStorage) -> Any:
    builder = WorkflowBuilder(name="composed")
    prep = builder.add_workflow(prep_part())
    facts = builder.add_workflow(ConcurrentBuilder().participants(measures()))
    child = WorkflowExecutor(WorkflowBuilder(name="tail").set_start_executor(Approve("approve")).build(), id="tail")
    return (
        builder.add_edge(prep.outputs[0], facts.start)
        .add_edge(facts.outputs[0], child)
        .set_start_executor(prep.start)
        .with_checkpointing(storage)
        .build()
    )


def test_a_composed_workflow_checkpoints_and_resumes_in_a_fresh_build(tmp_path):
    storage = FileCheckpointStorage(str(tmp_path))
    [ask] = run(composed(storage).run("  owls   hunt ")).get_request_info_events()
    assert ask.data == "Publish ['words=2', 'letters=8']?"
    newest = run(storage.list_checkpoints())[-1]
    resumed = composed(FileCheckpointStorage(str(tmp_path)))
    result = run(resumed.run_from_checkpoint(newest.checkpoint_id, responses={ask.request_id: "yes"}))
    outputs = [e for e in result if isinstance(e, WorkflowOutputEvent)]
    assert [(o.data, o.source_executor_id) for o in outputs] == [("Publish ['words=2', 'letters=8']? yes", "tail")]
