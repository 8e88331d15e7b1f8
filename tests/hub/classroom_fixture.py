"""A real classroom for tests: OS accounts, JupyterHub, proxy, Formgrader.

Started and removed by the tests themselves; needs root (as CI runs).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pamela
import psutil

from course.hub import classroom

REPO = Path(__file__).resolve().parents[2]


def free_port_block(width: int = 4) -> int:
    """A port p with p .. p+width-1 all free on 127.0.0.1."""
    for start in range(20000 + os.getpid() % 20000, 60000, 7):
        socks = []
        try:
            for port in range(start, start + width):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                socks.append(s)
            return start
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free ports")


@dataclass
class Hub:
    """A running classroom hub and the means to talk to it as anyone."""

    room: classroom.Classroom
    url: str
    process: subprocess.Popen | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def settings(self) -> dict:
        return self.room.settings()

    def request(
        self, method: str, path: str, token: str, data: dict | str | None = None, form: bool = False
    ) -> tuple[int, str]:
        body = None
        headers = {"Authorization": f"token {token}"}
        if isinstance(data, dict) and form:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = (data if isinstance(data, str) else json.dumps(data)).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def admin(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        return self.request(method, path, self.room.admin_token(), data)

    def token_for(self, user: str) -> str:
        if user not in self.tokens:
            status, body = self.admin(
                "POST", f"/hub/api/users/{user}/tokens", {"note": "course test"}
            )
            assert status in (200, 201), body
            self.tokens[user] = json.loads(body)["token"]
        return self.tokens[user]

    def as_user(self, user: str, method: str, path: str, data=None, form=False) -> tuple[int, str]:
        return self.request(method, f"/user/{user}{path}", self.token_for(user), data, form)

    def start_server(self, user: str) -> None:
        status, body = self.admin("POST", f"/hub/api/users/{user}/server")
        assert status in (201, 202), body
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            _, body = self.admin("GET", f"/hub/api/users/{user}")
            server = json.loads(body)["servers"].get("")
            if server and server["ready"]:
                return
            time.sleep(0.5)
        raise AssertionError(f"the server of {user} did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=120)


def as_os_user(user: str, *cmd: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` as OS user ``user`` (with the classroom's Python first on PATH)."""
    env_path = f"{classroom.DEFAULT_VENV / 'bin'}:/usr/bin:/bin"
    return subprocess.run(
        ["runuser", "-u", user, "--", "env", f"PATH={env_path}", *cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def start_classroom(people: list[tuple[str, str, str]], grader: str) -> Hub:
    base = Path(tempfile.mkdtemp(prefix="nps-classroom-", dir="/tmp"))
    roster = base.parent / f"{base.name}-roster.csv"
    roster.write_text("username,full_name,role\n" + "\n".join(",".join(p) for p in people) + "\n")
    port = free_port_block()
    classroom.setup(roster, REPO, base, port=port, grader=grader)
    roster.unlink()
    room = classroom.Classroom(base)
    hub = Hub(room=room, url=f"http://127.0.0.1:{port}")
    hub.process = classroom.start(room)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(hub.url + "/hub/api/", timeout=5) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if hub.process.poll() is not None:
            raise AssertionError("JupyterHub exited during start-up")
        time.sleep(0.5)
    else:
        raise AssertionError("JupyterHub did not start")
    return hub


def processes_of(users: list[str]) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["username", "status"]):
        if proc.info["username"] in users and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(proc)
    return found


def remove_classroom(hub: Hub) -> None:
    """Stop the hub and remove the classroom (the shared runtime stays)."""
    hub.stop()
    archive = hub.room.base.parent / f"{hub.room.base.name}-saved"
    if hub.room.base.exists():
        classroom.teardown(hub.room, archive=archive)
    shutil.rmtree(hub.room.base, ignore_errors=True)
    shutil.rmtree(archive, ignore_errors=True)


def login(url: str, user: str, password: str) -> int:
    """Log in through the hub's login page as a browser does; the status of the
    answer to the form (302 to the user's server when the login worked)."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{url}/hub/login", timeout=30) as resp:
        assert resp.status == 200
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    form = urllib.parse.urlencode({"username": user, "password": password, "_xsrf": xsrf})
    try:
        with opener.open(f"{url}/hub/login", data=form.encode(), timeout=60) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def logs_in(user: str, password: str) -> bool:
    try:
        pamela.authenticate(user, password, service="login")
        return True
    except pamela.PAMError:
        return False
