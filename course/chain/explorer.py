"""Explorer JSON: transactions as Esplora (Blockstream, mempool.space) serve them.

``GET /api/tx/:txid`` of Esplora - the open-source explorer behind
blockstream.info and, extended, mempool.space - answers with ``txid``,
``version``, ``locktime``, ``vin`` (each with ``txid``, ``vout``, ``prevout``
{``scriptpubkey``, ``scriptpubkey_address``, ``scriptpubkey_type``,
``value``}, ``scriptsig``, ``witness``, ``sequence``, ``is_coinbase``),
``vout`` (``scriptpubkey``, ``scriptpubkey_address``, ``scriptpubkey_type``,
``value``), ``size``, ``weight``, ``fee`` and ``status``. mempool.space adds
fields (``sigops``, ``scriptsig_asm``, ``inner_redeemscript_asm`` ...), which
are ignored here.

The JSON carries every byte of the transaction, so :func:`tx_from_esplora`
rebuilds the real serialization and checks that its double SHA-256 is the
``txid`` the explorer claims: what the explorer shows can be verified, not
trusted. :func:`balances` adds up, per address, what a set of transactions
paid to it and spent from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from course.chain.tx import Transaction, TxIn, TxOut
from course.messages import t

#: Esplora's ``scriptpubkey_type`` names and the course's address types
ESPLORA_TYPES = {
    "p2pkh": "p2pkh",
    "p2sh": "p2sh",
    "v0_p2wpkh": "p2wpkh",
    "v0_p2wsh": "p2wsh",
    "v1_p2tr": "p2tr",
    "op_return": "nulldata",
    "p2pk": "p2pk",
    "multisig": "multisig",
    "unknown": "nonstandard",
}


class ExplorerError(ValueError):
    """Explorer JSON that is not a transaction, or whose bytes do not give its txid."""


def _hex(value: Any, where: str) -> bytes:
    try:
        return bytes.fromhex(value or "")
    except (TypeError, ValueError):
        raise ExplorerError(t("chain.explorer.bad_field", field=where)) from None


def tx_from_esplora(doc: Mapping[str, Any], check: bool = True) -> Transaction:
    """Rebuild the transaction of an Esplora ``/tx/:txid`` answer.

    Parameters
    ----------
    doc
        The decoded JSON object.
    check
        If True, the rebuilt transaction's txid must equal ``doc["txid"]``.

    Raises
    ------
    ExplorerError
        If a field is missing or malformed, or the txid does not match.
    """
    try:
        inputs = [
            TxIn(str(i["txid"]), int(i["vout"]), _hex(i.get("scriptsig"), "vin.scriptsig"),
                 int(i["sequence"]), [_hex(w, "vin.witness") for w in i.get("witness") or []])
            for i in doc["vin"]
        ]
        outputs = [TxOut(int(o["value"]), _hex(o["scriptpubkey"], "vout.scriptpubkey"))
                   for o in doc["vout"]]
        tx = Transaction(inputs, outputs, int(doc["version"]), int(doc["locktime"]))
    except (KeyError, TypeError) as exc:
        raise ExplorerError(t("chain.explorer.missing", field=str(exc).strip("'"))) from None
    if check and tx.txid != doc.get("txid"):
        raise ExplorerError(t("chain.explorer.txid_mismatch", claimed=doc.get("txid"),
                              computed=tx.txid))
    return tx


def read_explorer(source: str | Path | Mapping[str, Any] | Iterable[Any]) -> list[dict]:
    """Explorer transactions from a folder of ``*.json`` files, one file, one
    decoded object, or a list of them; sorted by txid, duplicates dropped."""
    if isinstance(source, Mapping):
        docs: list[Any] = [source]
    elif isinstance(source, (str, Path)):
        path = Path(source)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if not path.exists() or not files:
            raise ExplorerError(t("chain.explorer.no_files", path=str(path)))
        docs = []
        for file in files:
            try:
                loaded = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ExplorerError(t("chain.explorer.unreadable", path=str(file),
                                      reason=type(exc).__name__)) from None
            docs.extend(loaded if isinstance(loaded, list) else [loaded])
    else:
        docs = list(source)
    by_txid: dict[str, dict] = {}
    for doc in docs:
        if not isinstance(doc, Mapping) or "txid" not in doc or "vout" not in doc:
            raise ExplorerError(t("chain.explorer.not_tx"))
        by_txid[str(doc["txid"])] = dict(doc)
    return [by_txid[k] for k in sorted(by_txid)]


def fee(doc: Mapping[str, Any]) -> int:
    """Fee in satoshis: the spent outputs (``prevout`` values) minus the outputs."""
    if any(i.get("is_coinbase") for i in doc["vin"]):
        return 0
    spent = sum(int(i["prevout"]["value"]) for i in doc["vin"])
    return spent - sum(int(o["value"]) for o in doc["vout"])


def balances(txs: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Per address: satoshis received minus satoshis spent over ``txs``.

    An address that appears in the transactions with nothing left has balance
    0 (it is *used*); an address that never appears is not in the result.
    Spends are read from the inputs' ``prevout``, so a transaction that spends
    an output counts even if the transaction that created it is not in ``txs``.
    """
    result: dict[str, int] = {}
    for doc in txs:
        for vout in doc["vout"]:
            address = vout.get("scriptpubkey_address")
            if address:
                result[address] = result.get(address, 0) + int(vout["value"])
        for vin in doc["vin"]:
            prevout = vin.get("prevout") or {}
            address = prevout.get("scriptpubkey_address")
            if address:
                result[address] = result.get(address, 0) - int(prevout["value"])
    return result
