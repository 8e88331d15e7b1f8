"""Saved market pages: HTML as an investigator's browser capture saves it.

Every page starts with the ``<!-- saved from url=... -->`` mark that browsers
write on "Save page as", carries the market's navigation, styles and footer
noise, and puts the facts in the markup a real market uses (tables on the
shop market, cards on the escrow market). Trainees parse them with
BeautifulSoup; :mod:`tests.world.test_markets_world` does the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from course.world.market_actors import MarketIdentity, Vendor, translit
from course.world.market_products import Feedback, Listing, Offer
from course.world.places import CITY_BY_NAME

CURRENCY_SIGN = {"KZT": "₸", "KGS": "сом", "UZS": "сум", "TJS": "смн", "TMT": "манат", "AZN": "₼"}
_STYLE = ("body{font-family:sans-serif;background:#111;color:#ddd}a{color:#8cf}"
          "table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #333}")


def _num(value: float) -> str:
    """Russian-style thousands: 20000 -> '20 000'."""
    return f"{value:,.0f}".replace(",", " ") if value >= 1 else f"{value:g}"


def _grams_ru(grams: float) -> str:
    return f"{grams:g}".replace(".", ",") + " г"


def page(url: str, title: str, lang: str, market: MarketIdentity, body: str) -> str:
    """Wrap ``body`` in the market's frame, with the browser's saved-from mark."""
    nav = (
        '<nav><a href="/">Главная</a> <a href="/shops">Магазины</a> '
        '<a href="/exchange">Обменник</a> <a href="/support">Поддержка</a></nav>'
        if lang == "ru"
        else '<nav><a href="/">Home</a> <a href="/search">Listings</a> '
        '<a href="/vendors">Vendors</a> <a href="/wiki">Wiki</a> '
        '<a href="/support">Support</a></nav>'
    )
    return (
        f"<!DOCTYPE html>\n<!-- saved from url=({len(url):04d}){url} -->\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">\n'
        f"<title>{escape(title)} | {escape(market.name)}</title>\n<style>{_STYLE}</style>\n"
        f'<script src="/static/app.js"></script></head>\n<body>\n'
        f'<header class="topbar"><a class="logo" href="/">{escape(market.name)}</a>\n{nav}\n'
        f"</header>\n<main>\n{body}\n</main>\n"
        f'<footer><p class="mirrors">{escape(market.address)}</p>'
        f"<p>&copy; {escape(market.name)}</p></footer>\n</body></html>\n"
    )


def _pgp_block(armored: str) -> str:
    return f'<pre class="pgp-key">{escape(armored)}</pre>'


def shop_page(market: MarketIdentity, vendor: Vendor, alias: str, offers: list[Offer],
              rating: float, sales: int, armored_key: str | None) -> str:
    """The Russian market's page of one shop: header, contacts, key, showcase table."""
    rows = []
    for o in offers:
        city = CITY_BY_NAME[o.city]
        rows.append(
            f'<tr class="offer" data-offer-id="{o.offer_id}"><td class="title">{escape(o.title)}'
            f'</td><td class="city">{escape(city.name_ru)}</td><td class="district">'
            f'{escape(o.district)}</td><td class="klad">{o.klad}</td><td class="weight">'
            f'{_grams_ru(o.grams)}</td><td class="price"><span class="amount">{_num(o.price_local)}'
            f'</span> <span class="currency">{CURRENCY_SIGN[o.currency]}</span></td>'
            f'<td class="price-btc">{o.price_btc:.6f} BTC</td></tr>'
        )
    about = (
        "<p>Работаем с 2024 года. Только мастер-клады, фото с координатами после оплаты. "
        "Пополнение баланса через встроенный обменник.</p>"
        + (f"<p>Для оптовых заказов шифруйте сообщения:</p>{_pgp_block(armored_key)}"
           if armored_key else "")
    )
    body = (
        f'<section class="shop-header"><h1 class="shop-name">{escape(alias)}</h1>\n'
        f'<div class="shop-rating" title="рейтинг">★ <span class="rating">{rating:.2f}</span></div>'
        f'\n<div class="shop-sales">Продаж: <span class="sales">{sales}</span></div>\n'
        f'<div class="shop-since">На площадке с <time>{vendor.joined[market.market]}</time></div>\n'
        f'<div class="shop-contacts">Связь: <span class="contact">'
        f"{escape(vendor.handles[market.market])}</span></div>\n"
        f'<div class="shop-about">{about}</div></section>\n'
        '<section class="showcase"><h2>Витрина</h2>\n<table class="showcase-table">\n'
        "<thead><tr><th>Товар</th><th>Город</th><th>Район</th><th>Тип клада</th><th>Вес</th>"
        "<th>Цена</th><th>BTC</th></tr></thead>\n<tbody>\n" + "\n".join(rows)
        + "\n</tbody></table></section>"
    )
    return body


def city_page(city_name: str, offers: list[Offer]) -> str:
    """The Russian market's city showcase: every shop's offers in one city, as cards."""
    city = CITY_BY_NAME[city_name]
    cards = [
        f'<div class="card" data-offer-id="{o.offer_id}"><div class="card-title">{escape(o.title)}'
        f'</div><div class="card-shop">Магазин: <a href="/shop/{translit(o.shop)}">'
        f"{escape(o.shop)}</a></div><div class=\"card-meta\">{escape(o.district)} · {o.klad} · "
        f'{_grams_ru(o.grams)}</div><div class="card-price">{_num(o.price_local)} '
        f"{CURRENCY_SIGN[o.currency]}</div></div>"
        for o in offers
    ]
    return (
        f'<h1 class="city-name">{escape(city.name_ru)}</h1>\n<p class="count">Предложений: '
        f'{len(offers)}</p>\n<div class="cards">\n' + "\n".join(cards) + "\n</div>"
    )


