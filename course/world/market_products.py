"""What the vendors sell: titles drawn from the NPS lexicon, offers, listings, feedback.

Titles are written the way real listings are (Russian and English, slang,
misspellings, quantities, shouting capitals), from the lexicon's own terms,
and each is checked against :func:`course.nps.classify_title`, so the
classifier a trainee uses finds the group the generator meant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from course.nps import SUBSTANCE_BY_NAME, classify_title
from course.world import cast
from course.world.places import CITIES, City
from course.world.prices import kzt_per_usd

CAPTURE_DAY = date(2025, 10, 15)
#: units of local currency per US dollar at the capture date (tenge: the world's series)
LOCAL_PER_USD: dict[str, float] = {
    "KZ": kzt_per_usd(CAPTURE_DAY), "KG": 87.4, "UZ": 12650.0, "TJ": 10.9, "TM": 3.5, "AZ": 1.7,
}
CURRENCY: dict[str, str] = {"KZ": "KZT", "KG": "KGS", "UZ": "UZS", "TJ": "TJS", "TM": "TMT",
                            "AZ": "AZN"}
#: local prices are rounded to these steps, as shops do
PRICE_STEP: dict[str, float] = {"KZT": 500, "KGS": 50, "UZS": 10000, "TJS": 5, "TMT": 5,
                                "AZN": 1}
KLAD_TYPES = ("магнит", "прикоп", "тайник")
DISTRICTS = ("Центр", "Север", "Юг", "Вокзал", "Промзона", "мкр. 5", "мкр. 11", "Старый город")

#: substance -> (US dollars per gram on the shop market, gram sizes offered)
PRICES: dict[str, tuple[float, tuple[float, ...]]] = {
    "mephedrone": (38.0, (0.5, 1, 2, 3, 5)),
    "alpha-PVP": (34.0, (0.3, 0.5, 1, 2)),
    "MDMB-4en-PINACA": (22.0, (1, 2, 3, 5)),
    "ADB-BUTINACA": (24.0, (1, 2, 5)),
    "synthetic cannabinoid (unspecified)": (16.0, (1, 3, 5)),
    "metonitazene": (160.0, (0.1, 0.25, 0.5)),
    "protonitazene": (150.0, (0.1, 0.25, 0.5)),
    "bromazolam": (90.0, (0.1, 0.25, 0.5)),
    "etizolam": (80.0, (0.1, 0.25)),
    "hashish": (14.0, (1, 2, 5, 10)),
    "cannabis": (11.0, (1, 3, 5, 10)),
    "heroin": (70.0, (0.5, 1, 2)),
    "amphetamine": (25.0, (1, 2, 5)),
    "methamphetamine": (60.0, (0.5, 1, 2)),
    "MDMA": (45.0, (0.5, 1, 2)),
    "cocaine": (130.0, (0.5, 1, 2)),
    "ketamine": (40.0, (0.5, 1, 2)),
    "2C-B": (55.0, (0.5, 1)),
    "4-CMC": (30.0, (1, 2, 5)),
    "3-MMC": (35.0, (1, 2, 5)),
    "5-MeO-DMT": (120.0, (0.25, 0.5)),
    "MDAI": (40.0, (1, 2)),
    "BZP": (20.0, (1, 2, 5)),
    "kratom": (1.0, (50, 100, 250)),
    "pregabalin": (3.0, (5, 10)),
    "psilocybin mushrooms": (9.0, (3, 5, 10)),
}
TARGET_NITAZENES = ("metonitazene", "protonitazene")
_BACKGROUND = tuple(s for s in PRICES if s not in TARGET_NITAZENES)
_COMMON = ("mephedrone", "alpha-PVP", "MDMB-4en-PINACA", "hashish", "cannabis", "heroin",
           "synthetic cannabinoid (unspecified)", "amphetamine")

_RU_QUAL = ("VHQ", "Премиум", "ТОП", "люкс", "мощный", "NEW", "чистый", "💎", "(опт)", "белый")
_EN_QUAL = ("Pure", "Lab tested", "Top quality", "HQ", "99%", "Stealth shipping", "VHQ", "Bulk",
            "Premium", "**SALE**")


@dataclass(frozen=True)
class Product:
    """A titled product of one vendor."""

    title: str
    substance: str
    group: str
    grams: float


def _fmt_grams(rng: random.Random, grams: float, russian: bool) -> str:
    text = f"{grams:g}"
    if russian and "." in text and rng.random() < 0.5:
        text = text.replace(".", ",")
    unit = rng.choice(("г", " г", " гр", "гр") if russian else ("g", " g", " gr", " grams"))
    return text + unit


def _terms(substance: str, russian: bool) -> list[str]:
    found = []
    for kind, term in SUBSTANCE_BY_NAME[substance].terms:
        if (kind == "generic") != ("unspecified" in substance) and kind != "street":
            continue
        cyr = any("а" <= ch <= "я" for ch in term)
        if cyr == russian:
            found.append(term)
    return found or [SUBSTANCE_BY_NAME[substance].name]


def _styled(rng: random.Random, term: str) -> str:
    style = rng.random()
    if style < 0.25:
        return term.upper()
    if style < 0.8:
        return term[:1].upper() + term[1:]
    return term


def make_title(rng: random.Random, substance: str, grams: float, russian: bool) -> str:
    """A listing title for ``substance`` that :func:`classify_title` puts in its group."""
    group = SUBSTANCE_BY_NAME[substance].group
    terms = _terms(substance, russian)
    for _ in range(30):
        term = _styled(rng, rng.choice(terms))
        qual = rng.choice(_RU_QUAL if russian else _EN_QUAL)
        qty = _fmt_grams(rng, grams, russian)
        title = rng.choice(
            (f"{term} {qual} {qty}", f"{term} [{qual}] {qty}", f"{qual} {term} {qty}",
             f"{term} ({qty})", f"{term} {qty}")
        )
        found = classify_title(title)
        if found.group == group and (found.substance == substance or "unspecified" in substance):
            return title
    return f"{SUBSTANCE_BY_NAME[substance].name} {grams:g}g"


def vendor_substances(rng: random.Random, role: str, nitazene: str) -> list[str]:
    """The substances one vendor sells; the target always sells ``nitazene``."""
    count = rng.randrange(3, 6)
    chosen = rng.sample(_COMMON, 2) + rng.sample(_BACKGROUND, count)
    if role == cast.VENDOR_TARGET:
        chosen = [nitazene, "mephedrone", "alpha-PVP", *chosen]
    return list(dict.fromkeys(chosen))[:7]


@dataclass(frozen=True)
class Offer:
    """One showcase row of a shop on the Russian market (a dead drop ready in a city)."""

    offer_id: str
    shop: str
    title: str
    substance: str
    group: str
    city: str
    district: str
    klad: str
    grams: float
    price_local: float
    currency: str
    price_btc: float


def local_price(rng: random.Random, substance: str, grams: float, city: City) -> float:
    """A shop's price in local currency, with a bulk discount and per-shop noise."""
    usd_per_g = PRICES[substance][0] * rng.uniform(0.85, 1.2) * (1 - min(grams, 10) * 0.02)
    currency = CURRENCY[city.country]
    step = PRICE_STEP[currency]
    raw = usd_per_g * grams * LOCAL_PER_USD[city.country]
    return float(max(step, round(raw / step) * step))


