"""A batch of broken and hostile submissions graded together with honest
ones: each gets its expected outcome, the batch never stops, the others'
grades are unaffected, and nothing submitted is changed."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

import pytest
from conftest import copy_course
from nbgrader.api import Gradebook
from pipeline.submissions import make_submission, solution_sources

from course.build import build
from course.grade import grade
from course.world import DEFAULT_SEED
from grading.attacks import ATTACKS
from grading.hostile import BROKEN, FULL

HOSTILE = BROKEN + ATTACKS

pytestmark = [pytest.mark.pipeline, pytest.mark.sandbox]
ASSIGNMENT = "day0-orientation"


def tree_hash(folder: Path) -> str:
    """Every file's bytes and every link's target, without following links."""
    digest = hashlib.sha256()
    for top, dirs, files in sorted(os.walk(folder)):
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(top, d))]):
            path = Path(top) / name
            content = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + content)
    return digest.hexdigest()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory):
    root = copy_course(tmp_path_factory.mktemp("hostile"))
    build(root, seed=DEFAULT_SEED, progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=datetime(2026, 3, 5, 12, 0))
    release = root / "release" / ASSIGNMENT
    solutions = solution_sources(root / "source" / ASSIGNMENT)
    for student in ("control-a", "control-b"):
        make_submission(release, root / "submitted" / student / ASSIGNMENT, solutions)
    for hostile in HOSTILE:
        folder = make_submission(release, root / "submitted" / hostile.name / ASSIGNMENT, solutions)
        hostile.change(folder)
    before = tree_hash(root / "submitted")
    old_timeout = os.environ.get("COURSE_CELL_TIMEOUT")
    os.environ["COURSE_CELL_TIMEOUT"] = "20"
    try:
        report = grade(root, ASSIGNMENT, progress=False, jobs=2)
    finally:
        if old_timeout is None:
            os.environ.pop("COURSE_CELL_TIMEOUT")
        else:
            os.environ["COURSE_CELL_TIMEOUT"] = old_timeout
    scores = {r.student: r.score for r in report.results}
    write_table(report, scores)
    return {"root": root, "report": report, "scores": scores, "before": before}


def write_table(report, scores: dict[str, float]) -> None:
    """The table of outcomes (expected and actual score, first flag) for the
    grading notes: artifacts/hostile-table.md, a test artefact."""
    lines = ["| fixture | what it does | expected | actual | first flag |", "|---|---|---|---|---|"]
    for h in HOSTILE:
        flags = report.flags(h.name, ASSIGNMENT)
        first = flags[0][:90].replace("|", "/") if flags else "-"
        lines.append(f"| {h.name} | {h.what} | {h.score:g} | {scores[h.name]:g} | {first} |")
    out = Path(__file__).resolve().parents[2] / "artifacts" / "hostile-table.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_there_are_at_least_45_hostile_fixtures_across_the_classes() -> None:
    assert len(HOSTILE) >= 70
    assert len(ATTACKS) >= 45
    assert {h.name[:2] for h in ATTACKS} == {"a-", "b-", "c-", "d-", "e-", "f-", "g-"}
    assert len({h.name for h in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.name)
def test_hostile_submission_gets_its_expected_outcome(batch, hostile) -> None:
    report = batch["report"]
    assert batch["scores"][hostile.name] == hostile.score, report.flags(hostile.name, ASSIGNMENT)
    if hostile.flag:
        flags = report.flags(hostile.name, ASSIGNMENT)
        assert any(hostile.flag in f for f in flags), flags
    if hostile.outcome:
        problem = hostile.outcome(batch["root"])
        assert problem is None, problem


def test_the_batch_never_stops_and_honest_trainees_are_unaffected(batch) -> None:
    report = batch["report"]
    assert report.failures == []
    assert batch["scores"]["control-a"] == FULL
    assert batch["scores"]["control-b"] == FULL
    assert report.flags("control-a", ASSIGNMENT) == []
    assert len(batch["scores"]) == len(HOSTILE) + 2


def test_grading_never_modifies_submissions(batch) -> None:
    assert tree_hash(batch["root"] / "submitted") == batch["before"]


def test_the_report_names_every_flag(batch) -> None:
    text = (batch["root"] / "grading-report.txt").read_text()
    assert "Flagged" in text
    for hostile in HOSTILE:
        if hostile.flag:
            assert hostile.name in text


def test_no_sandbox_process_survives(batch) -> None:
    import psutil

    left = [
        p
        for p in psutil.process_iter(["username"])
        if (p.info["username"] or "").startswith("nps-sandbox")
    ]
    assert left == []


def test_huge_output_is_cut(batch) -> None:
    import nbformat

    path = (
        batch["root"]
        / "autograded"
        / "huge-output"
        / ASSIGNMENT
        / "02-python-for-investigators.ipynb"
    )
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert len(text.splitlines()) < 2000

