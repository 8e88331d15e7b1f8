"""The classroom harms no account it did not make.

A roster naming a system account, an existing ordinary account, ``root`` or
the instructor's own login is refused with one line naming the roster row,
and nothing on the host changes: ``/etc/passwd``, ``/etc/shadow``, the groups,
the homes and their modes stay byte for byte the same, and no classroom
folder is made. ``teardown`` of a classroom that lists an account the course
did not create leaves that account alone. Needs root (as CI runs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.hub import accounts, ledger

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("useradd"),
        reason="the classroom manages OS accounts: it needs root and useradd",
    ),
]

REPO = Path(__file__).resolve().parents[2]
HOST_FILES = ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow")
#: Debian's system accounts, some with surprising homes (sync and proxy: /bin)
SYSTEM_ACCOUNTS = ("sync", "proxy", "backup", "games", "www-data", "mail")
SUFFIX = f"{os.getpid() % 100000}"


def host_state(names: list[str]) -> dict[str, object]:
    """What must not change: account files, the named accounts' homes, the record."""
    state: dict[str, object] = {f: Path(f).read_bytes() for f in HOST_FILES if Path(f).exists()}
    for name in names:
        found = accounts.entry(name)
        if found is None:
            state[f"account {name}"] = None
            continue
        home = Path(found.pw_dir)
        info = home.stat() if home.exists() else None
        link = home.lstat() if home.exists() or home.is_symlink() else None
        state[f"home {name}"] = (
            found.pw_dir,
            info and (info.st_mode, info.st_uid, info.st_gid),
            link and (link.st_mode, link.st_uid, link.st_gid),
        )
    state["ledger"] = ledger.LEDGER.read_bytes() if ledger.LEDGER.exists() else None
    return state


def write_roster(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text("username,full_name,role\n" + "".join(",".join(r) + "\n" for r in rows))
    return path


def course(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base_env = {k: v for k, v in os.environ.items() if k != "SUDO_USER"}
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**base_env, **(env or {})},
        timeout=300,
    )


def assert_refused(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("course: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def outsider():
    """An ordinary account made here by useradd, not by the course."""
    name = f"ou{SUFFIX}"
    subprocess.run(["useradd", "--create-home", name], check=True, capture_output=True)
    os.chmod(Path(f"/home/{name}"), 0o755)
    try:
        yield name
    finally:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def existing_system_accounts() -> list[str]:
    found = [n for n in SYSTEM_ACCOUNTS if accounts.entry(n) is not None]
    assert found, "none of Debian's system accounts exists here: the test would check nothing"
    return found


@pytest.mark.parametrize("which", range(len(SYSTEM_ACCOUNTS)))
def test_a_system_account_in_the_roster_changes_nothing(which: int, tmp_path: Path) -> None:
    names = existing_system_accounts()
    name = names[which % len(names)]
    roster = write_roster(
        tmp_path / "roster.csv",
        [("inst" + SUFFIX, "Ivan Instructor", "instructor"), (name, "Some One", "trainee")],
    )
    base = tmp_path / "classroom"
    before = host_state([name, "inst" + SUFFIX])
    proc = course("hub", "setup", str(roster), "--base", str(base))
    line = assert_refused(proc, f"{roster}:3", f"'{name}'", "system account")
    assert "UID_MIN" in line
    assert host_state([name, "inst" + SUFFIX]) == before
    assert not base.exists(), "a refused setup must make no classroom folder"


def test_root_in_the_roster_changes_nothing(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.csv", [("root", "The Admin", "instructor")])
    before = host_state(["root"])
    proc = course("hub", "setup", str(roster), "--base", str(tmp_path / "classroom"))
    assert_refused(proc, f"{roster}:2", "'root'")
    assert host_state(["root"]) == before


def test_the_instructors_own_login_changes_nothing(tmp_path: Path, outsider: str) -> None:
    """Run through sudo by ``outsider``: the roster may not name ``outsider``."""
    roster = write_roster(
        tmp_path / "roster.csv",
        [(outsider, "Me Myself", "instructor"), ("tr" + SUFFIX, "A Trainee", "trainee")],
    )
    before = host_state([outsider, "tr" + SUFFIX])
    proc = course(
        "hub", "setup", str(roster), "--base", str(tmp_path / "c"), env={"SUDO_USER": outsider}
    )
    assert_refused(proc, f"{roster}:2", f"'{outsider}' is your own login")
    assert host_state([outsider, "tr" + SUFFIX]) == before
    assert accounts.entry("tr" + SUFFIX) is None, "no account is made when one row is refused"


def test_an_existing_account_the_course_did_not_make_changes_nothing(
    tmp_path: Path, outsider: str
) -> None:
    roster = write_roster(
        tmp_path / "roster.csv",
        [("in" + SUFFIX, "An Instructor", "instructor"), (outsider, "Not Ours", "trainee")],
    )
    before = host_state([outsider, "in" + SUFFIX])
    proc = course("hub", "setup", str(roster), "--base", str(tmp_path / "c"))
    assert_refused(proc, f"{roster}:3", f"'{outsider}'", "did not create")
    assert host_state([outsider, "in" + SUFFIX]) == before
    assert oct(Path(f"/home/{outsider}").stat().st_mode & 0o777) == oct(0o755)


def test_a_folder_with_other_files_is_not_a_classroom(tmp_path: Path) -> None:
    base = tmp_path / "srv"
    base.mkdir()
    (base / "precious.txt").write_text("keep me")
    roster = write_roster(tmp_path / "roster.csv", [("in" + SUFFIX, "An Instructor", "instructor")])
    proc = course("hub", "setup", str(roster), "--base", str(base))
    assert_refused(proc, str(base), "no classroom")
    assert sorted(p.name for p in base.iterdir()) == ["precious.txt"]
    assert accounts.entry("in" + SUFFIX) is None


def test_teardown_deletes_no_account_it_did_not_make(tmp_path: Path, outsider: str) -> None:
    """A classroom folder that lists accounts the course did not create (an
    older or edited ``classroom.json``): teardown keeps every one of them."""
    names = existing_system_accounts()
    base = tmp_path / "classroom"
    base.mkdir()
    people = {n: {"full_name": n, "role": "trainee"} for n in [*names, outsider]}
    (base / "classroom.json").write_text(json.dumps({"people": people, "grader": names[0]}))
    before = host_state([*names, outsider])
    proc = course("hub", "teardown", "--base", str(base), "--yes", "--keep-runtime")
    assert proc.returncode == 0, proc.stderr
    assert "kept (not made by the course)" in proc.stdout
    assert host_state([*names, outsider]) == before
    assert Path(f"/home/{outsider}").is_dir()
    assert not base.exists()


def test_system_accounts_are_below_uid_min() -> None:
    floor = accounts.uid_min()
    assert floor >= 100
    for name in existing_system_accounts():
        assert accounts.entry(name).pw_uid < floor
        assert "system account" in accounts.refusal(name, Path("/srv/x"), {})
