"""``pytest --lessons PATH -n N``: a course's lessons spread over processes by pytest-xdist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.teach.tiny_lessons import lesson


def test_lessons_run_in_several_workers_and_each_reports_its_own_result(tmp_path: Path):
    for number in range(1, 5):
        lesson(tmp_path, f"0{number}_lesson.ipynb", f"print('lesson {number}', {number} * 2)")
    lesson(tmp_path, "05_broken.ipynb", "raise ValueError('lesson 5 is broken')")
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "--lessons", str(tmp_path), "-n", "2", "-v", "-p", "no:cacheprovider"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    out = finished.stdout
    workers = set(re.findall(r"\[(gw\d+)\]", out))
    assert workers == {"gw0", "gw1"}, out[-2000:]
    assert len(re.findall(r"PASSED .*0[1-4]_lesson\S*::defaults", out)) == 4, out[-2000:]
    assert re.search(r"FAILED .*05_broken\S*::defaults", out), out[-2000:]
    assert "lesson 5 is broken" in out  # the failing lesson says why, from its worker
    assert finished.returncode == 1
