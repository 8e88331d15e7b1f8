"""The notebook runner used inside the grading sandbox, run here as a plain process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil


def _run(tmp_path: Path, *sources: str) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / "notebook.ipynb"
    nbformat.write(nb, path)
    result = tmp_path / "result.json"
    subprocess.run(
        [sys.executable, "-m", "course.sandbox.runner", str(path), str(result),
         "--cell-timeout", "20"],
        cwd=tmp_path, check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    return json.loads(result.read_text())


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_cells_run_in_order_and_the_kernel_ends_with_the_notebook(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "import os, subprocess, sys\nx = 20",
        "print(x + 22, os.getpid())",
        # a child the trainee's code leaves running: it must not outlive the notebook
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "print(child.pid)",
    )
    assert result["status"] == "done"
    answer, kernel_pid = result["cells"]["1"]["outputs"][0]["text"].split()
    assert answer == "42"
    child_pid = int(result["cells"]["2"]["outputs"][0]["text"])
    assert int(kernel_pid) != child_pid
    assert _gone(int(kernel_pid)), "the kernel outlived its notebook"
    assert _gone(child_pid), "a process the notebook started outlived it"
    assert result["timings"]["kernel_start"] > 0 and result["timings"]["cells"] > 0


def test_an_error_in_a_cell_does_not_stop_the_next(tmp_path: Path) -> None:
    result = _run(tmp_path, "1 / 0", "print('after')")
    assert result["status"] == "done"
    assert result["cells"]["0"]["outputs"][0]["ename"] == "ZeroDivisionError"
    assert result["cells"]["1"]["outputs"][0]["text"] == "after\n"


def test_a_kernel_that_dies_is_reported(tmp_path: Path) -> None:
    result = _run(tmp_path, "import os\nos._exit(3)", "print('never')")
    assert result["status"] == "the kernel died"
    assert "1" not in result["cells"]
