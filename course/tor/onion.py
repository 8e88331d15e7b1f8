"""Onion v3 addresses: anatomy, validation, derivation from a key.

A v3 address is 56 base32 characters, then ``.onion``. Decoded, it is 35
bytes::

    public key (32 bytes) | checksum (2 bytes) | version (1 byte, = 3)

    checksum = SHA3-256(b".onion checksum" + public key + b"\\x03")[:2]

So an address *is* the service's public key: nobody can choose an address
without the matching private key, and a mistyped address almost always fails
the checksum. But a phisher can make many keys until one gives an address
that *starts* like the market's (vanity tools reach 5 to 8 characters in
hours to days): the checksum of such a lookalike is valid, and only a signed
mirror list tells it apart.

Because the address is the public key, Tor's ``hs_ed25519_public_key`` file
proves nothing about who runs a service: anyone can write it from the
address (:func:`public_key_file`). Control is shown by the secret key
(``hs_ed25519_secret_key``): the public key derived from it
(:func:`public_key_from_secret_key`) must give the address.

This is a teaching implementation, checked in the tests against stem's
``HiddenServiceDescriptorV3.address_from_identity_key``.

Examples
--------
>>> address_from_key(bytes(32))
'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaam2dqd.onion'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from stem.util import ed25519 as _ed25519

from course.messages import t

CHECKSUM_PREFIX = b".onion checksum"
VERSION = 3
KEY_LENGTH = 32
ADDRESS_LENGTH = 56  # base32 characters before ".onion"
SUFFIX = ".onion"
BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
#: Tor's ``hs_ed25519_public_key`` file: this 32-byte header, then the key
PUBLIC_KEY_FILE_HEADER = b"== ed25519v1-public: type0 ==\x00\x00\x00"
#: Tor's ``hs_ed25519_secret_key`` file: this 32-byte header, then the 64-byte expanded key
SECRET_KEY_FILE_HEADER = b"== ed25519v1-secret: type0 ==\x00\x00\x00"
SECRET_KEY_LENGTH = 64
#: an unlisted address sharing at least this many leading characters with an
#: official one is called a lookalike. Two characters match by chance once in
#: 32**2 = 1,024 pairs; four once in about a million; vanity clones share 5-8.
LOOKALIKE_PREFIX = 4
_ADDRESS_IN_TEXT = re.compile(r"\b[a-z2-7]{56}\.onion\b")

__all__ = [
    "OnionParts",
    "Verdict",
    "address_from_key",
    "address_parts",
    "check_address",
    "classify_candidates",
    "find_addresses",
    "is_valid_address",
    "onion_checksum",
    "public_key_file",
    "public_key_from_secret_key",
    "read_public_key_file",
    "read_secret_key_file",
    "shared_prefix",
    "split_address",
]


def _key_bytes(public_key: bytes | str | object) -> bytes:
    """Accept raw bytes, a hex string or a ``cryptography`` Ed25519 public key."""
    if hasattr(public_key, "public_bytes_raw"):
        public_key = public_key.public_bytes_raw()  # type: ignore[union-attr]
    if isinstance(public_key, str):
        try:
            public_key = bytes.fromhex(public_key)
        except ValueError:
            raise ValueError(t("tor.onion.bad_key_hex")) from None
    if not isinstance(public_key, (bytes, bytearray)):
        raise ValueError(t("tor.onion.bad_key_type", kind=type(public_key).__name__))
    if len(public_key) != KEY_LENGTH:
        raise ValueError(t("tor.onion.bad_key_length", length=len(public_key)))
    return bytes(public_key)


def onion_checksum(public_key: bytes | str, version: int = VERSION) -> bytes:
    """The 2-byte checksum of a v3 address for ``public_key``.

    Parameters
    ----------
    public_key
        The 32-byte ed25519 public key (bytes or hex).
    version
        The version byte (3 for v3 addresses).

    Returns
    -------
    bytes
        ``SHA3-256(b".onion checksum" + key + version)[:2]``.
    """
    key = _key_bytes(public_key)
    return hashlib.sha3_256(CHECKSUM_PREFIX + key + bytes([version])).digest()[:2]


def address_from_key(public_key: bytes | str | object) -> str:
    """Derive the v3 onion address of a public key.

    Parameters
    ----------
    public_key
        32 raw bytes, their hex, or a ``cryptography`` ``Ed25519PublicKey``.

    Returns
    -------
    str
        56 lower-case base32 characters followed by ``.onion``.

    Raises
    ------
    ValueError
        If the key is not 32 bytes.
    """
    key = _key_bytes(public_key)
    raw = key + onion_checksum(key) + bytes([VERSION])
    return base64.b32encode(raw).decode("ascii").lower() + SUFFIX


@dataclass(frozen=True)
class OnionParts:
    """The three parts of a decoded v3 address."""

    public_key: bytes
    checksum: bytes
    version: int

    @property
    def expected_checksum(self) -> bytes:
        """The checksum the public key and version really give."""
        return onion_checksum(self.public_key, self.version)

    @property
    def checksum_ok(self) -> bool:
        """Whether the address's checksum matches its key."""
        return self.checksum == self.expected_checksum


