"""A small workflow the tracing tests run: shout a text, then reverse it (or fail on "fail").

In a module of its own, with no OpenTelemetry import, so a process without OpenTelemetry can
run it too (test_without_opentelemetry.py).
"""

from __future__ import annotations

from typing import Any

from wfkit import Executor, Workflow, WorkflowBuilder, WorkflowContext, handler


class Upper(Executor):
    @handler
    async def shout(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text.upper())


class Reverse(Executor):
    @handler
    async def reverse(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
        if "FAIL" in text:
            raise ValueError(f"cannot reverse {text!r}")
        await ctx.yield_output(text[::-1])


def two_steps(name: str | None = "flow") -> Workflow:
    """upper -> reverse, named `name`; "hello" gives "OLLEH", "fail" fails in reverse."""
    upper, reverse = Upper(id="upper"), Reverse(id="reverse")
    return (
        WorkflowBuilder(name=name, description="shout, then reverse")
        .set_start_executor(upper)
        .add_edge(upper, reverse)
        .build()
    )
