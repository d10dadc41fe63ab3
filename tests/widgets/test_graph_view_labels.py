"""The live graph keeps every label at least 12 px on screen, even lesson 6's wide checkout."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import ExecutorFailure, Never, RetryPolicy, WorkflowBuilder, WorkflowContext, executor
from wfkit.viz.readability import measure_svg, narrowest_readable_width, smallest_label_on_screen
from wfkit.widgets import GraphView

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's `dot` program is not installed")


@dataclass
class Order:
    id: str
    total: float


@dataclass
class Quote:
    carrier: str
    price: float


def checkout_workflow():
    """The shape of lesson 6's `build_pipeline`: a chain with a timeout and a fallback route,
    a retried payment step, a fan-out to four carriers (two at a time) and a fan-in."""
    calls = {"charge": 0}

    @executor(id="receive")
    async def receive(order: Order, ctx: WorkflowContext[Order]) -> None:
        await ctx.send_message(order)

    @executor(id="fraud_check")
    async def fraud_check(order: Order, ctx: WorkflowContext[Order]) -> None:
        await ctx.send_message(order)

    @executor(id="human_review")
    async def human_review(failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output("waits for a person")

    @executor(id="charge_card")
    async def charge_card(order: Order, ctx: WorkflowContext[Order]) -> None:
        calls["charge"] += 1
        if calls["charge"] <= 2:
            raise ConnectionError("gateway busy")
        await ctx.send_message(order)

    @executor(id="ask_carriers")
    async def ask_carriers(order: Order, ctx: WorkflowContext[Order]) -> None:
        await ctx.send_message(order)

    def carrier(name: str):
        @executor(id=f"quote_{name}")
        async def quote(order: Order, ctx: WorkflowContext[Quote]) -> None:
            await ctx.send_message(Quote(name, 5.0))

        return quote

    @executor(id="book_cheapest")
    async def book_cheapest(quotes: list[Quote], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"booked {min(quotes, key=lambda q: q.price).carrier}")

    carriers = [carrier(name) for name in ("post", "parcelnet", "swiftbox", "slowfreight")]
    return (
        WorkflowBuilder(name="checkout")
        .set_start_executor(receive)
        .add_chain([receive, fraud_check, charge_card, ask_carriers])
        .add_fan_out_edges(ask_carriers, carriers, max_concurrency=2)
        .add_fan_in_edges(carriers, book_cheapest)
        .with_timeout(fraud_check, seconds=0.5)
        .with_fallback(fraud_check, human_review)
        .with_retry(charge_card, RetryPolicy(max_attempts=3, backoff_seconds=0.001))
        .build()
    )


def view_after_a_run() -> GraphView:
    workflow = checkout_workflow()
    view = GraphView(workflow)

    async def go() -> None:
        async for event in workflow.run_stream(Order("C-1", 75.0)):
            view.handle(event)
        view.flush()

    run(go())
    return view


# The run view gives the graph at least 300 px; a JupyterLab notebook is ~1000 px wide.
COLUMN_WIDTHS = [300, 360, 480, 700, 1000, 1600]


@pytest.mark.parametrize("column_px", COLUMN_WIDTHS)
def test_every_label_of_the_idle_checkout_graph_is_at_least_12_px(column_px):
    view = GraphView(checkout_workflow())
    assert len(view.workflow.executors) >= 9
    assert smallest_label_on_screen(view.picture.value, column_px) >= 12


@pytest.mark.parametrize("column_px", COLUMN_WIDTHS)
def test_every_label_stays_at_least_12_px_with_retries_and_counts_drawn(column_px):
    view = view_after_a_run()
    assert "retried ×2" in view.picture.value and "1 delivered" in view.picture.value
    assert smallest_label_on_screen(view.picture.value, column_px) >= 12


def test_graphviz_draws_no_label_smaller_than_12_points():
    view = view_after_a_run()
    assert measure_svg(view.picture.value).smallest_font >= 12


def test_the_picture_shrinks_to_fit_a_wide_column_but_not_below_its_readable_width():
    view = GraphView(checkout_workflow())
    markup = view.picture.value
    natural = measure_svg(markup).natural_width_px
    assert view.readable_width == pytest.approx(narrowest_readable_width(markup), abs=1)
    assert 0 < view.readable_width < natural  # it may shrink a little, not a lot
    assert f"min-width:{view.readable_width}px" in markup and "max-width:100%" in markup


def test_a_column_narrower_than_the_picture_scrolls_sideways():
    view = GraphView(checkout_workflow())
    assert view.picture.layout.overflow == "auto" and view.picture.layout.max_width == "100%"
    assert "wfkit-graph-picture" in view.picture._dom_classes
