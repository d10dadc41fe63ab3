"""What happens to a sub-workflow's requests on their way through the parent.

A child's request is offered to the parent first: a parent executor may answer it
(`SubWorkflowRequestMessage` and ``request.create_response``, or a `RequestInfoMessage` answered
with a `RequestResponse`), ask the caller in its own name, or leave it to surface from the
`WorkflowExecutor`. Each section below builds one small example workflow:

- a plant nursery whose shipping check asks whether a region is open;
- a conference planner that asks for rooms and meals all at once;
- a meeting scheduler whose parent polls the team itself, across a restart;
- a library branch that answers shelf checks from its own stock;
- a glossary that runs several translations through one `WorkflowExecutor` at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import run
from tests.core.composed_workflows import Sink, Submitter
from wfkit import (
    Executor,
    FileCheckpointStorage,
    Never,
    RequestInfoEvent,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    SubWorkflowRequestMessage,
    SubWorkflowResponseMessage,
    Workflow,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowExecutor,
    WorkflowRunState,
    executor,
    handler,
    response_handler,
)


async def keep_until_answered(ctx: WorkflowContext, key: str, value: Any) -> None:
    """Put `value` in the executor's state, where a checkpoint saves it, until its answer comes."""
    kept = await ctx.get_executor_state() or {}
    await ctx.set_executor_state({**kept, key: value})


async def take_kept(ctx: WorkflowContext, key: str) -> Any:
    """Take back (and forget) what `keep_until_answered` kept under `key`."""
    kept = dict(await ctx.get_executor_state() or {})
    value = kept.pop(key)
    await ctx.set_executor_state(kept)
    return value


# --- a plant nursery: the parent answers with request.create_response ---------------------------


@dataclass
class PlantOrder:
    customer: str
    plant: str
    region: str


@dataclass
class ShippingVerdict:
    order: PlantOrder
    ships: bool
    reason: str


class Stockroom(Executor):
    """Turns down plants the nursery does not grow, without asking anyone."""

    grown_here = {"fern", "cactus", "olive tree"}

    @handler
    async def look_up(self, order: PlantOrder, ctx: WorkflowContext[PlantOrder, ShippingVerdict]) -> None:
        if order.plant in self.grown_here:
            await ctx.send_message(order)
        else:
            await ctx.yield_output(ShippingVerdict(order, False, "not grown here"))


class RegionCheck(Executor):
    """Asks whether the order's region is open for shipping: a plain string question, a bool answer."""

    @handler
    async def ask(self, order: PlantOrder, ctx: WorkflowContext) -> None:
        await keep_until_answered(ctx, order.region, order)
        await ctx.request_info(order.region, response_type=bool)

    @response_handler
    async def answered(self, region: str, is_open: bool, ctx: WorkflowContext[Never, ShippingVerdict]) -> None:
        order = await take_kept(ctx, region)
        await ctx.yield_output(ShippingVerdict(order, is_open, "region open" if is_open else "region closed"))


def shipping_check() -> WorkflowExecutor:
    child = (
        WorkflowBuilder()
        .add_edge(Stockroom("stockroom"), RegionCheck("region_check"))
        .set_start_executor("stockroom")
        .build()
    )
    return WorkflowExecutor(child, id="shipping")


