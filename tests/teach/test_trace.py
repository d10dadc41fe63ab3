"""`wfkit.teach.trace`: what a run did, read from its events, and the sentences a check fails with."""

from __future__ import annotations

import asyncio

import pytest

from tests.core.composed_workflows import DraftTask, Submitter, draft_parent_workflow
from wfkit import Never, WorkflowBuilder, WorkflowContext, executor
from wfkit.teach import RunTrace, trace


def run(coro):
    return asyncio.run(coro)


def newsroom(review_first: bool):
    """writer -> reviewer -> publisher, or (the mistake) writer -> reviewer and writer -> publisher."""

    @executor(id="writer")
    async def writer(topic: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"a draft about {topic}")

    @executor(id="reviewer")
    async def reviewer(draft: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(draft + " (reviewed)")

    @executor(id="publisher")
    async def publisher(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    builder = WorkflowBuilder(start_executor=writer).add_edge(writer, reviewer)
    if review_first:
        return builder.add_edge(reviewer, publisher).build()
    return builder.add_edge(writer, publisher).build()


def test_a_trace_lists_each_superstep_and_what_crossed_each_edge():
    story = trace(run(newsroom(review_first=True).run("owls")))
    assert story.supersteps == [["writer"], ["reviewer"], ["publisher"]]
    assert story.counts == {"writer": 1, "reviewer": 1, "publisher": 1}
    assert story.ran_before("reviewer", "publisher") and not story.ran_before("publisher", "reviewer")
    assert story.messages_between("__input__", "writer") == ["owls"]
    assert story.messages_between("reviewer", "publisher") == ["a draft about owls (reviewed)"]
    assert story.messages_between("writer", "publisher") == []
    assert story.outputs == ["a draft about owls (reviewed)"]
    assert story.story() == "superstep 1: writer\nsuperstep 2: reviewer\nsuperstep 3: publisher"
    assert story.story("; ") == "superstep 1: writer; superstep 2: reviewer; superstep 3: publisher"
    story.expect_before("reviewer", "publisher")  # passes: no error


def test_a_check_on_order_names_what_the_run_did_instead():
    story = trace(run(newsroom(review_first=False).run("owls")))
    assert story.supersteps == [["writer"], ["reviewer", "publisher"]]
    with pytest.raises(AssertionError, match="together, in superstep 2; reviewer must come first"):
        story.expect_before("reviewer", "publisher")
    with pytest.raises(AssertionError, match="never ran; your run ran publisher, reviewer, writer"):
        story.expect_ran("editor")
    with pytest.raises(AssertionError, match=r"ran reviewer in superstep 2, before publisher, which ran in superstep 3"):
        trace(run(newsroom(review_first=True).run("owls"))).expect_before("publisher", "reviewer")


def test_checks_on_what_ran_how_often_and_side_by_side_name_the_supersteps():
    wrong = trace(run(newsroom(review_first=False).run("owls")))
    right = trace(run(newsroom(review_first=True).run("owls")))
    wrong.expect_side_by_side("reviewer", "publisher")  # the mistake: both in superstep 2
    with pytest.raises(AssertionError, match="reviewer in superstep 2, publisher in superstep 3: one after another"):
        right.expect_side_by_side("reviewer", "publisher")
    with pytest.raises(AssertionError, match="editor never ran"):
        right.expect_side_by_side("reviewer", "editor")
    right.expect_runs("publisher", 1)
    with pytest.raises(AssertionError, match=r"ran publisher once \(supersteps 3\), not twice"):
        right.expect_runs("publisher", 2)
    with pytest.raises(AssertionError, match="editor never ran; it should run once"):
        right.expect_runs("editor", 1)
    right.expect_not_ran("editor")
    with pytest.raises(AssertionError, match="your run ran writer in superstep 1; it should not have run"):
        right.expect_not_ran("writer")


def test_requests_and_their_answers_across_two_calls_read_as_one_run():
    workflow = WorkflowBuilder(start_executor=Submitter(id="submitter")).build()
    first = run(workflow.run("owls"))
    (request,) = first.get_request_info_events()
    second = run(workflow.send_responses({request.request_id: "yes"}))

    asked = trace(first).requests
    assert [(r.executor_id, r.question.topic, r.answered) for r in asked] == [("submitter", "owls", False)]
    story = trace(first, second)
    (request_seen,) = story.requests
    assert request_seen.answered and request_seen.answer == "yes"
    assert story.supersteps == [["submitter"], ["submitter"]]
    assert story.outputs == ["owls: yes"]


def test_a_sub_workflow_is_one_executor_in_its_parents_supersteps():
    workflow = draft_parent_workflow()
    story = trace(run(workflow.run(DraftTask("owls"))))
    assert all("/" not in executor_id for step in story.supersteps for executor_id in step)
    assert story.supersteps == [["draft_writer"], ["approval_sub_workflow"]]
    assert story.counts["approval_sub_workflow/approval_gateway"] == 1, story.counts
    assert [request.answered for request in story.requests] == [False]


def test_a_notebook_run_is_traced_from_its_events():
    from wfkit.notebook import NotebookRun

    notebook_run = NotebookRun(newsroom(review_first=True))
    run(notebook_run.start("owls"))
    assert isinstance(trace(notebook_run), RunTrace)
    assert trace(notebook_run).supersteps == [["writer"], ["reviewer"], ["publisher"]]


@pytest.mark.parametrize("wrong", [None, 42, ["not an event"]])
def test_anything_but_a_run_is_refused_with_what_to_pass(wrong):
    with pytest.raises(TypeError, match="trace\\(\\) takes a run's result"):
        trace(wrong)
    with pytest.raises(TypeError, match="needs a run"):
        trace()
