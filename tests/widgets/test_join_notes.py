"""RunView's note at the end of a run: a join left waiting is said in words, not only logged."""

from __future__ import annotations

from tests.conftest import run
from wfkit import Never, WorkflowBuilder, WorkflowContext, WorkflowRunState, executor
from wfkit.widgets import RunView


@executor(id="scan")
async def scan(page: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(page)


@executor(id="ocr")
async def ocr(page: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(f"text of {page}")


@executor(id="metadata")
async def metadata(page: str, ctx: WorkflowContext[str]) -> None:
    pass  # sends nothing


@executor(id="merge")
async def merge(parts: list[str], ctx: WorkflowContext[Never, list[str]]) -> None:
    await ctx.yield_output(parts)


def waiting_join_workflow():
    return (
        WorkflowBuilder()
        .add_fan_out_edges(scan, [ocr, metadata])
        .add_fan_in_edges([ocr, metadata], merge)
        .set_start_executor(scan)
        .build()
    )


def test_the_note_says_which_join_is_still_waiting_and_for_whom():
    async def scenario():
        view = RunView(waiting_join_workflow(), min_redraw_interval=0)
        assert await view.run("page 1") is WorkflowRunState.IDLE
        return view

    view = run(scenario())
    assert "'merge'" in view.note and "'metadata'" in view.note
    assert "waiting" in view.note
    assert "waiting" in view.status.value  # the status line shows the note


def test_a_run_that_completes_its_join_has_no_note():
    @executor(id="metadata")
    async def sending_metadata(page: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"metadata of {page}")

    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(scan, [ocr, sending_metadata])
        .add_fan_in_edges([ocr, sending_metadata], merge)
        .set_start_executor(scan)
        .build()
    )

    async def scenario():
        view = RunView(workflow, min_redraw_interval=0)
        await view.run("page 1")
        return view

    assert run(scenario()).note == ""
