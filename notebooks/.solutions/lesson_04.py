"""The reference solution of lesson_04 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_04.reveal()` prints the solution
once the learner has run the check."""

from __future__ import annotations

from wfkit import Executor, RequestInfoMessage, RequestResponse, WorkflowContext, handler


class solution(Executor):  # noqa: N801  (the course names the reference answer `solution`)
    """Approve short drafts, send long ones back for shortening."""

    @handler
    async def review(self, request: RequestInfoMessage, ctx: WorkflowContext[RequestResponse]) -> None:
        words = len(request.draft.split())
        verdict = "approve" if words <= 120 else "Make it shorter, please"
        await ctx.send_message(RequestResponse(verdict, request, request.request_id))


class wrong(Executor):  # noqa: N801
    """Plausible but wrong: approves whatever it is shown."""

    @handler
    async def review(self, request: RequestInfoMessage, ctx: WorkflowContext[RequestResponse]) -> None:
        await ctx.send_message(RequestResponse("approve", request, request.request_id))
