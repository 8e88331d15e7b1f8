"""Realism: how often the naive tracing heuristics are right in the case world.

    python benchmarks/bench_heuristics.py            # the default world (seed 2026)
    python benchmarks/bench_heuristics.py --seed 7 --seed 8

Builds the bitcoin ledger of each seed, reads its exported CSV tables as a
trainee does (day 4), and scores two naive heuristics against the ground
truth (who owns each address, which outputs are change):

* multi-input (common-input ownership, CoinJoins included): precision over
  the address pairs it puts in one cluster; recall over the pairs of one
  owner's input addresses;
* change (a 2-output transaction's single never-seen-before output):
  precision over its guesses; recall over all true change outputs.

Both precisions must stay below 100%: the background (exchange batches,
CoinJoins, address reuse) exists to make the naive heuristics err.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "world")]

from world_reference import Files  # noqa: E402
from world_reference_chain import heuristic_scores, ledger  # noqa: E402

from course.world.bitcoin import generate  # noqa: E402
from course.world.context import WorldContext  # noqa: E402


def scores(seed: int) -> dict[str, float]:
    """Build the ledger of ``seed`` and score the naive heuristics on it."""
    ctx = WorldContext(seed=seed)
    generate(ctx)
    tables = ledger(Files(ctx.files))
    truth = ctx.truth
    return heuristic_scores(tables, truth["btc_address_owner"], set(truth["btc_change_outputs"]))


def main(argv: list[str] | None = None) -> int:
    """Print the heuristics' precision and recall for each seed; fail if either is 100%."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, action="append", help="seed(s) (default 2026)")
    args = parser.parse_args(argv)
    status = 0
    for seed in args.seed or [2026]:
        start = time.perf_counter()
        s = scores(seed)
        print(f"seed {seed}: multi-input precision {s['multi_input_precision']:.1%} "
              f"recall {s['multi_input_recall']:.1%} ({s['multi_input_pairs']:,} pairs); "
              f"change precision {s['change_precision']:.1%} recall {s['change_recall']:.1%} "
              f"({s['change_guesses']:,} guesses)  [{time.perf_counter() - start:.1f} s]")
        if s["multi_input_precision"] >= 1 or s["change_precision"] >= 1:
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
