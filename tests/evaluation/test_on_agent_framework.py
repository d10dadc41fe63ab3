"""The same evaluation on wfkit and on real Agent Framework 1.x, with the same scripted replies:
the counts per provider, per agent and overall must agree (skipped when AF is not installed).

The AF side names the agents' outputs as AF does by default (every agent's answer is an output);
wfkit's workflow yields none, and its overall answer is the last agent's (wfkit/evaluation/runs.py)."""

from __future__ import annotations

import warnings
from types import ModuleType

import pytest

from tests.af_compat.today.frameworks import load, scripted_client
from tests.conftest import run

REPLIES = ["Plan: a trip to Paris, bullet by bullet.", "Booked it.", "Plan: hotels in Rome.", "Booked the trip to Rome."]


def summary(af: ModuleType) -> list[tuple]:
    client = scripted_client(af, REPLIES)
    planner = af.Agent(client=client, name="planner", instructions="Plan trips.")
    booker = af.Agent(client=client, name="booker", instructions="Book them.")
    workflow = af.WorkflowBuilder(start_executor=planner).add_edge(planner, booker).build()

    def is_nonempty(response: str) -> bool:
        return len(response.strip()) > 5

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # AF marks its evaluation API experimental
        local = af.LocalEvaluator(af.evaluator(is_nonempty), af.keyword_check("trip"))
        results = run(af.evaluate_workflow(workflow=workflow, queries=["Paris", "Rome"], evaluators=local))
    return [
        (r.provider, r.passed, r.failed, r.all_passed, [i.output_text for i in r.items],
         {name: (sub.passed, sub.failed, [i.input_text for i in sub.items]) for name, sub in r.sub_results.items()})
        for r in results
    ]


def test_evaluate_workflow_counts_as_agent_framework_does() -> None:
    af = load("agent_framework")
    assert summary(load("wfkit")) == summary(af)
