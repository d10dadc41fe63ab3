"""The reference solution of lesson_02 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_02.reveal()` prints the solution
once the learner has run the check."""

from __future__ import annotations

from wfkit import Never, WorkflowContext, response_handler

from exercises.lesson_02 import ConfirmOrder, _Desk


class solution(_Desk):  # noqa: N801  (the course's name for the reference answer)
    """The reference answer. `_Desk` is the asking half, the same `ask` as in the lesson's OrderDesk."""

    @response_handler
    async def on_answer(self, request: ConfirmOrder, answer: bool, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"ordered {request.item}" if answer else f"cancelled {request.item}")


class wrong(_Desk):  # noqa: N801  (a plausible mistake: the answer is never looked at)
    @response_handler
    async def on_answer(self, request: ConfirmOrder, answer: bool, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"ordered {request.item}")
