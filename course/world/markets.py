"""The darkweb markets of the case world: day 1 and day 2 files, answers and truth.

Builds on :mod:`market_actors` (who), :mod:`market_products` (what is sold),
:mod:`market_pages` (saved HTML) and :mod:`market_indicators` (bitcoin
addresses). Reads ``ctx.state["onion"]`` (tor generator) and
``ctx.state["btc"]["addresses"]`` (bitcoin generator) when present and falls
back to placeholders derived here otherwise (marked in the ground truth).
Names come from :mod:`course.world.names`; BTC and KZT rates from
:mod:`course.world.prices` (the ledger's series, at the capture day).
Writes ``ctx.state["markets"]`` for later generators (photos, evidence).
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter
from datetime import datetime, timedelta

from course.nps import classify_title
from course.world import cast, prices
from course.world import market_pages as pages
from course.world.context import WorldContext, csv_text
from course.world.market_actors import (
    EN_VENDORS,
    FALSE_LINK,
    RU_SHOPS,
    make_markets,
    make_vendors,
    translit,
    true_links,
    unix,
)
from course.world.market_indicators import broken_copy, is_valid_btc_address, role_addresses
from course.world.market_products import (
    CAPTURE_DAY,
    LOCAL_PER_USD,
    TARGET_NITAZENES,
    cities_for,
    make_feedback,
    make_listings,
    make_offers,
    vendor_substances,
)
from course.world.openpgp import clearsign
from course.world.places import CITY_BY_NAME

DAY1, DAY2 = "day1-darkweb-tor", "day2-market-osint"
TITLES_FILE = "data/nps/product_titles.csv"
#: search result pages saved (the listings are spread over them); file names never
#: depend on the seed, so every world has the same files
SEARCH_PAGES = 5
TARGET_CITIES = ("Almaty", "Bishkek", "Shymkent", "Astana")
NON_DRUG_TITLES = (
    "VPN аккаунт на 1 год", "Шаблон паспорта РК (PSD)", "Netflix premium 1 month",
    "Guide: cashing out crypto safely", "Fake ID template pack", "Сим-карта анонимная",
    "Обменник BTC -> KZT, курс выгодный", "Весы ювелирные 0.01г", "Zip-lock bags x100",
    "Carding tutorial 2025", "Аккаунт Telegram с историей", "Drop bank card (verified)",
)


def _mirror_text(market, day: str) -> str:
    lines = [f"{market.name} - official mirrors / официальные зеркала", f"Updated: {day}", ""]
    lines += [f"http://{a}" for a in (market.address, *market.mirrors)]
    lines += ["", "Trust no other address. Не доверяйте другим адресам."]
    return "\n".join(lines) + "\n"


def _mirror_files(ctx: WorldContext, markets) -> list[str]:
    """Signed mirror lists and operator keys for day 1; one re-posted copy is altered."""
    day = (CAPTURE_DAY - timedelta(days=20)).isoformat()
    for market in markets.values():
        signed = clearsign(market.key, _mirror_text(market, day), unix(day) + 3600)
        ctx.add_file(DAY1, f"data/mirrors/{market.market}.txt.asc", signed)
        ctx.add_file(DAY1, f"data/mirrors/keys/{market.market}.asc", market.key.armored())
    victim = markets[cast.MARKET_EN]
    clones = (ctx.state.get("onion") or {}).get(cast.MARKET_EN, {}).get("clones") or []
    fake = clones[0] if clones else pages_placeholder_clone(ctx)
    genuine = clearsign(victim.key, _mirror_text(victim, day), unix(day) + 3600)
    tampered = genuine.replace(victim.mirrors[-1], fake.removeprefix("http://"))
    name = f"{cast.MARKET_EN}_forum_repost.txt.asc"
    ctx.add_file(DAY1, f"data/mirrors/{name}", tampered)
    return [name]


def pages_placeholder_clone(ctx: WorldContext) -> str:
    """A placeholder phishing address, used only when the tor generator did not run."""
    from course.world.market_actors import placeholder_onion

    return placeholder_onion(f"{ctx.seed}:clone:placeholder".encode())


#: Exercise 1.5 asks about the seller with the most titles of this group in the sample.
PREMISE_GROUP = "synthetic_cathinones"
PREMISE_MIN_TITLES = 3


def _premise_count(rows: list[dict[str, str]]) -> int:
    """Titles of :data:`PREMISE_GROUP` of the seller that has the most of them."""
    per_seller = Counter(r["seller"] for r in rows
                         if classify_title(r["title"]).group == PREMISE_GROUP)
    return max(per_seller.values(), default=0)


def _title_sample(ctx: WorldContext, offers, listings, en_alias: dict[str, str]) -> list[str]:
    """Write day 1's sample of titles (with their seller) and its answers.

    Titles are drawn per seller (a shop of the Russian market, a vendor of the
    English one), so a per-seller count means something; the draw is repeated
    until one seller has at least :data:`PREMISE_MIN_TITLES` synthetic-cathinone
    titles, the premise of exercise 1.5.
    """
    rng = ctx.rng("markets.titles")
    ru = sorted({(o.shop, o.title) for o in offers})
    en = sorted({(en_alias[li.vendor], li.title) for li in listings})
    ru_sellers = sorted({shop for shop, _ in ru})
    en_sellers = sorted({vendor for vendor, _ in en})
    for _attempt in range(100):
        chosen = [("market_ru", s, t) for s, t in rng.sample(ru, min(60, len(ru)))]
        chosen += [("market_en", s, t) for s, t in rng.sample(en, min(50, len(en)))]
        for t in NON_DRUG_TITLES:
            russian = any("а" <= c <= "я" for c in t.lower())
            market, sellers = ("market_ru", ru_sellers) if russian else ("market_en", en_sellers)
            chosen.append((market, rng.choice(sellers), t))
        rng.shuffle(chosen)
        rows = [{"title_id": f"T{i:03d}", "market": m, "seller": s, "title": t}
                for i, (m, s, t) in enumerate(chosen, start=1)]
        if _premise_count(rows) >= PREMISE_MIN_TITLES:
            break
    else:  # pragma: no cover - a world whose shops sell no cathinones at all
        raise RuntimeError("no seller has enough synthetic-cathinone titles for exercise 1.5")
    ctx.add_file(DAY1, TITLES_FILE, csv_text(rows, ["title_id", "market", "seller", "title"]))
    groups = {r["title_id"]: classify_title(str(r["title"])).group for r in rows}
    asked = sorted(rng.sample(sorted(groups), 10))
    ctx.add_answer("day1_title_groups", {i: groups[i] for i in asked},
                   hint="Call classify_title on each title and keep its .group.")
    ctx.add_answer("day1_listings_per_group", dict(sorted(Counter(groups.values()).items())),
                   hint="Classify every title, then count titles per group (include 'unknown').")
    return asked


def generate(ctx: WorldContext) -> None:
    """Write day 1 mirror lists and titles, day 2 saved pages, and their answers."""
    markets = make_markets(ctx)
    vendors = make_vendors(ctx)
    rng = ctx.rng("markets.products")
    target_city = CITY_BY_NAME[rng.choice(TARGET_CITIES)]
    nitazene = rng.choice(TARGET_NITAZENES)
    btc_usd = prices.btc_usd(CAPTURE_DAY)  # the ledger's rate of the capture day
    xmr_usd = float(round(rng.uniform(150, 185), 2))

    ru, en = markets[cast.MARKET_RU], markets[cast.MARKET_EN]
    offers, shop_cities = [], {}
    for role in RU_SHOPS:
        cities = cities_for(rng, role, target_city)
        shop_cities[role] = cities
        subs = vendor_substances(rng, role, nitazene)
        offers += make_offers(rng, vendors[role].aliases[ru.market], subs, cities, btc_usd,
                              len(offers) + 1)
    listings = []
    for role in EN_VENDORS:
        subs = vendor_substances(rng, role, nitazene)
        listings += make_listings(rng, role, subs, btc_usd, xmr_usd,
                                  vendors[role].joined[en.market], len(listings) + 100001)
    rng.shuffle(listings)

    # -- saved pages and the capture log ----------------------------------------
    saved: list[tuple[str, str, str]] = []  # (url, relpath under data/, html)

    def save(market, path: str, relpath: str, title: str, lang: str, body: str) -> None:
        url = f"http://{market.address}{path}"
        saved.append((url, relpath, pages.page(url, title, lang, market, body)))

    stats = {}
    ru_order = sorted(vendors[r].aliases[ru.market] for r in RU_SHOPS)
    for role in RU_SHOPS:
        v = vendors[role]
        alias = v.aliases[ru.market]
        slug, number = translit(alias), ru_order.index(alias) + 1
        mine = [o for o in offers if o.shop == alias]
        items = [(o.title, o.city) for o in mine]
        reviews = make_feedback(rng, items, rng.randrange(8, 25), v.joined[ru.market], True)
        rating = round(sum(r.rating for r in reviews) / len(reviews), 2)
        sales = len(reviews) * rng.randrange(6, 15)
        stats[alias] = (rating, sales, len(reviews))
        show_key = role in (cast.VENDOR_TARGET, "vendor_01", FALSE_LINK[0]) or rng.random() < 0.4
        armored = v.keys[ru.market].armored() if show_key else None
        save(ru, f"/shop/{slug}", f"pages/market_ru/shop_{number:02d}.html", alias, "ru",
             pages.shop_page(ru, v, alias, mine, rating, sales, armored))
        save(ru, f"/shop/{slug}/reviews", f"pages/market_ru/shop_{number:02d}_reviews.html",
             f"Отзывы {alias}", "ru", pages.reviews_page(alias, reviews))
    for city_name in sorted(CITY_BY_NAME):
        here = [o for o in offers if o.city == city_name]
        slug = city_name.lower()
        save(ru, f"/city/{slug}", f"pages/market_ru/city_{slug}.html",
             CITY_BY_NAME[city_name].name_ru, "ru", pages.city_page(city_name, here))

    en_alias = {role: vendors[role].aliases[en.market] for role in EN_VENDORS}
    per_page = -(-len(listings) // SEARCH_PAGES)
    for n in range(1, SEARCH_PAGES + 1):
        chunk = listings[(n - 1) * per_page : n * per_page]
        save(en, f"/search?page={n}", f"pages/market_en/search_p{n}.html", f"Search - page {n}",
             "en", pages.search_page(chunk, en_alias, n, SEARCH_PAGES))
    en_order = sorted(en_alias.values())
    feedback_counts = {}
    for role in EN_VENDORS:
        v, alias = vendors[role], en_alias[role]
        mine = [li for li in listings if li.vendor == role]
        fb = make_feedback(rng, [(li.title, "") for li in mine], rng.randrange(10, 40),
                           v.joined[en.market], False)
        feedback_counts[alias] = len(fb)
        rating = round(sum(f.rating for f in fb) / len(fb), 2)
        number = en_order.index(alias) + 1
        save(en, f"/vendor/{alias}", f"pages/market_en/vendor_{number:02d}.html", alias, "en",
             pages.vendor_page(en, v, alias, mine, rating, len(fb) * rng.randrange(3, 8)))
        save(en, f"/vendor/{alias}/feedback", f"pages/market_en/feedback_{number:02d}.html",
             f"Feedback {alias}", "en", pages.feedback_page(alias, fb))

    target_listing = next(li for li in listings
                          if li.vendor == cast.VENDOR_TARGET and li.substance == nitazene)
    good, placeholder_btc = role_addresses(ctx, cast.VENDOR_TARGET, 2)
    bad = [broken_copy(rng, a) for a in good]
    description = (
        f"Lab-grade {nitazene}, tested. Ships in stealth from {target_listing.ships_from}.\n\n"
        f"Escrow or direct deal. For direct deals pay to {good[0]} and message me the txid. "
        f"Old address {bad[0]} is closed, do not use.\n\n"
        f"Repeat customers: {good[-1]} (or {bad[-1]} if the first one is down). "
        f"Wholesale: see my PGP key on the profile."
    )
    listing_rel = "pages/market_en/listing.html"
    save(en, f"/listing/{target_listing.listing_id}", listing_rel, target_listing.title, "en",
         pages.listing_page(target_listing, en_alias[cast.VENDOR_TARGET], description))

    start = datetime(CAPTURE_DAY.year, CAPTURE_DAY.month, CAPTURE_DAY.day, 9, 2, 11)
    log = []
    for url, relpath, html in saved:
        data = html.encode("utf-8")
        ctx.add_file(DAY2, f"data/{relpath}", data)
        start += timedelta(seconds=rng.randrange(15, 95))
        log.append({"url": url, "saved_file": relpath,
                    "captured_utc": start.isoformat() + "Z",
                    "sha256": hashlib.sha256(data).hexdigest()})
    ctx.add_file(DAY2, "data/capture_log.csv",
                 csv_text(log, ["url", "saved_file", "captured_utc", "sha256"]))
    fx = [{"currency": c, "usd_per_unit": round(1 / LOCAL_PER_USD[k], 8)}
          for k, c in sorted(pages_currency().items())]
    fx += [{"currency": "BTC", "usd_per_unit": btc_usd},
           {"currency": "XMR", "usd_per_unit": xmr_usd}]
    ctx.add_file(DAY2, "data/fx_rates.csv", csv_text(fx, ["currency", "usd_per_unit"]))

    # -- day 1 -------------------------------------------------------------------
    tampered = _mirror_files(ctx, markets)
    asked_titles = _title_sample(ctx, offers, listings, en_alias)
    ctx.add_answer("day1_tampered_mirror_lists", tampered, compare="set",
                   hint="Verify every .txt.asc in mirrors/ against its market key; list the "
                        "files whose signature fails.")
    ctx.add_file(DAY1, "data/nps/questions.json", json.dumps({
        "titles_file": TITLES_FILE.removeprefix("data/"), "title_ids": asked_titles,
        "mirror_lists": [f"mirrors/{m}.txt.asc" for m in markets]
        + [f"mirrors/{t}" for t in tampered],
        "mirror_keys": [f"mirrors/keys/{m}.asc" for m in markets],
    }, indent=1, ensure_ascii=False) + "\n")

    # -- day 2 answers -------------------------------------------------------------
    _day2_answers(ctx, vendors, offers, listings, shop_cities, feedback_counts, en_alias,
                  listing_rel, good, target_city)
    ctx.add_truth("markets", {
        "names": {m.market: m.name for m in markets.values()},
        "placeholders": {"onion": [m.market for m in markets.values() if m.placeholder],
                         "btc_addresses": placeholder_btc},
        "aliases": {r: v.aliases for r, v in vendors.items()},
        "true_links": {"by_pgp_key": [vendors[cast.VENDOR_TARGET].aliases[m] for m in
                                      cast.MARKETS],
                       "by_contact_handle": [vendors["vendor_01"].aliases[m] for m in
                                             cast.MARKETS]},
        "false_link": [vendors[FALSE_LINK[0]].aliases[cast.MARKET_RU],
                       vendors[FALSE_LINK[1]].aliases[cast.MARKET_EN]],
        "target": {"city": target_city.name, "substance": nitazene,
                   "listing_id": target_listing.listing_id},
    })
    ctx.state["markets"] = {
        "names": {m.market: m.name for m in markets.values()},
        "addresses": {m.market: {"address": m.address, "mirrors": m.mirrors,
                                 "placeholder": m.placeholder} for m in markets.values()},
        "clones": (ctx.state.get("onion") or {}).get(cast.MARKET_EN, {}).get("clones")
        or [pages_placeholder_clone(ctx)],
        "aliases": {r: dict(v.aliases) for r, v in vendors.items()},
        "handles": {r: dict(v.handles) for r, v in vendors.items()},
        "pgp_fingerprints": {r: {m: k.fingerprint for m, k in v.keys.items()}
                             for r, v in vendors.items()},
        "target_city": target_city.name, "target_substance": nitazene,
        "shop_cities": {r: [c.name for c in cs] for r, cs in shop_cities.items()},
        "btc_usd": btc_usd, "capture_day": CAPTURE_DAY.isoformat(),
    }


def pages_currency() -> dict[str, str]:
    """Country -> currency code of the shop market's prices."""
    from course.world.market_products import CURRENCY

    return CURRENCY


