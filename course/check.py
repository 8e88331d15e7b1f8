"""``course check``: is what trainees receive right?

Three checks, each returning a list of one-line problems (empty when fine):

- :func:`release_in_sync`: ``release/`` equals what ``nbgrader
  generate_assignment`` makes from ``source/`` now (built in a temporary
  copy of the course, so the real gradebook is not touched);
- :func:`release_leaks`: no solution, hidden test, mark scheme or answer key
  in ``release/``;
- :func:`blank_release_fails`: ``nbgrader validate --invert``: every test
  cell fails on the blank release notebooks.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

from tqdm import tqdm

from course.build import assignments_with_notebooks, generate_release
from course.i18n import built_language
from course.nbgrader_run import nbgrader
from course.paths import ANSWER_KEY, CONFIG_NAME, GROUND_TRUTH

#: Text that must never appear in a release: solution and hidden-test
#: delimiters, mark schemes, and the answer-key API that hidden tests call.
LEAK_MARKERS: tuple[str, ...] = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "BEGIN HIDDEN TESTS",
    "END HIDDEN TESTS",
    "BEGIN MARK SCHEME",
    "END MARK SCHEME",
    "course.grading",
)
LEAK_FILES: tuple[str, ...] = (ANSWER_KEY, GROUND_TRUTH, "gradebook.db")
INVERT_OK = "Success! The notebook does not pass any tests."


def _tree(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


def release_in_sync(root: Path) -> list[str]:
    """Compare ``release/`` with a fresh generation from ``source/``."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        copy = Path(tmp)
        shutil.copy2(root / CONFIG_NAME, copy / CONFIG_NAME)
        shutil.copytree(root / "source", copy / "source")
        for assignment in assignments_with_notebooks(root):
            generate_release(copy, assignment, built_language(root))  # in the built language
            fresh, committed = copy / "release" / assignment, root / "release" / assignment
            if not committed.is_dir():
                problems.append(f"release/{assignment} is missing: run `course build`")
                continue
            fresh_files, committed_files = _tree(fresh), _tree(committed)
            for name in sorted(fresh_files - committed_files):
                problems.append(f"release/{assignment}/{name} is missing: run `course build`")
            for name in sorted(committed_files - fresh_files):
                problems.append(f"release/{assignment}/{name} is stale (not made from source/)")
            for name in sorted(fresh_files & committed_files):
                if not filecmp.cmp(fresh / name, committed / name, shallow=False):
                    problems.append(
                        f"release/{assignment}/{name} differs from source/: run `course build`"
                    )
    return problems


def release_leaks(root: Path) -> list[str]:
    """Find instructor-only text or files in ``release/``."""
    problems: list[str] = []
    release = root / "release"
    if not release.is_dir():
        return ["release/ is missing: run `course build`"]
    for path in sorted(release.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root)
        if path.name in LEAK_FILES:
            problems.append(f"{rel}: instructor-only file in the release")
            continue
        if path.suffix not in {".ipynb", ".py", ".md", ".txt", ".json", ".csv", ".html"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in LEAK_MARKERS:
            if marker in text:
                problems.append(f"{rel}: contains '{marker}'")
    return problems


def blank_release_fails(root: Path, progress: bool = True) -> list[str]:
    """Run ``nbgrader validate --invert`` on every release notebook."""
    problems: list[str] = []
    notebooks = sorted((root / "release").glob("*/*.ipynb"))
    # run on a copy: a notebook may write files (a report, a log) beside itself,
    # and release/ must stay exactly what `course build` made
    with tempfile.TemporaryDirectory(prefix="course-validate-") as tmp:
        for notebook in tqdm(notebooks, desc="validate --invert", unit="nb",
                             disable=not progress):
            work = Path(tmp) / notebook.parent.name
            if not work.is_dir():
                shutil.copytree(notebook.parent, work)
            proc = nbgrader(root, "validate", "--invert", str(work / notebook.name), check=False)
            if INVERT_OK not in proc.stdout:
                detail = (" ".join(proc.stdout.split())[:300]
                          or proc.stderr.strip().splitlines()[-1:])
                problems.append(
                    f"{notebook.relative_to(root)}: a test passes on the blank notebook: {detail}"
                )
    return problems
