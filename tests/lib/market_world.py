"""Day-2 worlds for the course.market tests: seeds 2026 (the course's) and 7.

Each world is built once per test process with the generators and its day-2
files written to a temporary folder; the tests compare what the library reads
from the files with what the generators wrote in ``ctx`` (answers, truth,
state), never with what the library itself computes.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from course.world import build_world

DAY2 = "day2-market-osint"
SEEDS = (2026, 7)


@dataclass(frozen=True)
class Day2World:
    """The data folder of one built world and the generators' own records."""

    seed: int
    data: Path
    answers: dict[str, Any]
    truth: dict[str, Any]
    state: dict[str, Any]

    def answer(self, grade_id: str) -> Any:
        return self.answers[grade_id]["value"]


@cache
def world(seed: int) -> Day2World:
    """Build world ``seed`` and write its day-2 files (once per process)."""
    ctx = build_world(seed)
    root = Path(tempfile.mkdtemp(prefix=f"market-world-{seed}-"))
    atexit.register(shutil.rmtree, root, True)
    for (assignment, relpath), data in ctx.files.items():
        if assignment == DAY2:
            target = root / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return Day2World(seed, root / "data", ctx.answers, ctx.truth, ctx.state)
