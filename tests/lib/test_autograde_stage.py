"""Staged assignment data is readable by the sandbox account, however deep its
folders and whatever the grading process's umask."""

from __future__ import annotations

import os
import stat

from course.autograde.executors import LocalExecutor
from course.sandbox.bwrap import Sandbox


def test_every_staged_folder_and_file_is_world_readable() -> None:
    """Check folders 0755 and files 0644 under umask 077 (as `course grade` sets it),
    for nested folders such as day 1's tor/archive/ and mirrors/keys/."""
    executor = LocalExecutor(Sandbox(sandboxed=False))
    saved = os.umask(0o077)
    try:
        executor.stage("day1-darkweb-tor", {
            "tor/archive/2025-10-06-12-00-00-consensus": b"c",
            "mirrors/keys/forum.asc": b"k",
            "seizures.csv": b"s",
        })
        target = executor.staged["day1-darkweb-tor"]
        folders = [target, target / "tor", target / "tor" / "archive", target / "mirrors",
                   target / "mirrors" / "keys"]
        files = [target / "tor" / "archive" / "2025-10-06-12-00-00-consensus",
                 target / "mirrors" / "keys" / "forum.asc", target / "seizures.csv"]
        assert [stat.S_IMODE(os.stat(f).st_mode) for f in folders] == [0o755] * len(folders)
        assert [stat.S_IMODE(os.stat(f).st_mode) for f in files] == [0o644] * len(files)
    finally:
        os.umask(saved)
        executor.close()
