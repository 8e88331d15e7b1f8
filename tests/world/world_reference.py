"""Reference solutions, days 0-2: every graded answer recomputed from a world's files.

Each ``dayN(files)`` reads only the trainee files of a world (never its
ground truth or state) with independent field tools - pandas, stem,
pysequoia, BeautifulSoup, Pillow - and returns ``{grade_id: answer}``. The
same functions solve every seed (``test_world_seeds.py``); days 3-5 are in
:mod:`world_reference_chain`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pysequoia
import stem.descriptor
from bs4 import BeautifulSoup
from PIL import Image
from stem.descriptor import DocumentHandler
from stem.descriptor.hidden_service import HiddenServiceDescriptorV3
from stem.descriptor.networkstatus import NetworkStatusDocumentV3

from course.nps import classify_title

D0, D1, D2 = "day0-orientation", "day1-darkweb-tor", "day2-market-osint"
D3, D4, D5 = "day3-crypto-basics", "day4-tracing-money", "day5-building-the-case"
ONION = re.compile(r"\b[a-z2-7]{56}\.onion\b")
GRAMS = re.compile(r"(\d+(?:[.,]\d+)?)\s?(?:grams|gr|g)\b")


class Files:
    """Read-only view of a world's trainee files: ``(assignment, "data/...") -> bytes``."""

    def __init__(self, files: Mapping[tuple[str, str], bytes]) -> None:
        self.files = files

    @classmethod
    def from_folder(cls, root: Path) -> Files:
        """The files under ``root/source/*/data`` of a written world."""
        found = {}
        for path in sorted((root / "source").glob("*/data/**/*")):
            if path.is_file():
                rel = path.relative_to(root / "source")
                found[(rel.parts[0], "/".join(rel.parts[1:]))] = path.read_bytes()
        return cls(found)

    def raw(self, day: str, rel: str) -> bytes:
        """Bytes of ``data/<rel>`` of assignment ``day``."""
        return self.files[(day, f"data/{rel}")]

    def text(self, day: str, rel: str) -> str:
        """Text (UTF-8) of ``data/<rel>``."""
        return self.raw(day, rel).decode("utf-8")

    def json(self, day: str, rel: str) -> Any:
        """Parsed JSON of ``data/<rel>``."""
        return json.loads(self.raw(day, rel))

    def rows(self, day: str, rel: str) -> list[dict[str, str]]:
        """CSV rows of ``data/<rel>`` as dictionaries of strings."""
        return list(csv.DictReader(io.StringIO(self.text(day, rel))))

    def table(self, day: str, rel: str) -> pd.DataFrame:
        """CSV of ``data/<rel>`` as a pandas table (empty cells stay empty strings)."""
        return pd.read_csv(io.BytesIO(self.raw(day, rel)), keep_default_na=False)

    def soup(self, day: str, rel: str) -> BeautifulSoup:
        """Parsed HTML of ``data/<rel>``."""
        return BeautifulSoup(self.text(day, rel), "lxml")

    def names(self, day: str, prefix: str) -> list[str]:
        """Sorted relative paths (without ``data/``) of ``day`` starting with ``prefix``."""
        return sorted(r[5:] for a, r in self.files if a == day and r[5:].startswith(prefix))


#: The arguments the hidden tests of day 0 call the trainee's functions with.
NORMALISE_CITY_ARGS = [("SHYMKENT\n",), ("\tbishkek  ",), ("  алматы",)]
WEIGHTS_OVER_ARGS = [([50.0, 50.1, 3.0], 50), ([7.5, 120.0], 0), ([], 5)]
#: The arguments day 2's hidden test calls the trainee's degrees conversion with.
TO_DEGREES_ARGS = [([43, 15, 36.0], "N"), ([51, 9, 37.8], "N"), ([12, 30, 0.0], "S"),
                   ([76, 56, 42.0], "E")]


def recorded_calls(func, cases: list[tuple]) -> list[dict[str, Any]]:
    """What ``expect_calls`` records: each case's arguments and the function's result."""
    return [{"args": list(args), "result": func(*args)} for args in cases]


