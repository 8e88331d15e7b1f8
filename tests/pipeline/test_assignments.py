"""Every assignment through the real nbgrader pipeline, in a temporary course.

For each day: generate the release; submit the reference solution, the blank
release, and one plausible wrong answer per exercise; grade them with
``course grade`` (nbgrader autograde, generate_feedback, export). Then check
the gradebook cell by cell.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import REPO, copy_course
from course.build import assignments_with_notebooks, build
from course.grade import grade
from course.world import DEFAULT_SEED
from pipeline.submissions import autograded_tests, make_submission, solution_sources
from pipeline.wrong_answers import WRONG_ANSWERS

pytestmark = pytest.mark.pipeline

ASSIGNMENTS = assignments_with_notebooks(REPO)


def student_for(grade_id: str) -> str:
    return "wrong-" + grade_id.replace("_", "-")


class Graded:
    """A graded temporary course for one assignment."""

    def __init__(self, root: Path, assignment: str) -> None:
        self.root = root
        self.assignment = assignment
        self.points = autograded_tests(root / "source" / assignment)
        self.max_auto = float(sum(self.points.values()))

    def cell_scores(self, student: str) -> dict[str, float]:
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            sub = gb.find_submission(self.assignment, student)
            return {
                g.name: float(g.score)
                for nb in sub.notebooks
                for g in nb.grades
                if g.name in self.points
            }

    def cell_output(self, student: str, grade_id: str) -> str:
        folder = self.root / "autograded" / student / self.assignment
        for path in folder.glob("*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                    return "\n".join(
                        "\n".join(o.get("traceback", []))
                        + str(o.get("evalue", ""))
                        + str(o.get("text", ""))
                        for o in cell.get("outputs", [])
                    )
        raise AssertionError(f"{grade_id} not found in {folder}")


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Graded:
    assignment = request.param
    root = copy_course(tmp_path_factory.mktemp(assignment))
    build(root, seed=DEFAULT_SEED, progress=False)
    release = root / "release" / assignment
    submitted = root / "submitted"
    solutions = solution_sources(root / "source" / assignment)
    make_submission(release, submitted / "solution" / assignment, solutions)
    make_submission(release, submitted / "blank" / assignment)
    for test_id in autograded_tests(root / "source" / assignment):
        code, _ = WRONG_ANSWERS[test_id]
        answers = dict(solutions)
        answers[test_id + "_answer"] = code
        make_submission(release, submitted / student_for(test_id) / assignment, answers)
    report = grade(root, assignment, progress=False)
    assert not report.failures, report.failures
    return Graded(root, assignment)


def test_every_exercise_has_an_answer_cell_and_a_wrong_answer(graded: Graded) -> None:
    solutions = solution_sources(graded.root / "source" / graded.assignment)
    assert graded.points, "an assignment needs autograded exercises"
    for test_id in graded.points:
        assert test_id + "_answer" in solutions, f"{test_id} has no answer cell {test_id}_answer"
        assert test_id in WRONG_ANSWERS, f"{test_id} needs a plausible wrong answer"


def test_solution_gets_full_automatic_points(graded: Graded) -> None:
    scores = graded.cell_scores("solution")
    assert scores == {gid: float(p) for gid, p in graded.points.items()}


def test_blank_release_gets_zero(graded: Graded) -> None:
    scores = graded.cell_scores("blank")
    assert set(scores) == set(graded.points)
    assert all(score == 0 for score in scores.values()), scores


def test_each_wrong_answer_loses_exactly_its_exercise(graded: Graded) -> None:
    for test_id, points in graded.points.items():
        scores = graded.cell_scores(student_for(test_id))
        expected = {gid: float(p) for gid, p in graded.points.items()}
        expected[test_id] = 0.0
        assert scores == expected, f"{test_id}: {scores}"
        assert sum(scores.values()) == graded.max_auto - points


def test_wrong_answers_fail_the_hidden_test(graded: Graded) -> None:
    for test_id in graded.points:
        _, shown = WRONG_ANSWERS[test_id]
        output = graded.cell_output(student_for(test_id), test_id)
        assert shown in output, (
            f"{test_id}: expected {shown!r} in the failure, got {output[-300:]!r}"
        )


def test_feedback_html_for_every_trainee(graded: Graded) -> None:
    students = ["solution", "blank", *(student_for(t) for t in graded.points)]
    for student in students:
        pages = list((graded.root / "feedback" / student / graded.assignment).glob("*.html"))
        notebooks = list((graded.root / "release" / graded.assignment).glob("*.ipynb"))
        assert len(pages) == len(notebooks), f"feedback missing for {student}"
        assert all("<html" in p.read_text(encoding="utf-8")[:2000].lower() for p in pages)


def test_grades_csv_exported(graded: Graded) -> None:
    with open(graded.root / "grades.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["assignment"] == graded.assignment]
    by_student = {r["student_id"]: float(r["raw_score"]) for r in rows}
    assert by_student["solution"] == graded.max_auto
    assert by_student["blank"] == 0.0
    assert len(by_student) == 2 + len(graded.points)
