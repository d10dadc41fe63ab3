"""Predict the next step: a learner's guess at what a superstep does, checked, with the reasons.

Before the run explorer shows a step, the learner says which executors will run in it (and, if
they like, on which arrows messages will wait after it). `check_prediction` compares the guess
with what the run recorded and says why each executor ran or did not, from three things:

- what the step before sent: an executor runs in the step after a message reaches it;
- the workflow's edges: a fan-out sends to every target, a condition or a switch-case chooses,
  a loop goes back until its condition holds, and a join (fan-in) delivers only once every
  source has sent, all the messages together;
- the requests answered while the run was paused: an answer makes its executor run.

    >>> verdict = check_prediction(inspector, history.steps, 1, ["mood", "topic", "length"])  # doctest: +SKIP
    >>> verdict.right                                                                        # doctest: +SKIP
    True
    >>> print(verdict.explanation)                                                           # doctest: +SKIP
    Right: step 2 ran mood, topic and length.
    mood, topic and length ran in step 2 because intake sent each of them its Ticket in step 1 (a fan-out
    edge sends every message to all its targets).

Routes ("where will messages wait?") are written ``"source -> target"``: after a step, a message
waits on the arrow it was sent along, to be delivered in the next step, as the explorer draws it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..errors import PredictionError
from .records import RUN_INPUT, Superstep, WaitingMessage, one_line

if TYPE_CHECKING:
    from ..core.edges import EdgeGroup
    from ..core.workflow import Workflow

ARROW = " -> "  # how a route is written: "mood -> summary"


@dataclass(frozen=True)
class Prediction:
    """A prediction of one superstep, and the verdict.

    - `step`: the number of the step predicted;
    - `predicted`, `ran`: the executors the learner said would run, and those that did;
    - `predicted_waiting`, `waiting`: the routes (``"a -> b"``) the learner said messages would
      wait on after the step (None: not predicted), and those they did wait on;
    - `right`: True when both guesses match what happened;
    - `reasons`: one sentence per thing that happened or did not, saying why;
    - `explanation`: the verdict's first line and the reasons, as text to print.
    """

    step: int
    predicted: tuple[str, ...]
    ran: tuple[str, ...]
    right: bool
    reasons: tuple[str, ...]
    predicted_waiting: tuple[str, ...] | None = None
    waiting: tuple[str, ...] = ()

    @property
    def headline(self) -> str:
        """The verdict in one line: ``Right: step 2 ran mood, topic and length.``"""
        ran = f"step {self.step} ran {names(self.ran)}"
        if self.right:
            return f"Right: {ran}."
        if set(self.predicted) == set(self.ran):
            return f"Right about the executors: {ran}. Not quite about where messages wait."
        return f"Not quite: {ran}, and you picked {names(self.predicted)}."

    @property
    def explanation(self) -> str:
        """The headline, then each reason on a line of its own."""
        return "\n".join((self.headline, *self.reasons))

    @property
    def missed(self) -> tuple[str, ...]:
        """Executors that ran but were not predicted."""
        return tuple(e for e in self.ran if e not in self.predicted)

    @property
    def extra(self) -> tuple[str, ...]:
        """Executors predicted that did not run."""
        return tuple(e for e in self.predicted if e not in self.ran)

    def __str__(self) -> str:
        return self.explanation

    def __repr__(self) -> str:
        verdict = "right" if self.right else "not quite"
        return f"Prediction(step {self.step}: {verdict}; picked {names(self.predicted)}; ran {names(self.ran)})"


# --- what may be predicted ----------------------------------------------------------------------


def executor_choices(workflow: Workflow) -> list[str]:
    """The executors a prediction may name: the workflow's own, in the order they were added."""
    return list(workflow.executors)


def route_choices(workflow: Workflow) -> list[str]:
    """The arrows a message can wait on, ``"source -> target"``, in the order of the edges."""
    routes: list[str] = []
    for group in workflow.edge_groups:
        for source in group.sources:
            for target in group.targets:
                route = f"{source}{ARROW}{target}"
                if route not in routes:
                    routes.append(route)
    return routes


def read_executor_ids(workflow: Workflow, chosen: Any) -> tuple[str, ...]:
    """`chosen` as executor ids, in the workflow's order: a list of ids or executors, or one id.

    An id the workflow lacks raises `PredictionError`, naming it and the ids there are."""
    choices = executor_choices(workflow)
    given = [chosen] if isinstance(chosen, str) or hasattr(chosen, "id") else _listed(chosen, "executor ids")
    ids = [item.id if hasattr(item, "id") else item for item in given]
    unknown = [i for i in ids if i not in choices]
    if unknown:
        raise PredictionError(
            f"{_unknown(unknown, choices)} not an executor of this workflow. Predict with the ids of its "
            f"executors: {_quoted(choices)} (an empty list [] means nothing runs)."
        )
    return tuple(i for i in choices if i in ids)


