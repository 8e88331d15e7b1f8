"""Who sells on the markets: vendors, their aliases, PGP keys and contact handles.

Roles come from :mod:`course.world.cast`. Aliases, keys and handles change
with the seed; the *shape* of the story does not:

- ``vendor_target`` runs a shop on the Russian market and a vendor account on
  the English one under unrelated aliases, and publishes the *same PGP key*
  on both (a true link by fingerprint);
- ``vendor_01`` does the same with a *shared contact handle* (a true link by
  handle) but different keys;
- ``vendor_02`` (Russian market) and ``vendor_03`` (English market) have
  aliases that look alike, but different keys and handles (a false link);
- the other vendors sell on one market only.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from course.world import cast
from course.world.context import WorldContext
from course.world.names import names
from course.world.openpgp import PgpKey, make_key

RU_SHOPS: tuple[str, ...] = (
    cast.VENDOR_TARGET, "vendor_01", "vendor_02", "vendor_04", "vendor_05", "vendor_06",
)
EN_VENDORS: tuple[str, ...] = (
    cast.VENDOR_TARGET, "vendor_01", "vendor_03", "vendor_07", "vendor_08",
)
TRUE_LINK_KEY = cast.VENDOR_TARGET
TRUE_LINK_HANDLE = "vendor_01"
FALSE_LINK = ("vendor_02", "vendor_03")

_RU_FIRST = ("Хим", "Крис", "Белый", "Северный", "Ночной", "Тихий", "Быстрый", "Снежный",
             "Степной", "Горный", "Лунный", "Золотой")
_RU_SECOND = ("Кролик", "Ветер", "Караван", "Барс", "Лис", "Сокол", "Тигр", "Базар", "Док",
              "Шаман", "Беркут", "Кристалл")
_EN_FIRST = ("Silent", "Quiet", "Steppe", "Golden", "Frozen", "Lucky", "Ghost", "Crystal",
             "Velvet", "Iron", "Blue", "Night")
_EN_SECOND = ("Owl", "Pharma", "Lab", "Fox", "Garden", "Chem", "Route", "Cartel", "Falcon",
              "Supply", "Bazaar", "Leaf")
_LOOKALIKE_BASES = ("NordChem", "AlmaLab", "TianShan", "KaspiChem", "AralPharma", "SkyLabz")

@dataclass
class Vendor:
    """One person behind one or more market accounts."""

    role: str
    aliases: dict[str, str] = field(default_factory=dict)  # market -> alias
    keys: dict[str, PgpKey] = field(default_factory=dict)  # market -> key shown there
    handles: dict[str, str] = field(default_factory=dict)  # market -> contact handle
    joined: dict[str, str] = field(default_factory=dict)  # market -> ISO date


@dataclass
class MarketIdentity:
    """A market or the forum: its name, operator key and onion addresses."""

    market: str
    name: str
    key: PgpKey
    address: str
    mirrors: list[str]
    placeholder: bool


def unix(day: str) -> int:
    """Seconds since 1970 of an ISO date (midnight UTC)."""
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def placeholder_onion(seed: bytes) -> str:
    """A valid v3 onion address of a key derived from ``seed`` (used when tor did not run)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())
    public = private.public_key().public_bytes_raw()
    checksum = hashlib.sha3_256(b".onion checksum" + public + b"\x03").digest()[:2]
    return base64.b32encode(public + checksum + b"\x03").decode().lower() + ".onion"


def make_markets(ctx: WorldContext) -> dict[str, MarketIdentity]:
    """Names, operator keys and addresses of both markets and the forum.

    Names come from :func:`course.world.names.names`. Addresses come from
    ``ctx.state["onion"]`` when the tor generator ran; otherwise placeholder
    addresses are derived here (``placeholder=True``).
    """
    rng = ctx.rng("markets.identity")
    onion = ctx.state.get("onion") or {}
    out = {}
    world_names = names(ctx)
    for market in (*cast.MARKETS, cast.FORUM):
        name = world_names[market]
        facts = onion.get(market)
        if facts:
            address, mirrors, placeholder = facts["address"], list(facts["mirrors"]), False
        else:
            base = f"{ctx.seed}:{market}:placeholder-onion".encode()
            address = placeholder_onion(base)
            mirrors = [placeholder_onion(base + bytes([i])) for i in range(2)]
            placeholder = True
        slug = "".join(ch for ch in market if ch.isalnum())
        key = make_key(
            f"{ctx.seed}:{market}:operator".encode(),
            f"{name} (official) <{slug}@{address.removesuffix('.onion')[:16]}.onion>",
            unix("2024-03-01") + rng.randrange(60 * 86400),
        )
        out[market] = MarketIdentity(market, name, key, address, mirrors, placeholder)
    return out


