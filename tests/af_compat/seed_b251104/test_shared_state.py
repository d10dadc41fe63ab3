"""Shared state in AF b251104: `await ctx.set_shared_state(key, value)` and `await
ctx.get_shared_state(key)` across executors (one handing another a key instead of a large value),
kept apart from each executor's own `set_executor_state`."""

from __future__ import annotations

from tests.conftest import run
from wfkit import InMemoryCheckpointStorage, Never, WorkflowBuilder, WorkflowContext, executor


@executor(id="store_recipe")
async def store_recipe(recipe: str, ctx: WorkflowContext[str]) -> None:
    await ctx.set_shared_state("recipe", recipe)
    await ctx.set_executor_state({"stored": True})
    await ctx.send_message("recipe")


@executor(id="count_steps")
async def count_steps(key: str, ctx: WorkflowContext[Never, int]) -> None:
    recipe = await ctx.get_shared_state(key)
    await ctx.yield_output(len(recipe.split(";")))


def recipe_workflow(storage=None):
    builder = WorkflowBuilder().set_start_executor(store_recipe).add_edge(store_recipe, count_steps)
    return (builder.with_checkpointing(checkpoint_storage=storage) if storage else builder).build()


def test_a_later_executor_reads_what_an_earlier_one_stored():
    assert run(recipe_workflow().run("boil; stir; serve")).get_outputs() == [3]


def test_a_value_set_in_one_run_is_overwritten_by_the_next_run():
    workflow = recipe_workflow()
    run(workflow.run("a; b"))
    assert run(workflow.run("one")).get_outputs() == [1]


def test_shared_and_executor_state_are_saved_apart():
    storage = InMemoryCheckpointStorage()
    run(recipe_workflow(storage).run("mix; bake"))
    first = min(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)
    assert first.shared_state == {"recipe": "mix; bake"}
    assert first.executor_states["store_recipe"] == {"stored": True}
