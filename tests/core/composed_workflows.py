"""The draft / approval workflow of seed 000, done right: the approval loop is a sub-workflow
that hands its decision back through its outputs (never by naming a parent executor).
Also the small executors the sub-workflow tests share (`Sink`, `Submitter`)."""

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
    WorkflowExecutor,
    handler,
    response_handler,
)


@dataclass
class DraftTask:
    topic: str
    length_words: int = 150


@dataclass
class DraftPackage:
    topic: str
    draft_text: str
    iteration: int


@dataclass
class ReviewRequest(RequestInfoMessage):
    topic: str
    draft_text: str
    iteration: int


@dataclass
class Decision:
    """What the approval sub-workflow hands back to its parent."""

    approved: bool
    package: DraftPackage
    feedback: str = ""


@dataclass
class FinalDraft:
    topic: str
    content: str
    total_iterations: int


class ApprovalGateway(Executor):
    """Inside the sub-workflow: asks a human about the draft and yields the decision."""

    @handler
    async def ask(self, package: DraftPackage, ctx: WorkflowContext[ReviewRequest]) -> None:
        await ctx.set_state({"package": package})
        await ctx.send_message(
            ReviewRequest(topic=package.topic, draft_text=package.draft_text, iteration=package.iteration),
            target_id="approval_gate",
        )

    @handler
    async def decide(self, answer: RequestResponse[ReviewRequest, str], ctx: WorkflowContext[Never, Decision]) -> None:
        package = (await ctx.get_state())["package"]
        reply = answer.data.strip()
        await ctx.yield_output(Decision(reply.lower() == "approve", package, "" if reply == "approve" else reply))


class AuditLog(Executor):
    """Only used to make a structurally different child (for the graph-mismatch test)."""

    @handler
    async def record(self, request: ReviewRequest, ctx: WorkflowContext) -> None: ...


def approval_sub_workflow(checkpoint_storage: Any = None, audited: bool = False):
    gateway, gate = ApprovalGateway("approval_gateway"), RequestInfoExecutor("approval_gate")
    builder = WorkflowBuilder(max_iterations=5).add_edge(gateway, gate).add_edge(gate, gateway).set_start_executor(gateway)
    if audited:
        builder = builder.add_edge(gateway, AuditLog("audit"))
    if checkpoint_storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage)  # ignored when nested: the parent saves it
    return builder.build()


class DraftWriter(Executor):
    """Writes drafts without an LLM: each revision visibly takes the feedback in."""

    @handler
    async def create(self, task: DraftTask, ctx: WorkflowContext[DraftPackage]) -> None:
        await ctx.send_message(DraftPackage(task.topic, f"A short piece about {task.topic}.", 1))

    @handler
    async def revise(self, decision: Decision, ctx: WorkflowContext[DraftPackage]) -> None:
        old = decision.package
        await ctx.send_message(
            DraftPackage(old.topic, f"{old.draft_text} (revised: {decision.feedback})", old.iteration + 1)
        )


class DraftFinaliser(Executor):
    @handler
    async def finalize(self, decision: Decision, ctx: WorkflowContext[Never, FinalDraft]) -> None:
        package = decision.package
        await ctx.yield_output(FinalDraft(package.topic, package.draft_text, package.iteration))


def is_approved(decision: Decision) -> bool:
    return decision.approved


def needs_revision(decision: Decision) -> bool:
    return not decision.approved


def draft_parent_workflow(checkpoint_storage: Any = None, audited: bool = False, child_storage: Any = None):
    writer = DraftWriter("draft_writer")
    child = approval_sub_workflow(child_storage or checkpoint_storage, audited)
    review = WorkflowExecutor(child, id="approval_sub_workflow")
    finaliser = DraftFinaliser("draft_finaliser")
    builder = (
        WorkflowBuilder(max_iterations=20)
        .add_edge(writer, review)
        .add_edge(review, finaliser, condition=is_approved)
        .add_edge(review, writer, condition=needs_revision)
        .set_start_executor(writer)
    )
    if checkpoint_storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage)
    return builder.build()


# --- two levels: an outer workflow holding a middle one that holds the approval loop ------------


class Starter(Executor):
    @handler
    async def go(self, topic: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(topic)


class Relay(Executor):
    @handler
    async def go(self, topic: str, ctx: WorkflowContext[DraftPackage]) -> None:
        await ctx.send_message(DraftPackage(topic, f"About {topic}", 1))


class Unwrap(Executor):
    @handler
    async def go(self, decision: Decision, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{decision.package.topic} {'approved' if decision.approved else 'rejected'}")


class Sink(Executor):
    @handler
    async def go(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)


def two_level_workflow(checkpoint_storage: Any = None):
    middle = (
        WorkflowBuilder()
        .add_edge(Relay("relay"), WorkflowExecutor(approval_sub_workflow(), id="inner"))
        .add_edge("inner", Unwrap("unwrap"))
        .set_start_executor("relay")
        .build()
    )
    builder = (
        WorkflowBuilder()
        .add_edge(Starter("starter"), WorkflowExecutor(middle, id="middle"))
        .add_edge("middle", Sink("sink"))
        .set_start_executor("starter")
    )
    return (builder.with_checkpointing(checkpoint_storage) if checkpoint_storage else builder).build()


# --- a child that asks one plain question -------------------------------------------------------


@dataclass
class SubmitRequest:
    """A request made with ctx.request_info: plain data, no request id of its own."""

    topic: str


class Submitter(Executor):
    """Asks the caller one question about each topic it gets, and yields ``"topic: answer"``."""

    @handler
    async def ask(self, topic: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(SubmitRequest(topic), response_type=str)

    @response_handler
    async def answered(self, request: SubmitRequest, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{request.topic}: {answer}")
