"""The ledger as columns: transactions, inputs and outputs as numpy arrays of integer ids.

Tracing and clustering touch every input and output of the ledger, so the
tables are read once into flat arrays: a transaction is a number (its row in
``txids``), an address is a number (its row in ``addresses``), and each input
and output row holds numbers only. Rows are sorted by transaction, so the
inputs of transaction ``i`` are ``in_start[i]:in_start[i + 1]``.

Three ways in:

- :func:`read_csv`: day 4's ``transactions.csv``, ``inputs.csv``, ``outputs.csv``;
- :func:`from_explorer`: explorer JSON in the Esplora ``/api/tx/<txid>`` shape
  (blockstream.info, mempool.space), as exported from a real case;
- :func:`load`: the ``.npz`` file :meth:`Ledger.save` wrote (fast, for large ledgers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from course.messages import t

#: script types, by the code stored in ``out_type`` / ``in_type``
SCRIPT_TYPES: tuple[str, ...] = ("unknown", "p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr",
                                 "p2pk", "nulldata", "nonstandard")
_TYPE_CODE = {name: i for i, name in enumerate(SCRIPT_TYPES)}
#: Esplora's ``scriptpubkey_type`` names for the same types
ESPLORA_TYPES = {"p2pkh": "p2pkh", "p2sh": "p2sh", "v0_p2wpkh": "p2wpkh", "v0_p2wsh": "p2wsh",
                 "v1_p2tr": "p2tr", "p2pk": "p2pk", "op_return": "nulldata",
                 "multisig": "nonstandard", "unknown": "nonstandard", "empty": "nonstandard"}
_COLUMNS = {"transactions": ("txid", "block_height", "is_coinbase"),
            "inputs": ("txid", "prev_txid", "prev_vout", "address", "value"),
            "outputs": ("txid", "vout", "address", "value", "script_type")}
_ARRAYS = ("txids", "addresses", "tx_height", "tx_coinbase", "in_tx", "in_addr", "in_value",
           "in_prev_tx", "in_prev_vout", "out_tx", "out_vout", "out_addr", "out_value",
           "out_type")


@dataclass(eq=False)
class Ledger:
    """Columnar ledger; ids are row numbers of ``txids`` and ``addresses``.

    Attributes
    ----------
    txids, addresses
        Byte strings (``S64`` and ``S<n>``); -1 in an address column means no address.
    tx_height, tx_coinbase
        Per transaction: block height, coinbase flag.
    in_tx, in_addr, in_value, in_prev_tx, in_prev_vout
        Per input, sorted by transaction: its transaction, the address and value it
        spends, the transaction and output index it spends (-1 if outside the ledger).
    out_tx, out_vout, out_addr, out_value, out_type
        Per output, sorted by transaction and index; ``out_type`` codes :data:`SCRIPT_TYPES`.
    """

    txids: np.ndarray
    addresses: np.ndarray
    tx_height: np.ndarray
    tx_coinbase: np.ndarray
    in_tx: np.ndarray
    in_addr: np.ndarray
    in_value: np.ndarray
    in_prev_tx: np.ndarray
    in_prev_vout: np.ndarray
    out_tx: np.ndarray
    out_vout: np.ndarray
    out_addr: np.ndarray
    out_value: np.ndarray
    out_type: np.ndarray
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_tx(self) -> int:
        """Number of transactions."""
        return len(self.txids)

    @property
    def n_addresses(self) -> int:
        """Number of distinct addresses."""
        return len(self.addresses)

    @cached_property
    def in_start(self) -> np.ndarray:
        """Offsets: the inputs of transaction ``i`` are rows ``in_start[i]:in_start[i+1]``."""
        return np.searchsorted(self.in_tx, np.arange(self.n_tx + 1))

    @cached_property
    def out_start(self) -> np.ndarray:
        """Offsets: the outputs of transaction ``i`` are rows ``out_start[i]:out_start[i+1]``."""
        return np.searchsorted(self.out_tx, np.arange(self.n_tx + 1))

    @cached_property
    def in_type(self) -> np.ndarray:
        """Script type code of each input: the type of the output it spends, else from the
        address's form (1... p2pkh, 3... p2sh, bc1q... p2wpkh/p2wsh, bc1p... p2tr)."""
        kind = np.zeros(len(self.in_tx), dtype=np.int8)
        spent = self.out_row(self.in_prev_tx, self.in_prev_vout)
        kind[spent >= 0] = self.out_type[spent[spent >= 0]]
        by_form = address_types(self.addresses)
        rest = (kind == 0) & (self.in_addr >= 0)
        kind[rest] = by_form[self.in_addr[rest]]
        return kind

    @cached_property
    def out_spent_by(self) -> np.ndarray:
        """Per output: the transaction that spends it, -1 if none in the ledger."""
        spender = np.full(len(self.out_tx), -1, dtype=np.int64)
        rows = self.out_row(self.in_prev_tx, self.in_prev_vout)
        spender[rows[rows >= 0]] = self.in_tx[rows >= 0]
        return spender

    @cached_property
    def first_seen(self) -> np.ndarray:
        """Per address: the first transaction (in ledger order) paying to it, -1 if none."""
        first = np.full(self.n_addresses, np.iinfo(np.int64).max, dtype=np.int64)
        ok = self.out_addr >= 0
        np.minimum.at(first, self.out_addr[ok], self.out_tx[ok])
        first[first == np.iinfo(np.int64).max] = -1
        return first

    def out_row(self, tx: np.ndarray, vout: np.ndarray) -> np.ndarray:
        """Row of output ``(tx, vout)`` for each pair, -1 where the ledger has none."""
        tx, vout = np.asarray(tx, dtype=np.int64), np.asarray(vout, dtype=np.int64)
        if "out_keys" not in self._cache:  # sorted, as the rows are sorted by (tx, vout)
            width = int(self.out_vout.max(initial=0)) + 1
            self._cache["out_keys"] = (width, self.out_tx.astype(np.int64) * width
                                       + self.out_vout)
        width, keys = self._cache["out_keys"]
        ok = (tx >= 0) & (vout >= 0) & (vout < width)
        want = np.where(ok, tx * width + vout, -1)
        if not len(keys):
            return np.full(want.shape, -1, dtype=np.int64)
        pos = np.searchsorted(keys, want).clip(0, len(keys) - 1)
        found = ok & (keys[pos] == want)
        return np.where(found, pos, -1)

    def tx_id(self, txid: str) -> int:
        """Integer id of transaction ``txid`` (a one-line error if it is not in the ledger)."""
        index = self._index("tx", self.txids)
        try:
            return index[txid]
        except KeyError:
            raise KeyError(t("tracing.unknown_tx", txid=txid)) from None

    def address_id(self, address: str) -> int:
        """Integer id of ``address`` (a one-line error if no transaction of the ledger uses it)."""
        index = self._index("address", self.addresses)
        try:
            return index[address]
        except KeyError:
            raise KeyError(t("tracing.unknown_address", address=address)) from None

    def txid(self, i: int) -> str:
        """The txid of transaction id ``i``."""
        return self.txids[i].decode()

    def address(self, i: int) -> str:
        """The address of address id ``i`` (``""`` for -1: an output without an address)."""
        return self.addresses[i].decode() if i >= 0 else ""

    def _index(self, name: str, column: np.ndarray) -> dict[str, int]:
        if name not in self._cache:
            self._cache[name] = {v.decode(): i for i, v in enumerate(column.tolist())}
        return self._cache[name]

    def save(self, path: Path | str) -> Path:
        """Write the arrays to an uncompressed ``.npz`` file (read back with :func:`load`)."""
        path = Path(path)
        with open(path, "wb") as f:  # a file object: numpy adds no ".npz" to the name
            np.savez(f, **{name: getattr(self, name) for name in _ARRAYS})
        return path


