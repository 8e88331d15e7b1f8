"""``course grade``'s engine: every submission of a batch, judged outside the kernel.

For each submission (one trainee, one assignment):

1. each notebook is read safely and rebuilt from the course's cells
   (:mod:`course.autograde.submission`);
2. the rebuilt notebooks run in parallel, ``jobs`` at a time, each in a fresh
   sandbox (:mod:`course.sandbox.bwrap`), where hidden tests only *record*
   answers;
3. when all its notebooks have run, the submission is judged against the key
   (:mod:`course.autograde.verdict`), recorded in the gradebook
   (:mod:`course.autograde.record`) and given its feedback pages, one
   submission at a time, while the other notebooks go on running.

A submission is marked finished (``grading-state/<assignment>/<trainee>.json``,
written atomically) only when every notebook ran to its end; its fingerprint
covers the submitted files, the key, the assignment's source, the course
configuration and the ``course`` code, so a run that was killed, or a
notebook that could not run, is simply graded again by the next run. One
run at a time: a second ``course grade`` on the same course is refused.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from tqdm import tqdm

from course.autograde import record, submission, verdict
from course.autograde.flags import event_flags, static_flags
from course.errors import CourseError
from course.grading.key import AnswerKey, load_key
from course.paths import CONFIG_NAME, key_path
from course.sandbox.bwrap import Outcome

#: where finished submissions are remembered: ``<root>/grading-state/<assignment>/<student>.json``
STATE_DIR = "grading-state"
LOG_DIR = "grading-logs"
LOCK = ".grading.lock"


def marker_path(root: Path, assignment: str, student: str) -> Path:
    """The record that ``student``'s ``assignment`` was graded, and from what."""
    return root / STATE_DIR / assignment / f"{student}.json"


def log_path(root: Path, assignment: str, student: str, notebook: str) -> Path:
    return root / LOG_DIR / assignment / student / f"{notebook}.log"


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
    #: seconds spent, summed over notebooks: rebuild, sandbox (of which its kernel
    #: starts and its cells), verdict, gradebook (nbgrader's SaveAutoGrades and the
    #: autograded files) and feedback
    timings: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(
            ("rebuild", "sandbox", "kernel_start", "cells", "verdict", "gradebook", "feedback"),
            0.0,
        )
    )


class Executor:
    """Runs rebuilt notebooks: ``stage`` an assignment's data, then ``run`` notebooks."""

    sandboxed: bool = False

    def stage(self, assignment: str, files: dict[str, bytes]) -> None:  # pragma: no cover
        raise NotImplementedError

    def run(self, notebook: bytes, assignment: str, slot: int) -> Outcome:  # pragma: no cover
        raise NotImplementedError


def _code_digest() -> str:
    import course

    digest = hashlib.sha256()
    base = Path(course.__file__).resolve().parent
    for path in sorted(base.rglob("*.py")):
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


_CODE_DIGEST: list[str] = []


def fingerprint(root: Path, assignment: str, student: str) -> str:
    """What a grade depends on: the submitted files, the key, the assignment's
    source notebooks, the course configuration and the ``course`` code."""
    if not _CODE_DIGEST:
        _CODE_DIGEST.append(_code_digest())
    digest = hashlib.sha256(_CODE_DIGEST[0].encode())
    folder = root / "submitted" / student / assignment
    paths = sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())
    paths += [key_path(root), root / CONFIG_NAME]
    paths += sorted((root / "source" / assignment).glob("*.ipynb"))
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            digest.update(submission.read_plain_file(path, 2**31))
        except submission.Unreadable as exc:
            digest.update(str(exc).encode())
    return digest.hexdigest()


class RunLock:
    """An exclusive lock on the course's grading; a second run is refused."""

    def __init__(self, root: Path) -> None:
        self.path = root / STATE_DIR / LOCK
        self.fd = -1

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise CourseError(
                "another `course grade` is running on this course; wait for it to finish"
            ) from None
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


def data_files(root: Path, assignment: str) -> dict[str, bytes]:
    """The assignment's data files (``source/<a>/data/``), read without following links."""
    files: dict[str, bytes] = {}
    base = root / "source" / assignment / "data"
    if not base.is_dir():
        return files
    for folder, dirs, names in os.walk(base):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            path = Path(folder) / name
            try:
                files[str(path.relative_to(base))] = submission.read_plain_file(path, 2**30)
            except submission.Unreadable:
                continue
    return files


