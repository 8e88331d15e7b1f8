"""Phase 1: run one submission in a private copy of the course.

The copy holds only what ``nbgrader autograde`` needs for this submission:
the configuration, a snapshot of the gradebook (which knows the test cells),
the assignment's non-notebook source files (its data) and this trainee's
submission. No solution notebook, no answer key, no other trainee. The
trainee's code runs in the sandbox kernel when sandboxing is available.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.paths import CONFIG_NAME
from course.sandbox import setup as sandbox

#: wall-clock limit for one submission (every notebook of one assignment)
SUBMISSION_TIMEOUT = 20 * 60


@dataclass(frozen=True)
class Job:
    """One notebook of one submission to run."""

    root: Path
    assignment: str
    student: str
    notebook: str

    @property
    def submission(self) -> Path:
        return self.root / "submitted" / self.student / self.assignment


@dataclass
class Executed:
    """What phase 1 produced for a job."""

    job: Job
    executed: Path | None = None
    events: list[str] = field(default_factory=list)
    error: str = ""
    log: str = ""


def snapshot_gradebook(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite gradebook, even while it is being written."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def repair_graded_cells(notebook: Path, release: Path) -> None:
    """In the private copy: a graded cell that appears twice keeps its grading
    metadata only the first time, and graded cells the trainee deleted go back
    where they were, as released (unanswered). nbgrader's own repairs fail on
    both; an unreadable notebook is left for nbgrader to report."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:  # nbgrader reports unreadable notebooks itself
        return
    released = nbformat.read(release, as_version=4)

    def gid(cell) -> str | None:
        return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")

    seen: set[str] = set()
    for cell in nb.cells:
        name = gid(cell)
        if name in seen:
            del cell.metadata["nbgrader"]
        elif name:
            seen.add(name)
    present = {gid(c) for c in nb.cells}
    missing = [c for c in released.cells if gid(c) and gid(c) not in present]
    order = [gid(c) for c in released.cells]
    for cell in missing:
        before = order[: order.index(gid(cell))]
        position = 0
        for i, existing in enumerate(nb.cells):
            if gid(existing) in before:
                position = i + 1
        nb.cells.insert(position, cell)
    nbformat.write(nb, notebook)


def prepare(job: Job, workspace: Path) -> Path:
    """Build the private course copy for ``job`` in ``workspace``."""
    workspace.mkdir(parents=True)
    os.chmod(workspace, 0o711)
    shutil.copy2(job.root / CONFIG_NAME, workspace / CONFIG_NAME)
    snapshot_gradebook(job.root / "gradebook.db", workspace / "gradebook.db")
    os.chmod(workspace / "gradebook.db", 0o600)
    shutil.copytree(
        job.root / "source" / job.assignment,
        workspace / "source" / job.assignment,
        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"),
    )
    target = workspace / "submitted" / job.student / job.assignment
    shutil.copytree(
        job.submission,
        target,
        symlinks=True,
        ignore=lambda folder, names: [n for n in names if n.endswith(".ipynb")],
    )
    shutil.copy2(job.submission / f"{job.notebook}.ipynb", target / f"{job.notebook}.ipynb")
    release = job.root / "release" / job.assignment / f"{job.notebook}.ipynb"
    if release.is_file():
        repair_graded_cells(target / f"{job.notebook}.ipynb", release)
    for private in ("source", "submitted"):
        os.chmod(workspace / private, 0o700)
    (workspace / "autograded").mkdir(mode=0o711)
    return workspace


def execute(job: Job, workspace: Path, slot: int, python: Path | None) -> Executed:
    """Run ``nbgrader autograde`` for ``job`` in a fresh ``workspace``.

    ``python`` is the interpreter the sandbox kernel runs (every user must be
    able to run it); ``None`` runs the kernel unsandboxed, as this user.
    """
    result = Executed(job=job)
    prepare(job, workspace)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["COURSE_AUTOGRADE_PHASE"] = "execute"
    env["COURSE_GRADING_MODE"] = "record"
    env.pop("COURSE_ANSWER_KEY", None)
    user = None
    events = workspace / "events.log"
    if python is not None:
        user = sandbox.ensure_sandbox_user(slot).pw_name
        for name in ("kernel", "ipc"):
            (workspace / name).mkdir(mode=0o700)
            shutil.chown(workspace / name, user)
        sandbox.write_kernelspec(workspace, python, user, workspace / "kernel", events)
        env["JUPYTER_PATH"] = str(workspace)
        env["COURSE_SANDBOX_KERNEL"] = "1"
        env["COURSE_IPC"] = str(workspace / "ipc" / "kernel")
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "nbgrader",
                "autograde",
                job.assignment,
                "--student",
                job.student,
                "--notebook",
                job.notebook,
            ],  # fmt: skip
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=SUBMISSION_TIMEOUT,
        )
        result.log = proc.stdout + proc.stderr
        if proc.returncode != 0:
            result.error = _reason(result.log)
    except subprocess.TimeoutExpired:
        result.error = f"grading stopped after {SUBMISSION_TIMEOUT // 60} minutes"
    finally:
        if user:
            sandbox.kill_all(user)
    out = workspace / "autograded" / job.student / job.assignment / f"{job.notebook}.ipynb"
    result.executed = out if out.is_file() and not result.error else None
    if events.is_file():
        result.events = [ln for ln in events.read_text(errors="replace").splitlines() if ln.strip()]
    return result


def _reason(log: str) -> str:
    """nbgrader's most telling error line."""
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    for needle in ("DeadKernelError", "Kernel died", "CellTimeoutError", "NotJSONError", "Error"):
        for line in lines:
            if needle in line and "Traceback" not in line:
                return line[:300]
    return lines[-1][:300] if lines else "nbgrader failed without a message"
