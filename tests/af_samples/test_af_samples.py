"""wfkit's compatibility suite: AF's getting-started workflow samples, ported, must run their main path.

Each port under `b251007/` and `b251104/` is imported on its own and its `main()` run (see `runner.py`);
`EXPECTED` says, for every port, what its end prints when the main path really ran (read from the
sample's own code). The ports and what was left out are described in docs/agent_framework.md.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .runner import SampleRun, run_sample, sample_ids

Check = str | Callable[[SampleRun], bool]


class _Described:
    """A check on a run that says what it checks, for the failure message."""

    def __init__(self, description: str, holds: Callable[[SampleRun], bool]) -> None:
        self.description, self.holds = description, holds

    def __call__(self, run: SampleRun) -> bool:
        return self.holds(run)

    def __repr__(self) -> str:
        return self.description


def all_of(*checks: Check) -> Callable[[SampleRun], bool]:
    """Every check holds (substrings of stdout, or callables)."""
    return _Described(f"all of {list(checks)!r}", lambda run: all(_holds(check, run) for check in checks))


def matches(pattern: str) -> Callable[[SampleRun], bool]:
    return _Described(f"stdout matching {pattern!r}", lambda run: re.search(pattern, run.stdout) is not None)


def printed_times(text: str, times: int) -> Callable[[SampleRun], bool]:
    return _Described(f"{text!r} printed {times} times", lambda run: run.stdout.count(text) == times)


# AF's AgentRunResponse(Update).__str__ is its text, so `print(event.data)` shows words, not a repr.
streamed_text = _Described(
    "streamed updates printed as text (no 'AgentRunResponseUpdate(' repr)",
    lambda run: "AgentRunResponseUpdate(" not in run.stdout,
)
printed_something = _Described("something printed", lambda run: run.stdout.strip() != "")


_SAME_IN_BOTH_ERAS: dict[str, Check] = {
    "_start-here/step1_executors_and_edges": "DLROW OLLEH",
    "_start-here/step2_agents_in_a_workflow": all_of("reviewer: ", "Final state: WorkflowRunState.IDLE"),
    "_start-here/step3_streaming": "Workflow output (",
    "agents/custom_agent_executors": printed_something,  # main prints only outputs[-1]
    "agents/workflow_as_agent_human_in_the_loop": all_of("Agent Response:", "Workflow completed!"),
    "agents/workflow_as_agent_reflection_pattern": all_of("Agent Response:", "Workflow completed!"),
    # first session, then the session resumed from the checkpoint awaiting a human response
    "checkpoint/checkpoint_with_resume": "Resumed Event: WorkflowOutputEvent",
    "composition/sub_workflow_basics": "Processing complete!",
    "control-flow/edge_condition": "Workflow output:",
    "control-flow/multi_selection_edge_group": "Workflow output:",
    "control-flow/switch_case_edge_group": "Workflow output:",
    "control-flow/sequential_executors": "Workflow outputs: ['DLROW OLLEH']",
    "control-flow/sequential_streaming": "Workflow completed with result: DLROW OLLEH",
    "control-flow/simple_loop": all_of("Final result: ", matches(r"Guessed \d+ times\.")),
    "orchestration/concurrent_agents": all_of("===== Final Aggregated Conversation (messages) =====", "[legal]:"),
    "orchestration/concurrent_custom_agent_executors": all_of("[researcher]:", "[legal]:"),
    "orchestration/concurrent_custom_aggregator": "===== Final Consolidated Output =====",
    "orchestration/sequential_agents": all_of("===== Final Conversation =====", "[reviewer]"),
    "orchestration/sequential_custom_executors": "Summary -> users:",
    "parallelism/aggregate_results_of_different_types": matches(r"\[[\d.]+, \d+\]"),
    "parallelism/fan_out_fan_in_edges": "===== Final Aggregated Output =====",
    "parallelism/map_reduce_and_visualization": "Final Output:",
    "state-management/shared_states_with_agents": "Final result:",
    "visualization/concurrent_with_visualization": "===== Final Aggregated Output =====",
}

EXPECTED: dict[str, Check] = {
    **{f"b251007/{name}": check for name, check in _SAME_IN_BOTH_ERAS.items()},
    **{f"b251104/{name}": check for name, check in _SAME_IN_BOTH_ERAS.items()},
    # b251007 only, or different in b251007
    "b251007/checkpoint/checkpoint_with_human_in_the_loop": all_of(
        "Initial run completed with final copy:", "Pre-supply responses for this checkpoint? [y/N]: y", "Workflow completed with:"
    ),
    "b251007/agents/azure_chat_agents_streaming": all_of("===== Final output =====", streamed_text),
    "b251007/checkpoint/sub_workflow_checkpoint": all_of(
        "=== Final Draft (from resumed run) ===", "Coordinator stored final draft successfully."
    ),
    "b251007/composition/sub_workflow_parallel_requests": all_of("📈 Summary:", "External requests:"),
    "b251007/composition/sub_workflow_request_interception": "emails total",
    "b251007/human-in-the-loop/guessing_game_with_human_input": "Workflow output: Guessed correctly:",
    # b251104 only, or different in b251104
    # first session, then the session resumed from the checkpoint awaiting a human response
    "b251104/checkpoint/checkpoint_with_human_in_the_loop": printed_times("Workflow completed with:", 2),
    "b251104/agents/azure_chat_agents_streaming": all_of("reviewer_agent: ", streamed_text),
    # add_edge wraps agents with output_response=False in AF b251104, so no WorkflowOutputEvent: the
    # "Final Output" in the docstring is not printed by AF either.
    "b251104/agents/azure_chat_agents_function_bridge": all_of("final_editor_agent: ", streamed_text),
    "b251104/agents/azure_chat_agents_tool_calls_with_feedback": "Workflow complete.",
    "b251104/agents/concurrent_workflow_as_agent": all_of("===== Aggregated Messages =====", "[ConcurrentWorkflowAgent]"),
    "b251104/agents/sequential_workflow_as_agent": all_of("===== Conversation =====", "[SequentialWorkflowAgent]"),
    "b251104/checkpoint/sub_workflow_checkpoint": "=== Final Draft (from resumed run) ===",
    "b251104/composition/sub_workflow_parallel_requests": "Workflow completed with outputs:",
    "b251104/composition/sub_workflow_request_interception": "Final result for",
    "b251104/human-in-the-loop/guessing_game_with_human_input": "Workflow output: Guessed correctly!",
}

# Third-party packages a sample imports that wfkit does not depend on.
REQUIRES: dict[str, list[str]] = {
    "b251007/parallelism/map_reduce_and_visualization": ["aiofiles"],
    "b251104/parallelism/map_reduce_and_visualization": ["aiofiles"],
}


# Samples that do not run on wfkit yet, with the reason; they are not run (remove an entry once it is fixed).
@dataclass(frozen=True)
class BrokenUpstream:
    """A sample that fails in Agent Framework itself, at its own tag.

    Measured by running the unported original with `agent-framework-core` of that tag (1.0.0b251007 or
    1.0.0b251104) and a stub chat client. The port must fail for the same reason, with an error that says
    so (`error` and the `says` fragments); with `fix` applied, it must run its main path like any other.
    """

    error: str
    says: tuple[str, ...]
    in_af: str
    fix: tuple[tuple[str, str], ...]
    fix_origin: str


BROKEN_UPSTREAM: dict[str, BrokenUpstream] = {
    "b251007/agents/workflow_as_agent_human_in_the_loop": BrokenUpstream(
        # Not an era conflict after all: AF b251007 also hands the request over as the HumanReviewRequest
        # object (RequestInfoFunctionArgs.to_dict keeps `data` as it is), so the sample's Mapping check fails.
        error="ValueError",
        says=("Human review request payload must be a mapping.",),
        in_af="ValueError: Human review request payload must be a mapping.",
        fix=(
            ("request_payload_obj: Any = request.data", "request_payload_obj: Any = asdict(request.data)"),
            ("from dataclasses import dataclass", "from dataclasses import asdict, dataclass"),
        ),
        fix_origin="wfkit's smallest fix (AF replaced the sample with the b251104 one instead of fixing it)",
    ),
    "b251104/agents/workflow_as_agent_human_in_the_loop": BrokenUpstream(
        # AF only warns when the request is made and fails when the answer comes; wfkit refuses at once,
        # naming the handler to add, so the mistake shows where it was made.
        error="WorkflowFailedError",
        says=("HumanReviewRequest", "no @response_handler taking (original_request: HumanReviewRequest"),
        in_af=(
            "RuntimeError: Executor ReviewerWithHumanInTheLoop cannot handle request of type HumanReviewRequest "
            "and response of type ReviewResponse (when the answer arrives)"
        ),
        fix=(("original_request: ReviewRequest,", "original_request: HumanReviewRequest,"),),
        fix_origin="AF's own fix, commit 62626d577 (2025-12-03, 'Update agent samples')",
    ),
}


def _holds(check: Check, run: SampleRun) -> bool:
    return check in run.stdout if isinstance(check, str) else bool(check(run))


def test_every_port_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sample_ids()


@pytest.mark.parametrize("sample_id", sample_ids())
def test_af_sample_runs_its_main_path(sample_id: str, tmp_path: Path) -> None:
    for package in REQUIRES.get(sample_id, []):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{sample_id} imports {package!r}, which is not installed (pip install {package})")
    if sample_id in BROKEN_UPSTREAM:
        broken = BROKEN_UPSTREAM[sample_id]
        with pytest.raises(Exception) as failure:
            run_sample(sample_id, tmp_path)
        assert type(failure.value).__name__ == broken.error, failure.value
        for fragment in broken.says:
            assert fragment in str(failure.value), f"{fragment!r} not in: {failure.value}"
        return
    run = run_sample(sample_id, tmp_path)
    check = EXPECTED[sample_id]
    assert _holds(check, run), (
        f"{sample_id} ran, but its end did not show {check!r}.\n--- last lines of stdout ---\n{run.stdout[-3000:]}"
    )


@pytest.mark.parametrize("sample_id", sorted(BROKEN_UPSTREAM))
def test_a_sample_broken_upstream_runs_once_fixed(sample_id: str, tmp_path: Path) -> None:
    run = run_sample(sample_id, tmp_path, edits=BROKEN_UPSTREAM[sample_id].fix)
    check = EXPECTED[sample_id]
    assert _holds(check, run), f"{sample_id}, fixed, did not show {check!r}:\n{run.stdout[-3000:]}"
