"""Lesson 4: the reference solution, under the learner's name (lesson_04.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's ShortDraftReviewer and run the lesson, so
both use the lesson's own names. This file is read, never imported; its folder is hidden from
JupyterLab's file browser."""


class ShortDraftReviewer(Executor):
    @handler
    async def review(self, request: ReviewRequest, ctx: WorkflowContext[RequestResponse]) -> None:
        words = len(request.draft.split())
        verdict = "approve" if words <= 120 else "Make it shorter, please"
        await ctx.send_message(RequestResponse(verdict, request, request.request_id))


class ReviewerThatCountsNothing(Executor):
    """A plausible mistake: approves whatever it is shown, however long."""

    @handler
    async def review(self, request: ReviewRequest, ctx: WorkflowContext[RequestResponse]) -> None:
        await ctx.send_message(RequestResponse("approve", request, request.request_id))


class ReviewerThatNeverAnswers(Executor):
    """A plausible mistake: it reads the draft and decides, but never sends the verdict back."""

    @handler
    async def review(self, request: ReviewRequest, ctx: WorkflowContext[RequestResponse]) -> None:
        words = len(request.draft.split())
        verdict = "approve" if words <= 120 else "Make it shorter, please"


solution = ShortDraftReviewer
wrong = ReviewerThatCountsNothing, "the limit is 120"
wrong_2 = ReviewerThatNeverAnswers, "Send the verdict back to the sub-workflow"
