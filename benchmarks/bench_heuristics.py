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
import io
import time
from collections import Counter, defaultdict

import pandas as pd

from course.world.bitcoin import generate
from course.world.context import WorldContext

DAY4 = "day4-tracing-money"


def tables(ctx: WorldContext) -> dict[str, pd.DataFrame]:
    """Day 4's CSV tables as a trainee reads them."""
    return {
        name: pd.read_csv(io.BytesIO(ctx.files[(DAY4, f"data/{name}.csv")]), keep_default_na=False)
        for name in ("transactions", "inputs", "outputs")
    }


def common_input_clusters(inputs: pd.DataFrame) -> list[set[str]]:
    """Union-find over the inputs of every multi-input transaction."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for _txid, addresses in inputs.groupby("txid").address:
        first, *rest = list(addresses)
        for other in rest:
            parent[find(other)] = find(first)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for address in parent:
        groups[find(address)].add(address)
    return [g for g in groups.values() if len(g) > 1]


def fresh_change_guesses(t: dict[str, pd.DataFrame]) -> set[str]:
    """A 2-output, non-coinbase transaction's single never-seen-before output."""
    txs = t["transactions"].sort_values("block_height", kind="stable")
    order = {txid: i for i, txid in enumerate(txs.txid)}
    coinbase = dict(zip(txs.txid, txs.is_coinbase, strict=True))
    outs = t["outputs"][t["outputs"].address != ""]
    first_seen: dict[str, int] = {}
    by_tx: defaultdict[str, list] = defaultdict(list)
    for row in outs.itertuples():
        i = order[row.txid]
        first_seen[row.address] = min(first_seen.get(row.address, i), i)
        by_tx[row.txid].append(row)
    guessed = set()
    for txid, rows in by_tx.items():
        if len(rows) == 2 and str(coinbase[txid]).lower() not in ("true", "1"):
            fresh = [r for r in rows if first_seen[r.address] == order[txid]]
            if len(fresh) == 1:
                guessed.add(f"{txid}:{fresh[0].vout}")
    return guessed


def scores(seed: int) -> dict[str, float]:
    """Build the ledger of ``seed`` and score the naive heuristics against its truth."""
    ctx = WorldContext(seed=seed)
    generate(ctx)
    t = tables(ctx)
    owner = ctx.truth["btc_address_owner"]
    change_truth = set(ctx.truth["btc_change_outputs"])
    pairs = good = 0
    for component in common_input_clusters(t["inputs"]):
        n = len(component)
        pairs += n * (n - 1) // 2
        good += sum(k * (k - 1) // 2 for k in Counter(owner[a] for a in component).values())
    spenders = Counter(owner[a] for a in set(t["inputs"].address))
    true_pairs = sum(k * (k - 1) // 2 for k in spenders.values())
    guessed = fresh_change_guesses(t)
    hits = len(guessed & change_truth)
    return {
        "multi_input_precision": good / pairs,
        "multi_input_recall": good / true_pairs,
        "multi_input_pairs": pairs,
        "change_precision": hits / len(guessed),
        "change_recall": hits / len(change_truth),
        "change_guesses": len(guessed),
    }


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
