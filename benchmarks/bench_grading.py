"""Parallel, sandboxed `course grade --jobs N` against plain sequential
`nbgrader autograde`, on the same synthetic cohort, in the same run.

The cohort: COHORT trainees for every assignment that has notebooks; most
hand in the reference solution, some one wrong answer per notebook, some
the blank release. Both graders run on identical copies of the course; the
script checks that they give every trainee the same automatic score, then
prints the wall times and their ratio.

    python benchmarks/bench_grading.py [--cohort 20] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from nbgrader.api import Gradebook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from pipeline.submissions import make_submission, solution_sources, wrong_answer_groups  # noqa: E402
from pipeline.wrong_answers import WRONG_ANSWERS  # noqa: E402

from course.build import assignments_with_notebooks, build  # noqa: E402
from course.nbgrader_run import grading_env  # noqa: E402
from course.world import DEFAULT_SEED  # noqa: E402


def make_cohort(root: Path, size: int) -> int:
    count = 0
    for assignment in assignments_with_notebooks(root):
        release = root / "release" / assignment
        solutions = solution_sources(root / "source" / assignment)
        groups = wrong_answer_groups(root / "source" / assignment)
        for i in range(size):
            answers = dict(solutions)
            if i % 5 == 3 and groups:
                for test_id in groups[i % len(groups)]:
                    answers[test_id + "_answer"] = WRONG_ANSWERS[test_id][0]
            if i % 10 == 9:
                answers = {}
            make_submission(release, root / "submitted" / f"trainee{i:02d}" / assignment, answers)
            count += 1
    return count


def scores(root: Path) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {
            (a.name, s.student_id): round(float(s.score), 3)
            for a in gb.assignments
            for s in gb.assignment_submissions(a.name)
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohort", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        plain = Path(tmp) / "plain"
        plain.mkdir()
        shutil.copy2(REPO / "nbgrader_config.py", plain)
        shutil.copytree(REPO / "source", plain / "source")
        build(plain, seed=DEFAULT_SEED, progress=False)
        n = make_cohort(plain, args.cohort)
        ours = Path(tmp) / "ours"
        shutil.copytree(plain, ours)
        env = grading_env(plain)

        start = time.perf_counter()
        for assignment in assignments_with_notebooks(plain):
            subprocess.run(
                [sys.executable, "-m", "nbgrader", "autograde", assignment],
                cwd=plain, env=env, capture_output=True, check=True,
            )  # fmt: skip
        sequential = time.perf_counter() - start

        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "course.cli", "grade", "--jobs", str(args.jobs)],
            cwd=ours, env=dict(os.environ), capture_output=True, check=True,
        )  # fmt: skip
        parallel = time.perf_counter() - start

        same = scores(plain) == scores(ours)
        print(
            f"machine: {platform.machine()}, {psutil.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
            f"root={os.geteuid() == 0}"
        )
        print(
            f"cohort: {args.cohort} trainees x "
            f"{len(assignments_with_notebooks(plain))} assignments = {n} submissions"
        )
        rows = [
            ("nbgrader autograde, sequential, unsandboxed", sequential),
            (f"course grade --jobs {args.jobs}, sandboxed, + feedback/CSV", parallel),
        ]
        print(f"{'grader':<52} {'wall (s)':>9} {'per submission (s)':>19}")
        for name, seconds in rows:
            print(f"{name:<52} {seconds:>9.1f} {seconds / n:>19.2f}")
        print(f"ratio sequential / parallel: {sequential / parallel:.2f}")
        print(f"same automatic scores for every trainee: {same}")


if __name__ == "__main__":
    main()