def read_routes(workflow: Workflow, chosen: Any) -> tuple[str, ...]:
    """`chosen` as routes ``"a -> b"``, in the workflow's order; each may be written ``"a -> b"``
    or ``("a", "b")``. A route the workflow lacks raises `PredictionError`, listing the arrows."""
    choices = route_choices(workflow)
    given = [chosen] if isinstance(chosen, str) else _listed(chosen, "the arrows where messages will wait")
    routes = [_route_text(item) for item in given]
    unknown = [r for r in routes if r not in choices]
    if unknown:
        raise PredictionError(
            f"{_unknown(unknown, choices)} not an arrow of this workflow. Write each as 'source -> target', "
            f"one of: {_quoted(choices)} (an empty list [] means no message waits)."
        )
    return tuple(r for r in choices if r in routes)


def _route_text(item: Any) -> str:
    """``"mood -> summary"`` from that text (spaced any way, or with an arrow "→") or a pair."""
    if isinstance(item, tuple) and len(item) == 2:
        return ARROW.join(str(part) for part in item)
    return ARROW.join(part.strip() for part in str(item).replace("→", "->").split("->"))


def _listed(chosen: Any, what: str) -> list[Any]:
    """`chosen` as a list, or a `PredictionError` that says what to give instead."""
    try:
        return list(chosen)
    except TypeError:
        raise PredictionError(
            f"A prediction needs a list of {what}, not {type(chosen).__name__} {chosen!r}: "
            "for example ['mood', 'topic'], or [] for none."
        ) from None


# --- checking a prediction -----------------------------------------------------------------------


def check_prediction(
    workflow: Workflow,
    steps: Sequence[Superstep],
    position: int,
    executors: Any,
    waiting: Iterable[Any] | None = None,
) -> Prediction:
    """Check a prediction of ``steps[position]`` (a `Superstep` of `workflow`'s run), made while
    the steps before it were all the learner had seen.

    `executors` are the ids (or the executors) predicted to run in it, ``[]`` for none; `waiting`
    the routes predicted to hold a message after it (``["mood -> summary"]``), or None to leave
    them out. Raises `PredictionError` for an id or route the workflow lacks.
    """
    if not 0 <= position < len(steps):
        raise PredictionError(f"There is no step at position {position}: the run has {len(steps)} step(s).")
    predicted = read_executor_ids(workflow, executors)
    predicted_waiting = read_routes(workflow, waiting) if waiting is not None else None
    step = steps[position]
    ran = tuple(step.ran)
    actual_waiting = tuple(r for r in route_choices(workflow) if r in _routes_of(step.messages))
    reasons = why_they_ran(workflow, steps, position)
    reasons += [_why_not(workflow, steps, position, executor_id) for executor_id in predicted if executor_id not in ran]
    right = set(predicted) == set(ran)
    if predicted_waiting is not None:
        reasons += _about_waiting(workflow, steps, position, predicted_waiting, actual_waiting)
        right = right and set(predicted_waiting) == set(actual_waiting)
    return Prediction(step.number, predicted, ran, right, tuple(reasons), predicted_waiting, actual_waiting)


def why_they_ran(workflow: Workflow, steps: Sequence[Superstep], position: int) -> list[str]:
    """One sentence per reason the executors of ``steps[position]`` ran: who sent them what, in
    which step, along which kind of edge (executors sent to together share a sentence)."""
    step = steps[position]
    number, before = step.number, step.number - 1
    by_sender: dict[tuple[str, str], list[WaitingMessage]] = {}  # (sender, group id) -> what it delivered
    joins: dict[str, list[WaitingMessage]] = {}  # target -> the messages its join delivered at once
    for message in step.changes.received:
        if message.source != RUN_INPUT and message.source not in workflow.executors:
            continue  # a sender the history could not name: said below, without a reason
        group = _group_between(workflow, message.source, message.target)
        if group is not None and group.kind == "fan_in":
            joins.setdefault(message.target, []).append(message)
        else:
            by_sender.setdefault((message.source, group.id if group else ""), []).append(message)
    reasons = []
    explained: set[str] = set()
    for (sender, _), messages in by_sender.items():
        targets = _unique(m.target for m in messages)
        explained.update(targets)
        if sender == RUN_INPUT:
            reasons.append(f"{names(targets)} ran first: the run's input goes to the start executor.")
            continue
        why = _kind_note(_group_between(workflow, sender, targets[0]), targets[0])
        what = messages[0].type_name
        sent = f"sent each of them its {what}" if len(targets) > 1 else f"sent it {_a(what)}"
        reasons.append(f"{names(targets)} ran in step {number} because {sender} {sent} in step {before}{why}.")
    for target, messages in joins.items():
        explained.add(target)
        reasons.append(_join_sentence(steps, position, target, [m.source for m in messages]))
    for request_id in step.changes.requests_answered:
        request = step.changes.requests.get(request_id)
        if request is not None and request.executor_id in step.ran and request.executor_id not in explained:
            explained.add(request.executor_id)
            reasons.append(
                f"{request.executor_id} ran in step {number} because a person answered its request "
                f"({one_line(request.preview, 60)}) while the run was paused: the answer is delivered like a message."
            )
    reasons += [f"{executor_id} ran in step {number}." for executor_id in step.ran if executor_id not in explained]
    return reasons


