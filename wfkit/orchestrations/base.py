"""What the Sequential and Concurrent builders share: their participants, given in one of two
spellings, checkpointing, which agents a person reviews, and whose answers are outputs.

The two spellings are the two eras of Agent Framework that learners meet:

    SequentialBuilder(participants=[writer, editor])      # today's AF (1.x)
    SequentialBuilder().participants([writer, editor])    # the late-2025 previews

They build nearly the same graph but differ in what the workflow outputs (see each builder),
so a builder remembers which spelling gave it its participants. Mixing the two on one builder is
refused with a message that says which spelling to keep: code in today's spelling should run
on real Agent Framework with only the imports changed.

Today's spelling also chooses which participants' answers the workflow shows, as AF 1.x does:
``output_from=[writer]`` (or ``"all"``) makes their answers outputs, and
``intermediate_output_from=[...]`` (or ``"all_other"``) makes them steps on the way
(``"intermediate"`` events). Without them each builder has its own default output (the last
answer; the aggregated answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any, Self

from ..agents.executor import AgentExecutor
from ..core.builder import WorkflowBuilder, as_executor
from ..core.executor import Executor
from ..core.workflow import Workflow
from ..errors import WorkflowValidationError
from .request_info import check_reviewed_ids, reviewed_ids

# Participants as `output_from=` names them: by name, as the agent, or as the executor.
ParticipantRef = str | Any
NOT_GIVEN: Any = object()  # output_from's default: a list, "all" or None all mean something


class Spelling(Enum):
    """How a builder was given its participants, and so which era's outputs it produces."""

    TODAY = "today"  # constructor arguments: Builder(participants=[...]), AF 1.x
    LATE_2025 = "late-2025"  # fluent methods: Builder().participants([...]), the previews


