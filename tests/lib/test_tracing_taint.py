"""Taint: poison, haircut and FIFO give three answers on the same flow."""

from __future__ import annotations

import pytest
from tracing_helpers import flow_ledger

from course.tracing.taint import by_address, compare, fifo, haircut, poison, propagate


def test_one_transaction_dirty_first_input():
    # inputs 6 and 4 sat (the 6 is dirty), outputs 5 and 3, fee 2
    assert poison([6, 4], [6, 0], [5, 3]) == [5.0, 3.0]
    assert haircut([6, 4], [6, 0], [5, 3]) == pytest.approx([3.0, 1.8])
    assert fifo([6, 4], [6, 0], [5, 3]) == [5.0, 1.0]  # sats 0-5 and 5-8 against 0-6


def test_one_transaction_dirty_second_input():
    assert poison([6, 4], [0, 4], [5, 3]) == [5.0, 3.0]
    assert haircut([6, 4], [0, 4], [5, 3]) == pytest.approx([2.0, 1.2])
    assert fifo([6, 4], [0, 4], [5, 3]) == [0.0, 2.0]  # dirty sats 6-10, output 1 is 5-8


def test_partly_dirty_input_and_clean_transaction():
    assert fifo([6], [3], [2, 4]) == [2.0, 1.0]
    assert poison([6, 4], [0, 0], [5, 3]) == [0.0, 0.0]


def test_bad_taint_amounts():
    with pytest.raises(ValueError):
        haircut([6, 4], [6], [5, 3])
    with pytest.raises(ValueError):
        fifo([6], [7], [5])


@pytest.fixture
def flow():
    return flow_ledger()


def test_propagate_by_hand(flow):
    src = {"src:0": 600}
    assert propagate(flow, src, "poison") == {"src:0": 600, "mix:0": 500, "mix:1": 490,
                                              "hop2:0": 480}
    haircut_result = propagate(flow, src, "haircut")
    assert haircut_result == pytest.approx({"src:0": 600, "mix:0": 300, "mix:1": 294,
                                            "hop2:0": 288})
    assert propagate(flow, src, "fifo") == {"src:0": 600, "mix:0": 500, "mix:1": 100,
                                            "hop2:0": 100}
    assert by_address(flow, haircut_result) == pytest.approx({"bc1qv": 600, "bc1qd1": 300,
                                                              "bc1qd2": 294, "3Exch": 288})


def test_three_answers_side_by_side(flow):
    assert compare(flow, {"src:0": 600}, "3Exch") == pytest.approx(
        {"poison": 480, "haircut": 288, "fifo": 100})


def test_hop_limit_and_errors(flow):
    assert set(propagate(flow, {"src:0": 600}, "poison", max_hops=1)) == {
        "src:0", "mix:0", "mix:1"}
    with pytest.raises(ValueError, match="fifo"):
        propagate(flow, {"src:0": 600}, "guess")
    with pytest.raises(KeyError, match="src:7"):
        propagate(flow, {"src:7": 1}, "fifo")
