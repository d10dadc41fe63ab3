"""A handoff workflow is a plain workflow: it checkpoints and resumes mid-conversation, runs as a
node of a bigger workflow, runs as an agent, and draws its handoffs as edges."""

from __future__ import annotations

from tests.conftest import run
from wfkit import Content, FileCheckpointStorage, Message, WorkflowBuilder
from wfkit.orchestrations import HandoffAgentUserRequest, HandoffBuilder
from wfkit.widgets.request_html import request_html

from .handoff_helpers import desk, handoffs, issue_refund, said

REFUND_ASK = "I'd like a refund for order 1234, please."


def support(storage=None, **tools):
    agents = desk(**tools)
    return HandoffBuilder(participants=list(agents), checkpoint_storage=storage).with_start_agent(agents[0]).build()


def test_a_conversation_resumes_from_a_checkpoint_in_a_new_workflow(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    first = support(storage)
    request = run(first.run("Hello, I need some help.")).get_request_info_events()[0]
    latest = run(storage.get_latest(workflow_name=first.name))
    resumed = run(support(storage).run(checkpoint_id=latest.checkpoint_id, responses={request.request_id: REFUND_ASK}))
    assert handoffs(list(resumed)) == [("triage_agent", "refund_agent")]
    asked_again = resumed.get_request_info_events()[0].data
    # The restored conversation holds the turn before the checkpoint too.
    assert [m.text for m in asked_again.conversation][:1] == ["Hello, I need some help."]


def test_an_approval_waiting_in_a_checkpoint_is_answered_after_a_restart(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    first = support(storage, refund_tools=[issue_refund])
    request = run(first.run(REFUND_ASK)).get_request_info_events()[0]
    latest = run(storage.get_latest(workflow_name=first.name))
    approval = request.data.to_function_approval_response(True)
    resumed = run(support(storage, refund_tools=[issue_refund]).run(checkpoint_id=latest.checkpoint_id, responses={request.request_id: approval}))
    assert "Refund issued for order 1234" in said(list(resumed))[-1][1]


def test_a_handoff_workflow_runs_as_a_node_of_a_bigger_workflow():
    node = support().as_executor(id="support")
    parent = WorkflowBuilder(name="desk").add_executor(node).set_start_executor(node).build()
    result = run(parent.run(REFUND_ASK))
    (request,) = result.get_request_info_events()
    assert isinstance(request.data, HandoffAgentUserRequest)
    finished = run(parent.run(responses={request.request_id: HandoffAgentUserRequest.terminate()}))
    assert not finished.get_request_info_events()


def test_a_handoff_workflow_runs_as_an_agent_and_takes_the_users_reply_as_a_function_result():
    agent = support().as_agent(name="desk")
    response = run(agent.run("Hello, I need some help."))
    (call,) = [c for m in response.messages for c in m.contents if c.type == "function_call"]
    request_id = agent.RequestInfoFunctionArgs.from_dict(call.arguments).request_id
    reply = Message("tool", [Content("function_result", call_id=request_id, result=HandoffAgentUserRequest.create_response(REFUND_ASK))])
    answered = run(agent.run(reply))
    assert any(m.author_name == "refund_agent" for m in answered.messages)


def test_the_drawing_has_an_edge_per_allowed_handoff():
    triage, refund, order = desk()
    workflow = HandoffBuilder(participants=[triage, refund, order]).with_start_agent(triage).add_handoff(triage, [refund, order]).build()
    dot = workflow.to_dot()
    assert '"triage_agent" -> "refund_agent"' in dot and '"triage_agent" -> "order_agent"' in dot
    assert '"refund_agent" -> "order_agent"' not in dot


def test_a_notebook_card_shows_the_prompt_first_then_the_conversation():
    request = run(support().run("Hello, I need some help.")).get_request_info_events()[0].data
    page = request_html(request)
    assert page.index("prompt") < page.index("conversation") < page.index("agent_response")
    assert "Hello, I need some help." in page