@dataclass(frozen=True)
class Coin:
    """One input or output of a :class:`TxView`.

    Attributes
    ----------
    address, value, script_type
        Where it goes (``""`` for none), satoshis, script type name.
    seen_before
        Outputs: the address had received coins before this transaction.
    next_shape
        Outputs: ``(inputs, outputs)`` of the transaction that spends it, None if unspent.
    """

    address: str
    value: int
    script_type: str = "unknown"
    seen_before: bool = False
    next_shape: tuple[int, int] | None = None


@dataclass(frozen=True)
class TxView:
    """One transaction with what the heuristics look at; ``outputs[n]`` is output ``n``."""

    txid: str
    inputs: tuple[Coin, ...]
    outputs: tuple[Coin, ...]
    coinbase: bool = False

    @property
    def fee(self) -> int:
        """Inputs minus outputs, in satoshis (0 for a coinbase)."""
        return 0 if self.coinbase else sum(c.value for c in self.inputs) - sum(
            c.value for c in self.outputs)


def view(ledger: Ledger, tx: int | str) -> TxView:
    """The :class:`TxView` of transaction ``tx`` (integer id or txid)."""
    i = ledger.tx_id(tx) if isinstance(tx, str) else int(tx)
    a, b = ledger.in_start[i], ledger.in_start[i + 1]
    c, d = ledger.out_start[i], ledger.out_start[i + 1]
    ins = tuple(Coin(ledger.address(int(x)), int(v), SCRIPT_TYPES[k]) for x, v, k in zip(
        ledger.in_addr[a:b], ledger.in_value[a:b], ledger.in_type[a:b], strict=True))
    outs = []
    for row in range(c, d):
        x, spender = int(ledger.out_addr[row]), int(ledger.out_spent_by[row])
        shape = None if spender < 0 else (
            int(ledger.in_start[spender + 1] - ledger.in_start[spender]),
            int(ledger.out_start[spender + 1] - ledger.out_start[spender]))
        outs.append(Coin(ledger.address(x), int(ledger.out_value[row]),
                         SCRIPT_TYPES[ledger.out_type[row]],
                         seen_before=bool(x >= 0 and 0 <= ledger.first_seen[x] < i),
                         next_shape=shape))
    return TxView(ledger.txid(i), ins, tuple(outs), bool(ledger.tx_coinbase[i]))


