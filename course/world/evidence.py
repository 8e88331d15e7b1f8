"""Day 5: the exchange's response to a legal request, and the seized evidence.

- ``data/exchange_response/``: what the regulated exchange returns about the
  target's account (KYC, deposit addresses and history, withdrawals to bank
  cards with masked numbers, login IPs and times), as JSON and CSV.
- ``data/seized/phone/``: a messenger export in Telegram Desktop's
  ``result.json`` shape (chats with the courier giving dead-drop
  coordinates) and a notes-app extraction holding a BIP39 seed phrase.
- ``data/seized/laptop/bookmarks.html``: browser bookmarks (Netscape format).
- ``data/seized/hashes.sha256``: hashes recorded at seizure (``sha256sum``
  format); one file was re-exported later and no longer matches.

Reads ``ctx.state["btc"]`` (``exchange_deposit_addresses``,
``target_deposits``, ``seized_seed_phrase``), ``ctx.state["markets"]`` and
``ctx.state["photos"]`` when present; otherwise uses placeholders derived
here, listed under ``placeholders`` in the ground truth. The exchange's name
comes from :mod:`course.world.names`, tenge amounts from the daily rates of
:mod:`course.world.prices`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from course.world import cast, prices
from course.world.context import WorldContext, csv_text
from course.world.market_indicators import placeholder_addresses, placeholder_mnemonic
from course.world.names import names
from course.world.places import CITY_BY_NAME

ASSIGNMENT = "day5-building-the-case"
FIRST = ("Ерлан", "Азамат", "Тимур", "Бекзат", "Нурлан", "Руслан", "Данияр", "Алишер")
LAST = ("Сейткалиев", "Жумабаев", "Исмаилов", "Ахмедов", "Турсунов", "Касымов", "Омаров")
PHONE_PREFIX = {"KZ": "+7 70", "KG": "+996 55", "UZ": "+998 90", "TJ": "+992 93"}
HOME_IPS = ("95.56.", "178.89.", "212.154.", "2.133.")
AGENTS = ("Mozilla/5.0 (Linux; Android 13; SM-A525F) Chrome/124.0 Mobile",
          "ExchangeApp/5.2.1 (Android 13)",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0")


def _deposits(ctx: WorldContext, rng, addresses: list[str]) -> tuple[list[dict], bool]:
    """Deposit history: the ledger's deposits of the target if shared, else placeholders."""
    shared = (ctx.state.get("btc") or {}).get("target_deposits") or []
    rows = []
    for item in shared:
        if not isinstance(item, dict):
            continue
        sats = item.get("value_sat", item.get("value_sats"))
        amount = sats / 1e8 if sats is not None else float(item.get("value", 0))
        when = item.get("time") or item.get("timestamp") or item.get("date") or ""
        if isinstance(when, int | float):
            when = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append({"txid": item.get("txid", ""), "address": item.get("address", ""),
                     "amount_btc": f"{amount:.8f}", "confirmed_utc": str(when)})
    if rows:
        return rows, False
    start = datetime(2025, 9, 20, 8, 0, 0)
    for i in range(rng.randrange(4, 7)):
        start += timedelta(days=rng.randrange(2, 9), minutes=rng.randrange(900))
        rows.append({
            "txid": hashlib.sha256(f"{ctx.seed}:placeholder-deposit:{i}".encode()).hexdigest(),
            "address": addresses[i % len(addresses)],
            "amount_btc": f"{rng.uniform(0.01, 0.09):.8f}",
            "confirmed_utc": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        })
    return rows, True


def _target_addresses(ctx: WorldContext) -> tuple[list[str], bool]:
    """The target's deposit addresses at the exchange, and whether they are placeholders."""
    shared = (ctx.state.get("btc") or {}).get("exchange_deposit_addresses") or []
    if shared:
        return list(shared), False
    return placeholder_addresses(f"{ctx.seed}:{cast.EXCHANGE_REGULATED}:placeholder-btc", 2), True


