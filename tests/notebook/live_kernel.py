"""A real Jupyter kernel, driven the way JupyterLab drives it, for tests of a learner's session.

JupyterLab sends each cell as an ``execute_request`` with ``allow_stdin`` on and the cell's
id in its metadata, in a kernel whose environment has ``JPY_SESSION_NAME``; a click on a
button is a ``comm_msg`` ``{"method": "custom", "content": {"event": "click"}}`` to the
button's comm. `LiveKernel` sends exactly those messages (see design/jupyter.md), and reads
back what the page would show: each cell's reply, its printed text and errors, and the
buttons the kernel created.
"""

from __future__ import annotations

import os
import queue
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Cell:
    """One execute request and what came back for it."""

    msg_id: str
    cell_id: str
    reply: dict[str, Any] | None = None
    text: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)
    results: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.reply is not None


class LiveKernel:
    """A python3 kernel of this environment, started in the repository, as a notebook's."""

    def __init__(self) -> None:
        env = {**os.environ, "JPY_SESSION_NAME": "lesson.ipynb", "JUPYTER_PREFER_ENV_PATH": "1"}
        env.pop("WFKIT_HEADLESS", None)
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
        self.manager = KernelManager(kernel_name="python3")
        self.manager.kernel_spec  # noqa: B018 - fail here, clearly, if there is no python3 kernel
        self.manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        self.manager.start_kernel(env=env, cwd=str(REPO))
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)
        self.cells: dict[str, Cell] = {}
        self.buttons: list[tuple[str, str]] = []  # (comm id, description), in creation order
        # display id -> the data it last showed, from whatever message (a cell, or a click after
        # its cell ended): what JupyterLab keeps in the notebook it saves.
        self.displays: dict[str, dict[str, Any]] = {}

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    # --- sending, as JupyterLab does -------------------------------------------------------

    def execute(self, code: str, cell_id: str) -> Cell:
        """Send a cell, as a notebook frontend sends it (typed input allowed, the cell's id)."""
        message = self.client.session.msg(
            "execute_request",
            {"code": code, "silent": False, "store_history": True, "user_expressions": {},
             "allow_stdin": True, "stop_on_error": True},
            metadata={"cellId": cell_id},
        )
        self.client.shell_channel.send(message)
        cell = Cell(message["header"]["msg_id"], cell_id)
        self.cells[cell.msg_id] = cell
        return cell

    def click(self, description: str) -> None:
        """Click the newest button with this label."""
        comm_id = self.newest_button(description)
        message = self.client.session.msg(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}}
        )
        self.client.shell_channel.send(message)

    def interrupt(self) -> None:
        """Kernel > Interrupt Kernel."""
        self.manager.interrupt_kernel()

    # --- reading back ----------------------------------------------------------------------

    def newest_button(self, description: str) -> str:
        self.pump(0.05)
        found = [comm for comm, label in self.buttons if label == description]
        assert found, f"no {description!r} button was created; buttons: {self.buttons}"
        return found[-1]

    def button_count(self, description: str) -> int:
        self.pump(0.05)
        return sum(label == description for _, label in self.buttons)

    def pump(self, seconds: float) -> None:
        """Read whatever the kernel sends for `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            got = False
            for channel in (self.client.iopub_channel, self.client.shell_channel):
                try:
                    message = channel.get_msg(timeout=max(0.0, min(left, 0.05)))
                except queue.Empty:
                    continue
                got = True
                self._take(message)
            if left <= 0 and not got:
                return

    def _take(self, message: dict[str, Any]) -> None:
        kind, content = message["msg_type"], message["content"]
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            state = content.get("data", {}).get("state", {})
            if state.get("_model_name") == "ButtonModel":
                self.buttons.append((content["comm_id"], state.get("description", "")))
            return
        display_id = content.get("transient", {}).get("display_id") if isinstance(content, dict) else None
        if kind in ("display_data", "update_display_data") and display_id:
            self.displays[display_id] = content["data"]
        cell = self.cells.get(message.get("parent_header", {}).get("msg_id", ""))
        if cell is None:
            return
        if kind == "execute_reply":
            cell.reply = content
        elif kind == "stream":
            cell.text += content["text"]
        elif kind == "error":
            cell.errors.append(content)
        elif kind == "execute_result":
            cell.results.append(content["data"].get("text/plain", ""))

    def wait_until(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                errors = [f"{c.cell_id}: {e['ename']}: {e['evalue']}" for c in self.cells.values() for e in c.errors]
                raise AssertionError(f"waited {timeout}s for {what}; errors so far: {errors or 'none'}")
            self.pump(0.1)

    def run(self, code: str, cell_id: str = "helper", timeout: float = 60) -> Cell:
        """Execute a cell and wait for its reply."""
        cell = self.execute(code, cell_id)
        self.wait_until(lambda: cell.done, timeout, f"cell {cell_id} to finish")
        return cell
