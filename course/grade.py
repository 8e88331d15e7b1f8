"""``course grade``: autograde every submission, write feedback, export grades.

The gradebook is copied to ``backups/`` before anything is written to it;
grading itself is :mod:`course.autograde` (sandboxed, parallel, resumable);
the run ends with a report of who got what and what was flagged, printed and
written to ``grading-report.txt``.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from course.autograde.feedback import FeedbackWriter
from course.autograde.runner import LOG_DIR, RunInfo, RunLock, SubmissionReport
from course.autograde.runner import run as run_autograde
from course.errors import AnswerKeyError, CourseError
from course.grading.key import load_key
from course.paths import key_path, source_assignments

GRADEBOOK = "gradebook.db"
GRADES_CSV = "grades.csv"
REPORT = "grading-report.txt"


@dataclass(frozen=True)
class Result:
    """One trainee's grade for one assignment."""

    assignment: str
    student: str
    score: float
    max_score: float
    needs_manual_grade: bool


@dataclass
class GradeReport:
    """What a grading run did."""

    results: list[Result] = field(default_factory=list)
    submissions: list[SubmissionReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    sandbox_note: str = ""
    backup: Path | None = None
    csv: Path | None = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain data (sent from the grading process to root as JSON)."""
        from dataclasses import asdict

        data = asdict(self)
        data["backup"] = str(self.backup) if self.backup else None
        data["csv"] = str(self.csv) if self.csv else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> GradeReport:
        return cls(
            results=[Result(**r) for r in data.get("results", [])],
            submissions=[SubmissionReport(**s) for s in data.get("submissions", [])],
            failures=list(data.get("failures", [])),
            sandbox_note=str(data.get("sandbox_note", "")),
            backup=Path(data["backup"]) if data.get("backup") else None,
            csv=Path(data["csv"]) if data.get("csv") else None,
            seconds=float(data.get("seconds", 0.0)),
            timings={k: float(v) for k, v in data.get("timings", {}).items()},
        )

    def flags(self, student: str, assignment: str) -> list[str]:
        for s in self.submissions:
            if s.student == student and s.assignment == assignment:
                return s.flags
        return []

    def table(self) -> str:
        """A plain-text summary an instructor can read."""
        count = len(self.submissions)
        unchanged = sum(s.skipped for s in self.submissions)
        kept = f", {unchanged} unchanged since their last grading (kept)" if unchanged else ""
        lines = [
            f"Grading: {self.sandbox_note}; {count} submissions{kept} in {self.seconds:.0f} s"
        ]
        lines.append(f"{'assignment':<24} {'trainee':<18} {'score':>11}  notes")
        for r in self.results:
            notes = ["needs manual grading"] if r.needs_manual_grade else []
            flags = self.flags(r.student, r.assignment)
            if flags:
                notes.append(f"{len(flags)} flag(s)")
            score = f"{r.score:>5.1f}/{r.max_score:<5.1f}"
            lines.append(f"{r.assignment:<24} {r.student:<18} {score}  {', '.join(notes)}")
        flagged = [s for s in self.submissions if s.flags]
        if flagged:
            lines.append("")
            lines.append("Flagged (look at these before releasing feedback):")
            for s in flagged:
                for flag in s.flags:
                    lines.append(f"  {s.student} / {s.assignment}: {flag}")
        lines.extend(f"FAILED: {f}" for f in self.failures)
        lines.append(f"Grading logs (one per notebook): {LOG_DIR}/<assignment>/<trainee>/")
        if self.timings:
            spent = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
            lines.append(f"Time (summed over notebooks): {spent}")
        return "\n".join(lines)


def submissions(root: Path, assignment: str) -> list[str]:
    """Trainee ids with a submission of ``assignment`` in ``submitted/``."""
    base = root / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def backup_gradebook(root: Path) -> Path | None:
    """Copy the gradebook to ``backups/gradebook-<time>.db``; return the copy."""
    db = root / GRADEBOOK
    if not db.is_file():
        return None
    backups = root / "backups"
    backups.mkdir(exist_ok=True)
    target = backups / f"gradebook-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9}.db"
    shutil.copy2(db, target)
    os.chmod(backups, 0o700)
    os.chmod(target, 0o600)
    return target


def _results(root: Path, assignment: str) -> list[Result]:
    with Gradebook(f"sqlite:///{root / GRADEBOOK}") as gb:
        return [
            Result(
                assignment=assignment,
                student=s.student_id,
                score=float(s.score),
                max_score=float(s.max_score),
                needs_manual_grade=bool(s.needs_manual_grade),
            )
            for s in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student_id)
        ]


def _flag_late(root: Path, assignment: str, info: RunInfo) -> None:
    with Gradebook(f"sqlite:///{root / GRADEBOOK}") as gb:
        for sub in gb.assignment_submissions(assignment):
            late = sub.total_seconds_late
            report = info.submissions.get((assignment, sub.student_id))
            if report is not None and late and late > 0:
                report.flags.append(f"submitted {late / 3600:.1f} h late (no penalty applied)")


def _protect(root: Path) -> None:
    """Keep grading state private to the grader."""
    for name, mode in (("submitted", 0o700), ("autograded", 0o700), (GRADEBOOK, 0o600)):
        path = root / name
        if path.exists() and not path.is_symlink():
            os.chmod(path, mode)


def _mark_unsandboxed_csv(path: Path) -> None:
    """Add a ``sandboxed`` column saying ``no`` to every row of ``grades.csv``."""
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        return
    rows = [rows[0] + ["sandboxed"]] + [r + ["no"] for r in rows[1:]]
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _released_only(path: Path, root: Path) -> None:
    """Keep only the rows of assignments someone handed in (a day not yet
    released has no submissions, and no row of zeros)."""
    import csv

    with Gradebook(f"sqlite:///{root / GRADEBOOK}") as gb:
        live = {a.name for a in gb.assignments if gb.assignment_submissions(a.name)}
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or "assignment" not in rows[0]:
        return
    column = rows[0].index("assignment")
    rows = [rows[0]] + [r for r in rows[1:] if r[column] in live]
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def export_grades(root: Path, writer: FeedbackWriter | None = None) -> Path:
    """``grades.csv`` from the gradebook as it is now; returns its path."""
    writer = writer or FeedbackWriter(root)
    writer.export(root / GRADES_CSV)
    _released_only(root / GRADES_CSV, root)
    return root / GRADES_CSV


def write_feedback(root: Path, assignments: list[str]) -> Path:
    """Feedback of every graded submission of ``assignments`` from the gradebook as
    it is now (manual marks included), and ``grades.csv``; returns the CSV's path."""
    writer = FeedbackWriter(root)
    for a in assignments:
        with Gradebook(f"sqlite:///{root / GRADEBOOK}") as gb:
            try:
                graded = sorted(s.student_id for s in gb.assignment_submissions(a))
            except MissingEntry:
                graded = []
        for student in graded:
            if (root / "autograded" / student / a).is_dir():
                writer.write(a, student)
    return export_grades(root, writer)


def feedback(root: Path, assignment: str | None = None) -> Path:
    """``course feedback``: after manual marking in the Formgrader, write every
    trainee's feedback and ``grades.csv`` again from the gradebook (nothing is
    regraded). Runs as the course folder's owner."""
    from course.autograde.executors import run_as_owner

    known = source_assignments(root)
    if assignment is not None and assignment not in known:
        raise CourseError(
            f"no assignment '{assignment}' in source/ (known: {', '.join(known) or 'none'})"
        )
    if not (root / GRADEBOOK).is_file():
        raise CourseError("no gradebook.db in the course folder: grade first (`course grade`)")

    def work() -> dict:
        with _private_files(), RunLock(root):
            return {"csv": str(write_feedback(root, [assignment] if assignment else known))}

    return Path(run_as_owner(root, work)["csv"])


def _cell_timeout() -> int:
    try:
        return max(5, int(os.environ.get("COURSE_CELL_TIMEOUT", "120")))
    except ValueError:
        return 120


def grade(
    root: Path,
    assignment: str | None = None,
    progress: bool = True,
    jobs: int = 1,
    force: bool = False,
    unsandboxed: bool = False,
) -> GradeReport:
    """Autograde, generate feedback and export grades for one or all assignments.

    Trainees' code runs only in the sandbox (root, bubblewrap); without it,
    grading is refused unless ``unsandboxed`` is given, and then the report
    and ``grades.csv`` say so. When root grades a course folder that belongs
    to another account, everything that reads or writes the course folder
    runs as that account (:func:`course.autograde.executors.grade_as_owner`).
    """
    from course.autograde.executors import LocalExecutor, grade_as_owner
    from course.sandbox import bwrap

    if not 1 <= jobs <= 16:
        raise CourseError(f"--jobs must be from 1 to 16, not {jobs}")
    why = bwrap.available()
    if why and not unsandboxed:
        raise CourseError(
            f"grading needs the sandbox ({why}): run `course grade` as root on a machine with "
            "bubblewrap (apt-get install bubblewrap), or pass --unsandboxed to run trainees' "
            "code as yourself, unprotected"
        )
    sandbox = bwrap.Sandbox(sandboxed=why is None, cell_timeout=_cell_timeout())
    note = "sandboxed" if why is None else f"UNSANDBOXED ({why}; --unsandboxed was given)"
    owner = os.stat(root)
    if os.geteuid() == 0 and owner.st_uid != 0:
        reply = grade_as_owner(
            owner.st_uid,
            owner.st_gid,
            jobs,
            sandbox,
            lambda ex: _grade(root, assignment, progress, jobs, force, ex, note).to_dict(),
        )
        return GradeReport.from_dict(reply)
    executor = LocalExecutor(sandbox)
    try:
        return _grade(root, assignment, progress, jobs, force, executor, note)
    finally:
        executor.close()


@contextmanager
def _private_files():
    """Files written inside are readable by their owner only; the process's umask
    and language are as they were afterwards (a library call changes nothing)."""
    old_umask = os.umask(0o077)
    old_lang = os.environ.get("COURSE_LANG")
    try:
        yield
    finally:
        os.umask(old_umask)
        if old_lang is None:
            os.environ.pop("COURSE_LANG", None)
        else:
            os.environ["COURSE_LANG"] = old_lang


def _grade(*args) -> GradeReport:
    with _private_files():
        return _grade_privately(*args)


def _grade_privately(
    root: Path,
    assignment: str | None,
    progress: bool,
    jobs: int,
    force: bool,
    executor,
    note: str,
) -> GradeReport:
    start = time.perf_counter()
    known = source_assignments(root)
    if assignment is not None and assignment not in known:
        raise CourseError(
            f"no assignment '{assignment}' in source/ (known: {', '.join(known) or 'none'})"
        )
    try:
        key = load_key(key_path(root))
    except AnswerKeyError as exc:
        raise CourseError(f"cannot grade without the answer key: {exc}") from None
    if not (root / GRADEBOOK).is_file():
        raise CourseError("no gradebook.db in the course folder: run `course build` first")
    # verdicts, feedback and the sandboxed kernels speak the cohort's language
    os.environ["COURSE_LANG"] = key.lang
    assignments = [assignment] if assignment else known
    todo = [(a, s) for a in assignments for s in submissions(root, a)]
    if not todo:
        raise CourseError(
            f"no submissions to grade in {root / 'submitted'} "
            "(collect them first: `nbgrader collect ASSIGNMENT`)"
        )
    with RunLock(root):
        report = GradeReport(backup=backup_gradebook(root))
        _protect(root)
        writer = FeedbackWriter(root)
        info: RunInfo = run_autograde(
            root, todo, executor, jobs=jobs, progress=progress, force=force, note=note,
            feedback=writer.write,
        )  # fmt: skip
        report.sandbox_note = info.note
        report.submissions = list(info.submissions.values())
        report.failures = [
            f"{s.student}/{s.assignment}: {s.error}" for s in report.submissions if s.error
        ]
        begun = time.perf_counter()
        export_grades(root, writer)
        for a in assignments:
            if submissions(root, a):
                report.results.extend(_results(root, a))
                _flag_late(root, a, info)
        report.timings = {**info.timings, "csv": time.perf_counter() - begun}
        report.csv = root / GRADES_CSV
        if not executor.sandboxed:
            _mark_unsandboxed_csv(report.csv)
        report.seconds = time.perf_counter() - start
        (root / REPORT).write_text(report.table() + "\n", encoding="utf-8")
    return report
