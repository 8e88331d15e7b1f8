"""Options of the `course` command: bounded numbers, a story that cannot be
completed, readable `course check` lists, quiet logging unless --verbose.
Every refusal is one line, ``course: error: ...``, exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_course

from course import cli
from course.world.bitcoin import StoryError


def course(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("course: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("scale", [str(cli.MAX_SCALE + 1), "100000", "0", "two"])
def test_a_scale_out_of_bounds_is_one_line_and_writes_nothing(scale: str, tmp_path: Path) -> None:
    root = copy_course(tmp_path / "c")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    one_line_error(course("build", "--scale", scale, cwd=root), "--scale", f"to {cli.MAX_SCALE}")
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_a_story_that_cannot_be_completed_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever the scale, a story the generator cannot finish is no traceback."""
    import course.build

    def unfinished(*args: object, **kwargs: object) -> None:
        raise StoryError("story incomplete: failed ['order 17'], missing ['c2']")

    monkeypatch.setattr(course.build, "build", unfinished)
    root = copy_course(tmp_path / "c")
    assert cli.main(["--root", str(root), "build", "--scale", "400"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("course: error: "), err
    assert "smaller --scale" in err[0] and "order 17" in err[0]


@pytest.mark.parametrize(
    "command", [["hub", "setup", "r.csv", "--port"], ["hub", "demo", "--port"]]
)
@pytest.mark.parametrize("port", ["80", "65534", "x"])
def test_hub_ports_are_bounded(command: list[str], port: str, tmp_path: Path) -> None:
    one_line_error(course(*command, port, cwd=tmp_path), "--port")


def test_bounded_int_accepts_its_bounds() -> None:
    jobs = cli.bounded_int("--jobs", 1, 16)
    assert [jobs("1"), jobs("16")] == [1, 16]
    for bad in ("0", "17", "-1", "1.5", ""):
        with pytest.raises(Exception, match="from 1 to 16"):
            jobs(bad)


def test_check_prints_each_check_and_one_problem_a_line(tmp_path: Path) -> None:
    root = copy_course(tmp_path / "c")  # source only: nothing released yet
    proc = course("check", cwd=root)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0] == "FAILED  release/ in sync with source/"
    problems = [line for line in lines if line.startswith("  - ")]
    assert problems and all(line.count("release/") >= 1 for line in problems)
    assert any("is missing: run `course build`" in line for line in problems)
    assert "FAILED  nothing instructor-only in release/" in lines
    assert lines[-1].endswith("checks failed")
    assert "[" not in proc.stdout, "lists are printed one item a line, not as Python lists"


def test_quiet_by_default_and_verbose_on_request(tmp_path: Path) -> None:
    root = copy_course(tmp_path / "c")
    quiet = course("grade", "day9-nothing", cwd=root)
    one_line_error(quiet, "day9-nothing")
    loud = course("--verbose", "grade", "day9-nothing", cwd=root)
    assert loud.returncode == 2
    assert f"course: course folder: {root}" in loud.stderr.splitlines()
    assert loud.stderr.strip().splitlines()[-1] == quiet.stderr.strip()
