"""The clustering benchmark's own parts: the synthetic ledger and the partition check."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from course.tracing.coinjoin import coinjoin_mask_of

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_clustering.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_clustering", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_same_partition_by_hand(bench):
    assert bench.same_partition(np.array([0, 0, 1]), np.array([5, 5, 7]))
    assert not bench.same_partition(np.array([0, 0, 1]), np.array([5, 6, 6]))
    assert not bench.same_partition(np.array([0, 1]), np.array([3, 3]))


def test_synthetic_ledger_shape(bench):
    ledger = bench.synthetic(3000, seed=1)
    n_in, n_out = np.diff(ledger.in_start), np.diff(ledger.out_start)
    assert ledger.n_tx == 3000 and (n_in >= 1).all() and set(n_out.tolist()) <= {2, 5}
    assert len(set(ledger.txids.tolist())) == 3000 and ledger.txids.dtype == np.dtype("S64")
    joins = coinjoin_mask_of(ledger)
    assert joins.tolist() == (n_out == 5).tolist() and joins.any()
    assert (ledger.out_value[np.isin(ledger.out_tx, np.flatnonzero(joins))] == 1_000_000).all()


def test_end_to_end_small(bench, tmp_path, capsys):
    assert bench.main(["--scale", "2000", "--cache", str(tmp_path)]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert row.split()[0] == "2,000" and row.split()[-1] == "yes"
