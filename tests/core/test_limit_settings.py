"""Every limit a builder takes is checked when it is given: a value that would not work as a
limit (NaN, a bool, a string, infinity, zero) is refused there, naming the setting."""

import math

import pytest

from tests.conftest import run
from wfkit import RetryPolicy, WorkflowBuilder, WorkflowContext, WorkflowValidationError, executor


@executor(id="first")
async def first(n: int, ctx: WorkflowContext[int]) -> None:
    await ctx.send_message(n + 1)


@executor(id="second")
async def second(n: int, ctx: WorkflowContext[int, int]) -> None:
    await ctx.yield_output(n)


def builder() -> WorkflowBuilder:
    return WorkflowBuilder(start_executor=first).add_edge(first, second)


NOT_SECONDS = [float("nan"), math.inf, -math.inf, 0, -1, True, False, "5", None, [5]]


@pytest.mark.parametrize("value", NOT_SECONDS, ids=repr)
def test_a_run_timeout_that_would_not_hold_is_refused_by_name(value):
    with pytest.raises(WorkflowValidationError, match="with_run_timeout"):
        builder().with_run_timeout(value)


@pytest.mark.parametrize("value", NOT_SECONDS, ids=repr)
def test_an_executor_timeout_that_would_not_hold_is_refused_by_name(value):
    with pytest.raises(WorkflowValidationError, match="with_timeout"):
        builder().with_timeout(first, value)


def test_a_nan_run_timeout_no_longer_gives_a_run_that_never_ends():
    # Before: NaN passed the check `seconds <= 0` and the run then never finished.
    with pytest.raises(WorkflowValidationError, match="finite number of seconds above zero"):
        builder().with_run_timeout(float("nan"))
    assert run(builder().with_run_timeout(5).build().run(1), timeout=5).get_outputs() == [2]


def test_a_good_timeout_is_kept_as_a_float():
    workflow = builder().with_run_timeout(2).with_timeout(first, 1).build()
    assert run(workflow.run(1), timeout=5).get_outputs() == [2]


@pytest.mark.parametrize("value", [0, -3, 2.5, True, "3", float("nan")], ids=repr)
def test_counts_take_whole_numbers_of_at_least_one(value):
    for give in (
        lambda: WorkflowBuilder(max_iterations=value),
        lambda: builder().add_loop(second, first, until=lambda n: n > 3, max_rounds=value),
        lambda: builder().limit_concurrency([first], value),
        lambda: RetryPolicy(max_attempts=value),
        lambda: WorkflowBuilder(start_executor=first).add_fan_in_edges([first], second, min_successes=value),
    ):
        with pytest.raises(WorkflowValidationError):
            give()


@pytest.mark.parametrize(
    "settings", [{"backoff_seconds": float("nan")}, {"backoff_seconds": -1}, {"backoff_factor": 0.5},
                 {"backoff_factor": math.inf}, {"max_backoff_seconds": "1"}], ids=repr
)
def test_a_retry_backoff_that_would_not_hold_is_refused_by_name(settings):
    [name] = settings
    with pytest.raises(WorkflowValidationError, match=name):
        RetryPolicy(**settings)


def test_the_message_says_what_to_do_instead_of_no_limit():
    with pytest.raises(WorkflowValidationError, match="leave the setting out"):
        builder().with_run_timeout(math.inf)