def reviews_page(alias: str, reviews: list[Feedback]) -> str:
    """A shop's reviews on the Russian market."""
    items = [
        f'<li class="review"><time>{r.day}</time> <span class="stars">{"★" * r.rating}</span> '
        f'<span class="buyer">{escape(r.buyer)}</span> <span class="item">{escape(r.item)}</span> '
        f'<span class="city">{escape(CITY_BY_NAME[r.city].name_ru)}</span>'
        f'<p class="text">{escape(r.text)}</p></li>'
        for r in reviews
    ]
    return (
        f'<h1>Отзывы о магазине <span class="shop-name">{escape(alias)}</span></h1>\n'
        f'<ul class="reviews">\n' + "\n".join(items) + "\n</ul>"
    )


def search_page(listings: Iterable[Listing], aliases: dict[str, str], number: int,
                pages: int) -> str:
    """One page of the escrow market's search results, as listing cards."""
    cards = [
        f'<div class="listing-card" id="l-{li.listing_id}">\n'
        f' <a class="listing-title" href="/listing/{li.listing_id}">{escape(li.title)}</a>\n'
        f' <div class="vendor">by <a href="/vendor/{escape(aliases[li.vendor])}">'
        f"{escape(aliases[li.vendor])}</a></div>\n"
        f' <div class="price"><span class="usd">USD {li.price_usd:.2f}</span> '
        f'<span class="btc">{li.price_btc:.6f} BTC</span> <span class="xmr">{li.price_xmr:.4f} XMR'
        f"</span></div>\n"
        f' <div class="shipping">Ships from <span class="from">{escape(li.ships_from)}</span> to '
        f'<span class="to">{escape(li.ships_to)}</span></div>\n'
        f' <div class="posted">Listed <time>{li.posted}</time></div>\n</div>'
        for li in listings
    ]
    nav = " ".join(
        f'<a href="/search?page={n}">{n}</a>' if n != number else f"<b>{n}</b>"
        for n in range(1, pages + 1)
    )
    return (
        '<h1>Search results</h1>\n<div class="results">\n' + "\n".join(cards)
        + f'\n</div>\n<div class="pagination">Page {number} of {pages}: {nav}</div>'
    )


def vendor_page(market: MarketIdentity, vendor: Vendor, alias: str, listings: list[Listing],
                rating: float, sales: int) -> str:
    """The escrow market's vendor profile: stats, contact, mandatory PGP key, listings."""
    rows = "\n".join(
        f'<tr><td><a href="/listing/{li.listing_id}">{escape(li.title)}</a></td>'
        f"<td>USD {li.price_usd:.2f}</td><td>{escape(li.ships_from)}</td></tr>"
        for li in listings
    )
    return (
        f'<div class="vendor-profile"><h1 class="vendor-name">{escape(alias)}</h1>\n'
        f'<table class="vendor-stats"><tr><th>Member since</th><td class="joined">'
        f"{vendor.joined[market.market]}</td></tr>\n<tr><th>Rating</th><td class=\"rating\">"
        f"{rating:.2f}/5</td></tr>\n<tr><th>Sales</th><td class=\"sales\">{sales}</td></tr>\n"
        f'<tr><th>Contact</th><td class="contact">{escape(vendor.handles[market.market])}</td></tr>'
        f"</table>\n<h2>PGP key</h2>\n{_pgp_block(vendor.keys[market.market].armored())}\n"
        f'<h2>Listings</h2>\n<table class="vendor-listings">\n{rows}\n</table>\n'
        f'<p><a href="/vendor/{escape(alias)}/feedback">Feedback</a></p></div>'
    )


def feedback_page(alias: str, feedback: list[Feedback]) -> str:
    """All feedback left for one vendor on the escrow market."""
    rows = "\n".join(
        f'<tr class="feedback"><td class="date">{f.day}</td><td class="rating">{f.rating}/5</td>'
        f'<td class="buyer">{escape(f.buyer)}</td><td class="item">{escape(f.item)}</td>'
        f'<td class="comment">{escape(f.text)}</td></tr>'
        for f in feedback
    )
    return (
        f'<h1>Feedback for <span class="vendor-name">{escape(alias)}</span></h1>\n'
        f'<table class="feedback-table"><thead><tr><th>Date</th><th>Rating</th><th>Buyer</th>'
        f"<th>Item</th><th>Comment</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>"
    )


def listing_page(listing: Listing, alias: str, description: str) -> str:
    """One listing of the escrow market, with the vendor's own description text."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in description.split("\n\n"))
    return (
        f'<div class="listing-detail" id="l-{listing.listing_id}">\n'
        f'<h1 class="listing-title">{escape(listing.title)}</h1>\n'
        f'<div class="vendor">Sold by <a href="/vendor/{escape(alias)}">{escape(alias)}</a></div>\n'
        f'<div class="price">USD {listing.price_usd:.2f} / {listing.price_btc:.6f} BTC / '
        f"{listing.price_xmr:.4f} XMR</div>\n"
        f'<div class="description">\n{paragraphs}\n</div></div>'
    )