def make_offers(rng: random.Random, shop: str, substances: list[str], cities: list[City],
                btc_usd: float, start: int) -> list[Offer]:
    """The showcase of one shop: every substance in some of its cities, in some sizes."""
    offers = []
    for substance in substances:
        sizes = PRICES[substance][1]
        for city in cities:
            if rng.random() < 0.35 and substance not in TARGET_NITAZENES:
                continue
            for grams in sorted(rng.sample(sizes, min(len(sizes), rng.randrange(1, 3)))):
                price = local_price(rng, substance, grams, city)
                usd = price / LOCAL_PER_USD[city.country]
                offers.append(Offer(
                    f"{start + len(offers):05d}", shop, make_title(rng, substance, grams, True),
                    substance, SUBSTANCE_BY_NAME[substance].group, city.name,
                    rng.choice(DISTRICTS), rng.choice(KLAD_TYPES), grams, price,
                    CURRENCY[city.country], round(usd / btc_usd, 6),
                ))
    return offers


@dataclass(frozen=True)
class Listing:
    """One listing of a vendor on the English escrow market."""

    listing_id: str
    vendor: str
    title: str
    substance: str
    group: str
    grams: float
    price_usd: float
    price_btc: float
    price_xmr: float
    ships_from: str
    ships_to: str
    posted: str