def _unique(rng: random.Random, first: tuple[str, ...], second: tuple[str, ...], n: int,
            joiner: str = "") -> list[str]:
    pairs = rng.sample([(a, b) for a in first for b in second], n)
    return [a + joiner + b for a, b in pairs]


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                      "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y",
                      "", "e", "yu", "ya"], strict=True))


def translit(text: str) -> str:
    """Latin transliteration of a Russian alias ("ХимВетер" -> "khimveter"), for URLs."""
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    return "".join(ch for ch in out if ch.isascii() and (ch.isalnum() or ch in "-_"))


def _handle(rng: random.Random, alias: str) -> str:
    kind = rng.choice(("jabber", "session", "telegram"))
    word = translit(alias)[:8] or "x"
    if kind == "jabber":
        return f"{word}{rng.randrange(10, 99)}@jabber.example.invalid"
    if kind == "session":
        return "05" + rng.randbytes(32).hex()
    return f"@{word}_{rng.choice(('shop', 'bot', 'support', 'op'))}{rng.randrange(1, 9)}"


def _next_number(handle: str) -> str:
    """The same handle with its last number one higher (no random draw, so every
    other handle of the world stays as it was)."""
    import re

    digits = list(re.finditer(r"\d+", handle))
    if not digits:
        return handle + "2"
    last = digits[-1]
    return handle[: last.start()] + str(int(last.group()) + 1) + handle[last.end() :]


def make_vendors(ctx: WorldContext) -> dict[str, Vendor]:
    """Draw every vendor's aliases, keys, handles and join dates."""
    rng = ctx.rng("markets.vendors")
    ru_names = _unique(rng, _RU_FIRST, _RU_SECOND, len(RU_SHOPS))
    en_names = _unique(rng, _EN_FIRST, _EN_SECOND, len(EN_VENDORS))
    vendors = {role: Vendor(role) for role in cast.VENDORS}
    for role, name in zip(RU_SHOPS, ru_names, strict=True):
        vendors[role].aliases[cast.MARKET_RU] = name
    for role, name in zip(EN_VENDORS, en_names, strict=True):
        vendors[role].aliases[cast.MARKET_EN] = name
    base = rng.choice(_LOOKALIKE_BASES)
    vendors[FALSE_LINK[0]].aliases[cast.MARKET_RU] = base
    vendors[FALSE_LINK[1]].aliases[cast.MARKET_EN] = rng.choice(
        (base.replace("o", "0", 1) if "o" in base else base + "z", base + "_Official",
         base.lower() + "24")
    )
    used: set[str] = set()
    for role, vendor in vendors.items():
        for market, alias in vendor.aliases.items():
            same_key = role == TRUE_LINK_KEY
            key_seed = f"{ctx.seed}:{role}:pgp" + ("" if same_key else f":{market}")
            joined = f"2024-{rng.randrange(4, 13):02d}-{rng.randrange(1, 29):02d}"
            vendor.joined[market] = joined
            uid_alias = "".join(ch for ch in alias if ch.isalnum()) if same_key else alias
            if same_key and market != cast.MARKET_RU and cast.MARKET_RU in vendor.keys:
                vendor.keys[market] = vendor.keys[cast.MARKET_RU]
            else:
                uid = f"{uid_alias} <{uid_alias.lower()}@protonmail.example.invalid>"
                if same_key:  # one key, its user id does not name either alias
                    uid = f"k{rng.randrange(1000, 9999)} <k@secmail.example.invalid>"
                vendor.keys[market] = make_key(key_seed.encode(), uid, unix(joined))
            handle = _handle(rng, alias)
            while handle in used:  # look-alike aliases must not share a contact by chance
                handle = _next_number(handle)
            used.add(handle)
            vendor.handles[market] = handle
    shared = vendors[TRUE_LINK_HANDLE]
    shared.handles[cast.MARKET_EN] = shared.handles[cast.MARKET_RU]
    return vendors


def true_links(vendors: dict[str, Vendor]) -> dict[str, str]:
    """Russian shop alias -> English vendor alias, for every person on both markets."""
    return {
        v.aliases[cast.MARKET_RU]: v.aliases[cast.MARKET_EN]
        for v in vendors.values()
        if cast.MARKET_RU in v.aliases and cast.MARKET_EN in v.aliases
    }
