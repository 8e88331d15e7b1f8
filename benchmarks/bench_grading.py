"""`course grade --jobs N` against plain sequential `nbgrader autograde`,
day by day, on the same honest cohort, side by side in one run.

Both graders do the same work for a day: autograde every submission,
generate feedback, export grades.csv. Each run starts from its own fresh copy
of one built course; runs alternate (plain, ours, ours, plain ...) and the
medians are reported per day and summed over the days, with the ratio to
plain nbgrader and to the floor (plain nbgrader's time divided by the cores).
Plain nbgrader is run as an instructor runs it (`python -m nbgrader ...`).
The sandbox is reported as it really ran (root with bubblewrap: sandboxed;
otherwise the run says so). Both must give every trainee the same automatic
score. `--growth` grades cohorts of 5, 10 and 20 to show how the time grows.

    python benchmarks/bench_grading.py                      # every day, 20 trainees, --jobs 2
    python benchmarks/bench_grading.py --jobs 1 2 --repeats 5 --days day0-orientation
    python benchmarks/bench_grading.py --growth --days day0-orientation --jobs 1 2
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

#: how ``course grade``'s summed times are shown (its report's names -> here)
PARTS = {
    "kernel_start": "kernel start",
    "cells": "execution",
    "sandbox_other": "sandbox start/stop",
    "rebuild": "rebuild",
    "verdict": "verdict",
    "gradebook": "nbgrader bookkeeping",
    "feedback": "feedback",
    "csv": "csv",
}


def scores(root: Path, assignment: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {
            s.student_id: round(float(s.score), 3) for s in gb.assignment_submissions(assignment)
        }


def plain_nbgrader(root: Path, assignment: str) -> float:
    """Sequential plain nbgrader for one day: autograde, feedback, CSV."""
    env = {**grading_env(root), "COURSE_PLAIN_AUTOGRADE": "1"}
    start = time.perf_counter()
    for step in (["autograde", assignment], ["generate_feedback", assignment],
                 ["export", "--to=grades.csv"]):  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "nbgrader", *step],
            cwd=root, env=env, capture_output=True, check=True,
        )  # fmt: skip
    return time.perf_counter() - start


def course_grade(root: Path, assignment: str, jobs: int) -> tuple[float, str, dict[str, float]]:
    """``course grade DAY --jobs N`` (autograde, feedback, CSV); wall time, how it
    ran (its report's first line) and where the time went (summed over notebooks)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "course.cli", "grade", assignment, "--jobs", str(jobs)],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    spent: dict[str, float] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("Time (summed over notebooks):"):
            spent = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", line)}
    if spent:
        spent["sandbox_other"] = spent["sandbox"] - spent["kernel_start"] - spent["cells"]
    return wall, proc.stdout.splitlines()[0], spent


def prepared(base: Path, size: int, days: list[str] | None) -> tuple[Path, list[str]]:
    """One built course with ``size`` honest trainees for every day."""
    root = base / f"course-{size}"
    root.mkdir()
    shutil.copy2(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "source", root / "source")
    build(root, seed=DEFAULT_SEED, progress=False)
    assignments = [a for a in assignments_with_notebooks(root) if not days or a in days]
    honest_cohort(root, assignments, size)
    return root, assignments


def fresh(root: Path, name: str) -> Path:
    target = root.parent / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root, target)
    return target


def one_day(root: Path, day: str, jobs_list: list[int], repeats: int) -> dict:
    """Every grader on ``day``, ``repeats`` times each, alternating; medians."""
    times: dict[object, list[float]] = {"plain": [], **{j: [] for j in jobs_list}}
    parts: dict[int, list[dict[str, float]]] = {j: [] for j in jobs_list}
    how, same = "", True
    for r in range(repeats):
        order = ["plain", *jobs_list] if r % 2 == 0 else [*jobs_list, "plain"]
        got: dict[object, dict[str, float]] = {}
        for who in order:
            work = fresh(root, f"run-{who}")
            if who == "plain":
                times["plain"].append(plain_nbgrader(work, day))
            else:
                wall, how, spent = course_grade(work, day, who)
                times[who].append(wall)
                parts[who].append(spent)
            got[who] = scores(work, day)
            shutil.rmtree(work)
        same = same and all(got[j] == got["plain"] for j in jobs_list)
    return {
        "median": {who: statistics.median(ts) for who, ts in times.items()},
        "runs": times,
        "parts": {
            j: {k: statistics.median(p.get(k, 0.0) for p in parts[j]) for k in PARTS}
            for j in jobs_list
        },
        "how": how,
        "same": same,
        "count": len(list((root / "submitted").glob(f"*/{day}"))),
    }


