"""The columnar ledger: ids, offsets, spends, first sightings, types, formats in and out."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tracing_helpers import make_ledger

from course.tracing import change
from course.tracing.ledger import (
    SCRIPT_TYPES,
    address_types,
    build,
    from_explorer,
    load,
    read_csv,
    read_explorer,
    view,
)

REPO = Path(__file__).resolve().parents[2]
DAY3 = REPO / "source" / "day3-crypto-basics" / "data"
DAY4 = REPO / "source" / "day4-tracing-money" / "data"


@pytest.fixture
def small():
    return make_ledger(
        ("cb", [], [("bc1qminer", 5000)]),
        ("t1", [("cb:0", "bc1qminer", 5000)], [("1Alice", 3000), ("bc1qchange", 1900)]),
        ("t2", [("t1:0", "1Alice", 3000), ("t1:1", "bc1qchange", 1900)],
         [("3Bob", 4800), ("", 0)]),
    )


def test_ids_and_offsets(small):
    assert small.n_tx == 3
    assert sorted(small.address(i) for i in range(small.n_addresses)) == [
        "1Alice", "3Bob", "bc1qchange", "bc1qminer"]
    assert small.txid(small.tx_id("t2")) == "t2"
    assert small.in_start.tolist() == [0, 0, 1, 3]
    assert small.out_start.tolist() == [0, 1, 3, 5]
    assert small.address(-1) == ""
    assert small.tx_coinbase.tolist() == [True, False, False]


def test_spends_and_first_sightings(small):
    assert small.out_spent_by.tolist() == [1, 2, 2, -1, -1]
    first = {small.address(i): int(f) for i, f in enumerate(small.first_seen)}
    assert first == {"bc1qminer": 0, "1Alice": 1, "bc1qchange": 1, "3Bob": 2}


def test_input_types_come_from_the_spent_output(small):
    assert [SCRIPT_TYPES[k] for k in small.in_type] == ["p2wpkh", "p2pkh", "p2wpkh"]


def test_view_of_a_transaction(small):
    t1 = view(small, "t1")
    assert t1.fee == 100
    assert [(c.address, c.value) for c in t1.outputs] == [("1Alice", 3000), ("bc1qchange", 1900)]
    assert t1.outputs[0].next_shape == (2, 2)  # t2 spends it: 2 inputs, 2 outputs
    assert t1.outputs[0].seen_before is False
    t2 = view(small, 2)
    assert t2.outputs[1].next_shape is None and t2.outputs[1].script_type == "nulldata"
    assert view(small, "cb").coinbase and view(small, "cb").fee == 0


def test_unknown_names_give_one_line(small):
    with pytest.raises(KeyError, match="t9") as err:
        small.tx_id("t9")
    assert "\n" not in str(err.value)
    with pytest.raises(KeyError, match="1Nobody"):
        small.address_id("1Nobody")


def test_save_and_load_round_trip(small, tmp_path):
    path = small.save(tmp_path / "ledger.npz")
    again = load(path)
    for name in ("txids", "addresses", "in_tx", "in_addr", "in_value", "in_prev_tx",
                 "out_tx", "out_vout", "out_addr", "out_value", "out_type", "tx_coinbase"):
        assert np.array_equal(getattr(again, name), getattr(small, name)), name


def test_bad_tables_are_refused():
    tx = pd.DataFrame({"txid": ["a"], "block_height": [1], "is_coinbase": [0]})
    ins = pd.DataFrame({"txid": ["a"], "prev_txid": [""], "prev_vout": [0], "address": ["1A"]})
    outs = pd.DataFrame({"txid": ["b"], "vout": [0], "address": ["1B"], "value": [5],
                         "script_type": ["p2pkh"]})
    with pytest.raises(ValueError, match="value"):
        build(tx, ins, outs)
    with pytest.raises(ValueError, match="transactions table"):
        build(tx, ins.assign(value=5), outs)


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="transactions.csv"):
        read_csv(tmp_path)


def test_address_types_by_form():
    names = ["1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
             "bc1q" + "q" * 38, "bc1q" + "q" * 58, "bc1p" + "q" * 58, "nonsense"]
    kinds = [SCRIPT_TYPES[k] for k in address_types(np.array(names, dtype="S"))]
    assert kinds == ["p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr", "unknown"]


def test_day4_tables_read_as_the_csv_module_reads_them():
    ledger = read_csv(DAY4)
    with open(DAY4 / "transactions.csv", newline="") as f:
        assert ledger.n_tx == sum(1 for _ in csv.DictReader(f))
    with open(DAY4 / "inputs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(ledger.in_tx) == len(rows)
    assert int(ledger.in_value.sum()) == sum(int(r["value"]) for r in rows)
    assert ledger.n_addresses == len({r["address"] for r in rows} | {
        r["address"] for r in csv.DictReader(open(DAY4 / "outputs.csv", newline=""))
        if r["address"]})


ESPLORA = [
    {"txid": "aa", "status": {"confirmed": True, "block_height": 5},
     "vin": [{"is_coinbase": True, "txid": "0" * 64, "vout": 4294967295}],
     "vout": [{"scriptpubkey_address": "bc1qminer", "scriptpubkey_type": "v0_p2wpkh",
               "value": 1000}]},
    {"txid": "bb", "status": {"confirmed": False},
     "vin": [{"txid": "aa", "vout": 0, "is_coinbase": False,
              "prevout": {"scriptpubkey_address": "bc1qminer", "scriptpubkey_type": "v0_p2wpkh",
                          "value": 1000}}],
     "vout": [{"scriptpubkey_address": "bc1pkey", "scriptpubkey_type": "v1_p2tr", "value": 700},
              {"scriptpubkey_type": "op_return", "value": 0},
              {"scriptpubkey_address": "3Multi", "scriptpubkey_type": "p2sh", "value": 250}]},
]


def test_explorer_json_in_esplora_shape():
    ledger = from_explorer(ESPLORA)
    assert ledger.tx_coinbase.tolist() == [True, False]
    assert ledger.tx_height.tolist() == [5, -1]
    assert [SCRIPT_TYPES[k] for k in ledger.out_type] == ["p2wpkh", "p2tr", "nulldata", "p2sh"]
    assert ledger.out_spent_by.tolist() == [1, -1, -1, -1]
    assert view(ledger, "bb").fee == 50


def test_explorer_json_missing_fields():
    with pytest.raises(ValueError, match="Esplora"):
        from_explorer([{"txid": "cc", "vin": []}])


def test_day3_explorer_export_fees_match_the_explorer():
    ledger = read_explorer(DAY3 / "explorer")
    docs = [json.loads(p.read_text()) for p in sorted((DAY3 / "explorer").glob("*.json"))]
    assert ledger.n_tx == len(docs) > 0
    for doc in docs:
        assert view(ledger, doc["txid"]).fee == doc["fee"], doc["txid"]


def test_real_mainnet_transaction_in_esplora_shape():
    """The first P2TR spend on mainnet (block 709635), the day 3 fixture whose bytes are
    checked against its published txid in test_chain_mainnet.py."""
    doc = json.loads((REPO / "tests" / "lib" / "data" / "mainnet_txs.json").read_text())
    tx = doc["esplora"]["tx"]
    assert tx["txid"] == "33e794d097969002ee05d336686fc03c9e15a597c1b9827669460fac98799036"
    ledger = from_explorer([tx])
    real = view(ledger, tx["txid"])
    assert real.fee == 21250 == tx["fee"]  # 88,480 in, 67,230 out
    assert [c.script_type for c in real.inputs] == ["p2tr"]
    assert [(c.script_type, c.value) for c in real.outputs] == [("nulldata", 0), ("p2tr", 67230)]
    assert ledger.tx_height.tolist() == [709635]
    assert change.guess_change(real) is None  # one paying output: nothing to call change


def test_csv_parsed_once_then_read_from_the_cache(small, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("transactions", "inputs", "outputs"):
        (folder / f"{name}.csv").write_bytes((DAY4 / f"{name}.csv").read_bytes())
    cache = tmp_path / "ledger.cache"
    first = read_csv(folder, cache=cache)
    assert cache.is_file()
    small.save(cache)  # a different ledger in the cache, newer than the tables
    assert read_csv(folder, cache=cache).n_tx == small.n_tx == 3
    (folder / "inputs.csv").touch()  # a table newer than the cache: parsed again
    os.utime(cache, (1, 1))
    assert read_csv(folder, cache=cache).n_tx == first.n_tx
