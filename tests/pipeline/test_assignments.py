"""Every assignment through the real nbgrader pipeline, in a temporary course,
in every language of the course.

For each language, one course is built (``course build --lang``) and shared.
For each day: submit the reference solution, the blank release, and one
plausible wrong answer per exercise; grade them with ``course grade``
(nbgrader autograde, generate_feedback, export). Then check the gradebook
cell by cell, and that the feedback speaks the cohort's language.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from i18n.courses import LANGUAGES, built_course_in, source_dir
from nbgrader.api import Gradebook

from course.build import assignments_with_notebooks
from course.grade import grade
from pipeline.shown_ru import SHOWN_RU
from pipeline.submissions import (
    autograded_tests,
    make_submission,
    solution_sources,
    wrong_answer_groups,
)
from pipeline.wrong_answers import WRONG_ANSWERS

pytestmark = [pytest.mark.pipeline, pytest.mark.sandbox]

ASSIGNMENTS = assignments_with_notebooks(REPO)


def student_for(grade_id: str, groups: list[list[str]]) -> str:
    """The submission that holds the wrong answer to ``grade_id``."""
    return next(f"wrong-{k + 1}" for k, group in enumerate(groups) if grade_id in group)


class Graded:
    """A graded temporary course for one assignment in one language."""

    def __init__(self, root: Path, assignment: str, lang: str = "en") -> None:
        self.root = root
        self.assignment = assignment
        self.lang = lang
        self.source = source_dir(root, lang, assignment)
        self.points = autograded_tests(self.source)
        self.max_auto = float(sum(self.points.values()))
        self.groups = wrong_answer_groups(self.source)

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


@pytest.fixture(
    scope="module",
    params=[(lang, a) for lang in LANGUAGES for a in ASSIGNMENTS],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Graded:
    lang, assignment = request.param
    root = built_course_in(lang, tmp_path_factory)
    release = root / "release" / assignment
    submitted = root / "submitted"
    source = source_dir(root, lang, assignment)
    solutions = solution_sources(source)
    make_submission(release, submitted / "solution" / assignment, solutions)
    make_submission(release, submitted / "blank" / assignment)
    groups = wrong_answer_groups(source)
    for test_id in autograded_tests(source):
        assert test_id in WRONG_ANSWERS, f"{test_id} needs a plausible wrong answer"
    for k, group in enumerate(groups):
        answers = dict(solutions)
        for test_id in group:
            answers[test_id + "_answer"] = WRONG_ANSWERS[test_id][0]
        make_submission(release, submitted / f"wrong-{k + 1}" / assignment, answers)
    # as on an instructor's machine: no COURSE_LANG, the key says the language
    saved = os.environ.pop("COURSE_LANG", None)
    try:
        report = grade(root, assignment, progress=False, jobs=2)
    finally:
        if saved is not None:
            os.environ["COURSE_LANG"] = saved
    assert not report.failures, report.failures
    graded = Graded(root, assignment, lang)
    graded.report = report
    return graded


def test_every_exercise_has_an_answer_cell_and_a_wrong_answer(graded: Graded) -> None:
    solutions = solution_sources(graded.source)
    assert graded.points, "an assignment needs autograded exercises"
    for test_id in graded.points:
        assert test_id + "_answer" in solutions, f"{test_id} has no answer cell {test_id}_answer"
        assert test_id in WRONG_ANSWERS, f"{test_id} needs a plausible wrong answer"


def test_solution_gets_full_automatic_points(graded: Graded) -> None:
    scores = graded.cell_scores("solution")
    assert scores == {gid: float(p) for gid, p in graded.points.items()}


def test_honest_submissions_raise_no_flag(graded: Graded) -> None:
    for student in ("solution", "blank", *(f"wrong-{k + 1}" for k in range(len(graded.groups)))):
        assert graded.report.flags(student, graded.assignment) == [], student


def test_grading_was_sandboxed(graded: Graded) -> None:
    assert graded.report.sandbox_note == "sandboxed"
    assert "UNSANDBOXED" not in (graded.root / "grading-report.txt").read_text()


def test_blank_release_gets_zero(graded: Graded) -> None:
    scores = graded.cell_scores("blank")
    assert set(scores) == set(graded.points)
    assert all(score == 0 for score in scores.values()), scores


def test_each_wrong_answer_loses_exactly_its_exercise(graded: Graded) -> None:
    for k, group in enumerate(graded.groups):
        scores = graded.cell_scores(f"wrong-{k + 1}")
        expected = {gid: (0.0 if gid in group else float(p)) for gid, p in graded.points.items()}
        assert scores == expected, f"wrong answers to {group}: {scores}"
        assert sum(scores.values()) == graded.max_auto - sum(graded.points[g] for g in group)


def test_wrong_answers_fail_the_hidden_test(graded: Graded) -> None:
    for test_id in graded.points:
        _, shown = WRONG_ANSWERS[test_id]
        if graded.lang == "ru":
            assert shown in SHOWN_RU, f"{test_id}: add the Russian of {shown!r} to shown_ru.py"
            shown = SHOWN_RU[shown]
        output = graded.cell_output(student_for(test_id, graded.groups), test_id)
        assert shown in output, (
            f"{test_id}: expected {shown!r} in the failure, got {output[-300:]!r}"
        )


def test_feedback_html_for_every_trainee(graded: Graded) -> None:
    students = ["solution", "blank", *(f"wrong-{k + 1}" for k in range(len(graded.groups)))]
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
    # every trainee of the course has a row; those who handed nothing in (here: the
    # wrong-answer trainees of another day) have no timestamp and score 0
    handed_in = {r["student_id"] for r in rows if r["timestamp"]}
    expected = {"solution", "blank"} | {f"wrong-{k + 1}" for k in range(len(graded.groups))}
    assert handed_in == expected
    assert all(by_student[s] == 0.0 for s in set(by_student) - handed_in)


def test_feedback_speaks_the_cohort_language(graded: Graded) -> None:
    """A wrong answer's feedback page holds the notebook's text and the
    grading message in the cohort's language."""
    wrong = {"en": "is not what the data gives", "ru": "данные дают другой ответ"}[graded.lang]
    exercise = {"en": "Exercise", "ru": "Упражнение"}[graded.lang]
    pages = [
        p.read_text(encoding="utf-8")
        for k in range(len(graded.groups))
        for p in (graded.root / "feedback" / f"wrong-{k + 1}" / graded.assignment).glob("*.html")
    ]
    assert any(wrong in page for page in pages)
    assert all(exercise in page for page in pages)


def test_same_exercises_and_points_in_every_language(graded: Graded) -> None:
    """Same assignment, grade ids and points as the English source."""
    assert graded.points == autograded_tests(REPO / "source" / graded.assignment)
    with Gradebook(f"sqlite:///{graded.root / 'gradebook.db'}") as gb:
        cells = {
            c.name: c.max_score
            for nb in gb.find_assignment(graded.assignment).notebooks
            for c in nb.grade_cells
        }
    assert {gid: cells[gid] for gid in graded.points} == {
        gid: float(p) for gid, p in graded.points.items()
    }
