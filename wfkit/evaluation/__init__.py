"""Local evaluation: check what an agent, or each agent in a workflow, answered.

Agent Framework 1.x's names, judged here in this process (its Foundry evaluators, which send the
answers to a cloud service, are not in wfkit). Read in this order: `items.py` (what is judged),
`checks.py` (how one check judges), `local.py` (running checks over items), `results.py` (the
counts), `runs.py` (running an agent or a workflow and collecting its answers).
"""

from ..errors import EvalNotPassedError, EvaluatorSignatureError
from .checks import CheckResult, EvalCheck, evaluator, keyword_check, tool_called_check
from .items import EvalItem
from .local import LocalEvaluator
from .results import EvalItemResult, EvalResults, EvalScoreResult
from .runs import evaluate_agent, evaluate_workflow

__all__ = [
    "CheckResult", "EvalCheck", "EvalItem", "EvalItemResult", "EvalNotPassedError", "EvalResults",
    "EvalScoreResult", "EvaluatorSignatureError", "LocalEvaluator", "evaluate_agent", "evaluate_workflow",
    "evaluator", "keyword_check", "tool_called_check",
]
