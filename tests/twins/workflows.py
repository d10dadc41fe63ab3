"""The course's agent-free workflows in today's dialect, written once for two frameworks.

Each definition takes the module the names come from (``wfkit`` or ``agent_framework``) and
builds the workflow with that module's `WorkflowBuilder`, `Executor`, `handler`, `executor`,
`WorkflowContext`, `Case`, `Default`, `response_handler` and `WorkflowExecutor`. Nothing else
differs between the two runs: the code is the lesson's, word for word, with the import changed
as a learner would change it. The messages are plain dataclasses, shared by both.

A `Twin` names the lesson a workflow comes from, how to build it, what to send it and the
answers a person gives to its questions, in the order they are asked.
"""


from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from typing_extensions import Never

# --- messages (lesson 1: tickets; lesson 2: an order question; lessons 5 and 6: orders) ------------------


@dataclass
class Ticket:
    id: int
    text: str
    priority: str = "normal"


@dataclass
class UrgentTicket(Ticket):
    priority: str = "urgent"


@dataclass
class ConfirmOrder:
    item: str
    question: str


@dataclass
class Order:
    id: str
    total: float


@dataclass
class PublishQuestion:
    text: str


# --- lesson 1: executors and edges ----------------------------------------------------------------


def _triage(fw: ModuleType, lesson_names: bool = True) -> Any:
    """Lesson 1's Triage. AF 1.x tries handlers in the alphabetical order of their names; the lesson's
    names (`page_on_call` before `queue`) put the specific one first, the older names did not."""
    WorkflowContext, handler = fw.WorkflowContext, fw.handler

    async def urgent(self, ticket: UrgentTicket, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"#{ticket.id} paged the on-call engineer")

    async def any_ticket(self, ticket: Ticket, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"#{ticket.id} added to the queue")

    names = ("page_on_call", "queue") if lesson_names else ("urgent_ticket", "any_ticket")
    Triage = type("Triage", (fw.Executor,), {names[0]: handler(urgent), names[1]: handler(any_ticket)})
    return Triage("triage")


