"""The two ends the reliability tests put around the executor they try: `start` passes the
text on, `sink` yields what reaches it. Executors here are plain values, shared by every
workflow that adds them."""

from __future__ import annotations

from wfkit import Never, WorkflowContext, executor


@executor(id="start")
async def start(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text)


@executor(id="sink")
async def sink(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(text)