def address_types(addresses: np.ndarray) -> np.ndarray:
    """Script type code of each address from its form (prefix and length), vectorised."""
    a = np.asarray(addresses, dtype="S")
    n = np.char.str_len(a)
    kind = np.zeros(len(a), dtype=np.int8)
    kind[np.char.startswith(a, b"1")] = _TYPE_CODE["p2pkh"]
    kind[np.char.startswith(a, b"3")] = _TYPE_CODE["p2sh"]
    segwit0 = np.char.startswith(a, b"bc1q")
    kind[segwit0 & (n == 42)] = _TYPE_CODE["p2wpkh"]
    kind[segwit0 & (n == 62)] = _TYPE_CODE["p2wsh"]
    kind[np.char.startswith(a, b"bc1p") & (n == 62)] = _TYPE_CODE["p2tr"]
    return kind


def build(tx_table: pd.DataFrame, inputs: pd.DataFrame, outputs: pd.DataFrame) -> Ledger:
    """A ledger from three tables with day 4's columns (see :data:`_COLUMNS`)."""
    for name, table in (("transactions", tx_table), ("inputs", inputs), ("outputs", outputs)):
        missing = [c for c in _COLUMNS[name] if c not in table.columns]
        if missing:
            raise ValueError(t("tracing.missing_columns", table=name, columns=", ".join(missing)))
    txids = tx_table["txid"].astype(str).to_numpy()
    tx_index = pd.Index(txids)
    if not tx_index.is_unique:
        raise ValueError(t("tracing.duplicate_tx"))
    in_addr_s = inputs["address"].astype(str).to_numpy()
    out_addr_s = outputs["address"].astype(str).to_numpy()
    codes, uniques = pd.factorize(np.concatenate([in_addr_s, out_addr_s]), sort=False)
    empty = np.flatnonzero(uniques == "")
    if len(empty):  # "" is no address: code -1, and the codes above it move down by one
        codes = np.where(codes == empty[0], -1, codes - (codes > empty[0]))
        uniques = np.delete(uniques, empty[0])
    in_addr, out_addr = codes[: len(inputs)], codes[len(inputs):]
    in_tx = tx_index.get_indexer(inputs["txid"].astype(str))
    out_tx = tx_index.get_indexer(outputs["txid"].astype(str))
    if (in_tx < 0).any() or (out_tx < 0).any():
        raise ValueError(t("tracing.orphan_rows"))
    prev_tx = tx_index.get_indexer(inputs["prev_txid"].astype(str))
    kinds = outputs["script_type"].astype(str).map(_TYPE_CODE).fillna(0).to_numpy(np.int8)
    coinbase = tx_table["is_coinbase"].astype(str).str.lower().isin(("1", "true"))
    in_order = np.argsort(in_tx, kind="stable")
    out_order = np.lexsort((outputs["vout"].to_numpy(), out_tx))
    return Ledger(
        txids=txids.astype("S64"), addresses=np.asarray(uniques, dtype="S"),
        tx_height=tx_table["block_height"].to_numpy(np.int64),
        tx_coinbase=coinbase.to_numpy(bool),
        in_tx=in_tx[in_order].astype(np.int32), in_addr=in_addr[in_order].astype(np.int32),
        in_value=inputs["value"].to_numpy(np.int64)[in_order],
        in_prev_tx=prev_tx[in_order].astype(np.int32),
        in_prev_vout=inputs["prev_vout"].to_numpy(np.int32)[in_order],
        out_tx=out_tx[out_order].astype(np.int32), out_addr=out_addr[out_order].astype(np.int32),
        out_vout=outputs["vout"].to_numpy(np.int32)[out_order],
        out_value=outputs["value"].to_numpy(np.int64)[out_order], out_type=kinds[out_order])


