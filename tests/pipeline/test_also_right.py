"""Right answers that differ from the solution get full points, through the real
nbgrader pipeline (``ALSO_RIGHT`` of ``wrong_answers.py`` and of each later day's
``wrong_answers_dayN*.py``): for example every order of the rendezvous steps that
the protocol allows, a guard probability rounded to the 4 decimal places the
exercise asks for, and an exit list written another way. Every day with such
answers is graded in the same course."""

from __future__ import annotations

import pytest
from conftest import copy_course
from nbgrader.api import Gradebook

from course.build import assignments_with_notebooks, build
from course.grade import grade
from course.world import DEFAULT_SEED
from pipeline.submissions import autograded_tests, make_submission, solution_sources
from pipeline.wrong_answers import ALSO_RIGHT

pytestmark = [pytest.mark.pipeline, pytest.mark.sandbox]


def test_also_right_answers_get_full_points(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = copy_course(tmp_path_factory.mktemp("also-right"))
    build(root, seed=DEFAULT_SEED, progress=False)
    days = {a: autograded_tests(root / "source" / a) for a in assignments_with_notebooks(root)}
    owner = {gid: a for a, points in days.items() for gid in points}
    unknown = sorted(set(ALSO_RIGHT) - set(owner))
    assert not unknown, f"ALSO_RIGHT names exercises no day has: {unknown}"
    assert ALSO_RIGHT, "no also-right answers to grade"
    for assignment in sorted({owner[gid] for gid in ALSO_RIGHT}):
        points = days[assignment]
        entries = {gid: codes for gid, codes in ALSO_RIGHT.items() if owner[gid] == assignment}
        solutions = solution_sources(root / "source" / assignment)
        students = []
        for k in range(max(len(codes) for codes in entries.values())):
            answers = dict(solutions)
            for grade_id, codes in entries.items():
                answers[grade_id + "_answer"] = codes[k % len(codes)]
            student = f"right-{k + 1}"
            make_submission(
                root / "release" / assignment, root / "submitted" / student / assignment, answers
            )
            students.append(student)
        report = grade(root, assignment, progress=False, jobs=2)
        assert not report.failures, report.failures
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for student in students:
                sub = gb.find_submission(assignment, student)
                scores = {
                    g.name: float(g.score)
                    for nb in sub.notebooks
                    for g in nb.grades
                    if g.name in points
                }
                assert scores == {gid: float(p) for gid, p in points.items()}, (student, scores)
