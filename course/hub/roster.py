"""Reading the class roster: who the trainees and instructors are."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from course.errors import CourseError

ROLES = ("trainee", "instructor")
COLUMNS = ("username", "full_name", "role")
USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")
RESERVED = {"root", "daemon", "bin", "sys", "nobody", "admin", "grader"}


@dataclass(frozen=True)
class Member:
    """One person of the class. ``password`` is empty when setup must make one."""

    username: str
    full_name: str
    role: str
    password: str = ""
    #: where the row is, ``roster.csv:4``, for error messages
    row: str = field(default="", compare=False)


def read_roster(path: Path) -> list[Member]:
    """Read a roster CSV with the columns ``username,full_name,role[,password]``.

    Raises
    ------
    CourseError
        With the line number and the problem, for a missing file, a missing
        column, a bad user name, an unknown role or a repeated user.
    """
    if not path.is_file():
        raise CourseError(f"roster not found: {path}")
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CourseError(
                    f"{path}: the roster needs the columns {', '.join(COLUMNS)} "
                    f"(missing: {', '.join(missing)})"
                )
            members: list[Member] = []
            seen: set[str] = set()
            for line, row in enumerate(reader, start=2):
                name = (row["username"] or "").strip()
                role = (row["role"] or "").strip().lower()
                if not USERNAME.match(name) or name in RESERVED:
                    raise CourseError(
                        f"{path}:{line}: '{name}' is not a usable user name "
                        "(small Latin letters, digits, - and _, at most 31, not a system name)"
                    )
                if role not in ROLES:
                    raise CourseError(f"{path}:{line}: role '{role}' must be trainee or instructor")
                if name in seen:
                    raise CourseError(f"{path}:{line}: '{name}' appears twice")
                seen.add(name)
                members.append(
                    Member(
                        username=name,
                        full_name=(row["full_name"] or "").strip(),
                        role=role,
                        password=(row.get("password") or "").strip(),
                        row=f"{path}:{line}",
                    )
                )
    except UnicodeDecodeError:
        raise CourseError(f"{path}: the roster is not UTF-8 text") from None
    except csv.Error as exc:
        raise CourseError(f"{path}: not a readable CSV file ({exc})") from None
    if not any(m.role == "instructor" for m in members):
        raise CourseError(f"{path}: the roster names no instructor")
    return members
