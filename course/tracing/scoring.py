"""How right are the heuristics? Precision and recall against a known answer.

The case world knows who owns every address and which outputs are change
(its ground truth, ``keys/ground_truth.json``: ``btc_address_owner`` and
``btc_change_outputs``; instructor only). Scores:

- **clustering**, over pairs of addresses: a pair the clustering puts together
  is right when one owner holds both. Precision = right pairs / pairs put
  together; recall = right pairs / pairs of one owner's addresses. Pairs, not
  addresses, because one false link merging two clusters of 100 addresses
  makes 10,000 wrong pairs: the *super-cluster* lesson, shown by
  :func:`super_clusters`.
- **change**, over outputs: precision = right guesses / guesses; recall =
  right guesses / all change outputs.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from course.messages import t
from course.tracing.change import HEURISTICS, ledger_change
from course.tracing.clustering import common_input_clusters
from course.tracing.coinjoin import coinjoin_mask_of
from course.tracing.ledger import Ledger


def load_truth(path: Path | str) -> dict[str, Any]:
    """The bitcoin part of a ground-truth file: ``owner`` (address -> owner) and
    ``change`` (set of ``"txid:vout"``)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        return {"owner": dict(doc["btc_address_owner"]), "change": set(doc["btc_change_outputs"])}
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(t("tracing.bad_truth", path=path, reason=exc)) from None


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_scores(clusters: Iterable[Iterable[str]], owner: Mapping[str, str]) -> dict[str, float]:
    """Pairwise precision and recall of ``clusters`` (sets of addresses).

    Recall counts the pairs of one owner among the addresses the clusters
    cover (an address never spent cannot be clustered by its inputs).
    """
    put = right = 0
    covered: list[str] = []
    for group in clusters:
        group = list(group)
        covered += group
        put += _pairs(len(group))
        right += sum(_pairs(k) for k in Counter(owner[a] for a in group).values())
    true = sum(_pairs(k) for k in Counter(owner[a] for a in covered).values())
    return {"pairs": put, "right": right, "true_pairs": true,
            "precision": right / put if put else 1.0, "recall": right / true if true else 1.0}


def label_groups(ledger: Ledger, labels: np.ndarray, spent_only: bool = True) -> list[list[str]]:
    """Clusters as lists of addresses (only addresses that appear as inputs if ``spent_only``)."""
    ids = np.unique(ledger.in_addr[ledger.in_addr >= 0]) if spent_only else np.arange(len(labels))
    order = np.argsort(labels[ids], kind="stable")
    ids, lab = ids[order], labels[ids][order]
    cuts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
    return [[ledger.address(int(i)) for i in chunk] for chunk in np.split(ids, cuts[1:])]


def clustering_scores(ledger: Ledger, owner: Mapping[str, str],
                      skip_coinjoins: bool = True) -> dict[str, float]:
    """Pairwise scores of common-input clustering over the spent addresses."""
    skip = coinjoin_mask_of(ledger) if skip_coinjoins else None
    return pair_scores(label_groups(ledger, common_input_clusters(ledger, skip)), owner)


def change_scores(guesses: Iterable[str], truth: Iterable[str]) -> dict[str, float]:
    """Precision and recall of change guesses (``"txid:vout"``) against the true change."""
    guessed, actual = set(guesses), set(truth)
    hits = len(guessed & actual)
    return {"guesses": len(guessed), "right": hits, "true": len(actual),
            "precision": hits / len(guessed) if guessed else 1.0,
            "recall": hits / len(actual) if actual else 1.0}


def super_clusters(ledger: Ledger, labels: np.ndarray, owner: Mapping[str, str],
                   top: int = 5) -> list[dict[str, Any]]:
    """The largest clusters that hold addresses of more than one owner.

    Each row: ``size``, ``owners`` (how many), ``largest_owner`` (its share of the
    cluster) and one ``address`` of the cluster.
    """
    rows = []
    for group in label_groups(ledger, labels):
        owners = Counter(owner.get(a, "?") for a in group)
        if len(owners) > 1:
            rows.append({"size": len(group), "owners": len(owners),
                         "largest_owner": owners.most_common(1)[0][1] / len(group),
                         "address": group[0]})
    return sorted(rows, key=lambda r: (-r["size"], r["address"]))[:top]


def heuristic_table(ledger: Ledger, truth: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per method: each change heuristic, their agreement, and clustering with and
    without the CoinJoins (``method``, ``guesses``, ``precision``, ``recall``)."""
    rows = []
    for name in [*HEURISTICS, None]:
        s = change_scores(ledger_change(ledger, name), truth["change"])
        rows.append({"method": f"change: {name or 'agreement of all'}",
                     "guesses": s["guesses"], "precision": s["precision"],
                     "recall": s["recall"]})
    for skip in (False, True):
        s = clustering_scores(ledger, truth["owner"], skip_coinjoins=skip)
        rows.append({"method": "common input" + (", CoinJoins skipped" if skip else ""),
                     "guesses": s["pairs"], "precision": s["precision"], "recall": s["recall"]})
    return rows


def format_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows of :func:`heuristic_table` as aligned text."""
    lines = [f"{'method':<40} {'guesses':>8} {'precision':>9} {'recall':>7}"]
    lines += [f"{r['method']:<40} {r['guesses']:>8,} {r['precision']:>9.1%} {r['recall']:>7.1%}"
              for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the heuristics' precision and recall for a built course (instructor only)."""
    from course.tracing.ledger import read_csv

    parser = argparse.ArgumentParser(prog="python -m course.tracing.scoring",
                                     description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("source/day4-tracing-money/data"))
    parser.add_argument("--truth", type=Path, default=Path("keys/ground_truth.json"))
    args = parser.parse_args(argv)
    print(format_table(heuristic_table(read_csv(args.data), load_truth(args.truth))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
