"""Saved pages against the capture log: seeds 2026 and 7 as saved, then changed copies."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from market_world import SEEDS, world

from course.market.capture import problems, read_log, saved_from, verify_capture


@pytest.mark.parametrize("seed", SEEDS)
def test_every_page_matches_as_saved(seed: int) -> None:
    data = world(seed).data
    report = verify_capture(data)
    with (data / "capture_log.csv").open(encoding="utf-8") as stream:
        logged = [r["saved_file"] for r in csv.DictReader(stream)]
    assert sorted(report["file"]) == sorted(logged)
    assert sorted(logged) == sorted(p.relative_to(data).as_posix()
                                    for p in (data / "pages").rglob("*.html"))
    assert (report["status"] == "ok").all() and problems(report) == []


def test_changed_missing_and_unlogged_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(world(7).data, data)
    changed = data / "pages" / "market_en" / "listing.html"
    text = changed.read_bytes()
    changed.write_bytes(text.replace(b"bc1", b"bc2", 1))
    (data / "pages" / "market_ru" / "shop_01.html").unlink()
    (data / "pages" / "market_ru" / "extra.html").write_text("<html></html>")
    report = verify_capture(data).set_index("file")
    status = report["status"]
    assert status["pages/market_en/listing.html"] == "mismatch"
    assert status["pages/market_ru/shop_01.html"] == "missing"
    assert status["pages/market_ru/extra.html"] == "unlogged"
    assert (status.drop(["pages/market_en/listing.html", "pages/market_ru/shop_01.html",
                         "pages/market_ru/extra.html"]) == "ok").all()
    actual = hashlib.sha256(changed.read_bytes()).hexdigest()
    assert report.loc["pages/market_en/listing.html", "actual"] == actual
    messages = problems(verify_capture(data))
    assert len(messages) == 3
    assert any(m.startswith("pages/market_en/listing.html:") and actual in m for m in messages)


def test_a_log_without_its_columns(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text("url,file\nhttp://x,y\n")
    with pytest.raises(ValueError, match="lacks the column.*saved_file, sha256"):
        read_log(tmp_path / "log.csv")


@pytest.mark.parametrize("seed", SEEDS)
def test_saved_from_marks_agree_with_the_log(seed: int) -> None:
    data = world(seed).data
    log = read_log(data / "capture_log.csv")
    for name, url in zip(log["saved_file"], log["url"], strict=True):
        head = (data / name).read_text(encoding="utf-8").splitlines()[1]
        assert head == f"<!-- saved from url=({len(url):04d}){url} -->"
        assert saved_from(data / name) == url
    wrong = log.copy()
    wrong.loc[3, "url"] = "http://example.invalid/elsewhere"
    report = verify_capture(data, wrong)
    assert report["status"].tolist().count("url_mismatch") == 1
    bad = report[report["status"] == "url_mismatch"].iloc[0]
    assert bad["file"] == log.loc[3, "saved_file"]
    assert bad["saved_from"] == log.loc[3, "url"] and "example.invalid" in bad["message"]
