"""The reference solution of lesson_09 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_09.reveal()` prints the solution
once the learner has run the check."""

from types import ModuleType

from typing_extensions import Never


def solution(fw: ModuleType):
    @fw.executor(id="count")
    async def count(text: str, ctx: fw.WorkflowContext[str]) -> None:
        ctx.set_state("words", len(text.split()))
        await ctx.send_message(text)

    @fw.executor(id="report")
    async def report(text: str, ctx: fw.WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{ctx.get_state('words')} words: {text}")

    return fw.WorkflowBuilder(start_executor=count).add_edge(count, report).build()


def wrong(fw: ModuleType):
    """A plausible slip: the builder moved to today's spelling, the shared state left behind."""

    @fw.executor(id="count")
    async def count(text: str, ctx: fw.WorkflowContext[str]) -> None:
        await ctx.set_shared_state("words", len(text.split()))
        await ctx.send_message(text)

    @fw.executor(id="report")
    async def report(text: str, ctx: fw.WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{await ctx.get_shared_state('words')} words: {text}")

    return fw.WorkflowBuilder(start_executor=count).add_edge(count, report).build()