def _withdrawals(ctx: WorldContext, rng, deposits: list[dict]) -> tuple[list[dict], str]:
    """The target sells each deposit for tenge at the world's rates and withdraws to a card."""
    rates = ctx.state.get("rates") or prices.series()
    card = f"4400 43** **** {rng.randrange(1000, 9999)}"
    rows = []
    for i, deposit in enumerate(deposits):
        day = datetime.fromisoformat(deposit["confirmed_utc"].rstrip("Z"))
        day += timedelta(days=rng.randrange(1, 4), hours=rng.randrange(12))
        rate = rates.get(day.date().isoformat()) or rates[max(rates)]
        kzt = float(deposit["amount_btc"]) * rate["btc_usd"] * rate["kzt_per_usd"]
        rows.append({"withdrawal_id": f"W{rng.randrange(10**7, 10**8)}",
                     "created_utc": day.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "amount_kzt": int(kzt * rng.uniform(0.96, 0.99)) // 1000 * 1000,
                     "card_masked": card if i % 4 else f"5169 49** **** {i}{i}{i}{i}",
                     "status": "completed"})
    rows.sort(key=lambda row: row["created_utc"])
    return rows, card


def _exchange(ctx: WorldContext, rng, holder: dict, phone: str) -> dict[str, object]:
    addresses, placeholder_addr = _target_addresses(ctx)
    deposits, placeholder_dep = _deposits(ctx, rng, addresses)
    addresses = sorted({d["address"] for d in deposits if d["address"]} | set(addresses))
    withdrawals, card = _withdrawals(ctx, rng, deposits)
    home = rng.choice(HOME_IPS) + f"{rng.randrange(1, 255)}.{rng.randrange(1, 255)}"
    logins, when = [], datetime(2025, 9, 1, 7, 0, 0)
    for _ in range(18):
        when += timedelta(hours=rng.randrange(20, 90), minutes=rng.randrange(60))
        vpn = rng.random() < 0.25
        ip = (f"185.{rng.randrange(100, 250)}.{rng.randrange(255)}.{rng.randrange(255)}"
              if vpn else home)
        logins.append({"time_utc": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "ip": ip,
                       "country": rng.choice(("NL", "DE", "SE")) if vpn else "KZ",
                       "user_agent": rng.choice(AGENTS)})
    account = {
        "request_reference": f"MLA-{rng.randrange(1000, 9999)}/2025",
        "exchange": f"{names(ctx)[cast.EXCHANGE_REGULATED]} (fictional, training data)",
        "response_date": "2025-11-20",
        "account": {"account_id": f"U{rng.randrange(10**8, 10**9)}", "holder": holder,
                    "phone": phone, "email": f"{holder['latin'].lower().replace(' ', '.')}"
                    f"{rng.randrange(10, 99)}@mail.example.invalid",
                    "registered_utc": "2024-12-03T11:42:09Z", "kyc_level": 2,
                    "id_document": {"type": "national ID card", "issuing_country": "KZ",
                                    "number": f"{rng.randrange(10**8, 10**9)}",
                                    "expiry": "2031-05-17"}},
        "deposit_addresses": addresses,
        "files": {"deposits": "deposits.csv", "withdrawals": "withdrawals.csv",
                  "logins": "logins.csv", "rates": "rates.csv"},
    }
    base = "data/exchange_response/"
    ctx.add_file(ASSIGNMENT, base + "response.json",
                 json.dumps(account, indent=1, ensure_ascii=False) + "\n")
    ctx.add_file(ASSIGNMENT, base + "deposits.csv",
                 csv_text(deposits, ["txid", "address", "amount_btc", "confirmed_utc"]))
    ctx.add_file(ASSIGNMENT, base + "withdrawals.csv", csv_text(
        withdrawals, ["withdrawal_id", "created_utc", "amount_kzt", "card_masked", "status"]))
    ctx.add_file(ASSIGNMENT, base + "logins.csv",
                 csv_text(logins, ["time_utc", "ip", "country", "user_agent"]))
    ctx.add_answer("day5_exchange_deposit_total_btc",
                   round(sum(float(d["amount_btc"]) for d in deposits), 8), compare="float",
                   tolerance=1e-8, hint="Add up amount_btc of deposits.csv.")
    ctx.add_answer("day5_exchange_card_withdrawals_kzt",
                   sum(w["amount_kzt"] for w in withdrawals if w["card_masked"] == card),
                   hint="Total amount_kzt of the withdrawals to the card used most often.")
    ctx.add_answer("day5_exchange_home_ip", home,
                   hint="The IP address the account logs in from most often (not the VPNs).")
    return {"placeholder_addresses": placeholder_addr, "placeholder_deposits": placeholder_dep,
            "card": card, "home_ip": home}