class OrchestrationBuilder:
    """The base of `SequentialBuilder`, `ConcurrentBuilder`, `GroupChatBuilder` and
    `MagenticBuilder`; not used on its own. Each of them repeats the keyword arguments it shares
    with the others (``participants=``, ``checkpoint_storage=``, ``name=``, ``output_from=``...) in
    its own signature, as Agent Framework's do, so a reader and an editor see them all there."""

    def __init__(
        self,
        *,
        participants: Sequence[Any] | None = None,
        checkpoint_storage: Any = None,
        name: str | None = None,
        output_from: Sequence[ParticipantRef] | str | None = NOT_GIVEN,
        intermediate_output_from: Sequence[ParticipantRef] | str | None = None,
    ) -> None:
        self._participants: list[Any] = []
        self._spelling: Spelling | None = None
        self._checkpoint_storage = checkpoint_storage
        self._name = name
        self._reviewed: set[str] | None = None  # None: no reviews; empty: every agent
        self._output_from = _checked_selection("output_from", output_from, allowed=("all",))
        self._intermediate_output_from = _checked_selection(
            "intermediate_output_from", intermediate_output_from, allowed=("all", "all_other")
        )
        if participants is not None:
            self._participants = self._checked(participants)
            self._spelling = Spelling.TODAY
        elif checkpoint_storage is not None or name is not None or self.chooses_outputs:
            self._spelling = Spelling.TODAY  # the constructor's other arguments are today's spelling too

    # --- the late-2025 spelling ---------------------------------------------------------------

    def participants(self, participants: Sequence[Any]) -> Self:
        """The agents (or executors) taking part, in the late-2025 spelling. Today's AF takes
        them in the constructor instead: ``SequentialBuilder(participants=[...])``."""
        if self._spelling is Spelling.TODAY:
            if self._participants:
                given = "participants"
            elif self._checkpoint_storage is not None or self._name is not None:
                given = "checkpoint_storage/name"
            else:
                given = "today's output options (output_from=, ...)"
            raise WorkflowValidationError(
                f"{self._kind()}(...) was already given {given} in its constructor (today's spelling), so "
                f".participants([...]) (the late-2025 spelling) cannot add to it. Use one spelling: "
                f"{self._kind()}(participants=[...], checkpoint_storage=...) or "
                f"{self._kind()}().participants([...]).with_checkpointing(...)."
            )
        self._participants = self._checked(participants)
        self._spelling = Spelling.LATE_2025
        return self

    def with_checkpointing(self, checkpoint_storage: Any) -> Self:
        """Save a checkpoint to `checkpoint_storage` after every superstep (the late-2025 spelling;
        today's AF takes ``checkpoint_storage=`` in the constructor)."""
        if self._spelling is Spelling.TODAY:
            raise WorkflowValidationError(
                f"{self._kind()}.with_checkpointing(...) is the late-2025 spelling; this builder was made in "
                f"today's ({self._kind()}(participants=[...])), where the storage goes in the constructor: "
                f"{self._kind()}(participants=[...], checkpoint_storage=storage)."
            )
        self._checkpoint_storage = checkpoint_storage
        return self

    # --- both spellings -----------------------------------------------------------------------

    def with_request_info(self, *, agents: Sequence[Any] | None = None) -> Self:
        """Pause after each agent's answer for a person to approve it or give feedback
        (answer with an `AgentRequestInfoResponse`). `agents` (agents or their names) limits
        this to some of them; by default every agent participant is reviewed."""
        self._reviewed = reviewed_ids(agents)
        return self

    def build(self) -> Workflow:
        """The workflow."""
        return self.builder().build()

    def builder(self) -> WorkflowBuilder:  # pragma: no cover - each builder draws its own shape
        raise NotImplementedError

    # --- for the subclasses -------------------------------------------------------------------

    @property
    def today(self) -> bool:
        """True when built in today's spelling (its outputs are today's AF's)."""
        return self._spelling is Spelling.TODAY

    @property
    def chooses_outputs(self) -> bool:
        """True when ``output_from=`` or ``intermediate_output_from=`` was given."""
        return self._output_from is not NOT_GIVEN or self._intermediate_output_from is not None

    def _shown_outputs(
        self, executors: list[Executor], default: list[Executor], always: list[Executor]
    ) -> tuple[list[str], list[str]]:
        """(ids whose yields are outputs, ids whose yields are intermediate), as AF 1.x decides:
        the participants named, else `default` less those named intermediate; `always` (an
        aggregator) is an output in any case."""
        by_id = {executor.id: executor for executor in executors}
        chosen = None if self._output_from is NOT_GIVEN else self._output_from
        on_the_way = self._intermediate_output_from
        if chosen is not None and not chosen and not on_the_way:
            raise WorkflowValidationError(
                f"{self._kind()}(output_from=[]) shows no answer at all. Name the participants whose answers are "
                "outputs, or leave output_from out for the default."
            )
        if chosen == "all":
            outputs = list(by_id)
        elif chosen is not None:
            outputs = self._participant_ids(chosen, "output_from", by_id)
        elif on_the_way in ("all", "all_other"):
            outputs = []
        else:
            named = self._participant_ids(on_the_way or [], "intermediate_output_from", by_id)
            outputs = [executor.id for executor in default if executor.id not in named]
        if on_the_way == "all":
            intermediate = list(by_id)
        elif on_the_way == "all_other":
            intermediate = [eid for eid in by_id if eid not in outputs]
        else:
            intermediate = self._participant_ids(on_the_way or [], "intermediate_output_from", by_id)
        both = sorted(set(outputs) & set(intermediate))
        if both:
            raise WorkflowValidationError(
                f"{self._kind()}: {both} are named both in output_from and in intermediate_output_from. A "
                "participant's answers are either outputs or steps on the way: name it in one of them."
            )
        return [*(executor.id for executor in always), *outputs], intermediate

    def _participant_ids(self, refs: Sequence[ParticipantRef], what: str, by_id: dict[str, Executor]) -> list[str]:
        ids = []
        for ref in refs:
            if isinstance(ref, str):
                ids.append(ref)
            elif isinstance(ref, Executor):
                ids.append(ref.id)
            else:
                ids.append(getattr(ref, "name", None) or getattr(ref, "id", None) or repr(ref))
        unknown = [eid for eid in ids if eid not in by_id]
        if unknown:
            raise WorkflowValidationError(
                f"{self._kind()}({what}=...) names {unknown}, which are not participants. The participants are "
                f"{sorted(by_id)}: name them by name, or pass the agents or executors themselves."
            )
        if len(set(ids)) != len(ids):
            raise WorkflowValidationError(f"{self._kind()}({what}=...) names a participant twice: {ids}.")
        return ids

    def _kind(self) -> str:
        return type(self).__name__

    def _checked(self, participants: Sequence[Any]) -> list[Any]:
        if isinstance(participants, (str, bytes)) or not isinstance(participants, Sequence):
            raise WorkflowValidationError(
                f"{self._kind()} takes its participants as a list: participants=[writer, editor]; "
                f"got {participants!r}."
            )
        if not participants:
            raise WorkflowValidationError(f"{self._kind()} needs at least one participant (an agent or an executor).")
        return list(participants)

    def _executors(self) -> list[Executor]:
        """The participants as executors, in order: agents wrapped in an `AgentExecutor`,
        executors as they are."""
        if not self._participants:
            raise WorkflowValidationError(
                f"{self._kind()} has no participants. Pass them to the constructor: "
                f"{self._kind()}(participants=[writer, editor]) (or, in the late-2025 spelling, "
                f"{self._kind()}().participants([writer, editor]))."
            )
        executors = [as_executor(item) for item in self._participants]
        ids = [executor.id for executor in executors]
        if len(set(ids)) != len(ids):
            raise WorkflowValidationError(
                f"{self._kind()}'s participants need different names (ids); got {ids}. Give each agent its own name."
            )
        return executors

    def _reviewed_ids(self, executors: list[Executor]) -> set[str]:
        """The ids of the participants a person reviews (see `with_request_info`): only agents,
        as in AF; an executor participant asks for input itself."""
        if self._reviewed is None:
            return set()
        agent_ids = [
            executor.id
            for executor, item in zip(executors, self._participants)
            if isinstance(executor, AgentExecutor) and not isinstance(item, Executor)
        ]
        check_reviewed_ids(self._reviewed, agent_ids, self._kind())
        return self._reviewed or set(agent_ids)  # none named: every agent

    def _workflow_builder(
        self, default_name: str, shown: tuple[list[str], list[str]] | None = None
    ) -> WorkflowBuilder:
        outputs, intermediate = shown if shown is not None else (None, None)
        builder = WorkflowBuilder(
            name=self._name or default_name, output_from=outputs, intermediate_output_from=intermediate or None
        )
        if self._checkpoint_storage is not None:
            builder.with_checkpointing(self._checkpoint_storage)
        return builder


def _checked_selection(what: str, value: Any, *, allowed: tuple[str, ...]) -> Any:
    """`output_from=` / `intermediate_output_from=` as given, refused if it is a word that means nothing."""
    if value is NOT_GIVEN or value is None:
        return value
    if isinstance(value, str):
        if value not in allowed:
            raise WorkflowValidationError(
                f"{what}={value!r}: give a list of participants (names, agents or executors), or "
                f"{' or '.join(repr(word) for word in allowed)}."
            )
        return value
    return list(value)
