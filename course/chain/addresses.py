"""Bitcoin addresses: make them from keys, decode, classify, and find them in text.

Four kinds of address cover almost everything an investigator meets:

========  ==========  ===========================  ============================
type      starts with  encoding                     locks coins to
========  ==========  ===========================  ============================
p2pkh     ``1``        Base58Check, version 0x00    HASH160 of a public key
p2sh      ``3``        Base58Check, version 0x05    HASH160 of a script (often
                                                    a wrapped P2WPKH)
p2wpkh    ``bc1q``     bech32, witness v0, 20 B     HASH160 of a public key
p2wsh     ``bc1q``     bech32, witness v0, 32 B     SHA-256 of a script
p2tr      ``bc1p``     bech32m, witness v1, 32 B    a (tweaked) x-only key
========  ==========  ===========================  ============================

A fifth type, ``witness_unknown`` (Bitcoin Core's name), covers segwit
versions not in use yet: version 2-16, or version 1 with a program that is
not 32 bytes (``bc1z...``, ``bc1s...``). BIP350 makes them valid
recipients, so they are valid addresses here too; nobody can spend from
them today, so coins sent there are most likely lost.

An address is only a human way to write the *scriptPubKey* of an output;
:func:`script_pubkey` and :func:`address_from_script` convert between them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from course.chain.base58 import Base58Error, b58check_decode, b58check_encode
from course.chain.bech32 import Bech32Error, segwit_decode, segwit_encode

P2PKH = "p2pkh"
P2SH = "p2sh"
P2WPKH = "p2wpkh"
P2WSH = "p2wsh"
P2TR = "p2tr"
#: a segwit version not in use yet (v2-v16, or v1 not 32 bytes): valid per BIP350
WITNESS_UNKNOWN = "witness_unknown"
#: ``p2sh`` addresses whose redeem script is a P2WPKH program (BIP49 wallets).
P2SH_P2WPKH = "p2sh-p2wpkh"
ADDRESS_TYPES: tuple[str, ...] = (P2PKH, P2SH, P2WPKH, P2WSH, P2TR, WITNESS_UNKNOWN)

MAINNET_HRP = "bc"
P2PKH_VERSION = 0x00
P2SH_VERSION = 0x05

# candidate tokens; validity is decided by decoding, never by the regex alone
_CANDIDATE = re.compile(r"\b(?:[13][1-9A-HJ-NP-Za-km-z]{24,40}|(?i:bc1[02-9ac-hj-np-z]{8,87}))\b")


class AddressError(ValueError):
    """A string is not a valid mainnet bitcoin address."""


@dataclass(frozen=True)
class Address:
    """A decoded address: its type and the hash or key it commits to.

    For ``witness_unknown`` the payload is the witness version byte followed
    by the program.
    """

    text: str
    type: str
    payload: bytes


def hash160(data: bytes) -> bytes:
    """RIPEMD-160 of SHA-256: the 20-byte hash in P2PKH, P2SH and P2WPKH."""
    return hashlib.new("ripemd160", hashlib.sha256(data).digest()).digest()


def _check_pubkey(pubkey: bytes) -> None:
    if len(pubkey) != 33 or pubkey[0] not in (2, 3):
        raise AddressError("expected a 33-byte compressed public key (starting 02 or 03)")


def p2pkh_address(pubkey: bytes) -> str:
    """Legacy address ``1...`` of a compressed public key."""
    _check_pubkey(pubkey)
    return b58check_encode(bytes([P2PKH_VERSION]) + hash160(pubkey))


def p2wpkh_redeem_script(pubkey: bytes) -> bytes:
    """The script ``OP_0 <20-byte key hash>`` that P2SH-P2WPKH wraps."""
    return b"\x00\x14" + hash160(pubkey)


def p2sh_p2wpkh_address(pubkey: bytes) -> str:
    """Nested segwit address ``3...`` (BIP49) of a compressed public key."""
    _check_pubkey(pubkey)
    return b58check_encode(bytes([P2SH_VERSION]) + hash160(p2wpkh_redeem_script(pubkey)))


def p2wpkh_address(pubkey: bytes) -> str:
    """Native segwit address ``bc1q...`` (BIP84) of a compressed public key."""
    _check_pubkey(pubkey)
    return segwit_encode(MAINNET_HRP, 0, hash160(pubkey))


def p2tr_address(output_key: bytes) -> str:
    """Taproot address ``bc1p...`` of a 32-byte x-only *output* key.

    The output key is the internal key tweaked by BIP341 (wallets do that;
    :mod:`course.chain.wallet` lets bip-utils do it); here it is just encoded.
    """
    if len(output_key) != 32:
        raise AddressError("a taproot output key is 32 bytes (x coordinate only)")
    return segwit_encode(MAINNET_HRP, 1, output_key)


def decode_address(text: str) -> Address:
    """Decode a mainnet address, verifying its checksum.

    Raises
    ------
    AddressError
        If ``text`` is not a valid mainnet P2PKH, P2SH or segwit (version
        0-16) address (bad checksum, wrong network, wrong length or variant ...).
    """
    text = text.strip()
    if text[:3].lower() == "bc1":
        try:
            version, program = segwit_decode(MAINNET_HRP, text)
        except Bech32Error as exc:
            raise AddressError(f"{text!r}: {exc}") from None
        if version == 0:
            return Address(text, P2WPKH if len(program) == 20 else P2WSH, program)
        if version == 1 and len(program) == 32:
            return Address(text, P2TR, program)
        return Address(text, WITNESS_UNKNOWN, bytes([version]) + program)
    try:
        payload = b58check_decode(text)
    except Base58Error as exc:
        raise AddressError(f"{text!r}: {exc}") from None
    if len(payload) != 21:
        raise AddressError(f"{text!r}: a Base58 address carries 21 bytes, not {len(payload)}")
    kinds = {P2PKH_VERSION: P2PKH, P2SH_VERSION: P2SH}
    if payload[0] not in kinds:
        raise AddressError(f"{text!r}: version byte {payload[0]:#04x} is not bitcoin mainnet")
    return Address(text, kinds[payload[0]], payload[1:])


def classify_address(text: str) -> str | None:
    """Return the address type (``"p2pkh"``, ``"p2tr"`` ...) or None if invalid.

    Examples
    --------
    >>> classify_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    'p2wpkh'
    >>> classify_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5") is None
    True
    """
    try:
        return decode_address(text).type
    except AddressError:
        return None


def is_valid_address(text: str) -> bool:
    """True if ``text`` is a valid mainnet address."""
    return classify_address(text) is not None


def extract_addresses(text: str) -> list[str]:
    """Find the valid mainnet addresses in free text, in order of first appearance.

    Candidates are found with a loose pattern and kept only if they decode
    with a correct checksum, so look-alikes, typos, testnet addresses and
    addresses of other coins are dropped.
    """
    found: dict[str, None] = {}
    for match in _CANDIDATE.finditer(text):
        if is_valid_address(match.group(0)):
            found.setdefault(match.group(0), None)
    return list(found)


def script_pubkey(address: str) -> bytes:
    """The locking script (scriptPubKey) an address stands for."""
    decoded = decode_address(address)
    h = decoded.payload
    if decoded.type == P2PKH:
        return b"\x76\xa9\x14" + h + b"\x88\xac"  # DUP HASH160 <h> EQUALVERIFY CHECKSIG
    if decoded.type == P2SH:
        return b"\xa9\x14" + h + b"\x87"  # HASH160 <h> EQUAL
    if decoded.type in (P2WPKH, P2WSH):
        return bytes([0, len(h)]) + h  # OP_0 <program>
    if decoded.type == WITNESS_UNKNOWN:
        return bytes([0x50 + h[0], len(h) - 1]) + h[1:]  # OP_n <program>
    return b"\x51\x20" + h  # OP_1 <32-byte key>


def script_type(script: bytes) -> str:
    """Classify a scriptPubKey: an address type, ``"nulldata"`` or ``"nonstandard"``."""
    n = len(script)
    if n == 25 and script[:3] == b"\x76\xa9\x14" and script[23:] == b"\x88\xac":
        return P2PKH
    if n == 23 and script[:2] == b"\xa9\x14" and script[22:] == b"\x87":
        return P2SH
    if n == 22 and script[:2] == b"\x00\x14":
        return P2WPKH
    if n == 34 and script[:2] == b"\x00\x20":
        return P2WSH
    if n == 34 and script[:2] == b"\x51\x20":
        return P2TR
    if 4 <= n <= 42 and 0x51 <= script[0] <= 0x60 and script[1] == n - 2:
        return WITNESS_UNKNOWN  # OP_1..OP_16 and a 2-40 byte program
    if n >= 1 and script[0] == 0x6A:
        return "nulldata"
    return "nonstandard"


def address_from_script(script: bytes) -> str | None:
    """The address of a scriptPubKey, or None for OP_RETURN and non-standard scripts."""
    kind = script_type(script)
    if kind == P2PKH:
        return b58check_encode(bytes([P2PKH_VERSION]) + script[3:23])
    if kind == P2SH:
        return b58check_encode(bytes([P2SH_VERSION]) + script[2:22])
    if kind in (P2WPKH, P2WSH):
        return segwit_encode(MAINNET_HRP, 0, script[2:])
    if kind in (P2TR, WITNESS_UNKNOWN):
        return segwit_encode(MAINNET_HRP, script[0] - 0x50, script[2:])
    return None
