"""What trainees receive: release/ in sync with source/, nothing leaked,
and every test cell failing on the blank notebooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO

from course.check import blank_release_fails, release_in_sync, release_leaks

pytestmark = pytest.mark.pipeline


def test_committed_release_is_in_sync_with_source() -> None:
    assert release_in_sync(REPO) == []


def test_committed_release_leaks_nothing() -> None:
    assert release_leaks(REPO) == []


def test_every_test_cell_fails_on_the_blank_release() -> None:
    assert blank_release_fails(REPO, progress=False) == []


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    for name in ("nbgrader_config.py",):
        shutil.copy2(REPO / name, tmp_path / name)
    for name in ("source", "release"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


def test_sync_check_catches_an_edited_release(course_copy: Path) -> None:
    notebook = next((course_copy / "release").glob("*/*.ipynb"))
    notebook.write_text(notebook.read_text().replace("Exercise", "Exersize", 1))
    problems = release_in_sync(course_copy)
    assert any(notebook.name in p and "differs" in p for p in problems), problems


def test_sync_check_catches_a_stale_file(course_copy: Path) -> None:
    stale = next((course_copy / "release").iterdir()) / "old-notes.txt"
    stale.write_text("left over")
    assert any("old-notes.txt is stale" in p for p in release_in_sync(course_copy))


def test_leak_check_catches_markers_and_key_files(course_copy: Path) -> None:
    day = next((course_copy / "release").iterdir())
    notebook = next(day.glob("*.ipynb"))
    notebook.write_text(notebook.read_text() + "\n### BEGIN HIDDEN TESTS\n")
    (day / "answer_key.json").write_text("{}")
    problems = release_leaks(course_copy)
    assert any("BEGIN HIDDEN TESTS" in p for p in problems)
    assert any("answer_key.json: instructor-only" in p for p in problems)


def test_invert_check_catches_a_test_that_passes_blank(course_copy: Path) -> None:
    import nbformat

    path = next((course_copy / "release").glob("*/*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            cell.source = '"""A test that cannot fail."""\nassert True'
            break
    nbformat.write(nb, path)
    problems = blank_release_fails(course_copy, progress=False)
    assert any(path.name in p and "passes on the blank notebook" in p for p in problems), problems
