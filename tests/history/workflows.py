"""The small workflows the history tests record: a fan-out / fan-in, a loop, a failure, a
human approval, and lesson 3's review loop (a long draft, approved or revised by a person through
a `RequestInfoExecutor`). Plain executors, no LLM; importable by the fresh-process module too."""

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
    executor,
    handler,
    response_handler,
)


def _checkpointed(builder: WorkflowBuilder, storage: Any) -> Any:
    if storage is not None:
        builder = builder.with_checkpointing(storage)
    return builder.build()


# --- fan-out / fan-in: split -> [upper, lower] -> join ----------------------------------------


def fan_workflow(storage: Any = None):
    @executor(id="split")
    async def split(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_shared_state("text", text)
        await ctx.send_message(text)

    @executor(id="upper")
    async def upper(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_state({"made": text.upper()})
        await ctx.send_message(text.upper())

    @executor(id="lower")
    async def lower(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text.lower())

    @executor(id="join")
    async def join(parts: list[str], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.set_shared_state("joined", "+".join(parts))
        await ctx.yield_output("+".join(parts))

    builder = (
        WorkflowBuilder(name="fan")
        .add_fan_out_edges(split, [upper, lower])
        .add_fan_in_edges([upper, lower], join)
        .set_start_executor(split)
    )
    return _checkpointed(builder, storage)


# --- a loop: count goes round until 3, then report ---------------------------------------------


def loop_workflow(storage: Any = None):
    @executor(id="count")
    async def count(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.set_shared_state("n", n + 1)
        await ctx.send_message(n + 1)

    @executor(id="report")
    async def report(n: int, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"counted to {n}")

    builder = (
        WorkflowBuilder(name="loop")
        .add_executor(count)
        .add_loop(count, count, until=lambda n: n >= 3, exit_to=report)
        .set_start_executor(count)
    )
    return _checkpointed(builder, storage)


# --- a failure: prepare -> explode ----------------------------------------------------------


def failing_workflow(storage: Any = None):
    @executor(id="prepare")
    async def prepare(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_shared_state("prepared", text)
        await ctx.send_message(text)

    @executor(id="explode")
    async def explode(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.set_shared_state("never", "kept")  # dropped: the step fails
        raise RuntimeError(f"cannot handle {text}")

    builder = WorkflowBuilder(name="failing").add_edge(prepare, explode).set_start_executor(prepare)
    return _checkpointed(builder, storage)


# --- a human approval: draft -> gate (asks a yes/no question) -> publish ---------------------


@dataclass
class Approval:
    draft: str


class Drafter(Executor):
    @handler
    async def write(self, brief: str, ctx: WorkflowContext[str]) -> None:
        draft = f"Draft about {brief}"
        await ctx.set_shared_state("draft", draft)
        await ctx.send_message(draft)


class Gate(Executor):
    @handler
    async def ask(self, draft: str, ctx: WorkflowContext) -> None:
        await ctx.set_state({"asked": draft})
        await ctx.request_info(Approval(draft), response_type=bool)

    @response_handler
    async def on_answer(self, request: Approval, approved: bool, ctx: WorkflowContext[str, str]) -> None:
        await ctx.set_state({"asked": request.draft, "approved": approved})
        if approved:
            await ctx.send_message(request.draft)
        else:
            await ctx.yield_output(f"rejected: {request.draft}")


class Publisher(Executor):
    @handler
    async def publish(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"published: {text}")


def approval_workflow(storage: Any = None):
    drafter, gate, publisher = Drafter("draft"), Gate("gate"), Publisher("publish")
    builder = (
        WorkflowBuilder(name="approval")
        .add_edge(drafter, gate)
        .add_edge(gate, publisher)
        .set_start_executor(drafter)
    )
    return _checkpointed(builder, storage)


# --- lesson 3's review loop: write -> gateway <-> human_review (RequestInfoExecutor) -> publish --


# A draft as long as the course's (about 220 words): a card must show all of it.
LONG_DRAFT = " ".join(
    f"Sentence {n} of the release notes says what the grinder does for you, plainly and without hurry."
    for n in range(1, 15)
) + " THE END OF THE DRAFT."


@dataclass
class DraftForApproval(RequestInfoMessage):
    prompt: str = ""
    draft: str = ""
    iteration: int = 0


class Writer(Executor):
    @handler
    async def write(self, brief: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(LONG_DRAFT if brief == "long" else f"Notes about {brief}")


class ReviewGateway(Executor):
    @handler
    async def on_draft(self, draft: str, ctx: WorkflowContext[DraftForApproval]) -> None:
        iteration = ctx.get_state("iteration", 0) + 1
        ctx.set_state("iteration", iteration)
        ctx.set_state("draft", draft)
        await ctx.send_message(DraftForApproval(prompt="Approve, or say what to change.", draft=draft, iteration=iteration))

    @handler
    async def on_answer(self, answer: RequestResponse[DraftForApproval, str], ctx: WorkflowContext[str]) -> None:
        if answer.data.strip().lower() == "approve":
            await ctx.send_message(f"APPROVED: {ctx.get_state('draft')}")
        else:  # revise: the next draft goes round the gateway again
            await ctx.send_message(f"{ctx.get_state('draft')} (revised: {answer.data})")


class Publish(Executor):
    @handler
    async def publish(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text.removeprefix("APPROVED: "))


def review_loop_workflow(storage: Any = None):
    """write -> gateway -> human_review -> gateway: "approve" goes to publish; any other
    answer is feedback, and the revised draft is asked about again (round 2)."""
    writer, gateway, human, publish = Writer("write"), ReviewGateway("gateway"), RequestInfoExecutor("human_review"), Publish("publish")
    builder = (
        WorkflowBuilder(name="review_loop")
        .add_edge(writer, gateway)
        .add_edge(gateway, human)
        .add_edge(human, gateway)
        .add_edge(gateway, gateway, condition=lambda text: isinstance(text, str) and not text.startswith("APPROVED"))
        .add_edge(gateway, publish, condition=lambda text: isinstance(text, str) and text.startswith("APPROVED"))
        .set_start_executor(writer)
    )
    return _checkpointed(builder, storage)


# --- a recording where two checkpoints share a step number -----------------------------------


def approval_resumed_from_step_1_without_parent_links(storage: Any) -> list[Any]:
    """The approval run paused at step 2, then resumed from step 1's checkpoint, which writes a
    second step 2. Its checkpoints are saved as before parent links were recorded, so both
    step-2 checkpoints land on one branch: steps 1, 2, 2. Returns the checkpoints, oldest first."""
    import asyncio

    from wfkit.checkpoint.model import PARENT_KEY

    async def record() -> list[Any]:
        workflow = approval_workflow(storage)
        await workflow.run("cats")
        first = (await storage.list_checkpoints(workflow.id))[0]
        await approval_workflow(storage).run_from_checkpoint(first.checkpoint_id, storage)
        checkpoints = await storage.list_checkpoints(workflow.id)
        for checkpoint in checkpoints:
            del checkpoint.metadata[PARENT_KEY]
            await storage.save_checkpoint(checkpoint)
        return checkpoints

    return asyncio.run(record())
