"""The sandbox accounts: one unprivileged system account per grading slot."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess

from course.errors import CourseError

SANDBOX_USER = "nps-sandbox-{}"
KERNEL_NAME = "course-sandbox"


def system_tool(name: str) -> str | None:
    """Path of an administration tool, looking in the sbin folders too (root's
    PATH under runuser or cron may lack them)."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/bin", "/bin"])
    return shutil.which(name, path=path)


def ensure_sandbox_user(index: int) -> pwd.struct_passwd:
    """The unprivileged account of grading slot ``index`` (no home, no login)."""
    name = SANDBOX_USER.format(index)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    proc = subprocess.run(
        [
            system_tool("useradd") or "useradd",
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ],  # fmt: skip
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 and "already exists" not in proc.stderr:
        raise CourseError(f"cannot create the sandbox account {name}: {proc.stderr.strip()}")
    return pwd.getpwnam(name)


def kill_all(user: str) -> None:
    """End every process of a sandbox account (a submission's leftovers)."""
    for _ in range(5):
        proc = subprocess.run(
            [system_tool("pkill") or "pkill", "-KILL", "-u", user], capture_output=True
        )
        if proc.returncode == 1:  # nothing left
            return
