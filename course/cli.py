"""The ``course`` command: build, open, grade and check the course.

Every failure is reported as one line, ``course: error: ...``, with exit
status 2; nothing already written is lost.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from course.errors import CourseError
from course.paths import find_root
from course.world import DEFAULT_SEED

log = logging.getLogger("course")

#: the largest --scale whose story is known to complete (docs/case-world.md)
MAX_SCALE = 430
#: ports a course server may listen on (no root needed, none above 65535)
PORTS = (1024, 65535)


def bounded_int(name: str, lo: int, hi: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number from ``lo`` to ``hi``.

    ``p.add_argument("--jobs", type=bounded_int("--jobs", 1, 16))`` refuses
    ``--jobs 0`` with one line, ``course: error: argument --jobs: must be a
    whole number from 1 to 16, not '0' ...``.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not lo <= value <= hi:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {lo} to {hi}, not {text!r}"
            )
        return value

    parse.__name__ = name  # argparse names the type in its messages
    return parse


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``course: error: ...``, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"course: error: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="course",
        description="Build, open, grade and check the NPS / darkweb / cryptocurrency course.",
    )
    parser.add_argument(
        "--root", type=Path, default=None, help="course folder (default: the one around the cwd)"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="say what is being done, step by step"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="write the case world and generate every release")
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"world seed (default {DEFAULT_SEED})"
    )
    p.add_argument(
        "--scale",
        type=bounded_int("--scale", 1, MAX_SCALE),
        default=1,
        help=f"ledger size multiplier, 1 to {MAX_SCALE} (benchmarks)",
    )
    p.add_argument(
        "--lang", default="en", help="language of the releases: en (default), ru ... (README)"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the answer key of another seed (a cohort in progress; the old key is kept)",
    )

    p = sub.add_parser("lab", help="open JupyterLab on the course (127.0.0.1)")
    p.add_argument("--port", type=bounded_int("--port", *PORTS), default=8888)
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--allow-root", action="store_true", help="let JupyterLab run as root (not recommended)"
    )
    p.add_argument("extra", nargs=argparse.REMAINDER, help="further JupyterLab options after --")

    p = sub.add_parser("grade", help="autograde submissions, write feedback, export grades.csv")
    p.add_argument("assignment", nargs="?", default=None, help="one assignment (default: all)")
    p.add_argument(
        "--jobs", type=bounded_int("--jobs", 1, 16), default=2,
        help="notebooks run at once (default 2; about one per core)",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="regrade submissions graded before")
    p.add_argument(
        "--unsandboxed",
        action="store_true",
        help="grade without the sandbox when it is not available (trainees' code then runs "
        "as you, unprotected; the report and grades.csv say so). Never for real submissions.",
    )

    p = sub.add_parser(
        "feedback",
        help="after manual marking: write every trainee's feedback and grades.csv again",
    )
    p.add_argument("assignment", nargs="?", default=None, help="one assignment (default: all)")

    sub.add_parser("check", help="release/ in sync, no leaks, blank notebooks fail every test")

    from course.i18n.cli import add_parser as add_i18n_parser

    add_i18n_parser(sub)

    hub = sub.add_parser("hub", help="the classroom JupyterHub (run as root)")
    hub_sub = hub.add_subparsers(dest="hub_command", required=True, metavar="HUB_COMMAND")
    p = hub_sub.add_parser("setup", help="accounts from a roster CSV, course, exchange, config")
    p.add_argument("roster", type=Path, help="CSV with username,full_name,role[,password]")
    _classroom_args(p)
    p.add_argument(
        "--ip",
        default=None,
        help="address trainees connect to (default: the classroom's, else 127.0.0.1)",
    )
    p.add_argument(
        "--port",
        type=bounded_int("--port", PORTS[0], PORTS[1] - 3),
        default=None,
        help="port of the hub; it also uses the next three (default: the classroom's, else 8000)",
    )
    p.add_argument("--seed", type=int, default=None, help="world seed of this cohort")
    p.add_argument("--ssl-cert", type=Path, default=None, help="HTTPS: the certificate (PEM)")
    p.add_argument("--ssl-key", type=Path, default=None, help="HTTPS: its private key (PEM)")
    p.add_argument(
        "--grader",
        default="nps-grader",
        help="the account that owns the course folder (default nps-grader)",
    )
    p.add_argument(
        "--lang", default=None, help="language of this cohort: en (default), ru ... (README)"
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="replace the classroom's source/ and release/ with this course's and rebuild them",
    )
    p.add_argument(
        "--venv",
        type=Path,
        default=Path("/opt/nps-course/current"),
        help="link to the classroom's runtime; one runtime per course version is built "
        "beside it in runtimes/ (default /opt/nps-course/current)",
    )
    p = hub_sub.add_parser("start", help="run the classroom hub until Ctrl-C or SIGTERM")
    _classroom_args(p)
    p = hub_sub.add_parser(
        "demo", help="a local demo classroom (one instructor, two trainees), removed on Ctrl-C"
    )
    _classroom_args(p, default=Path("/srv/nps-course-demo"))
    p.add_argument("--port", type=bounded_int("--port", PORTS[0], PORTS[1] - 3), default=8000)
    p = hub_sub.add_parser("stop", help="stop the classroom hub started in another shell")
    _classroom_args(p)
    p = hub_sub.add_parser("password", help="give one person a new password (others stay)")
    p.add_argument("username", help="their user name in the roster")
    _classroom_args(p)
    p = hub_sub.add_parser(
        "teardown",
        help="stop the hub, save grades and backups, remove the classroom, its accounts, runtime",
    )
    _classroom_args(p)
    p.add_argument("--yes", action="store_true", help="confirm: homes and submissions are deleted")
    p.add_argument(
        "--keep-runtime",
        action="store_true",
        help="keep the shared Python environment, the proxy and the grading sandbox's accounts",
    )
    p.add_argument(
        "--archive",
        type=Path,
        default=Path("/var/backups/nps-course"),
        help="where grades, report, gradebook and backups are copied first "
        "(default /var/backups/nps-course)",
    )
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
    log.info("course folder: %s", root)
    if args.command == "build":
        from course.build import build

        report = build(root, seed=args.seed, scale=args.scale, lang=args.lang, force=args.force)
        print(
            f"built world seed {report.seed}: {report.data_files} data files "
            f"({report.data_bytes / 1e6:.1f} MB); released {', '.join(report.assignments)}"
            f" in {report.lang}"
        )
        return 0
    if args.command == "i18n":
        from course.i18n.cli import run_i18n

        return run_i18n(args, root)
    if args.command == "lab":
        from course.lab import run_lab

        extra = [a for a in args.extra if a != "--"]
        return run_lab(
            root,
            port=args.port,
            open_browser=not args.no_browser,
            extra=extra,
            allow_root=args.allow_root,
        )
    if args.command == "grade":
        from course.grade import grade

        report = grade(
            root, args.assignment, jobs=args.jobs, force=args.force, unsandboxed=args.unsandboxed
        )
        print(report.table())
        print(f"grades exported to {report.csv}; gradebook backed up to {report.backup}")
        return 1 if report.failures else 0
    if args.command == "feedback":
        from course.grade import feedback

        csv = feedback(root, args.assignment)
        print(f"feedback written from the gradebook (manual marks included); grades in {csv}")
        return 0
    if args.command == "check":
        from course.check import blank_release_fails, release_in_sync, release_leaks

        checks = {
            "release/ in sync with source/": release_in_sync,
            "nothing instructor-only in release/": release_leaks,
            "every test fails on the blank release": blank_release_fails,
        }
        failed = 0
        for title, check in checks.items():
            log.info("checking: %s", title)
            problems = check(root)
            print(f"{'ok     ' if not problems else 'FAILED '} {title}")
            for problem in problems:
                print(f"  - {problem}")
            failed += bool(problems)
        if failed:
            print(f"{failed} of {len(checks)} checks failed")
            return 1
        print("release/ is in sync with source/, leaks nothing, and every test fails on it blank")
        return 0
    raise AssertionError(args.command)  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``course`` console command."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="course: %(message)s",
        stream=sys.stderr,
    )
    try:
        return _run(args)
    except CourseError as exc:
        print(f"course: error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        from course.world.bitcoin import StoryError

        if not isinstance(exc, StoryError):
            raise
        print(
            f"course: error: the case world's story could not be completed "
            f"({' '.join(str(exc).split())[:200]}): use a smaller --scale",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
