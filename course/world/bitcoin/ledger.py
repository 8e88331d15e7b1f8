"""The ledger engine: blocks, coinbases, and transactions built from wallets.

:class:`Ledger` keeps the state of the chain (the current block and the
outputs waiting to confirm) and turns "this wallet pays these amounts" into a
real :class:`course.chain.tx.Transaction`: it picks coins, sizes the
transaction from its actual serialization, charges ``fee rate x vsize``,
returns change, and hands a :class:`TxRecord` to a sink. The rules of a
valid ledger hold by construction and are checked again by the tests:

* inputs = outputs + fee (a coinbase creates subsidy + the block's fees);
* an output is spent at most once, and only after its block (coinbases
  only after 100 blocks);
* the txid is the double SHA-256 of the serialization without witnesses.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from course.chain.tx import COINBASE_VOUT, NULL_TXID, Transaction, TxIn, TxOut, merkle_root, sha256d
from course.world.bitcoin.keys import Coin, Key, Wallet, unlocking_data

SUBSIDY = 312_500_000  # 3.125 BTC since the April 2024 halving
DUST = 546  # outputs below this are not relayed; such change goes to the fee
COINBASE_MATURITY = 100
WITNESS_MAGIC = bytes.fromhex("aa21a9ed")
RESERVED_VALUE = bytes(32)
POOL_TAG = b"/Tien Shan Pool/"


class LedgerError(RuntimeError):
    """The generator asked for something the ledger rules forbid."""


@dataclass(slots=True)
class TxRecord:
    """One transaction as the exporters and the ground truth see it."""

    txid: str
    wtxid: str
    height: int
    time: int
    kind: str
    payer: str  # owner of the inputs ("" for a coinbase, "*" when several)
    #: (prev_txid, prev_vout, address, value, owner)
    inputs: list[tuple[str, int, str, int, str]]
    #: (address, value, script_type, owner, is_change); OP_RETURN has address ""
    outputs: list[tuple[str, int, str, str, bool]]
    fee: int
    size: int
    weight: int
    raw: bytes
    keep: bool = False

    @property
    def vsize(self) -> int:
        """Virtual size in vbytes."""
        return -(-self.weight // 4)


class Sink(Protocol):
    """Receives each finished block, coinbase first."""

    def block(self, height: int, time: int, records: list[TxRecord]) -> None: ...


@dataclass(slots=True)
class Out:
    """An output to create: who gets it (None for OP_RETURN), and its script."""

    wallet: Wallet | None
    key: Key | None
    value: int
    change: bool = False
    script: bytes = b""


class Ledger:
    """Builds valid transactions block by block and streams them to ``sink``."""

    def __init__(self, sink: Sink, rng: random.Random) -> None:
        self.sink, self.rng = sink, rng
        self.height = self.time = 0
        self.block: list[TxRecord] = []
        self.pending: list[tuple[Wallet, Coin]] = []
        self.count = 0

    # -- blocks -------------------------------------------------------------
    def begin_block(self, height: int, time: int) -> None:
        """Start collecting transactions for the block at ``height``."""
        if height <= self.height:
            raise LedgerError("block heights must increase")
        self.height, self.time, self.block = height, time, []

    def end_block(self, miner: Wallet) -> None:
        """Close the block: add its coinbase, emit it, confirm its outputs."""
        fees = sum(r.fee for r in self.block)
        witness_root = merkle_root([NULL_TXID] + [r.wtxid for r in self.block])
        commitment = sha256d(bytes.fromhex(witness_root)[::-1] + RESERVED_VALUE)
        height_push = self.height.to_bytes(3, "little")
        nonce = hashlib.sha256(b"extranonce" + height_push).digest()[:8]
        script_sig = b"\x03" + height_push + b"\x08" + nonce + bytes([len(POOL_TAG)]) + POOL_TAG
        txin = TxIn(NULL_TXID, COINBASE_VOUT, script_sig, witness=[RESERVED_VALUE])
        key = miner.receive()
        outs = [
            Out(miner, key, SUBSIDY + fees),
            Out(None, None, 0, script=b"\x6a\x24" + WITNESS_MAGIC + commitment),
        ]
        coinbase = self._record(Transaction([txin], [], 2, 0), [], outs, "coinbase", "", 0, True)
        self.count += 1
        self.sink.block(self.height, self.time, [coinbase, *self.block])
        for wallet, coin in self.pending:
            wallet.coins[coin] = None
        self.pending = []

    # -- coins --------------------------------------------------------------
    def spendable(self, coin: Coin) -> bool:
        """Confirmed in an earlier block (and mature, for a coinbase)."""
        if coin.coinbase:
            return self.height - coin.height >= COINBASE_MATURITY
        return coin.height < self.height

    def select(self, wallet: Wallet, target: int, limit: int = 500) -> list[Coin]:
        """Oldest-first coins of ``wallet`` worth at least ``target`` (maybe fewer if short)."""
        chosen: list[Coin] = []
        total = 0
        for coin in wallet.coins:
            if not self.spendable(coin):
                continue
            chosen.append(coin)
            total += coin.value
            if total >= target or len(chosen) >= limit:
                break
        return chosen

    # -- transactions -------------------------------------------------------
    def transfer(
        self,
        payer: Wallet,
        payments: Sequence[tuple[Wallet, Key, int]],
        rate: float,
        kind: str,
        *,
        coins: list[Coin] | None = None,
        change_key: Key | None = None,
        sweep_to: tuple[Wallet, Key] | None = None,
        op_return: bytes | None = None,
        keep: bool = False,
    ) -> TxRecord | None:
        """``payer`` pays ``payments`` (wallet, key, sats); returns None if it cannot.

        With ``sweep_to`` all selected coins (default: all spendable) go, less
        the fee, to that one key and ``payments`` are paid beside it.
        """
        need = sum(v for _, _, v in payments)
        selected = coins is None and sweep_to is None
        if coins is None:
            if sweep_to is not None:
                coins = [c for c in payer.coins if self.spendable(c)][:400]
            else:
                estimate = int(rate * (60 + 34 * len(payments))) + 2000
                coins = self.select(payer, need + estimate)
        if not coins:
            return None
        if selected:  # the inputs' own fee may exceed the estimate: select once more
            short = need + math.ceil(rate * (60 + 34 * len(payments) + 150 * len(coins)))
            if sum(c.value for c in coins) < short:
                coins = self.select(payer, short)
        outs = [Out(w, k, v) for w, k, v in payments]
        if sweep_to is not None:
            rest = Out(sweep_to[0], sweep_to[1], 0, change=sweep_to[0] is payer and bool(payments))
        else:
            rest = Out(payer, change_key or payer.change(), 0, change=True)
        self.rng.shuffle(outs)
        outs.insert(self.rng.randrange(len(outs) + 1), rest)
        if op_return is not None:
            outs.insert(0, Out(None, None, 0, script=b"\x6a" + bytes([len(op_return)]) + op_return))
        total_in = sum(c.value for c in coins)
        tx = self._tx([(payer, c) for c in coins], outs)
        fee = math.ceil(rate * self._vsize(tx))
        rest.value = total_in - need - fee
        if rest.value < 0:
            return None
        if rest.value < DUST and sweep_to is None:
            outs = [o for o in outs if o is not rest]
            tx = self._tx([(payer, c) for c in coins], outs)
        else:
            tx.outputs[next(i for i, o in enumerate(outs) if o is rest)].value = rest.value
        fee = total_in - sum(o.value for o in outs)
        return self._commit(tx, [(payer, c) for c in coins], outs, kind, payer.owner, fee, keep)

    def multiparty(
        self, inputs: list[tuple[Wallet, Coin]], outs: list[Out], kind: str, keep: bool = False
    ) -> TxRecord:
        """A transaction whose inputs belong to several wallets (a CoinJoin)."""
        for _, coin in inputs:
            if not self.spendable(coin):
                raise LedgerError("coinjoin input not confirmed yet")
        fee = sum(c.value for _, c in inputs) - sum(o.value for o in outs)
        if fee < 0:
            raise LedgerError("coinjoin outputs exceed its inputs")
        owners = {w.owner for w, _ in inputs}
        payer = owners.pop() if len(owners) == 1 else "*"
        tx = self._tx(inputs, outs)
        return self._commit(tx, inputs, outs, kind, payer, fee, keep)

    def _tx(self, inputs: list[tuple[Wallet, Coin]], outs: list[Out]) -> Transaction:
        txins = []
        for _, coin in inputs:
            material = coin.txid.encode() + coin.vout.to_bytes(4, "little")
            script_sig, witness = unlocking_data(coin.key, material)
            txins.append(TxIn(coin.txid, coin.vout, script_sig, 0xFFFFFFFD, witness))
        txouts = [TxOut(o.value, o.key.script if o.key else o.script) for o in outs]
        return Transaction(txins, txouts, 2, 0)

    @staticmethod
    def _vsize(tx: Transaction) -> int:
        base = len(tx.serialize(include_witness=False))
        return -(-(3 * base + len(tx.serialize())) // 4)

    def _commit(
        self,
        tx: Transaction,
        inputs: list[tuple[Wallet, Coin]],
        outs: list[Out],
        kind: str,
        payer: str,
        fee: int,
        keep: bool,
    ) -> TxRecord:
        for wallet, coin in inputs:
            if not self.spendable(coin) or coin not in wallet.coins:
                raise LedgerError(f"{kind}: spends an output that is unconfirmed or already spent")
            del wallet.coins[coin]
        in_rows = [(c.txid, c.vout, c.key.address, c.value, w.owner) for w, c in inputs]
        record = self._record(tx, in_rows, outs, kind, payer, fee, keep)
        self.block.append(record)
        self.count += 1
        return record

    def _record(
        self,
        tx: Transaction,
        in_rows: list[tuple[str, int, str, int, str]],
        outs: list[Out],
        kind: str,
        payer: str,
        fee: int,
        keep: bool,
    ) -> TxRecord:
        tx.outputs = [TxOut(o.value, o.key.script if o.key else o.script) for o in outs]
        base = tx.serialize(include_witness=False)
        full = tx.serialize()
        txid = sha256d(base)[::-1].hex()
        wtxid = sha256d(full)[::-1].hex() if full != base else txid
        out_rows = []
        for vout, o in enumerate(outs):
            if o.key is None:
                out_rows.append(("", 0, "nulldata", "", False))
                continue
            out_rows.append((o.key.address, o.value, o.key.type, o.wallet.owner, o.change))
            coin = Coin(txid, vout, o.value, o.key, self.height, coinbase=kind == "coinbase")
            self.pending.append((o.wallet, coin))
        return TxRecord(
            txid,
            wtxid,
            self.height,
            self.time,
            kind,
            payer,
            in_rows,
            out_rows,
            fee,
            len(full),
            3 * len(base) + len(full),
            full,
            keep,
        )
