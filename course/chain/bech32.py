"""Bech32 (BIP173) and bech32m (BIP350): the encodings of segwit addresses.

A bech32 string is a human-readable part (``bc`` on mainnet, ``tb`` on
testnet), the separator ``1`` and data in a 32-character alphabet, ending in
a six-character BCH checksum that always detects up to four substituted
characters. Bech32 has one known weakness: when the string ends in ``p``,
inserting or deleting ``q`` characters just before that final ``p`` leaves
the checksum valid. Version 0 addresses (P2WPKH, P2WSH) are safe from it
only because their length is fixed at two values. Bech32m (BIP350) changes
just the constant the checksum is xor-ed with, which removes that weakness;
segwit version 1 and later (P2TR, taproot, and every future version) must
use it. A version 0 address in bech32m, or a later version in bech32, is
invalid, so software that only knows bech32 refuses a taproot address
instead of sending coins to a mangled one.

Every witness version 0-16 is a valid recipient (BIP350): versions 2-16 and
version 1 programs of lengths other than 32 bytes are not in use yet, but a
wallet must accept them, and an investigator can meet them in the ledger.

This follows the BIP reference code closely; the tests check it against
every test vector of BIP173 and BIP350 and against bip-utils.
"""

from __future__ import annotations

from enum import Enum

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_INDEX = {ch: i for i, ch in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
MAX_LENGTH = 90


class Bech32Error(ValueError):
    """A string is not valid bech32/bech32m or not a valid segwit address."""


class Variant(Enum):
    """The two checksum variants; the value is the constant of BIP173/BIP350."""

    BECH32 = 1
    BECH32M = 0x2BC830A3


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_GENERATOR):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _checksum(hrp: str, data: list[int], variant: Variant) -> list[int]:
    polymod = _polymod(_hrp_expand(hrp) + data + [0] * 6) ^ variant.value
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]


def bech32_encode(hrp: str, data: list[int], variant: Variant) -> str:
    """Encode 5-bit ``data`` under ``hrp`` with the checksum of ``variant``."""
    combined = data + _checksum(hrp, data, variant)
    return hrp + "1" + "".join(CHARSET[d] for d in combined)


def bech32_decode(text: str) -> tuple[str, list[int], Variant]:
    """Split a bech32/bech32m string into (hrp, 5-bit data, variant).

    Raises
    ------
    Bech32Error
        On mixed case, bad characters, bad length or a checksum that matches
        neither variant.
    """
    if any(ord(c) < 33 or ord(c) > 126 for c in text):
        raise Bech32Error("bech32 strings hold printable ASCII only")
    if text.lower() != text and text.upper() != text:
        raise Bech32Error("bech32 strings are all lower case or all upper case, never mixed")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text) or len(text) > MAX_LENGTH:
        raise Bech32Error("no human-readable part, or too short or too long for bech32")
    hrp, rest = text[:pos], text[pos + 1 :]
    try:
        data = [_INDEX[c] for c in rest]
    except KeyError as exc:
        raise Bech32Error(f"{exc.args[0]!r} is not a bech32 character") from None
    constant = _polymod(_hrp_expand(hrp) + data)
    for variant in Variant:
        if constant == variant.value:
            return hrp, data[:-6], variant
    raise Bech32Error("bech32 checksum mismatch: the address was mistyped or altered")


def convertbits(data: bytes | list[int], frombits: int, tobits: int, pad: bool = True) -> list[int]:
    """Regroup a sequence of ``frombits``-bit values into ``tobits``-bit values.

    Raises
    ------
    Bech32Error
        If the padding is invalid (when ``pad`` is False).
    """
    acc = bits = 0
    out: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value < 0 or value >> frombits:
            raise Bech32Error("value out of range while converting bits")
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        raise Bech32Error("invalid padding in bech32 data")
    return out


def segwit_encode(hrp: str, version: int, program: bytes) -> str:
    """Encode a segwit address: witness ``version`` 0 uses bech32, 1-16 bech32m (BIP350).

    Examples
    --------
    >>> segwit_encode("bc", 0, bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6"))
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'
    """
    variant = Variant.BECH32 if version == 0 else Variant.BECH32M
    address = bech32_encode(hrp, [version] + convertbits(program, 8, 5), variant)
    segwit_decode(hrp, address)  # refuse to produce what we would not accept
    return address


def segwit_decode(hrp: str, address: str) -> tuple[int, bytes]:
    """Decode a segwit address and check it against BIP173/BIP350 rules.

    Any witness version 0-16 is accepted, with a program of 2-40 bytes (20
    or 32 for version 0): versions not in use yet are valid recipients.

    Returns
    -------
    tuple
        ``(witness version, witness program bytes)``.

    Raises
    ------
    Bech32Error
        If the hrp differs, the checksum or variant is wrong, or the program
        length does not fit the version.
    """
    got_hrp, data, variant = bech32_decode(address)
    if got_hrp != hrp:
        raise Bech32Error(f"human-readable part {got_hrp!r}, expected {hrp!r}")
    if not data:
        raise Bech32Error("empty segwit data")
    version = data[0]
    program = bytes(convertbits(data[1:], 5, 8, pad=False))
    if version > 16:
        raise Bech32Error(f"witness version {version} does not exist")
    if not 2 <= len(program) <= 40:
        raise Bech32Error(f"witness program of {len(program)} bytes (2 to 40 allowed)")
    if version == 0 and len(program) not in (20, 32):
        raise Bech32Error("a version 0 program is 20 (P2WPKH) or 32 (P2WSH) bytes")
    expected = Variant.BECH32 if version == 0 else Variant.BECH32M
    if variant is not expected:
        raise Bech32Error(
            f"witness version {version} must use {expected.name.lower()}, "
            f"not {variant.name.lower()}"
        )
    return version, program
