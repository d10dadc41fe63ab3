"""What the browser tests stand on: Chromium and Playwright (or a clear word on their absence),
and a JupyterLab server started on a port it really listens on and stopped together with
every kernel it started.

Two things can go wrong with a throwaway server, and both are handled here:

- **The port.** A free port found now may be taken before the server binds it, and Jupyter's
  default then quietly moves to another port (``port_retries=50``) while the test talks to the
  first one. So the server gets ``port_retries=0`` (it exits instead of moving), and
  `start_lab` tries again on another free port.
- **The kernels.** Jupyter starts each kernel in a session of its own, so stopping the server
  process does not stop them, and a server that dies does not shut them down. `LabServer.stop`
  asks the server to shut them down, stops it, and then kills any kernel still alive (found
  by ``JPY_PARENT_PID``, which Jupyter sets in every kernel's environment).
"""

from __future__ import annotations

import importlib.util
import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
PORT_TAKEN = "is already in use"  # what Jupyter logs when it cannot bind its port


def in_ci() -> bool:
    """True on a CI runner (GitHub Actions, GitLab and most others set CI=true)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_browser() -> None:
    """Skip the calling test when Chromium or Playwright is missing, saying what to install; on
    CI, fail instead: there a skipped browser test would go unnoticed."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Debian's Chromium at {CHROMIUM} (`apt-get install chromium`; `make test` installs it)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package (`pip install -e '.[test]'`; never `playwright install`)")
    if not missing:
        return
    reason = "The browser test needs " + " and ".join(missing) + "."
    if in_ci():
        pytest.fail(f"{reason} CI=true, so it must run: add them to the CI image.", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A port nobody listens on right now (someone may take it before we do)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """A running JupyterLab: its URL, token and process."""

    process: subprocess.Popen
    base: str
    token: str
    log_path: Path
    root: Path | None = None  # the folder it serves, when the caller records it

    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        """Call Jupyter's REST API (``/api/...``) and return the decoded JSON answer."""
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
        return json.loads(text) if text else None

    def kernel_processes(self) -> list[psutil.Process]:
        """The live processes this server launched as kernels (found even after it died)."""
        found = []
        for process in psutil.process_iter():
            try:
                if process.environ().get("JPY_PARENT_PID") == str(self.process.pid):
                    found.append(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        return found

    def stop(self) -> None:
        """Shut down the kernels, stop the server, and kill any kernel left running."""
        if self.process.poll() is None:
            try:
                for kernel in self.api("GET", "/api/kernels", timeout=5):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except OSError:
                pass  # the server is not answering: the kernels are killed below
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        leftovers = self.kernel_processes()
        for process in leftovers:
            process.kill()
        psutil.wait_procs(leftovers, timeout=10)


def start_lab(
    root: Path, workdir: Path, log_path: Path, *, token: str, port: int | None = None, attempts: int = 3
) -> LabServer:
    """Start JupyterLab on `root`, with its settings and runtime files in `workdir`, and wait
    until it answers. The first attempt uses `port` (default: a free one); when that port is
    taken by the time the server binds it, the next attempt takes another."""
    venv_bin = Path(sys.executable).parent
    env = {
        **os.environ,
        # The kernel must be this environment's python: prefer the venv's kernelspec and
        # settings, and keep the user's own Jupyter folders out of the way.
        "JUPYTER_PREFER_ENV_PATH": "1",
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(workdir / "config"),
        "JUPYTER_DATA_DIR": str(workdir / "data"),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(workdir / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
    }
    env.pop("WFKIT_HEADLESS", None)  # a person clicks here, even when CI says headless for the rest
    # The quiet defaults `make lab` gives a learner's JupyterLab (no news toast over the
    # notebook, no "Select Kernel" dialog), here as this server's own user settings.
    quiet_defaults = runpy.run_path(str(REPO / "scripts" / "lab_overrides.py"))["DEFAULTS"]
    for plugin_id, settings in quiet_defaults.items():
        package, plugin = plugin_id.split(":")
        settings_file = workdir / "settings" / package / f"{plugin}.jupyterlab-settings"
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        settings_file.write_text(json.dumps(settings))
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text("")
    attempt = 1
    while True:
        port = port or free_port()
        command = [
            str(venv_bin / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            command.append("--allow-root")  # containers often run as root; Jupyter refuses without it
        log_start = log_path.stat().st_size
        with open(log_path, "a") as log:
            log.write(f"--- attempt {attempt}, port {port}\n")
            log.flush()
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        server = LabServer(process, f"http://127.0.0.1:{port}", token, log_path)
        try:
            wait_for_server(server)
            return server
        except BaseException as error:
            server.stop()
            this_attempt = log_path.read_bytes()[log_start:].decode(errors="replace")
            if not isinstance(error, RuntimeError) or PORT_TAKEN not in this_attempt or attempt == attempts:
                raise
        attempt, port = attempt + 1, None


def wait_for_server(server: LabServer, timeout: float = 90) -> None:
    """Wait until the server answers on its port with its token (another server on a port we
    thought free would refuse the token)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {server.process.returncode}; see {server.log_path}")
        try:
            with urllib.request.urlopen(f"{server.base}/api/status?token={server.token}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"JupyterLab did not answer within {timeout}s; see {server.log_path}")
