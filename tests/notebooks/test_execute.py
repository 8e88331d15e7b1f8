"""Every source notebook executes from top to bottom (nbval, lax) with the
network blocked, in real kernels started by the test: the English source,
and the Russian notebooks a Russian build makes from it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, offline_env
from i18n.courses import built_course_in, source_dir

pytestmark = pytest.mark.notebooks

SOURCE_NOTEBOOKS = sorted(p for p in (REPO / "source").glob("day*/*.ipynb"))


def run_pytest(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=cwd,
        env=offline_env(env),
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_network_is_blocked_inside_kernels(tmp_path: Path) -> None:
    """The guard is real: a notebook that connects out fails under it."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "probe",
                "metadata": {},
                "outputs": [],
                "source": "import socket\nsocket.create_connection(('192.0.2.1', 80), timeout=2)",
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "probe.ipynb").write_text(json.dumps(nb))
    proc = run_pytest(["--nbval-lax", "probe.ipynb"], tmp_path)
    assert proc.returncode == 1, proc.stdout
    assert "network access blocked" in proc.stdout


@pytest.mark.parametrize("notebook", SOURCE_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_source_notebook_executes(notebook: Path, built_course: Path) -> None:
    """Run in the built temporary course, so hidden tests find the answer key."""
    target = built_course / "source" / notebook.parent.name / notebook.name
    assert target.is_file()
    proc = run_pytest(["--nbval-lax", target.name], target.parent)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert re.search(r"\d+ passed", proc.stdout), proc.stdout[-500:]


@pytest.mark.parametrize("notebook", SOURCE_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_russian_notebook_executes(
    notebook: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The Russian notebook of a Russian build, with its messages in Russian."""
    root = built_course_in("ru", tmp_path_factory)
    target = source_dir(root, "ru", notebook.parent.name) / notebook.name
    assert "День" in target.read_text(encoding="utf-8")  # the Russian notebook, not the English
    proc = run_pytest(["--nbval-lax", target.name], target.parent, {"COURSE_LANG": "ru"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert re.search(r"\d+ passed", proc.stdout), proc.stdout[-500:]
