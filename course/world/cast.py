"""The cast of the story: fixed role ids that every generator agrees on.

Names, aliases, keys and addresses change with the seed; the roles do not.
This is the contract between generators: the bitcoin ledger pays
``vendor_target``, the market pages show the same role under its aliases,
the seized phone belongs to ``vendor_target`` ...
"""

from __future__ import annotations

#: The two markets of the world and the optional forum.
MARKET_RU = "market_ru"  # Russian-language shop-based dead-drop market
MARKET_EN = "market_en"  # English escrow market with postal shipping
FORUM = "forum"
MARKETS: tuple[str, ...] = (MARKET_RU, MARKET_EN)

#: The target of the case: sells a nitazene in a Central Asian city, runs a
#: shop on MARKET_RU and a vendor account on MARKET_EN under other aliases,
#: cashes out through a peel chain to a regulated exchange.
VENDOR_TARGET = "vendor_target"
#: Other vendors: background, and one who shares a PGP key or handle with a
#: second alias (a true link) and one whose alias merely looks alike (a false one).
OTHER_VENDORS: tuple[str, ...] = tuple(f"vendor_{i:02d}" for i in range(1, 9))
VENDORS: tuple[str, ...] = (VENDOR_TARGET, *OTHER_VENDORS)

#: Services in the money flow.
EXCHANGE_REGULATED = "exchange_regulated"  # answers the legal request on day 5
EXCHANGE_OTHER = "exchange_other"  # where buyers buy their bitcoin
INSTANT_EXCHANGER = "instant_exchanger"  # "обменник" without KYC
COINJOIN = "coinjoin"
