"""Joins (fan-in edges): a join left waiting is reported, and a join may go ahead with the
branches that succeeded (`add_fan_in_edges(..., min_successes=...)`)."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    ExecutorFailure,
    FanInFailedError,
    FanInPartialEvent,
    FanInWaitingEvent,
    FileCheckpointStorage,
    Never,
    RetryPolicy,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunState,
    WorkflowWarningEvent,
    executor,
)

FAST = RetryPolicy(max_attempts=2, backoff_seconds=0.001)


@executor(id="scan")
async def scan(page: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(page)


@executor(id="ocr")
async def ocr(page: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(f"text of {page}")


@executor(id="layout")
async def layout(page: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(f"layout of {page}")


@executor(id="metadata")
async def silent_metadata(page: str, ctx: WorkflowContext[str]) -> None:
    pass  # sends nothing: the join waits for it forever


@executor(id="metadata")
async def broken_metadata(page: str, ctx: WorkflowContext[str]) -> None:
    raise ConnectionError("metadata service down")


@executor(id="merge")
async def merge(parts: list[str], ctx: WorkflowContext[Never, list[str]]) -> None:
    await ctx.yield_output(parts)


def document_flow(metadata, *, min_successes: int | None = None, sources=None) -> WorkflowBuilder:
    branches = sources or [ocr, metadata]
    builder = WorkflowBuilder().add_fan_out_edges(scan, branches).set_start_executor(scan)
    return builder.add_fan_in_edges(branches, merge, min_successes=min_successes)


# --- a join left waiting ---------------------------------------------------------------------


def test_a_run_that_ends_with_a_join_still_waiting_warns_naming_the_join_and_the_missing_source():
    result = run(document_flow(silent_metadata).build().run("page 1"))
    assert result.get_final_state() is WorkflowRunState.IDLE
    assert result.get_outputs() == []
    [warning] = [e for e in result if isinstance(e, FanInWaitingEvent)]
    assert isinstance(warning, WorkflowWarningEvent)
    assert (warning.target_id, warning.waiting_for, warning.arrived) == ("merge", ["metadata"], ["ocr"])
    assert "'merge'" in warning.message and "'metadata'" in warning.message and "'ocr'" in warning.message


def test_a_join_that_fills_up_gives_no_waiting_warning():
    @executor(id="metadata")
    async def metadata(page: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"metadata of {page}")

    result = run(document_flow(metadata).build().run("page 1"))
    assert result.get_outputs() == [["text of page 1", "metadata of page 1"]]
    assert not [e for e in result if isinstance(e, WorkflowWarningEvent)]


def test_a_fallback_on_a_source_leaves_the_join_waiting_and_the_warning_says_why():
    @executor(id="review")
    async def review(failure: object, ctx: WorkflowContext) -> None:
        pass

    builder = document_flow(broken_metadata).add_executor(review).with_fallback(broken_metadata, review)
    result = run(builder.build().run("page 1"))
    [warning] = [e for e in result if isinstance(e, FanInWaitingEvent)]
    assert warning.waiting_for == ["metadata"]
    assert "fallback" in warning.message and "'review'" in warning.message


# --- min_successes: going ahead with the branches that succeeded -------------------------------


def test_without_min_successes_one_failed_branch_fails_the_run():
    with pytest.raises(WorkflowFailedError, match="metadata service down"):
        run(document_flow(broken_metadata).build().run("page 1"))


def test_with_min_successes_the_join_delivers_the_successful_messages_and_says_who_failed():
    workflow = document_flow(broken_metadata, min_successes=2, sources=[ocr, layout, broken_metadata]).build()
    result = run(workflow.run("page 1"))
    assert result.get_final_state() is WorkflowRunState.IDLE
    assert result.get_outputs() == [["text of page 1", "layout of page 1"]]
    [partial] = [e for e in result if isinstance(e, FanInPartialEvent)]
    assert partial.target_id == "merge"
    assert partial.arrived == ["ocr", "layout"]
    assert partial.failed == {"metadata": "ConnectionError"}
    assert not [e for e in result if isinstance(e, FanInWaitingEvent)]


def test_a_source_counts_as_failed_only_after_its_retries():
    calls: list[int] = []

    @executor(id="metadata")
    async def flaky(page: str, ctx: WorkflowContext[str]) -> None:
        calls.append(1)
        if len(calls) < 2:
            raise ConnectionError("first call fails")
        await ctx.send_message(f"metadata of {page}")

    workflow = document_flow(flaky, min_successes=1).with_retry(flaky, FAST).build()
    result = run(workflow.run("page 1"))
    assert result.get_outputs() == [["text of page 1", "metadata of page 1"]]
    assert not [e for e in result if isinstance(e, FanInPartialEvent)]


def test_too_few_successes_fail_the_run_with_an_error_naming_the_join_and_the_failures():
    workflow = document_flow(broken_metadata, min_successes=2).build()
    with pytest.raises(WorkflowFailedError) as caught:
        run(workflow.run("page 1"))
    error = caught.value.cause
    assert isinstance(error, FanInFailedError)
    text = str(error)
    assert "'merge'" in text and "1 of 2" in text and "'metadata'" in text
    assert "ConnectionError" in text and "metadata service down" in text and "min_successes" in text


def test_min_successes_must_fit_the_number_of_sources():
    with pytest.raises(ValueError, match="min_successes"):
        document_flow(broken_metadata, min_successes=3)
    with pytest.raises(ValueError, match="min_successes"):
        document_flow(broken_metadata, min_successes=0)


def test_a_checkpoint_taken_mid_join_with_a_failure_buffered_resumes(tmp_path):
    @executor(id="prepare")
    async def prepare(page: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(page)

    @executor(id="slow")
    async def slow(page: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"slow look at {page}")

    def build(storage=None):
        builder = (
            WorkflowBuilder()
            .add_fan_out_edges(scan, [ocr, broken_metadata, prepare])
            .add_edge(prepare, slow)
            .add_fan_in_edges([ocr, broken_metadata, slow], merge, min_successes=2)
            .set_start_executor(scan)
        )
        return (builder.with_checkpointing(storage) if storage else builder).build()

    storage = FileCheckpointStorage(tmp_path)
    run(build(storage).run("page 1"))
    checkpoints = sorted(run(storage.list_checkpoints()), key=lambda c: c.iteration_count)
    # After superstep 2, ocr has sent and metadata has failed; slow has not run yet.
    mid_join = checkpoints[1]
    assert mid_join.iteration_count == 2
    result = run(build().run_from_checkpoint(mid_join.checkpoint_id, checkpoint_storage=storage))
    assert result.get_outputs() == [["text of page 1", "slow look at page 1"]]
    [partial] = [e for e in result if isinstance(e, FanInPartialEvent)]
    assert partial.failed == {"metadata": "ConnectionError"}


def test_the_drawing_labels_a_join_with_how_many_sources_it_needs():
    from wfkit.viz import workflow_to_dot, workflow_to_mermaid

    workflow = document_flow(broken_metadata, min_successes=2, sources=[ocr, layout, broken_metadata]).build()
    [into_merge] = [line for line in workflow_to_dot(workflow).splitlines() if '"(join 1)" -> "merge"' in line]
    assert "≥2 of 3" in into_merge
    assert "≥2 of 3" in workflow_to_mermaid(workflow)
    assert "of 2" not in workflow_to_dot(document_flow(silent_metadata).build())


def test_a_paused_run_gives_no_waiting_warning_and_the_answer_fills_the_join():
    from wfkit import Executor, handler, response_handler

    class AskingMetadata(Executor):
        @handler
        async def ask(self, page: str, ctx: WorkflowContext[str]) -> None:
            await ctx.request_info(f"author of {page}?", response_type=str)

        @response_handler
        async def answer(self, question: str, author: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(f"by {author}")

    workflow = document_flow(AskingMetadata(id="metadata")).build()
    paused = run(workflow.run("page 1"))
    assert paused.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    assert not [e for e in paused if isinstance(e, FanInWaitingEvent)]
    [request] = paused.get_request_info_events()
    answered = run(workflow.send_responses({request.request_id: "Ada"}))
    assert answered.get_outputs() == [["text of page 1", "by Ada"]]
    assert not [e for e in answered if isinstance(e, FanInWaitingEvent)]


def test_an_executor_failure_a_source_sends_on_is_what_it_sent_not_its_failure():
    # A source that passes on an ExecutorFailure naming itself (a report it was handed, say) has
    # sent a message: the join must deliver it, not count the source as failed and drop it.
    @executor(id="metadata")
    async def reporting_metadata(page: str, ctx: WorkflowContext[ExecutorFailure]) -> None:
        await ctx.send_message(ExecutorFailure("metadata", page, "ConnectionError", "an earlier outage", 1))

    @executor(id="merge")
    async def merge_any(parts: list[object], ctx: WorkflowContext[Never, list[object]]) -> None:
        await ctx.yield_output(parts)

    builder = WorkflowBuilder(start_executor=scan).add_fan_out_edges(scan, [ocr, reporting_metadata])
    workflow = builder.add_fan_in_edges([ocr, reporting_metadata], merge_any, min_successes=1).build()
    result = run(workflow.run("page 1"))
    [parts] = result.get_outputs()
    assert parts[0] == "text of page 1"
    assert isinstance(parts[1], ExecutorFailure) and parts[1].error_message == "an earlier outage"
    assert not [e for e in result if isinstance(e, FanInPartialEvent)]


def test_a_source_that_really_fails_is_still_counted_as_failed_and_saved_that_way(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = document_flow(broken_metadata, min_successes=1).with_retry(broken_metadata, FAST)
    result = run(workflow.with_checkpointing(storage).build().run("page 1"))
    assert result.get_outputs() == [["text of page 1"]]
    [partial] = [e for e in result if isinstance(e, FanInPartialEvent)]
    assert list(partial.failed) == ["metadata"]
