"""Change heuristics: each a finding with its confidence, or nothing; their agreement."""

from __future__ import annotations

import pytest
from tracing_helpers import make_ledger

from course.findings import Finding
from course.tracing.change import (
    fresh_address,
    guess_change,
    is_round,
    ledger_change,
    optimal_change,
    peel_continuation,
    reused_address,
    round_amount,
    same_script_type,
)
from course.tracing.ledger import Coin, TxView


def tx(inputs, outputs, coinbase=False):
    return TxView("t", tuple(inputs), tuple(outputs), coinbase)


def test_reused_address():
    t = tx([Coin("bc1qme", 50_000, "p2wpkh")],
           [Coin("1Shop", 30_000, "p2pkh"), Coin("bc1qme", 19_000, "p2wpkh")])
    found = reused_address(t)
    assert isinstance(found, Finding)
    assert (found.kind, found.subject, found.confidence) == ("change.reused_address", ("t:1",), 0.9)
    assert "bc1qme" in found.evidence[0]
    assert reused_address(tx(t.inputs, [Coin("1Shop", 30_000), Coin("bc1qx", 19_000)])) is None


def test_fresh_address():
    seen, new = Coin("1Shop", 30_000, seen_before=True), Coin("bc1qnew", 19_000)
    t = tx([Coin("bc1qme", 50_000)], [seen, new])
    assert fresh_address(t).subject == ("t:1",)
    assert fresh_address(t).confidence == 0.5
    assert fresh_address(tx(t.inputs, [Coin("1A", 1), Coin("1B", 2)])) is None  # both new
    both_seen = [seen, Coin("bc1qold", 19_000, seen_before=True)]
    assert fresh_address(tx(t.inputs, both_seen)) is None


def test_same_script_type():
    ins = [Coin("bc1qa", 40_000, "p2wpkh"), Coin("bc1qb", 40_000, "p2wpkh")]
    t = tx(ins, [Coin("1Shop", 50_000, "p2pkh"), Coin("bc1qc", 29_000, "p2wpkh")])
    found = same_script_type(t)
    assert found.subject == ("t:1",) and "p2wpkh" in found.evidence[0]
    mixed_inputs = [Coin("bc1qa", 40_000, "p2wpkh"), Coin("3B", 40_000, "p2sh")]
    assert same_script_type(tx(mixed_inputs, t.outputs)) is None
    same_outputs = [Coin("bc1qs", 50_000, "p2wpkh"), Coin("bc1qc", 29_000, "p2wpkh")]
    assert same_script_type(tx(ins, same_outputs)) is None


def test_round_amounts():
    assert [is_round(v) for v in (0, 100_000, 150_000, 2_000_000, 1_234)] == [
        False, True, False, True, False]
    t = tx([Coin("bc1qa", 3_000_000)], [Coin("1Shop", 1_000_000), Coin("bc1qc", 1_999_000)])
    assert round_amount(t).subject == ("t:1",)
    both_round = [Coin("1Shop", 1_000_000), Coin("bc1qc", 1_900_000)]
    assert round_amount(tx(t.inputs, both_round)) is None
    neither = [Coin("1Shop", 1_000_001), Coin("bc1qc", 1_900_001)]
    assert round_amount(tx(t.inputs, neither)) is None


def test_optimal_change():
    t = tx([Coin("bc1qa", 600_000), Coin("bc1qb", 500_000)],
           [Coin("1Shop", 900_000), Coin("bc1qc", 190_000)])
    assert optimal_change(t).subject == ("t:1",) and optimal_change(t).confidence == 0.7
    one_input = tx([Coin("bc1qa", 1_000_000)], [Coin("1Shop", 700_000), Coin("bc1qc", 290_000)])
    assert optimal_change(one_input) is None  # both smaller than the only input


def test_peel_continuation():
    t = tx([Coin("bc1qa", 1_000_000)], [Coin("bc1qnext", 900_000, next_shape=(1, 2)),
                                        Coin("1Buyer", 90_000, next_shape=(3, 1))])
    assert peel_continuation(t).subject == ("t:0",)
    both = tx(t.inputs, [Coin("bc1qx", 1, next_shape=(1, 2)), Coin("bc1qy", 2, next_shape=(1, 2))])
    assert peel_continuation(both) is None


@pytest.mark.parametrize("heuristic", [reused_address, fresh_address, same_script_type,
                                       round_amount, optimal_change, peel_continuation])
def test_no_change_in_a_coinbase_or_a_single_output(heuristic):
    outs = [Coin("bc1qa", 1_000_000, "p2wpkh", next_shape=(1, 2)), Coin("1b", 5, "p2pkh")]
    assert heuristic(tx([], outs, coinbase=True)) is None
    assert heuristic(tx([Coin("bc1qa", 2_000_000, "p2wpkh")], outs[:1])) is None


def test_agreeing_heuristics_add_up():
    t = tx([Coin("bc1qme", 2_345_678, "p2wpkh")],
           [Coin("1Shop", 1_000_000, "p2pkh", seen_before=True),
            Coin("bc1qme", 1_344_000, "p2wpkh", seen_before=True)])
    found = guess_change(t)
    # reused address 0.9, same script type 0.6, round amount 0.6: 1 - 0.1 * 0.4 * 0.4
    assert found.kind == "change" and found.subject == ("t:1",)
    assert found.confidence == pytest.approx(0.984)
    assert len(found.evidence) == 3


def test_disagreeing_heuristics_give_no_answer():
    t = tx([Coin("bc1qme", 3_500_000, "p2wpkh")],
           [Coin("bc1qshop", 2_000_000, "p2wpkh"), Coin("1x", 1_234_567, "p2pkh")])
    assert same_script_type(t).subject == ("t:0",)
    assert round_amount(t).subject == ("t:1",)
    assert guess_change(t) is None


def test_over_a_ledger():
    ledger = make_ledger(
        ("cb", [], [("bc1qshop", 5_000), ("bc1qalice", 90_000)]),
        ("pay", [("cb:1", "bc1qalice", 90_000)], [("bc1qshop", 30_000), ("bc1qnew", 59_000)]),
    )
    found = ledger_change(ledger, "fresh_address")
    assert list(found) == ["pay:1"]
    with pytest.raises(ValueError, match="fresh_address"):
        ledger_change(ledger, "lucky_guess")
