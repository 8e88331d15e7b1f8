"""``course grade``: both grading phases for a batch of submissions.

Phase 1 runs notebooks in parallel (``jobs`` sandbox slots); phase 2 writes
each submission's scores to the gradebook, one submission at a time, so the
gradebook stays consistent. ``submitted/`` is only read. A submission whose
files, answer key and assignment have not changed since it was last graded
is not graded again, so a run that was killed can simply be started again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from course.autograde import execute as phase1
from course.autograde.flags import event_flags, static_flags
from course.nbgrader_run import nbgrader
from course.paths import key_path
from course.sandbox import setup as sandbox

#: where finished submissions are remembered: ``<root>/grading-state/<assignment>/<student>.json``
STATE_DIR = "grading-state"


def marker_path(root: Path, assignment: str, student: str) -> Path:
    """The record that ``student``'s ``assignment`` was graded, and from what."""
    return root / STATE_DIR / assignment / f"{student}.json"


@dataclass
class SubmissionReport:
    """The outcome for one trainee and one assignment."""

    assignment: str
    student: str
    flags: list[str] = field(default_factory=list)
    graded: bool = False
    skipped: bool = False
    error: str = ""


@dataclass
class RunInfo:
    """How the run went as a whole."""

    sandboxed: bool
    note: str
    submissions: dict[tuple[str, str], SubmissionReport] = field(default_factory=dict)


def fingerprint(root: Path, assignment: str, student: str) -> str:
    """What a grade depends on: the submitted files, the key, the assignment's tests."""
    digest = hashlib.sha256()
    paths = sorted(p for p in (root / "submitted" / student / assignment).rglob("*") if p.is_file())
    paths += [key_path(root), *sorted((root / "source" / assignment).glob("*.ipynb"))]
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def sandbox_python(root: Path) -> tuple[Path | None, str]:
    """The interpreter for sandbox kernels, or None and why grading is unsandboxed."""
    import sys

    from course.errors import CourseError
    from course.hub.runtime import check_reachable, ensure_runtime

    why = sandbox.available()
    if why:
        return None, why
    try:
        check_reachable(Path(sys.executable))
        return Path(sys.executable), "sandboxed"
    except CourseError:
        pass
    repo = Path(__file__).resolve().parents[2]
    if (repo / "requirements" / "constraints.txt").is_file():
        return ensure_runtime(repo) / "python", "sandboxed"
    return None, "grading runs unsandboxed: no Python that the sandbox account can run"


def _stage(
    root: Path, assignment: str, student: str, executed: dict[str, Path], stage: Path
) -> None:
    """Put the executed notebooks (or, where a notebook could not run, its
    release version, whose tests then score zero) where phase 2 reads them."""
    submitted = root / "submitted" / student / assignment
    target = stage / student / assignment
    # every other file as handed in (timestamp.txt, nbgrader's submission_secret.txt,
    # extra files); nbgrader restores the assignment's own files over them
    shutil.copytree(
        submitted,
        target,
        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"),
        symlinks=True,
        dirs_exist_ok=True,
    )
    for release in sorted((root / "release" / assignment).glob("*.ipynb")):
        if release.stem in executed:
            shutil.copy2(executed[release.stem], target / release.name)
        elif (submitted / release.name).exists():
            shutil.copy2(release, target / release.name)


def run(
    root: Path,
    todo: list[tuple[str, str]],
    jobs: int = 1,
    progress: bool = True,
    force: bool = False,
) -> RunInfo:
    """Grade every ``(assignment, student)`` of ``todo``."""
    python, note = sandbox_python(root)
    info = RunInfo(sandboxed=python is not None, note=note)
    pending: dict[tuple[str, str], list[phase1.Job]] = {}
    for assignment, student in todo:
        report = SubmissionReport(assignment, student)
        info.submissions[(assignment, student)] = report
        submission = root / "submitted" / student / assignment
        report.flags = static_flags(submission, root / "release" / assignment)
        marker = marker_path(root, assignment, student)
        stamp = fingerprint(root, assignment, student)
        if (
            not force
            and marker.is_file()
            and json.loads(marker.read_text()).get("fingerprint") == stamp
        ):
            report.skipped = report.graded = True
            continue
        names = sorted(p.stem for p in (root / "release" / assignment).glob("*.ipynb"))
        pending[(assignment, student)] = [
            phase1.Job(root, assignment, student, n)
            for n in names
            if (submission / f"{n}.ipynb").is_file()
        ]
    slots = list(range(1, max(1, jobs) + 1))
    lock = threading.Lock()

    def run_job(job: phase1.Job, workdir: Path) -> phase1.Executed:
        with lock:
            slot = slots.pop()
        try:
            return phase1.execute(job, workdir, slot, python)
        finally:
            with lock:
                slots.append(slot)

    total = sum(len(v) for v in pending.values())
    with tempfile.TemporaryDirectory(prefix="nps-grade-") as tmp:
        tmp_path = Path(tmp)
        os.chmod(tmp_path, 0o711)
        done: dict[tuple[str, str], dict[str, phase1.Executed]] = defaultdict(dict)
        bar = tqdm(total=total, desc="grading", unit="notebook", disable=not progress)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {}
            number = 0
            for key, job_list in pending.items():
                if not job_list:
                    _verdict(root, key, {}, tmp_path, info)
                for job in job_list:
                    number += 1  # short names: a kernel's socket path has to fit in 108 bytes
                    futures[pool.submit(run_job, job, tmp_path / f"w{number}")] = key
            for future in as_completed(futures):
                key = futures[future]
                result = future.result()
                done[key][result.job.notebook] = result
                bar.update()
                if len(done[key]) == len(pending[key]):
                    _verdict(root, key, done.pop(key), tmp_path, info)
        bar.close()
    return info


def _verdict(
    root: Path, key: tuple[str, str], results: dict[str, phase1.Executed], tmp: Path, info: RunInfo
) -> None:
    assignment, student = key
    report = info.submissions[key]
    executed = {}
    for name, result in sorted(results.items()):
        report.flags.extend(f"{name}.ipynb: {f}" for f in event_flags(result.events))
        if result.executed is not None:
            executed[name] = result.executed
        else:
            report.flags.append(f"{name}.ipynb could not be run ({result.error}): scored zero")
    stage = tmp / f"stage-{student}-{assignment}"
    _stage(root, assignment, student, executed, stage)
    env = {"COURSE_AUTOGRADE_PHASE": "verdict", "COURSE_STAGE": str(stage)}
    proc = nbgrader(
        root, "autograde", assignment, "--student", student, "--force", check=False, env=env
    )
    if proc.returncode != 0:
        report.error = "scores could not be written (see nbgrader's log)"
        return
    report.graded = True
    marker = marker_path(root, assignment, student)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"fingerprint": fingerprint(root, assignment, student)}) + "\n")
