"""Lessons that run offline never load the openai package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_importing_wfkit_agents_does_not_import_openai() -> None:
    code = (
        "import sys, wfkit, wfkit.agents\n"
        "from wfkit.agents import OfflineChatClient, chat_client\n"
        "chat_client(verbose=False)\n"
        "assert 'openai' not in sys.modules, 'openai was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
