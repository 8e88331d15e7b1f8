"""Common-input clustering: the vectorised union-find, CoinJoins skipped, the case's ledger."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from tracing_helpers import make_ledger, reference

from course.tracing.clustering import (
    cluster_of,
    cluster_sizes,
    common_input_clusters,
    largest_clusters,
    union_find,
)
from course.tracing.coinjoin import coinjoin_mask_of
from course.tracing.ledger import read_csv

DAY4 = Path(__file__).resolve().parents[2] / "source" / "day4-tracing-money" / "data"



def test_union_find_by_hand():
    labels = union_find(6, np.array([0, 1, 4]), np.array([1, 2, 5]))
    assert labels.tolist() == [0, 0, 0, 3, 4, 4]


def test_union_find_long_chain_in_reverse_order():
    a = np.arange(9, 0, -1)
    assert union_find(10, a, a - 1).tolist() == [0] * 10


def test_union_find_self_links_and_repeats():
    labels = union_find(4, np.array([2, 2, 3, 3]), np.array([2, 3, 2, 3]))
    assert labels.tolist() == [0, 1, 2, 2]


def test_union_find_needs_pairs():
    with pytest.raises(ValueError):
        union_find(3, np.array([0, 1]), np.array([1]))


@pytest.mark.parametrize("seed", range(4))
def test_union_find_matches_networkx(seed):
    rng = np.random.default_rng(seed)
    n = 3000
    a, b = rng.integers(0, n, 2000), rng.integers(0, n, 2000)
    labels = union_find(n, a, b)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    for component in nx.connected_components(graph):
        nodes = sorted(component)
        assert set(labels[nodes].tolist()) == {nodes[0]}


def _coin(address: str) -> tuple:
    return ("", address, 1_000_000)


@pytest.fixture
def mixed():
    return make_ledger(
        ("p1", [_coin("bc1qa1"), _coin("bc1qa2")], [("bc1qx", 1_500_000), ("bc1qa3", 400_000)]),
        ("p2", [_coin("bc1qa2"), _coin("bc1qa3")], [("bc1qy", 1_300_000)]),
        ("p3", [_coin("bc1qb1"), _coin("bc1qb2")], [("bc1qz", 1_900_000)]),
        ("cj", [_coin(f"bc1q{w}1") for w in "abdef"], [(f"bc1qm{n}", 1_000_000)
                                                       for n in range(5)]),
        ("solo", [_coin("bc1qg1")], [("bc1qh", 900_000)]),
    )


def test_coinjoin_merges_strangers_unless_skipped(mixed):
    naive = common_input_clusters(mixed)
    assert cluster_of(mixed, naive, "bc1qa1") == {
        "bc1qa1", "bc1qa2", "bc1qa3", "bc1qb1", "bc1qb2", "bc1qd1", "bc1qe1", "bc1qf1"}
    careful = common_input_clusters(mixed, ["cj"])
    assert cluster_of(mixed, careful, "bc1qa1") == {"bc1qa1", "bc1qa2", "bc1qa3"}
    assert cluster_of(mixed, careful, "bc1qb2") == {"bc1qb1", "bc1qb2"}
    assert cluster_of(mixed, careful, "bc1qd1") == {"bc1qd1"}
    assert cluster_of(mixed, careful, "bc1qg1") == {"bc1qg1"}
    by_mask = common_input_clusters(mixed, coinjoin_mask_of(mixed))
    assert np.array_equal(by_mask, careful)


def test_sizes_and_largest(mixed):
    labels = common_input_clusters(mixed, ["cj"])
    sizes = cluster_sizes(labels)
    assert sizes[mixed.address_id("bc1qa2")] == 3 and sizes[mixed.address_id("bc1qx")] == 1
    top = largest_clusters(mixed, labels, top=2)
    assert [size for size, _ in top] == [3, 2]


def test_day4_target_cluster_as_the_reference_finds_it():
    ledger = read_csv(DAY4)
    tables = {n: pd.read_csv(DAY4 / f"{n}.csv", keep_default_na=False)
              for n in ("inputs", "outputs")}
    ref = reference()
    joins = ref.coinjoins(tables)
    mask = coinjoin_mask_of(ledger)
    assert {ledger.txid(int(i)) for i in np.flatnonzero(mask)} == joins
    target = "bc1q8e93se7f5t7yjyl268k7d7fpep6vh9s5375vqh"
    for skip, ref_skip in ((None, frozenset()), (mask, frozenset(joins))):
        ours = cluster_of(ledger, common_input_clusters(ledger, skip), target)
        assert ours == nx.node_connected_component(ref.clusters(tables, ref_skip), target)
