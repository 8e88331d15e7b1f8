"""Right answers that differ from the solution get full points, through the real
nbgrader pipeline: every order of the rendezvous steps that the protocol allows,
a guard probability rounded to the 4 decimal places the exercise asks for, and
an exit list written another way (``ALSO_RIGHT`` of ``wrong_answers.py``)."""

from __future__ import annotations

import pytest
from conftest import copy_course
from nbgrader.api import Gradebook

from course.build import build
from course.grade import grade
from course.world import DEFAULT_SEED
from pipeline.submissions import autograded_tests, make_submission, solution_sources
from pipeline.wrong_answers import ALSO_RIGHT

pytestmark = [pytest.mark.pipeline, pytest.mark.sandbox]

ASSIGNMENT = "day1-darkweb-tor"


def test_also_right_answers_get_full_points(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = copy_course(tmp_path_factory.mktemp("also-right"))
    build(root, seed=DEFAULT_SEED, progress=False)
    source = root / "source" / ASSIGNMENT
    points = autograded_tests(source)
    assert set(ALSO_RIGHT) <= set(points), "ALSO_RIGHT names an exercise the day does not have"
    solutions = solution_sources(source)
    depth = max(len(codes) for codes in ALSO_RIGHT.values())
    students = []
    for k in range(depth):
        answers = dict(solutions)
        for grade_id, codes in ALSO_RIGHT.items():
            answers[grade_id + "_answer"] = codes[k % len(codes)]
        student = f"right-{k + 1}"
        make_submission(root / "release" / ASSIGNMENT, root / "submitted" / student / ASSIGNMENT,
                        answers)
        students.append(student)
    report = grade(root, ASSIGNMENT, progress=False, jobs=2)
    assert not report.failures, report.failures
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            sub = gb.find_submission(ASSIGNMENT, student)
            scores = {g.name: float(g.score) for nb in sub.notebooks for g in nb.grades
                      if g.name in points}
            assert scores == {gid: float(p) for gid, p in points.items()}, (student, scores)
