"""Day 2: dead-drop photos from test purchases, small JPEGs with EXIF.

Shops on the Russian market send the buyer a photo of the hidden package
("клад") with an arrow on it. Photos from the courier's phone keep their EXIF:
GPS position, time taken, camera make, model and serial. Some were stripped
by the shop's bot. The target's courier takes every photo with one phone, so
one serial number appears on several photos - the only serial that does.

Images are drawn with Pillow (320x240, a few KB), deterministic per seed:
same seed, same bytes.
"""

from __future__ import annotations

import io
import json
import math
from datetime import datetime, timedelta

from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

from course.world import cast
from course.world.context import WorldContext, csv_text
from course.world.places import CITIES, CITY_BY_NAME, City

ASSIGNMENT = "day2-market-osint"
SIZE = (320, 240)
TARGET_PHOTOS = 6
OTHER_PHOTOS = 8
STRIPPED_OTHERS = 2
CAMERAS = (
    ("samsung", "SM-A525F"), ("Xiaomi", "Redmi Note 12"), ("Apple", "iPhone 11"),
    ("HUAWEI", "MAR-LX1M"), ("TECNO", "TECNO KI5q"), ("OPPO", "CPH2269"), ("vivo", "V2111"),
)
TAG_MAKE, TAG_MODEL, TAG_EXIF_IFD, TAG_GPS_IFD = 0x010F, 0x0110, 0x8769, 0x8825
TAG_DATETIME_ORIGINAL, TAG_BODY_SERIAL = 0x9003, 0xA431


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600 * 10000)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 10000)


def dms_to_degrees(dms: tuple[float, float, float], ref: str) -> float:
    """Degrees from EXIF (degrees, minutes, seconds) and its N/S/E/W reference."""
    value = float(dms[0]) + float(dms[1]) / 60 + float(dms[2]) / 3600
    return -value if ref in ("S", "W") else value


def exif_bytes(make: str, model: str, serial: str, taken: datetime, lat: float,
               lon: float) -> bytes:
    """An EXIF block with camera, serial, DateTimeOriginal and GPS position."""
    exif = Image.Exif()
    exif[TAG_MAKE] = make
    exif[TAG_MODEL] = model
    exif[TAG_EXIF_IFD] = {TAG_DATETIME_ORIGINAL: taken.strftime("%Y:%m:%d %H:%M:%S"),
                          TAG_BODY_SERIAL: serial}
    exif[TAG_GPS_IFD] = {
        0: b"\x02\x02\x00\x00",
        1: "N" if lat >= 0 else "S", 2: _dms(lat),
        3: "E" if lon >= 0 else "W", 4: _dms(lon),
    }
    return exif.tobytes()


def draw_drop(rng, spot: str) -> Image.Image:
    """A dead-drop scene: ground or wall texture, clutter, a red arrow and circle."""
    base = rng.choice(((112, 104, 88), (90, 96, 84), (140, 136, 128), (96, 80, 64)))
    image = Image.new("RGB", SIZE, base)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        r = rng.randrange(2, 14)
        shade = tuple(max(0, min(255, c + rng.randrange(-40, 40))) for c in base)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    if spot == "тайник":  # a pipe or a wall crack
        draw.rectangle((0, 150, SIZE[0], 175), fill=(70, 70, 75))
    elif spot == "магнит":  # a metal box or a fence
        for x in range(20, SIZE[0], 40):
            draw.rectangle((x, 40, x + 6, 230), fill=(60, 64, 70))
    cx, cy = rng.randrange(90, 230), rng.randrange(80, 180)
    draw.ellipse((cx - 18, cy - 18, cx + 18, cy + 18), outline=(230, 20, 20), width=3)
    angle = rng.uniform(0, 2 * math.pi)
    sx, sy = cx + 70 * math.cos(angle), cy + 70 * math.sin(angle)
    draw.line((sx, sy, cx + 22 * math.cos(angle), cy + 22 * math.sin(angle)),
              fill=(230, 20, 20), width=4)
    return image


def _near(rng, city: City) -> tuple[float, float]:
    return (round(city.lat + rng.uniform(-0.03, 0.03), 6),
            round(city.lon + rng.uniform(-0.04, 0.04), 6))


def nearest_city(lat: float, lon: float) -> City:
    """The case-world city closest to a point (equirectangular distance is enough here)."""
    return min(CITIES, key=lambda c: (c.lat - lat) ** 2
               + ((c.lon - lon) * math.cos(math.radians(lat))) ** 2)


