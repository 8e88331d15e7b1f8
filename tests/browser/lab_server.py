"""Start ``course lab`` on 127.0.0.1 for a test, and stop it afterwards.

Shared by the HTTP lab test (``tests/test_lab.py``) and the browser tests.
The server runs with the network-blocking ``sitecustomize`` on its
``PYTHONPATH`` (so its kernels are offline too), with a fixed token, and logs
into a file (a pipe nobody reads would fill up and stall the server).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TOKEN = "course-test-token"
START_TIMEOUT_S = 60


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab: where it listens, its token and its log file."""

    base: str
    port: int
    token: str
    log: Path
    proc: subprocess.Popen[bytes]

    def request(self, method: str, path: str, timeout: float = 10) -> tuple[int, str]:
        """``method`` on ``path`` (e.g. ``/api/status``) with the token; status and body."""
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        """GET ``path`` with the token; status and body."""
        return self.request("GET", path, timeout)

    def get_json(self, path: str) -> object:
        """GET ``path`` and decode its JSON body."""
        return json.loads(self.get(path)[1])

    def url(self, path: str) -> str:
        """Browser address of ``path`` that logs in with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's log, for failure messages."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@contextmanager
def running_lab(
    root: Path,
    log: Path,
    env: dict[str, str],
    extra: list[str] | None = None,
    token: str = TOKEN,
    start_timeout: float = START_TIMEOUT_S,
) -> Iterator[LabServer]:
    """Run ``course lab --no-browser`` on a free port of 127.0.0.1 in ``root``.

    Parameters
    ----------
    root
        The course folder (the server's working and root directory).
    log
        File that receives the server's output.
    env
        Environment of the server (e.g. ``conftest.offline_env()``).
    extra
        More JupyterLab options, after the token option.
    token
        The server's token (``ServerApp.token``).
    start_timeout
        Seconds to wait for ``/api/status`` to answer.
    """
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "course.cli",
                "lab",
                "--no-browser",
                "--port",
                str(port),
                # root (CI) must ask for it: `course lab` never adds it by itself
                *(["--allow-root"] if os.geteuid() == 0 else []),
                "--",
                f"--ServerApp.token={token}",
                *(extra or []),
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LabServer(f"http://127.0.0.1:{port}", port, token, log, proc)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                server.get("/api/status", timeout=5)
                break
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"JupyterLab did not start ({exc}):\n{server.log_tail()}"
                    ) from None
                time.sleep(0.5)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
