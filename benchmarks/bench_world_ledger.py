"""Benchmark the bitcoin ledger generator: time and peak memory by scale.

    python benchmarks/bench_world_ledger.py                 # scale 1 (the default world)
    python benchmarks/bench_world_ledger.py --scale 40      # a larger ledger, streamed to disk
    python benchmarks/bench_world_ledger.py --million       # ~1,000,000 transactions (minutes)

Scale 1 runs ``generate(ctx)`` in memory, as ``course build`` does. Larger
scales use ``stream_ledger``, which writes the CSV tables straight to a
temporary folder. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.world.bitcoin import generate, stream_ledger  # noqa: E402
from course.world.context import WorldContext  # noqa: E402

#: about 2,340 transactions a scale unit above 144 (one block every 10 minutes): scale 430
#: gives roughly a million (scale 360 gave 842,327)
MILLION_SCALE = 430


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    """One line naming the machine: CPU model, cores, memory, Python."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal"))
        ram = f"{mem / 2**20:.0f} GB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    return f"{cpu}, {os.cpu_count()} cores, {ram}, Python {platform.python_version()}"


def bench(scale: int, seed: int) -> None:
    """Generate one ledger and print its size, time and peak memory."""
    ctx = WorldContext(seed=seed, scale=scale)
    start = time.perf_counter()
    if scale == 1:
        generate(ctx)
        n_tx = ctx.truth["btc_story"]["transactions"]
        size = sum(len(v) for v in ctx.files.values())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            sink = stream_ledger(ctx, Path(tmp))
            n_tx = sink.n_tx
            size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    elapsed = time.perf_counter() - start
    print(f"scale {scale:>4}: {n_tx:>9,} txs  {size / 1e6:8.1f} MB  {elapsed:8.1f} s  "
          f"{n_tx / elapsed:8.0f} tx/s  peak RSS {_peak_mb():8.0f} MB", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="scale(s) to run (default 1)")
    parser.add_argument("--million", action="store_true",
                        help=f"also run scale {MILLION_SCALE} (~1M transactions; takes minutes)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    print(f"machine: {machine()}", flush=True)
    scales = args.scale or [1]
    if args.million:
        scales.append(MILLION_SCALE)
    for scale in scales:
        bench(scale, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