def day0(f: Files) -> dict[str, Any]:
    """The seizure table's answers, with pandas; the functions, written out."""
    df = f.table(D0, "seizures.csv")
    heavy = df[(df.city == "Almaty") & (df.substance == "mephedrone") & (df.weight_g > 50)]
    return {
        "day0_seizure_count": len(df),
        "day0_normalise_city": recorded_calls(lambda s: s.strip().title(), NORMALISE_CITY_ARGS),
        "day0_cities": sorted(df.city.unique()),
        "day0_weights_over": recorded_calls(
            lambda ws, limit: [w for w in ws if w > limit], WEIGHTS_OVER_ARGS),
        "day0_grams_by_substance": df.groupby("substance").weight_g.sum().round(6).to_dict(),
        "day0_heavy_mephedrone_almaty": len(heavy),
    }


def is_valid_onion(address: str) -> bool:
    """True if stem accepts ``address`` as a v3 onion address (checksum and version)."""
    try:
        HiddenServiceDescriptorV3.identity_key_from_address(address)
    except ValueError:
        return False
    return True


def verify_signed(signed: str, armored_key: str) -> bool:
    """True if pysequoia verifies the cleartext-signed text with the key."""
    cert = pysequoia.Cert.from_bytes(armored_key.encode())
    try:
        pysequoia.verify(bytes=signed.encode(), store=lambda ids: [cert])
    except Exception:  # noqa: BLE001 - any refusal means not verified
        return False
    return True


# -- an independent title classifier (day 1) -------------------------------------------
# Written from the drug names themselves, not from course.nps: the group a title must get,
# for the substances the case world's markets sell. Rules are tried in order, the most
# specific first ("mdma crystals" is MDMA before "crystals" is alpha-PVP). A stem of six
# characters or more matches the start of a word ("metonitaz" - metonitazene, -zine, -zen);
# a shorter one must be the whole word, or a run of whole words.
TITLE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("synthetic_opioids", ("метонитаз", "протонитаз", "metonitaz", "protonitaz")),
    ("benzodiazepines", ("бромазол", "бромозол", "bromazol", "этизол", "etizol", "etizest")),
    ("synthetic_cannabinoids", (
        "mdmb", "mdmb4en", "pinaca", "pinoca", "4en", "adb", "adbb", "butinac", "butinak",
        "spice", "спайс", "спайсы", "микс", "миксы", "cannabinoid", "курительная смесь",
        "реагент", "рега", "k2", "jwh", "herbal incense")),
    ("tryptamines", ("5 meo", "5meo")),
    ("aminoindanes", ("mdai", "мдаи", "aminoindane")),
    ("piperazines", ("bzp", "бзп", "benzylpiperazine", "бензилпиперазин")),
    ("plant_based", ("kratom", "kratum", "кратом", "кротом", "mitragyn")),
    ("pharmaceutical", ("pregabalin", "прегабалин", "lyrica", "лирика", "трамадол", "tramadol")),
    ("ketamine_pcp", ("кетамин", "кетамен", "китамин", "кет", "кета", "кетос", "ketamin",
                      "ket", "special k", "k hole")),
    ("controlled", (
        # fentanyl, 2C-B, MDMA, methamphetamine, amphetamine, cocaine, heroin, cannabis,
        # mushrooms
        "fentanyl", "фентанил", "2c b", "2cb", "2 cb", "nexus", "mdma", "мдма", "мдм",
        "ecstasy", "ecstacy", "extasy", "экстази", "экси", "экстаз", "молли", "molly", "xtc",
        "e pills",
        "метамфет", "метамфит", "methamphet", "methamfet", "metamfet", "meth", "ice", "shabu",
        "шабу", "первитин", "винт", "лед", "мет", "амфетам", "амфитам", "amphetam", "amfetam",
        "speed", "фен", "фенамин", "амф", "амфа", "кокаин", "кокс", "блоу", "cocain", "coke",
        "charlie", "kokain", "героин", "героен", "гера", "герыч", "хмурый", "heroin", "geroin",
        "гашиш", "гаш", "плюх", "чарас", "гошиш", "hash", "hashis", "hashish", "charas",
        "каннабис", "канабис", "марихуан", "марехуан", "конопля", "шишки", "бошки", "бошка",
        "ганджа", "гидропоника", "cannabis", "marijuana", "marihuana", "mariuana", "weed",
        "buds", "ganja", "kush", "haze", "псилоциб", "грибы", "гриб", "грибочки", "psilocyb",
        "psylocib", "psilocib", "mushrooms", "shrooms", "cubensis", "golden teacher")),
    ("synthetic_cathinones", (
        "мефедр", "мефидр", "мифедр", "мефедрн", "меф", "мефф", "мефчик", "мяу", "mephedr",
        "mefedr", "mephadr", "meph", "mef", "mcat", "m cat", "meow", "4 mmc", "4mmc",
        "methylmethcathinone", "3 mmc", "3mmc", "3 ммк", "клефедрон", "clephedrone", "4 cmc",
        "4cmc", "chloromethcathinone", "альфа", "alpha", "alfa", "pvp", "пвп", "апвп", "apvp",
        "альфапвп", "pyrrolidinovalerophenone", "соль", "соли", "скорость", "ск", "кристалл",
        "кристаллы", "крис", "флакка", "flakka", "crystals")),
)