def read_csv(folder: Path | str, cache: Path | str | None = None) -> Ledger:
    """Read ``transactions.csv``, ``inputs.csv`` and ``outputs.csv`` of ``folder``.

    Parameters
    ----------
    cache
        An ``.npz`` file: read instead of the tables when it is newer than all
        three, else written after reading them (parse a large export once).

    Raises
    ------
    FileNotFoundError
        With a one-line message naming the missing table.
    """
    folder = Path(folder)
    paths = [folder / f"{name}.csv" for name in _COLUMNS]
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(t("tracing.missing_table", path=path))
    if cache is not None:
        cache = Path(cache)
        if cache.is_file() and cache.stat().st_mtime > max(p.stat().st_mtime for p in paths):
            return load(cache)
    ledger = _read_tables(folder)
    if cache is not None:
        ledger.save(cache)
    return ledger


def _read_tables(folder: Path) -> Ledger:
    tables = {}
    for name, columns in _COLUMNS.items():
        path = folder / f"{name}.csv"
        text = {c: str for c in ("txid", "prev_txid", "address", "script_type")}
        tables[name] = pd.read_csv(path, usecols=list(columns), keep_default_na=False,
                                   dtype={c: v for c, v in text.items() if c in columns})
    return build(tables["transactions"], tables["inputs"], tables["outputs"])


def load(path: Path | str) -> Ledger:
    """Read a ledger written by :meth:`Ledger.save`."""
    with np.load(Path(path)) as arrays:
        return Ledger(**{name: arrays[name] for name in _ARRAYS})


def from_explorer(transactions: Iterable[Mapping[str, Any]]) -> Ledger:
    """A ledger from explorer JSON documents (Esplora's ``/api/tx/<txid>`` shape).

    Each input's address, value and type come from its ``prevout``; unconfirmed
    transactions get height -1. Documents are kept in the order given.
    """
    txs, ins, outs = [], [], []
    for doc in transactions:
        try:
            txid, status = doc["txid"], doc.get("status") or {}
            coinbase = any(v.get("is_coinbase") for v in doc["vin"])
            txs.append({"txid": txid, "is_coinbase": coinbase,
                        "block_height": status.get("block_height", -1) or -1})
            for v in doc["vin"]:
                prev = v.get("prevout") or {}
                ins.append({"txid": txid, "prev_txid": v.get("txid") or "",
                            "prev_vout": v.get("vout", -1) if not v.get("is_coinbase") else -1,
                            "address": prev.get("scriptpubkey_address", ""),
                            "value": prev.get("value", 0)})
            for n, o in enumerate(doc["vout"]):
                outs.append({"txid": txid, "vout": n, "value": o["value"],
                             "address": o.get("scriptpubkey_address", ""),
                             "script_type": ESPLORA_TYPES.get(o.get("scriptpubkey_type", ""),
                                                              "nonstandard")})
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(t("tracing.bad_explorer", reason=exc)) from None
    frames = [pd.DataFrame(rows, columns=list(cols))
              for rows, cols in ((txs, _COLUMNS["transactions"]), (ins, _COLUMNS["inputs"]),
                                 (outs, _COLUMNS["outputs"]))]
    return build(*frames)


def read_explorer(folder: Path | str) -> Ledger:
    """A ledger from every ``*.json`` explorer document in ``folder`` (sorted by name)."""
    paths = sorted(Path(folder).glob("*.json"))
    if not paths:
        raise FileNotFoundError(t("tracing.no_explorer", folder=folder))
    docs = []
    for path in paths:
        try:
            docs.append(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            raise ValueError(t("data.bad_json", path=path, reason=exc)) from None
    return from_explorer(docs)
