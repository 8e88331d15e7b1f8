"""Precision and recall against a ground truth: by hand, and on the case world."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from tracing_helpers import make_ledger

from course.tracing.clustering import common_input_clusters
from course.tracing.ledger import build
from course.tracing.scoring import (
    change_scores,
    clustering_scores,
    format_table,
    heuristic_table,
    load_truth,
    pair_scores,
    super_clusters,
)

REPO = Path(__file__).resolve().parents[2]


def test_pair_scores_by_hand():
    owner = {"a": "X", "b": "X", "c": "Y", "d": "Z", "e": "Z"}
    s = pair_scores([{"a", "b", "c"}, {"d", "e"}], owner)
    # pairs put together: ab ac bc de (4); right: ab de (2); one owner's pairs: ab de (2)
    assert (s["pairs"], s["right"], s["true_pairs"]) == (4, 2, 2)
    assert (s["precision"], s["recall"]) == (0.5, 1.0)
    split = pair_scores([{"a"}, {"b"}, {"d", "e"}], owner)
    assert (split["precision"], split["recall"]) == (1.0, 0.5)


def test_change_scores_by_hand():
    s = change_scores(["t:1", "u:0", "v:1"], ["t:1", "v:0", "w:1", "u:0"])
    assert (s["guesses"], s["right"], s["true"]) == (3, 2, 4)
    assert s["precision"] == pytest.approx(2 / 3) and s["recall"] == 0.5


def _coin(address: str) -> tuple:
    return ("", address, 1_000_000)


@pytest.fixture
def mixed():
    ledger = make_ledger(
        ("p1", [_coin("bc1qa1"), _coin("bc1qa2")], [("bc1qx", 1_500_000), ("bc1qa3", 400_000)]),
        ("p2", [_coin("bc1qa2"), _coin("bc1qa3")], [("bc1qy", 1_300_000)]),
        ("p3", [_coin("bc1qb1"), _coin("bc1qb2")], [("bc1qz", 1_900_000)]),
        ("cj", [_coin(f"bc1q{w}1") for w in "abdef"], [(f"bc1qm{n}", 1_000_000)
                                                       for n in range(5)]),
        ("solo", [_coin("bc1qg1")], [("bc1qh", 900_000)]),
    )
    owner = {f"bc1q{w}{n}": w.upper() for w in "abdefg" for n in (1, 2, 3)}
    return ledger, owner


def test_one_coinjoin_makes_a_super_cluster(mixed):
    ledger, owner = mixed
    naive = clustering_scores(ledger, owner, skip_coinjoins=False)
    # one cluster of 8 spenders: 28 pairs, of which a1a2 a1a3 a2a3 b1b2 are right
    assert (naive["pairs"], naive["right"]) == (28, 4)
    assert naive["precision"] == pytest.approx(4 / 28) and naive["recall"] == 1.0
    careful = clustering_scores(ledger, owner, skip_coinjoins=True)
    assert (careful["pairs"], careful["precision"], careful["recall"]) == (4, 1.0, 1.0)
    rows = super_clusters(ledger, common_input_clusters(ledger), owner)
    assert [(r["size"], r["owners"], r["largest_owner"]) for r in rows] == [(8, 5, 3 / 8)]
    assert super_clusters(ledger, common_input_clusters(ledger, ["cj"]), owner) == []


def test_bad_truth_file(tmp_path):
    path = tmp_path / "truth.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="truth.json"):
        load_truth(path)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The bitcoin part of the seed-2026 case world, its tables read as a trainee does."""
    from course.world.bitcoin import generate
    from course.world.context import WorldContext

    ctx = WorldContext(seed=2026)
    generate(ctx)
    tables = {n: pd.read_csv(io.BytesIO(ctx.files[("day4-tracing-money", f"data/{n}.csv")]),
                             keep_default_na=False)
              for n in ("transactions", "inputs", "outputs")}
    path = tmp_path_factory.mktemp("truth") / "ground_truth.json"
    path.write_text(json.dumps(ctx.truth), encoding="utf-8")
    return build(tables["transactions"], tables["inputs"], tables["outputs"]), load_truth(path)


def _bench_heuristics():
    spec = importlib.util.spec_from_file_location(
        "bench_heuristics", REPO / "benchmarks" / "bench_heuristics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_world_scores_agree_with_the_independent_benchmark(world):
    ledger, truth = world
    expected = _bench_heuristics().scores(2026)  # its own union-find over pandas tables
    ours = clustering_scores(ledger, truth["owner"], skip_coinjoins=False)
    assert ours["pairs"] == expected["multi_input_pairs"]
    assert ours["precision"] == pytest.approx(expected["multi_input_precision"])
    assert ours["recall"] == pytest.approx(expected["multi_input_recall"])


def test_world_table(world):
    ledger, truth = world
    rows = {r["method"]: r for r in heuristic_table(ledger, truth)}
    assert len(rows) == 9
    naive, careful = rows["common input"], rows["common input, CoinJoins skipped"]
    assert naive["precision"] < 1.0  # the CoinJoins merge strangers
    assert careful["precision"] > naive["precision"]
    assert rows["change: fresh_address"]["precision"] < rows["change: reused_address"]["precision"]
    for row in rows.values():
        assert 0 <= row["precision"] <= 1 and 0 <= row["recall"] <= 1 and row["guesses"] > 0


def test_table_text():
    text = format_table([{"method": "common input", "guesses": 1234, "precision": 0.5,
                          "recall": 0.25}])
    assert text.splitlines()[1].split() == ["common", "input", "1,234", "50.0%", "25.0%"]
