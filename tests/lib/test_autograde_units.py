"""Unit tests of the grading pieces that need no kernel: flags, answer
records, the verdict on a test cell, repairing a submission's copy."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course.autograde.execute import repair_graded_cells
from course.autograde.flags import event_flags, notebook_flags, static_flags
from course.autograde.verdict import KeyVerdicts, recorded_answers
from course.grading import RECORD_MARKER


def graded(source: str, grade_id: str, **meta) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **meta}
    return cell


def record(grade_id: str, answer: object) -> str:
    return RECORD_MARKER + json.dumps({"grade_id": grade_id, "answer": answer}) + "\n"


@pytest.fixture
def release(tmp_path: Path) -> Path:
    nb = new_notebook(
        cells=[
            graded("answer = 1", "q_answer", solution=True, grade=False, locked=False),
            graded('expect("q", answer)', "q", grade=True, solution=False, locked=True, points=2),
        ]
    )
    path = tmp_path / "release" / "n.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


def test_recorded_answers_are_read_and_removed_from_the_output() -> None:
    cell = graded("", "q", grade=True)
    cell.outputs = [new_output("stream", name="stdout", text="hello\n" + record("q", [1, 2]))]
    answers, problems = recorded_answers(cell)
    assert answers == {"q": [1, 2]}
    assert problems == []
    assert cell.outputs[0]["text"] == "hello\n"


def test_a_broken_record_is_a_problem_not_a_pass() -> None:
    cell = graded("", "q", grade=True)
    cell.outputs = [new_output("stream", name="stdout", text=RECORD_MARKER + "{not json\n")]
    answers, problems = recorded_answers(cell)
    assert answers == {} and problems == ["an answer record could not be read"]


@pytest.mark.parametrize(
    ("outputs", "execution_count", "fails_with"),
    [
        ([record("q", 7)], 1, None),
        ([record("q", 8)], 1, "this is not what the data gives"),
        ([record("q", None)], 1, "no answer yet"),
        ([], 1, "could not check the answer"),
        ([record("q", 7)], None, "did not run"),
    ],
)
def test_key_verdicts(tmp_path: Path, monkeypatch, outputs, execution_count, fails_with) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"seed": 1, "answers": {"q": {"value": 7}}}))
    monkeypatch.setenv("COURSE_ANSWER_KEY", str(key))
    cell = graded('expect("q", answer)', "q", grade=True, solution=False)
    cell.execution_count = execution_count
    cell.outputs = [new_output("stream", name="stdout", text=t) for t in outputs]
    nb, _ = KeyVerdicts().preprocess(new_notebook(cells=[cell]), {})
    errors = [o for o in nb.cells[0].outputs if o["output_type"] == "error"]
    if fails_with is None:
        assert errors == []
    else:
        assert len(errors) == 1 and fails_with in errors[0]["evalue"]


def test_event_flags_group_by_kind_and_skip_library_noise() -> None:
    events = ["fork\tos.fork"] * 55 + [
        "process\t('uname', ['uname', '-p'])",
        "network\t('1.2.3.4', 80)",
    ]
    flags = event_flags(events)
    assert flags == [
        "the kernel forked (55 times): os.fork",
        "the kernel tried to connect to the network: ('1.2.3.4', 80)",
    ]


def test_static_flags_see_missing_extra_and_edited(tmp_path: Path, release: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    nb = nbformat.read(release, as_version=4)
    nb.cells[1].source = "assert True"
    nb.cells[0].source = "import subprocess\nanswer = 1"
    nbformat.write(nb, sub / "n.ipynb")
    (sub / "notes.txt").write_text("x")
    flags = static_flags(sub, release.parent)
    assert "extra files ignored: notes.txt" in flags
    assert "n.ipynb: locked cell q was edited (restored from the source)" in flags
    assert any("starts other programs" in f for f in flags)
    (sub / "n.ipynb").unlink()
    assert static_flags(sub, release.parent)[0] == "n.ipynb is missing (scored zero)"


def test_unreadable_notebooks_are_named(tmp_path: Path, release: Path) -> None:
    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(b'{"cells": [\xff')
    assert notebook_flags(bad, release) == ["not UTF-8 text (unreadable, scored zero)"]
    bad.write_text('{"cells": [')
    assert notebook_flags(bad, release) == ["not a valid notebook file (broken JSON, scored zero)"]


def test_repair_restores_deleted_and_disarms_duplicated_cells(
    tmp_path: Path, release: Path
) -> None:
    nb = nbformat.read(release, as_version=4)
    answer = nb.cells[0]
    nb.cells = [answer, nbformat.from_dict(json.loads(json.dumps(answer)))]
    nb.cells[1]["id"] = "copy"
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    repair_graded_cells(path, release)
    repaired = nbformat.read(path, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in repaired.cells]
    assert ids == ["q_answer", "q", None]  # the test goes back right after its answer
