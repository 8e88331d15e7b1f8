"""No lost work: a grading run killed midway and started again gives the
same gradebook as an uninterrupted run; a resubmission is graded again,
the unchanged others are not."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import copy_course, offline_env
from nbgrader.api import Gradebook
from pipeline.submissions import make_submission, solution_sources
from pipeline.wrong_answers import WRONG_ANSWERS

from course.build import build
from course.world import DEFAULT_SEED

pytestmark = [pytest.mark.pipeline, pytest.mark.sandbox]
ASSIGNMENT = "day0-orientation"
WRONG = ("day0_seizure_count", "day0_cities", "day0_normalise_city")


def cohort(root: Path) -> None:
    release = root / "release" / ASSIGNMENT
    solutions = solution_sources(root / "source" / ASSIGNMENT)
    make_submission(release, root / "submitted" / "t-right" / ASSIGNMENT, solutions)
    make_submission(release, root / "submitted" / "t-blank" / ASSIGNMENT)
    for test_id in WRONG:
        answers = dict(solutions)
        answers[test_id + "_answer"] = WRONG_ANSWERS[test_id][0]
        make_submission(release, root / "submitted" / f"t-{test_id[5:]}" / ASSIGNMENT, answers)


def course_grade(root: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "course.cli", "grade", ASSIGNMENT, "--jobs", "2", *extra],
        cwd=root,
        env=offline_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def cell_scores(root: Path) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {
            (sub.student_id, grade.name): float(grade.score)
            for sub in gb.assignment_submissions(ASSIGNMENT)
            for nb in sub.notebooks
            for grade in nb.grades
        }


@pytest.fixture(scope="module")
def two_courses(tmp_path_factory: pytest.TempPathFactory):
    first = copy_course(tmp_path_factory.mktemp("uninterrupted"))
    build(first, seed=DEFAULT_SEED, progress=False)
    cohort(first)
    second = tmp_path_factory.mktemp("killed") / "course"
    shutil.copytree(first, second)
    return first, second


def test_killed_run_restarted_gives_the_same_gradebook(two_courses) -> None:
    first, second = two_courses
    whole = course_grade(first)
    out, _ = whole.communicate(timeout=900)
    assert whole.returncode == 0, out

    killed = course_grade(second)
    deadline = time.monotonic() + 600
    while not list((second / "grading-state" / ASSIGNMENT).glob("*.json")):
        assert killed.poll() is None, killed.stdout.read()
        assert time.monotonic() < deadline, "no submission was graded in time"
        time.sleep(0.2)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    done_before = len(list((second / "grading-state" / ASSIGNMENT).glob("*.json")))
    assert done_before < 5, "the run was meant to be killed midway"

    again = course_grade(second)
    out, _ = again.communicate(timeout=900)
    assert again.returncode == 0, out
    assert cell_scores(second) == cell_scores(first)
    graded_cells = sum(
        1
        for path in (first / "source" / ASSIGNMENT).glob("*.ipynb")
        for cell in nbformat.read(path, as_version=4).cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
        or cell.get("metadata", {}).get("nbgrader", {}).get("task")
    )
    assert len(cell_scores(first)) == 5 * graded_cells
    assert len(list((second / "backups").glob("gradebook-*.db"))) >= 2


def test_resubmission_is_regraded_and_the_rest_is_not(two_courses) -> None:
    first, _ = two_courses
    student = "t-cities"
    before = cell_scores(first)
    assert before[(student, "day0_cities")] == 0.0
    markers = {
        p.stem: p.stat().st_mtime_ns for p in (first / "grading-state" / ASSIGNMENT).glob("*.json")
    }
    folder = first / "submitted" / student / ASSIGNMENT
    shutil.rmtree(folder)
    make_submission(
        first / "release" / ASSIGNMENT, folder, solution_sources(first / "source" / ASSIGNMENT)
    )
    (folder / "timestamp.txt").write_text("2026-03-04 09:00:00.000000 UTC")
    run = course_grade(first)
    out, _ = run.communicate(timeout=900)
    assert run.returncode == 0, out
    after = cell_scores(first)
    assert after[(student, "day0_cities")] == 3.0
    assert {k: v for k, v in after.items() if k[0] != student} == {
        k: v for k, v in before.items() if k[0] != student
    }
    regraded = {
        p.stem
        for p in (first / "grading-state" / ASSIGNMENT).glob("*.json")
        if p.stat().st_mtime_ns != markers.get(p.stem)
    }
    assert regraded == {student}
    assert "4 unchanged since their last grading (kept)" in out
    assert json.loads((first / "grading-state" / ASSIGNMENT / f"{student}.json").read_text())
