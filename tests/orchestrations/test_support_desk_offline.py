"""The offline model on a support desk, in each kind of team: a customer's message is split into
its issues, each goes to the agent whose job it is, and what they say reads like a desk's reply."""

from __future__ import annotations

from typing import Any

from tests.conftest import run
from wfkit import Agent, OfflineChatClient
from wfkit.orchestrations import (
    GroupChatBuilder,
    GroupChatRequestSentEvent,
    HandoffBuilder,
    MagenticBuilder,
)

TWO_ISSUES = "Hi, I was charged twice for order 1042, and the parcel still hasn't arrived."
PARCEL_ONLY = "My parcel for order 2203 still hasn't arrived."


def desk() -> tuple[Agent, Agent, Agent]:
    """(triage, billing, shipping), each with instructions and a description."""
    client = OfflineChatClient()

    def member(name: str, instructions: str, description: str) -> Agent:
        return Agent(client, instructions, name=name, description=description,
                     require_per_service_call_history_persistence=True)

    return (
        member("triage", "You are the support desk's frontline triage. Greet the customer and pass them on.",
               "Greets the customer and works out which specialist a request is for"),
        member("billing", "You handle billing: invoices, charges, refunds and payment methods.",
               "Handles invoices, charges, refunds and payment methods"),
        member("shipping", "You handle shipping: parcels, deliveries, tracking and lost packages.",
               "Handles parcels, deliveries, tracking and lost packages"),
    )


def chair() -> Agent:
    return Agent(OfflineChatClient(), "You chair the support desk.", name="desk_lead")


def speakers(result: Any) -> list[str]:
    return [e.data.participant_name for e in result if isinstance(e.data, GroupChatRequestSentEvent)]


def answers(result: Any) -> dict[str, str]:
    return {e.executor_id: e.data.text for e in result if e.type == "agent_run"}


# --- group chat ------------------------------------------------------------------------------------


def test_a_message_with_two_issues_is_answered_by_both_specialists_each_taking_its_own():
    result = run(GroupChatBuilder(participants=list(desk()), orchestrator_agent=chair()).build().run(TWO_ISSUES))
    assert speakers(result) == ["billing", "shipping"]  # the manager routes: triage is not needed
    said = answers(result)
    assert said["billing"].startswith("I handle billing, so this part is mine: you were charged twice for order 1042.")
    assert said["shipping"].startswith("I handle shipping, so this part is mine: the parcel still hasn't arrived.")
    assert "refund" in said["billing"] and "carrier" in said["shipping"] and "parcel" not in said["billing"]


def test_the_chairs_closing_message_is_the_desks_reply_to_the_customer_quoting_each_specialist():
    result = run(GroupChatBuilder(participants=list(desk()), orchestrator_agent=chair()).build().run(TWO_ISSUES))
    said, [closing] = answers(result), result.get_outputs()
    assert closing.text.startswith("Hello, and thank you for your patience. Here is what we are doing about order 1042:")
    assert f"- billing: {said['billing']}" in closing.text and f"- shipping: {said['shipping']}" in closing.text


def test_a_specialist_called_for_nothing_of_its_own_says_so_and_promises_nothing():
    always_billing = GroupChatBuilder(
        participants=list(desk()), selection_func=lambda state: "billing", max_rounds=1
    ).build()
    [said] = answers(run(always_billing.run(PARCEL_ONLY))).values()
    assert "nothing in this message is mine" in said and "I'll check" not in said


# --- Magentic ------------------------------------------------------------------------------------------


def magentic(**options: Any) -> Any:
    lead = Agent(OfflineChatClient(), "You lead the support desk.", name="desk_lead")
    return MagenticBuilder(participants=list(desk()), manager_agent=lead, **options).build()


def test_the_plan_gives_each_issue_to_its_specialist_and_leaves_out_who_has_none():
    workflow = magentic(enable_plan_review=True)
    [request] = run(workflow.run(PARCEL_ONLY)).get_request_info_events()
    plan = request.data.plan.text.split("Plan:\n", 1)[1]
    assert plan.startswith("- shipping: sort out that their parcel for order 2203 still hasn't arrived")
    assert "billing" not in plan and "triage" not in plan
    done = run(workflow.send_responses({request.request_id: request.data.approve()}))
    assert speakers(done) == ["shipping"]


def test_the_facts_restate_the_customers_issues_and_what_to_look_up():
    workflow = magentic(enable_plan_review=True)
    [request] = run(workflow.run(TWO_ISSUES)).get_request_info_events()
    facts = request.data.plan.text
    assert "- The customer was charged twice for order 1042." in facts and "- The parcel still hasn't arrived." in facts
    assert "- The payments taken for order 1042." in facts and "- Where the parcel for order 1042 is." in facts


def test_a_reviewers_request_goes_to_the_specialist_whose_job_it_fits_who_then_does_it():
    workflow = magentic(enable_plan_review=True)
    [first] = run(workflow.run(TWO_ISSUES)).get_request_info_events()
    [second] = run(workflow.send_responses({first.request_id: first.data.revise("Please refund the double charge first.")})
                   ).get_request_info_events()
    assert second.data.plan.text.endswith("- billing: as the reviewer asked, refund the double charge first.")
    done = run(workflow.send_responses({second.request_id: second.data.approve()}))
    assert "as the plan's reviewer asked, I'll refund the double charge first" in answers(done)["billing"]


def test_the_final_answer_is_a_reply_to_the_customer_with_each_specialists_next_step():
    result = run(magentic().run(TWO_ISSUES))
    [output] = result.get_outputs()
    assert output.text.startswith("Hello, and thank you for your patience. Here is what we are doing about order 1042:")
    assert set(answers(result)) == {"billing", "shipping"}
    for name, said in answers(result).items():
        assert f"- {name}: {said}" in output.text


# --- handoff ---------------------------------------------------------------------------------------------


def handoff() -> Any:
    triage, billing, shipping = desk()
    return HandoffBuilder(participants=[triage, billing, shipping]).with_start_agent(triage).build()


def test_a_charge_goes_to_the_agent_whose_description_says_charges():
    result = run(handoff().run("Hi, I was charged twice for my new kettle."))
    assert [(e.data.source, e.data.target) for e in result if e.type == "handoff_sent"] == [("triage", "billing")]


def test_without_an_order_number_the_specialist_asks_for_it_then_says_what_it_will_do():
    workflow = handoff()
    [question] = run(workflow.run("Hi, I was charged twice for my new kettle.")).get_request_info_events()
    asked = question.data.agent_response.text
    assert "you were charged twice for your new kettle" in asked and asked.endswith("order number, so I can look it up?")
    answered = run(workflow.run(responses={question.request_id: "It's order 1042."}))
    reply = answers(answered)["billing"]
    assert reply.startswith("Thank you. I'll check the payments taken for order 1042")