NPS_GROUP_IDS = {"synthetic_cathinones", "synthetic_cannabinoids", "phenethylamines",
                 "piperazines", "tryptamines", "aminoindanes", "ketamine_pcp", "plant_based",
                 "synthetic_opioids", "benzodiazepines", "other_nps"}
#: The arguments the hidden tests of day 1, part 2 call same_16 with.
SAME_16_ARGS = [("85.12.1.1", "85.12.250.9"), ("192.168.1.1", "192.16.81.1"),
                ("5.1.1.1", "1.5.1.1")]
IS_NPS_ARGS = [("Heroin 1g",), ("Metonitazene 10mg",), ("спайс 3г",), ("Fentanyl 1g",),
               ("Трамадол 50мг x10",), ("Кетамин 1г",)]


def _words(text: str) -> list[str]:
    text = text.lower().replace("ё", "е").replace("α", "a")
    return re.findall(r"[0-9a-zа-я]+", text)


def _stem_in(stem: str, words: list[str]) -> bool:
    parts = _words(stem)
    if len(parts) == 1 and len(stem) >= 6:
        return any(w.startswith(stem) for w in words)
    n = len(parts)
    return any(words[i:i + n] == parts for i in range(len(words) - n + 1))


def title_group(title: str) -> str:
    """The group of a market title, by :data:`TITLE_RULES` ("unknown" if none matches)."""
    words = _words(title)
    for group, stems in TITLE_RULES:
        if any(_stem_in(stem, words) for stem in stems):
            return group
    return "unknown"


