"""Onion v3 services of the markets: keys, addresses, mirrors and phishing clones.

Each service (the two markets and the forum) gets an ed25519 identity key
drawn from ``ctx.rng("tor.onion")``, its address, a few mirrors (other keys
of the same operator) and phishing clones of two kinds:

- *typo clones*: a genuine address with one or two characters changed, whose
  checksum no longer matches (a validator rejects them);
- *lookalike clones*: the address of another key that shares its first 5 to
  8 characters with a genuine one, as phishers make with vanity-address tools
  (the checksum is valid: only the signed mirror list tells them apart).
  Making such a key by trial takes a phisher hours to days; the generator
  instead keeps the leading bits of the genuine key and draws the rest until
  the 32 bytes are a point of the ed25519 curve, a key like any other.

The seized server's key is written in Tor's two files: ``hs_ed25519_public_key``
(a 32-byte header, then the public key) and ``hs_ed25519_secret_key`` (a
32-byte header, then the 64-byte expanded secret key: the clamped scalar and
the second half of SHA-512 of the seed, as tor's ed25519 code stores it).

Addresses are computed with stem, independently of the teaching code in
``course.tor.onion`` (the tests compare the two).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from stem.descriptor.hidden_service import HiddenServiceDescriptorV3
from stem.util import ed25519 as stem_ed25519

from course.world import cast
from course.world.context import WorldContext

SERVICES: tuple[str, ...] = (cast.MARKET_RU, cast.MARKET_EN, cast.FORUM)
#: number of mirrors besides the main address
MIRRORS: dict[str, int] = {cast.MARKET_RU: 3, cast.MARKET_EN: 2, cast.FORUM: 1}
#: how Tor stores a service's public key (``hs_ed25519_public_key``): a 32-byte header, then the key
PUBLIC_KEY_HEADER = b"== ed25519v1-public: type0 ==\x00\x00\x00"
#: and its secret key (``hs_ed25519_secret_key``): a 32-byte header, then the 64-byte expanded key
SECRET_KEY_HEADER = b"== ed25519v1-secret: type0 ==\x00\x00\x00"
#: how many leading characters a lookalike shares with the address it imitates
LOOKALIKE_PREFIXES = (5, 6, 7, 8)
BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
#: where the candidate addresses of the clone exercise were found
SOURCES = ("forum post", "Telegram channel", "paste site", "onion search engine",
           "browser bookmark (seized laptop)", "link list site", "chat message")


def address_of(public_key: bytes) -> str:
    """The v3 address of a 32-byte ed25519 public key (stem's implementation)."""
    return str(HiddenServiceDescriptorV3.address_from_identity_key(public_key))


def is_valid(address: str) -> bool:
    """Whether stem accepts ``address`` (length, base32, version and checksum)."""
    try:
        HiddenServiceDescriptorV3.identity_key_from_address(address)
    except ValueError:
        return False
    return True


def _keypair(rng: random.Random) -> tuple[bytes, bytes]:
    """A 32-byte ed25519 seed and its public key."""
    seed = rng.randbytes(32)
    return seed, Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def _on_curve(key: bytes) -> bool:
    try:
        stem_ed25519.decodepoint(key)
    except Exception:  # noqa: BLE001 - stem raises a bare Exception off the curve
        return False
    return True


def _shared(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _lookalike(rng: random.Random, target: bytes, chars: int) -> bytes:
    """A curve point whose address shares exactly ``chars`` leading characters
    (5 bits each) with ``target``'s address."""
    bits = 5 * chars
    head = int.from_bytes(target, "big") >> (256 - bits)
    want = address_of(target)
    while True:
        key = ((head << (256 - bits)) | rng.getrandbits(256 - bits)).to_bytes(32, "big")
        if _shared(address_of(key), want) == chars and _on_curve(key):
            return key


def _typo(rng: random.Random, address: str) -> str:
    """Change one or two characters of ``address`` so its checksum fails."""
    while True:
        chars = list(address.removesuffix(".onion"))
        for _ in range(rng.choice((1, 1, 2))):
            pos = rng.randrange(4, 52)
            chars[pos] = rng.choice(BASE32_ALPHABET.replace(chars[pos], ""))
        clone = "".join(chars) + ".onion"
        if not is_valid(clone):
            return clone


@dataclass
class OnionService:
    """One service: its main key and address, mirrors and clones."""

    service: str
    public_key: bytes
    address: str
    seeds: dict[bytes, bytes] = field(default_factory=dict)  # public key -> secret seed
    mirror_keys: list[bytes] = field(default_factory=list)
    mirrors: list[str] = field(default_factory=list)
    typo_clones: list[str] = field(default_factory=list)
    lookalike_clones: list[str] = field(default_factory=list)

    @property
    def genuine(self) -> list[str]:
        return [self.address, *self.mirrors]

    @property
    def clones(self) -> list[str]:
        return [*self.typo_clones, *self.lookalike_clones]

    def public_facts(self) -> dict[str, object]:
        """What ``ctx.state["onion"][service]`` holds for later generators."""
        return {
            "address": self.address,
            "mirrors": list(self.mirrors),
            "clones": list(self.clones),
            "public_key_hex": self.public_key.hex(),
            "mirror_public_keys_hex": [k.hex() for k in self.mirror_keys],
        }


def make_services(ctx: WorldContext) -> list[OnionService]:
    """Draw every service with its mirrors and clones."""
    rng = ctx.rng("tor.onion")
    services = []
    for name in SERVICES:
        seed, key = _keypair(rng)
        service = OnionService(service=name, public_key=key, address=address_of(key),
                               seeds={key: seed})
        for _ in range(MIRRORS[name]):
            seed, mirror = _keypair(rng)
            service.seeds[mirror] = seed
            service.mirror_keys.append(mirror)
        service.mirrors = [address_of(k) for k in service.mirror_keys]
        targets = service.genuine
        service.typo_clones = [_typo(rng, rng.choice(targets)) for _ in range(2)]
        lookalike_targets = [service.public_key, rng.choice(service.mirror_keys)]
        service.lookalike_clones = [
            address_of(_lookalike(rng, k, rng.choice(LOOKALIKE_PREFIXES)))
            for k in lookalike_targets
        ]
        services.append(service)
    return services


def candidates(ctx: WorldContext, services: list[OnionService]) -> list[dict[str, str]]:
    """Rows of the clone exercise: every genuine and clone address, shuffled,
    each with where an investigator found it."""
    rng = ctx.rng("tor.onion.candidates")
    addresses = list(dict.fromkeys(a for s in services for a in (*s.genuine, *s.clones)))
    rng.shuffle(addresses)
    return [{"address": a, "found_in": rng.choice(SOURCES)} for a in addresses]


def public_key_file(public_key: bytes) -> bytes:
    """The bytes of Tor's ``hs_ed25519_public_key`` file for ``public_key``."""
    return PUBLIC_KEY_HEADER + public_key


def expanded_secret_key(seed: bytes) -> bytes:
    """Tor's 64-byte ed25519 secret key for a 32-byte seed: SHA-512 of the seed,
    its first half clamped (``ed25519_ref10_seckey_expand``)."""
    digest = bytearray(hashlib.sha512(seed).digest())
    digest[0] &= 248
    digest[31] &= 63
    digest[31] |= 64
    return bytes(digest)


def secret_key_file(seed: bytes) -> bytes:
    """The bytes of Tor's ``hs_ed25519_secret_key`` file for the key of ``seed``."""
    return SECRET_KEY_HEADER + expanded_secret_key(seed)