def _timestamp(folder: Path) -> tuple[object, str | None]:
    from nbgrader.utils import parse_utc

    try:
        text = submission.read_plain_file(folder / "timestamp.txt", 1024).decode().strip()
        return parse_utc(text), text
    except (submission.Unreadable, UnicodeDecodeError, ValueError, TypeError, OverflowError):
        return None, None


@dataclass
class Pending:
    """One submission on its way through the run."""

    assignment: str
    student: str
    stamp: str
    notebooks: dict[str, nbformat.NotebookNode | None]
    to_run: dict[str, bytes]
    outcomes: dict[str, Outcome] = field(default_factory=dict)


def course_notebooks(root: Path, assignment: str) -> dict[str, list]:
    """``notebook -> its course cells`` (release + gradebook), read once per run."""
    release = root / "release" / assignment
    return {
        name: submission.course_cells(
            nbformat.read(release / f"{name}.ipynb", as_version=4),
            record.gradebook_cells(root, assignment, name),
        )
        for name in record.gradebook_notebooks(root, assignment)
    }


def _prepare(
    root: Path, assignment: str, student: str, report: SubmissionReport, courses: dict
) -> Pending:
    folder = root / "submitted" / student / assignment
    report.flags.extend(static_flags(folder, root / "release" / assignment))
    notebooks: dict[str, nbformat.NotebookNode | None] = {}
    to_run: dict[str, bytes] = {}
    for name, course in courses.items():
        path = folder / f"{name}.ipynb"
        if not path.exists() and not path.is_symlink():
            notebooks[name] = None  # flagged as missing by static_flags
            continue
        try:
            rebuilt = submission.rebuild(submission.read_plain_file(path), course)
        except submission.Unreadable as exc:
            report.flags.append(f"{name}.ipynb: {exc}")
            notebooks[name] = None
            continue
        report.flags.extend(f"{name}.ipynb: {f}" for f in rebuilt.flags)
        notebooks[name] = rebuilt.notebook
        to_run[name] = nbformat.writes(rebuilt.notebook).encode()
    return Pending(assignment, student, "", notebooks, to_run)


