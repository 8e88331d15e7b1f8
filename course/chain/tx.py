"""Bitcoin transactions: structure, real serialization, txid, and parsing raw hex.

A transaction spends earlier outputs (its *inputs* point at them by txid and
output index) and creates new outputs (value in satoshis + locking script).
Whatever the inputs hold beyond the outputs is the miner's *fee*.

Two serializations exist since segwit (BIP141/BIP144)::

    legacy:  version | n_in | inputs | n_out | outputs | locktime
    segwit:  version | 00 01 | n_in | inputs | n_out | outputs | witnesses | locktime

The **txid** is the double SHA-256 of the *legacy* serialization (without
witnesses), written byte-reversed as hex; the wtxid hashes the full one. So
removing or changing signatures of a segwit transaction does not change its
txid. Integers are little-endian; counts and lengths are CompactSize varints.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from course.messages import t

#: the prevout of a coinbase input: no previous transaction
NULL_TXID = "00" * 32
COINBASE_VOUT = 0xFFFFFFFF
SEQUENCE_FINAL = 0xFFFFFFFF
WITNESS_SCALE = 4


class TxParseError(ValueError):
    """Raw bytes are not a well-formed transaction."""


def sha256d(data: bytes) -> bytes:
    """Double SHA-256."""
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def varint(n: int) -> bytes:
    """CompactSize encoding of a non-negative integer."""
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + n.to_bytes(2, "little")
    if n <= 0xFFFFFFFF:
        return b"\xfe" + n.to_bytes(4, "little")
    return b"\xff" + n.to_bytes(8, "little")


def _push_list(items: list[bytes]) -> bytes:
    return varint(len(items)) + b"".join(varint(len(i)) + i for i in items)


@dataclass(slots=True)
class TxIn:
    """An input: which output it spends, its unlocking script and witness."""

    prev_txid: str  # hex, display (byte-reversed) order, as explorers show it
    prev_vout: int
    script_sig: bytes = b""
    sequence: int = SEQUENCE_FINAL
    witness: list[bytes] = field(default_factory=list)

    @property
    def is_coinbase(self) -> bool:
        """True for the single input of a coinbase transaction."""
        return self.prev_txid == NULL_TXID and self.prev_vout == COINBASE_VOUT

    def serialize(self) -> bytes:
        """Outpoint, scriptSig and sequence (never the witness)."""
        return (
            bytes.fromhex(self.prev_txid)[::-1]
            + self.prev_vout.to_bytes(4, "little")
            + varint(len(self.script_sig))
            + self.script_sig
            + self.sequence.to_bytes(4, "little")
        )


@dataclass(slots=True)
class TxOut:
    """An output: a value in satoshis and the script that locks it."""

    value: int
    script_pubkey: bytes

    def serialize(self) -> bytes:
        """8-byte little-endian value, then the length-prefixed script."""
        return (
            self.value.to_bytes(8, "little") + varint(len(self.script_pubkey)) + self.script_pubkey
        )


@dataclass(slots=True)
class Transaction:
    """A bitcoin transaction.

    Examples
    --------
    >>> tx = Transaction(inputs=[TxIn("11" * 32, 0)], outputs=[TxOut(5000, b"\\x6a")])
    >>> parse_tx(tx.to_hex()).txid == tx.txid
    True
    """

    inputs: list[TxIn] = field(default_factory=list)
    outputs: list[TxOut] = field(default_factory=list)
    version: int = 2
    locktime: int = 0

    @property
    def has_witness(self) -> bool:
        """True if any input carries witness data (then the segwit format is used)."""
        return any(i.witness for i in self.inputs)

    @property
    def is_coinbase(self) -> bool:
        """True if this creates new coins (one input with a null prevout)."""
        return len(self.inputs) == 1 and self.inputs[0].is_coinbase

    def serialize(self, include_witness: bool = True) -> bytes:
        """The wire format; legacy if ``include_witness`` is False or no input has a witness."""
        segwit = include_witness and self.has_witness
        body = (
            varint(len(self.inputs))
            + b"".join(i.serialize() for i in self.inputs)
            + varint(len(self.outputs))
            + b"".join(o.serialize() for o in self.outputs)
        )
        head = self.version.to_bytes(4, "little")
        tail = self.locktime.to_bytes(4, "little")
        if not segwit:
            return head + body + tail
        witnesses = b"".join(_push_list(i.witness) for i in self.inputs)
        return head + b"\x00\x01" + body + witnesses + tail

    def to_hex(self) -> str:
        """The full serialization as hex, as ``getrawtransaction`` prints it."""
        return self.serialize().hex()

    @property
    def txid(self) -> str:
        """Double SHA-256 of the serialization *without* witness, byte-reversed hex."""
        return sha256d(self.serialize(include_witness=False))[::-1].hex()

    @property
    def wtxid(self) -> str:
        """Double SHA-256 of the full serialization, byte-reversed hex."""
        return sha256d(self.serialize())[::-1].hex()

    @property
    def size(self) -> int:
        """Bytes of the full serialization."""
        return len(self.serialize())

    @property
    def weight(self) -> int:
        """BIP141 weight: 3 x base size + total size."""
        return 3 * len(self.serialize(include_witness=False)) + self.size

    @property
    def vsize(self) -> int:
        """Virtual size in vbytes (weight / 4 rounded up): what fee rates are quoted in."""
        return -(-self.weight // WITNESS_SCALE)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise TxParseError(t("chain.tx.ends_early", wanted=n, offset=self.pos))
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def uint(self, n: int) -> int:
        return int.from_bytes(self.take(n), "little")

    def varint(self) -> int:
        first = self.uint(1)
        width = {0xFD: 2, 0xFE: 4, 0xFF: 8}.get(first)
        return self.uint(width) if width else first

    def blob(self) -> bytes:
        return self.take(self.varint())


def parse_tx(raw: str | bytes) -> Transaction:
    """Parse a raw transaction given as hex text or bytes.

    Raises
    ------
    TxParseError
        If the text is not hex or the bytes are not exactly one transaction.
    """
    if isinstance(raw, str):
        try:
            raw = bytes.fromhex("".join(raw.split()))
        except ValueError:
            raise TxParseError(t("chain.tx.not_hex")) from None
    r = _Reader(raw)
    version = r.uint(4)
    segwit = r.data[r.pos : r.pos + 2] == b"\x00\x01"
    if segwit:
        r.take(2)
    inputs = []
    for _ in range(r.varint()):
        prev = r.take(32)[::-1].hex()
        inputs.append(TxIn(prev, r.uint(4), r.blob(), r.uint(4)))
    outputs = [TxOut(r.uint(8), r.blob()) for _ in range(r.varint())]
    if segwit:
        for txin in inputs:
            txin.witness = [r.blob() for _ in range(r.varint())]
    locktime = r.uint(4)
    if r.pos != len(raw):
        raise TxParseError(t("chain.tx.left_over", count=len(raw) - r.pos))
    return Transaction(inputs, outputs, version, locktime)


def merkle_root(txids: list[str]) -> str:
    """Merkle root of a block's txids (display hex in, display hex out)."""
    if not txids:
        raise ValueError("a block has at least its coinbase transaction")
    level = [bytes.fromhex(t)[::-1] for t in txids]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0][::-1].hex()