def _message(i: int, when: datetime, sender: str, sender_id: str, text: str) -> dict:
    return {"id": i, "type": "message", "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_unixtime": str(int(when.replace(tzinfo=UTC).timestamp())),
            "from": sender, "from_id": sender_id, "text": text,
            "text_entities": [{"type": "plain", "text": text}]}


def _phone(ctx: WorldContext, rng, holder: dict, phone: str, city_name: str) -> dict:
    drops = list((ctx.state.get("photos") or {}).get("target_drops") or [])
    city = CITY_BY_NAME[city_name]
    while len(drops) < 5:
        drops.append({"lat": round(city.lat + rng.uniform(-0.03, 0.03), 6),
                      "lon": round(city.lon + rng.uniform(-0.04, 0.04), 6),
                      "taken": f"2025-09-{10 + len(drops):02d}T09:30:00",
                      "spot": rng.choice(("магнит", "прикоп", "тайник"))})
    me, courier = f"{holder['first_name']}", rng.choice(("Алмаз", "Самат", "Жандос", "Ильяс"))
    me_id = f"user{rng.randrange(10**9, 10**10)}"
    courier_id = f"user{rng.randrange(10**9, 10**10)}"
    messages, n = [], 1
    for drop in drops:
        when = datetime.fromisoformat(drop["taken"]) + timedelta(minutes=rng.randrange(5, 40))
        messages.append(_message(n, when - timedelta(hours=3), me, me_id,
                                 rng.choice(("Нужно 5 мастер-кладов сегодня", "Развези остаток",
                                             "Сколько осталось?"))))
        messages.append(_message(n + 1, when, courier, courier_id,
                                 f"Готово: {drop['lat']:.6f}, {drop['lon']:.6f} {drop['spot']}, "
                                 "фото в боте"))
        n += 2
    saved = _message(n, datetime(2025, 9, 2, 23, 10), me, me_id,
                     "Кошелёк резерв - см. заметки, не пиши сюда фразу")
    export = {
        "about": "Here is the data you requested. Remember: we are not responsible for what "
                 "you do with it. (synthetic training data)",
        "personal_information": {"user_id": int(me_id[4:]), "first_name": holder["first_name"],
                                 "last_name": holder["last_name"], "phone_number": phone,
                                 "username": "", "bio": ""},
        "contacts": {"about": "Contacts list.", "list": [
            {"user_id": int(courier_id[4:]), "first_name": courier, "last_name": "",
             "phone_number": f"+7 747 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
             "date": "2025-06-14T19:02:11", "date_unixtime": "1749927731"}]},
        "chats": {"about": "This page lists all chats from this export.", "list": [
            {"name": courier, "type": "personal_chat", "id": int(courier_id[4:]),
             "messages": messages},
            {"name": "Saved Messages", "type": "saved_messages", "id": int(me_id[4:]),
             "messages": [saved]},
        ]},
    }
    seed_phrase = (ctx.state.get("btc") or {}).get("seized_seed_phrase")
    placeholder_seed = not seed_phrase
    if placeholder_seed:
        seed_phrase = placeholder_mnemonic(f"{ctx.seed}:seized-seed:placeholder")
    notes = [{"id": 1, "title": "Покупки", "created": "2025-08-30T18:20:00",
              "body": "скотч, магниты 30 шт, зиплоки, весы"},
             {"id": 2, "title": "резерв", "created": "2025-09-02T23:12:41",
              "body": "\n".join(" ".join(seed_phrase.split()[i:i + 4])
                                for i in range(0, len(seed_phrase.split()), 4))}]
    coords = sorted({(d["lat"], d["lon"]) for d in drops})
    ctx.add_answer("day5_phone_dead_drop_count", len(coords),
                   hint="Find every 'lat, lon' pair in the courier's messages; "
                        "count distinct ones.")
    ctx.add_answer("day5_seed_phrase", " ".join(seed_phrase.split()),
                   hint="The note's words in order, separated by single spaces.")
    return {"export": json.dumps(export, indent=1, ensure_ascii=False) + "\n",
            "notes": json.dumps(notes, indent=1, ensure_ascii=False) + "\n",
            "placeholder_seed": placeholder_seed, "coordinates": coords}


