"""Reference solution of the Tron answers (day 3), from the files alone.

Standard library and bip-utils only (never the course's Tron code): the
export is read as JSON, amounts as Decimal, addresses decoded by bip-utils.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bip_utils import TrxAddrDecoder
from world_reference import D3, Files

#: Tether's USDT TRC-20 contract (tether.to; Tronscan's token page)
USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"


def day3_tron(f: Files) -> dict[str, Any]:
    """The ``day3_tron_*`` answers."""
    questions = f.json(D3, "tron/questions.json")
    export = f.json(D3, "tron/trc20_transfers.json")
    wallet, exchanger = questions["wallet"], questions["exchanger_usdt_address"]
    usdt = [r for r in export["token_transfers"] if r["contract_address"] == USDT]
    (cashout,) = [r for r in usdt if r["from_address"] == wallet and r["to_address"] == exchanger]
    received = sum(Decimal(r["quant"]) for r in usdt if r["to_address"] == wallet)
    return {
        "day3_tron_wallet_hex": "41" + TrxAddrDecoder.DecodeAddr(wallet).hex(),
        "day3_tron_exchanger_txid": cashout["transaction_id"],
        "day3_tron_exchanger_usdt": float(Decimal(cashout["quant"]) / 10**6),
        "day3_tron_usdt_received": float(received / 10**6),
    }
