"""The rules around grading: no unsandboxed grading by accident, one run at a
time, nbgrader's own autograde switched off, private files, a cohort's key
kept, a half-written state file harmless."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import copy_course, offline_env
from nbgrader.api import Gradebook
from pipeline.submissions import make_submission, solution_sources

from course.build import build
from course.world import DEFAULT_SEED
from grading.hostile import FULL

pytestmark = [pytest.mark.pipeline, pytest.mark.sandbox]
ASSIGNMENT = "day0-orientation"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built course with three submissions (shared; tests grade copies)."""
    root = copy_course(tmp_path_factory.mktemp("rules") / "course")
    build(root, seed=DEFAULT_SEED, progress=False)
    release = root / "release" / ASSIGNMENT
    solutions = solution_sources(root / "source" / ASSIGNMENT)
    for student in ("t1", "t2", "t3"):
        make_submission(release, root / "submitted" / student / ASSIGNMENT, solutions)
    return root


def fresh(course: Path, where: Path) -> Path:
    shutil.copytree(course, where, symlinks=True)
    return where


def course_cli(root: Path, *args: str, **kw) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "course.cli", *args],
        cwd=root,
        env=offline_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def as_nobody(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``course ARGS`` as the unprivileged account ``nobody`` (a real non-root
    run: only Python's and this environment's folders are made reachable)."""
    folders = sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()})
    import course as package

    folders.append(Path(package.__file__).resolve().parent)
    argv = ["bwrap", "--dev-bind", "/", "/", "--perms", "0755", "--tmpfs", "/root"]
    for folder in folders:
        for parent in reversed(folder.parents):
            if str(parent).startswith("/root/"):
                argv += ["--perms", "0755", "--dir", str(parent)]
        argv += ["--ro-bind", str(folder), str(folder)]
    argv += ["--chdir", str(root), "--setenv", "HOME", "/tmp",
             "--setenv", "PYTHONPATH", str(folders[-1].parent), "--",
             "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             sys.executable, "-m", "course.cli", *args]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=900)


def test_grading_without_the_sandbox_is_refused_unless_asked(course: Path) -> None:
    base = Path(tempfile.mkdtemp(prefix="nps-nonroot-"))
    try:
        os.chmod(base, 0o755)
        root = fresh(course, base / "course")
        subprocess.run(["chown", "-R", "65534:65534", str(root)], check=True)
        refused = as_nobody(root, "grade", ASSIGNMENT)
        assert refused.returncode == 2, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "needs the sandbox" in lines[0] and "--unsandboxed" in lines[0]
        assert not (root / "grades.csv").exists()
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            assert gb.assignment_submissions(ASSIGNMENT) == []

        allowed = as_nobody(root, "grade", ASSIGNMENT, "--unsandboxed")
        assert allowed.returncode == 0, allowed.stderr[-2000:]
        assert allowed.stdout.startswith("Grading: UNSANDBOXED")
        assert "UNSANDBOXED" in (root / "grading-report.txt").read_text()
        rows = (root / "grades.csv").read_text().splitlines()
        assert rows[0].endswith(",sandboxed") and all(r.endswith(",no") for r in rows[1:])
    finally:
        shutil.rmtree(base)


def test_a_second_run_on_the_same_course_is_refused(course: Path, tmp_path: Path) -> None:
    root = fresh(course, tmp_path / "course")
    first = course_cli(root, "grade", ASSIGNMENT, "--jobs", "1")
    lock = root / "grading-state" / ".grading.lock"
    deadline = time.monotonic() + 120
    while not (lock.is_file() and lock.read_text().strip()):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    second = course_cli(root, "grade", ASSIGNMENT)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 2
    assert err.strip() == (
        "course: error: another `course grade` is running on this course; wait for it to finish"
    )
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, err
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assert sorted(s.student_id for s in gb.assignment_submissions(ASSIGNMENT)) == [
            "t1", "t2", "t3"
        ]  # fmt: skip
        assert all(s.score == FULL for s in gb.assignment_submissions(ASSIGNMENT))


def test_nbgrader_autograde_and_the_formgrader_button_are_refused(course: Path, tmp_path):
    root = fresh(course, tmp_path / "course")
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT],
        cwd=root, env=offline_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "course grade" in proc.stdout + proc.stderr
    assert not list((root / "autograded").glob("*/*/*.ipynb"))
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(ASSIGNMENT):
            assert sub.score == 0


def test_what_grading_writes_is_private_and_the_logs_are_named(course: Path, tmp_path):
    root = fresh(course, tmp_path / "course")
    proc = course_cli(root, "grade", ASSIGNMENT)
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    assert "Grading logs (one per notebook): grading-logs/" in out
    log = root / "grading-logs" / ASSIGNMENT / "t1" / "02-python-for-investigators.log"
    assert "status: done" in log.read_text()
    written = [root / "grades.csv", root / "grading-report.txt", log]
    written += list((root / "backups").iterdir()) + list((root / "grading-state").rglob("*"))
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_a_half_written_state_file_means_grade_again(course: Path, tmp_path: Path) -> None:
    root = fresh(course, tmp_path / "course")
    assert course_cli(root, "grade", ASSIGNMENT).wait(timeout=900) == 0
    marker = root / "grading-state" / ASSIGNMENT / "t2.json"
    marker.write_text(marker.read_text()[:10])  # killed in the middle of writing
    again = course_cli(root, "grade", ASSIGNMENT)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    assert "2 unchanged since their last grading (kept)" in out
    assert marker.read_text().startswith('{"fingerprint"')


def test_building_another_seed_keeps_the_cohorts_key(course: Path, tmp_path: Path) -> None:
    root = fresh(course, tmp_path / "course")
    key = (root / "keys" / "answer_key.json").read_bytes()
    proc = course_cli(root, "build", "--seed", "7")
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 2
    assert "answer key of seed 2026" in err and "--force" in err and len(err.splitlines()) == 1
    assert (root / "keys" / "answer_key.json").read_bytes() == key
    proc = course_cli(root, "build", "--seed", "7", "--force")
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    kept = list((root / "keys").glob("answer_key-seed2026-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == key


def test_manual_marks_reach_feedback_and_only_handed_in_days_reach_the_csv(course, tmp_path):
    root = fresh(course, tmp_path / "course")
    assert course_cli(root, "grade", ASSIGNMENT).wait(timeout=900) == 0
    page = root / "feedback" / "t1" / ASSIGNMENT / "02-python-for-investigators.html"
    task = "day0_limits_of_seizure_data"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grade = gb.find_grade(task, "02-python-for-investigators", ASSIGNMENT, "t1")
        grade.manual_score = 3.5  # what a grader does in the Formgrader
        gb.db.commit()
        total = gb.find_submission(ASSIGNMENT, "t1").score
    before = page.read_text()
    assert "Score: 3.5 / 4.0" not in before
    assert before.count("not graded yet / 4.0") == 2  # the summary and the task's heading
    proc = course_cli(root, "feedback")
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    after = page.read_text()
    assert "Score: 3.5 / 4.0" in after and "not graded yet" not in after
    rows = (root / "grades.csv").read_text().splitlines()
    assert all(ASSIGNMENT in row for row in rows[1:]), rows  # no row for unsubmitted days
    assert any(row.startswith(f"{ASSIGNMENT},") and ",t1," in row and str(total) in row
               for row in rows)  # fmt: skip