def _bookmarks(ctx: WorldContext, rng) -> tuple[str, list[str]]:
    shared = ctx.state.get("markets") or {}
    addresses = shared.get("addresses") or {}
    names = shared.get("names") or {}
    links = [(names.get(m, m), a["address"]) for m, a in sorted(addresses.items())]
    clones = list(shared.get("clones") or [])[:1]
    links += [(f"{names.get(cast.MARKET_EN, 'market')} (new mirror)", c) for c in clones]
    items = "\n".join(
        f'        <DT><A HREF="http://{a}/" ADD_DATE="{1750000000 + 86400 * i}">{t}</A>'
        for i, (t, a) in enumerate(links)
    )
    html = (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<!-- This is an automatically generated file.\n"
        "     It will be read and overwritten.\n     DO NOT EDIT! -->\n"
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
        "<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks Menu</H1>\n\n<DL><p>\n"
        '    <DT><H3 ADD_DATE="1749000000">tor</H3>\n    <DL><p>\n'
        f"{items}\n    </DL><p>\n"
        '    <DT><A HREF="https://mempool.example.invalid/" ADD_DATE="1749100000">explorer</A>\n'
        '    <DT><A HREF="https://exchanger.example.invalid/kzt" ADD_DATE="1749200000">обмен</A>\n'
        "</DL>\n"
    )
    return html, [c.removeprefix("http://") for c in clones]


def generate(ctx: WorldContext) -> None:
    """Write the exchange response, the seized phone and laptop files, and day-5 answers."""
    rng = ctx.rng("evidence")
    city = (ctx.state.get("markets") or {}).get("target_city", "Almaty")
    country = CITY_BY_NAME[city].country
    first, last = rng.choice(FIRST), rng.choice(LAST)
    latin = {"Ерлан": "Yerlan", "Азамат": "Azamat", "Тимур": "Timur", "Бекзат": "Bekzat",
             "Нурлан": "Nurlan", "Руслан": "Ruslan", "Данияр": "Daniyar", "Алишер": "Alisher"}
    holder = {"first_name": first, "last_name": last, "full_name": f"{last} {first}",
              "latin": f"{latin[first]} {rng.randrange(100, 999)}",
              "date_of_birth":
                  f"199{rng.randrange(10)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
              "city": city}
    phone = (PHONE_PREFIX.get(country, "+7 70") + f"{rng.randrange(10)} "
             f"{rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}")
    ex = _exchange(ctx, rng, holder, phone)
    ph = _phone(ctx, rng, holder, phone, city)
    bookmarks, clones = _bookmarks(ctx, rng)
    seized = {"phone/messenger_export/result.json": ph["export"],
              "phone/notes.json": ph["notes"], "laptop/bookmarks.html": bookmarks}
    lines = []
    for rel, text in seized.items():
        recorded = text if rel != "laptop/bookmarks.html" else text.replace("обмен", "обменник")
        lines.append(f"{hashlib.sha256(recorded.encode()).hexdigest()}  {rel}")
        ctx.add_file(ASSIGNMENT, f"data/seized/{rel}", text)
    ctx.add_file(ASSIGNMENT, "data/seized/hashes.sha256", "\n".join(lines) + "\n")
    ctx.add_file(ASSIGNMENT, "data/evidence_questions.json", json.dumps({
        "exchange_response": "exchange_response/response.json",
        "messenger_export": "seized/phone/messenger_export/result.json",
        "notes": "seized/phone/notes.json", "bookmarks": "seized/laptop/bookmarks.html",
        "hash_list": "seized/hashes.sha256", "market_pages": "market_pages",
        "tip_listing": "market_pages/market_en/listing.html", "ledger": "ledger"}, indent=1) + "\n")
    ctx.add_answer("day5_exchange_account_holder", holder["full_name"],
                   hint="account.holder.full_name in response.json.")
    ctx.add_answer("day5_hash_mismatch_files", ["laptop/bookmarks.html"], compare="set",
                   hint="Hash each file with SHA-256 and compare with hashes.sha256.")
    ctx.add_answer("day5_bookmarked_clones", clones, compare="set",
                   hint="Bookmarked onion addresses that are on no signed mirror list.")
    ctx.add_truth("evidence", {"holder": holder, "phone": phone, **ex,
                               "placeholders": {"seed_phrase": ph["placeholder_seed"],
                                                "deposits": ex["placeholder_deposits"],
                                                "deposit_addresses": ex["placeholder_addresses"]},
                               "dead_drops": ph["coordinates"]})
