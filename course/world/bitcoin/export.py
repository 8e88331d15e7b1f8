"""Streaming the ledger out: flat CSV tables, explorer-style JSON, and what the key needs.

:class:`LedgerSink` receives each finished block and writes its rows at
once, so a million-transaction ledger never sits in memory as objects. It
also keeps the ground truth it sees (owner of every address, true change
outputs) and the two common-input clusterings (naive, and skipping
CoinJoins) the answer key needs.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from course.chain.addresses import classify_address, script_pubkey
from course.chain.tx import merkle_root, parse_tx
from course.world.bitcoin.ledger import TxRecord
from course.world.bitcoin.simulate import iso

TX_COLUMNS = (
    "txid",
    "block_height",
    "block_time",
    "n_inputs",
    "n_outputs",
    "input_value",
    "output_value",
    "fee",
    "size",
    "vsize",
    "is_coinbase",
)
INPUT_COLUMNS = ("txid", "index", "prev_txid", "prev_vout", "address", "value")
OUTPUT_COLUMNS = ("txid", "vout", "address", "value", "script_type")
BLOCK_COLUMNS = ("height", "time", "tx_count", "merkle_root")
COINJOIN_MIN_EQUAL = 5
#: esplora's names of output types
ESPLORA_TYPES = {
    "p2pkh": "p2pkh",
    "p2sh": "p2sh",
    "p2wpkh": "v0_p2wpkh",
    "p2tr": "v1_p2tr",
    "nulldata": "op_return",
}


def looks_like_coinjoin(n_inputs: int, values: list[int]) -> bool:
    """The day-4 rule: at least 5 inputs and at least 5 outputs of one identical value."""
    if n_inputs < COINJOIN_MIN_EQUAL:
        return False
    counts = Counter(v for v in values if v > 0)
    return bool(counts) and max(counts.values()) >= COINJOIN_MIN_EQUAL


class UnionFind:
    """Disjoint sets of addresses (path halving, union by size)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.size: dict[str, int] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        if x not in parent:
            parent[x], self.size[x] = x, 1
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def cluster_size(self, x: str) -> int:
        """Number of addresses in the set of ``x`` (1 if never linked)."""
        return self.size[self.find(x)] if x in self.parent else 1


class LedgerSink:
    """Writes blocks as CSV rows to text streams and gathers ground truth.

    Parameters
    ----------
    streams
        ``{"transactions": f, "inputs": f, "outputs": f, "blocks": f}``.
    keep_all
        Keep every :class:`TxRecord` (the default world), not only those
        flagged ``keep`` (the story).
    """

    def __init__(self, streams: dict[str, TextIO], keep_all: bool = True) -> None:
        self.streams = streams
        self.keep_all = keep_all
        for name, cols in (
            ("transactions", TX_COLUMNS),
            ("inputs", INPUT_COLUMNS),
            ("outputs", OUTPUT_COLUMNS),
            ("blocks", BLOCK_COLUMNS),
        ):
            streams[name].write(",".join(cols) + "\n")
        self.kept: dict[str, TxRecord] = {}
        self.owner: dict[str, str] = {}
        self.change_outputs: list[str] = []
        self.naive = UnionFind()
        self.no_coinjoin = UnionFind()
        self.coinjoins: list[str] = []
        self.n_tx = self.n_in = self.n_out = 0

    def block(self, height: int, time: int, records: list[TxRecord]) -> None:
        """Write one block's rows (coinbase first)."""
        when = iso(time)
        tx_rows, in_rows, out_rows = [], [], []
        for r in records:
            total_in = sum(i[3] for i in r.inputs)
            total_out = sum(o[1] for o in r.outputs)
            tx_rows.append(
                f"{r.txid},{height},{when},{len(r.inputs)},{len(r.outputs)},{total_in},"
                f"{total_out},{r.fee},{r.size},{r.vsize},{int(r.kind == 'coinbase')}\n"
            )
            for n, (prev, vout, address, value, _owner) in enumerate(r.inputs):
                in_rows.append(f"{r.txid},{n},{prev},{vout},{address},{value}\n")
            others = any(o[3] != r.payer for o in r.outputs if o[0])
            for n, (address, value, kind, owner, change) in enumerate(r.outputs):
                out_rows.append(f"{r.txid},{n},{address},{value},{kind}\n")
                if address:
                    self.owner[address] = owner
                if change and others:
                    self.change_outputs.append(f"{r.txid}:{n}")
            for _, _, address, _, owner in r.inputs:
                self.owner[address] = owner
            if len(r.inputs) > 1:
                first = r.inputs[0][2]
                coinjoin = looks_like_coinjoin(len(r.inputs), [o[1] for o in r.outputs])
                if coinjoin:
                    self.coinjoins.append(r.txid)
                for i in r.inputs[1:]:
                    self.naive.union(first, i[2])
                    if not coinjoin:
                        self.no_coinjoin.union(first, i[2])
            if self.keep_all or r.keep:
                self.kept[r.txid] = r
        self.streams["transactions"].write("".join(tx_rows))
        self.streams["inputs"].write("".join(in_rows))
        self.streams["outputs"].write("".join(out_rows))
        root = merkle_root([r.txid for r in records])
        self.streams["blocks"].write(f"{height},{when},{len(records)},{root}\n")
        self.n_tx += len(records)
        self.n_in += sum(len(r.inputs) for r in records)
        self.n_out += sum(len(r.outputs) for r in records)


def explorer_json(record: TxRecord) -> dict[str, Any]:
    """A transaction as a block explorer's ``/tx/<txid>`` API shows it (esplora-like)."""
    tx = parse_tx(record.raw)
    vin = []
    for txin, (prev, vout, address, value, _owner) in zip(tx.inputs, record.inputs, strict=False):
        vin.append(
            {
                "txid": prev,
                "vout": vout,
                "is_coinbase": False,
                "prevout": {
                    "scriptpubkey": script_pubkey(address).hex(),
                    "scriptpubkey_type": ESPLORA_TYPES[classify_address(address) or "p2sh"],
                    "scriptpubkey_address": address,
                    "value": value,
                },
                "scriptsig": txin.script_sig.hex(),
                "witness": [w.hex() for w in txin.witness],
                "sequence": txin.sequence,
            }
        )
    if record.kind == "coinbase":
        txin = tx.inputs[0]
        vin = [
            {
                "txid": txin.prev_txid,
                "vout": txin.prev_vout,
                "is_coinbase": True,
                "prevout": None,
                "scriptsig": txin.script_sig.hex(),
                "witness": [w.hex() for w in txin.witness],
                "sequence": txin.sequence,
            }
        ]
    vout = []
    for txout, (address, value, kind, _owner, _change) in zip(
        tx.outputs, record.outputs, strict=True
    ):
        item = {
            "scriptpubkey": txout.script_pubkey.hex(),
            "scriptpubkey_type": ESPLORA_TYPES[kind],
            "value": value,
        }
        if address:
            item["scriptpubkey_address"] = address
        vout.append(item)
    return {
        "txid": record.txid,
        "version": tx.version,
        "locktime": tx.locktime,
        "vin": vin,
        "vout": vout,
        "size": record.size,
        "weight": record.weight,
        "fee": record.fee,
        "status": {"confirmed": True, "block_height": record.height, "block_time": record.time},
    }


def dump_json(obj: object) -> str:
    """Stable, readable JSON text."""
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