class OrderDesk(Executor):
    """Sends each order through the shipping check, answers its region questions from a list of
    open regions, and reports the verdict."""

    def __init__(self, id: str, open_regions: set[str]) -> None:
        super().__init__(id)
        self.open_regions = open_regions
        self.questions: list[SubWorkflowRequestMessage] = []

    @handler
    async def take_order(self, order: PlantOrder, ctx: WorkflowContext[PlantOrder]) -> None:
        await ctx.send_message(order)

    @handler
    async def answer_region(
        self, request: SubWorkflowRequestMessage, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        self.questions.append(request)
        is_open = request.source_event.data in self.open_regions
        await ctx.send_message(request.create_response(is_open), target_id=request.executor_id)

    @handler
    async def report(self, verdict: ShippingVerdict, ctx: WorkflowContext[Never, str]) -> None:
        outcome = "ships" if verdict.ships else f"held ({verdict.reason})"
        await ctx.yield_output(f"{verdict.order.customer}: {verdict.order.plant} {outcome}")


def nursery() -> tuple[Workflow, OrderDesk]:
    desk = OrderDesk("desk", open_regions={"north", "coast"})
    workflow = (
        WorkflowBuilder().add_edge(desk, shipping_check()).add_edge("shipping", "desk").set_start_executor(desk).build()
    )
    return workflow, desk


def test_a_parent_answers_the_childs_question_with_create_response_and_nothing_surfaces():
    workflow, desk = nursery()
    orders = [
        PlantOrder("Ada", "fern", "north"),
        PlantOrder("Ben", "orchid", "north"),
        PlantOrder("Cy", "cactus", "islands"),
        PlantOrder("Dee", "olive tree", "coast"),
    ]
    reports = []
    for order in orders:  # one workflow, run once per order
        result = run(workflow.run(order))
        assert result.get_request_info_events() == []
        assert result.get_final_state() is WorkflowRunState.IDLE
        reports += result.get_outputs()
    assert reports == [
        "Ada: fern ships",
        "Ben: orchid held (not grown here)",
        "Cy: cactus held (region closed)",
        "Dee: olive tree ships",
    ]
    assert [q.source_event.data for q in desk.questions] == ["north", "islands", "coast"]


def test_an_intercepted_request_says_which_sub_workflow_waits_and_which_child_executor_asked():
    workflow, desk = nursery()
    run(workflow.run(PlantOrder("Ada", "fern", "north")))
    [question] = desk.questions
    assert question.executor_id == "shipping"
    assert isinstance(question.source_event, RequestInfoEvent)
    assert question.source_event.source_executor_id == "region_check"
    assert question.source_event.data == "north"
    assert question.source_event.response_type is bool


def test_create_response_refuses_an_answer_of_another_type_than_the_child_expects():
    workflow, desk = nursery()
    run(workflow.run(PlantOrder("Ada", "fern", "north")))
    [question] = desk.questions
    with pytest.raises(TypeError, match="bool"):
        question.create_response("open")
    answer = question.create_response(False)
    assert isinstance(answer, SubWorkflowResponseMessage)
    assert answer.data is False
    assert answer.source_event is question.source_event


def test_a_question_no_parent_executor_takes_surfaces_from_the_sub_workflow():
    @executor(id="counter")
    async def counter(order: PlantOrder, ctx: WorkflowContext[PlantOrder]) -> None:
        await ctx.send_message(order)

    workflow = WorkflowBuilder().add_edge(counter, shipping_check()).set_start_executor(counter).build()
    order = PlantOrder("Ada", "fern", "north")
    [asked] = run(workflow.run(order)).get_request_info_events()
    assert asked.source_executor_id == "shipping" and asked.data == "north"
    done = run(workflow.send_responses({asked.request_id: True}))
    assert done.get_outputs() == [ShippingVerdict(order, True, "region open")]  # a last node yields
    assert done.get_final_state() is WorkflowRunState.IDLE


# --- a conference planner: many requests at once, some answered inside, some outside -------------


@dataclass
class ConferencePlan:
    name: str
    rooms: dict[str, int]  # room -> seats wanted
    meals: dict[str, int]  # dish -> portions


@dataclass
class RoomBooking:
    plan: str
    room: str
    seats: int

    @property
    def key(self) -> str:
        return f"{self.plan}/{self.room}"


@dataclass
class RoomAnswer:
    room: str
    booked: bool
    by: str


@dataclass
class MealOrder:
    plan: str
    dish: str
    portions: int

    @property
    def key(self) -> str:
        return f"{self.plan}/{self.dish}"


@dataclass
class MealAnswer:
    dish: str
    portions: int
    by: str


@dataclass
class PlanReady:
    plan: str
    answers: list[str]


class Planner(Executor):
    """Asks for every room and meal of a plan at once; reports the plan when the last answer is in.

    Its tally lives in executor state, so each execution of the child keeps its own."""

    @handler
    async def ask_for_everything(self, plan: ConferencePlan, ctx: WorkflowContext) -> None:
        await ctx.set_executor_state({"plan": plan.name, "expected": len(plan.rooms) + len(plan.meals), "answers": []})
        for room, seats in plan.rooms.items():
            await ctx.request_info(RoomBooking(plan.name, room, seats), response_type=RoomAnswer)
        for dish, portions in plan.meals.items():
            await ctx.request_info(MealOrder(plan.name, dish, portions), response_type=MealAnswer)

    @response_handler
    async def room_answered(
        self, booking: RoomBooking, answer: RoomAnswer, ctx: WorkflowContext[Never, PlanReady]
    ) -> None:
        await self.tally(f"{answer.room} {'booked' if answer.booked else 'refused'} by {answer.by}", ctx)

    @response_handler
    async def meal_answered(self, order: MealOrder, answer: MealAnswer, ctx: WorkflowContext[Never, PlanReady]) -> None:
        await self.tally(f"{answer.portions} {answer.dish} from {answer.by}", ctx)

    async def tally(self, line: str, ctx: WorkflowContext[Never, PlanReady]) -> None:
        so_far = await ctx.get_executor_state()
        answers = so_far["answers"] + [line]
        await ctx.set_executor_state({**so_far, "answers": answers})
        if len(answers) == so_far["expected"]:
            await ctx.yield_output(PlanReady(so_far["plan"], sorted(answers)))


class Supplier(Executor):
    """A parent executor that answers the child's requests of one type (`supplies`) when it can,
    and asks the caller for the rest. Every wrapped request reaches every supplier: each leaves
    the other types alone."""

    supplies: type

    def answer_inside(self, asked: Any) -> Any | None:
        """This supplier's own answer to `asked`, or None to ask the caller."""
        raise NotImplementedError

    @handler
    async def offer(self, request: SubWorkflowRequestMessage, ctx: WorkflowContext[SubWorkflowResponseMessage]) -> None:
        asked = request.source_event.data
        if not isinstance(asked, self.supplies):
            return
        answer = self.answer_inside(asked)
        if answer is not None:
            await ctx.send_message(request.create_response(answer))
        else:
            await keep_until_answered(ctx, asked.key, request.source_event)
            await ctx.request_info(asked, response_type=request.source_event.response_type)

    @response_handler
    async def caller_answered(self, asked: Any, answer: Any, ctx: WorkflowContext[SubWorkflowResponseMessage]) -> None:
        # Only the child's request event was kept, so the answer message is built by hand.
        source_event = await take_kept(ctx, asked.key)
        await ctx.send_message(SubWorkflowResponseMessage(data=answer, source_event=source_event))


class Venue(Supplier):
    """Books its own rooms (if the seats fit); the caller finds any other room."""

    supplies = RoomBooking

    def __init__(self, id: str, seats_by_room: dict[str, int]) -> None:
        super().__init__(id)
        self.seats_by_room = seats_by_room

    def answer_inside(self, booking: RoomBooking) -> RoomAnswer | None:
        if booking.room not in self.seats_by_room:
            return None
        return RoomAnswer(booking.room, booking.seats <= self.seats_by_room[booking.room], self.id)


class Caterer(Supplier):
    """Cooks the dishes on its menu; the caller finds any other dish."""

    supplies = MealOrder

    def __init__(self, id: str, menu: set[str]) -> None:
        super().__init__(id)
        self.menu = menu

    def answer_inside(self, order: MealOrder) -> MealAnswer | None:
        return MealAnswer(order.dish, order.portions, self.id) if order.dish in self.menu else None


def conference(several_plans: bool = False) -> Workflow:
    """The planning sub-workflow with a venue and a caterer on its requests. Its outputs are the
    parent's (``allow_direct_output``): its out-edges lead only to those two."""
    child = WorkflowBuilder().set_start_executor(Planner("planner")).build()
    planning = WorkflowExecutor(child, id="planning", allow_direct_output=True)
    builder = (
        WorkflowBuilder()
        .add_edge(planning, Venue("venue", {"hall": 200, "studio": 30}))
        .add_edge("venue", planning)
        .add_edge(planning, Caterer("caterer", menu={"soup", "coffee"}))
        .add_edge("caterer", planning)
    )
    if not several_plans:
        return builder.set_start_executor(planning).build()

    @executor(id="organiser")
    async def organiser(plans: list[ConferencePlan], ctx: WorkflowContext[ConferencePlan]) -> None:
        for plan in plans:
            await ctx.send_message(plan)

    return builder.add_edge(organiser, planning).set_start_executor(organiser).build()


def test_many_requests_at_once_some_answered_inside_the_parent_and_some_by_the_caller():
    workflow = conference()
    plan = ConferencePlan(
        "summit", rooms={"hall": 120, "studio": 40, "rooftop": 60}, meals={"soup": 120, "coffee": 200, "vegan curry": 15}
    )
    first = run(workflow.run(plan))
    asked = first.get_request_info_events()
    assert sorted((a.source_executor_id, type(a.data).__name__) for a in asked) == [
        ("caterer", "MealOrder"),
        ("venue", "RoomBooking"),
    ]
    assert first.get_outputs() == []  # four of six answered, the plan waits for the rest
    answers = {
        a.request_id: (
            RoomAnswer("rooftop", True, "partner hotel")
            if isinstance(a.data, RoomBooking)
            else MealAnswer("vegan curry", 15, "deli")
        )
        for a in asked
    }
    done = run(workflow.send_responses(answers))
    assert done.get_outputs() == [
        PlanReady("summit", ["120 soup from caterer", "15 vegan curry from deli", "200 coffee from caterer",
                             "hall booked by venue", "rooftop booked by partner hotel", "studio refused by venue"])
    ]
    assert done.get_final_state() is WorkflowRunState.IDLE


def test_answers_from_inside_and_outside_reach_the_execution_that_asked():
    workflow = conference(several_plans=True)
    plans = [
        ConferencePlan("summit", rooms={"hall": 150, "rooftop": 60}, meals={"soup": 150}),
        ConferencePlan("retreat", rooms={"studio": 12}, meals={"coffee": 12, "picnic": 12}),
    ]
    outside = run(workflow.run(plans)).get_request_info_events()
    assert len(outside) == 2
    asked = {type(a.data).__name__: a for a in outside}
    assert (asked["RoomBooking"].data.plan, asked["MealOrder"].data.plan) == ("summit", "retreat")

    retreat = run(workflow.send_responses({asked["MealOrder"].request_id: MealAnswer("picnic", 12, "farm shop")}))
    assert retreat.get_outputs() == [
        PlanReady("retreat", ["12 coffee from caterer", "12 picnic from farm shop", "studio booked by venue"])
    ]
    assert retreat.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS

    rooftop = RoomAnswer("rooftop", False, "partner hotel")
    summit = run(workflow.send_responses({asked["RoomBooking"].request_id: rooftop}))
    assert summit.get_outputs() == [
        PlanReady("summit", ["150 soup from caterer", "hall booked by venue", "rooftop refused by partner hotel"])
    ]
    assert summit.get_final_state() is WorkflowRunState.IDLE


# --- a meeting scheduler: the parent asks the caller itself, across a restart --------------------


@dataclass
class DayProposal:
    team: str
    day: str
    attempt: int


@dataclass
class TeamPoll:
    """The parent's own question to the caller; it names the child's request it will answer."""

    team: str
    day: str
    child_request_id: str


@dataclass
class MeetingBooked:
    team: str
    day: str
    attempts: int


WORKING_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


class DayPicker(Executor):
    """Proposes one working day after another until the team accepts one."""

    @handler
    async def first_proposal(self, team: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(DayProposal(team, WORKING_DAYS[0], attempt=1), response_type=bool)

    @response_handler
    async def answered(self, proposal: DayProposal, accepted: bool, ctx: WorkflowContext[Never, MeetingBooked]) -> None:
        if accepted:
            await ctx.yield_output(MeetingBooked(proposal.team, proposal.day, proposal.attempt))
        else:
            following = DayProposal(proposal.team, WORKING_DAYS[proposal.attempt], proposal.attempt + 1)
            await ctx.request_info(following, response_type=bool)


class Secretary(Executor):
    """Starts the scheduling and polls the team about each proposed day, in its own name."""

    @handler
    async def schedule(self, team: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(team)

    @handler
    async def poll_team(self, request: SubWorkflowRequestMessage, ctx: WorkflowContext) -> None:
        proposal, child_request_id = request.source_event.data, request.source_event.request_id
        await keep_until_answered(ctx, child_request_id, request)
        await ctx.request_info(TeamPoll(proposal.team, proposal.day, child_request_id), response_type=bool)

    @response_handler
    async def team_answered(
        self, poll: TeamPoll, can_meet: bool, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        request = await take_kept(ctx, poll.child_request_id)
        await ctx.send_message(request.create_response(can_meet))

    @handler
    async def booked(self, meeting: MeetingBooked, ctx: WorkflowContext[Never, MeetingBooked]) -> None:
        await ctx.yield_output(meeting)


def scheduler(storage: FileCheckpointStorage) -> Workflow:
    child = WorkflowBuilder().set_start_executor(DayPicker("day_picker")).build()
    return (
        WorkflowBuilder()
        .add_edge(Secretary("secretary"), WorkflowExecutor(child, id="scheduling"))
        .add_edge("scheduling", "secretary")
        .set_start_executor("secretary")
        .with_checkpointing(storage)
        .build()
    )


def test_a_parent_holding_the_childs_request_resumes_from_a_checkpoint_in_a_new_workflow(tmp_path):
    storage = FileCheckpointStorage(str(tmp_path))
    [poll] = run(scheduler(storage).run("design team")).get_request_info_events()
    assert poll.source_executor_id == "secretary"
    assert isinstance(poll.data, TeamPoll) and poll.data.day == "Monday"
    newest = run(storage.list_checkpoints())[-1]

    resumed = scheduler(storage)  # every executor new, as a restarted process builds them
    [same] = run(resumed.run_from_checkpoint(newest.checkpoint_id)).get_request_info_events()
    assert same.request_id == poll.request_id
    [next_poll] = run(resumed.send_responses({poll.request_id: False})).get_request_info_events()
    assert next_poll.data.day == "Tuesday"
    done = run(resumed.send_responses({next_poll.request_id: True}))
    assert done.get_outputs() == [MeetingBooked("design team", "Tuesday", attempts=2)]
    assert done.get_final_state() is WorkflowRunState.IDLE


# --- a library branch: RequestInfoMessage requests answered with RequestResponse ----------------


@dataclass
class ShelfCheck(RequestInfoMessage):
    title: str = ""


@dataclass
class HoldResult:
    title: str
    on_shelf: bool


class HoldDesk(Executor):
    """Asks, through the child's RequestInfoExecutor, whether a title is on a shelf."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.checks_sent: list[ShelfCheck] = []

    @handler
    async def check(self, title: str, ctx: WorkflowContext[ShelfCheck]) -> None:
        check = ShelfCheck(title=title)
        self.checks_sent.append(check)
        await ctx.send_message(check)

    @handler
    async def checked(self, answer: RequestResponse[ShelfCheck, bool], ctx: WorkflowContext[Never, HoldResult]) -> None:
        await ctx.yield_output(HoldResult(answer.original_request.title, answer.data))


class LibraryBranch(Executor):
    """Places a hold for each title; answers shelf checks for its own stock, and passes the others
    to the interlibrary desk (the parent's RequestInfoExecutor)."""

    def __init__(self, id: str, stock: set[str]) -> None:
        super().__init__(id)
        self.stock = stock
        self.checks_seen: list[ShelfCheck] = []

    @handler
    async def place_holds(self, titles: list[str], ctx: WorkflowContext[str]) -> None:
        for title in titles:
            await ctx.send_message(title, target_id="holds")

    @handler
    async def shelf_check(
        self, check: ShelfCheck, ctx: WorkflowContext[RequestResponse[ShelfCheck, bool] | ShelfCheck]
    ) -> None:
        self.checks_seen.append(check)
        if check.title in self.stock:
            await ctx.send_message(RequestResponse(True, check, check.request_id), target_id=check.source_executor_id)
        else:
            await ctx.send_message(check, target_id="interlibrary")

    @handler
    async def hold_placed(self, result: HoldResult, ctx: WorkflowContext[Never, HoldResult]) -> None:
        await ctx.yield_output(result)


def library() -> tuple[Workflow, LibraryBranch, HoldDesk]:
    hold_desk = HoldDesk("hold_desk")
    child = (
        WorkflowBuilder()
        .add_edge(hold_desk, RequestInfoExecutor("shelf_question"))
        .add_edge("shelf_question", "hold_desk")
        .set_start_executor(hold_desk)
        .build()
    )
    branch = LibraryBranch("branch", stock={"Dune", "Emma"})
    workflow = (
        WorkflowBuilder()
        .add_edge(branch, WorkflowExecutor(child, id="holds"))
        .add_edge("holds", "branch")
        .add_edge("branch", RequestInfoExecutor("interlibrary"))
        .add_edge("interlibrary", "holds")
        .set_start_executor(branch)
        .build()
    )
    return workflow, branch, hold_desk


def test_an_intercepted_request_info_message_is_a_copy_that_names_the_sub_workflow():
    workflow, branch, hold_desk = library()
    result = run(workflow.run(["Dune", "Emma", "Ulysses"]))
    assert [c.title for c in branch.checks_seen] == ["Dune", "Emma", "Ulysses"]
    assert {c.source_executor_id for c in branch.checks_seen} == {"holds"}
    assert [c.source_executor_id for c in hold_desk.checks_sent] == [None, None, None]  # the child's own, untouched
    assert result.get_outputs() == [HoldResult("Dune", True), HoldResult("Emma", True)]


def test_a_request_info_message_the_parent_passes_on_surfaces_still_naming_the_sub_workflow():
    workflow, _, _ = library()
    [asked] = run(workflow.run(["Dune", "Ulysses"])).get_request_info_events()
    assert isinstance(asked.data, ShelfCheck) and asked.data.title == "Ulysses"
    assert asked.data.source_executor_id == "holds"


def test_the_answer_to_a_passed_on_request_reaches_the_child_through_the_parents_request_info_executor():
    workflow, _, _ = library()
    [asked] = run(workflow.run(["Dune", "Ulysses"])).get_request_info_events()
    done = run(workflow.send_responses({asked.request_id: False}))
    assert done.get_outputs() == [HoldResult("Ulysses", False)]
    assert done.get_final_state() is WorkflowRunState.IDLE


@dataclass
class LetIn(RequestInfoMessage):
    visitor: str = ""


def test_a_request_info_executor_names_the_asker_on_a_copy_of_the_request():
    class Doorbell(Executor):
        def __init__(self, id: str) -> None:
            super().__init__(id)
            self.rung: list[LetIn] = []

        @handler
        async def ring(self, visitor: str, ctx: WorkflowContext[LetIn]) -> None:
            self.rung.append(LetIn(visitor=visitor))
            await ctx.send_message(self.rung[-1])

        @handler
        async def opened(self, answer: RequestResponse[LetIn, bool], ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{answer.original_request.visitor} let in: {answer.data}")

    doorbell = Doorbell("doorbell")
    workflow = (
        WorkflowBuilder()
        .add_edge(doorbell, RequestInfoExecutor("porter"))
        .add_edge("porter", "doorbell")
        .set_start_executor(doorbell)
        .build()
    )
    [asked] = run(workflow.run("Kim")).get_request_info_events()
    assert asked.data.source_executor_id == "doorbell"
    assert doorbell.rung[0].source_executor_id is None
    assert run(workflow.send_responses({asked.request_id: True})).get_outputs() == ["Kim let in: True"]


# --- a glossary: several executions of one WorkflowExecutor in flight ----------------------------


def glossary(storage: FileCheckpointStorage | None = None) -> Workflow:
    """Each word is a message of its own to `translate`, so each starts an execution of its own
    (the child asks the caller for the word's translation)."""

    @executor(id="words")
    async def words(sentence: str, ctx: WorkflowContext[str]) -> None:
        for word in sentence.split():
            await ctx.send_message(word)

    child = WorkflowBuilder().set_start_executor(Submitter("translator")).build()
    builder = (
        WorkflowBuilder()
        .add_edge(words, WorkflowExecutor(child, id="translate"))
        .add_edge("translate", Sink("entries"))
        .set_start_executor(words)
    )
    return (builder.with_checkpointing(storage) if storage else builder).build()


def test_each_execution_in_flight_asks_on_its_own_and_takes_answers_in_any_order():
    workflow = glossary()
    asked = {a.data.topic: a for a in run(workflow.run("cat dog bird")).get_request_info_events()}
    assert sorted(asked) == ["bird", "cat", "dog"]
    assert {a.source_executor_id for a in asked.values()} == {"translate"}

    one = run(workflow.send_responses({asked["dog"].request_id: "chien"}))
    assert one.get_outputs() == ["dog: chien"]
    assert one.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    rest = run(workflow.send_responses({asked["bird"].request_id: "oiseau", asked["cat"].request_id: "chat"}))
    assert sorted(rest.get_outputs()) == ["bird: oiseau", "cat: chat"]
    assert rest.get_final_state() is WorkflowRunState.IDLE


def test_a_finished_execution_is_forgotten():
    workflow = glossary()
    asked = run(workflow.run("cat dog")).get_request_info_events()
    assert len(workflow.latest_run.state.executor_states["translate"]["executions"]) == 2
    run(workflow.send_responses({asked[0].request_id: "un"}))
    assert len(workflow.latest_run.state.executor_states["translate"]["executions"]) == 1
    run(workflow.send_responses({asked[1].request_id: "deux"}))
    assert workflow.latest_run.state.executor_states["translate"]["executions"] == {}


def test_executions_in_flight_come_back_from_a_checkpoint_in_a_new_workflow(tmp_path):
    storage = FileCheckpointStorage(str(tmp_path))
    asked = {a.data.topic: a.request_id for a in run(glossary(storage).run("cat dog")).get_request_info_events()}
    newest = run(storage.list_checkpoints())[-1]

    resumed = glossary()
    first = run(resumed.run_from_checkpoint(newest.checkpoint_id, storage, {asked["dog"]: "chien"}))
    assert first.get_outputs() == ["dog: chien"]
    assert [a.request_id for a in first.get_request_info_events()] == [asked["cat"]]
    last = run(resumed.send_responses({asked["cat"]: "chat"}))
    assert last.get_outputs() == ["cat: chat"]
    assert last.get_final_state() is WorkflowRunState.IDLE
