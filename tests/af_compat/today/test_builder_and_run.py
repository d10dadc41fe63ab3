"""Building and running in today's AF (1.x): `WorkflowBuilder(start_executor=...)`, one
`run(message)` awaited or with `stream=True` (events told apart by `event.type`, then
`get_final_response()`), `output_from=` / `intermediate_output_from=` choosing whose yields are
outputs, `@handler(input=, output=, workflow_output=)` and `@executor(input=, ...)` naming types
instead of annotations, and the edge groups in today's spelling."""

from typing import Any

from typing_extensions import Never

from tests.conftest import run

from .frameworks import collect


def two_steps(af, **builder_options):
    @af.executor(id="trim")
    async def trim(text: str, ctx: af.WorkflowContext[str, str]) -> None:
        await ctx.yield_output(f"trimmed {text.strip()!r}")
        await ctx.send_message(text.strip())

    @af.executor(id="count")
    async def count(text: str, ctx: af.WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(len(text))

    return af.WorkflowBuilder(start_executor=trim, **builder_options).add_edge(trim, count).build()


def parts(workflow: Any) -> tuple[Any, Any]:
    """The two executors of `two_steps`, to build it again with other options."""
    if hasattr(workflow, "get_executors_list"):  # AF
        executors = {executor.id: executor for executor in workflow.get_executors_list()}
    else:
        executors = workflow.executors
    return executors["trim"], executors["count"]


def test_the_builder_takes_the_start_executor_as_an_argument(af):
    assert run(two_steps(af).run("  tea ")).get_outputs() == ["trimmed 'tea'", 3]


def test_stream_true_yields_events_told_apart_by_their_type(af):
    events = collect(two_steps(af).run(" hi ", stream=True))
    kinds = [event.type for event in events]
    assert [e.data for e in events if e.type == "output"] == ["trimmed 'hi'", 2]
    assert kinds.count("executor_invoked") == kinds.count("executor_completed") == 2


def test_a_stream_gives_the_collected_result_at_its_end(af):
    async def scenario():
        stream = two_steps(af).run("cake", stream=True)
        async for _ in stream:
            pass
        return await stream.get_final_response()

    assert run(scenario()).get_outputs() == ["trimmed 'cake'", 4]


def test_output_from_keeps_only_the_named_executors_yields_as_outputs(af):
    trim, count = parts(two_steps(af))
    narrowed = af.WorkflowBuilder(start_executor=trim, output_from=[count]).add_edge(trim, count).build()
    assert run(narrowed.run("jam")).get_outputs() == [3]


def test_intermediate_output_from_makes_yields_steps_on_the_way(af):
    trim, count = parts(two_steps(af))
    shaped = af.WorkflowBuilder(start_executor=trim, output_from=[count], intermediate_output_from=[trim]).add_edge(trim, count).build()
    events = [e for e in run(shaped.run("bun")) if e.type in ("output", "intermediate")]
    assert [(e.type, e.data) for e in events] == [("intermediate", "trimmed 'bun'"), ("output", 3)]


def test_handler_types_can_be_named_in_the_decorator(af):
    class Measure(af.Executor):
        @af.handler(input=str, output=int, workflow_output=str)
        async def measure(self, message, ctx) -> None:
            await ctx.yield_output(f"{len(message)} letters")

    workflow = af.WorkflowBuilder(start_executor=Measure(id="measure")).build()
    assert run(workflow.run("kettle")).get_outputs() == ["6 letters"]


def test_a_function_executor_can_name_its_types_in_the_decorator(af):
    @af.executor(id="square", input=int, workflow_output=int)
    async def square(number, ctx: af.WorkflowContext) -> None:
        await ctx.yield_output(number * number)

    assert run(af.WorkflowBuilder(start_executor=square).build().run(7)).get_outputs() == [49]


def test_switch_case_and_fan_in_read_the_same_in_todays_spelling(af):
    @af.executor(id="sort")
    async def sort(number: int, ctx: af.WorkflowContext[int]) -> None:
        await ctx.send_message(number)

    @af.executor(id="even")
    async def even(number: int, ctx: af.WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{number} is even")

    @af.executor(id="odd")
    async def odd(number: int, ctx: af.WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{number} is odd")

    workflow = (
        af.WorkflowBuilder(start_executor=sort)
        .add_switch_case_edge_group(sort, [af.Case(condition=lambda n: n % 2 == 0, target=even), af.Default(target=odd)])
        .build()
    )
    assert run(workflow.run(4)).get_outputs() == ["4 is even"]
    assert run(workflow.run(5)).get_outputs() == ["5 is odd"]


def test_fan_out_and_fan_in_deliver_every_result_as_one_list(af):
    @af.executor(id="source")
    async def source(text: str, ctx: af.WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @af.executor(id="vowels")
    async def vowels(text: str, ctx: af.WorkflowContext[int]) -> None:
        await ctx.send_message(sum(c in "aeiou" for c in text))

    @af.executor(id="length")
    async def length(text: str, ctx: af.WorkflowContext[int]) -> None:
        await ctx.send_message(len(text))

    @af.executor(id="join")
    async def join(counts: list[int], ctx: af.WorkflowContext[Never, list[int]]) -> None:
        await ctx.yield_output(sorted(counts))

    workflow = (
        af.WorkflowBuilder(start_executor=source)
        .add_fan_out_edges(source, [vowels, length])
        .add_fan_in_edges([vowels, length], join)
        .build()
    )
    assert run(workflow.run("banana")).get_outputs() == [[3, 6]]
