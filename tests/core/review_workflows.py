"""The two human-in-the-loop workflows of the course, built from plain executors (no LLM), so
tests can pause, restart processes and resume them. Importable by subprocess tests too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wfkit import (
    Executor,
    Never,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    WorkflowBuilder,
    WorkflowContext,
    handler,
    response_handler,
)

# --- era 1: RequestInfoExecutor (release-notes approval, seed 001) --------------------------


@dataclass
class HumanApprovalRequest(RequestInfoMessage):
    prompt: str = ""
    draft: str = ""
    iteration: int = 0


@dataclass
class DraftRequest:
    brief: str
    guidance: str = ""
    previous: str = ""


class BriefPreparer(Executor):
    @handler
    async def prepare(self, brief: str, ctx: WorkflowContext[DraftRequest]) -> None:
        normalized = " ".join(brief.split()).strip()
        if not normalized.endswith("."):
            normalized += "."
        await ctx.set_shared_state("brief", normalized)
        await ctx.send_message(DraftRequest(brief=normalized))


class Writer(Executor):
    """Writes a draft without an LLM: deterministic text that visibly changes with guidance."""

    @handler
    async def write(self, request: DraftRequest, ctx: WorkflowContext[str]) -> None:
        if request.guidance:
            draft = f"{request.previous} [revised: {request.guidance}]"
        else:
            draft = f"New: {request.brief} Pre-order today!"
        await ctx.send_message(draft)


class ReviewGateway(Executor):
    def __init__(self, id: str, reviewer_id: str, writer_id: str, finalize_id: str) -> None:
        super().__init__(id)
        self._reviewer_id, self._writer_id, self._finalize_id = reviewer_id, writer_id, finalize_id

    @handler
    async def on_draft(self, draft: str, ctx: WorkflowContext[HumanApprovalRequest]) -> None:
        iteration = int((await ctx.get_state() or {}).get("iteration", 0)) + 1
        await ctx.set_state({"iteration": iteration, "last_draft": draft})
        await ctx.send_message(
            HumanApprovalRequest(prompt="Reply 'approve' or give guidance.", draft=draft, iteration=iteration),
            target_id=self._reviewer_id,
        )

    @handler
    async def on_feedback(
        self, feedback: RequestResponse[HumanApprovalRequest, str], ctx: WorkflowContext[DraftRequest | str]
    ) -> None:
        reply = feedback.data.strip()
        state = await ctx.get_state() or {}
        draft = state.get("last_draft") or feedback.original_request.draft
        if reply.lower() == "approve":
            await ctx.send_message(draft, target_id=self._finalize_id)
            return
        brief = await ctx.get_shared_state("brief")
        await ctx.send_message(DraftRequest(brief=brief, guidance=reply, previous=draft), target_id=self._writer_id)


class Finalize(Executor):
    @handler
    async def publish(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.set_state({"published_text": text})
        await ctx.yield_output(text)


def release_notes_workflow(checkpoint_storage: Any = None):
    writer = Writer("writer")
    review = RequestInfoExecutor("request_info")
    finalize = Finalize("finalise")
    gateway = ReviewGateway("review_gateway", review.id, writer.id, finalize.id)
    prepare = BriefPreparer("prepare_brief")
    builder = (
        WorkflowBuilder(max_iterations=20)
        .set_start_executor(prepare)
        .add_edge(prepare, writer)
        .add_edge(writer, gateway)
        .add_edge(gateway, review)
        .add_edge(review, gateway)
        .add_edge(gateway, writer)
        .add_edge(gateway, finalize)
    )
    if checkpoint_storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage=checkpoint_storage)
    return builder.build()


# --- era 2: ctx.request_info + @response_handler (worker / reviewer, seed 002) ---------------


@dataclass
class ReviewRequest:
    request_id: str
    question: str
    answer: str


@dataclass
class ReviewResponse:
    request_id: str
    feedback: str
    approved: bool


@dataclass
class HumanReviewRequest:
    agent_request: ReviewRequest | None = None


class Worker(Executor):
    @handler
    async def on_question(self, question: str, ctx: WorkflowContext[ReviewRequest]) -> None:
        await ctx.set_state({"attempt": 1})
        await ctx.send_message(ReviewRequest("r1", question, f"Answer to: {question}"))

    @handler
    async def on_review(self, review: ReviewResponse, ctx: WorkflowContext[ReviewRequest, str]) -> None:
        state = await ctx.get_state() or {"attempt": 1}
        if review.approved:
            await ctx.yield_output(f"approved after {state['attempt']} attempt(s)")
            return
        attempt = state["attempt"] + 1
        await ctx.set_state({"attempt": attempt})
        await ctx.send_message(ReviewRequest(review.request_id, "", f"Attempt {attempt}: {review.feedback}"))


class Reviewer(Executor):
    def __init__(self, worker_id: str) -> None:
        super().__init__(f"{worker_id}-reviewer")
        self._worker_id = worker_id

    @handler
    async def review(self, request: ReviewRequest, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=HumanReviewRequest(agent_request=request), response_type=ReviewResponse)

    @response_handler
    async def accept(
        self, original_request: HumanReviewRequest, response: ReviewResponse, ctx: WorkflowContext[ReviewResponse]
    ) -> None:
        await ctx.send_message(response, target_id=self._worker_id)


def worker_reviewer_workflow(checkpoint_storage: Any = None):
    builder = (
        WorkflowBuilder()
        .register_executor(lambda: Worker("sub-worker"), name="worker")
        .register_executor(lambda: Reviewer(worker_id="sub-worker"), name="reviewer")
        .add_edge("worker", "reviewer")
        .add_edge("reviewer", "worker")
        .set_start_executor("worker")
    )
    if checkpoint_storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage=checkpoint_storage)
    return builder.build()
