"""Composing workflows: add_workflow with prefixes, merge, and checks across the joined graph."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from wfkit import (
    Executor,
    ExecutorFailure,
    ExecutorTimeoutError,
    Never,
    RetryPolicy,
    TypeCompatibilityError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowValidationError,
    executor,
    handler,
)


class Normalize(Executor):
    @handler
    async def clean(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(" ".join(text.split()))


class Finish(Executor):
    @handler
    async def done(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)


class Summarize(Executor):
    @handler
    async def summarize(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"summary of '{text[:20]}'")


class CountWords(Executor):
    @handler
    async def count(self, n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n)


def prep_part() -> WorkflowBuilder:
    return WorkflowBuilder().add_edge(Normalize("normalize"), Finish("finish")).set_start_executor("normalize")


def test_add_workflow_inlines_a_part_under_a_prefix_and_wires_its_exit_onward():
    builder = WorkflowBuilder()
    prep = builder.add_workflow(prep_part(), prefix="prep")
    summary = builder.add_workflow(WorkflowBuilder().set_start_executor(Summarize("summarize")), prefix="summary")
    assert (prep.start, prep.outputs) == ("prep/normalize", ["prep/finish"])
    workflow = builder.add_edge(prep.outputs[0], summary.start).set_start_executor(prep.start).build()
    assert set(workflow.executors) == {"prep/normalize", "prep/finish", "summary/summarize"}
    result = run(workflow.run("  many   spaces  here "))
    # The wired exit no longer yields: its result went on to the next part.
    assert result.get_outputs() == ["summary of 'many spaces here'"]


def test_the_same_part_twice_under_different_prefixes_keeps_ids_apart():
    part = prep_part().build()
    builder = WorkflowBuilder()
    first, second = builder.add_workflow(part, "first"), builder.add_workflow(part, "second")
    workflow = builder.add_edge(first.outputs[0], second.start).set_start_executor(first.start).build()
    assert run(workflow.run(" a  b ")).get_outputs() == ["a b"]
    with pytest.raises(WorkflowValidationError, match="already used"):
        builder.add_workflow(part, "first")


def test_a_type_error_across_the_joined_graph_is_caught_at_build():
    builder = WorkflowBuilder()
    prep = builder.add_workflow(prep_part(), prefix="prep")
    counts = builder.add_workflow(WorkflowBuilder().set_start_executor(CountWords("count")), prefix="counts")
    builder.add_edge(prep.outputs[0], counts.start).set_start_executor(prep.start)
    with pytest.raises(TypeCompatibilityError, match="'prep/finish' sends str, but 'counts/count' accepts int"):
        builder.build()


def test_a_built_workflow_is_never_changed_by_composition():
    part = prep_part().build()
    before = {eid: ex for eid, ex in part.executors.items()}
    builder = WorkflowBuilder()
    handle = builder.add_workflow(part, prefix="p")
    builder.set_start_executor(handle.start).build()
    assert part.executors == before and all(ex.id == eid for eid, ex in part.executors.items())
    assert run(part.run(" x  y ")).get_outputs() == ["x y"]


def test_an_inlined_part_keeps_addressing_its_own_executors_by_their_old_ids():
    builder = WorkflowBuilder(max_iterations=30)
    notes = builder.add_workflow(release_notes_workflow(), prefix="notes")
    workflow = builder.set_start_executor(notes.start).build()

    async def scenario():
        [ask] = (await workflow.run("Launch")).get_request_info_events()
        assert ask.source_executor_id == "notes/request_info"
        return await workflow.send_responses({ask.request_id: "approve"})

    assert run(scenario()).get_outputs() == ["New: Launch. Pre-order today!"]


def test_a_part_inlined_twice_deep_keeps_addressing_its_own_executors():
    middle = WorkflowBuilder(max_iterations=30)
    middle.set_start_executor(middle.add_workflow(release_notes_workflow(), prefix="notes").start)
    builder = WorkflowBuilder(max_iterations=30)
    workflow = builder.set_start_executor(builder.add_workflow(middle, prefix="outer").start).build()

    async def scenario():
        [ask] = (await workflow.run("Launch")).get_request_info_events()
        return await workflow.send_responses({ask.request_id: "approve"})

    assert run(scenario()).get_outputs() == ["New: Launch. Pre-order today!"]


def test_handle_names_prefixed_ids_and_explains_unknown_ones():
    handle = WorkflowBuilder().add_workflow(prep_part(), prefix="prep")
    assert handle["finish"] == "prep/finish"
    with pytest.raises(KeyError, match=r"has no executor 'nope'; it has \['normalize', 'finish'\]"):
        handle["nope"]


def test_merge_joins_builders_and_get_executor_wires_them():
    @executor(id="shout")
    async def shout(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text.upper())

    left = WorkflowBuilder().add_executor(Normalize("normalize")).set_start_executor("normalize")
    right = WorkflowBuilder().add_executor(shout).set_start_executor(shout)
    workflow = left.merge(right).add_edge(left.get_executor("normalize"), left.get_executor("shout")).build()
    assert workflow.start_executor_id == "normalize"
    assert run(workflow.run(" hi  there ")).get_outputs() == ["HI THERE"]
    assert set(right.build().executors) == {"shout"}  # the merged-in builder is unchanged


def test_merge_refuses_clashing_ids_and_points_to_prefixes():
    with pytest.raises(WorkflowValidationError, match=r"\['finish', 'normalize'\].*add_workflow"):
        prep_part().merge(prep_part())


def test_prefix_must_be_a_plain_name():
    with pytest.raises(WorkflowValidationError, match="without '/'"):
        WorkflowBuilder().add_workflow(prep_part(), prefix="a/b")


def test_the_handle_of_an_agent_team_names_its_real_exit():
    from wfkit import OfflineChatClient, SequentialBuilder

    client = OfflineChatClient()
    team = SequentialBuilder().participants([client.create_agent(name="writer"), client.create_agent(name="editor")])
    handle = WorkflowBuilder().add_workflow(team.builder(), prefix="team")
    assert handle.outputs == ["team/end"]


# --- reliability settings travel with a composed part ---------------------------------------

FAST = RetryPolicy(max_attempts=3, backoff_seconds=0)


class FailsTwice(Executor):
    """Fails on its first two calls, then passes the text on."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.calls = 0

    @handler
    async def attempt(self, text: str, ctx: WorkflowContext[str]) -> None:
        self.calls += 1
        if self.calls < 3:
            raise ConnectionError(f"call {self.calls} failed")
        await ctx.send_message(text)


