"""Deterministic OpenPGP v4 keys and cleartext signatures, built by hand.

Markets and vendors of the case world publish PGP keys and signed mirror
lists. A real library would make a fresh random key each time; the world
must be byte-identical per seed, so the packets are assembled here from
RFC 4880 / RFC 9580 (v4 keys, legacy EdDSA, algorithm 22) with an Ed25519 key
from ``cryptography``. Ed25519 signatures are deterministic, so the same seed
bytes and creation time always give the same armored key and signature. The
tests check every product with an independent implementation (pysequoia).

The parsing half (:func:`parse_public_key`, :func:`verify_cleartext`) is what a
trainee may call on day 2: fingerprint of an armored key, check of a signed
mirror list.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

#: OID of Ed25519 for legacy EdDSA keys (1.3.6.1.4.1.11591.15.1), DER without tag and length.
ED25519_OID = bytes.fromhex("2b06010401da470f01")
ALGO_EDDSA = 22
HASH_SHA256 = 8
TAG_SIGNATURE, TAG_PUBLIC_KEY, TAG_USER_ID = 2, 6, 13
SIG_TEXT, SIG_POSITIVE_CERT = 0x01, 0x13


class OpenPGPError(ValueError):
    """Input that is not the OpenPGP data expected (one line saying what is wrong)."""


# -- encoding helpers ---------------------------------------------------------


def _mpi(data: bytes) -> bytes:
    data = data.lstrip(b"\0")
    bits = (len(data) - 1) * 8 + data[0].bit_length() if data else 0
    return struct.pack(">H", bits) + data


def _packet(tag: int, body: bytes) -> bytes:
    """A packet with a new-format header."""
    n = len(body)
    if n < 192:
        length = bytes([n])
    elif n < 8384:
        n -= 192
        length = bytes([(n >> 8) + 192, n & 0xFF])
    else:
        length = b"\xff" + struct.pack(">I", n)
    return bytes([0xC0 | tag]) + length + body


def _subpacket(kind: int, data: bytes) -> bytes:
    return bytes([len(data) + 1, kind]) + data


def crc24(data: bytes) -> int:
    """The CRC-24 of OpenPGP ASCII armor (RFC 4880 section 6.1)."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def armor(kind: str, data: bytes, comment: str | None = None) -> str:
    """ASCII-armor ``data`` as ``-----BEGIN PGP <kind>-----`` with a CRC-24 line."""
    b64 = base64.b64encode(data).decode("ascii")
    lines = [f"-----BEGIN PGP {kind}-----"]
    if comment:
        lines.append(f"Comment: {comment}")
    lines.append("")
    lines.extend(b64[i : i + 64] for i in range(0, len(b64), 64))
    lines.append("=" + base64.b64encode(crc24(data).to_bytes(3, "big")).decode("ascii"))
    lines.append(f"-----END PGP {kind}-----")
    return "\n".join(lines) + "\n"


