"""The browser tests' harness: a JupyterLab on the port it says, no kernel left behind, and no
silent skip on CI."""

from __future__ import annotations

import secrets
import socket
import time
from pathlib import Path

import psutil
import pytest

from tests.browser import harness
from tests.browser.harness import start_lab


def started(tmp_path: Path, **options) -> harness.LabServer:
    root = tmp_path / "root"
    root.mkdir()
    return start_lab(root, tmp_path, tmp_path / "jupyter-server.log", token=secrets.token_hex(16), **options)


def test_a_port_taken_before_the_server_binds_it_is_retried_on_another_not_silently_moved(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()  # listening, never answering: what a server that moved would leave us talking to
        taken = squatter.getsockname()[1]
        server = started(tmp_path, port=taken)
        try:
            assert not server.base.endswith(f":{taken}")
            assert server.api("GET", "/api/status")["kernels"] == 0  # the URL we hold is the server's
            assert harness.PORT_TAKEN in server.log_path.read_text()
        finally:
            server.stop()


def test_stopping_ends_every_kernel_even_when_the_server_died_first(tmp_path):
    server = started(tmp_path)
    try:
        server.api("POST", "/api/kernels", {"name": "python3"})
        kernels = []
        for _ in range(100):  # the kernel process appears right after the answer; bounded wait
            kernels = server.kernel_processes()
            if kernels:
                break
            time.sleep(0.1)
        assert kernels, "the server answered but no kernel process was found"
        server.process.kill()  # died: it shuts nothing down, and its kernels live on by themselves
        server.process.wait()
        assert all(kernel.is_running() for kernel in kernels)
    finally:
        server.stop()
    assert not any(kernel.is_running() and kernel.status() != psutil.STATUS_ZOMBIE for kernel in kernels)


def test_without_chromium_the_browser_test_skips_with_a_reason_but_fails_on_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(harness, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        harness.require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true, so it must run"):
        harness.require_browser()