class AlwaysFails(Executor):
    @handler
    async def attempt(self, text: str, ctx: WorkflowContext[str]) -> None:
        raise ConnectionError("down")


class Sleepy(Executor):
    @handler
    async def attempt(self, text: str, ctx: WorkflowContext[str]) -> None:
        await asyncio.sleep(5)


@executor(id="rescue")
async def rescue(failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(f"rescued {failure.message!r} after {failure.executor_id} failed")


def retrying_part() -> WorkflowBuilder:
    flaky = FailsTwice("flaky")
    return WorkflowBuilder().add_edge(flaky, Finish("finish")).with_retry(flaky, FAST).set_start_executor(flaky)


def fallback_part() -> WorkflowBuilder:
    broken = AlwaysFails("broken")
    return (
        WorkflowBuilder()
        .add_edge(broken, Finish("finish"))
        .with_fallback(broken, rescue)
        .set_start_executor(broken)
    )


def inlined(part: WorkflowBuilder, prefix: str = "part") -> WorkflowBuilder:
    builder = WorkflowBuilder()
    return builder.set_start_executor(builder.add_workflow(part, prefix=prefix).start)


def test_an_inlined_part_keeps_its_retry_policy():
    assert run(inlined(retrying_part()).build().run("ok")).get_outputs() == ["ok"]


def test_an_inlined_part_keeps_its_fallback_route():
    outputs = run(inlined(fallback_part()).build().run("job")).get_outputs()
    assert outputs == ["rescued 'job' after part/broken failed"]


def test_an_inlined_part_keeps_its_timeout():
    sleepy = Sleepy("sleepy")
    part = WorkflowBuilder().add_edge(sleepy, Finish("finish")).with_timeout(sleepy, 0.05).set_start_executor(sleepy)
    with pytest.raises(WorkflowFailedError, match=ExecutorTimeoutError.__name__):
        run(inlined(part).build().run("x"), timeout=3)


# Module-level, because composing deep-copies each executor: counters held by them would split.
RUNNING = {"now": 0, "peak": 0}


class Tracked(Executor):
    """Records how many tracked executors run at once."""

    @handler
    async def work(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        RUNNING["now"] += 1
        RUNNING["peak"] = max(RUNNING["peak"], RUNNING["now"])
        await asyncio.sleep(0.01)
        RUNNING["now"] -= 1
        await ctx.yield_output(text)


def test_an_inlined_part_keeps_its_concurrency_limit():
    RUNNING.update(now=0, peak=0)
    workers = [Tracked(f"w{i}") for i in range(3)]
    part = WorkflowBuilder().add_fan_out_edges(Normalize("split"), workers, max_concurrency=1).set_start_executor("split")
    assert run(inlined(part).build().run("go")).get_outputs() == ["go", "go", "go"]
    assert RUNNING["peak"] == 1


def test_merge_keeps_the_retry_policies_of_both_builders():
    flaky = FailsTwice("flaky")
    right = WorkflowBuilder().add_edge(flaky, Finish("finish")).with_retry(flaky, FAST).set_start_executor(flaky)
    left = WorkflowBuilder().set_start_executor(Normalize("normalize"))
    workflow = left.merge(right).add_edge("normalize", "flaky").build()
    assert run(workflow.run(" a  b ")).get_outputs() == ["a b"]


def test_merge_keeps_a_fallback_route():
    left = WorkflowBuilder().set_start_executor(Normalize("normalize"))
    workflow = left.merge(fallback_part()).add_edge("normalize", "broken").build()
    assert run(workflow.run(" job ")).get_outputs() == ["rescued 'job' after broken failed"]


def test_merge_leaves_the_other_builders_policies_unchanged():
    right = retrying_part()
    left = WorkflowBuilder().merge(right)
    left.with_timeout("flaky", 1.0)
    assert right.build().policies["flaky"].timeout_seconds is None
