"""Start a grading kernel as an unprivileged user (run as root, via a kernelspec).

Usage (the kernelspec's argv)::

    unshare --net -- python -m course.sandbox.launch --user U --workdir W \
        --events FILE -f {connection_file}

It copies the connection file where the kernel user can read it, drops to
``U`` (no supplementary groups), applies :class:`~course.sandbox.limits.Limits`,
and executes ``python -m ipykernel_launcher`` with the audit hook loaded.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import sys
from pathlib import Path

from course.sandbox.limits import Limits

HOOK_DIR = Path(__file__).resolve().parent / "kernel_site"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", required=True)
    parser.add_argument("--workdir", required=True, type=Path)
    parser.add_argument("--events", required=True, type=Path)
    parser.add_argument("-f", dest="connection_file", required=True, type=Path)
    args = parser.parse_args(argv)

    entry = pwd.getpwnam(args.user)
    # the kernel may write in its notebook's folder (a trainee's report, a plot)
    for folder, _dirs, files in os.walk(os.getcwd()):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)
    private = args.workdir / f"kernel-{os.getpid()}.json"
    shutil.copy(args.connection_file, private)
    os.chown(private, entry.pw_uid, entry.pw_gid)
    os.chmod(private, 0o400)
    # the event log is opened before privileges are dropped: the kernel can
    # append to it through this descriptor but cannot reopen, move or delete it
    events_fd = os.open(args.events, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.set_inheritable(events_fd, True)

    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)
    os.umask(0o077)
    Limits().apply()

    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(args.workdir),
        "USER": args.user,
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(HOOK_DIR),
        "COURSE_EVENTS_FD": str(events_fd),
        "MPLBACKEND": "Agg",
        "COURSE_GRADING_MODE": "record",
        "COURSE_LANG": os.environ.get("COURSE_LANG", "en"),
    }
    os.execve(
        sys.executable,
        [sys.executable, "-m", "ipykernel_launcher", "-f", str(private)],
        env,
    )


if __name__ == "__main__":
    main()
