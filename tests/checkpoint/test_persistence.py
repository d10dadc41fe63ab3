"""Saving a run as checkpoints and continuing it from one (`wfkit.checkpoint.persistence`), seen
from the run: a restored run goes on exactly as the saved one would have."""

from __future__ import annotations

import asyncio

from tests.conftest import run
from wfkit import FileCheckpointStorage, Never, WorkflowBuilder, WorkflowContext, executor


def interleaving_workflow(storage: FileCheckpointStorage):
    """start -> zeta (two messages) and alpha (one); both -> sink, which yields what it receives.

    zeta handles its second message only once alpha has handled its own, so the three messages
    then wait for sink in the order zeta, alpha, zeta: an order that reading them back sender by
    sender (zeta's two then alpha's, or alpha's first by name) would lose.
    """
    alpha_done = asyncio.Event()

    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message("1", target_id="zeta")
        await ctx.send_message("2", target_id="zeta")
        await ctx.send_message("1", target_id="alpha")

    @executor(id="zeta")
    async def zeta(n: str, ctx: WorkflowContext[str]) -> None:
        if n == "2":
            await alpha_done.wait()
        await ctx.send_message(f"zeta {n}")

    @executor(id="alpha")
    async def alpha(n: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"alpha {n}")
        alpha_done.set()

    @executor(id="sink")
    async def sink(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    return (
        WorkflowBuilder()
        .add_fan_out_edges(start, [zeta, alpha])
        .add_edge(zeta, sink)
        .add_edge(alpha, sink)
        .set_start_executor(start)
        .with_checkpointing(storage)
        .build()
    )


def test_a_restored_run_delivers_two_senders_waiting_messages_in_their_saved_order(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    saved = run(interleaving_workflow(storage).run("go")).get_outputs()
    assert saved == ["zeta 1", "alpha 1", "zeta 2"]  # the order they waited in after step 2
    [after_step_2] = [cp for cp in run(storage.list_checkpoints()) if cp.iteration_count == 2]
    restored = run(interleaving_workflow(storage).run_from_checkpoint(after_step_2.checkpoint_id))
    assert restored.get_outputs() == saved
