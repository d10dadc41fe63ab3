"""What the checkpoint benchmark's workflows must do, shared by its three framework modules.

* chain: the chain of 10 from common.py (input 0, each link adds 1, the last yields 10), run
  with file-based checkpoints in a temporary folder, and without them for the baseline.
* pause + resume: two steps. The first gets ``ASK_INPUT`` and passes ``ASK_INPUT + 1`` on; the
  second asks a human ``question_for(ASK_INPUT + 1)`` and expects an int. The run must pause
  with exactly that one question pending and a checkpoint saved. A freshly built workflow then
  resumes from the checkpoint with ``ANSWER`` and must yield ``ASK_INPUT + 1 + ANSWER``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from common import BrokenRun

ASK_INPUT = 0
ANSWER = 41
ASK_OUTPUT = ASK_INPUT + 1 + ANSWER  # 42


def question_for(n: int) -> str:
    return f"what to add to {n}?"


def number_in(question: str) -> int:
    return int(question.rsplit(" ", 1)[-1].rstrip("?"))


@dataclass
class Paused:
    """A paused run: the pending request's id (None where a framework has none) and its data."""

    request_id: Any
    question: Any


def check_paused(paused: Paused) -> None:
    want = question_for(ASK_INPUT + 1)
    if paused.question != want:
        raise BrokenRun(f"pause: expected the question {want!r}, got {paused.question!r}")


def check_resumed(output: Any) -> None:
    if output != ASK_OUTPUT:
        raise BrokenRun(f"resume: expected {ASK_OUTPUT}, got {output!r}")


def directory_bytes(directory: str | None, suffix: str) -> tuple[int, int]:
    """(number of files ending in `suffix`, their total size in bytes) in `directory`."""
    count = size = 0
    if directory:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(suffix) and not entry.name.startswith(".") and entry.is_file():
                    count += 1
                    size += entry.stat().st_size
    return count, size


def remove_files(directory: str | None, suffix: str) -> None:
    if directory:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(suffix) and entry.is_file():
                    os.unlink(entry.path)
