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


def reference() -> ModuleType:
    """The test-side reference solutions (pandas and networkx) in tests/world/."""
    world = str(Path(__file__).resolve().parents[1] / "world")
    if world not in sys.path:
        sys.path.insert(0, world)
    return importlib.import_module("world_reference_chain")
