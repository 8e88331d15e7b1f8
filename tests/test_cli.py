"""The `course` command: one-line errors on bad input, nothing lost."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_course


def course(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *args], cwd=cwd, capture_output=True, text=True
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("course: error: ")
    for needle in needles:
        assert needle in lines[0]


def test_outside_a_course_folder(tmp_path: Path) -> None:
    assert_one_line_error(course("check", cwd=tmp_path), "not inside a course folder")


@pytest.mark.parametrize(
    ("args", "needle"), [(["--seed", "-3"], "--seed"), (["--scale", "0"], "--scale")]
)
def test_build_rejects_bad_numbers(tmp_path: Path, args: list[str], needle: str) -> None:
    root = copy_course(tmp_path / "c")
    assert_one_line_error(course("build", *args, cwd=root), needle)
    assert not (root / "keys").exists(), "a refused build must write nothing"


def test_grade_without_a_key_refuses_and_keeps_submissions(tmp_path: Path) -> None:
    root = copy_course(tmp_path / "c")
    shutil.copytree(
        REPO / "release" / "day0-orientation", root / "submitted" / "t1" / "day0-orientation"
    )
    before = sorted(p.read_bytes() for p in (root / "submitted").rglob("*") if p.is_file())
    assert_one_line_error(course("grade", cwd=root), "answer key")
    after = sorted(p.read_bytes() for p in (root / "submitted").rglob("*") if p.is_file())
    assert before == after


def test_grade_an_unknown_assignment(tmp_path: Path) -> None:
    root = copy_course(tmp_path / "c")
    assert_one_line_error(course("grade", "day9-nothing", cwd=root), "no assignment 'day9-nothing'")


def test_grade_with_nothing_submitted(built_course: Path) -> None:
    assert_one_line_error(course("grade", "day0-orientation", cwd=built_course), "no submissions")


def test_build_from_a_subfolder_finds_the_course(built_course: Path) -> None:
    proc = course("build", cwd=built_course / "source" / "day0-orientation")
    assert proc.returncode == 0, proc.stderr
    assert "built world seed" in proc.stdout
    assert (built_course / "release" / "day0-orientation" / "data" / "seizures.csv").is_file()


def test_lab_command_listens_on_loopback_only() -> None:
    from course.lab import lab_command

    cmd = lab_command(REPO, 8899, False, ["--ServerApp.token=x"])
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert "--ServerApp.port=8899" in cmd and cmd[-1] == "--ServerApp.token=x"