def generate(ctx: WorldContext) -> None:
    """Write the photos, their manifest, a city table, questions and day-2 photo answers."""
    rng = ctx.rng("photos")
    shared = ctx.state.get("markets") or {}
    aliases = shared.get("aliases") or {}
    target_city = CITY_BY_NAME[shared.get("target_city", "Almaty")]
    target_shop = aliases.get(cast.VENDOR_TARGET, {}).get(cast.MARKET_RU, "shop_target")
    others = [a[cast.MARKET_RU] for r, a in sorted(aliases.items())
              if r != cast.VENDOR_TARGET and cast.MARKET_RU in a] or ["shop_a", "shop_b"]
    cities = shared.get("shop_cities") or {}
    start = datetime(2025, 8, 1, 6, 0, 0)
    courier_cam = rng.choice(CAMERAS)
    courier_serial = f"R58{rng.randrange(16**9):09X}"
    plan = [(target_shop, target_city, courier_cam, courier_serial, i == 2)
            for i in range(TARGET_PHOTOS)]
    for i in range(OTHER_PHOTOS):
        shop = others[i % len(others)]
        role = next((r for r, a in aliases.items() if a.get(cast.MARKET_RU) == shop), "")
        city = CITY_BY_NAME[rng.choice(cities.get(role) or [c.name for c in CITIES])]
        serial = f"{rng.choice('RSVX')}{rng.randrange(16**11):011X}"
        plan.append((shop, city, rng.choice(CAMERAS), serial, i < STRIPPED_OTHERS))
    rng.shuffle(plan)
    manifest, drops, facts = [], [], []
    for n, (shop, city, (make, model), serial, stripped) in enumerate(plan, start=1):
        name = f"photos/drop_{n:02d}.jpg"
        taken = start + timedelta(days=rng.randrange(70), minutes=rng.randrange(600))
        lat, lon = _near(rng, city)
        spot = rng.choice(("магнит", "прикоп", "тайник"))
        image = draw_drop(rng, spot)
        buffer = io.BytesIO()
        params = {} if stripped else {"exif": exif_bytes(make, model, serial, taken, lat, lon)}
        image.save(buffer, "JPEG", quality=60, optimize=False, **params)
        ctx.add_file(ASSIGNMENT, f"data/{name}", buffer.getvalue())
        received = (taken + timedelta(minutes=rng.randrange(30, 300))).strftime("%Y-%m-%d %H:%M")
        manifest.append({"file": name, "shop": shop, "order": f"TP-{rng.randrange(1000, 9999)}",
                         "received": received})
        facts.append({"file": name, "shop": shop, "city": city.name, "lat": lat, "lon": lon,
                      "serial": None if stripped else serial, "taken": taken.isoformat(),
                      "stripped": stripped})
        if shop == target_shop and not stripped:
            drops.append({"lat": lat, "lon": lon, "taken": taken.isoformat(), "spot": spot,
                          "city": city.name})
    ctx.add_file(ASSIGNMENT, "data/photos/manifest.csv",
                 csv_text(manifest, ["file", "shop", "order", "received"]))
    ctx.add_file(ASSIGNMENT, "data/cities.csv", csv_text(
        [{"name": c.name, "name_ru": c.name_ru, "country": c.country, "lat": c.lat,
          "lon": c.lon} for c in CITIES], ["name", "name_ru", "country", "lat", "lon"]))
    asked = next(f for f in facts if f["serial"] == courier_serial)
    ctx.add_file(ASSIGNMENT, "data/photos/questions.json", json.dumps(
        {"manifest": "photos/manifest.csv", "cities": "cities.csv",
         "nearest_city_photo": asked["file"]}, indent=1) + "\n")
    ctx.add_answer("day2_photo_camera_serial_shared", courier_serial,
                   hint="Read BodySerialNumber (tag 0xA431 in the Exif IFD) of every photo; "
                        "one serial appears more than once.")
    ctx.add_answer("day2_photo_stripped_count", sum(f["stripped"] for f in facts),
                   hint="Count the photos with no EXIF at all.")
    ctx.add_answer("day2_photo_nearest_city",
                   nearest_city(asked["lat"], asked["lon"]).name,
                   hint="Convert the GPS degrees/minutes/seconds to decimal degrees, then find "
                        "the closest city in cities.csv (English name).")
    ctx.add_truth("photos", {"courier_serial": courier_serial, "courier_camera": courier_cam,
                             "photos": facts})
    ctx.state["photos"] = {"courier_serial": courier_serial, "target_drops": drops}
