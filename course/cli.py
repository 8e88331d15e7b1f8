"""The ``course`` command: build, open, grade and check the course.

Every failure is reported as one line, ``course: error: ...``, with exit
status 2; nothing already written is lost.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.errors import CourseError
from course.paths import find_root
from course.world import DEFAULT_SEED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course",
        description="Build, open, grade and check the NPS / darkweb / cryptocurrency course.",
    )
    parser.add_argument(
        "--root", type=Path, default=None, help="course folder (default: the one around the cwd)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="write the case world and generate every release")
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"world seed (default {DEFAULT_SEED})"
    )
    p.add_argument("--scale", type=int, default=1, help="ledger size multiplier (benchmarks)")

    p = sub.add_parser("lab", help="open JupyterLab on the course (127.0.0.1)")
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("extra", nargs=argparse.REMAINDER, help="further JupyterLab options after --")

    p = sub.add_parser("grade", help="autograde submissions, write feedback, export grades.csv")
    p.add_argument("assignment", nargs="?", default=None, help="one assignment (default: all)")
    p.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    p.add_argument("--force", action="store_true", help="regrade submissions graded before")

    sub.add_parser("check", help="release/ in sync, no leaks, blank notebooks fail every test")

    hub = sub.add_parser("hub", help="the classroom JupyterHub (run as root)")
    hub_sub = hub.add_subparsers(dest="hub_command", required=True, metavar="HUB_COMMAND")
    p = hub_sub.add_parser("setup", help="accounts from a roster CSV, course, exchange, config")
    p.add_argument("roster", type=Path, help="CSV with username,full_name,role[,password]")
    _classroom_args(p)
    p.add_argument(
        "--ip", default="127.0.0.1", help="address trainees connect to (default 127.0.0.1)"
    )
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--seed", type=int, default=None, help="world seed of this cohort")
    p.add_argument(
        "--venv",
        type=Path,
        default=Path("/opt/nps-course/venv"),
        help="shared Python environment of the classroom (made or refreshed by setup)",
    )
    p = hub_sub.add_parser("start", help="run the classroom hub until Ctrl-C")
    _classroom_args(p)
    p = hub_sub.add_parser("demo", help="a local demo classroom: one instructor, two trainees")
    _classroom_args(p, default=Path("/srv/nps-course-demo"))
    p = hub_sub.add_parser("teardown", help="remove the classroom's accounts and folder")
    _classroom_args(p)
    p.add_argument("--yes", action="store_true", help="confirm: homes and submissions are deleted")
    return parser


def _classroom_args(p: argparse.ArgumentParser, default: Path | None = None) -> None:
    from course.hub.classroom import DEFAULT_BASE

    default = default or DEFAULT_BASE
    p.add_argument(
        "--base", type=Path, default=default, help=f"classroom folder (default {default})"
    )


def _run(args: argparse.Namespace) -> int:
    if args.command == "hub":
        from course.hub.cli import run_hub

        return run_hub(args)
    root = find_root(args.root)
    if args.command == "build":
        from course.build import build

        report = build(root, seed=args.seed, scale=args.scale)
        print(
            f"built world seed {report.seed}: {report.data_files} data files "
            f"({report.data_bytes / 1e6:.1f} MB); released {', '.join(report.assignments)}"
        )
        return 0
    if args.command == "lab":
        from course.lab import run_lab

        extra = [a for a in args.extra if a != "--"]
        return run_lab(root, port=args.port, open_browser=not args.no_browser, extra=extra)
    if args.command == "grade":
        from course.grade import grade

        report = grade(root, args.assignment, jobs=args.jobs, force=args.force)
        print(report.table())
        print(f"grades exported to {report.csv}; gradebook backed up to {report.backup}")
        return 1 if report.failures else 0
    if args.command == "check":
        from course.check import blank_release_fails, release_in_sync, release_leaks

        problems = release_in_sync(root) + release_leaks(root) + blank_release_fails(root)
        for problem in problems:
            print(f"PROBLEM: {problem}")
        if problems:
            return 1
        print("release/ is in sync with source/, leaks nothing, and every test fails on it blank")
        return 0
    raise AssertionError(args.command)  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``course`` console command."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except CourseError as exc:
        print(f"course: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