def _day2_answers(ctx, vendors, offers, listings, shop_cities, feedback_counts, en_alias,
                  listing_rel, good, target_city) -> None:
    rng = ctx.rng("markets.questions")
    target_shop = vendors[cast.VENDOR_TARGET].aliases[cast.MARKET_RU]
    pairs = Counter((o.substance, o.currency) for o in offers)
    price_sub, price_cur = max(sorted(pairs), key=lambda p: pairs[p])
    per_gram = [o.price_local / o.grams for o in offers
                if o.substance == price_sub and o.currency == price_cur]
    usd_sub = rng.choice(sorted({li.substance for li in listings if li.substance != price_sub}))
    usd_per_gram = [li.price_usd / li.grams for li in listings if li.substance == usd_sub]
    profile = en_alias["vendor_01"]
    feedback_vendor = en_alias[rng.choice(sorted(EN_VENDORS))]
    city_ru = CITY_BY_NAME[target_city.name].name_ru
    questions = {
        "capture_log": "capture_log.csv", "fx_rates": "fx_rates.csv",
        "target_shop": target_shop, "city_for_offer_count": city_ru,
        "price_substance": price_sub, "price_currency": price_cur,
        "usd_price_substance": usd_sub, "profile_vendor": profile,
        "feedback_vendor": feedback_vendor, "btc_page": listing_rel,
    }
    ctx.add_file(DAY2, "data/questions.json",
                 json.dumps(questions, indent=1, ensure_ascii=False) + "\n")
    ctx.add_answer("day2_listing_count", len(listings),
                   hint="Parse every search_p*.html page and count the listing cards.")
    ctx.add_answer("day2_city_offer_count",
                   sum(1 for o in offers if o.city == target_city.name),
                   hint="Count the cards on the city page named in questions.json.")
    ctx.add_answer("day2_target_shop_cities",
                   sorted(CITY_BY_NAME[c.name].name_ru for c in shop_cities[cast.VENDOR_TARGET]),
                   compare="set", hint="The distinct cities of the shop's showcase, as written.")
    ctx.add_answer("day2_price_per_gram_median", round(statistics.median(per_gram), 2),
                   compare="float", tolerance=0.5,
                   hint="Price divided by weight for every showcase row of that substance in "
                        "that currency; then the median (not the mean).")
    ctx.add_answer("day2_price_per_gram_median_usd", round(statistics.median(usd_per_gram), 4),
                   compare="float", tolerance=0.01,
                   hint="USD price / grams for every listing of that substance; the median.")
    groups = Counter(classify_title(li.title).group for li in listings
                     if en_alias[li.vendor] == profile)
    ctx.add_answer("day2_vendor_groups", dict(sorted(groups.items())),
                   hint="Classify the titles of that vendor's listings and count them per group; "
                        "leave out the groups with no listing.")
    ctx.add_answer("day2_feedback_count", feedback_counts[feedback_vendor],
                   hint="Count the rows of the vendor's feedback table.")
    ctx.add_answer("day2_linked_aliases", dict(sorted(true_links(vendors).items())),
                   hint="Link a shop to a vendor only on hard evidence: the same PGP "
                        "fingerprint or the same contact handle. Similar names are not enough.")
    ctx.add_answer("day2_valid_btc_addresses_in_page", sorted(good), compare="set",
                   hint="Extract address-like strings, then keep those whose checksum is valid.")
    assert all(is_valid_btc_address(a) for a in good)
