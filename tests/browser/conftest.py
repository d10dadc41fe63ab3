"""Fixtures of the browser tests: Chromium (or a clear skip), and one JupyterLab per test module
on a folder of lesson copies; each test opens its own notebook, so each has its own kernel."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM, LabServer, require_browser, start_lab
from tests.browser.lab_page import ARTIFACTS

HERE = Path(__file__).resolve().parent
LESSON = HERE / "review_lesson.ipynb"


@pytest.fixture(scope="module")
def chromium() -> Path:
    require_browser()  # before `lab`: no server is started for a test that cannot run
    return CHROMIUM


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory, request) -> LabServer:
    """A JupyterLab server on a folder holding a copy of the review lesson; stopped with its
    kernels afterwards. `copy_lesson(lab, name)` adds another copy for a test of its own."""
    workdir = tmp_path_factory.mktemp("lab")
    root = workdir / "lesson"
    root.mkdir()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / f"jupyter-server-{request.module.__name__.rsplit('.', 1)[-1]}.log"
    server = start_lab(root, workdir, log, token=secrets.token_hex(16))
    server.root = root
    try:
        yield server
    finally:
        server.stop()


def copy_lesson(lab: LabServer, name: str, source: Path = LESSON) -> str:
    """Put a copy of `source` in the lab's folder as `name`; return the URL path that opens it."""
    shutil.copy(source, lab.root / name)
    return f"{lab.base}/lab/tree/{name}?reset&token={lab.token}"


def copy_course_lesson(lab: LabServer, lesson: Path) -> str:
    """Put a lesson of the course in the lab's folder with what its cells import (the course's
    exercises/ and .solutions/); return the URL path that opens it."""
    for folder in ("exercises", ".solutions"):
        shutil.copytree(lesson.parent / folder, lab.root / folder, dirs_exist_ok=True)
    return copy_lesson(lab, lesson.name, lesson)
