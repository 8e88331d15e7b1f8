"""Who holds bitcoin in the world: the cast's services and vendors, and the background.

Roles of :mod:`course.world.cast` get HD wallets from BIP39 phrases; the
background (ordinary users, buyers, merchants, the mining pool, other
exchanges' customer deposit addresses) gets :class:`~.keys.FastKeys`. Every
wallet records its owner role: that is the ground truth of clustering.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from course.chain.addresses import P2PKH, P2SH, P2TR, P2WPKH
from course.world import cast
from course.world.bitcoin.keys import FastKeys, HDKeys, Key, Wallet
from course.world.names import POOL

COURIER = "courier_01"  # the courier searched on day 3; paid by the target
COURIER_OTHER = "courier_02"
NOISE_EXCHANGES = ("exchange_03", "exchange_04")
MERCHANTS = ("merchant_01", "merchant_02", "merchant_03", "gambling_01")

#: fictional names of the services: :mod:`course.world.names` (tags.csv uses them)

#: address type of each vendor's wallet software (the target: BIP84)
VENDOR_TYPES: dict[str, str] = {
    cast.VENDOR_TARGET: P2WPKH,
    "vendor_01": P2PKH,
    "vendor_02": P2SH,
    "vendor_03": P2TR,
}
#: vendors of each market (the target sells on both)
MARKET_VENDORS: dict[str, tuple[str, ...]] = {
    cast.MARKET_RU: (cast.VENDOR_TARGET, "vendor_01", "vendor_02", "vendor_03", "vendor_04"),
    cast.MARKET_EN: (
        cast.VENDOR_TARGET,
        "vendor_04",
        "vendor_05",
        "vendor_06",
        "vendor_07",
        "vendor_08",
    ),
}
USER_TYPES = (P2WPKH, P2SH, P2PKH, P2TR)
USER_TYPE_WEIGHTS = (55, 17, 12, 16)


@dataclass(eq=False)
class Exchange:
    """An exchange: a hot wallet, customer deposit addresses, a withdrawal queue."""

    role: str
    hot: Wallet
    deposits: Wallet
    customer_keys: dict[str, Key] = field(default_factory=dict)
    queue: list[tuple[Wallet, Key, int, bool]] = field(default_factory=list)

    def deposit_key(self, customer: str) -> Key:
        """The static deposit address of ``customer`` (created on first use)."""
        if customer not in self.customer_keys:
            self.customer_keys[customer] = self.deposits.receive()
        return self.customer_keys[customer]


@dataclass(eq=False)
class Market:
    """A market: per-order deposit addresses, a hot wallet, vendor balances."""

    role: str
    deposits: Wallet
    hot: Wallet
    order_of: dict[str, tuple[str, int]] = field(default_factory=dict)
    settled: dict[str, int] = field(default_factory=dict)


@dataclass(eq=False)
class Actors:
    """Every wallet of the world."""

    pool: Wallet
    exchanges: dict[str, Exchange]
    markets: dict[str, Market]
    vendors: dict[str, Wallet]
    ru_payout: dict[str, Key]
    courier84: Wallet
    courier86: Wallet
    courier_other: Wallet
    exchanger: Wallet
    coordinator: Wallet
    merchants: list[Wallet]
    buyers: list[Wallet]
    users: list[Wallet]
    mixers: list[Wallet]


def _fast(rng: random.Random, owner: str, kind: str, reuse: bool = False) -> Wallet:
    seed = hashlib.sha256(owner.encode() + rng.getrandbits(128).to_bytes(16, "big")).digest()
    wallet = Wallet(owner, FastKeys(seed, kind))
    if reuse:
        wallet.fixed()
    return wallet


def _hd(rng: random.Random, owner: str, kind: str = P2WPKH, reuse: bool = False) -> Wallet:
    wallet = Wallet(owner, HDKeys(rng, kind))
    if reuse:
        wallet.fixed()
    return wallet


def make_actors(rng_keys: random.Random, rng_noise: random.Random, scale: int) -> Actors:
    """Create all wallets; background populations grow with ``scale``."""
    r = rng_keys
    exchanges = {}
    hot_types = {
        cast.EXCHANGE_OTHER: (P2SH, True),
        cast.EXCHANGE_REGULATED: (P2WPKH, True),
        "exchange_03": (P2PKH, True),
        "exchange_04": (P2WPKH, False),
    }
    for role, (kind, reuse) in hot_types.items():
        hot = _hd(r, role, kind, reuse)
        dep_kind = P2SH if role == cast.EXCHANGE_REGULATED else (P2PKH if kind == P2PKH else P2WPKH)
        exchanges[role] = Exchange(role, hot, _fast(r, role, dep_kind))
    markets = {
        cast.MARKET_RU: Market(
            cast.MARKET_RU, _hd(r, cast.MARKET_RU), _hd(r, cast.MARKET_RU, P2SH, True)
        ),
        cast.MARKET_EN: Market(cast.MARKET_EN, _hd(r, cast.MARKET_EN), _hd(r, cast.MARKET_EN)),
    }
    vendors = {v: _hd(r, v, VENDOR_TYPES.get(v, P2WPKH)) for v in cast.VENDORS}
    ru_payout = {v: vendors[v].receive() for v in MARKET_VENDORS[cast.MARKET_RU]}
    courier84 = _hd(r, COURIER, P2WPKH)
    courier86 = Wallet(COURIER, HDKeys.from_phrase(courier84.keys.phrase, P2TR))
    n = rng_noise
    users = []
    for i in range(250 * scale):
        kind = n.choices(USER_TYPES, USER_TYPE_WEIGHTS)[0]
        users.append(_fast(n, f"user_{i:06d}", kind, reuse=n.random() < 0.25))
    buyers = [
        _fast(n, f"buyer_{i:03d}", n.choices(USER_TYPES, USER_TYPE_WEIGHTS)[0], n.random() < 0.3)
        for i in range(70)
    ]
    return Actors(
        pool=_fast(r, POOL, P2WPKH, reuse=True),
        exchanges=exchanges,
        markets=markets,
        vendors=vendors,
        ru_payout=ru_payout,
        courier84=courier84,
        courier86=courier86,
        courier_other=_fast(r, COURIER_OTHER, P2WPKH, reuse=True),
        exchanger=_hd(r, cast.INSTANT_EXCHANGER, P2WPKH, reuse=True),
        coordinator=_hd(r, cast.COINJOIN, P2WPKH, reuse=True),
        merchants=[_fast(r, m, P2WPKH) for m in MERCHANTS],
        buyers=buyers,
        users=users,
        mixers=[u for u in users if u.reuse is None and u.keys.kind in (P2WPKH, P2TR)][
            : 25 * scale
        ],
    )
