"""Peel chains: followed to their end, whatever the end is."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tracing_helpers import make_ledger, reference

from course.tracing.ledger import read_csv
from course.tracing.peel import chain_starts, follow, peel_step_mask

DAY4 = Path(__file__).resolve().parents[2] / "source" / "day4-tracing-money" / "data"

STEPS = [
    ("fund", [("", "bc1qsrc", 10_000_000)], [("bc1qp0", 10_000_000)]),
    ("s1", [("fund:0", "bc1qp0", 10_000_000)], [("1buyer1", 1_000_000), ("bc1qp1", 8_999_000)]),
    ("s2", [("s1:1", "bc1qp1", 8_999_000)], [("bc1qp2", 7_998_000), ("1buyer2", 1_000_000)]),
    ("s3", [("s2:0", "bc1qp2", 7_998_000)], [("1buyer3", 2_000_000), ("bc1qp3", 5_997_000)]),
]
SWEEP = ("end", [("s3:1", "bc1qp3", 5_997_000)], [("3Exchange", 5_996_000)])


def test_to_the_sweep():
    chain = follow(make_ledger(*STEPS, SWEEP), "s1")
    assert chain.txids == ["s1", "s2", "s3", "end"]
    assert chain.peels == [("1buyer1", 1_000_000), ("1buyer2", 1_000_000),
                           ("1buyer3", 2_000_000)]
    assert (chain.end, chain.final_address, chain.final_value) == ("sweep", "3Exchange",
                                                                   5_996_000)
    assert chain.peeled == 4_000_000 and len(chain) == 4
    finding = chain.finding()
    assert finding.subject == ("s1", "3Exchange") and finding.confidence == pytest.approx(0.7)


def test_stops_at_a_known_service_and_at_the_hop_limit():
    ledger = make_ledger(*STEPS, SWEEP)
    at_service = follow(ledger, "s1", services={"bc1qp2"})
    assert (at_service.txids, at_service.end, at_service.final_address) == (
        ["s1", "s2"], "service", "bc1qp2")
    limited = follow(ledger, "s1", max_hops=2)
    assert (limited.txids, limited.end) == (["s1", "s2"], "max_hops")


def test_unspent_merged_and_coinjoin_ends():
    unspent = follow(make_ledger(*STEPS), "s1")
    assert (unspent.end, unspent.final_address, len(unspent)) == ("unspent", "bc1qp3", 3)
    merge = ("m", [("s3:1", "bc1qp3", 5_997_000), ("", "bc1qelse", 1_000)],
             [("bc1qall", 5_990_000)])
    assert follow(make_ledger(*STEPS, merge), "s1").end == "merged"
    mix = ("cj", [("s3:1", "bc1qp3", 5_997_000)] + [("", f"bc1qo{n}", 5_000_300)
                                                    for n in range(4)],
           [(f"bc1qm{n}", 5_000_000) for n in range(5)] + [("bc1qrest", 990_000)])
    assert follow(make_ledger(*STEPS, mix), "s1").end == "coinjoin"


def test_chain_starts():
    ledger = make_ledger(*STEPS, SWEEP)
    assert peel_step_mask(ledger).tolist() == [False, True, True, True, False]
    assert chain_starts(ledger, min_length=3) == ["s1"]
    assert chain_starts(ledger, min_length=4) == []


def test_day4_chain_as_the_reference_follows_it():
    tables = {n: pd.read_csv(DAY4 / f"{n}.csv", keep_default_na=False)
              for n in ("inputs", "outputs")}
    start = pd.read_json(DAY4 / "questions.json", typ="series")["peel_chain_start_txid"]
    expected = reference().peel_chain(tables, start)
    chain = follow(read_csv(DAY4), start)
    assert chain.txids == expected and chain.end == "sweep"
    outs = tables["outputs"]
    assert chain.final_address == outs[outs.txid == expected[-1]].address.iloc[0]
