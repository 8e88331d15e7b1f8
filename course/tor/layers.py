"""Onion routing: three layers of real encryption over a 3-hop circuit.

While building a circuit, the client agrees on a secret key with each relay
(guard, middle, exit). To send a cell, it encrypts the cell first with the
exit's key, then the middle's, then the guard's: three layers. Each relay
removes one layer with its own key and passes the rest on. Only the exit,
after removing the last layer, finds a readable cell: the request and where
it goes.

Like Tor, this uses AES in counter mode (AES-CTR, from ``cryptography``) on
the 509-byte payload of a fixed-size cell, and a relay knows a cell is for
it when the "recognized" field is zero and the digest matches. (A whole Tor
cell is 514 bytes: a 4-byte circuit ID and a 1-byte command before the
payload; 512 bytes on link protocols older than version 4, whose circuit IDs
are 2 bytes: tor-spec 0.2 and 3.) Simplified: one fresh counter block per hop
and cell (Tor keeps one running stream per circuit), a header of 8 bytes
(Tor's relay header has 11, with a command and a stream ID), and the digest
is SHA-256 of the message only.

Examples
--------
>>> circuit = make_circuit(seed=1)
>>> cell = wrap(b"GET / HTTP/1.1", circuit)
>>> for hop in circuit:
...     cell = peel(cell, hop)
>>> read_cell(cell)
b'GET / HTTP/1.1'
"""

from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass

import pandas as pd
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from course.messages import t

CELL_SIZE = 509  # bytes of payload in a Tor cell (the whole cell is 514: tor-spec 0.2)
HEADER_SIZE = 8  # recognized (2) + digest (4) + length (2)
MAX_MESSAGE = CELL_SIZE - HEADER_SIZE
ROLES = ("guard", "middle", "exit")

__all__ = ["Hop", "make_cell", "make_circuit", "peel", "peel_and_read", "read_cell", "relay_views",
           "trace", "wrap"]


@dataclass(frozen=True)
class Hop:
    """One relay of the circuit and the key the client shares with it."""

    name: str
    role: str
    key: bytes
    nonce: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.key, bytes) or len(self.key) not in (16, 32):
            raise ValueError(t("tor.layers.bad_key", length=_length(self.key)))
        if not isinstance(self.nonce, bytes) or len(self.nonce) != 16:
            raise ValueError(t("tor.layers.bad_nonce", length=_length(self.nonce)))


def _length(value: object) -> int | str:
    return len(value) if isinstance(value, (bytes, bytearray, str)) else type(value).__name__


def make_circuit(names: tuple[str, str, str] | list[str] = ("Guard", "Middle", "Exit"),
                 seed: int | None = None) -> list[Hop]:
    """Three hops with fresh AES-128 keys (from ``seed`` for a repeatable lab).

    Raises
    ------
    ValueError
        If ``names`` does not name exactly three relays.
    """
    names = list(names)
    if len(names) != 3:
        raise ValueError(t("tor.layers.bad_hops", count=len(names)))
    rng = random.Random(seed) if seed is not None else None

    def secret(size: int) -> bytes:
        return rng.randbytes(size) if rng is not None else os.urandom(size)

    return [Hop(str(name), role, secret(16), secret(16)) for name, role in
            zip(names, ROLES, strict=True)]


def _check_circuit(circuit: list[Hop]) -> list[Hop]:
    if len(circuit) != 3 or not all(isinstance(h, Hop) for h in circuit):
        raise ValueError(t("tor.layers.bad_hops", count=len(circuit)))
    return list(circuit)