SHIP_FROM = ("Netherlands", "Germany", "Poland", "China", "India", "Kazakhstan", "Russia")
SHIP_TO = ("Worldwide", "Europe", "CIS", "Kazakhstan, Kyrgyzstan, Uzbekistan",
           "Worldwide except USA")


def make_listings(rng: random.Random, vendor: str, substances: list[str], btc_usd: float,
                  xmr_usd: float, joined: str, start: int) -> list[Listing]:
    """The listings of one vendor (one or two sizes per substance)."""
    ships_from = rng.choice(SHIP_FROM)
    first = date.fromisoformat(joined)
    span = max(1, (CAPTURE_DAY - first).days - 1)
    out = []
    for substance in substances:
        for grams in rng.sample(PRICES[substance][1], min(2, len(PRICES[substance][1]))):
            usd = round(PRICES[substance][0] * rng.uniform(0.9, 1.3) * grams
                        * (1 - min(grams, 10) * 0.015), 2)
            out.append(Listing(
                f"{start + len(out):06d}", vendor, make_title(rng, substance, grams, False),
                substance, SUBSTANCE_BY_NAME[substance].group, grams, usd,
                round(usd / btc_usd, 6), round(usd / xmr_usd, 4), ships_from,
                rng.choice(SHIP_TO), (first + timedelta(days=rng.randrange(span))).isoformat(),
            ))
    return out


@dataclass(frozen=True)
class Feedback:
    """One feedback (English market) or review (Russian market) entry."""

    day: str
    rating: int
    buyer: str
    item: str
    text: str
    city: str = ""


_EN_TEXT = ("Fast delivery, great stealth", "As described. Will order again", "Good comms",
            "Arrived in 6 days, top quality", "Slow shipping but vendor sorted it",
            "A+++", "Weak product, not as advertised", "Perfect, thanks")
_RU_TEXT = ("Клад на месте, всё ровно", "Забрал, спасибо магазину", "Ненаход, перезаклад дали",
            "Качество огонь", "Фото чёткие, нашёл быстро", "Вес в норме", "Долго искал, но нашёл",
            "Оператор на связи, рекомендую")


def make_feedback(rng: random.Random, items: list[tuple[str, str]], count: int, joined: str,
                  russian: bool) -> list[Feedback]:
    """``count`` dated entries about ``items`` ((title, city) pairs) since ``joined``."""
    first = date.fromisoformat(joined)
    span = max(1, (CAPTURE_DAY - first).days)
    out = []
    for _ in range(count):
        title, city = rng.choice(items)
        day = first + timedelta(days=rng.randrange(span))
        rating = rng.choices((5, 4, 3, 2, 1), weights=(70, 15, 7, 4, 4))[0]
        buyer = rng.choice("abcdefghkmnprstvxz") + "***" + rng.choice("abcdefghkmnprstvxz")
        text = rng.choice(_RU_TEXT if russian else _EN_TEXT)
        out.append(Feedback(day.isoformat(), rating, buyer, title, text, city))
    out.sort(key=lambda f: (f.day, f.buyer, f.item), reverse=True)
    return out


def cities_for(rng: random.Random, role: str, target_city: City) -> list[City]:
    """The cities where a shop keeps showcases (the target's include ``target_city``)."""
    count = rng.randrange(2, 5)
    cities = rng.sample([c for c in CITIES if c != target_city], count)
    if role == cast.VENDOR_TARGET:
        cities = [target_city, *cities[: count - 1]]
    return sorted(cities, key=lambda c: c.name)
