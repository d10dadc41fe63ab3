"""Sub-workflows in AF b251104: `WorkflowExecutor` runs a child workflow as one executor; a
`ctx.request_info` inside the child reaches a parent executor that handles
`SubWorkflowRequestMessage` (its `source_event` is the child's `RequestInfoEvent`), which answers
with `request.create_response(data)` sent to `request.executor_id`; without such a handler the
request surfaces to the caller; and the parent's checkpoint keeps the child's pending request."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoEvent,
    SubWorkflowRequestMessage,
    SubWorkflowResponseMessage,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowExecutor,
    handler,
    response_handler,
)


@dataclass
class Stock:
    item: str
    available: bool


class StockKeeper(Executor):
    """The child: asks how many of an item are on the shelf, then yields whether it is available."""

    @handler
    async def ask(self, item: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=item, response_type=int)

    @response_handler
    async def counted(self, item: str, count: int, ctx: WorkflowContext[Never, Stock]) -> None:
        await ctx.yield_output(Stock(item, count > 0))


def stock_workflow():
    return WorkflowBuilder().set_start_executor(StockKeeper(id="keeper")).build()


class Shop(Executor):
    """The parent: sends items into the child, collects their stock."""

    @handler
    async def order(self, items: list[str], ctx: WorkflowContext[str]) -> None:
        for item in items:
            await ctx.send_message(item)

    @handler
    async def stocked(self, stock: Stock, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{stock.item}: {'in stock' if stock.available else 'sold out'}")


class ShopWithInventory(Shop):
    """A parent that answers the child's questions for the items it counted itself."""

    def __init__(self, id: str, inventory: dict[str, int]) -> None:
        super().__init__(id=id)
        self.inventory = inventory
        self.intercepted: list[SubWorkflowRequestMessage] = []

    @handler
    async def answer(self, request: SubWorkflowRequestMessage, ctx: WorkflowContext[SubWorkflowResponseMessage]) -> None:
        self.intercepted.append(request)
        await ctx.send_message(request.create_response(self.inventory.get(request.source_event.data, 0)), target_id=request.executor_id)


def shop_workflow(shop: Shop, storage=None):
    child = WorkflowExecutor(stock_workflow(), id="stock")
    builder = WorkflowBuilder().set_start_executor(shop).add_edge(shop, child).add_edge(child, shop)
    if storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage=storage)
    return builder.build()


def test_a_parent_handling_sub_workflow_requests_answers_them_itself():
    result = run(shop_workflow(ShopWithInventory("shop", {"tea": 3})).run(["tea", "jam"]))
    assert result.get_request_info_events() == []
    assert sorted(result.get_outputs()) == ["jam: sold out", "tea: in stock"]


def test_the_intercepted_request_carries_the_childs_event_and_the_waiting_executor():
    shop = ShopWithInventory("shop", {"tea": 3})
    run(shop_workflow(shop).run(["tea"]))
    [request] = shop.intercepted
    assert isinstance(request.source_event, RequestInfoEvent)
    assert request.source_event.data == "tea" and request.source_event.response_type is int
    assert request.executor_id == "stock"


def test_create_response_refuses_an_answer_of_the_wrong_type():
    shop = ShopWithInventory("shop", {})
    run(shop_workflow(shop).run(["tea"]))
    with pytest.raises(TypeError, match="int"):
        shop.intercepted[0].create_response("three")


def test_without_an_interceptor_the_childs_request_surfaces_and_is_answered_from_outside():
    workflow = shop_workflow(Shop(id="shop"))
    [event] = run(workflow.run(["bread"])).get_request_info_events()
    assert event.data == "bread"
    assert run(workflow.send_responses({event.request_id: 0})).get_outputs() == ["bread: sold out"]


def test_several_requests_from_the_child_can_wait_at_once():
    workflow = shop_workflow(Shop(id="shop"))
    events = run(workflow.run(["eggs", "milk"])).get_request_info_events()
    assert sorted(e.data for e in events) == ["eggs", "milk"]
    answers = {e.request_id: 1 for e in events}
    assert sorted(run(workflow.send_responses(answers)).get_outputs()) == ["eggs: in stock", "milk: in stock"]


def test_the_childs_pending_request_is_in_the_parents_checkpoint_and_resumes():
    storage = InMemoryCheckpointStorage()
    [asked] = run(shop_workflow(Shop(id="shop"), storage).run(["rice"])).get_request_info_events()
    waiting = max(run(storage.list_checkpoints()), key=lambda cp: cp.timestamp)
    fresh = shop_workflow(Shop(id="shop"), storage)
    result = run(fresh.run_from_checkpoint(waiting.checkpoint_id, responses={asked.request_id: 5}))
    assert result.get_outputs() == ["rice: in stock"]