def day1(f: Files) -> dict[str, Any]:
    """Tor consensus counts (stem), onion checks, signed mirror lists, title groups."""
    q = f.json(D1, "tor/questions.json")
    doc = NetworkStatusDocumentV3(f.raw(D1, q["consensus_file"]), validate=True)
    routers = list(doc.routers.values())
    out: dict[str, Any] = {"day1_relay_count": len(routers)}
    for flag in q["flags_to_count"]:
        out[f"day1_{flag.lower()}_count"] = sum(flag in r.flags for r in routers)
    w = doc.bandwidth_weights
    weights = {  # guard-spec 4.0: a guard has the Guard, Fast, Stable and V2Dir flags
        r.nickname: r.bandwidth
        * w["Wgd" if "Exit" in r.flags and "BadExit" not in r.flags else "Wgg"]
        for r in routers
        if {"Guard", "Fast", "Stable", "V2Dir"} <= set(r.flags)
    }
    out["day1_guard_probability"] = weights[q["guard_probability_relay"]] / sum(weights.values())
    out["day1_exits_port_443"] = sorted(  # path-spec 2.2.1: the policy decides, not the flag
        r.nickname
        for r in routers
        if "BadExit" not in r.flags and r.exit_policy.can_exit_to(port=q["exit_port"])
    )
    archived = []
    for rel in f.names(D1, q["archive_dir"] + "/"):
        (old,) = stem.descriptor.parse_file(io.BytesIO(f.raw(D1, rel)), validate=True,
                                            document_handler=DocumentHandler.DOCUMENT)
        archived.append(old)
    tor_ips = set()
    for row in f.rows(D1, q["ip_log_file"]):
        when = datetime.strptime(row["time_utc"], "%Y-%m-%dT%H:%M:%SZ")
        live = max((d for d in archived if d.valid_after <= when < d.valid_until),
                   key=lambda d: d.valid_after)
        if row["ip"] in {r.address for r in live.routers.values()}:
            tor_ips.add(row["ip"])
    out["day1_tor_ips"] = sorted(tor_ips)
    # seed-independent answers, written out from the sources
    out["day1_relay_knowledge"] = {  # tor-spec / path-spec: guard, middle, exit
        "your_ip_address": "guard",
        "destination": "exit",
        "request_content": "exit",
        "both_you_and_destination": "none",
    }
    out["day1_same_subnet16"] = recorded_calls(
        lambda a, b: a.split(".")[:2] == b.split(".")[:2], SAME_16_ARGS)
    # rend-spec-v3 1.1, in the overview's own order: the service sets up its introduction
    # points and descriptor; the client builds its rendezvous circuit, then fetches the
    # descriptor, introduces itself; the service answers at the rendezvous point
    out["day1_rendezvous_order"] = ["D", "G", "F", "A", "C", "H", "B", "E"]
    key = f.raw(D1, q["public_key_file"])
    out["day1_derived_address"] = HiddenServiceDescriptorV3.address_from_identity_key(key[32:])
    nq = f.json(D1, "nps/questions.json")
    genuine: set[str] = set()
    tampered = []
    for rel in nq["mirror_lists"]:
        market = rel.split("/")[-1].removesuffix(".txt.asc").removesuffix("_forum_repost")
        signed = f.text(D1, rel)
        if verify_signed(signed, f.text(D1, f"mirrors/keys/{market}.asc")):
            genuine |= set(ONION.findall(signed))
        else:
            tampered.append(rel.split("/")[-1])
    out["day1_tampered_mirror_lists"] = tampered
    listed = [r["address"] for r in f.rows(D1, q["onion_candidates_file"])]
    out["day1_valid_addresses"] = sorted(a for a in listed if is_valid_onion(a))
    out["day1_unverified_addresses"] = sorted(a for a in listed if a not in genuine)
    out["day1_nps_growth"] = 48 / 31  # UNODC ROCA (2017): 48 NPS in 2016, 31 in 2015
    out["day1_is_nps"] = recorded_calls(lambda t: title_group(t) in NPS_GROUP_IDS, IS_NPS_ARGS)
    rows = f.rows(D1, nq["titles_file"])
    titles = {r["title_id"]: title_group(r["title"]) for r in rows}
    out["day1_title_groups"] = {i: titles[i] for i in nq["title_ids"]}
    out["day1_listings_per_group"] = dict(sorted(Counter(titles.values()).items()))
    return out


def _page_of(f: Files, prefix: str, selector: str, name: str) -> BeautifulSoup:
    for rel in f.names(D2, prefix):
        soup = f.soup(D2, rel)
        element = soup.select_one(selector)
        if element is not None and element.text == name:
            return soup
    raise LookupError(name)


def _evidence(soup: BeautifulSoup) -> tuple[set[str], str]:
    fprs = {
        pysequoia.Cert.from_bytes(p.text.encode()).fingerprint.upper()
        for p in soup.select("pre.pgp-key")
    }
    return fprs, soup.select_one(".contact").text


def _exif_position(image: Image.Image) -> tuple[float, float] | None:
    gps = image.getexif().get_ifd(0x8825)
    if not gps:
        return None

    def degrees(dms, ref) -> float:
        value = float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600
        return -value if ref in ("S", "W") else value

    return degrees(gps[2], gps[1]), degrees(gps[4], gps[3])