# --- the reasons -------------------------------------------------------------------------------


def _kind_note(group: EdgeGroup | None, target: str) -> str:
    """What the kind of edge a message took adds to the reason, in parentheses (or "")."""
    if group is None:
        return ""
    label = group.labels.get(target, "")
    named = f" {label}" if label and label != "condition" else ""
    if group.kind == "fan_out":
        return " (a fan-out edge sends every message to all its targets)"
    if group.kind == "multi_selection":
        return f" (its selection function{named} chose {target})"
    if group.kind == "switch_case":
        chosen = "its default" if label == "default" else f"the first case that held{named}"
        return f" (a switch-case sends each message to one target: {chosen})"
    if group.kind == "loop":
        if target == group.targets[0]:
            return " (the loop sends it back round until its condition holds)"
        return " (the loop's condition held, so the message left the loop)"
    if group.conditional:
        return f" (the edge's condition{named} let it through)"
    return ""


def _join_sentence(steps: Sequence[Superstep], position: int, target: str, sources: list[str]) -> str:
    """Why a join's target ran: every source had sent; a source that sent earlier waited."""
    number = steps[position].number
    sentence = (
        f"{target} ran once in step {number}, with one list of {len(sources)} messages: the fan-in edge "
        f"from {names(sources)} delivers only when every one of them has sent"
    )
    waited = []
    for source in sources:
        sent_at = _last_ran(steps, position, source)
        if sent_at is not None and sent_at != position - 1:
            waited.append(f"{source}'s message had waited at the join since step {steps[sent_at].number}")
    if waited:
        return sentence + "; " + "; ".join(waited) + "."
    return sentence + f", and all of them sent in step {number - 1}."


def _why_not(workflow: Workflow, steps: Sequence[Superstep], position: int, executor_id: str) -> str:
    """Why an executor the learner picked did not run in ``steps[position]``."""
    step = steps[position]
    number, before = step.number, step.number - 1
    asked = [r for r in step.pending_requests.values() if r.executor_id == executor_id]
    if asked:
        return (
            f"{executor_id} did not run in step {number}: it is waiting for a person to answer its request "
            f"({one_line(asked[0].preview, 60)}), and runs again only once someone does."
        )
    groups_in = [g for g in workflow.edge_groups if executor_id in g.targets]
    join = next((g for g in groups_in if g.kind == "fan_in"), None)
    if join is not None:
        sentence = (
            f"{executor_id} did not run in step {number}: it sits behind a join, and the fan-in edge from "
            f"{names(join.sources)} delivers only when every one of them has sent"
        )
    else:
        sentence = (
            f"{executor_id} did not run in step {number}: nothing was sent to it in step {before}, and an "
            "executor runs only in the step after a message reaches it"
        )
    senders = _unique(s for g in groups_in for s in g.sources)
    if join is not None:
        sentence += _join_progress(steps, position, executor_id, join.sources)
    sending_now = [s for s in senders if s in step.ran]
    if sending_now:
        runs, sends = ("runs", "it sends") if len(sending_now) == 1 else ("run", "they send")
        sentence += (
            f"; {names(sending_now)} {runs} in step {number}, so what {sends} reaches {executor_id} "
            f"in step {number + 1} at the earliest"
        )
    previous = steps[position - 1] if position > 0 else None
    for sender in senders if join is None else ():
        sent = [m for m in (previous.messages if previous else []) if m.source == sender]
        elsewhere = _unique(m.target for m in sent)
        if elsewhere and executor_id not in elsewhere:
            why = _choice_note(workflow, sender, executor_id, sent[0].type_name)
            sentence += f"; {sender}'s message in step {before} went to {names(elsewhere)} instead{why}"
    later = next((s.number for s in steps[position + 1 :] if executor_id in s.ran), None)
    ran_before = any(executor_id in s.ran for s in steps[:position])
    if later is not None:
        sentence += f". It runs in step {later}."
    else:
        sentence += ". It does not run again in this run." if ran_before else ". It never runs in this run."
    return sentence


