"""Lesson 6 exercise: make a flaky address check reliable with a retry policy, a time limit and
a fallback route.

The learner writes ``make_reliable(builder, address_check, manual_check) -> WorkflowBuilder``.
The check builds a checkout workflow (receive -> address_check -> ship) three times, each
with a different address service behind ``address_check``, lets ``make_reliable`` configure
it, runs it and looks at how each run ended:

- a service that fails twice, then answers: the order must ship (retries, no fallback);
- a service that is down: after 3 calls in all the order must reach ``manual_check``;
- a service that hangs: each call is cut after 0.1 s and the order reaches ``manual_check``.

``manual_check`` hands the order to a person (``ctx.request_info``); the check plays that person
and answers yes, so the order ships after the manual check.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from wfkit import (
    Executor,
    ExecutorFailure,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    executor,
    handler,
    response_handler,
)
from wfkit.teach import CheckResult, Exercise, report, trace

exercise = Exercise.for_module(__name__, __file__)

ATTEMPTS = 3  # calls in all, the first included
TIME_LIMIT = 0.1  # seconds per call
PATIENCE = 3.0  # seconds the check waits for a whole run


@dataclass
class Order:
    id: str
    city: str


class AddressService:
    """A stand-in service: fails its first `failures` calls (all of them with None), or hangs."""

    def __init__(self, failures: int | None = 0, hangs: bool = False) -> None:
        self.failures = failures
        self.hangs = hangs
        self.calls = 0

    async def verify(self, order: Order) -> None:
        self.calls += 1
        if self.hangs:
            await asyncio.sleep(30)
        if self.failures is None or self.calls <= self.failures:
            raise ConnectionError(f"address service unavailable (call {self.calls})")


@dataclass
class AddressReview:
    """What manual_check asks a person: may this order ship, although its address check failed?"""

    order: Order
    reason: str


class ManualCheck(Executor):
    """A person checks the address by hand: the order ships if they approve, else it is held."""

    @handler
    async def ask(self, failure: ExecutorFailure, ctx: WorkflowContext) -> None:
        reason = f"{failure.executor_id} failed with {failure.error_type} after {failure.attempts} attempt(s)"
        await ctx.request_info(request_data=AddressReview(failure.message, reason), response_type=bool)

    @response_handler
    async def decide(self, review: AddressReview, approved: bool, ctx: WorkflowContext[Never, str]) -> None:
        verdict = "approved, shipped" if approved else f"held ({review.reason})"
        await ctx.yield_output(f"manual check of {review.order.id}: {verdict}")


def _workflow(candidate, service: AddressService):
    @executor(id="receive")
    async def receive(order: Order, ctx: WorkflowContext[Order]) -> None:
        await ctx.send_message(order)

    @executor(id="address_check")
    async def address_check(order: Order, ctx: WorkflowContext[Order]) -> None:
        await service.verify(order)
        await ctx.send_message(order)

    @executor(id="ship")
    async def ship(order: Order, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"shipped {order.id}")

    manual_check = ManualCheck("manual_check")
    builder = WorkflowBuilder(start_executor=receive).add_chain([receive, address_check, ship])
    configured = candidate(builder, address_check, manual_check)
    return (configured if configured is not None else builder).build()


async def _scenario(candidate, service: AddressService) -> tuple[str, list, float]:
    """(how it ended: an output or 'failed: ...' or 'timeout', the events, seconds)"""
    workflow = _workflow(candidate, service)
    started = time.perf_counter()
    try:
        result = await asyncio.wait_for(workflow.run(Order("K-7", "Lyon")), PATIENCE)
    except asyncio.TimeoutError:
        return "timeout", [], time.perf_counter() - started
    except WorkflowFailedError as error:
        return f"failed: {error}", list(error.events), time.perf_counter() - started
    events = list(result)
    # manual_check asks a person; the check plays that person and approves the order.
    for ask in result.get_request_info_events():
        result = await workflow.run(responses={ask.request_id: True})
        events += list(result)
    outputs = [event.data for event in events if event.type == "output"]
    return (outputs[0] if outputs else "no output"), events, time.perf_counter() - started


@exercise.checker
async def check(candidate) -> CheckResult:
    """Run the checkout with three address services and say what went wrong, if anything."""
    if not callable(candidate):
        return report(False, "make_reliable must be a function taking (builder, address_check, manual_check).")
    try:
        # 1. Fails twice, then answers: retries must carry it through.
        flaky = AddressService(failures=2)
        ended, events, _ = await _scenario(candidate, flaky)
    except Exception as error:  # noqa: BLE001 - anything the learner's code raises is reported
        return report(False, f"Configuring or building the workflow failed: {type(error).__name__}: {error}")
    retries = sum(e.type == "executor_retry" for e in events)
    if ended != "shipped K-7":
        how = "reached manual_check" if ended.startswith("manual") else f"ended with {ended.splitlines()[0]!r}"
        return report(
            False,
            f"An address service that fails twice and answers on the third call should not stop the order, but the "
            f"run {how} after {flaky.calls} call(s) (your run: {trace(events).story('; ')}). max_attempts counts "
            f"every call, the first one included: you need {ATTEMPTS}.",
        )

    # 2. Down: every call fails. After ATTEMPTS calls the order goes to a person (manual_check).
    down = AddressService(failures=None)
    ended, events, seconds = await _scenario(candidate, down)
    if down.calls != ATTEMPTS:
        return report(
            False,
            f"When the service is down it was called {down.calls} times; call it {ATTEMPTS} times in all, no more.",
        )
    if not ended.startswith("manual check"):
        return report(
            False,
            f"When the service is down the order should reach manual_check, but the run ended with "
            f"{ended.splitlines()[0]!r} (your run: {trace(events).story('; ')}). Add a fallback route: "
            "with_fallback(address_check, manual_check).",
        )
    if seconds > 1.0:
        return report(False, f"Giving up took {seconds:.1f} s: keep backoff_seconds tiny (a few ms) in this exercise.")

    # 3. Hangs: every call is cut off after TIME_LIMIT seconds, then the fallback takes over.
    hanging = AddressService(hangs=True)
    ended, events, seconds = await _scenario(candidate, hanging)
    if ended == "timeout":
        return report(
            False,
            f"A hanging address service kept the order waiting for more than {PATIENCE:g} s. Give address_check "
            f"a time limit: with_timeout(address_check, seconds={TIME_LIMIT}).",
        )
    if not ended.startswith("manual check"):
        return report(False, f"A hanging service should end at manual_check, but the run ended with {ended.splitlines()[0]!r}.")
    if seconds > ATTEMPTS * TIME_LIMIT + 0.5:
        return report(
            False,
            f"A hanging service took {seconds:.2f} s to give up: allow each call at most {TIME_LIMIT} s.",
        )
    fallbacks = sum(e.type == "executor_fallback" for e in events)
    return report(
        True,
        f"A flaky service got through after {retries} retries, a service that is down went to manual_check after "
        f"{ATTEMPTS} calls, and a hanging one was cut off and sent there too ({fallbacks} fallback, {seconds:.2f} s); "
        "there a person was asked (the check answered yes) and the order shipped.",
    )


reveal = exercise.reveal  # shows the reference solution, once the check has run
