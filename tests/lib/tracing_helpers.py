"""Tiny hand-made ledgers for the tracing tests."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd

from course.tracing.ledger import Ledger, build


def _kind(address: str) -> str:
    if not address:
        return "nulldata"
    if address.startswith("bc1p"):
        return "p2tr"
    if address.startswith("bc1q"):
        return "p2wpkh"
    return {"1": "p2pkh", "3": "p2sh"}.get(address[0], "nonstandard")


def make_ledger(*txs: tuple) -> Ledger:
    """A ledger from ``(txid, inputs, outputs)`` tuples, in ledger order.

    ``inputs``: ``(spent "txid:vout" or "", address, value)``; no inputs makes a
    coinbase. ``outputs``: ``(address, value)`` or ``(address, value, script_type)``
    (the type defaults to the address's form). Block heights count up from 100.
    """
    t, i, o = [], [], []
    for n, (txid, ins, outs) in enumerate(txs):
        t.append({"txid": txid, "block_height": 100 + n, "is_coinbase": int(not ins)})
        for prev, address, value in ins:
            ptx, _, pv = prev.partition(":")
            i.append({"txid": txid, "prev_txid": ptx, "prev_vout": int(pv) if pv else -1,
                      "address": address, "value": value})
        for v, (address, value, *kind) in enumerate(outs):
            o.append({"txid": txid, "vout": v, "address": address, "value": value,
                      "script_type": kind[0] if kind else _kind(address)})
    return build(pd.DataFrame(t, columns=["txid", "block_height", "is_coinbase"]),
                 pd.DataFrame(i, columns=["txid", "prev_txid", "prev_vout", "address", "value"]),
                 pd.DataFrame(o, columns=["txid", "vout", "address", "value", "script_type"]))


def flow_ledger() -> Ledger:
    """Market money (src) and clean money (clean) merged in one transaction (mix),
    then one hop to an exchange-like address: the flow the graph and taint tests share."""
    return make_ledger(
        ("src", [("", "bc1qmarket", 1000)], [("bc1qv", 600), ("bc1qother", 390)]),
        ("clean", [("", "bc1qc", 400)], [("bc1qw", 400)]),
        ("mix", [("src:0", "bc1qv", 600), ("clean:0", "bc1qw", 400)],
         [("bc1qd1", 500), ("bc1qd2", 490)]),
        ("hop2", [("mix:1", "bc1qd2", 490)], [("3Exch", 480)]),
    )


def reference() -> ModuleType:
    """The test-side reference solutions (pandas and networkx) in tests/world/."""
    world = str(Path(__file__).resolve().parents[1] / "world")
    if world not in sys.path:
        sys.path.insert(0, world)
    return importlib.import_module("world_reference_chain")