def day2(f: Files) -> dict[str, Any]:
    """Saved market pages (BeautifulSoup), PGP links (pysequoia), photos (Pillow)."""
    from course.world.market_indicators import is_valid_btc_address

    q = f.json(D2, "questions.json")
    cards = [c for rel in f.names(D2, "pages/market_en/search_p")
             for c in f.soup(D2, rel).select("div.listing-card")]
    out: dict[str, Any] = {"day2_listing_count": len(cards)}
    city = next(s for rel in f.names(D2, "pages/market_ru/city_")
                if (s := f.soup(D2, rel)).select_one("h1.city-name").text
                == q["city_for_offer_count"])
    out["day2_city_offer_count"] = int(city.select_one(".count").text.split()[-1])
    shop = _page_of(f, "pages/market_ru/shop_", "h1.shop-name", q["target_shop"])
    out["day2_target_shop_cities"] = sorted({td.text for td in shop.select("tr.offer td.city")})
    sign = {"KZT": "₸", "KGS": "сом", "UZS": "сум", "TJS": "смн"}.get(q["price_currency"])
    per_gram = []
    for rel in f.names(D2, "pages/market_ru/shop_"):
        for row in f.soup(D2, rel).select("tr.offer"):
            title = row.select_one(".title").text
            if row.select_one(".currency").text != sign:
                continue
            if classify_title(title).substance != q["price_substance"]:
                continue
            grams = float(row.select_one(".weight").text.split()[0].replace(",", "."))
            per_gram.append(float(row.select_one(".amount").text.replace(" ", "")) / grams)
    out["day2_price_per_gram_median"] = statistics.median(per_gram)
    usd = []
    for card in cards:
        title = card.select_one(".listing-title").text
        if classify_title(title).substance == q["usd_price_substance"]:
            grams = float(GRAMS.findall(title)[-1].replace(",", "."))
            usd.append(float(card.select_one(".usd").text.split()[1]) / grams)
    out["day2_price_per_gram_median_usd"] = statistics.median(usd)
    vendor_titles = [c.select_one(".listing-title").text for c in cards
                     if c.select_one(".vendor a").text == q["profile_vendor"]]
    out["day2_vendor_groups"] = dict(sorted(Counter(
        classify_title(t).group for t in vendor_titles).items()))
    feedback = _page_of(f, "pages/market_en/feedback_", "span.vendor-name", q["feedback_vendor"])
    out["day2_feedback_count"] = len(feedback.select("tbody tr"))
    links = {}
    for ru_rel in f.names(D2, "pages/market_ru/shop_"):
        ru = f.soup(D2, ru_rel)
        if ru.select_one("h1.shop-name") is None:
            continue
        ru_fpr, ru_handle = _evidence(ru)
        for en_rel in f.names(D2, "pages/market_en/vendor_"):
            en = f.soup(D2, en_rel)
            en_fpr, en_handle = _evidence(en)
            if (ru_fpr & en_fpr) or ru_handle == en_handle:
                links[ru.select_one("h1.shop-name").text] = en.select_one("h1.vendor-name").text
    out["day2_linked_aliases"] = dict(sorted(links.items()))
    text = f.soup(D2, q["btc_page"]).get_text(" ")
    pattern = r"\b(?:bc1[02-9ac-hj-np-z]{20,80}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b"
    out["day2_valid_btc_addresses_in_page"] = sorted(
        a for a in set(re.findall(pattern, text)) if is_valid_btc_address(a))
    pq = f.json(D2, "photos/questions.json")
    serials, stripped = Counter(), 0
    for row in f.rows(D2, pq["manifest"]):
        exif = Image.open(io.BytesIO(f.raw(D2, row["file"]))).getexif()
        if len(exif) == 0:
            stripped += 1
        elif 0xA431 in exif.get_ifd(0x8769):
            serials[exif.get_ifd(0x8769)[0xA431]] += 1
    out["day2_photo_camera_serial_shared"] = next(s for s, n in serials.items() if n > 1)
    out["day2_photo_stripped_count"] = stripped
    lat, lon = _exif_position(Image.open(io.BytesIO(f.raw(D2, pq["nearest_city_photo"]))))
    cities = f.rows(D2, pq["cities"])
    out["day2_photo_nearest_city"] = min(cities, key=lambda c: (
        (float(c["lat"]) - lat) ** 2
        + ((float(c["lon"]) - lon) * math.cos(math.radians(lat))) ** 2))["name"]
    out["day2_capture_changed_files"] = sorted(
        row["saved_file"] for row in f.rows(D2, "handover/capture_log.csv")
        if hashlib.sha256(f.raw(D2, "handover/" + row["saved_file"])).hexdigest()
        != row["sha256"].lower())
    shop_keys = set().union(*(_evidence(f.soup(D2, rel))[0]
                              for rel in f.names(D2, "pages/market_ru/shop_")
                              if f.soup(D2, rel).select_one("h1.shop-name")))
    vendor_keys = set().union(*(_evidence(f.soup(D2, rel))[0]
                                for rel in f.names(D2, "pages/market_en/vendor_")))
    out["day2_shared_pgp_fingerprints"] = sorted(shop_keys & vendor_keys)
    out["day2_photo_to_degrees"] = recorded_calls(
        lambda dms, ref: round((dms[0] + dms[1] / 60 + dms[2] / 3600)
                               * (-1 if ref in "SW" else 1), 6), TO_DEGREES_ARGS)
    return out
