"""``course build``: write the case world, then generate every release."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from course.errors import CourseError
from course.nbgrader_run import generate_assignment
from course.paths import source_assignments
from course.world import build_world, write_world


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    seed: int
    data_files: int
    data_bytes: int
    assignments: tuple[str, ...]


def assignments_with_notebooks(root: Path) -> list[str]:
    """Source assignments that hold at least one notebook (data-only folders wait
    for their notebooks and are not released)."""
    return [a for a in source_assignments(root) if any((root / "source" / a).glob("*.ipynb"))]


def build(root: Path, seed: int, scale: int = 1, progress: bool = True) -> BuildReport:
    """Build the course at ``root``: world files, answer key, and all releases."""
    if seed < 0:
        raise CourseError(f"--seed must be zero or a positive whole number, not {seed}")
    if scale < 1:
        raise CourseError(f"--scale must be 1 or more, not {scale}")
    ctx = build_world(seed=seed, scale=scale, progress=progress)
    written = write_world(ctx, root)
    assignments = assignments_with_notebooks(root)
    for assignment in tqdm(
        assignments, desc="generating releases", unit="day", disable=not progress
    ):
        generate_assignment(root, assignment)
    return BuildReport(
        seed=seed,
        data_files=len(written),
        data_bytes=sum(p.stat().st_size for p in written),
        assignments=tuple(assignments),
    )
