"""A sub-workflow's requests, the way AF's own composition samples use them.

Ported flows (only imports, the client and the names noted in comments changed):
- b251104 `sub_workflow_request_interception.py`: a parent answers with `request.create_response(...)`;
- b251104 `sub_workflow_parallel_requests.py`: many requests at once, some answered inside, some outside;
- b251104 `checkpoint/sub_workflow_checkpoint.py`: a parent that forwards the request outside, resumed;
- b251007 `sub_workflow_request_interception.py`: `RequestInfoMessage` interception with `RequestResponse`.
Plus several executions of one `WorkflowExecutor` in flight at once, with a checkpoint round-trip.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

import pytest

from tests.conftest import run
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
    handler,
    response_handler,
)

# --- b251104: sub_workflow_request_interception ------------------------------------------------


@dataclass
class SanitizedEmailResult:
    original: str
    sanitized: str
    is_valid: bool


def build_email_address_validation_workflow() -> Workflow:
    class EmailSanitizer(Executor):
        @handler
        async def handle(self, email_address: str, ctx: WorkflowContext[SanitizedEmailResult]) -> None:
            sanitized = email_address.strip()
            await ctx.send_message(SanitizedEmailResult(original=email_address, sanitized=sanitized, is_valid=False))

    class EmailFormatValidator(Executor):
        @handler
        async def handle(
            self, partial_result: SanitizedEmailResult, ctx: WorkflowContext[SanitizedEmailResult, SanitizedEmailResult]
        ) -> None:
            if "@" not in partial_result.sanitized or "." not in partial_result.sanitized.split("@")[-1]:
                await ctx.yield_output(SanitizedEmailResult(partial_result.original, partial_result.sanitized, False))
                return
            await ctx.send_message(SanitizedEmailResult(partial_result.original, partial_result.sanitized, False))

    class DomainValidator(Executor):
        def __init__(self, id: str):
            super().__init__(id=id)
            self._pending_domains: dict[str, SanitizedEmailResult] = {}

        @handler
        async def handle(self, partial_result: SanitizedEmailResult, ctx: WorkflowContext) -> None:
            domain = partial_result.sanitized.split("@")[-1]
            self._pending_domains[domain] = partial_result
            await ctx.request_info(request_data=domain, response_type=bool)

        @response_handler
        async def handle_domain_validation_response(
            self, original_request: str, is_valid: bool, ctx: WorkflowContext[Never, SanitizedEmailResult]
        ) -> None:
            partial_result = self._pending_domains.pop(original_request)
            await ctx.yield_output(SanitizedEmailResult(partial_result.original, partial_result.sanitized, is_valid))

    sanitizer = EmailSanitizer(id="email_sanitizer")
    format_validator = EmailFormatValidator(id="email_format_validator")
    domain_validator = DomainValidator(id="domain_validator")
    return (
        WorkflowBuilder()
        .set_start_executor(sanitizer)
        .add_edge(sanitizer, format_validator)
        .add_edge(format_validator, domain_validator)
        .build()
    )


@dataclass
class Email:
    recipient: str
    subject: str
    body: str


class SmartEmailOrchestrator(Executor):
    def __init__(self, id: str, approved_domains: set[str]):
        super().__init__(id=id)
        self._approved_domains = approved_domains
        self._approved_recipients: set[str] = set()
        self._disapproved_recipients: set[str] = set()
        self._pending_emails: dict[str, Email] = {}
        self.requests_seen: list[SubWorkflowRequestMessage] = []

    @handler
    async def run(self, email: Email, ctx: WorkflowContext[Email | str, bool]) -> None:
        recipient = email.recipient
        if recipient in self._approved_recipients:
            await ctx.send_message(email)
            return
        if recipient in self._disapproved_recipients:
            await ctx.yield_output(False)
            return
        self._pending_emails[recipient] = email
        await ctx.send_message(recipient)

    @handler
    async def handler_domain_validation_request(
        self, request: SubWorkflowRequestMessage, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        self.requests_seen.append(request)
        if not isinstance(request.source_event.data, str):
            raise TypeError(f"Expected domain string, got {type(request.source_event.data)}")
        domain = request.source_event.data
        is_valid = domain in self._approved_domains
        await ctx.send_message(request.create_response(is_valid), target_id=request.executor_id)

    @handler
    async def handle_validation_result(self, result: SanitizedEmailResult, ctx: WorkflowContext[Email, bool]) -> None:
        email = self._pending_emails.pop(result.original)
        email.recipient = result.sanitized
        if result.is_valid:
            self._approved_recipients.add(result.original)
            await ctx.send_message(email)
        else:
            self._disapproved_recipients.add(result.original)
            await ctx.yield_output(False)


class EmailDelivery(Executor):
    @handler
    async def handle(self, email: Email, ctx: WorkflowContext[Never, bool]) -> None:
        await ctx.yield_output(True)  # (the sample sleeps a second here)


def email_main_workflow() -> tuple[Workflow, SmartEmailOrchestrator]:
    orchestrator = SmartEmailOrchestrator(id="smart_email_orchestrator", approved_domains={"example.com", "company.com"})
    email_delivery = EmailDelivery(id="email_delivery")
    validation_workflow_executor = WorkflowExecutor(build_email_address_validation_workflow(), id="email_validation_workflow")
    workflow = (
        WorkflowBuilder()
        .set_start_executor(orchestrator)
        .add_edge(orchestrator, validation_workflow_executor)
        .add_edge(validation_workflow_executor, orchestrator)
        .add_edge(orchestrator, email_delivery)
        .build()
    )
    return workflow, orchestrator


def test_b251104_parent_answers_a_sub_workflow_request_with_create_response():
    workflow, orchestrator = email_main_workflow()
    test_emails = [
        Email(recipient="user1@example.com", subject="Hello User1", body="This is a test email."),
        Email(recipient=" user2@invalid", subject="Hello User2", body="This is a test email."),
        Email(recipient="  user3@company.com  ", subject="Hello User3", body="This is a test email."),
        Email(recipient="user4@unknown.com", subject="Hello User4", body="This is a test email."),
        Email(recipient="user1@example.com", subject="Hello User1", body="This is a test email."),
        Email(recipient=" user2@invalid", subject="Hello User2", body="This is a test email."),
    ]
    outcomes = []
    for email in test_emails:
        result = run(workflow.run(email))
        assert result.get_request_info_events() == []
        assert result.get_final_state() is WorkflowRunState.IDLE
        outcomes.append(result.get_outputs())
    assert outcomes == [[True], [False], [True], [False], [True], [False]]
    first = orchestrator.requests_seen[0]
    assert first.executor_id == "email_validation_workflow"
    assert isinstance(first.source_event, RequestInfoEvent)
    assert first.source_event.data == "example.com" and first.source_event.response_type is bool
    assert first.source_event.source_executor_id == "domain_validator"


def test_create_response_refuses_an_answer_of_the_wrong_type():
    workflow, orchestrator = email_main_workflow()
    run(workflow.run(Email("user1@example.com", "s", "b")))
    request = orchestrator.requests_seen[0]
    with pytest.raises(TypeError, match="bool"):
        request.create_response("yes")
    response = request.create_response(True)
    assert isinstance(response, SubWorkflowResponseMessage)
    assert response.data is True and response.source_event is request.source_event


def test_a_sub_workflow_request_message_nobody_handles_goes_outside_as_before():
    class Start(Executor):
        @handler
        async def go(self, email: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(email)

    workflow = (
        WorkflowBuilder()
        .add_edge(Start("start"), WorkflowExecutor(build_email_address_validation_workflow(), id="validate"))
        .set_start_executor("start")
        .build()
    )
    [ask] = run(workflow.run("a@example.com")).get_request_info_events()
    assert ask.source_executor_id == "validate" and ask.data == "example.com"
    # An output with no out-edge is only a warning; the answer reached the child and finished it.
    assert run(workflow.send_responses({ask.request_id: True})).get_final_state() is WorkflowRunState.IDLE


# --- b251104: sub_workflow_parallel_requests -------------------------------------------------


@dataclass
class ComputingResourceRequest:
    request_type: Literal["resource", "policy"]
    resource_type: Literal["cpu", "memory", "disk", "gpu"]
    amount: int
    priority: Literal["low", "normal", "high"] | None = None
    policy_type: Literal["quota", "security"] | None = None


@dataclass
class ResourceResponse:
    resource_type: str
    allocated: int
    source: str


@dataclass
class PolicyResponse:
    approved: bool
    reason: str


@dataclass
class ResourceRequest:
    resource_type: Literal["cpu", "memory", "disk", "gpu"]
    amount: int
    priority: Literal["low", "normal", "high"]
    id: str = str(uuid.uuid4())


@dataclass
class PolicyRequest:
    policy_type: Literal["quota", "security"]
    resource_type: Literal["cpu", "memory", "disk", "gpu"]
    amount: int
    id: str = str(uuid.uuid4())


def build_resource_request_distribution_workflow() -> Workflow:
    class RequestDistribution(Executor):
        @handler
        async def distribute_requests(
            self, requests: list[ComputingResourceRequest], ctx: WorkflowContext[ResourceRequest | PolicyRequest | int]
        ) -> None:
            for req in requests:
                if req.request_type == "resource":
                    await ctx.send_message(ResourceRequest(req.resource_type, req.amount, req.priority))
                else:
                    await ctx.send_message(PolicyRequest(req.policy_type, req.resource_type, req.amount))
            await ctx.send_message(len(requests))

    class ResourceRequester(Executor):
        @handler
        async def run(self, request: ResourceRequest, ctx: WorkflowContext) -> None:
            await ctx.request_info(request_data=request, response_type=ResourceResponse)

        @response_handler
        async def handle_response(
            self, original_request: ResourceRequest, response: ResourceResponse, ctx: WorkflowContext[ResourceResponse]
        ) -> None:
            await ctx.send_message(response)

    class PolicyChecker(Executor):
        @handler
        async def run(self, request: PolicyRequest, ctx: WorkflowContext) -> None:
            await ctx.request_info(request_data=request, response_type=PolicyResponse)

        @response_handler
        async def handle_response(
            self, original_request: PolicyRequest, response: PolicyResponse, ctx: WorkflowContext[PolicyResponse]
        ) -> None:
            await ctx.send_message(response)

    class ResultCollector(Executor):
        def __init__(self, id: str) -> None:
            super().__init__(id)
            self._request_count = 0
            self._responses: list[ResourceResponse | PolicyResponse] = []

        @handler
        async def set_request_count(self, count: int, ctx: WorkflowContext) -> None:
            self._request_count = count

        @handler
        async def collect(self, response: ResourceResponse | PolicyResponse, ctx: WorkflowContext[Never, str]) -> None:
            self._responses.append(response)
            if len(self._responses) == self._request_count:
                await ctx.yield_output(f"All {self._request_count} requests processed.")
            elif len(self._responses) > self._request_count:
                raise ValueError("Received more responses than expected")

    orchestrator = RequestDistribution("orchestrator")
    resource_requester = ResourceRequester("resource_requester")
    policy_checker = PolicyChecker("policy_checker")
    result_collector = ResultCollector("result_collector")
    return (
        WorkflowBuilder()
        .set_start_executor(orchestrator)
        .add_edge(orchestrator, resource_requester)
        .add_edge(orchestrator, policy_checker)
        .add_edge(resource_requester, result_collector)
        .add_edge(policy_checker, result_collector)
        .add_edge(orchestrator, result_collector)
        .build()
    )


class ResourceAllocator(Executor):
    def __init__(self, id: str) -> None:
        super().__init__(id)
        self._cache: dict[str, int] = {"cpu": 10, "memory": 50, "disk": 100}
        self._pending_requests: dict[str, RequestInfoEvent] = {}

    @handler
    async def handle_subworkflow_request(
        self, request: SubWorkflowRequestMessage, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        source_event: RequestInfoEvent = request.source_event
        if not isinstance(source_event.data, ResourceRequest):
            return
        payload: ResourceRequest = source_event.data
        available = self._cache.get(payload.resource_type, 0)
        if available >= payload.amount:
            self._cache[payload.resource_type] -= payload.amount
            await ctx.send_message(request.create_response(ResourceResponse(payload.resource_type, payload.amount, "cache")))
        else:
            self._pending_requests[payload.id] = source_event
            await ctx.request_info(request_data=payload, response_type=ResourceResponse)

    @response_handler
    async def handle_external_response(
        self, original_request: ResourceRequest, response: ResourceResponse, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        source_event = self._pending_requests.pop(original_request.id)
        await ctx.send_message(SubWorkflowResponseMessage(data=response, source_event=source_event))


class PolicyEngine(Executor):
    def __init__(self, id: str) -> None:
        super().__init__(id)
        self._quota: dict[str, int] = {"cpu": 5, "memory": 20, "disk": 1000}
        self._pending_requests: dict[str, RequestInfoEvent] = {}

    @handler
    async def handle_subworkflow_request(
        self, request: SubWorkflowRequestMessage, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        source_event: RequestInfoEvent = request.source_event
        if not isinstance(source_event.data, PolicyRequest):
            return
        payload: PolicyRequest = source_event.data
        if payload.policy_type == "quota":
            allowed = payload.amount <= self._quota.get(payload.resource_type, 0)
            response = PolicyResponse(allowed, "Within quota limits" if allowed else "Exceeds quota limits")
            await ctx.send_message(request.create_response(response))
        else:
            self._pending_requests[payload.id] = source_event
            await ctx.request_info(request_data=payload, response_type=PolicyResponse)

    @response_handler
    async def handle_external_response(
        self, original_request: PolicyRequest, response: PolicyResponse, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        source_event = self._pending_requests.pop(original_request.id)
        await ctx.send_message(SubWorkflowResponseMessage(data=response, source_event=source_event))


def test_b251104_parallel_requests_answered_inside_and_outside():
    sub_workflow_executor = WorkflowExecutor(
        build_resource_request_distribution_workflow(), "sub_workflow_executor", allow_direct_output=True
    )
    main_workflow = (
        WorkflowBuilder()
        .set_start_executor(sub_workflow_executor)
        .add_edge(sub_workflow_executor, ResourceAllocator("resource_allocator"))
        .add_edge("resource_allocator", sub_workflow_executor)
        .add_edge(sub_workflow_executor, PolicyEngine("policy_engine"))
        .add_edge("policy_engine", sub_workflow_executor)
        .build()
    )
    test_requests = [
        ComputingResourceRequest("resource", "cpu", 2, priority="normal"),
        ComputingResourceRequest("policy", "cpu", 3, policy_type="quota"),
        ComputingResourceRequest("resource", "memory", 15, priority="normal"),
        ComputingResourceRequest("policy", "memory", 100, policy_type="quota"),
        ComputingResourceRequest("resource", "gpu", 1, priority="high"),
        ComputingResourceRequest("policy", "disk", 500, policy_type="quota"),
        ComputingResourceRequest("policy", "cpu", 1, policy_type="security"),
    ]
    run_result = run(main_workflow.run(test_requests))
    events = run_result.get_request_info_events()
    assert sorted(type(e.data).__name__ for e in events) == ["PolicyRequest", "ResourceRequest"]
    assert {e.source_executor_id for e in events} == {"resource_allocator", "policy_engine"}
    assert run_result.get_outputs() == []
    responses = {}
    for event in events:
        if isinstance(event.data, ResourceRequest):
            responses[event.request_id] = ResourceResponse(event.data.resource_type, event.data.amount, "external_provider")
        else:
            responses[event.request_id] = PolicyResponse(True, "External system approved")
    final = run(main_workflow.send_responses(responses))
    assert final.get_outputs() == ["All 7 requests processed."]
    assert final.get_final_state() is WorkflowRunState.IDLE


# --- b251104: checkpoint/sub_workflow_checkpoint ---------------------------------------------


@dataclass
class LaunchTask:
    topic: str
    iteration: int = 1


@dataclass
class LaunchDraft:
    topic: str
    content: str
    iteration: int


@dataclass
class LaunchReviewRequest:
    id: str = str(uuid.uuid4())
    topic: str = ""
    iteration: int = 1
    draft_excerpt: str = ""
    reviewer_guidance: list[str] = field(default_factory=list)


@dataclass
class LaunchReviewDecision:
    decision: str
    original_request: LaunchReviewRequest


@dataclass
class LaunchFinal:
    topic: str
    content: str
    iterations: int


class LaunchWriter(Executor):
    def __init__(self) -> None:
        super().__init__(id="draft_writer")

    @handler
    async def create_draft(self, task: LaunchTask, ctx: WorkflowContext[LaunchDraft]) -> None:
        draft = LaunchDraft(task.topic, f"Launch plan for {task.topic}.\n(iteration {task.iteration})", task.iteration)
        await ctx.send_message(draft, target_id="draft_review")


class LaunchReviewRouter(Executor):
    def __init__(self) -> None:
        super().__init__(id="draft_review")

    @handler
    async def request_review(self, draft: LaunchDraft, ctx: WorkflowContext) -> None:
        request = LaunchReviewRequest(
            topic=draft.topic, iteration=draft.iteration, draft_excerpt=draft.content.splitlines()[0],
            reviewer_guidance=["Ensure tone matches launch messaging"],
        )
        await ctx.request_info(request_data=request, response_type=str)

    @response_handler
    async def forward_decision(
        self, original_request: LaunchReviewRequest, decision: str, ctx: WorkflowContext[LaunchReviewDecision]
    ) -> None:
        await ctx.send_message(LaunchReviewDecision(decision=decision, original_request=original_request))


class LaunchFinaliser(Executor):
    def __init__(self) -> None:
        super().__init__(id="draft_finaliser")

    @handler
    async def on_review_decision(
        self, review_decision: LaunchReviewDecision, ctx: WorkflowContext[LaunchTask, LaunchFinal]
    ) -> None:
        original = review_decision.original_request
        if review_decision.decision.strip().lower() != "approve":
            await ctx.send_message(LaunchTask(original.topic, original.iteration + 1), target_id="draft_writer")
            return
        await ctx.yield_output(LaunchFinal(original.topic, f"Approved launch narrative for {original.topic}.", original.iteration))


class LaunchCoordinator(Executor):
    def __init__(self) -> None:
        super().__init__(id="launch_coordinator")

    @handler
    async def kick_off(self, topic: str, ctx: WorkflowContext[LaunchTask]) -> None:
        await ctx.send_message(LaunchTask(topic=topic))

    @handler
    async def collect_final(self, draft: LaunchFinal, ctx: WorkflowContext[Never, LaunchFinal]) -> None:
        await ctx.yield_output(draft)

    @handler
    async def handler_sub_workflow_request(self, request: SubWorkflowRequestMessage, ctx: WorkflowContext) -> None:
        review_request = request.source_event.data
        executor_state = await ctx.get_executor_state() or {}
        executor_state[review_request.id] = request
        await ctx.set_executor_state(executor_state)
        await ctx.request_info(request_data=review_request, response_type=str)

    @response_handler
    async def handle_request_response(
        self, original_request: LaunchReviewRequest, response: str, ctx: WorkflowContext[SubWorkflowResponseMessage]
    ) -> None:
        executor_state = await ctx.get_executor_state() or {}
        request_message = executor_state.pop(original_request.id, None)
        await ctx.set_executor_state(executor_state)
        await ctx.send_message(request_message.create_response(response))


def build_launch_parent(storage) -> Workflow:
    sub_workflow = (
        WorkflowBuilder()
        .set_start_executor(LaunchWriter())
        .add_edge("draft_writer", LaunchReviewRouter())
        .add_edge("draft_review", LaunchFinaliser())
        .add_edge("draft_finaliser", "draft_writer")
        .build()
    )
    return (
        WorkflowBuilder()
        .set_start_executor(LaunchCoordinator())
        .add_edge("launch_coordinator", WorkflowExecutor(sub_workflow, id="launch_subworkflow"))
        .add_edge("launch_subworkflow", "launch_coordinator")
        .with_checkpointing(storage)
        .build()
    )


def test_b251104_sub_workflow_checkpoint_resumes_with_the_parent_holding_the_request(tmp_path):
    storage = FileCheckpointStorage(str(tmp_path))
    first = run(build_launch_parent(storage).run("Contoso Gadget Launch"))
    [ask] = first.get_request_info_events()
    assert ask.source_executor_id == "launch_coordinator" and isinstance(ask.data, LaunchReviewRequest)
    newest = run(storage.list_checkpoints())[-1]

    resumed = build_launch_parent(storage)  # fresh instances, as a new process would build
    [again] = run(resumed.run_from_checkpoint(newest.checkpoint_id)).get_request_info_events()
    assert again.request_id == ask.request_id
    revise = run(resumed.send_responses({ask.request_id: "more detail"}))
    [ask2] = revise.get_request_info_events()
    assert ask2.data.iteration == 2
    done = run(resumed.send_responses({ask2.request_id: "approve"}))
    assert done.get_outputs() == [LaunchFinal("Contoso Gadget Launch", "Approved launch narrative for Contoso Gadget Launch.", 2)]


# --- b251007: sub_workflow_request_interception (RequestInfoMessage + RequestResponse) ---------


@dataclass
class EmailValidationRequest:
    email: str


@dataclass
class DomainCheckRequest(RequestInfoMessage):
    domain: str = ""


@dataclass
class ValidationResult:
    email: str
    is_valid: bool
    reason: str


class EmailValidator(Executor):
    def __init__(self) -> None:
        super().__init__(id="email_validator")
        self._pending_emails: dict[str, str] = {}
        self.sent_requests: list[DomainCheckRequest] = []

    @handler
    async def validate_request(
        self, request: EmailValidationRequest, ctx: WorkflowContext[DomainCheckRequest | ValidationResult, ValidationResult]
    ) -> None:
        domain = request.email.split("@")[1] if "@" in request.email else ""
        if not domain:
            await ctx.yield_output(ValidationResult(email=request.email, is_valid=False, reason="Invalid email format"))
            return
        domain_check = DomainCheckRequest(domain=domain)
        self.sent_requests.append(domain_check)
        self._pending_emails[domain_check.request_id] = request.email
        await ctx.send_message(domain_check, target_id="email_request_info")

    @handler
    async def handle_domain_response(
        self, response: RequestResponse[DomainCheckRequest, bool], ctx: WorkflowContext[ValidationResult, ValidationResult]
    ) -> None:
        request_id = response.original_request.request_id
        if request_id in self._pending_emails:
            email = self._pending_emails.pop(request_id)
            approved = bool(response.data)
            await ctx.yield_output(ValidationResult(email, approved, "Domain approved" if approved else "Domain not approved"))


class B251007Orchestrator(Executor):
    # (AF passes approved_domains to Executor.__init__ as a model field; set here as an attribute.)
    def __init__(self, approved_domains: set[str]):
        super().__init__(id="email_orchestrator")
        self.approved_domains = approved_domains
        self._results: list[ValidationResult] = []
        self.intercepted: list[DomainCheckRequest] = []

    @handler
    async def start_validation(self, emails: list[str], ctx: WorkflowContext[EmailValidationRequest]) -> None:
        for email in emails:
            await ctx.send_message(EmailValidationRequest(email=email), target_id="email_validator_workflow")

    @handler
    async def handle_domain_request(
        self, request: DomainCheckRequest, ctx: WorkflowContext[RequestResponse[DomainCheckRequest, bool] | DomainCheckRequest]
    ) -> None:
        self.intercepted.append(request)
        if request.domain in self.approved_domains:
            response = RequestResponse(data=True, original_request=request, request_id=request.request_id)
            await ctx.send_message(response, target_id=request.source_executor_id)
        else:
            await ctx.send_message(request)

    @handler
    async def collect_result(self, result: ValidationResult, ctx: WorkflowContext) -> None:
        self._results.append(result)

    @property
    def results(self) -> list[ValidationResult]:
        return self._results


def b251007_main_workflow(storage=None) -> tuple[Workflow, B251007Orchestrator, EmailValidator]:
    email_validator = EmailValidator()
    validation_workflow = (
        WorkflowBuilder()
        .set_start_executor(email_validator)
        .add_edge(email_validator, RequestInfoExecutor(id="email_request_info"))
        .add_edge("email_request_info", email_validator)
        .build()
    )
    orchestrator = B251007Orchestrator(approved_domains={"example.com", "company.com"})
    workflow_executor = WorkflowExecutor(validation_workflow, id="email_validator_workflow")
    builder = (
        WorkflowBuilder()
        .set_start_executor(orchestrator)
        .add_edge(orchestrator, workflow_executor)
        .add_edge(workflow_executor, orchestrator)
        .add_edge(orchestrator, RequestInfoExecutor(id="main_request_info"))
        .add_edge("main_request_info", workflow_executor)
    )
    return (builder.with_checkpointing(storage) if storage else builder).build(), orchestrator, email_validator


TEST_EMAILS = ["user@example.com", "admin@company.com", "guest@unknown.org"]


def test_b251007_intercepted_request_names_the_workflow_executor_as_its_source():
    workflow, orchestrator, validator = b251007_main_workflow()
    result = run(workflow.run(TEST_EMAILS))
    assert {r.source_executor_id for r in orchestrator.intercepted} == {"email_validator_workflow"}
    # The child's own request objects are never changed by the trip through the parent.
    assert [r.source_executor_id for r in validator.sent_requests] == [None, None, None]
    [ask] = result.get_request_info_events()
    assert ask.data.domain == "unknown.org" and ask.data.source_executor_id == "email_validator_workflow"
    assert sorted(r.email for r in orchestrator.results) == ["admin@company.com", "user@example.com"]


def test_b251007_forwarded_request_answer_reaches_the_child_through_the_parent_request_info_executor():
    workflow, orchestrator, _ = b251007_main_workflow()
    [ask] = run(workflow.run(TEST_EMAILS)).get_request_info_events()
    final = run(workflow.send_responses({ask.request_id: ask.data.domain == "unknown.org"}))
    assert final.get_final_state() is WorkflowRunState.IDLE
    assert sorted((r.email, r.is_valid) for r in orchestrator.results) == [
        ("admin@company.com", True), ("guest@unknown.org", True), ("user@example.com", True),
    ]


@dataclass
class Approval(RequestInfoMessage):
    text: str = ""


def test_request_info_executor_never_changes_the_senders_request():
    class Asker(Executor):
        sent: list = []

        @handler
        async def ask(self, text: str, ctx: WorkflowContext[Approval]) -> None:
            request = Approval(text=text)
            Asker.sent.append(request)
            await ctx.send_message(request)

        @handler
        async def answered(self, answer: RequestResponse[Approval, bool], ctx: WorkflowContext[Never, bool]) -> None:
            await ctx.yield_output(answer.data)

    workflow = (
        WorkflowBuilder().add_edge(Asker("asker"), RequestInfoExecutor("gate")).add_edge("gate", "asker")
        .set_start_executor("asker").build()
    )
    [ask] = run(workflow.run("ok?")).get_request_info_events()
    assert ask.data.source_executor_id == "asker"
    assert Asker.sent[0].source_executor_id is None
    assert run(workflow.send_responses({ask.request_id: True})).get_outputs() == [True]


# --- several executions of one WorkflowExecutor in flight ----------------------------------------


@dataclass
class TitleRequest:
    topic: str


class TitleAsker(Executor):
    @handler
    async def ask(self, topic: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(TitleRequest(topic), response_type=str)

    @response_handler
    async def answered(self, request: TitleRequest, title: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{request.topic}: {title}")


def two_jobs_parent(storage=None) -> Workflow:
    class Split(Executor):
        @handler
        async def split(self, topics: list[str], ctx: WorkflowContext[str]) -> None:
            for topic in topics:
                await ctx.send_message(topic)

    class Collect(Executor):
        @handler
        async def collect(self, line: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(line)

    child = WorkflowBuilder().set_start_executor(TitleAsker("asker")).build()
    builder = (
        WorkflowBuilder()
        .add_edge(Split("split"), WorkflowExecutor(child, id="titles"))
        .add_edge("titles", Collect("collect"))
        .set_start_executor("split")
    )
    return (builder.with_checkpointing(storage) if storage else builder).build()


def test_one_workflow_executor_runs_several_jobs_at_once_answered_in_any_order():
    workflow = two_jobs_parent()
    asks = run(workflow.run(["owls", "bats", "moths"])).get_request_info_events()
    by_topic = {a.data.topic: a.request_id for a in asks}
    assert sorted(by_topic) == ["bats", "moths", "owls"]
    assert {a.source_executor_id for a in asks} == {"titles"}
    second = run(workflow.send_responses({by_topic["moths"]: "Night flyers"}))
    assert second.get_outputs() == ["moths: Night flyers"]
    assert second.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    third = run(workflow.send_responses({by_topic["owls"]: "Silent hunters", by_topic["bats"]: "Echoes"}))
    assert sorted(third.get_outputs()) == ["bats: Echoes", "owls: Silent hunters"]
    assert third.get_final_state() is WorkflowRunState.IDLE
    assert workflow.latest_run.state.executor_states["titles"]["executions"] == {}  # finished jobs are forgotten


def test_two_executions_in_flight_survive_a_checkpoint_round_trip(tmp_path):
    storage = FileCheckpointStorage(str(tmp_path))
    asks = run(two_jobs_parent(storage).run(["owls", "bats"])).get_request_info_events()
    by_topic = {a.data.topic: a.request_id for a in asks}
    newest = run(storage.list_checkpoints())[-1]

    resumed = two_jobs_parent()
    first = run(resumed.run_from_checkpoint(newest.checkpoint_id, storage, {by_topic["bats"]: "Echoes"}))
    assert first.get_outputs() == ["bats: Echoes"]
    [still] = first.get_request_info_events()
    assert still.request_id == by_topic["owls"]
    last = run(resumed.send_responses({by_topic["owls"]: "Silent hunters"}))
    assert last.get_outputs() == ["owls: Silent hunters"]
    assert last.get_final_state() is WorkflowRunState.IDLE
