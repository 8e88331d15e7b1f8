"""Deterministic RSA keys and Tor-style signatures for the directory authorities.

Tor's directory authorities sign the consensus with RSA: PKCS#1 v1.5 type-1
padding around the bare SHA-1 digest (no DigestInfo), which is what stem's
``NetworkStatusDocumentV3.validate_signatures`` checks. ``cryptography``
cannot make keys from a seed, so the primes are drawn here from a seeded
``random.Random`` (Miller-Rabin), then handed to ``cryptography`` only to
encode the public key as DER.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PUBLIC_EXPONENT = 65537
_SMALL_PRIMES = tuple(p for p in range(3, 2000) if all(p % q for q in range(2, int(p**0.5) + 1)))


def _is_probable_prime(n: int, rng: random.Random, rounds: int = 6) -> bool:
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (candidate - 1) % PUBLIC_EXPONENT and _is_probable_prime(candidate, rng):
            return candidate


@dataclass(frozen=True)
class RsaKey:
    """An RSA key pair: modulus ``n``, private exponent ``d``."""

    n: int
    d: int

    @property
    def size(self) -> int:
        """Modulus length in bytes."""
        return (self.n.bit_length() + 7) // 8

    def public_der(self) -> bytes:
        """The public key as PKCS#1 ``RSAPublicKey`` DER (what Tor hashes)."""
        key = rsa.RSAPublicNumbers(PUBLIC_EXPONENT, self.n).public_key()
        return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)

    def digest(self) -> str:
        """SHA-1 of the public DER in upper-case hex: a Tor key fingerprint."""
        return hashlib.sha1(self.public_der()).hexdigest().upper()

    def sign_digest(self, digest: bytes) -> bytes:
        """Sign a digest the Tor way: ``00 01 FF.. 00 digest`` raised to ``d``."""
        padding = b"\xff" * (self.size - 3 - len(digest))
        block = int.from_bytes(b"\x00\x01" + padding + b"\x00" + digest, "big")
        return pow(block, self.d, self.n).to_bytes(self.size, "big")


def make_key(rng: random.Random, bits: int = 1024) -> RsaKey:
    """Draw an RSA key of ``bits`` bits from ``rng`` (same stream, same key)."""
    while True:
        p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
        n = p * q
        if p != q and n.bit_length() == bits:
            d = pow(PUBLIC_EXPONENT, -1, (p - 1) * (q - 1))
            return RsaKey(n=n, d=d)


def pem_block(kind: str, data: bytes) -> str:
    """Wrap ``data`` in a ``-----BEGIN kind-----`` block, 64 base64 chars a line."""
    text = base64.b64encode(data).decode("ascii")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "\n".join([f"-----BEGIN {kind}-----", *lines, f"-----END {kind}-----"])