def _ctr(hop: Hop, data: bytes) -> bytes:
    """AES-CTR with the hop's key: encrypting and decrypting are the same operation."""
    encryptor = Cipher(algorithms.AES(hop.key), modes.CTR(hop.nonce)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _digest(message: bytes) -> bytes:
    return hashlib.sha256(message).digest()[:4]


def _as_bytes(message: bytes | str) -> bytes:
    if isinstance(message, str):
        message = message.encode("utf-8")
    if not isinstance(message, (bytes, bytearray)):
        raise ValueError(t("tor.layers.not_bytes", kind=type(message).__name__))
    if len(message) > MAX_MESSAGE:
        raise ValueError(t("tor.layers.too_long", length=len(message), limit=MAX_MESSAGE))
    return bytes(message)


def _check_cell(cell: bytes) -> bytes:
    if not isinstance(cell, (bytes, bytearray)) or len(cell) != CELL_SIZE:
        raise ValueError(t("tor.layers.bad_cell", size=CELL_SIZE, length=_length(cell)))
    return bytes(cell)


def make_cell(message: bytes | str) -> bytes:
    """The plaintext cell: recognized = 0, digest, length, message, zero padding."""
    data = _as_bytes(message)
    header = b"\x00\x00" + _digest(data) + len(data).to_bytes(2, "big")
    return header + data + bytes(CELL_SIZE - HEADER_SIZE - len(data))


def read_cell(cell: bytes) -> bytes | None:
    """The message of a cell with no layer left, or None if it is still encrypted."""
    cell = _check_cell(cell)
    length = int.from_bytes(cell[6:8], "big")
    if cell[:2] != b"\x00\x00" or length > MAX_MESSAGE:
        return None
    message = cell[HEADER_SIZE:HEADER_SIZE + length]
    return message if _digest(message) == cell[2:6] else None


def wrap(message: bytes | str, circuit: list[Hop]) -> bytes:
    """Encrypt ``message`` for the circuit: exit layer first, guard layer last."""
    cell = make_cell(message)
    for hop in reversed(_check_circuit(circuit)):
        cell = _ctr(hop, cell)
    return cell


def peel(cell: bytes, hop: Hop) -> bytes:
    """Remove ``hop``'s layer (what that relay does to a cell it receives)."""
    return _ctr(hop, _check_cell(cell))


def trace(message: bytes | str, circuit: list[Hop]) -> pd.DataFrame:
    """The cell at each step from the client to the exit.

    Returns
    -------
    pandas.DataFrame
        One row per step: who holds the cell, how many layers are left, the
        first bytes in hex, whether that holder can read it, and the message
        ("" while it is still encrypted).
    """
    circuit = _check_circuit(circuit)
    cell = wrap(message, circuit)
    rows = [{"holder": t("tor.layers.client"), "layers_left": 3, "first_bytes": cell[:12].hex(" "),
             "can_read": False, "message": ""}]
    for left, hop in zip((2, 1, 0), circuit, strict=True):
        cell = peel(cell, hop)
        text = read_cell(cell)
        rows.append({
            "holder": f"{hop.name} ({t('tor.layers.role.' + hop.role)})",
            "layers_left": left,
            "first_bytes": cell[:12].hex(" "),
            "can_read": text is not None,
            "message": text.decode("utf-8", "replace") if text is not None else "",
        })
    return pd.DataFrame(rows)


def relay_views(circuit: list[Hop], client: str, destination: str) -> pd.DataFrame:
    """What each relay of the circuit learns: who sent the cell, where it goes next.

    Parameters
    ----------
    circuit
        The three hops.
    client
        The user's address (what the guard sees).
    destination
        Where the request goes (what the exit sees).
    """
    circuit = _check_circuit(circuit)
    previous = [client, circuit[0].name, circuit[1].name]
    following = [circuit[1].name, circuit[2].name, destination]
    return pd.DataFrame([
        {
            "relay": hop.name,
            "role": t(f"tor.layers.role.{hop.role}"),
            "receives_from": previous[i],
            "sends_to": following[i],
            "reads_content": hop.role == "exit",
            "learns": t(f"tor.layers.learns.{hop.role}"),
        }
        for i, hop in enumerate(circuit)
    ])


def peel_and_read(cell: bytes, hop: Hop) -> bytes:
    """Remove ``hop``'s layer and return the message, as an exit does.

    Raises
    ------
    ValueError
        If the cell is still encrypted after this layer (the hop is not the
        last one, or the key is wrong).
    """
    message = read_cell(peel(cell, hop))
    if message is None:
        raise ValueError(t("tor.layers.not_readable", relay=hop.name))
    return message
