"""Shared fixtures: the repository's course folder, and fresh course folders
built in temporary directories for tests that write (grading, building)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OFFLINE = Path(__file__).resolve().parent / "offline"
sys.path.insert(0, str(REPO / "tests"))


def offline_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for subprocesses whose Python must not reach the network."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE), env.get("PYTHONPATH")]))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra or {})
    return env


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root, which is the course folder."""
    return REPO


def copy_course(target: Path) -> Path:
    """Copy what defines the course (config and source/) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "nbgrader_config.py", target / "nbgrader_config.py")
    shutil.copytree(
        REPO / "source", target / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    return target


@pytest.fixture(scope="session")
def built_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course folder built with the default seed in a temporary directory
    (world, key, releases and gradebook), shared by the read-only tests."""
    from course.build import build
    from course.world import DEFAULT_SEED

    root = copy_course(tmp_path_factory.mktemp("course"))
    build(root, seed=DEFAULT_SEED, progress=False)
    return root


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Sandboxed grading needs root: without it such tests skip, saying so, on a
    developer's machine, and fail under CI (where they must run)."""
    if item.get_closest_marker("sandbox") and os.geteuid() != 0:
        why = "grading in the sandbox needs root (bubblewrap, sandbox accounts)"
        if os.environ.get("CI"):
            pytest.fail(f"{why}, and CI must run it", pytrace=False)
        pytest.skip(why)
