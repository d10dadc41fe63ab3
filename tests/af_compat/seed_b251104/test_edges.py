"""Edges in AF b251104, in that era's samples' shapes: a condition on each of two edges, a
switch-case group with a `Default`, fan-out to workers and fan-in of their results of different
types, a multi-selection group, and a loop between two executors."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import run
from wfkit import Case, Default, Executor, Never, WorkflowBuilder, WorkflowContext, executor, handler


@dataclass
class Ticket:
    text: str
    priority: int


@executor(id="triage")
async def triage(text: str, ctx: WorkflowContext[Ticket]) -> None:
    await ctx.send_message(Ticket(text, priority=3 if "urgent" in text else 1))


class Queue(Executor):
    @handler
    async def enqueue(self, ticket: Ticket, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{self.id} <- {ticket.text}")


def outputs(workflow, message) -> list:
    return run(workflow.run(message)).get_outputs()


def test_conditions_on_two_edges_route_each_message_one_way():
    pager, inbox = Queue(id="pager"), Queue(id="inbox")
    workflow = (
        WorkflowBuilder()
        .set_start_executor(triage)
        .add_edge(triage, pager, condition=lambda t: t.priority > 2)
        .add_edge(triage, inbox, condition=lambda t: t.priority <= 2)
        .build()
    )
    assert outputs(workflow, "urgent: disk full") == ["pager <- urgent: disk full"]


def test_switch_case_picks_one_target_and_default_catches_the_rest():
    billing, tech, general = Queue(id="billing"), Queue(id="tech"), Queue(id="general")
    workflow = (
        WorkflowBuilder()
        .set_start_executor(triage)
        .add_switch_case_edge_group(
            triage,
            [Case(condition=lambda t: "invoice" in t.text, target=billing),
             Case(condition=lambda t: "error" in t.text, target=tech),
             Default(target=general)],
        )
        .build()
    )
    assert outputs(workflow, "invoice missing") == ["billing <- invoice missing"]
    assert outputs(workflow, "hello there") == ["general <- hello there"]


@executor(id="split")
async def split(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text)


@executor(id="count_words")
async def count_words(text: str, ctx: WorkflowContext[int]) -> None:
    await ctx.send_message(len(text.split()))


@executor(id="longest_word")
async def longest_word(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(max(text.split(), key=len))


@executor(id="report")
async def report(results: list[int | str], ctx: WorkflowContext[Never, str]) -> None:
    numbers = [r for r in results if isinstance(r, int)]
    words = [r for r in results if isinstance(r, str)]
    await ctx.yield_output(f"{numbers[0]} words, longest '{words[0]}'")


def test_fan_in_collects_results_of_different_types_from_its_sources():
    workers = [count_words, longest_word]
    workflow = (
        WorkflowBuilder().set_start_executor(split).add_fan_out_edges(split, workers).add_fan_in_edges(workers, report).build()
    )
    assert outputs(workflow, "a quick experiment") == ["3 words, longest 'experiment'"]


def test_multi_selection_can_choose_several_targets_or_one():
    archive, notify, escalate = Queue(id="archive"), Queue(id="notify"), Queue(id="escalate")

    def route(ticket: Ticket, targets: list[str]) -> list[str]:
        return targets if ticket.priority > 2 else [targets[0]]

    workflow = (
        WorkflowBuilder()
        .set_start_executor(triage)
        .add_multi_selection_edge_group(triage, [archive, notify, escalate], selection_func=route)
        .build()
    )
    assert len(outputs(workflow, "urgent outage")) == 3
    assert outputs(workflow, "a question") == ["archive <- a question"]


class Kneader(Executor):
    @handler
    async def knead(self, minutes: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(minutes + 4)


class Taster(Executor):
    @handler
    async def taste(self, minutes: int, ctx: WorkflowContext[int, str]) -> None:
        if minutes >= 10:
            await ctx.yield_output(f"ready after {minutes} minutes")
        else:
            await ctx.send_message(minutes)


def test_a_loop_goes_round_until_the_condition_to_stop_holds():
    kneader, taster = Kneader(id="kneader"), Taster(id="taster")
    workflow = WorkflowBuilder().set_start_executor(kneader).add_edge(kneader, taster).add_edge(taster, kneader).build()
    assert outputs(workflow, 0) == ["ready after 12 minutes"]
