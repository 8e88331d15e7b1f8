"""Base58 and Base58Check: the encoding of legacy bitcoin addresses.

Base58 writes a byte string as a number in base 58, with an alphabet that
leaves out the look-alike characters ``0``, ``O``, ``I`` and ``l``. Each
leading zero byte becomes a leading ``1``. Base58Check appends the first four
bytes of the double SHA-256 of the payload as a checksum, so that a typo in a
copied address is caught (with probability 1 - 2**-32) instead of sending
money nowhere.

This is a small teaching implementation; the tests check it against
bip-utils.
"""

from __future__ import annotations

import hashlib

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
CHECKSUM_LEN = 4


class Base58Error(ValueError):
    """A string is not valid Base58 or its Base58Check checksum is wrong."""


def sha256d(data: bytes) -> bytes:
    """Double SHA-256, the hash bitcoin uses for checksums and txids."""
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def b58encode(data: bytes) -> str:
    """Encode bytes as Base58.

    Examples
    --------
    >>> b58encode(b"\\x00\\x00\\x01")
    '112'
    """
    number = int.from_bytes(data, "big")
    chars: list[str] = []
    while number:
        number, rem = divmod(number, 58)
        chars.append(ALPHABET[rem])
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + "".join(reversed(chars))


def b58decode(text: str) -> bytes:
    """Decode a Base58 string to bytes.

    Raises
    ------
    Base58Error
        If ``text`` holds a character outside the Base58 alphabet.
    """
    number = 0
    for ch in text:
        try:
            number = number * 58 + _INDEX[ch]
        except KeyError:
            raise Base58Error(
                f"{ch!r} is not a Base58 character (0, O, I and l never occur)"
            ) from None
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + body


def b58check_encode(payload: bytes) -> str:
    """Base58Check: Base58 of ``payload`` followed by its 4-byte checksum."""
    return b58encode(payload + sha256d(payload)[:CHECKSUM_LEN])


def b58check_decode(text: str) -> bytes:
    """Decode Base58Check and verify the checksum; return the payload.

    Raises
    ------
    Base58Error
        If the text is not Base58, too short, or the checksum does not match.
    """
    raw = b58decode(text)
    if len(raw) < CHECKSUM_LEN + 1:
        raise Base58Error("too short to carry a Base58Check checksum")
    payload, checksum = raw[:-CHECKSUM_LEN], raw[-CHECKSUM_LEN:]
    if sha256d(payload)[:CHECKSUM_LEN] != checksum:
        raise Base58Error("Base58Check checksum mismatch: the string was mistyped or altered")
    return payload