def table(rows: list[tuple[str, int, dict]], jobs_list: list[int], cores: int) -> None:
    print(
        "| day | subs | plain nbgrader (s) | "
        + " | ".join(f"course grade --jobs {j} (s) | speed-up | / floor" for j in jobs_list)
        + " | same scores |"
    )
    print("|---|---|---|" + "---|---|---|" * len(jobs_list) + "---|")
    for name, count, result in rows:
        plain = result["median"]["plain"]
        floor = plain / cores
        cells = [f"{plain:.1f}"]
        for j in jobs_list:
            ours = result["median"][j]
            cells += [f"{ours:.1f}", f"{plain / ours:.2f}x", f"{ours / floor:.2f}"]
        print(f"| {name} | {count} | " + " | ".join(cells) + f" | {result['same']} |")


def compare(root: Path, days: list[str], jobs_list: list[int], repeats: int) -> None:
    cores = psutil.cpu_count()
    rows = []
    for day in days:
        result = one_day(root, day, jobs_list, repeats)
        rows.append((day, result["count"], result))
        runs = "; ".join(
            f"{who}: " + ", ".join(f"{t:.1f}" for t in ts) for who, ts in result["runs"].items()
        )
        print(f"{day}: runs (s) {runs}", flush=True)
    total = {
        "median": {
            who: sum(r["median"][who] for _, _, r in rows) for who in ["plain", *jobs_list]
        },
        "same": all(r["same"] for _, _, r in rows),
    }
    print(f"\ncourse grade ran: {rows[0][2]['how'] if rows else '-'}")
    print(f"{repeats} runs of each grader per day, alternating; medians; "
          f"floor = plain nbgrader / {cores} cores\n")  # fmt: skip
    table([*rows, ("**all days**", sum(c for _, c, _ in rows), total)], jobs_list, cores)
    for j in jobs_list:
        print(f"\nwhere the time goes, course grade --jobs {j} "
              "(s, medians, summed over the notebooks run side by side):\n")  # fmt: skip
        print("| day | " + " | ".join(PARTS.values()) + " |")
        print("|---|" + "---|" * len(PARTS))
        for name, _, result in rows:
            part = result["parts"][j]
            print(f"| {name} | " + " | ".join(f"{part[k]:.1f}" for k in PARTS) + " |")
    print(flush=True)


def growth(base: Path, days: list[str] | None, jobs_list: list[int], repeats: int) -> None:
    cores = psutil.cpu_count()
    print("| trainees | day | plain nbgrader (s) | "
          + " | ".join(f"--jobs {j} (s) | per sub. (s)" for j in jobs_list) + " |")  # fmt: skip
    print("|---|---|---|" + "---|---|" * len(jobs_list))
    for size in (5, 10, 20):
        folder = base / f"n{size}"
        folder.mkdir()
        root, assignments = prepared(folder, size, days)
        for day in assignments:
            result = one_day(root, day, jobs_list, repeats)
            cells = [f"{result['median']['plain']:.1f}"]
            for j in jobs_list:
                cells += [f"{result['median'][j]:.1f}", f"{result['median'][j] / size:.2f}"]
            print(f"| {size} | {day} | " + " | ".join(cells) + " |", flush=True)
        shutil.rmtree(folder)
    print(f"({repeats} runs each, medians, {cores} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohort", type=int, default=20)
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--growth", action="store_true", help="cohorts of 5, 10 and 20")
    parser.add_argument("--days", nargs="+", default=None, help="only these assignments")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
        f"root={os.geteuid() == 0}, load average at start {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        if args.growth:
            growth(Path(tmp), args.days, args.jobs, args.repeats)
            return
        root, assignments = prepared(Path(tmp), args.cohort, args.days)
        compare(root, assignments, args.jobs, args.repeats)


if __name__ == "__main__":
    main()
