"""`evaluate_agent` and `evaluate_workflow`: run the agent or workflow on each query, then judge.

For an agent, each query becomes one `EvalItem`: the question and the agent's reply. For a
workflow, wfkit reads the run's events: each ``agent_run`` event is one agent's answer (the
question it was given is the ``executor_invoked`` event before it), and those items are judged
per agent, into ``sub_results``. The *overall* answer is the workflow's last output; a wfkit
workflow of agents yields no outputs unless asked (``output_from=``), so when there is none the
last agent's answer stands for the workflow's, which is what Agent Framework's default outputs give.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..agents import AgentExecutorResponse, AgentResponse, Message
from .items import EvalItem, _is_role
from .local import LocalEvaluator
from .results import EvalResults


def _as_list(value: Any) -> list[Any] | None:
    return [value] if isinstance(value, str) else (list(value) if value is not None else None)


def _evaluators(evaluators: Any) -> list[Any]:
    """Evaluators as a list; bare checks next to each other are gathered into one `LocalEvaluator`."""
    given = [evaluators] if callable(evaluators) or hasattr(evaluators, "evaluate") else list(evaluators)
    resolved: list[Any] = []
    loose_checks: list[Callable[..., Any]] = []
    for entry in given:
        if hasattr(entry, "evaluate"):
            if loose_checks:
                resolved.append(LocalEvaluator(*loose_checks))
                loose_checks = []
            resolved.append(entry)
        elif callable(entry):
            loose_checks.append(entry)
        else:
            raise TypeError(f"evaluators= takes a LocalEvaluator or check functions, not a {type(entry).__name__}.")
    if loose_checks:
        resolved.append(LocalEvaluator(*loose_checks))
    return resolved


def _item(query: str | Sequence[Message], response: AgentResponse) -> EvalItem:
    asked = [Message("user", [query])] if isinstance(query, str) else list(query)
    return EvalItem(conversation=asked + list(response.messages or []))


async def _judge(evaluators: Any, items: list[EvalItem], name: str) -> list[EvalResults]:
    resolved = _evaluators(evaluators)
    suffix = (lambda ev: f" ({ev.name})") if len(resolved) > 1 else (lambda ev: "")
    return [await ev.evaluate(items, eval_name=f"{name}{suffix(ev)}") for ev in resolved]


async def evaluate_agent(
    *,
    agent: Any,
    queries: str | Sequence[str],
    evaluators: Any,
    expected_output: str | Sequence[str] | None = None,
    eval_name: str | None = None,
    num_repetitions: int = 1,
) -> list[EvalResults]:
    """Run ``agent`` on each query and judge its replies; one `EvalResults` per evaluator.

    ``results = await evaluate_agent(agent=agent, queries=["Hi"], evaluators=keyword_check("hello"))``
    """
    query_list = _as_list(queries) or []
    expected = _as_list(expected_output)
    if expected is not None and len(expected) != len(query_list):
        raise ValueError(f"Got {len(query_list)} queries but {len(expected)} expected_output values: give one per query.")
    if num_repetitions < 1:
        raise ValueError(f"num_repetitions must be 1 or more, got {num_repetitions}.")
    items: list[EvalItem] = []
    for _ in range(num_repetitions):
        for index, query in enumerate(query_list):
            item = _item(query, await agent.run([Message("user", [query])]))
            item.expected_output = expected[index] if expected else None
            items.append(item)
    return await _judge(evaluators, items, eval_name or f"Eval: {getattr(agent, 'name', None) or 'agent'}")


def _question_of(data: Any) -> str | list[Message]:
    """What an agent executor was asked, from the message it was invoked with."""
    if isinstance(data, AgentExecutorResponse):
        # The agent before it hands on the whole conversation; the question is its user messages.
        users = [m for m in data.full_conversation if _is_role(m, "user")]
        return users or list(data.full_conversation)
    if isinstance(data, list) and all(isinstance(m, Message) for m in data):
        return data
    return data if isinstance(data, str) else str(data)


def _agent_answers(result: Any) -> list[tuple[str, EvalItem]]:
    """(executor id, item) for each agent answer in a run, read from its public events."""
    asked: dict[str, Any] = {}
    answers: list[tuple[str, EvalItem]] = []
    for event in result:
        if event.type == "executor_invoked" and event.executor_id:
            asked[event.executor_id] = event.data
        elif event.type == "agent_run" and isinstance(event.data, AgentResponse) and event.executor_id in asked:
            answers.append((event.executor_id, _item(_question_of(asked[event.executor_id]), event.data)))
    return answers


def _overall_item(query: str, result: Any, answers: list[tuple[str, EvalItem]]) -> EvalItem | None:
    outputs = result.get_outputs()
    if not outputs:
        # No outputs: the last agent's answer is the workflow's (see the module docstring).
        return _item(query, AgentResponse(messages=answers[-1][1].conversation[-1:])) if answers else None
    final = outputs[-1]
    if isinstance(final, AgentResponse):
        return _item(query, final)
    if isinstance(final, list) and final and isinstance(final[0], Message):
        text = " ".join(m.text for m in final if _is_role(m, "assistant"))
        return _item(query, AgentResponse(messages=[Message("assistant", [text])]))
    return _item(query, AgentResponse(messages=[Message("assistant", [str(final)])]))


async def evaluate_workflow(
    *,
    workflow: Any,
    queries: str | Sequence[str],
    evaluators: Any,
    expected_output: str | Sequence[str] | None = None,
    eval_name: str | None = None,
    include_overall: bool = True,
    include_per_agent: bool = True,
    num_repetitions: int = 1,
) -> list[EvalResults]:
    """Run ``workflow`` on each query; judge its overall answer and, per agent, each agent's answers.

    ``for r in await evaluate_workflow(workflow=wf, queries=["..."], evaluators=local):``
    ``print(r.passed, {name: sub.passed for name, sub in r.sub_results.items()})``
    """
    query_list = _as_list(queries) or []
    expected = _as_list(expected_output)
    if expected is not None and len(expected) != len(query_list):
        raise ValueError(f"Got {len(query_list)} queries but {len(expected)} expected_output values: give one per query.")
    if num_repetitions < 1:
        raise ValueError(f"num_repetitions must be 1 or more, got {num_repetitions}.")
    per_agent: dict[str, list[EvalItem]] = {}
    overall: list[EvalItem] = []
    for _ in range(num_repetitions):
        for index, query in enumerate(query_list):
            result = await workflow.run(query)
            answers = _agent_answers(result)
            if include_per_agent:
                for executor_id, item in answers:
                    per_agent.setdefault(executor_id, []).append(item)
            item = _overall_item(query, result, answers) if include_overall else None
            if item is not None:
                item.expected_output = expected[index] if expected else None
                overall.append(item)
    if not per_agent and not overall:
        raise ValueError(
            "evaluate_workflow found no agent answers and no outputs in the workflow's runs: give it a "
            "workflow with agents in it (Agent or AgentExecutor), or one that yields outputs."
        )
    name = eval_name or f"Workflow Eval: {type(workflow).__name__}"
    results: list[EvalResults] = []
    for ev in _evaluators(evaluators):
        suffix = f" ({ev.name})" if len(_evaluators(evaluators)) > 1 else ""
        subs = {eid: await ev.evaluate(items, eval_name=f"{name} — {eid}{suffix}") for eid, items in per_agent.items()}
        if overall:
            verdict = await ev.evaluate(overall, eval_name=f"{name} — overall{suffix}")
        else:
            verdict = EvalResults(provider=ev.name, eval_id="aggregate", run_id="aggregate", result_counts={
                "passed": sum(s.passed for s in subs.values()), "failed": sum(s.failed for s in subs.values()),
            })
        verdict.sub_results = subs
        results.append(verdict)
    return results
