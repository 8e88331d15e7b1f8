"""``course hub ...``: set up, start, demo and remove a classroom."""

from __future__ import annotations

import argparse
import csv
import logging
import tempfile
from pathlib import Path

from course.errors import CourseError
from course.hub import classroom
from course.paths import find_root

log = logging.getLogger(__name__)

#: the demo classroom's people; setup makes their passwords
DEMO_PEOPLE = (
    ("instructor", "Course Instructor", "instructor"),
    ("trainee1", "Aigerim Demo", "trainee"),
    ("trainee2", "Bakyt Demo", "trainee"),
)
DEMO_GRADER = "nps-demo-grader"


def demo_roster() -> str:
    """The demo roster: no passwords, so that setup makes random ones."""
    rows = [",".join(person) for person in DEMO_PEOPLE]
    return "username,full_name,role\n" + "\n".join(rows) + "\n"


def read_passwords(base: Path) -> dict[str, str]:
    """The passwords setup made (``passwords.csv``), by user name."""
    path = base / "passwords.csv"
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {row["username"]: row["password"] for row in csv.DictReader(f)}


def run_demo(args: argparse.Namespace) -> int:
    """Set up a demo classroom, run it until Ctrl-C, then remove it and its accounts."""
    room = classroom.Classroom(args.base)
    if room.settings_file.exists():
        raise CourseError(
            f"a classroom already exists in {args.base}: remove it with "
            f"`course hub teardown --base {args.base} --yes` or give another --base"
        )
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "demo-roster.csv"
        roster.write_text(demo_roster())
        try:
            classroom.setup(
                roster, find_root(args.root), args.base, port=args.port, grader=DEMO_GRADER
            )
        except BaseException:
            if room.settings_file.exists():
                classroom.teardown(room, archive=None)
            raise
    try:
        settings = room.settings()
        passwords = read_passwords(args.base)
        print(f"demo classroom on http://{settings['ip']}:{settings['port']}/ - log in as:")
        for username, _, role in DEMO_PEOPLE:
            print(f"  {username:<12} {passwords[username]}  ({role})")
        print("Ctrl-C stops it and removes the demo accounts")
        return classroom.run(room)
    finally:
        classroom.teardown(room, archive=None)  # a demo has nothing to keep
        print(f"removed the demo classroom in {args.base} and its accounts")


def report_teardown(done: classroom.Teardown) -> str:
    """What teardown did, one line per kind of thing."""
    lines = ["stopped the classroom's hub" if done.stopped_hub else "the hub was not running"]
    if done.saved_to:
        lines.append(f"saved {', '.join(done.saved)} to {done.saved_to}")
    else:
        lines.append("nothing to save: no grades, report or backups in the course folder")
    if done.removed_accounts:
        lines.append(f"removed the accounts (and homes): {', '.join(done.removed_accounts)}")
    if done.kept_accounts:
        lines.append(f"kept (not made by the course): {', '.join(done.kept_accounts)}")
    lines += [f"removed {path}" for path in done.removed_paths]
    if done.runtime_kept:
        lines.append(f"kept the runtime and the sandbox accounts: {done.runtime_kept}")
    if done.removed_sandbox:
        lines.append(f"removed the grading sandbox accounts: {', '.join(done.removed_sandbox)}")
    if done.busy_sandbox:
        lines.append(f"kept (a grading run holds them): {', '.join(done.busy_sandbox)}")
    return "\n".join(lines)


def run_hub(args: argparse.Namespace) -> int:
    room = classroom.Classroom(args.base)
    if args.hub_command == "setup":
        root = find_root(args.root)
        if (root.parent / "classroom.json").is_file():
            raise CourseError(
                f"{root} is a classroom's course folder: run `course hub setup` in the course "
                "checkout (cd there first, or give --root CHECKOUT)"
            )
        settings = classroom.setup(
            args.roster,
            root,
            args.base,
            ip=args.ip,
            port=args.port,
            grader=args.grader,
            ssl=(args.ssl_cert, args.ssl_key),
            seed=args.seed,
            venv=args.venv,
            refresh=args.refresh,
            lang=args.lang,
        )
        print(
            f"classroom ready in {args.base}: {len(settings['people'])} people, "
            f"{classroom.address(settings)}, case world of seed {settings['seed']}"
        )
        if (args.base / "passwords.csv").is_file():
            print(f"passwords made for the roster are in {args.base / 'passwords.csv'} (root only)")
        if "admitted" in settings:
            admitted = ", ".join(settings["admitted"]) or "nobody new"
            print(f"the running hub admitted {admitted}: they can log in now")
        else:
            print(f"start it with: course hub start --base {args.base}")
        return 0
    if args.hub_command == "demo":
        return run_demo(args)
    if args.hub_command == "start":
        settings = room.settings()
        print(f"classroom hub on {classroom.address(settings)} - Ctrl-C stops it")
        return classroom.run(room)
    if args.hub_command == "stop":
        stopped = classroom.stop(room)
        print("stopped the classroom's hub" if stopped else "the hub was not running")
        return 0
    if args.hub_command == "password":
        password = classroom.reset_password(room, args.username)
        where = args.base / "passwords.csv"
        print(f"new password of {args.username}: {password} (also in {where})")
        return 0
    if args.hub_command == "teardown":
        if not args.yes:
            raise CourseError(
                "teardown deletes every account's home and the course folder: add --yes"
            )
        done = classroom.teardown(room, args.archive, runtime=not args.keep_runtime)
        print(report_teardown(done))
        return 0
    raise AssertionError(args.hub_command)  # pragma: no cover
