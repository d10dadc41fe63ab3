"""Small workflows for the widget tests, beside the two course workflows in tests/core/review_workflows.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from wfkit import Executor, Never, WorkflowBuilder, WorkflowContext, handler, response_handler


@dataclass
class Question:
    topic: str


class Asker(Executor):
    """Asks a person one question about the topic (request id "<its id>-question"), and yields
    the answer it gets."""

    @handler
    async def ask(self, topic: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(Question(f"{self.id}: {topic}?"), str, request_id=f"{self.id}-question")

    @response_handler
    async def answered(self, question: Question, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{self.id} heard {answer!r}")


class FussyAsker(Asker):
    """An Asker whose answer handler raises on the answer "no": a well-typed answer it cannot use."""

    @response_handler
    async def answered(self, question: Question, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        if answer == "no":
            raise ValueError("'no' is not an answer this step can use")
        await ctx.yield_output(f"{self.id} heard {answer!r}")


def fussy_question_workflow():
    """One question whose handler fails on the answer "no" (the request stays pending)."""
    return WorkflowBuilder().set_start_executor(FussyAsker("fussy")).build()


class Splitter(Executor):
    @handler
    async def split(self, topic: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(topic)


def two_questions_workflow(checkpoint_storage=None):
    """A start executor that fans out to two askers: two requests are pending at once."""
    start = Splitter("start")
    builder = WorkflowBuilder().set_start_executor(start).add_fan_out_edges(start, [Asker("legal"), Asker("marketing")])
    if checkpoint_storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage)
    return builder.build()


class Slow(Executor):
    """Takes its time, so a run is still busy after another branch has asked its question."""

    @handler
    async def work(self, topic: str, ctx: WorkflowContext[Never, str]) -> None:
        await asyncio.sleep(0.3)
        await ctx.yield_output(f"slow work on {topic} done")


def ask_while_busy_workflow():
    """start -> (legal asks at once, slow works for 0.3 s): a question is open while the run is busy."""
    start = Splitter("start")
    return WorkflowBuilder().set_start_executor(start).add_fan_out_edges(start, [Asker("legal"), Slow("slow")]).build()


class Boom(Executor):
    @handler
    async def explode(self, text: str, ctx: WorkflowContext) -> None:
        raise ValueError(f"cannot handle {text!r}")


def failing_workflow():
    """A chain whose second executor always raises."""
    start, boom = Splitter("start"), Boom("boom")
    return WorkflowBuilder().set_start_executor(start).add_edge(start, boom).build()


class Echo(Executor):
    @handler
    async def echo(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)


class Join(Executor):
    @handler
    async def join(self, parts: list[str], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output("+".join(parts))


def fan_in_workflow():
    """start -> (a, b) -> join: a fan-in of two sources."""
    start, a, b, join = Splitter("start"), Echo("a"), Echo("b"), Join("join")
    return (
        WorkflowBuilder()
        .set_start_executor(start)
        .add_fan_out_edges(start, [a, b])
        .add_fan_in_edges([a, b], join)
        .build()
    )


class Counter(Executor):
    """Counts down by sending itself the next number: one long, fast run."""

    @handler
    async def count(self, n: int, ctx: WorkflowContext[int, int]) -> None:
        if n > 0:
            await ctx.send_message(n - 1)
        else:
            await ctx.yield_output(0)


def countdown_workflow(max_iterations: int = 10_000):
    counter = Counter("counter")
    return WorkflowBuilder(max_iterations=max_iterations).set_start_executor(counter).add_edge(counter, counter).build()
