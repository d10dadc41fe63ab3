"""Which yields are the workflow's outputs: every one by default (the seed era), or the ones
`WorkflowBuilder(output_from=..., intermediate_output_from=...)` names (Agent Framework 1.x)."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import Never, WorkflowBuilder, WorkflowContext, WorkflowValidationError, executor


@executor(id="draft")
async def draft(topic: str, ctx: WorkflowContext[str, str]) -> None:
    await ctx.yield_output(f"draft on {topic}")
    await ctx.send_message(topic)


@executor(id="final")
async def final(topic: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(f"final on {topic}")


def built(**selection):
    return WorkflowBuilder(start_executor=draft, **selection).add_edge(draft, final).build()


def test_by_default_every_yield_is_an_output():
    result = run(built().run("cats"))
    assert result.get_outputs() == ["draft on cats", "final on cats"]
    assert result.get_intermediate_outputs() == []


def test_output_from_keeps_the_named_executors_yields_and_hides_the_others():
    result = run(built(output_from=[final]).run("cats"))
    assert result.get_outputs() == ["final on cats"]
    assert [e.type for e in result].count("intermediate") == 0


def test_the_others_can_show_as_steps_on_the_way():
    result = run(built(output_from=[final], intermediate_output_from="all_other").run("cats"))
    assert result.get_outputs() == ["final on cats"]
    assert result.get_intermediate_outputs() == ["draft on cats"]
    [step] = [e for e in result if e.type == "intermediate"]
    assert step.source_executor_id == "draft"


def test_executors_may_be_named_by_id_and_all_means_every_executor_that_yields():
    assert run(built(output_from="all").run("a")).get_outputs() == ["draft on a", "final on a"]
    assert run(built(output_from=["draft"]).run("a")).get_outputs() == ["draft on a"]


@pytest.mark.parametrize(
    "selection, says",
    [
        ({"output_from": ["nobody"]}, r"output_from names \['nobody'\]"),
        ({"output_from": [final], "intermediate_output_from": [final]}, "named both"),
        ({"output_from": "everything"}, "give a list of executors"),
    ],
)
def test_a_selection_that_cannot_work_is_refused_when_the_workflow_is_built(selection, says):
    with pytest.raises(WorkflowValidationError, match=says):
        built(**selection)
