"""Lesson 9: the reference solution, under the learner's name (lesson_09.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's build_counter and run the lesson, so both
use the lesson's own names. This file is read, never imported; its folder is hidden from
JupyterLab's file browser."""


def build_counter(fw: ModuleType):
    @fw.executor(id="count")
    async def count(text: str, ctx: fw.WorkflowContext[str]) -> None:
        ctx.set_state("words", len(text.split()))
        await ctx.send_message(text)

    @fw.executor(id="report")
    async def report(text: str, ctx: fw.WorkflowContext[Never, str]) -> None:
        words = ctx.get_state("words")
        await ctx.yield_output(f"{words} words: {text}")

    return fw.WorkflowBuilder(start_executor=count).add_edge(count, report).build()


def build_counter_half_moved(fw: ModuleType):
    """A plausible mistake: the builder moved to today's spelling, the shared state left behind."""

    @fw.executor(id="count")
    async def count(text: str, ctx: fw.WorkflowContext[str]) -> None:
        await ctx.set_shared_state("words", len(text.split()))
        await ctx.send_message(text)

    @fw.executor(id="report")
    async def report(text: str, ctx: fw.WorkflowContext[Never, str]) -> None:
        words = await ctx.get_shared_state("words")
        await ctx.yield_output(f"{words} words: {text}")

    return fw.WorkflowBuilder(start_executor=count).add_edge(count, report).build()


def build_counter_still_awaiting(fw: ModuleType):
    """A plausible mistake: today's names, but still awaited as the seed era's were."""

    @fw.executor(id="count")
    async def count(text: str, ctx: fw.WorkflowContext[str]) -> None:
        await ctx.set_state("words", len(text.split()))
        await ctx.send_message(text)

    @fw.executor(id="report")
    async def report(text: str, ctx: fw.WorkflowContext[Never, str]) -> None:
        words = await ctx.get_state("words")
        await ctx.yield_output(f"{words} words: {text}")

    return fw.WorkflowBuilder(start_executor=count).add_edge(count, report).build()


solution = build_counter
wrong = build_counter_half_moved, "today's shared state is set without await"
wrong_2 = build_counter_still_awaiting, "no await in front"
