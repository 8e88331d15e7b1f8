"""Sandbox accounts and the kernelspec that starts a kernel inside the sandbox."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from course.errors import CourseError

SANDBOX_USER = "nps-sandbox-{}"
KERNEL_NAME = "course-sandbox"


def system_tool(name: str) -> str | None:
    """Path of an administration tool, looking in the sbin folders too (root's
    PATH under runuser or cron may lack them)."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/bin", "/bin"])
    return shutil.which(name, path=path)


def available() -> str | None:
    """Return None if sandboxed grading can run here, else why not (one line)."""
    if os.geteuid() != 0:
        return "grading runs unsandboxed: sandboxing needs root (sudo course grade)"
    for tool in ("unshare", "useradd", "pkill"):
        if not system_tool(tool):
            return f"grading runs unsandboxed: `{tool}` is missing"
    return None


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


def write_kernelspec(folder: Path, python: Path, user: str, workdir: Path, events: Path) -> Path:
    """Write ``folder/kernels/course-sandbox/kernel.json``; put ``folder`` on JUPYTER_PATH."""
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = [
        system_tool("unshare") or "unshare", "--net", "--",
        str(python), "-m", "course.sandbox.launch",
        "--user", user, "--workdir", str(workdir), "--events", str(events),
        "-f", "{connection_file}",
    ]  # fmt: skip
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Grading sandbox", "language": "python"})
    )
    return spec


def kill_all(user: str) -> None:
    """End every process of a sandbox account (a submission's leftovers)."""
    for _ in range(5):
        proc = subprocess.run(
            [system_tool("pkill") or "pkill", "-KILL", "-u", user], capture_output=True
        )
        if proc.returncode == 1:  # nothing left
            return
