"""Tron addresses: the ``T...`` form of USDT (TRC-20) wallets, checked like bitcoin's.

A Tron account address is 21 bytes: the version byte ``0x41`` and the last
20 bytes of the Keccak-256 hash of the account's uncompressed public key (the
same 20 bytes an Ethereum address of that key has). Wallets and explorers
show it in **Base58Check** - the encoding of bitcoin's legacy addresses,
with the same 4-byte double SHA-256 checksum - which always gives 34
characters starting with ``T``; APIs and smart contracts use the **hex**
form, 42 hex digits starting with ``41``::

    hex     41a614f803b6fd780986a42c78ec9c7f77e6ded13c
    base58  TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t   (the USDT TRC-20 contract)

:func:`check_tron_address` says what is wrong with a string, part by part:
the alphabet, the length, the checksum or the version byte. A valid
checksum proves the address was copied right, not whose it is.

Sources: TRON developer documentation, "Accounts" (address format);
Tether's list of supported blockchains (the USDT TRC-20 contract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course.chain.base58 import (
    ALPHABET,
    CHECKSUM_LEN,
    Base58Error,
    b58check_encode,
    b58decode,
    sha256d,
)
from course.messages import t

TRON_VERSION = 0x41
#: characters of a Base58Check Tron address
ADDRESS_LENGTH = 34
#: bytes of the decoded address: version + 20-byte account id
PAYLOAD_LENGTH = 21
#: the USDT (Tether) TRC-20 token contract on Tron mainnet
USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"

#: the parts a check can blame
ALPHABET_PART = "alphabet"
LENGTH_PART = "length"
CHECKSUM_PART = "checksum"
VERSION_PART = "version"

_B58 = re.escape(ALPHABET)
_CANDIDATE = re.compile(rf"(?<![{_B58}])T[{_B58}]{{33}}(?![{_B58}])")
_HEX = re.compile(r"(?:0x)?41[0-9a-fA-F]{40}")


class TronAddressError(ValueError):
    """A string is not a valid Tron address; the message says which part is wrong."""


@dataclass(frozen=True)
class TronCheck:
    """The verdict on a Tron address.

    Attributes
    ----------
    text
        The string checked (stripped).
    valid
        True if it is a valid Tron mainnet address.
    part
        What is wrong: ``"alphabet"``, ``"length"``, ``"checksum"``,
        ``"version"`` or None when valid.
    reason
        One sentence for people (in the course language).
    hex
        The 21-byte address as 42 hex digits (``41...``) if it could be
        decoded, even when the checksum or version is wrong; else None.
    """

    text: str
    valid: bool
    part: str | None
    reason: str
    hex: str | None


def check_tron_address(text: str) -> TronCheck:
    """Check a Base58Check Tron address and say which part is wrong.

    Examples
    --------
    >>> check_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").valid
    True
    >>> check_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6a").part
    'checksum'
    """
    text = str(text).strip()
    bad = sorted({ch for ch in text if ch not in ALPHABET})
    if not text or bad:
        reason = t("chain.tron.alphabet", chars=" ".join(repr(c) for c in bad) or "''")
        return TronCheck(text, False, ALPHABET_PART, reason, None)
    try:
        raw = b58decode(text)
    except Base58Error:  # pragma: no cover - the alphabet was checked above
        return TronCheck(text, False, ALPHABET_PART, t("chain.tron.alphabet", chars="?"), None)
    if len(text) != ADDRESS_LENGTH or len(raw) != PAYLOAD_LENGTH + CHECKSUM_LEN:
        reason = t("chain.tron.length", length=len(text), expected=ADDRESS_LENGTH)
        return TronCheck(text, False, LENGTH_PART, reason, None)
    payload, checksum = raw[:PAYLOAD_LENGTH], raw[PAYLOAD_LENGTH:]
    if sha256d(payload)[:CHECKSUM_LEN] != checksum:
        reason = t("chain.tron.checksum", found=checksum.hex(),
                   expected=sha256d(payload)[:CHECKSUM_LEN].hex())
        return TronCheck(text, False, CHECKSUM_PART, reason, payload.hex())
    if payload[0] != TRON_VERSION:
        reason = t("chain.tron.version", version=f"{payload[0]:#04x}")
        return TronCheck(text, False, VERSION_PART, reason, payload.hex())
    return TronCheck(text, True, None, t("chain.tron.valid"), payload.hex())


def is_valid_tron_address(text: str) -> bool:
    """True if ``text`` is a valid Base58Check Tron mainnet address."""
    return check_tron_address(text).valid


def decode_tron_address(text: str) -> bytes:
    """The 21 bytes (``0x41`` + account id) of a valid Tron address.

    Raises
    ------
    TronAddressError
        With the reason: alphabet, length, checksum or version.
    """
    verdict = check_tron_address(text)
    if not verdict.valid:
        raise TronAddressError(f"{verdict.text!r}: {verdict.reason}")
    return bytes.fromhex(verdict.hex or "")


def tron_base58_to_hex(text: str) -> str:
    """The hex form (``41`` + 40 hex digits, lower case) of a Base58Check Tron address.

    Examples
    --------
    >>> tron_base58_to_hex("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'
    """
    return decode_tron_address(text).hex()


def tron_hex_to_base58(hex_address: str) -> str:
    """The ``T...`` form of a hex Tron address (``41...``, an optional ``0x`` allowed).

    Raises
    ------
    TronAddressError
        If the text is not 21 bytes of hex starting with the version byte 0x41.
    """
    text = str(hex_address).strip()
    digits = text[2:] if text[:2].lower() == "0x" else text
    try:
        payload = bytes.fromhex(digits)
    except ValueError:
        raise TronAddressError(t("chain.tron.hex_not_hex", text=text)) from None
    if len(payload) != PAYLOAD_LENGTH:
        raise TronAddressError(t("chain.tron.hex_length", text=text, length=len(payload)))
    if payload[0] != TRON_VERSION:
        raise TronAddressError(t("chain.tron.version", version=f"{payload[0]:#04x}"))
    return b58check_encode(payload)


def tron_address_from_account_id(account_id: bytes) -> str:
    """The ``T...`` address of a 20-byte account id (the last 20 bytes of a key's Keccak-256)."""
    if len(account_id) != PAYLOAD_LENGTH - 1:
        raise TronAddressError(t("chain.tron.hex_length", text=account_id.hex(),
                                 length=len(account_id) + 1))
    return b58check_encode(bytes([TRON_VERSION]) + account_id)


def tron_address_from_pubkey(pubkey: bytes) -> str:
    """The Tron address of a secp256k1 public key (compressed or not).

    The account id is the last 20 bytes of Keccak-256 of the 64-byte
    uncompressed key (x and y, without the ``04`` prefix); the elliptic-curve
    and Keccak work is left to bip-utils.
    """
    from bip_utils import Kekkak256, Secp256k1PublicKey

    try:
        key = Secp256k1PublicKey.FromBytes(bytes(pubkey))
    except (ValueError, TypeError):
        raise TronAddressError(t("chain.tron.bad_pubkey")) from None
    digest = Kekkak256.QuickDigest(key.RawUncompressed().ToBytes()[1:])
    return tron_address_from_account_id(digest[-20:])


def extract_tron_addresses(text: str) -> list[str]:
    """The valid Tron addresses in free text, in order of first appearance.

    Candidates are 34-character ``T...`` Base58 tokens; only those with a
    correct checksum and version are kept, so typos and look-alikes drop out.
    """
    found: dict[str, None] = {}
    for match in _CANDIDATE.finditer(text):
        if is_valid_tron_address(match.group(0)):
            found.setdefault(match.group(0), None)
    return list(found)


def looks_like_tron_hex(text: str) -> bool:
    """True if ``text`` has the shape of a hex Tron address (``41`` + 40 hex digits)."""
    return _HEX.fullmatch(str(text).strip()) is not None