def _join_progress(steps: Sequence[Superstep], position: int, target: str, sources: Sequence[str]) -> str:
    """Which sources of the join into `target` had sent before ``steps[position]`` (since the
    join last delivered) and which had not: ``"; a sent in step 1, but b has not sent yet"``."""
    delivered = _last_ran(steps, position, target)
    last = {source: _last_ran(steps, position, source) for source in sources}
    arrived = [s for s in sources if last[s] is not None and (delivered is None or last[s] > delivered)]
    if not arrived:
        return ""
    missing = [s for s in sources if s not in arrived]
    had = ", ".join(f"{s} sent in step {steps[last[s]].number}" for s in arrived)  # type: ignore[index]
    return f"; {had}, but {names(missing)} {'has' if len(missing) == 1 else 'have'} not sent yet"


def _choice_note(workflow: Workflow, sender: str, target: str, what: str) -> str:
    """Why a message from `sender` (of type `what`) could skip `target`: the edge between them
    chooses, or `target` has no handler for that type (an edge delivers only what it can take)."""
    group = _group_between(workflow, sender, target)
    if group is None:
        return ""
    if group.kind == "switch_case":
        return " (a switch-case sends each message to one target only)"
    if group.kind == "loop":
        return f" (the loop sends a message back to {group.targets[0]} until its condition holds)"
    if group.conditional:
        label = group.labels.get(target, "")
        named = "" if label in ("", "condition") else f" {label}"
        return f" (the condition{named} on the edge to {target} was false)"
    takes = workflow.executors[target].describe_inputs()
    return f" (it was {_a(what)}, and {target} takes {takes}: an edge delivers only what its target has a handler for)"


def _about_waiting(
    workflow: Workflow, steps: Sequence[Superstep], position: int, predicted: tuple[str, ...], actual: tuple[str, ...]
) -> list[str]:
    """The sentence about where messages wait after ``steps[position]``, and what was off."""
    step = steps[position]
    number = step.number
    if actual:
        said = f"After step {number}, messages wait on {names(actual)}, to be delivered in step {number + 1}."
        for join in (g for g in workflow.edge_groups if g.kind == "fan_in"):
            if any(route.endswith(ARROW + join.targets[0]) for route in actual):
                said += f" The join hands them to {join.targets[0]} together, as one list."
    elif step.pending_requests:
        said = f"No message waits after step {number}: the run pauses until a person answers."
    elif position == len(steps) - 1:
        said = f"No message waits after step {number}: nothing was sent in it, so nothing runs next and the run ends."
    else:
        said = f"No message waits after step {number}: nothing was sent in it."
    if set(predicted) == set(actual):
        return [f"Right about the messages. {said}"]
    wrong = [r for r in predicted if r not in actual]
    missing = [r for r in actual if r not in predicted]
    if wrong:
        said += f" Nothing was sent along {names(wrong)} in step {number}."
    if missing:
        said += f" You left out {names(missing)}."
    return [said]


# --- small helpers -----------------------------------------------------------------------------


def _group_between(workflow: Workflow, source: str, target: str) -> EdgeGroup | None:
    """The edge group that carries messages from `source` to `target` (the first, if several)."""
    return next((g for g in workflow.edge_groups if source in g.sources and target in g.targets), None)


def _routes_of(messages: Iterable[WaitingMessage]) -> set[str]:
    return {f"{m.source}{ARROW}{m.target}" for m in messages}


def _last_ran(steps: Sequence[Superstep], position: int, executor_id: str) -> int | None:
    """Where in `steps` is the last step before ``steps[position]`` in which `executor_id` ran."""
    return next((i for i in range(position - 1, -1, -1) if executor_id in steps[i].ran), None)


def _a(noun: str) -> str:
    """``"an int"``, ``"a Ticket"``."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def names(ids: Sequence[str]) -> str:
    """``"mood, topic and length"``; ``"nothing"`` for none."""
    ids = list(ids)
    if not ids:
        return "nothing"
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def _quoted(ids: Sequence[str]) -> str:
    return ", ".join(repr(i) for i in ids)


def _unknown(unknown: list[str], choices: list[str]) -> str:
    """``"'sumary' (did you mean 'summary'?) is"`` for the ids a prediction got wrong."""
    parts = []
    for item in unknown:
        close = difflib.get_close_matches(str(item), choices, n=1)
        parts.append(f"{item!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return ", ".join(parts) + (" is" if len(unknown) == 1 else " are")
