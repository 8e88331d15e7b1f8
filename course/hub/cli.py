"""``course hub ...``: set up, start, demo and remove a classroom."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from course.errors import CourseError
from course.hub import classroom
from course.paths import find_root

DEMO_ROSTER = "username,full_name,role,password\n" + "\n".join(
    [
        "instructor,Course Instructor,instructor,instructor-demo",
        "trainee1,Aigerim Demo,trainee,trainee1-demo",
        "trainee2,Bakyt Demo,trainee,trainee2-demo",
    ]
)


def run_hub(args: argparse.Namespace) -> int:
    room = classroom.Classroom(args.base)
    if args.hub_command == "setup":
        settings = classroom.setup(
            args.roster,
            find_root(args.root),
            args.base,
            ip=args.ip,
            port=args.port,
            seed=args.seed,
            venv=args.venv,
        )
        print(f"classroom ready in {args.base}: {len(settings['people'])} people")
        if (args.base / "passwords.csv").is_file():
            print(f"passwords made for the roster are in {args.base / 'passwords.csv'} (root only)")
        print(f"start it with: course hub start --base {args.base}")
        return 0
    if args.hub_command == "demo":
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write(DEMO_ROSTER + "\n")
        classroom.setup(Path(f.name), find_root(args.root), args.base)
        Path(f.name).unlink()
        settings = room.settings()
        print(
            f"demo classroom on http://{settings['ip']}:{settings['port']}/ - log in as "
            "instructor / instructor-demo, trainee1 / trainee1-demo or trainee2 / trainee2-demo; "
            "Ctrl-C stops it"
        )
        return classroom.run(room)
    if args.hub_command == "start":
        settings = room.settings()
        print(f"classroom hub on http://{settings['ip']}:{settings['port']}/ - Ctrl-C stops it")
        return classroom.run(room)
    if args.hub_command == "teardown":
        if not args.yes:
            raise CourseError(
                "teardown deletes every account's home and the course folder: add --yes"
            )
        classroom.teardown(room)
        print(f"removed the classroom in {args.base} and its accounts")
        return 0
    raise AssertionError(args.hub_command)  # pragma: no cover
