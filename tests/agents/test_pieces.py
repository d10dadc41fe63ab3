"""A run's outputs for a reader: the streamed pieces of one answer joined, per speaker."""

from __future__ import annotations

from tests.conftest import run
from tests.widgets.test_team_cards import support_desk
from wfkit import AgentResponse, AgentResponseUpdate
from wfkit.agents import JoinedOutputs
from wfkit.notebook import NotebookRun


def piece(text: str, author: str, response_id: str | None = None) -> AgentResponseUpdate:
    return AgentResponseUpdate(text=text, author_name=author, response_id=response_id)


def test_pieces_from_one_speaker_become_one_answer_and_a_new_speaker_starts_another():
    outputs = JoinedOutputs()
    for value in [piece("Hello ", "triage"), piece("there.", "triage"), piece("I can ", "billing"), piece("help.", "billing")]:
        outputs.add(value)
    assert [(a.messages[0].author_name, a.text) for a in outputs.items] == [("triage", "Hello there."), ("billing", "I can help.")]
    assert outputs.count == 2 and all(isinstance(a, AgentResponse) for a in outputs.items)


def test_a_new_response_id_or_another_output_between_starts_a_new_answer():
    outputs = JoinedOutputs()
    for value in [piece("One.", "a", "r1"), piece("Two.", "a", "r2"), "plain", piece("Three.", "a", "r2")]:
        outputs.add(value)
    assert [getattr(v, "text", v) for v in outputs.items] == ["One.", "Two.", "plain", "Three."]


def test_keep_last_keeps_the_latest_answers_whole_and_counts_them_all():
    outputs = JoinedOutputs(keep_last=2)
    for number in range(5):
        outputs.add(piece(f"answer {number} ", f"agent{number}"))
        outputs.add(piece("done.", f"agent{number}"))
    assert [a.text for a in outputs.items] == ["answer 3 done.", "answer 4 done."] and outputs.count == 5


def test_a_notebook_run_of_a_streaming_team_holds_and_draws_each_answer_whole():
    async def scenario():
        notebook_run = await NotebookRun(support_desk("today")).start("I want my money back for order 1234")
        plain = await support_desk("today").run("I want my money back for order 1234")
        assert [o.text for o in notebook_run.outputs] == [o.text for o in plain.get_outputs()]
        assert notebook_run.view.recent_outputs == notebook_run.outputs
        assert notebook_run.view.outputs_html().count('class="wfkit-output"') == len(plain.get_outputs())

    run(scenario())
