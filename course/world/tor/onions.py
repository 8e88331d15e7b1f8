"""Onion v3 services of the markets: keys, addresses, mirrors and phishing clones.

Each service (the two markets and the forum) gets an ed25519 identity key
drawn from ``ctx.rng("tor.onion")``, its address, a few mirrors (other keys
of the same operator) and phishing clones of two kinds:

- *typo clones*: a genuine address with one or two characters changed, whose
  checksum no longer matches (a validator rejects them);
- *lookalike clones*: the address of another key that shares the first two
  characters with a genuine one, as phishers make with vanity-address tools
  (the checksum is valid: only the signed mirror list tells them apart).

Addresses are computed with stem, independently of the teaching code in
``course.tor.onion`` (the tests compare the two).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from stem.descriptor.hidden_service import HiddenServiceDescriptorV3

from course.world import cast
from course.world.context import WorldContext

SERVICES: tuple[str, ...] = (cast.MARKET_RU, cast.MARKET_EN, cast.FORUM)
#: number of mirrors besides the main address
MIRRORS: dict[str, int] = {cast.MARKET_RU: 3, cast.MARKET_EN: 2, cast.FORUM: 1}
#: how Tor stores a service's public key (``hs_ed25519_public_key``): a 32-byte header, then the key
PUBLIC_KEY_HEADER = b"== ed25519v1-public: type0 ==\x00\x00\x00"
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


def _public_key(rng: random.Random) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(rng.randbytes(32)).public_key().public_bytes_raw()


def _lookalike(rng: random.Random, target: bytes) -> bytes:
    """A key whose address starts with the same two characters (10 bits) as ``target``'s."""
    want = target[0], target[1] >> 6
    while True:
        key = _public_key(rng)
        if (key[0], key[1] >> 6) == want and key != target:
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
        key = _public_key(rng)
        service = OnionService(service=name, public_key=key, address=address_of(key))
        service.mirror_keys = [_public_key(rng) for _ in range(MIRRORS[name])]
        service.mirrors = [address_of(k) for k in service.mirror_keys]
        targets = service.genuine
        service.typo_clones = [_typo(rng, rng.choice(targets)) for _ in range(2)]
        lookalike_targets = [service.public_key, rng.choice(service.mirror_keys)]
        service.lookalike_clones = [address_of(_lookalike(rng, k)) for k in lookalike_targets]
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
