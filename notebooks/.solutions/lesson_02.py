"""Lesson 2: the reference solution, under the learner's name (lesson_02.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's OrderDesk and run the lesson, so both use
the lesson's own names. This file is read, never imported; its folder is hidden from JupyterLab's
file browser."""


class OrderDesk(Executor):
    @handler
    async def ask(self, item: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=ConfirmOrder(item, f"Place the order for {item}?"), response_type=bool)

    @response_handler
    async def on_answer(self, request: ConfirmOrder, answer: bool, ctx: WorkflowContext[Never, str]) -> None:
        if answer:
            await ctx.yield_output(f"ordered {request.item}")
        else:
            await ctx.yield_output(f"cancelled {request.item}")


class OrderDeskThatNeverListens(Executor):
    """A plausible mistake: the answer is never looked at, so a "no" orders too."""

    @handler
    async def ask(self, item: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=ConfirmOrder(item, f"Place the order for {item}?"), response_type=bool)

    @response_handler
    async def on_answer(self, request: ConfirmOrder, answer: bool, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"ordered {request.item}")


class OrderDeskThatReturns(Executor):
    """A plausible mistake: the response handler returns the text instead of yielding it."""

    @handler
    async def ask(self, item: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=ConfirmOrder(item, f"Place the order for {item}?"), response_type=bool)

    @response_handler
    async def on_answer(self, request: ConfirmOrder, answer: bool, ctx: WorkflowContext[Never, str]) -> None:
        return f"ordered {request.item}" if answer else f"cancelled {request.item}"


solution = OrderDesk
wrong = OrderDeskThatNeverListens, "True means yes, False means no"
wrong_2 = OrderDeskThatReturns, "Nothing was yielded"
