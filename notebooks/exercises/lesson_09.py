"""Lesson 9 exercise: move a workflow written in the seed era's spelling to today's.

The learner rewrites ``build_counter(fw)``, given in the late-2025 spelling
(``WorkflowBuilder().set_start_executor(...)``, ``await ctx.set_shared_state(...)``), in Agent
Framework 1.x's (``WorkflowBuilder(start_executor=...)``, ``ctx.set_state(key, value)``). `check`
reads the answer for the seed era's names, then builds and runs it on wfkit and, where the
`agent_framework` package is installed, on Agent Framework itself: both must count the words.
"""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any, Callable

import wfkit
from wfkit.teach import CheckResult, Exercise, report

exercise = Exercise.for_module(__name__, __file__)

# The seed era's spellings the answer must not use, each with what replaces it today.
SEED_SPELLINGS = {
    "set_start_executor": "pass the start to the builder: fw.WorkflowBuilder(start_executor=count)",
    "set_shared_state": "today's shared state is set without await: ctx.set_state('words', n)",
    "get_shared_state": "today's shared state is read without await: ctx.get_state('words')",
    "run_stream": "today a streamed run is workflow.run(message, stream=True)",
}

TEXT = "the quick brown fox"
EXPECTED = ["4 words: the quick brown fox"]


def frameworks() -> list[ModuleType]:
    """wfkit, and Agent Framework when it is installed."""
    try:
        import agent_framework
    except ImportError:
        return [wfkit]
    return [wfkit, agent_framework]


def seed_spellings_in(candidate: Callable[..., Any]) -> list[str]:
    """The seed era's names the candidate's code uses (none if its code cannot be read)."""
    try:
        source = inspect.getsource(candidate)
    except (OSError, TypeError):
        return []
    return [name for name in SEED_SPELLINGS if name in source]


@exercise.checker
async def check(candidate: Callable[[ModuleType], Any]) -> CheckResult:
    """Look for the seed era's names, then build the answer with each framework and run it."""
    old = seed_spellings_in(candidate)
    if old:
        fixes = "; ".join(SEED_SPELLINGS[name] for name in old)
        return report(False, f"build_counter still uses the seed era's {', '.join(old)}: {fixes}.")
    for fw in frameworks():
        where = "Agent Framework" if fw is not wfkit else "wfkit"
        try:
            workflow = candidate(fw)
            outputs = (await workflow.run(TEXT)).get_outputs()
        except Exception as error:
            hint = ""
            if "await" in str(error):
                hint = " (today's ctx.set_state and ctx.get_state are plain calls: no await in front)"
            return report(False, f"On {where}, build_counter(fw) or its run raised {type(error).__name__}: {error}{hint}")
        if outputs != EXPECTED:
            return report(False, f"On {where}, the run gave {outputs}, expected {EXPECTED}.")
    ran_on = " and ".join("Agent Framework" if fw is not wfkit else "wfkit" for fw in frameworks())
    return report(True, f"Today's spelling: it counts the words on {ran_on}.")


reveal = exercise.reveal  # shows the reference solution, once the check has run
