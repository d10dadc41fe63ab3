"""Steps side by side with `asyncio.gather`: they run at the same time, and each call's result is
replayed to the call with the same arguments, whatever order the branches reach it in."""

import asyncio

import pytest

from tests.conftest import run
from wfkit import RunContext, WorkflowFailedError, WorkflowTypeError, step, workflow


def test_gathered_steps_run_at_the_same_time():
    # Each step waits until all three have started: run one after another, they never would.
    started: list[str] = []
    all_started = asyncio.Event()

    @step
    async def research(source: str) -> str:
        started.append(source)
        if len(started) == 3:
            all_started.set()
        await all_started.wait()
        return f"notes from {source}"

    @workflow
    async def researching(topic: str) -> list[str]:
        return list(await asyncio.gather(research("web"), research("papers"), research("news")))

    result = run(researching.run("owls"), timeout=5)
    assert result.get_outputs() == [["notes from web", "notes from papers", "notes from news"]]


def test_each_replayed_call_gets_the_result_of_the_call_with_its_arguments():
    calls: list[str] = []

    @step
    async def research(source: str) -> str:
        calls.append(source)
        # The later a branch starts, the sooner it finishes: the finishing order is reversed.
        await asyncio.sleep({"web": 0.03, "papers": 0.02, "news": 0.01}[source])
        return f"notes from {source}"

    @workflow
    async def researching(topic: str, ctx: RunContext) -> str:
        notes = await asyncio.gather(research("web"), research("papers"), research("news"))
        verdict = await ctx.request_info("use them?", str)
        return f"{verdict}: {'; '.join(notes)}"

    run(researching.run("owls"))
    result = run(researching.run(responses={"auto::0": "yes"}))
    assert result.get_outputs() == ["yes: notes from web; notes from papers; notes from news"]
    assert sorted(calls) == ["news", "papers", "web"]  # each ran once


def test_two_calls_with_the_same_arguments_are_two_calls():
    calls: list[int] = []

    @step
    async def roll(sides: int) -> int:
        calls.append(sides)
        return len(calls)

    @workflow
    async def rolling(sides: int, ctx: RunContext) -> list[int]:
        first, second = await roll(sides), await roll(sides)
        await ctx.request_info("keep?", bool)
        return [first, second]

    run(rolling.run(6))
    assert run(rolling.run(responses={"auto::0": True})).get_outputs() == [[1, 2]]
    assert calls == [6, 6]


def test_a_step_under_way_when_another_branch_asks_finishes_and_is_kept():
    calls: list[str] = []

    @step
    async def slow_summary(text: str) -> str:
        await asyncio.sleep(0.05)
        calls.append("slow_summary")
        return text[:5]

    @step
    async def ask_editor(text: str, ctx: RunContext) -> str:
        await asyncio.sleep(0.01)  # the summary is under way when this asks
        return await ctx.request_info("headline?", str)

    @workflow
    async def editing(text: str) -> str:
        summary, headline = await asyncio.gather(slow_summary(text), ask_editor(text))
        return f"{headline}: {summary}"

    first = run(editing.run("abcdefgh"))
    assert "slow_summary" in [e.executor_id for e in first if e.type == "executor_completed"]
    assert run(editing.run(responses={"auto::0": "News"})).get_outputs() == ["News: abcde"]
    assert calls == ["slow_summary"]  # finished while the run paused, replayed after


def test_no_new_step_starts_once_the_run_has_paused():
    calls: list[str] = []

    @step
    async def ask(text: str, ctx: RunContext) -> str:
        return await ctx.request_info(text, str)

    @step
    async def later(text: str) -> str:
        calls.append(text)
        return text

    @workflow
    async def asking(text: str) -> list:
        # return_exceptions=True hands the pause back as a value: the function goes on, but
        # the next step stops it.
        answers = await asyncio.gather(ask(text), return_exceptions=True)
        await later("after the pause")
        return answers

    result = run(asking.run("x"))
    assert result.get_outputs() == [] and calls == []


class Lookup:
    """Not data: a stand-in for a request object holding a connection, passed to a step."""

    def __init__(self, record_id: str) -> None:
        self.record_id = record_id


ROWS = {"a": "apple", "b": "banana"}


def test_a_replay_key_tells_calls_apart_when_their_arguments_are_not_data():
    calls: list[str] = []

    @step(replay_key=lambda lookup: lookup.record_id)
    async def load(lookup: Lookup) -> str:
        calls.append(lookup.record_id)
        return ROWS[lookup.record_id]

    @workflow
    async def loading(ids: list, ctx: RunContext) -> dict:
        # The replay calls the steps in the other order: only the key can match them up.
        order = ids if ctx.get_state("replaying") is None else list(reversed(ids))
        ctx.set_state("replaying", True)
        rows = await asyncio.gather(*(load(Lookup(record_id)) for record_id in order))
        await ctx.request_info("ok?", bool)
        return dict(zip(order, rows))

    run(loading.run(["a", "b"]))
    assert run(loading.run(responses={"auto::0": True})).get_outputs() == [{"b": "banana", "a": "apple"}]
    assert calls == ["a", "b"]


def test_a_replay_key_must_return_text():
    @step(replay_key=lambda n: n)
    async def square(n: int) -> int:
        return n * n

    @workflow
    async def squaring(n: int) -> int:
        return await square(n)

    with pytest.raises(WorkflowFailedError) as failed:
        run(squaring.run(3))
    assert isinstance(failed.value.cause, WorkflowTypeError)
