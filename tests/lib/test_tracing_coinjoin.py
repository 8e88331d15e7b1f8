"""CoinJoin patterns and interpretation counts."""

from __future__ import annotations

import math

import pytest
from tracing_helpers import make_ledger

from course.tracing.coinjoin import (
    coinjoin_mask_of,
    entropy_bits,
    equal_outputs,
    interpretations,
    link_probability,
    pattern,
    recognise,
    recognise_all,
)


def test_interpretations_by_hand():
    # 1 input, 1 output: one way. 2x2: both one wallet, or two wallets matched 2 ways.
    # 3x3: one wallet 1; a pair and a single: 3 groupings each side, 9; three singles 3! = 6.
    assert [interpretations(n) for n in (0, 1, 2, 3)] == [1, 1, 3, 16]


def test_whirlpool_has_1496_interpretations():
    # Samourai Wallet's Whirlpool documentation: a 5x5 mix has 1,496 interpretations
    # (Boltzmann entropy 10.55 bits)
    assert interpretations(5) == 1496
    assert entropy_bits(5) == pytest.approx(10.55, abs=0.005)


def test_link_probability_and_errors():
    assert link_probability(5) == 0.2
    with pytest.raises(ValueError):
        link_probability(0)
    with pytest.raises(ValueError):
        interpretations(-1)


@pytest.mark.parametrize(("n_in", "outputs", "expected"), [
    (5, [100_000] * 5, "whirlpool"),
    (5, [50_000_000] * 5, "whirlpool"),
    (5, [123_456] * 5, "generic"),                      # not a Whirlpool pool amount
    (60, [10_000_000] * 40 + [7_000 + n for n in range(20)], "wasabi"),
    (3, [2_000_000] * 3 + [150_000, 320_000], "joinmarket"),
    (4, [700_000] * 4, "joinmarket"),
    (6, [500_000] * 5 + [1, 2, 3, 4, 5, 6], "generic"),  # more change than makers allow
    (1, [5_000] * 3 + [9_000], None),                   # a batch payout from one input
    (2, [100, 200], None),
    (3, [0, 0, 0], None),
])
def test_patterns(n_in, outputs, expected):
    assert pattern(n_in, outputs) == expected


@pytest.fixture
def ledger():
    pool = [("", f"bc1qin{n}", 1_000_300) for n in range(5)]
    return make_ledger(
        ("pay", [("", "bc1qa", 900_000)], [("bc1qb", 600_000), ("bc1qc", 299_000)]),
        ("mix", pool, [(f"bc1qout{n}", 1_000_000) for n in range(5)]),
        ("batch", [("", "bc1qx", 9_000_000)], [("bc1qp", 1_000), ("bc1qq", 1_000),
                                                ("bc1qr", 1_000), ("", 0), ("", 0)]),
    )


def test_equal_outputs_per_transaction(ledger):
    count, value = equal_outputs(ledger)
    assert count.tolist() == [1, 5, 3]   # zero-value outputs do not count
    assert value.tolist()[1:] == [1_000_000, 1_000]


def test_mask_and_findings(ledger):
    assert coinjoin_mask_of(ledger).tolist() == [False, True, False]
    found = recognise(ledger, "mix")
    assert found.kind == "coinjoin.whirlpool" and found.subject == ("mix",)
    assert found.confidence == 0.95 and "1496" in found.evidence[0]
    assert recognise(ledger, "pay") is None
    assert [f.subject for f in recognise_all(ledger)] == [("mix",)]


def test_entropy_grows_with_the_pool():
    assert entropy_bits(6) > entropy_bits(5) > math.log2(120)
