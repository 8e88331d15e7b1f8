"""EXIF of dead-drop photos against the generator's truth (seeds 2026 and 7), and bad files."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from market_world import SEEDS, world
from PIL import Image

from course.market.photos import (
    distance_km,
    dms_to_degrees,
    nearest_city,
    photo_table,
    read_photo,
    shared_serials,
    stripped_photos,
    with_manifest,
)


@pytest.mark.parametrize("seed", SEEDS)
def test_photos_against_the_truth(seed: int) -> None:
    w = world(seed)
    facts = {f["file"]: f for f in w.truth["photos"]["photos"]}
    table = photo_table(w.data / "photos")
    assert sorted(table["file"]) == sorted(facts)
    for row in table.itertuples():
        fact = facts[row.file]
        assert row.has_exif == (not fact["stripped"])
        if fact["stripped"]:
            continue
        assert row.serial == fact["serial"]
        assert row.taken.to_pydatetime() == datetime.fromisoformat(fact["taken"])
        # EXIF keeps seconds of arc to 1/10000: well under a metre
        assert row.lat == pytest.approx(fact["lat"], abs=1e-6)
        assert row.lon == pytest.approx(fact["lon"], abs=1e-6)
        assert row.make and row.model
    serial = w.truth["photos"]["courier_serial"]
    assert serial == w.answer("day2_photo_camera_serial_shared")
    assert shared_serials(table) == {
        serial: sorted(f for f, x in facts.items() if x["serial"] == serial)}
    assert stripped_photos(table) == sorted(f for f, x in facts.items() if x["stripped"])
    assert len(stripped_photos(table)) == w.answer("day2_photo_stripped_count")


def test_dms_by_hand() -> None:
    assert dms_to_degrees((43, 15, 0), "N") == pytest.approx(43.25)
    assert dms_to_degrees((43, 15, 0), "S") == pytest.approx(-43.25)
    assert dms_to_degrees((0, 30, 36), "W") == pytest.approx(-0.51)


def test_a_photo_without_exif_and_a_file_that_is_not_one(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "plain.jpg")
    (tmp_path / "fake.jpg").write_text("not a photo")
    assert read_photo(tmp_path / "plain.jpg").has_exif is False
    with pytest.raises(ValueError, match="fake.jpg is not a readable image"):
        read_photo(tmp_path / "fake.jpg")
    with pytest.raises(ValueError, match="No photo"):
        photo_table(tmp_path / "plain.jpg")


@pytest.mark.parametrize("seed", SEEDS)
def test_nearest_city_and_manifest(seed: int) -> None:
    w = world(seed)
    q = json.loads((w.data / "photos" / "questions.json").read_text(encoding="utf-8"))
    table = photo_table(w.data / "photos")
    row = table.set_index("file").loc[q["nearest_city_photo"]]
    name, km = nearest_city(row["lat"], row["lon"], pd.read_csv(w.data / q["cities"]))
    assert name == w.answer("day2_photo_nearest_city")
    assert km < 10  # the generator puts drops within 0.03 deg lat / 0.04 deg lon of a city
    joined = with_manifest(table, pd.read_csv(w.data / q["manifest"]))
    facts = {f["file"]: f["shop"] for f in w.truth["photos"]["photos"]}
    assert dict(zip(joined["file"], joined["shop"], strict=True)) == facts


def test_distance_by_hand() -> None:
    # one degree of longitude on the equator: 2 * pi * 6371 / 360 km
    assert distance_km(0, 0, 0, 1) == pytest.approx(2 * math.pi * 6371 / 360)
    assert distance_km(43.25, 76.95, 43.25, 76.95) == 0.0