def _bare(address: str) -> str:
    if not isinstance(address, str):
        raise ValueError(t("tor.onion.not_text", kind=type(address).__name__))
    text = address.strip().lower()
    for prefix in ("http://", "https://"):
        text = text.removeprefix(prefix)
    return text.rstrip("/").removesuffix(SUFFIX)


def split_address(address: str) -> OnionParts:
    """Decode ``address`` into public key, checksum and version (without judging them).

    Accepts the address with or without ``.onion``, ``http://`` and a final ``/``.

    Raises
    ------
    ValueError
        If it is not 56 base32 characters.
    """
    bare = _bare(address)
    if len(bare) != ADDRESS_LENGTH:
        raise ValueError(t("tor.onion.bad_length", address=address, length=len(bare)))
    wrong = [c for c in bare if c not in BASE32_ALPHABET]
    if wrong:
        raise ValueError(t("tor.onion.bad_alphabet", address=address, char=wrong[0]))
    try:
        raw = base64.b32decode(bare.upper())
    except binascii.Error as exc:  # pragma: no cover - excluded by the checks above
        raise ValueError(t("tor.onion.bad_alphabet", address=address, char=str(exc))) from None
    return OnionParts(public_key=raw[:32], checksum=raw[32:34], version=raw[34])


def address_parts(address: str) -> tuple[bytes, bytes, bytes]:
    """The three parts of a v3 address as bytes: public key (32), checksum (2), version (1).

    The version is one byte, ``b"\\x03"`` for v3 (compare it with bytes, not
    with the number 3).

    Raises
    ------
    ValueError
        If it is not 56 base32 characters (see :func:`split_address`).
    """
    parts = split_address(address)
    return parts.public_key, parts.checksum, bytes([parts.version])


def find_addresses(text: str) -> list[str]:
    """Every v3 onion address written in ``text`` (56 base32 characters + ``.onion``),
    in order, each once."""
    if not isinstance(text, str):
        raise ValueError(t("tor.onion.not_text", kind=type(text).__name__))
    return list(dict.fromkeys(_ADDRESS_IN_TEXT.findall(text.lower())))


@dataclass(frozen=True)
class Verdict:
    """The result of checking one address: valid or not, and why."""

    address: str
    valid: bool
    reason: str

    def __bool__(self) -> bool:
        return self.valid


def check_address(address: str) -> Verdict:
    """Check a v3 address: length, alphabet, version byte, checksum.

    Never raises for text input: the verdict says what is wrong.

    Examples
    --------
    >>> check_address("not-an-address.onion").valid
    False
    """
    try:
        parts = split_address(address)
    except ValueError as exc:
        return Verdict(str(address), False, str(exc))
    if parts.version != VERSION:
        return Verdict(address, False, t("tor.onion.bad_version", address=address,
                                         version=parts.version))
    if not parts.checksum_ok:
        return Verdict(address, False, t("tor.onion.bad_checksum", address=address,
                                         found=parts.checksum.hex(),
                                         expected=parts.expected_checksum.hex()))
    return Verdict(address, True, t("tor.onion.valid", address=address))


def is_valid_address(address: str) -> bool:
    """Whether ``address`` is a well-formed v3 onion address with a valid checksum."""
    return check_address(address).valid


