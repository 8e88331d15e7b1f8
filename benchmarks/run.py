"""Performance of the course, measured (not asserted): run with `make bench`.

Prints one table:
- every source notebook: wall time to execute it top to bottom, and the
  kernel's peak resident memory (sampled every 50 ms, kernel and children);
- every assignment: autograde time per submission (the reference solution,
  `nbgrader autograde --student`, median of a few runs).

Everything runs in a temporary copy of the course built with the default seed.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from cohort import hand_in, reference_answers  # noqa: E402

from course.build import assignments_with_notebooks, build  # noqa: E402
from course.nbgrader_run import grading_env, nbgrader  # noqa: E402
from course.world import DEFAULT_SEED  # noqa: E402


class PeakMemory:
    """Sample the RSS of a process tree in a thread; keep the maximum."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.process = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            time.sleep(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_notebook(path: Path) -> tuple[float, int]:
    """Execute ``path`` in its folder; return (seconds, peak kernel bytes)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        with PeakMemory(pid) as memory:
            client.execute(cleanup_kc=False)
    return time.perf_counter() - start, memory.peak


def autograde_times(root: Path, assignment: str, repeats: int) -> list[float]:
    answers = reference_answers(root / "source" / assignment)
    times = []
    for i in range(repeats):
        student = f"bench{i}"
        hand_in(root, assignment, student, answers)
        start = time.perf_counter()
        nbgrader(
            root, "autograde", assignment, "--student", student, "--force",
            env={"COURSE_PLAIN_AUTOGRADE": "1"},
        )  # fmt: skip
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="autograde runs per assignment")
    args = parser.parse_args()
    import os

    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        root = Path(tmp)
        shutil.copy2(REPO / "nbgrader_config.py", root)
        shutil.copytree(REPO / "source", root / "source")
        build(root, seed=DEFAULT_SEED, progress=False)
        os.environ.update(grading_env(root))
        print(
            f"machine: {platform.node()} {platform.machine()}, {psutil.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
        )
        print()
        print(f"{'notebook':<58} {'time (s)':>9} {'kernel peak (MB)':>17}")
        for assignment in assignments_with_notebooks(root):
            for path in sorted((root / "source" / assignment).glob("*.ipynb")):
                seconds, peak = run_notebook(path)
                print(f"{assignment + '/' + path.name:<58} {seconds:>9.1f} {peak / 1e6:>17.0f}")
        print()
        print(f"{'assignment':<30} {'autograde per submission, median (s)':>38} {'runs':>5}")
        for assignment in assignments_with_notebooks(root):
            times = autograde_times(root, assignment, args.repeats)
            print(f"{assignment:<30} {statistics.median(times):>38.1f} {len(times):>5}")


if __name__ == "__main__":
    main()
