"""The questions a Magentic manager asks its model, as text.

Four questions, in the order a run asks them: the facts, the plan, the progress ledger (each
round), the final answer. Each names the task; the plan and the ledger list the team, one
``- name: description`` a line, under "Team:". The offline model recognises each question by a
phrase of it (`wfkit.agents.offline.planning`: "take stock of the task", "make a short plan for
the team", the ledger's JSON keys, "write the final answer to the task"); a real model just
reads them. Change a phrase here and the offline model's too.
"""

FACTS = """Before we plan, take stock of the task below. Under four headings (given in the task; to look up; to work out; assumptions) list what we know and what we still need. Be brief.

Task: {task}"""

FACTS_AGAIN = """Our last attempt did not get there. Take stock of the task again, in the same four headings, keeping what still holds and adding what we learned.

Task: {task}"""

PLAN = """Now make a short plan for the team below to carry out the task: one bullet per step, each starting with the name of who does it. Use only these people.

Team:
{team}

Task: {task}"""

PLAN_FEEDBACK = """

Feedback to take into account: {feedback}"""

LEDGER = """Review our progress on the task and decide the next step.

Task: {task}

Team:
{team}

Answer with one JSON object and nothing else, with exactly these keys, each holding {{"reason": "...", "answer": ...}}:
- "is_request_satisfied": true once the task is fully done, else false
- "is_in_loop": true if we are repeating the same requests or answers, else false
- "is_progress_being_made": true if the last turns moved us forward, else false
- "next_speaker": who should speak next, one of: {names}
- "instruction_or_question": what to ask that person to do, in one or two sentences"""

FINAL = """We are done. Write the final answer to the task for the user, built from what the team found. Credit who found what.

Task: {task}"""
