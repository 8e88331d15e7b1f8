"""What `course hub teardown` removes besides the classroom: the runtime the
course made (environment with the course's stamp, the proxy copy beside it)
and the grading sandbox's accounts that no grading run holds. Needs root."""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.hub import runtime
from course.hub.sandbox_accounts import remove_sandbox_accounts, sandbox_accounts
from course.sandbox.bwrap import LEASES
from course.sandbox.setup import ensure_sandbox_user

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("useradd", path="/usr/sbin:/sbin:/usr/bin"),
    reason="the sandbox accounts are OS accounts: it needs root and useradd",
)


def fake_runtime(folder: Path, stamped: bool) -> Path:
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    if stamped:
        (venv / runtime.STAMP).write_text("fingerprint\n")
    proxy = runtime.proxy_folder(venv)
    (proxy / "node_modules" / ".bin").mkdir(parents=True)
    (proxy / "package-lock.json").write_text("{}")
    return venv


def test_remove_runtime_removes_what_the_course_made(tmp_path: Path) -> None:
    venv = fake_runtime(tmp_path / "opt", stamped=True)
    removed = runtime.remove_runtime(venv)
    assert removed == [venv, runtime.proxy_folder(venv), venv.parent]
    assert not venv.parent.exists()


def test_remove_runtime_keeps_an_environment_it_did_not_make(tmp_path: Path) -> None:
    venv = fake_runtime(tmp_path / "opt", stamped=False)
    assert runtime.remove_runtime(venv) == []
    assert (venv / "pyvenv.cfg").is_file() and runtime.proxy_folder(venv).is_dir()


def test_remove_runtime_keeps_other_files_beside_it(tmp_path: Path) -> None:
    venv = fake_runtime(tmp_path / "opt", stamped=True)
    (venv.parent / "notes.txt").write_text("mine")
    assert runtime.remove_runtime(venv) == [venv, runtime.proxy_folder(venv)]
    assert (venv.parent / "notes.txt").read_text() == "mine"


def test_sandbox_accounts_are_removed_unless_a_grading_run_holds_them() -> None:
    # two accounts of slots no grading run here reaches, so that the test
    # leaves the accounts of other grading runs on this machine alone
    held, free = (ensure_sandbox_user(n).pw_name for n in (61, 62))
    LEASES.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(LEASES / "61.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a grading run holds its account
    try:
        removed, busy = remove_sandbox_accounts({61, 62})
        pwd.getpwnam(held)  # raises if it was removed while held
    finally:
        os.close(fd)
    assert (removed, busy) == ([free], [held])
    names = {a.pw_name for a in sandbox_accounts()}
    assert held in names and free not in names
    assert not (LEASES / "62.lock").exists()
    removed, busy = remove_sandbox_accounts({61, 62})
    assert (removed, busy) == ([held], [])
    assert not {held, free} & {a.pw_name for a in sandbox_accounts()}
    assert not (LEASES / "61.lock").exists()


def test_teardown_removes_every_free_sandbox_account_and_the_leases() -> None:
    """What teardown calls: every sandbox account, then the lease folder (when
    a grading run elsewhere on this machine holds one, that one stays, and so
    does the folder)."""
    ensure_sandbox_user(63)
    removed, busy = remove_sandbox_accounts()
    assert "nps-sandbox-63" in removed
    assert {a.pw_name for a in sandbox_accounts()} == set(busy)
    assert LEASES.exists() == bool(busy)
