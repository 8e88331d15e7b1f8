"""What is this address, and if it is broken, which part is wrong?

:func:`inspect_address` recognises the address formats an investigator meets
on seized devices and in chats - bitcoin (Base58Check ``1...``/``3...``,
testnet ``m``/``n``/``2``, bech32/bech32m ``bc1``/``tb1``/``bcrt1``), Tron
(``T...``) and Ethereum-style (``0x`` + 40 hex digits, EIP-55 checksum) - and
says which part is wrong: the alphabet, the case, the length, the checksum,
the version byte or witness version, the checksum variant (bech32 where
bech32m is due) or the prefix.

For a checksum mismatch it also tries every single-character change: if
exactly one makes the address valid, that position is reported as the likely
typo. That is a lead to check against the source (a photo of the note, the
chat), never a correction to use as is.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from bip_utils import Kekkak256

from course.chain.base58 import ALPHABET as B58_ALPHABET
from course.chain.base58 import CHECKSUM_LEN, Base58Error, b58decode, sha256d
from course.chain.bech32 import Bech32Error, Variant, bech32_decode, convertbits
from course.messages import t

BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
#: bech32 prefixes (human-readable parts) of bitcoin's networks
HRP_NETWORKS = {"bc": "mainnet", "tb": "testnet", "bcrt": "regtest"}
#: Base58Check version bytes: (coin, network, type)
BASE58_VERSIONS = {
    0x00: ("bitcoin", "mainnet", "p2pkh"),
    0x05: ("bitcoin", "mainnet", "p2sh"),
    0x6F: ("bitcoin", "testnet", "p2pkh"),
    0xC4: ("bitcoin", "testnet", "p2sh"),
    0x41: ("tron", "mainnet", "account"),
}
PARTS = ("empty", "format", "alphabet", "case", "length", "checksum", "version", "variant",
         "prefix")
_ETH = re.compile(r"0[xX][0-9a-fA-F]{40}")
_BECH32_SHAPE = re.compile(r"[A-Za-z0-9]{1,83}1[A-Za-z0-9]{6,}")


@dataclass(frozen=True)
class AddressVerdict:
    """The inspector's verdict (plain data: see :meth:`to_dict`).

    ``valid`` means well formed with a correct checksum, on whatever network
    ``network`` names (a valid testnet address holds no real money). ``part``
    names what is wrong (one of :data:`PARTS`), None when valid. For a
    checksum mismatch with one likely typo, ``position`` (1-based character)
    and ``suggestion`` (the address with that character changed) are set.
    """

    address: str
    valid: bool
    coin: str | None
    type: str | None
    network: str | None
    encoding: str | None
    part: str | None
    reason: str
    payload_hex: str | None = None
    position: int | None = None
    suggestion: str | None = None

    def to_dict(self) -> dict:
        """The verdict as a plain dict (JSON data)."""
        return asdict(self)


def _bad(text: str, part: str, reason: str, **known: object) -> AddressVerdict:
    fields = {"coin": None, "type": None, "network": None, "encoding": None}
    fields.update(known)
    return AddressVerdict(text, False, part=part, reason=reason, **fields)  # type: ignore[arg-type]


def _segwit_type(version: int, size: int) -> str:
    if version == 0:
        return "p2wpkh" if size == 20 else "p2wsh"
    return "p2tr" if version == 1 and size == 32 else "witness_unknown"


def _segwit_problem(data: list[int], variant: Variant) -> tuple[str, str, int, bytes] | None:
    """``(part, reason, version, program)`` of what breaks BIP173/350 rules, or None."""
    if not data:
        return "length", t("chain.inspect.length_bech32"), 0, b""
    version = data[0]
    try:
        program = bytes(convertbits(data[1:], 5, 8, pad=False))
    except Bech32Error:
        return "length", t("chain.inspect.length_bech32"), version, b""
    if version > 16:
        return "version", t("chain.inspect.witness_version", version=version), version, program
    if not 2 <= len(program) <= 40 or (version == 0 and len(program) not in (20, 32)):
        expected = "20 / 32" if version == 0 else "2-40"
        reason = t("chain.inspect.length_program", count=len(program), version=version,
                   expected=expected)
        return "length", reason, version, program
    expected = Variant.BECH32 if version == 0 else Variant.BECH32M
    if variant is not expected:
        reason = t("chain.inspect.variant", version=version, expected=expected.name.lower(),
                   found=variant.name.lower())
        return "variant", reason, version, program
    return None


def _one_typo(text: str, start: int, alphabet: str, ok) -> tuple[int, str] | None:
    """The single (position, corrected text) among one-character changes that ``ok`` accepts."""
    found: list[tuple[int, str]] = []
    for i in range(start, len(text)):
        for ch in alphabet:
            if ch == text[i]:
                continue
            candidate = text[:i] + ch + text[i + 1:]
            if ok(candidate):
                found.append((i + 1, candidate))
                if len(found) > 1:
                    return None
    return found[0] if found else None


def _bech32_ok(candidate: str) -> bool:
    try:
        _hrp, data, variant = bech32_decode(candidate)
    except Bech32Error:
        return False
    return _segwit_problem(data, variant) is None


def _inspect_bech32(text: str) -> AddressVerdict:
    hrp = text[:text.rfind("1")].lower()
    network = HRP_NETWORKS.get(hrp)
    known = {"coin": "bitcoin" if network else None, "network": network, "encoding": "bech32"}
    try:
        hrp, data, variant = bech32_decode(text)
    except Bech32Error as exc:
        message = str(exc)
        if "mixed" in message or "never mixed" in message:
            return _bad(text, "case", t("chain.inspect.case"), **known)
        if "not a bech32 character" in message:
            chars = sorted({c for c in text[len(hrp) + 1:].lower() if c not in BECH32_CHARSET})
            return _bad(text, "alphabet", t("chain.inspect.alphabet_bech32",
                                             chars=" ".join(repr(c) for c in chars)), **known)
        if "checksum" in message:
            lower = text.lower()
            typo = _one_typo(lower, len(hrp) + 1, BECH32_CHARSET, _bech32_ok)
            if typo:
                position, suggestion = typo
                reason = t("chain.inspect.checksum_at", position=position,
                           found=lower[position - 1], suggestion=suggestion[position - 1])
                return AddressVerdict(text, False, part="checksum", reason=reason,
                                      position=position, suggestion=suggestion,
                                      type=None, **known)  # type: ignore[arg-type]
            return _bad(text, "checksum", t("chain.inspect.checksum"), **known)
        return _bad(text, "length", t("chain.inspect.length_bech32"), **known)
    if network is None:
        return _bad(text, "prefix", t("chain.inspect.prefix", hrp=hrp), encoding="bech32")
    known["encoding"] = variant.name.lower()
    problem = _segwit_problem(data, variant)
    if problem:
        part, reason, _version, _program = problem
        return _bad(text, part, reason, **known)
    version, program = data[0], bytes(convertbits(data[1:], 5, 8, pad=False))
    kind = _segwit_type(version, len(program))
    reason = t("chain.inspect.valid_bitcoin", network=network, type=kind,
               encoding=known["encoding"])
    return AddressVerdict(text, True, "bitcoin", kind, network, known["encoding"], None, reason,
                          bytes([version]).hex() + program.hex())


def _base58_ok(candidate: str) -> bool:
    try:
        raw = b58decode(candidate)
    except Base58Error:
        return False
    payload = raw[:-CHECKSUM_LEN]
    return (len(raw) == 25 and payload[0] in BASE58_VERSIONS
            and sha256d(payload)[:CHECKSUM_LEN] == raw[-CHECKSUM_LEN:])


def _inspect_base58(text: str) -> AddressVerdict:
    bad = sorted({c for c in text if c not in B58_ALPHABET})
    if bad:
        return _bad(text, "alphabet", t("chain.inspect.alphabet_base58",
                                         chars=" ".join(repr(c) for c in bad)),
                    encoding="base58check")
    raw = b58decode(text)
    guess = BASE58_VERSIONS.get(raw[0]) if raw else None
    known = {"coin": guess[0] if guess else None, "network": guess[1] if guess else None,
             "type": guess[2] if guess else None, "encoding": "base58check"}
    if len(raw) != 25:
        return _bad(text, "length", t("chain.inspect.length_base58", count=len(raw),
                                       length=len(text)), **known)
    payload, checksum = raw[:-CHECKSUM_LEN], raw[-CHECKSUM_LEN:]
    if sha256d(payload)[:CHECKSUM_LEN] != checksum:
        typo = _one_typo(text, 1, B58_ALPHABET, _base58_ok)
        if typo:
            position, suggestion = typo
            reason = t("chain.inspect.checksum_at", position=position, found=text[position - 1],
                       suggestion=suggestion[position - 1])
            return AddressVerdict(text, False, part="checksum", reason=reason,
                                  payload_hex=payload.hex(), position=position,
                                  suggestion=suggestion, **known)  # type: ignore[arg-type]
        return _bad(text, "checksum", t("chain.inspect.checksum"), payload_hex=payload.hex(),
                    **known)
    if guess is None:
        return _bad(text, "version", t("chain.inspect.version_base58",
                                        version=f"{payload[0]:#04x}"),
                    encoding="base58check", payload_hex=payload.hex())
    if guess[0] == "tron":
        reason = t("chain.inspect.valid_tron")
    else:
        reason = t("chain.inspect.valid_bitcoin", network=guess[1], type=guess[2],
                   encoding="base58check")
    return AddressVerdict(text, True, guess[0], guess[2], guess[1], "base58check", None, reason,
                          payload.hex())


def eip55(address_hex: str) -> str:
    """The EIP-55 mixed-case form of a 40-hex-digit Ethereum address (with ``0x``)."""
    lower = address_hex.lower().removeprefix("0x")
    digest = Kekkak256.QuickDigest(lower.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if int(digest[i], 16) >= 8 else c
                          for i, c in enumerate(lower))


def _inspect_eth(text: str) -> AddressVerdict:
    body = text[2:]
    known = {"coin": "ethereum", "type": "account", "network": None, "encoding": "hex (EIP-55)"}
    if body.lower() == body or body.upper() == body:
        return AddressVerdict(text, True, part=None, reason=t("chain.inspect.eth_no_checksum"),
                              payload_hex=body.lower(), **known)  # type: ignore[arg-type]
    if eip55(body) != "0x" + body:
        return _bad(text, "checksum", t("chain.inspect.eth_checksum"), payload_hex=body.lower(),
                    **known)
    return AddressVerdict(text, True, part=None, reason=t("chain.inspect.valid_eth"),
                          payload_hex=body.lower(), **known)  # type: ignore[arg-type]


def inspect_address(text: str) -> AddressVerdict:
    """Recognise an address and check it part by part.

    Examples
    --------
    >>> v = inspect_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    >>> (v.valid, v.coin, v.type, v.network, v.encoding)
    (True, 'bitcoin', 'p2wpkh', 'mainnet', 'bech32')
    >>> v = inspect_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")
    >>> (v.valid, v.part, v.position)
    (False, 'checksum', 42)
    """
    text = str(text).strip()
    if not text:
        return _bad(text, "empty", t("chain.inspect.empty"))
    if _ETH.fullmatch(text):
        return _inspect_eth(text)
    if text[:2].lower() == "0x":
        return _bad(text, "length", t("chain.inspect.length_eth", count=len(text) - 2),
                    coin="ethereum", encoding="hex (EIP-55)")
    if _BECH32_SHAPE.fullmatch(text) and text[:text.rfind("1")].lower() in HRP_NETWORKS:
        return _inspect_bech32(text)
    if re.fullmatch(r"[A-Za-z0-9]{25,40}", text):
        if _BECH32_SHAPE.fullmatch(text) and _bech32_ok(text.lower()) and (
            text.lower() == text or text.upper() == text
        ):
            return _inspect_bech32(text)  # another coin's bech32 prefix
        return _inspect_base58(text)
    if _BECH32_SHAPE.fullmatch(text):
        return _inspect_bech32(text)
    return _bad(text, "format", t("chain.inspect.unknown_format"))