def dearmor(text: str) -> bytes:
    """Return the bytes inside the first armored block of ``text``, checking its CRC."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    try:
        start = next(i for i, ln in enumerate(lines) if ln.startswith("-----BEGIN PGP"))
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("-----END PGP"))
    except StopIteration:
        raise OpenPGPError("no '-----BEGIN PGP ...-----' armored block found") from None
    body = lines[start + 1 : end]
    blank = body.index("") if "" in body else -1
    body = [ln for ln in body[blank + 1 :] if ln]
    crc = None
    if body and body[-1].startswith("="):
        crc = int.from_bytes(base64.b64decode(body.pop()[1:]), "big")
    data = base64.b64decode("".join(body))
    if crc is not None and crc != crc24(data):
        raise OpenPGPError("the armor checksum ('=' line) does not match: the block was altered")
    return data


def packets(data: bytes) -> list[tuple[int, bytes]]:
    """Split binary OpenPGP data into ``(tag, body)`` pairs (old and new headers)."""
    out, i = [], 0
    while i < len(data):
        head = data[i]
        if not head & 0x80:
            raise OpenPGPError(f"byte {i} is not an OpenPGP packet header")
        if head & 0x40:  # new format
            tag, first = head & 0x3F, data[i + 1]
            if first < 192:
                n, i = first, i + 2
            elif first < 224:
                n, i = ((first - 192) << 8) + data[i + 2] + 192, i + 3
            elif first == 255:
                n, i = struct.unpack(">I", data[i + 2 : i + 6])[0], i + 6
            else:
                raise OpenPGPError("partial body lengths are not supported here")
        else:  # old format
            tag, ltype = (head >> 2) & 0x0F, head & 0x03
            size = {0: 1, 1: 2, 2: 4}.get(ltype)
            if size is None:
                raise OpenPGPError("indeterminate old-format packet length")
            n = int.from_bytes(data[i + 1 : i + 1 + size], "big")
            i += 1 + size
        out.append((tag, data[i : i + n]))
        i += n
    return out


def fingerprint_of_body(body: bytes) -> str:
    """The v4 fingerprint (40 upper-case hex digits) of a public-key packet body."""
    return hashlib.sha1(b"\x99" + struct.pack(">H", len(body)) + body).hexdigest().upper()


# -- keys ----------------------------------------------------------------------


@dataclass(frozen=True)
class PgpKey:
    """A deterministic Ed25519 OpenPGP key with one user id and its self-signature."""

    private: Ed25519PrivateKey
    user_id: str
    created: int
    key_body: bytes
    cert: bytes

    @property
    def fingerprint(self) -> str:
        """40 upper-case hex digits."""
        return fingerprint_of_body(self.key_body)

    @property
    def key_id(self) -> str:
        """The long key id: the last 16 hex digits of the fingerprint."""
        return self.fingerprint[-16:]

    def armored(self, comment: str | None = None) -> str:
        """The transferable public key, ASCII-armored."""
        return armor("PUBLIC KEY BLOCK", self.cert, comment)


def _signature(
    key_private: Ed25519PrivateKey, fpr: str, sig_type: int, created: int, data: bytes,
    extra_hashed: bytes = b"",
) -> bytes:
    fpr_bytes = bytes.fromhex(fpr)
    hashed_subs = (
        _subpacket(2, struct.pack(">I", created))
        + extra_hashed
        + _subpacket(33, b"\x04" + fpr_bytes)
    )
    hashed = bytes([4, sig_type, ALGO_EDDSA, HASH_SHA256]) + struct.pack(">H", len(hashed_subs))
    hashed += hashed_subs
    trailer = b"\x04\xff" + struct.pack(">I", len(hashed))
    digest = hashlib.sha256(data + hashed + trailer).digest()
    raw = key_private.sign(digest)
    unhashed = _subpacket(16, fpr_bytes[-8:])
    body = hashed + struct.pack(">H", len(unhashed)) + unhashed + digest[:2]
    return _packet(TAG_SIGNATURE, body + _mpi(raw[:32]) + _mpi(raw[32:]))


def make_key(seed: bytes, user_id: str, created: int) -> PgpKey:
    """Build the key determined by ``seed`` (any bytes) with ``user_id``.

    Parameters
    ----------
    seed
        Secret seed bytes; the Ed25519 private key is SHA-256(seed).
    user_id
        E.g. ``"vendor42 <vendor42@example.invalid>"``.
    created
        Creation time, seconds since 1970 (UTC); also the self-signature's time.
    """
    private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_body = (
        bytes([4]) + struct.pack(">I", created) + bytes([ALGO_EDDSA, len(ED25519_OID)])
        + ED25519_OID + _mpi(b"\x40" + public)
    )
    uid = user_id.encode("utf-8")
    fpr = fingerprint_of_body(key_body)
    to_sign = (
        b"\x99" + struct.pack(">H", len(key_body)) + key_body
        + b"\xb4" + struct.pack(">I", len(uid)) + uid
    )
    prefs = (
        _subpacket(27, b"\x03")  # key flags: certify, sign
        + _subpacket(11, bytes([9, 8, 7]))  # AES-256, AES-192, AES-128
        + _subpacket(21, bytes([10, 9, 8]))  # SHA-512, SHA-384, SHA-256
        + _subpacket(22, bytes([2, 1, 0]))  # zlib, zip, none
        + _subpacket(30, b"\x01")  # features: modification detection
    )
    self_sig = _signature(private, fpr, SIG_POSITIVE_CERT, created, to_sign, prefs)
    cert = _packet(TAG_PUBLIC_KEY, key_body) + _packet(TAG_USER_ID, uid) + self_sig
    return PgpKey(private, user_id, created, key_body, cert)


# -- cleartext signatures --------------------------------------------------------


def _canonical(text: str) -> bytes:
    lines = text.replace("\r\n", "\n").split("\n")
    return "\r\n".join(ln.rstrip(" \t") for ln in lines).encode("utf-8")


def clearsign(key: PgpKey, text: str, created: int) -> str:
    """Return ``text`` as a cleartext-signed message (``-----BEGIN PGP SIGNED MESSAGE-----``)."""
    text = text.replace("\r\n", "\n").rstrip("\n")
    sig = _signature(key.private, key.fingerprint, SIG_TEXT, created, _canonical(text))
    escaped = "\n".join("- " + ln if ln.startswith("-") else ln for ln in text.split("\n"))
    return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + escaped + "\n" + armor(
        "SIGNATURE", sig
    )


@dataclass(frozen=True)
class PublicKeyInfo:
    """What :func:`parse_public_key` reads from an armored public key."""

    fingerprint: str
    key_id: str
    user_ids: tuple[str, ...]
    created: int
    algorithm: int
    public_bytes: bytes


def parse_public_key(armored: str) -> PublicKeyInfo:
    """Read the fingerprint, key id, user ids and creation time of an armored public key.

    Raises
    ------
    OpenPGPError
        If the text holds no public-key packet.
    """
    found = packets(dearmor(armored))
    bodies = [b for t, b in found if t == TAG_PUBLIC_KEY]
    if not bodies:
        raise OpenPGPError("no public-key packet in this block: is it a PUBLIC KEY BLOCK?")
    body = bodies[0]
    if body[0] != 4:
        raise OpenPGPError(f"key version {body[0]} is not supported (only v4)")
    created, algorithm = struct.unpack(">I", body[1:5])[0], body[5]
    public = b""
    if algorithm == ALGO_EDDSA:
        oid_len = body[6]
        point = body[7 + oid_len + 2 :]
        public = point[1:] if point[:1] == b"\x40" else point
    fpr = fingerprint_of_body(body)
    uids = tuple(b.decode("utf-8", "replace") for t, b in found if t == TAG_USER_ID)
    return PublicKeyInfo(fpr, fpr[-16:], uids, created, algorithm, public)


def split_cleartext(signed: str) -> tuple[str, bytes]:
    """Split a cleartext-signed message into its text and its binary signature packet."""
    lines = signed.replace("\r\n", "\n").split("\n")
    try:
        start = lines.index("-----BEGIN PGP SIGNED MESSAGE-----")
        sig_at = lines.index("-----BEGIN PGP SIGNATURE-----")
        first = lines.index("", start)
    except ValueError:
        raise OpenPGPError("not a cleartext-signed message (no BEGIN PGP SIGNED MESSAGE)") from None
    body = [ln[2:] if ln.startswith("- ") else ln for ln in lines[first + 1 : sig_at]]
    return "\n".join(body), dearmor("\n".join(lines[sig_at:]))


def verify_cleartext(signed: str, armored_key: str) -> bool:
    """Return True if the cleartext-signed ``signed`` verifies against ``armored_key``.

    A changed character in the text, or a signature by another key, gives False.
    """
    key = parse_public_key(armored_key)
    text, sig_data = split_cleartext(signed)
    sigs = [b for t, b in packets(sig_data) if t == TAG_SIGNATURE]
    if not sigs or sigs[0][0] != 4 or sigs[0][2] != ALGO_EDDSA or sigs[0][3] != HASH_SHA256:
        return False
    body = sigs[0]
    hashed_len = struct.unpack(">H", body[4:6])[0]
    hashed = body[: 6 + hashed_len]
    rest = body[6 + hashed_len :]
    unhashed_len = struct.unpack(">H", rest[:2])[0]
    rest = rest[2 + unhashed_len + 2 :]
    ints = []
    for _ in range(2):
        nbytes = (struct.unpack(">H", rest[:2])[0] + 7) // 8
        ints.append(rest[2 : 2 + nbytes].rjust(32, b"\0"))
        rest = rest[2 + nbytes :]
    trailer = b"\x04\xff" + struct.pack(">I", len(hashed))
    digest = hashlib.sha256(_canonical(text) + hashed + trailer).digest()
    try:
        Ed25519PublicKey.from_public_bytes(key.public_bytes).verify(ints[0] + ints[1], digest)
    except (InvalidSignature, ValueError):
        return False
    return True
