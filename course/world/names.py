"""The fictional names of the world's services: one source of truth for every generator.

Markets, the forum, exchanges, the instant exchanger, the CoinJoin
coordinator, the mining pool and the merchants each get one name, drawn from
the seed. The market pages and mirror lists (:mod:`course.world.markets`),
the attribution list ``tags.csv`` (:mod:`course.world.bitcoin`) and the
exchange's response to the legal request (:mod:`course.world.evidence`) all
show the same name for the same role.

:func:`names` draws from the stream ``ctx.rng("names")`` alone, so a
generator run on its own (in a unit test) gets the same names as in the
whole world.
"""

from __future__ import annotations

from course.world import cast
from course.world.context import WorldContext

POOL = "pool_tienshan"

#: candidate names of each role (each pool's names are unique world-wide)
NAME_POOLS: dict[str, tuple[str, ...]] = {
    cast.MARKET_RU: ("Мираж", "Бархан", "Сарацин", "Цветочный"),
    cast.MARKET_EN: ("Silk Caravan", "Amber Road", "Nomad Bazaar", "Saiga Market"),
    cast.FORUM: ("Степной форум", "Chaikhana Forum", "Dastarkhan Board"),
    cast.EXCHANGE_REGULATED: ("Barys Exchange", "Qazyna Crypto", "Altyn Exchange"),
    cast.EXCHANGE_OTHER: ("SteppeCoin", "KoktemBit", "Zhibek Coin"),
    "exchange_03": ("Oasis Trade", "Samarkand Trade", "Registan X"),
    "exchange_04": ("NorthBit", "IssykBit", "Aral Exchange"),
    cast.INSTANT_EXCHANGER: (
        "BystroObmen instant exchanger",
        "Obmenka24 instant exchanger",
        "KursBTC instant exchanger",
    ),
    cast.COINJOIN: ("Whirlwind CoinJoin coordinator", "Buran CoinJoin coordinator"),
    POOL: ("Tien Shan Pool", "Pamir Hash Pool", "Altai Pool"),
    "merchant_01": ("TengePay merchant processor", "SomPay merchant processor"),
    "merchant_02": ("VPN shop",),
    "merchant_03": ("Gift card shop",),
    "gambling_01": ("LuckyYurt casino", "Kumis Casino"),
}


def _check_pools() -> None:
    seen: set[str] = set()
    for pool in NAME_POOLS.values():
        for name in pool:
            if name in seen or "," in name:
                raise ValueError(f"name not unique or not CSV-safe: {name!r}")
            seen.add(name)


_check_pools()


def draw(seed: int) -> dict[str, str]:
    """Draw one name per role for ``seed``.

    Parameters
    ----------
    seed : int
        The world's seed.

    Returns
    -------
    dict[str, str]
        Role -> name, for every role of :data:`NAME_POOLS`.
    """
    rng = WorldContext(seed=seed).rng("names")
    return {role: rng.choice(pool) for role, pool in NAME_POOLS.items()}


def names(ctx: WorldContext) -> dict[str, str]:
    """The world's names (``ctx.state["names"]``, drawn on first use)."""
    if "names" not in ctx.state:
        ctx.state["names"] = draw(ctx.seed)
    return ctx.state["names"]


def generate(ctx: WorldContext) -> None:
    """Draw every service's name, share it in ``ctx.state["names"]`` and the ground truth."""
    ctx.add_truth("names", dict(names(ctx)))
