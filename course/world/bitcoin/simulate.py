"""The clock of the bitcoin world: days, blocks, prices, fee rates and the task schedule.

The ledger covers the case period, 2025. Each day has ``min(144, scale)``
blocks of the ledger (one block a day in the default world; every block
from scale 144 up) with real-looking heights and times. A day's work is a
list of *tasks* (small functions that build one or a few transactions),
shuffled and spread over its blocks; a task that cannot run yet (no
confirmed funds) may ask to be retried the next day.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from course.world.bitcoin.actors import Actors, make_actors
from course.world.bitcoin.ledger import Ledger, Sink
from course.world.prices import usd_price

PERIOD_START = datetime(2025, 1, 1, tzinfo=UTC)
DAYS = 365
FIRST_HEIGHT = 877_260  # about the first block of 2025
BLOCKS_A_DAY = 144
SATS = 100_000_000

#: a task returns True when done, False to be retried tomorrow
Task = Callable[[], bool]


def iso(timestamp: int) -> str:
    """A UNIX time as ISO 8601 UTC (``2025-03-04T12:34:56Z``)."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class World:
    """The running simulation: actors, ledger, schedule and random streams."""

    def __init__(self, ctx_rng: Callable[[str], random.Random], scale: int, sink: Sink) -> None:
        self.scale = max(1, int(scale))
        self.rng = ctx_rng("btc.story")
        self.noise_rng = ctx_rng("btc.noise")
        self.fee_rng = ctx_rng("btc.fees")
        self.block_rng = ctx_rng("btc.blocks")
        self.ledger = Ledger(sink, ctx_rng("btc.ledger"))
        self.actors: Actors = make_actors(ctx_rng("btc.keys"), self.noise_rng, self.scale)
        self.schedule: defaultdict[int, list[tuple[Task, int]]] = defaultdict(list)
        self.daily: list[Callable[[World, int], list[Task]]] = []
        self.day = 0
        self.base_rate = 3.0
        self.facts: dict[str, Any] = {}
        self.unfinished: list[str] = []

    # -- amounts and fees ---------------------------------------------------
    def sats_for_usd(self, usd: float, day: int | None = None) -> int:
        """Satoshis worth ``usd`` dollars on ``day`` (default: today)."""
        return int(usd / usd_price(self.day if day is None else day) * SATS)

    def rate(self, rng: random.Random | None = None, low: float = 0.8, high: float = 1.6) -> float:
        """A fee rate in sat/vB around today's level (never below 1)."""
        rng = rng or self.fee_rng
        return max(1.0, round(self.base_rate * rng.uniform(low, high), 1))

    # -- scheduling ---------------------------------------------------------
    def at(self, day: int, task: Task, retries: int = 0) -> None:
        """Run ``task`` on ``day``; if it returns False, retry up to ``retries`` days later."""
        self.schedule[day].append((task, retries))

    def run(self) -> None:
        """Simulate every day of the period, block by block."""
        ledger = self.ledger
        rng = self.block_rng
        per_day = min(BLOCKS_A_DAY, self.scale)
        last_time = 0
        for day in range(DAYS):
            self.day = day
            self.base_rate = min(60.0, math.exp(rng.gauss(math.log(3.0), 0.55)))
            tasks: list[tuple[Task, int]] = list(self.schedule.pop(day, []))
            noise = [(t, 0) for make in self.daily for t in make(self, day)]
            self.noise_rng.shuffle(noise)
            # story tasks first in the day, background spread over the blocks
            offsets = sorted(rng.sample(range(BLOCKS_A_DAY), per_day))
            cuts = [len(noise) * i // per_day for i in range(per_day + 1)]
            for b, offset in enumerate(offsets):
                height = FIRST_HEIGHT + day * BLOCKS_A_DAY + offset
                when = int(PERIOD_START.timestamp()) + (day * BLOCKS_A_DAY + offset) * 600
                when = max(last_time + 1, when + rng.randint(-240, 240))
                last_time = when
                ledger.begin_block(height, when)
                batch = (tasks if b == 0 else []) + noise[cuts[b] : cuts[b + 1]]
                for task, retries in batch:
                    if task():
                        continue
                    if retries > 0:
                        self.at(day + 1, task, retries - 1)
                    elif getattr(task, "required", False):
                        self.unfinished.append(getattr(task, "__name__", "task"))
                ledger.end_block(self.actors.pool)
