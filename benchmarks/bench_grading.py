"""`course grade --jobs N` against plain sequential `nbgrader autograde`,
on the same honest cohort, side by side in one run.

Both graders do the same work: autograde every submission of every released
day, generate feedback, export grades.csv. Each runs on its own fresh copy
of one built course; runs alternate (plain, ours, plain, ours ...) and the
medians are reported, with the ratio to plain nbgrader and to the floor
(plain nbgrader's time divided by the cores). The sandbox is reported as it
really ran (root with bubblewrap: sandboxed; otherwise the run says so).
Both must give every trainee the same automatic score.

    python benchmarks/bench_grading.py [--cohort 20] [--jobs 1 2] [--repeats 3]
    python benchmarks/bench_grading.py --growth        # 5, 10 and 20 trainees
    python benchmarks/bench_grading.py --days day0-orientation --jobs 2
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from nbgrader.api import Gradebook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from cohort import honest_cohort  # noqa: E402

from course.build import assignments_with_notebooks, build  # noqa: E402
from course.nbgrader_run import grading_env  # noqa: E402
from course.world import DEFAULT_SEED  # noqa: E402


def scores(root: Path) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {
            (a.name, s.student_id): round(float(s.score), 3)
            for a in gb.assignments
            for s in gb.assignment_submissions(a.name)
        }


def plain_nbgrader(root: Path, assignments: list[str]) -> float:
    """Sequential plain nbgrader: autograde, feedback, CSV (as an instructor would)."""
    env = {**grading_env(root), "COURSE_PLAIN_AUTOGRADE": "1"}
    start = time.perf_counter()
    for assignment in assignments:
        for step in (["autograde", assignment], ["generate_feedback", assignment]):
            subprocess.run(
                [sys.executable, "-m", "nbgrader", *step],
                cwd=root, env=env, capture_output=True, check=True,
            )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", "--to=grades.csv"],
        cwd=root, env=env, capture_output=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def course_grade(root: Path, jobs: int) -> tuple[float, str, dict[str, float]]:
    """``course grade --jobs N`` (autograde, feedback, CSV); wall time, how it
    ran (its report's first line) and where the time went."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "course.cli", "grade", "--jobs", str(jobs)],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    first = proc.stdout.splitlines()[0]
    spent = {}
    for line in proc.stdout.splitlines():
        if line.startswith("Time (summed over notebooks):"):
            spent = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", line)}
    return wall, first, spent


def prepared(base: Path, size: int, days: list[str] | None) -> tuple[Path, list[str], int]:
    root = base / f"course-{size}"
    root.mkdir()
    shutil.copy2(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "source", root / "source")
    build(root, seed=DEFAULT_SEED, progress=False)
    assignments = [a for a in assignments_with_notebooks(root) if not days or a in days]
    count = honest_cohort(root, assignments, size)
    return root, assignments, count


def copy(root: Path, name: str) -> Path:
    target = root.parent / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root, target)
    return target


def compare(
    base: Path, size: int, jobs_list: list[int], repeats: int, days: list[str] | None
) -> None:
    root, assignments, count = prepared(base, size, days)
    plain_times: list[float] = []
    ours: dict[int, list[float]] = {j: [] for j in jobs_list}
    parts: dict[int, list[dict[str, float]]] = {j: [] for j in jobs_list}
    how = ""
    same = True
    for r in range(repeats):
        order = ["plain", *jobs_list] if r % 2 == 0 else [*jobs_list, "plain"]
        for who in order:
            work = copy(root, f"run-{who}")
            if who == "plain":
                plain_times.append(plain_nbgrader(work, assignments))
                plain_scores = scores(work)
            else:
                wall, how, spent = course_grade(work, who)
                ours[who].append(wall)
                parts[who].append(spent)
                our_scores = scores(work)
            shutil.rmtree(work)
        same = same and plain_scores == our_scores
    plain = statistics.median(plain_times)
    floor = plain / psutil.cpu_count()
    print(f"cohort: {size} trainees x {len(assignments)} days ({', '.join(assignments)}) "
          f"= {count} honest submissions; {repeats} runs each, alternating; medians")  # fmt: skip
    print(f"course grade ran: {how}")
    header = f"{'grader':<44} {'wall (s)':>9} {'per sub. (s)':>12} {'speed-up':>9} {'/ floor':>8}"
    print(header)
    print(f"{'nbgrader autograde+feedback+csv, sequential':<44} {plain:>9.1f} "
          f"{plain / count:>12.2f} {1.0:>9.2f} {plain / floor:>8.2f}")  # fmt: skip
    for jobs in jobs_list:
        wall = statistics.median(ours[jobs])
        print(f"{f'course grade --jobs {jobs} (same work)':<44} {wall:>9.1f} "
              f"{wall / count:>12.2f} {plain / wall:>9.2f} {wall / floor:>8.2f}")  # fmt: skip
    print(f"floor (plain / {psutil.cpu_count()} cores): {floor:.1f} s")
    print(f"same automatic score for every trainee: {same}")
    for jobs in jobs_list:
        keys = parts[jobs][0].keys() if parts[jobs] else []
        split = ", ".join(
            f"{k} {statistics.median(p.get(k, 0.0) for p in parts[jobs]):.1f}" for k in keys
        )
        print(f"where the time goes, --jobs {jobs} (s, summed over notebooks): {split}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohort", type=int, default=20)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--growth", action="store_true", help="cohorts of 5, 10 and 20")
    parser.add_argument("--days", nargs="+", default=None, help="only these assignments")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
        f"root={os.geteuid() == 0}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        for size in (5, 10, 20) if args.growth else (args.cohort,):
            base = Path(tmp) / f"n{size}"
            base.mkdir()
            compare(base, size, args.jobs, args.repeats, args.days)
            shutil.rmtree(base)


if __name__ == "__main__":
    main()