def shared_prefix(a: str, b: str) -> int:
    """How many leading characters two addresses share (lookalikes share several)."""
    n = 0
    for x, y in zip(_bare(a), _bare(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def read_public_key_file(source: str | Path | bytes) -> bytes:
    """Read the 32-byte key from Tor's ``hs_ed25519_public_key`` file.

    Parameters
    ----------
    source
        The file's path, or its bytes.

    Raises
    ------
    ValueError
        If the file is missing or not in Tor's format (64 bytes, fixed header).
    """
    return _key_file(source, PUBLIC_KEY_FILE_HEADER, KEY_LENGTH, "tor.onion.bad_key_file")


def _key_file(source: str | Path | bytes, header: bytes, size: int, message: str) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        data, name = bytes(source), "the data"
    else:
        path = Path(source)
        if not path.is_file():
            raise ValueError(t("data.missing", path=path))
        data, name = path.read_bytes(), str(path)
    if len(data) != len(header) + size or not data.startswith(header):
        raise ValueError(t(message, path=name))
    return data[len(header):]


def public_key_file(public_key: bytes | str | object) -> bytes:
    """The bytes of a Tor ``hs_ed25519_public_key`` file for ``public_key``.

    Anyone who knows an address can write this file (the key is in the
    address): finding it on a server shows nothing about who controls the
    service.
    """
    return PUBLIC_KEY_FILE_HEADER + _key_bytes(public_key)


def read_secret_key_file(source: str | Path | bytes) -> bytes:
    """Read the 64-byte expanded secret key from Tor's ``hs_ed25519_secret_key`` file.

    Raises
    ------
    ValueError
        If the file is missing or not in Tor's format (96 bytes, fixed header).
    """
    return _key_file(source, SECRET_KEY_FILE_HEADER, SECRET_KEY_LENGTH,
                     "tor.onion.bad_secret_key_file")


def public_key_from_secret_key(secret_key: bytes) -> bytes:
    """The public key of an expanded ed25519 secret key (as Tor stores it).

    Tor's secret key file holds the 64-byte *expanded* key: a scalar ``a``
    (the first 32 bytes, little-endian) and a hash prefix. The public key is
    the curve's base point multiplied by ``a`` (stem's ed25519 arithmetic).

    Raises
    ------
    ValueError
        If ``secret_key`` is not 64 bytes.
    """
    if not isinstance(secret_key, (bytes, bytearray)) or len(secret_key) != SECRET_KEY_LENGTH:
        length = len(secret_key) if isinstance(secret_key, (bytes, bytearray)) else type(
            secret_key).__name__
        raise ValueError(t("tor.onion.bad_secret_key_length", length=length))
    scalar = int.from_bytes(secret_key[:32], "little")
    return bytes(_ed25519.encodepoint(_ed25519.scalarmult_B(scalar)))


def classify_candidates(candidates: list[str], official: list[str]) -> pd.DataFrame:
    """Sort candidate addresses: verified (on the signed list) or not, and why not.

    Parameters
    ----------
    candidates
        Addresses found during the investigation (posts, chats, bookmarks).
    official
        The addresses of a signed mirror list (after checking its signature).

    Returns
    -------
    pandas.DataFrame
        One row per candidate: ``address``, ``valid`` (checksum), ``listed``
        (on the official list), ``closest`` (the official address sharing the
        most leading characters), ``shared_prefix`` and ``verdict``. An
        address that is not listed is *unverified*: never use it. It is a
        likely phishing clone when its checksum fails or when it copies at
        least :data:`LOOKALIKE_PREFIX` leading characters of an official
        address; otherwise nothing says what it is.

    Examples
    --------
    >>> real = address_from_key(bytes(32))
    >>> classify_candidates([real], [real])["verdict"].iloc[0]
    'verified: on the signed mirror list'
    """
    if isinstance(candidates, str) or isinstance(official, str):
        raise ValueError(t("tor.onion.not_list"))
    listed = {_bare(a) for a in official}
    rows = []
    for address in candidates:
        bare = _bare(address)
        valid = is_valid_address(address)
        closest = max(official, key=lambda o: shared_prefix(address, o), default="")
        prefix = shared_prefix(address, closest) if closest else 0
        if bare in listed:
            verdict = t("tor.onion.verdict.genuine")
        elif not valid:
            verdict = t("tor.onion.verdict.typo")
        elif prefix >= LOOKALIKE_PREFIX:
            verdict = t("tor.onion.verdict.lookalike", prefix=prefix, official=closest)
        else:
            verdict = t("tor.onion.verdict.unlisted")
        rows.append({"address": address, "valid": valid, "listed": bare in listed,
                     "closest": closest, "shared_prefix": prefix, "verdict": verdict})
    return pd.DataFrame(rows, columns=["address", "valid", "listed", "closest", "shared_prefix",
                                       "verdict"])