def _finish(
    root: Path, key: AnswerKey, item: Pending, report: SubmissionReport, timings: dict
) -> None:
    """Judge and record one submission whose notebooks have all run."""
    complete = True
    for name, outcome in sorted(item.outcomes.items()):
        nb = item.notebooks[name]
        result: dict = {}
        if outcome.result is not None:
            try:
                result = json.loads(outcome.result.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                outcome.error = outcome.error or "the result could not be read"
        timings["sandbox"] += outcome.seconds
        spent = result.get("timings") if isinstance(result, dict) else None
        for part in ("kernel_start", "cells"):
            value = spent.get(part) if isinstance(spent, dict) else None
            timings[part] += float(value) if type(value) in (int, float) else 0.0
        status = verdict.merge(nb, result)
        verdict.judge(nb, key)
        report.flags.extend(f"{name}.ipynb: {f}" for f in event_flags(outcome.events))
        if status != "done" or outcome.error:
            complete = False
            why = outcome.error or status
            report.flags.append(
                f"{name}.ipynb could not be run to its end ({why}): graded as far as it ran; "
                "the next `course grade` tries again"
            )
        log = log_path(root, item.assignment, item.student, name)
        record.write_atomic(
            log,
            f"status: {status}\nerror: {outcome.error}\nseconds: {outcome.seconds:.1f}\n"
            f"events:\n" + "\n".join(outcome.events) + "\n--- sandbox output ---\n" + outcome.log,
        )
    folder = root / "submitted" / item.student / item.assignment
    timestamp, text = _timestamp(folder)
    try:
        secret = submission.read_plain_file(folder / "submission_secret.txt", 1024).decode()
    except (submission.Unreadable, UnicodeDecodeError):
        secret = None
    begun = time.perf_counter()
    record.save(root, item.assignment, item.student, item.notebooks, timestamp, text, secret)
    timings["gradebook"] += time.perf_counter() - begun
    report.graded = True
    if complete:
        record.write_atomic(
            marker_path(root, item.assignment, item.student),
            json.dumps({"fingerprint": item.stamp}) + "\n",
        )
    else:
        marker = marker_path(root, item.assignment, item.student)
        if marker.is_file():
            marker.unlink()


def run(
    root: Path,
    todo: list[tuple[str, str]],
    executor: Executor,
    jobs: int = 1,
    progress: bool = True,
    force: bool = False,
    note: str = "",
    on_done: Callable[[SubmissionReport], None] | None = None,
    feedback: Callable[[str, str], None] | None = None,
) -> RunInfo:
    """Grade every ``(assignment, student)`` of ``todo`` (see the module docstring);
    ``feedback(assignment, student)`` writes a graded submission's feedback
    (also of a submission graded before, which the gradebook may have changed)."""
    info = RunInfo(sandboxed=executor.sandboxed, note=note)
    key = load_key(key_path(root))
    pending: list[Pending] = []
    staged: set[str] = set()
    courses: dict[str, dict[str, list]] = {}
    for assignment, student in todo:
        report = SubmissionReport(assignment, student)
        info.submissions[(assignment, student)] = report
        stamp = fingerprint(root, assignment, student)
        marker = marker_path(root, assignment, student)
        try:
            done = json.loads(marker.read_text()).get("fingerprint") == stamp
        except (OSError, ValueError, AttributeError):
            done = False
        if done and not force:
            report.skipped = report.graded = True
            _write_feedback(feedback, report, info.timings)
            continue
        begun = time.perf_counter()
        try:
            if assignment not in courses:
                courses[assignment] = course_notebooks(root, assignment)
            item = _prepare(root, assignment, student, report, courses[assignment])
        except Exception as exc:  # one broken submission never stops the batch
            report.error = f"could not be prepared ({type(exc).__name__}: {exc})"[:300]
            continue
        item.stamp = stamp
        info.timings["rebuild"] += time.perf_counter() - begun
        if assignment not in staged and item.to_run:
            executor.stage(assignment, data_files(root, assignment))
            staged.add(assignment)
        pending.append(item)

    slots = list(range(jobs, 0, -1))
    lock = threading.Lock()

    def run_one(item: Pending, name: str) -> tuple[Pending, str, Outcome]:
        with lock:
            slot = slots.pop()
        try:
            return item, name, executor.run(item.to_run[name], item.assignment, slot)
        except Exception as exc:  # the sandbox itself failed: this notebook only
            return item, name, Outcome(error=f"{type(exc).__name__}: {exc}"[:300])
        finally:
            with lock:
                slots.append(slot)

    total = sum(len(p.to_run) for p in pending)
    bar = tqdm(total=total, desc="grading", unit="notebook", disable=not progress)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = []
        for item in pending:
            if not item.to_run:
                _finish_safely(root, key, item, info, on_done, feedback)
            futures += [pool.submit(run_one, item, name) for name in item.to_run]
        for future in as_completed(futures):
            item, name, outcome = future.result()
            item.outcomes[name] = outcome
            bar.update()
            if len(item.outcomes) == len(item.to_run):
                _finish_safely(root, key, item, info, on_done, feedback)
    bar.close()
    return info


def _finish_safely(
    root: Path,
    key: AnswerKey,
    item: Pending,
    info: RunInfo,
    on_done: Callable[[SubmissionReport], None] | None,
    feedback: Callable[[str, str], None] | None = None,
) -> None:
    report = info.submissions[(item.assignment, item.student)]
    begun, recorded = time.perf_counter(), info.timings["gradebook"]
    try:
        _finish(root, key, item, report, info.timings)
    except Exception as exc:  # recorded as this submission's failure; the batch goes on
        report.error = f"scores could not be written ({type(exc).__name__}: {exc})"[:300]
    spent = time.perf_counter() - begun
    info.timings["verdict"] += spent - (info.timings["gradebook"] - recorded)
    if report.graded:
        _write_feedback(feedback, report, info.timings)
    if on_done is not None:
        on_done(report)


def _write_feedback(
    feedback: Callable[[str, str], None] | None, report: SubmissionReport, timings: dict
) -> None:
    """The submission's feedback pages; a failure is this submission's only."""
    if feedback is None:
        return
    begun = time.perf_counter()
    try:
        feedback(report.assignment, report.student)
    except Exception as exc:
        report.error = report.error or (
            f"feedback could not be written ({type(exc).__name__}: {exc})"[:300]
        )
    timings["feedback"] += time.perf_counter() - begun
