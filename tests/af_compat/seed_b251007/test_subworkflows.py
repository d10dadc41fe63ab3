"""Sub-workflows in AF b251007: `WorkflowExecutor(workflow, id=...)` runs a whole workflow as one
executor; its outputs travel on its out-edges; a `RequestInfoMessage` asked inside surfaces to the
caller of the parent and the answer is routed back in; a parent executor that handles the request
type intercepts it and answers with a `RequestResponse` to the request's `source_executor_id`; and
the child's pending request survives a checkpoint of the parent."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import run
from wfkit import (
    Executor,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoEvent,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowExecutor,
    WorkflowOutputEvent,
    executor,
    handler,
)


@dataclass
class Verdict:
    title: str
    allowed: bool


@dataclass
class AgeCheck(RequestInfoMessage):
    """Asks whether a film is suitable for children."""

    title: str = ""


class Censor(Executor):
    """Inside the child: asks about each film, then yields the verdict."""

    def __init__(self) -> None:
        super().__init__(id="censor")

    @handler
    async def check(self, title: str, ctx: WorkflowContext[AgeCheck]) -> None:
        await ctx.send_message(AgeCheck(title=title), target_id="board")

    @handler
    async def decided(self, answer: RequestResponse[AgeCheck, bool], ctx: WorkflowContext[Never, Verdict]) -> None:
        await ctx.yield_output(Verdict(answer.original_request.title, answer.data))


def rating_workflow():
    censor, board = Censor(), RequestInfoExecutor(id="board")
    return WorkflowBuilder().set_start_executor(censor).add_edge(censor, board).add_edge(board, censor).build()


@executor(id="length_check")
async def length_check(title: str, ctx: WorkflowContext[Never, Verdict]) -> None:
    await ctx.yield_output(Verdict(title, len(title) < 20))


class Programme(Executor):
    """The parent's start and end: sends films into the child and yields what comes back."""

    @handler
    async def plan(self, titles: list[str], ctx: WorkflowContext[str]) -> None:
        for title in titles:
            await ctx.send_message(title)

    @handler
    async def collect(self, verdict: Verdict, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{verdict.title}: {'yes' if verdict.allowed else 'no'}")


def parent_of(child, *, storage=None):
    programme, sub = Programme(id="programme"), WorkflowExecutor(child, id="rating")
    builder = WorkflowBuilder().set_start_executor(programme).add_edge(programme, sub).add_edge(sub, programme)
    if storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage=storage)
    return builder.build()


def test_a_sub_workflows_outputs_become_messages_to_the_parent():
    child = WorkflowBuilder().set_start_executor(length_check).build()
    result = run(parent_of(child).run(["Up", "A Very Long Film About Nothing"]))
    assert sorted(result.get_outputs()) == ["A Very Long Film About Nothing: no", "Up: yes"]


def test_a_request_made_in_a_sub_workflow_surfaces_to_the_parents_caller():
    [event] = run(parent_of(rating_workflow()).run(["Jaws"])).get_request_info_events()
    assert isinstance(event, RequestInfoEvent) and isinstance(event.data, AgeCheck)
    assert event.data.title == "Jaws"


def test_the_answer_to_a_surfaced_request_is_routed_back_into_the_sub_workflow():
    workflow = parent_of(rating_workflow())
    [event] = run(workflow.run(["Jaws"])).get_request_info_events()
    assert run(workflow.send_responses({event.request_id: False})).get_outputs() == ["Jaws: no"]


class Curator(Programme):
    """A parent that answers the child's age checks itself for films it already knows."""

    known_family_films = {"Paddington", "Up"}

    @handler
    async def intercept(
        self, question: AgeCheck, ctx: WorkflowContext[RequestResponse[AgeCheck, bool] | AgeCheck]
    ) -> None:
        if question.title in self.known_family_films:
            answer = RequestResponse(data=True, original_request=question, request_id=question.request_id)
            await ctx.send_message(answer, target_id=question.source_executor_id)
        else:
            await ctx.send_message(question, target_id="outside")


def curated_workflow():
    curator = Curator(id="curator")
    sub, outside = WorkflowExecutor(rating_workflow(), id="rating"), RequestInfoExecutor(id="outside")
    return (
        WorkflowBuilder()
        .set_start_executor(curator)
        .add_edge(curator, sub)
        .add_edge(sub, curator)
        .add_edge(curator, outside)
        .add_edge(outside, sub)
        .build()
    )


def test_a_parent_that_handles_the_request_type_answers_it_without_asking_outside():
    result = run(curated_workflow().run(["Paddington"]))
    assert result.get_request_info_events() == []
    assert result.get_outputs() == ["Paddington: yes"]


def test_a_request_the_parent_forwards_is_asked_outside_and_answered_back_in():
    workflow = curated_workflow()
    result = run(workflow.run(["Up", "Alien"]))
    assert result.get_outputs() == ["Up: yes"]
    [event] = result.get_request_info_events()
    assert event.data.title == "Alien"
    assert run(workflow.send_responses({event.request_id: False})).get_outputs() == ["Alien: no"]


def test_a_sub_workflows_pending_request_survives_a_checkpoint_of_the_parent():
    storage = InMemoryCheckpointStorage()
    [asked] = run(parent_of(rating_workflow(), storage=storage).run(["Heat"])).get_request_info_events()
    [waiting] = [cp for cp in run(storage.list_checkpoints()) if cp.pending_requests]
    fresh = parent_of(rating_workflow(), storage=storage)

    async def resume():
        return [
            e async for e in fresh.run_stream_from_checkpoint(waiting.checkpoint_id, storage, responses={asked.request_id: True})
        ]

    assert [e.data for e in run(resume()) if isinstance(e, WorkflowOutputEvent)] == ["Heat: yes"]
