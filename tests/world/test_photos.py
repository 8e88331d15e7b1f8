"""Dead-drop photos: EXIF round-trips through Pillow, one shared serial, determinism."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from PIL import Image

from course.world import markets, photos, places
from course.world.context import WorldContext

A = photos.ASSIGNMENT


def _build(seed: int = 2026, with_markets: bool = True) -> WorldContext:
    ctx = WorldContext(seed=seed)
    places.generate(ctx)
    if with_markets:
        markets.generate(ctx)
    photos.generate(ctx)
    return ctx


@pytest.fixture(scope="module")
def ctx() -> WorldContext:
    return _build()


def _read(ctx: WorldContext, name: str) -> tuple[Image.Image, Image.Exif]:
    image = Image.open(io.BytesIO(ctx.files[(A, f"data/{name}")]))
    return image, image.getexif()


def test_gps_round_trips_within_1e5_degrees(ctx: WorldContext) -> None:
    """Check that EXIF GPS read back by Pillow equals the position written."""
    for fact in ctx.truth["photos"]["photos"]:
        image, exif = _read(ctx, fact["file"])
        assert image.size == photos.SIZE and image.format == "JPEG"
        gps = exif.get_ifd(0x8825)
        if fact["stripped"]:
            assert not gps and len(exif) == 0
            continue
        lat = photos.dms_to_degrees(gps[2], gps[1])
        lon = photos.dms_to_degrees(gps[4], gps[3])
        assert abs(lat - fact["lat"]) < 1e-5 and abs(lon - fact["lon"]) < 1e-5
        assert photos.nearest_city(lat, lon).name == fact["city"]


def test_camera_fields_and_the_shared_serial(ctx: WorldContext) -> None:
    """Check Make, Model, DateTimeOriginal, and that exactly one serial repeats."""
    serials = []
    for fact in ctx.truth["photos"]["photos"]:
        _, exif = _read(ctx, fact["file"])
        if fact["stripped"]:
            continue
        sub = exif.get_ifd(0x8769)
        assert exif[0x010F] and exif[0x0110]
        assert sub[0x9003].replace(":", "-", 2).replace(" ", "T") == fact["taken"]
        serials.append(sub[0xA431])
    repeated = [s for s, n in Counter(serials).items() if n > 1]
    assert repeated == [ctx.answers["day2_photo_camera_serial_shared"]["value"]]
    stripped = sum(1 for f in ctx.truth["photos"]["photos"] if f["stripped"])
    assert stripped == ctx.answers["day2_photo_stripped_count"]["value"] > 0


def test_photos_are_small(ctx: WorldContext) -> None:
    """Check that each photo is a few KB."""
    sizes = [len(v) for (a, p), v in ctx.files.items() if p.endswith(".jpg")]
    assert len(sizes) == photos.TARGET_PHOTOS + photos.OTHER_PHOTOS
    assert max(sizes) < 15_000


def test_determinism_and_fallback() -> None:
    """Check same seed byte-identical, another seed different, and no markets state works."""
    first, again, other = _build(), _build(), _build(seed=9)
    jpgs = sorted(k for k in first.files if k[1].endswith(".jpg"))
    assert all(first.files[k] == again.files[k] for k in jpgs)
    assert any(first.files[k] != other.files[k] for k in jpgs)
    alone = _build(with_markets=False)
    assert alone.answers["day2_photo_camera_serial_shared"]["value"]
