"""``course hub demo``: a classroom with random passwords (printed once, to
the person who started it), removed with its accounts when it stops."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pamela
import pytest

from course.hub import classroom, ledger, passwords
from course.hub.accounts import entry
from course.hub.cli import DEMO_GRADER, DEMO_PEOPLE
from hub.classroom_fixture import free_port_block

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("useradd"),
        reason="the demo creates OS accounts: it needs root and useradd",
    ),
]

REPO = Path(__file__).resolve().parents[2]
NAMES = [p[0] for p in DEMO_PEOPLE]
OLD_PUBLISHED = {"instructor-demo", "trainee1-demo", "trainee2-demo"}


def wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the demo exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout} s:\n{log.read_text()[-3000:]}")


def test_demo_makes_random_passwords_and_removes_its_accounts() -> None:
    taken = [n for n in [*NAMES, DEMO_GRADER] if entry(n) is not None]
    assert not taken, f"the demo's accounts exist already here: {taken}"
    base = Path(tempfile.mkdtemp(prefix="nps-demo-", dir="/tmp")) / "classroom"
    os.chmod(base.parent, 0o755)
    port = free_port_block()
    out = base.parent / "demo.log"
    saved_before = sorted(classroom.DEFAULT_ARCHIVE.glob("*"))
    env = {k: v for k, v in os.environ.items() if k != "SUDO_USER"}
    env["PYTHONUNBUFFERED"] = "1"
    with open(out, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "course.cli", "hub", "demo", "--base", str(base)]
            + ["--port", str(port)],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            # as a script's background job starts it: with SIGINT ignored; Ctrl-C
            # (SIGINT) must stop the demo all the same
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        wait_for(lambda: "Ctrl-C stops it" in out.read_text(), 900, "no demo", proc, out)
        shown = dict(
            re.findall(r"^  (\S+)\s+(\S+)  \((?:trainee|instructor)\)$", out.read_text(), re.M)
        )
        assert sorted(shown) == sorted(NAMES)
        words = set(passwords.words())
        for user, password in shown.items():
            assert password not in OLD_PUBLISHED
            assert set(password.split("-")) <= words and password.count("-") == 4, password
            pamela.authenticate(user, password, service="login")  # raises when it is wrong
        assert len(set(shown.values())) == len(shown)
        made = {n for n, r in ledger.read().items() if Path(r.classroom) == base}
        assert made == {*NAMES, DEMO_GRADER}

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/api/", timeout=5) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_for(answers, 90, "the demo hub did not answer", proc, out)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, out.read_text()[-3000:]
    assert "removed the demo classroom" in out.read_text()
    for user in [*NAMES, DEMO_GRADER]:
        assert entry(user) is None, f"{user} survived the demo"
        assert user not in ledger.read()
        assert not Path(f"/home/{user}").exists()
    assert not base.exists()
    assert sorted(classroom.DEFAULT_ARCHIVE.glob("*")) == saved_before, "the demo saved results"
    shutil.rmtree(base.parent, ignore_errors=True)