def _reply(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext

    @fw.executor(id="reply")
    async def reply(note: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"Reply to customer: {note}")

    return reply


def _intake(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext

    @fw.executor(id="intake")
    async def intake(ticket: Ticket, ctx: WorkflowContext[Ticket]) -> None:
        await ctx.send_message(ticket)

    return intake


def help_desk(fw: ModuleType) -> Any:
    triage = _triage(fw)
    return fw.WorkflowBuilder(start_executor=triage).add_edge(triage, _reply(fw)).build()


def help_desk_older_names(fw: ModuleType) -> Any:
    """Lesson 1's Triage with its older handler names, which sort the general handler first."""
    triage = _triage(fw, lesson_names=False)
    return fw.WorkflowBuilder(start_executor=triage).add_edge(triage, _reply(fw)).build()


def filtered_desk(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext
    intake, triage = _intake(fw), _triage(fw)

    @fw.executor(id="spam_bin")
    async def spam_bin(ticket: Ticket, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"#{ticket.id} discarded as spam")

    def is_spam(ticket: Ticket) -> bool:
        return "you won" in ticket.text.lower()

    def is_not_spam(ticket: Ticket) -> bool:
        return not is_spam(ticket)

    return (
        fw.WorkflowBuilder(start_executor=intake)
        .add_edge(intake, spam_bin, condition=is_spam)
        .add_edge(intake, triage, condition=is_not_spam)
        .add_edge(triage, _reply(fw))
        .build()
    )


def inspector(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext
    intake = _intake(fw)

    @fw.executor(id="mood")
    async def mood(ticket: Ticket, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message("angry" if "!" in ticket.text else "calm")

    @fw.executor(id="topic")
    async def topic(ticket: Ticket, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message("billing" if "invoice" in ticket.text.lower() else "other")

    @fw.executor(id="length")
    async def length(ticket: Ticket, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"{len(ticket.text.split())} words")

    @fw.executor(id="summary")
    async def summary(findings: list[str], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(" | ".join(findings))

    checks = [mood, topic, length]
    return fw.WorkflowBuilder(start_executor=intake).add_fan_out_edges(intake, checks).add_fan_in_edges(checks, summary).build()


def router(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext
    intake = _intake(fw)

    @fw.executor(id="password_bot")
    async def password_bot(ticket: Ticket, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"#{ticket.id}: sent the password reset link")

    @fw.executor(id="people")
    async def people(ticket: Ticket, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"#{ticket.id}: a person will answer")

    def about_password(ticket: Ticket) -> bool:
        return "password" in ticket.text.lower()

    return (
        fw.WorkflowBuilder(start_executor=intake)
        .add_switch_case_edge_group(intake, [fw.Case(condition=about_password, target=password_bot), fw.Default(target=people)])
        .build()
    )


def desk_router(fw: ModuleType) -> Any:
    """Lesson 1's exercise, with its reference solution's cases: urgent, then billing, then the rest."""
    WorkflowContext = fw.WorkflowContext
    intake = _intake(fw)

    def desk(name: str) -> Any:
        @fw.executor(id=name)
        async def to_desk(ticket: Ticket, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(name)

        return to_desk

    on_call, billing, general = desk("on_call"), desk("billing"), desk("general")

    def is_urgent(ticket: Ticket) -> bool:
        return ticket.priority == "urgent"

    def is_billing(ticket: Ticket) -> bool:
        return any(word in ticket.text.lower() for word in ("invoice", "refund", "charge"))

    cases = [fw.Case(condition=is_urgent, target=on_call), fw.Case(condition=is_billing, target=billing), fw.Default(target=general)]
    return fw.WorkflowBuilder(start_executor=intake).add_switch_case_edge_group(intake, cases).build()


def plain_function_intake(fw: ModuleType) -> Any:
    """What lesson 1 used to teach: a plain `def` whose return value wfkit sends on."""
    triage = _triage(fw)

    @fw.executor(id="intake")
    def intake(ticket: Ticket) -> Ticket:
        return ticket

    return fw.WorkflowBuilder(start_executor=intake).add_edge(intake, triage).add_edge(triage, _reply(fw)).build()


# --- lesson 2: request and response (the exercise's order desk, with its reference answer) ----------


def order_desk(fw: ModuleType, storage: Any = None) -> Any:
    WorkflowContext = fw.WorkflowContext

    class OrderDesk(fw.Executor):
        @fw.handler
        async def ask(self, item: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(request_data=ConfirmOrder(item, f"Place the order for {item}?"), response_type=bool)

        @fw.response_handler
        async def on_answer(self, request: ConfirmOrder, answer: bool, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{'ordered' if answer else 'cancelled'} {request.item}")

    return fw.WorkflowBuilder(name="order desk", start_executor=OrderDesk("desk"), checkpoint_storage=storage).build()


# --- lessons 5 and 6: the routes, and the payment chain, that need no wfkit-only setting ---------------


def _receive(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext

    @fw.executor(id="receive")
    async def receive(order: Order, ctx: WorkflowContext[Order]) -> None:
        await ctx.send_message(order)

    return receive


def shipping(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext
    receive = _receive(fw)

    @fw.executor(id="free_shipping")
    async def free_shipping(order: Order, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{order.id}: free shipping")

    @fw.executor(id="paid_shipping")
    async def paid_shipping(order: Order, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{order.id}: shipping costs extra")

    def ships_free(order: Order) -> bool:
        return order.total >= 50

    return (
        fw.WorkflowBuilder(start_executor=receive)
        .add_switch_case_edge_group(receive, [fw.Case(condition=ships_free, target=free_shipping), fw.Default(target=paid_shipping)])
        .build()
    )


def notifications(fw: ModuleType) -> Any:
    """Lesson 5's multi-selection group (without its wfkit-only `limit_concurrency`)."""
    WorkflowContext = fw.WorkflowContext
    receive = _receive(fw)

    def message_step(channel: str) -> Any:
        @fw.executor(id=f"notify_{channel}")
        async def notify(order: Order, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{order.id}: {channel}")

        return notify

    @fw.executor(id="notify_warehouse")
    async def notify_warehouse(order: Order, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{order.id}: warehouse alerted")

    def who_to_tell(order: Order, target_ids: list[str]) -> list[str]:
        chosen = ["notify_email"]
        if order.total >= 50:
            chosen.append("notify_sms")
        if order.total >= 1000:
            chosen.append("notify_warehouse")
        return chosen

    targets = [message_step("email"), message_step("sms"), notify_warehouse]
    return fw.WorkflowBuilder(start_executor=receive).add_multi_selection_edge_group(receive, targets, who_to_tell).build()


def payment_without_retry(fw: ModuleType) -> Any:
    """Lesson 6's payment chain before it gets a retry policy: the gateway's first call fails."""
    WorkflowContext = fw.WorkflowContext
    receive = _receive(fw)

    @fw.executor(id="charge_card")
    async def charge_card(order: Order, ctx: WorkflowContext[Order]) -> None:
        raise ConnectionError("gateway busy (call 1)")

    @fw.executor(id="confirm")
    async def confirm(order: Order, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{order.id} is paid")

    return fw.WorkflowBuilder(start_executor=receive).add_chain([receive, charge_card, confirm]).build()


# --- lesson 7: small parts, and a part as one node -----------------------------------------------------


def _tidy_part(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext

    class Tidy(fw.Executor):
        @fw.handler
        async def tidy(self, text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(" ".join(text.split()))

    class Done(fw.Executor):
        @fw.handler
        async def done(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(text)

    tidy = Tidy("tidy")
    return fw.WorkflowBuilder(name="tidy", start_executor=tidy).add_edge(tidy, Done("done"))


def _shout_executor(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext

    class Shout(fw.Executor):
        @fw.handler
        async def shout(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(text.upper() + "!")

    return Shout("shout")


def _tidy_executor(fw: ModuleType) -> Any:
    WorkflowContext = fw.WorkflowContext

    class Tidy(fw.Executor):
        @fw.handler
        async def tidy(self, text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(" ".join(text.split()))

    return Tidy("tidy")


def tidy_part(fw: ModuleType) -> Any:
    return _tidy_part(fw).build()


def shout_part(fw: ModuleType) -> Any:
    return fw.WorkflowBuilder(name="shout", start_executor=_shout_executor(fw)).build()


def with_a_sub_workflow(fw: ModuleType) -> Any:
    tidy_node = fw.WorkflowExecutor(_tidy_part(fw).build(), id="tidy_sub")
    return fw.WorkflowBuilder(name="with a sub-workflow", start_executor=tidy_node).add_edge(tidy_node, _shout_executor(fw)).build()


def approve_then_shout(fw: ModuleType, **executor_options: Any) -> Any:
    WorkflowContext = fw.WorkflowContext

    class Approve(fw.Executor):
        @fw.handler
        async def ask(self, text: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(request_data=PublishQuestion(text), response_type=bool)

        @fw.response_handler
        async def on_answer(self, question: PublishQuestion, ok: bool, ctx: WorkflowContext[Never, str]) -> None:
            if ok:
                await ctx.yield_output(question.text)

    child = fw.WorkflowBuilder(name="approval", start_executor=Approve("approve")).build()
    approval = fw.WorkflowExecutor(child, id="approval", **executor_options)
    tidy = _tidy_executor(fw)
    return (
        fw.WorkflowBuilder(name="approve, then shout", start_executor=tidy)
        .add_edge(tidy, approval)
        .add_edge(approval, _shout_executor(fw))
        .build()
    )


def ends_in_a_child(fw: ModuleType) -> Any:
    shout_node = fw.WorkflowExecutor(shout_part(fw), id="shout_sub")
    tidy = _tidy_executor(fw)
    return fw.WorkflowBuilder(name="tidy, then a child", start_executor=tidy).add_edge(tidy, shout_node).build()


def ends_in_a_child_direct(fw: ModuleType) -> Any:
    """Lesson 7's child at the end, as the lesson writes it: asking for its results as the parent's outputs."""
    shout_node = fw.WorkflowExecutor(shout_part(fw), id="shout_sub", allow_direct_output=True)
    tidy = _tidy_executor(fw)
    return fw.WorkflowBuilder(name="tidy, then a child", start_executor=tidy).add_edge(tidy, shout_node).build()


def approve_then_shout_propagated(fw: ModuleType) -> Any:
    """Lesson 7's approval part with AF 1.x's switch that passes the child's question to the caller."""
    workflow = approve_then_shout(fw, propagate_request=True)
    return workflow


# --- the list the tests run -----------------------------------------------------------------------------


@dataclass
class Twin:
    """One course workflow, how to build it, what it is sent, and the answers to its questions."""

    lesson: str
    define: Callable[[ModuleType], Any]
    message: Any
    answers: list[Any] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.lesson}-{self.define.__name__}-{self.message!r}"[:90]


MESSY = "  please   ship   it  "

TWINS = [
    Twin("01", help_desk, Ticket(1, "I can't log in")),
    Twin("01", help_desk, UrgentTicket(2, "The website is down")),
    Twin("01", filtered_desk, Ticket(4, "You WON a cruise, click here")),
    Twin("01", filtered_desk, Ticket(5, "My invoice is wrong")),
    Twin("01", inspector, Ticket(6, "Second invoice this month!")),
    Twin("01", router, Ticket(7, "Forgot my password")),
    Twin("01", router, Ticket(8, "Can I get a dark mode?")),
    Twin("01", desk_router, Ticket(3, "Refund needed now, I was charged twice", "urgent")),
    Twin("01", desk_router, Ticket(5, "Where can I download my invoice?", "low")),
    Twin("01", desk_router, Ticket(6, "The app logs me out every hour")),
    Twin("02", order_desk, "tea", [True]),
    Twin("02", order_desk, "cake", [False]),
    Twin("05", shipping, Order("A-1002", 80.0)),
    Twin("05", shipping, Order("A-1003", 12.5)),
    Twin("05", notifications, Order("A-1012", 1500.0)),
    Twin("06", tidy_part, MESSY),
    Twin("06", shout_part, MESSY),
    Twin("06", with_a_sub_workflow, MESSY),
    Twin("06", approve_then_shout, MESSY, [True]),
    Twin("06", ends_in_a_child, MESSY),
    Twin("06", ends_in_a_child_direct, MESSY),
]
