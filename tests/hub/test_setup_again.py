"""Running ``course hub setup`` again, refreshing, and removing a classroom.

A second setup with one more roster row keeps the first accounts and their
passwords (``/etc/shadow`` lines unchanged, the old passwords still log in
through PAM, as JupyterHub does) and gives only the new row an account and a
password. ``--refresh`` replaces ``source/`` and ``release/`` (with only the days
that have notebooks) and keeps the gradebook, submissions and key.
``teardown`` removes exactly the accounts the course made, and its record of
them. Needs root (as CI runs).
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pamela
import pytest

from course.hub import classroom, ledger, passwords
from course.hub.accounts import entry

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("useradd"),
        reason="the classroom creates OS accounts: it needs root and useradd",
    ),
]

REPO = Path(__file__).resolve().parents[2]
SUFFIX = f"{os.getpid() % 100000}"
INSTRUCTOR, FIRST, LATER, GRADER = (f"si{SUFFIX}", f"sa{SUFFIX}", f"sb{SUFFIX}", f"sg{SUFFIX}")
DAY0 = "day0-orientation"


def shadow_line(user: str) -> str:
    for line in Path("/etc/shadow").read_text().splitlines():
        if line.split(":", 1)[0] == user:
            return line
    raise AssertionError(f"{user} has no /etc/shadow line")


def made_passwords(base: Path) -> dict[str, str]:
    with open(base / "passwords.csv", newline="", encoding="utf-8") as f:
        return {row["username"]: row["password"] for row in csv.DictReader(f)}


def logs_in(user: str, password: str) -> bool:
    try:
        pamela.authenticate(user, password, service="login")
        return True
    except pamela.PAMError:
        return False


def roster(base: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = base.parent / f"{base.name}-roster.csv"
    path.write_text("username,full_name,role\n" + "".join(",".join(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def story():
    base = Path(tempfile.mkdtemp(prefix="nps-setup-", dir="/tmp"))
    os.chmod(base, 0o755)
    first_rows = [(INSTRUCTOR, "Ivan Instructor", "instructor"), (FIRST, "Aigerim A", "trainee")]
    facts: dict = {"base": base}
    try:
        classroom.setup(roster(base, first_rows), REPO, base, port=18000, grader=GRADER)
        facts["first"] = {u: shadow_line(u) for u in (INSTRUCTOR, FIRST, GRADER)}
        facts["first_passwords"] = made_passwords(base)
        facts["homes"] = {u: Path(entry(u).pw_dir).stat().st_mode & 0o777 for u in (FIRST,)}
        # the classroom at work: a submission and a stale edit of source and release
        course = base / "course"
        (course / "submitted" / FIRST / DAY0).mkdir(parents=True)
        (course / "submitted" / FIRST / DAY0 / "work.ipynb").write_text("{}")
        facts["key"] = (course / "keys" / "answer_key.json").read_bytes()
        for tree in ("source", "release"):
            (course / tree / DAY0 / "stale.txt").write_text("old")
        facts["days"] = {  # the days that have notebooks, when refreshed
            d.name for d in (REPO / "source").glob("day*") if any(d.glob("*.ipynb"))
        }
        classroom.setup(
            roster(base, [*first_rows, (LATER, "Bakyt B", "trainee")]),
            REPO,
            base,
            port=18000,
            grader=GRADER,
            refresh=True,
        )
        facts["second"] = {u: shadow_line(u) for u in (INSTRUCTOR, FIRST, GRADER)}
        facts["second_passwords"] = made_passwords(base)
        facts["records"] = {
            n for n, r in ledger.read().items() if Path(r.classroom) == base.absolute()
        }
        yield facts
    finally:
        if (base / "classroom.json").exists():
            classroom.teardown(classroom.Classroom(base), archive=None)
        shutil.rmtree(base, ignore_errors=True)
        for path in base.parent.glob(f"{base.name}-roster.csv"):
            path.unlink()


def test_a_second_setup_keeps_the_first_passwords(story) -> None:
    assert story["second"] == story["first"], "the first accounts' passwords changed"
    first = story["first_passwords"]
    assert set(first) == {INSTRUCTOR, FIRST}
    for user, password in first.items():
        assert logs_in(user, password), f"{user} can no longer log in with their password"
        assert story["second_passwords"][user] == password
    assert not logs_in(FIRST, "not-the-password")


def test_a_second_setup_adds_only_the_new_row(story) -> None:
    second = story["second_passwords"]
    assert set(second) == {INSTRUCTOR, FIRST, LATER}
    assert logs_in(LATER, second[LATER])
    assert story["records"] == {INSTRUCTOR, FIRST, LATER, GRADER}
    assert story["homes"] == {FIRST: 0o700}


def test_made_passwords_are_word_list_passwords(story) -> None:
    words = set(passwords.words())
    made = story["second_passwords"].values()
    assert len(set(made)) == len(made)
    for password in made:
        parts = password.split(passwords.SEPARATOR)
        assert len(parts) == passwords.WORD_COUNT and set(parts) <= words, password


def test_refresh_replaces_source_and_release_and_keeps_the_work(story) -> None:
    course = story["base"] / "course"
    for tree in ("source", "release"):
        assert not (course / tree / DAY0 / "stale.txt").exists(), f"{tree}/ was not refreshed"
    for notebook in (REPO / "source" / DAY0).glob("*.ipynb"):
        assert (course / "source" / DAY0 / notebook.name).read_bytes() == notebook.read_bytes()
        assert (course / "release" / DAY0 / notebook.name).is_file()
    assert (course / "submitted" / FIRST / DAY0 / "work.ipynb").read_text() == "{}"
    assert (course / "keys" / "answer_key.json").read_bytes() == story["key"]
    assert (course / "gradebook.db").is_file()
    # days with only data, and the translations, are not assignments of the classroom
    for tree in ("source", "release"):
        assert {d.name for d in (course / tree).iterdir() if d.is_dir()} == story["days"], tree


def test_teardown_removes_the_accounts_it_made(story) -> None:
    base = story["base"]
    done = classroom.teardown(classroom.Classroom(base), archive=None)
    assert done.kept_accounts == []
    assert sorted(done.removed_accounts) == sorted([INSTRUCTOR, FIRST, LATER, GRADER])
    for user in (INSTRUCTOR, FIRST, LATER, GRADER):
        assert entry(user) is None, f"{user} is still there"
        assert not Path(f"/home/{user}").exists()
        assert user not in ledger.read()
    assert not base.exists()
