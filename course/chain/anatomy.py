"""A raw transaction taken apart byte by byte: which bytes are which field.

:func:`tx_fields` walks the serialization the way :func:`course.chain.tx.parse_tx`
does, but records every field with its byte range, so a trainee can see that
``02000000`` is the version (little-endian 2), that ``0001`` after it marks a
segwit transaction, where each input's outpoint, script and sequence are, where
the witness sits (after the outputs, before the locktime) and which bytes the
txid hashes (all but the marker, flag and witness).
"""

from __future__ import annotations

from dataclasses import dataclass

from course.chain.addresses import address_from_script, script_type
from course.chain.tx import TxParseError, parse_tx
from course.messages import t

#: field kinds, in the order they appear (also the colours of the widget)
KINDS = ("version", "marker", "count", "outpoint", "script", "sequence", "value",
         "witness", "locktime")


@dataclass(frozen=True)
class Field:
    """One field of a serialized transaction.

    Attributes
    ----------
    name
        What it is, e.g. ``"input 0: previous txid"`` (in the course language).
    kind
        One of :data:`KINDS`.
    start, end
        Byte offsets in the raw transaction (``end`` excluded).
    hex
        The field's bytes as hex, as they stand in the transaction.
    note
        Its meaning: the decoded number, the txid in display order, the
        script's type and address ...
    in_txid
        False for the bytes the txid does not hash (marker, flag, witness).
    """

    name: str
    kind: str
    start: int
    end: int
    hex: str
    note: str
    in_txid: bool = True

    @property
    def size(self) -> int:
        """Length of the field in bytes."""
        return self.end - self.start


class _Walker:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos, self.fields = data, 0, []

    def take(self, n: int, name: str, kind: str, note: str = "", in_txid: bool = True) -> bytes:
        if self.pos + n > len(self.data):
            raise TxParseError(t("chain.tx.ends_early", wanted=n, offset=self.pos))
        chunk = self.data[self.pos:self.pos + n]
        self.fields.append(Field(name, kind, self.pos, self.pos + n, chunk.hex(), note, in_txid))
        self.pos += n
        return chunk

    def varint(self, name: str, in_txid: bool = True) -> int:
        if self.pos >= len(self.data):
            raise TxParseError(t("chain.tx.ends_early", wanted=1, offset=self.pos))
        first = self.data[self.pos]
        width = {0xFD: 3, 0xFE: 5, 0xFF: 9}.get(first, 1)
        raw = self.data[self.pos:self.pos + width]
        value = first if width == 1 else int.from_bytes(raw[1:], "little")
        self.take(width, name, "count", str(value), in_txid)
        return value


def _script_note(script: bytes) -> str:
    kind = script_type(script)
    address = address_from_script(script)
    return f"{kind} {address}" if address else kind


def tx_fields(raw: str | bytes) -> list[Field]:
    """Every field of a raw transaction with its byte range and meaning.

    Raises
    ------
    TxParseError
        If the text is not hex or the bytes are not exactly one transaction.

    Examples
    --------
    >>> fields = tx_fields("01000000" + "00" + "00" + "00000000")
    >>> [(f.kind, f.hex) for f in fields]
    [('version', '01000000'), ('count', '00'), ('count', '00'), ('locktime', '00000000')]
    """
    if isinstance(raw, str):
        text = "".join(raw.split())
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise TxParseError(t("chain.tx.not_hex")) from None
    parse_tx(raw)  # the same checks as the parser, with its messages
    w = _Walker(raw)
    version = int.from_bytes(w.take(4, t("chain.anatomy.version"), "version"), "little")
    w.fields[-1] = _with_note(w.fields[-1], str(version))
    segwit = raw[4:6] == b"\x00\x01"
    if segwit:
        w.take(2, t("chain.anatomy.marker"), "marker", t("chain.anatomy.marker_note"), False)
    n_in = w.varint(t("chain.anatomy.input_count"))
    for i in range(n_in):
        prev = w.take(32, t("chain.anatomy.prev_txid", i=i), "outpoint")
        w.fields[-1] = _with_note(w.fields[-1], prev[::-1].hex())
        vout = int.from_bytes(w.take(4, t("chain.anatomy.prev_vout", i=i), "outpoint"), "little")
        w.fields[-1] = _with_note(w.fields[-1], str(vout))
        length = w.varint(t("chain.anatomy.script_sig_length", i=i))
        if length:
            w.take(length, t("chain.anatomy.script_sig", i=i), "script")
        seq = int.from_bytes(w.take(4, t("chain.anatomy.sequence", i=i), "sequence"), "little")
        w.fields[-1] = _with_note(w.fields[-1], f"{seq:#010x}")
    n_out = w.varint(t("chain.anatomy.output_count"))
    for i in range(n_out):
        value = int.from_bytes(w.take(8, t("chain.anatomy.value", i=i), "value"), "little")
        w.fields[-1] = _with_note(w.fields[-1], f"{value} sat = {value / 1e8:.8f} BTC")
        length = w.varint(t("chain.anatomy.script_pubkey_length", i=i))
        script = w.take(length, t("chain.anatomy.script_pubkey", i=i), "script")
        w.fields[-1] = _with_note(w.fields[-1], _script_note(script))
    if segwit:
        for i in range(n_in):
            items = w.varint(t("chain.anatomy.witness_count", i=i), in_txid=False)
            for j in range(items):
                size = w.varint(t("chain.anatomy.witness_item_length", i=i, j=j), in_txid=False)
                if size:
                    w.take(size, t("chain.anatomy.witness_item", i=i, j=j), "witness", "", False)
    locktime = int.from_bytes(w.take(4, t("chain.anatomy.locktime"), "locktime"), "little")
    w.fields[-1] = _with_note(w.fields[-1], str(locktime))
    return w.fields


def _with_note(field: Field, note: str) -> Field:
    return Field(field.name, field.kind, field.start, field.end, field.hex, note, field.in_txid)


def txid_bytes(fields: list[Field]) -> bytes:
    """The bytes the txid hashes: every field but the marker, flag and witness."""
    return b"".join(bytes.fromhex(f.hex) for f in fields if f.in_txid)
