"""Making trainee submissions from release notebooks, as a trainee would."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def solution_sources(source_dir: Path) -> dict[str, str]:
    """``grade_id -> source`` of every solution cell of an assignment's source notebooks."""
    found: dict[str, str] = {}
    for path in sorted(source_dir.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution"):
                found[meta["grade_id"]] = cell.source
    return found


def autograded_tests(source_dir: Path) -> dict[str, int]:
    """``grade_id -> points`` of every autograded test cell."""
    found: dict[str, int] = {}
    for path in sorted(source_dir.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                found[meta["grade_id"]] = meta["points"]
    return found


def tests_by_notebook(source_dir: Path) -> dict[str, list[str]]:
    """``notebook name -> [test grade_id, ...]`` in notebook order."""
    found: dict[str, list[str]] = {}
    for path in sorted(source_dir.glob("*.ipynb")):
        found[path.stem] = [
            cell.metadata["nbgrader"]["grade_id"]
            for cell in nbformat.read(path, as_version=4).cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
            and not cell.metadata["nbgrader"].get("solution")
            and cell.cell_type == "code"
        ]
    return found


def wrong_answer_groups(source_dir: Path) -> list[list[str]]:
    """Group the exercises so that each group holds at most one per notebook:
    one submission per group tests them all, since notebooks run in separate
    kernels and a wrong answer cannot reach another notebook."""
    per_notebook = list(tests_by_notebook(source_dir).values())
    depth = max((len(ids) for ids in per_notebook), default=0)
    return [[ids[k] for ids in per_notebook if k < len(ids)] for k in range(depth)]


def strip_solution_markers(code: str) -> str:
    return "\n".join(
        line
        for line in code.splitlines()
        if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
    )


def make_submission(
    release_dir: Path,
    target: Path,
    answers: dict[str, str] | None = None,
) -> Path:
    """Copy ``release_dir`` to ``target`` and put ``answers`` (``answer cell
    grade_id -> code``) into the matching cells of its notebooks."""
    shutil.copytree(release_dir, target)
    answers = dict(answers or {})
    for path in sorted(target.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            gid = grade_id(cell)
            if gid in answers:
                cell.source = strip_solution_markers(answers.pop(gid))
        nbformat.write(nb, path)
    assert not answers, f"answer cells not found in the release: {sorted(answers)}"
    (target / "timestamp.txt").write_text("2026-03-02 10:00:00.000000 UTC")
    return target
