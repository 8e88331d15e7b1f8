"""The commands in the instructor guide and the README exist: every
`course` line parses with the real argument parser, every `nbgrader` line
names a real nbgrader command, every `make` line a real target."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
from conftest import REPO

from course.cli import _parser

DOCS = [REPO / "docs" / "instructor.md", REPO / "README.md"]


def commands() -> list[tuple[str, list[str]]]:
    found = []
    for doc in DOCS:
        for block in re.findall(r"```bash\n(.*?)```", doc.read_text(), flags=re.S):
            for line in block.splitlines():
                line = line.split("#")[0].strip()
                if line:
                    found.append((doc.name, shlex.split(line)))
    return found


def program(argv: list[str]) -> tuple[str, list[str]]:
    """Strip `sudo [-u user]`, `runuser -u user --` and paths: ('course', [...])."""
    while argv and argv[0] in ("sudo", "runuser"):
        if argv[0] == "runuser":
            assert argv[1:2] == ["-u"] and argv[3:4] == ["--"], f"runuser needs -u USER --: {argv}"
            argv = argv[4:]
        else:
            argv = argv[3:] if argv[1:2] == ["-u"] else argv[1:]
    return argv[0].rsplit("/", 1)[-1], argv[1:]


NBGRADER_COMMANDS = set(
    re.findall(
        r"^(\w+)$",
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "--help"], capture_output=True, text=True
        ).stdout,
        flags=re.M,
    )
)
MAKE_TARGETS = set(re.findall(r"^([\w-]+):", (REPO / "Makefile").read_text(), flags=re.M))


@pytest.mark.parametrize(
    "doc,argv", commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_documented_command_exists(doc: str, argv: list[str]) -> None:
    name, args = program(argv)
    if name == "course":
        _parser().parse_args(args)  # exits (fails the test) on an unknown command or option
    elif name == "nbgrader":
        assert args[0] in NBGRADER_COMMANDS, f"{doc}: nbgrader has no '{args[0]}'"
    elif name == "make":
        assert all(t in MAKE_TARGETS for t in args), f"{doc}: unknown make target in {args}"
    else:
        assert name in {"cd", "cp", "tar", "cat", "rm", "mkdir", "mv", "openssl", "export"}, (
            f"{doc}: unexpected program {name}"
        )


def test_the_guide_has_commands() -> None:
    assert len(commands()) >= 12
